// ESLint flat config. Why these rules: docs/decisions/018-lint-rules.md.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";
import serverValuesInUi from "./scripts/lint/server-values-in-ui.js";

export default tseslint.config(
  {
    ignores: ["node_modules/", "build/", "public/build/", ".cache/", "data/", "coverage/", "test-results/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { prefer: "type-imports", fixStyle: "separate-type-imports" },
      ],
      "@typescript-eslint/no-import-type-side-effects": "error",
      // Remix loaders and actions throw a Response (redirect, 404) to stop: that is the framework's idiom.
      "@typescript-eslint/only-throw-error": [
        "error",
        {
          allow: [
            { from: "lib", name: "Response" },
            { from: "package", package: "@remix-run/server-runtime", name: "TypedResponse" },
          ],
        },
      ],
      // An async function that satisfies a Promise-returning contract (a loader, Kysely's migration
      // provider, the storage interface) need not await anything; dropping `async` would turn its
      // errors into synchronous throws.
      "@typescript-eslint/require-await": "off",
      // Passing on a caught value as it is (React's shell error, a driver's error) is fine.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["app/**/*.tsx", "emails/**/*.tsx", "tests/**/*.tsx"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
  {
    // UI components are bundled for the browser: a value from a *.server module would either be
    // stripped by the compiler (and crash at run time) or leak server code. Types are fine.
    files: ["app/components/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/*.server", "**/*.server.*", "~/**/*.server", "~/*.server"],
              message: "Un composant d'interface n'importe que des types depuis un module *.server.",
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // The same for route modules, whose components are bundled for the browser too while their
    // loaders and actions use *.server modules freely: a small rule of ours tells them apart.
    files: ["app/root.tsx", "app/routes/**/*.tsx"],
    plugins: { propulsons: { rules: { "server-values-in-ui": serverValuesInUi } } },
    rules: { "propulsons/server-values-in-ui": "error" },
  },
  {
    // Tests read JSON payloads and use vitest's asymmetric matchers (expect.stringContaining…),
    // both typed `any`; the assertions that follow are what checks them.
    files: ["tests/**"],
    rules: {
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // Plain JavaScript files (configs, launcher scripts) are not in tsconfig's program.
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
