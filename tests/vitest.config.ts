import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export default defineConfig({
  root,
  resolve: {
    alias: {
      "~": path.join(root, "app"),
      "#db": path.join(root, "db"),
    },
  },
  test: {
    // tests/pg runs only under `npm run test:pg` (TEST_DATABASE_URL), which names it explicitly.
    include: [
      "tests/unit/**/*.test.ts",
      "tests/integration/**/*.test.ts",
      "tests/http/**/*.test.ts",
      ...(process.env.TEST_DATABASE_URL ? ["tests/pg/**/*.test.ts"] : []),
    ],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
