/**
 * propulsons/server-values-in-ui: in a route module, the code the browser runs (the default-exported
 * component, other components — functions named in PascalCase — and the browser exports such as
 * meta, links, handle) may use a *.server import as a type only. Remix replaces *.server modules by
 * empty ones in the browser bundle, so a value used there would be undefined in the browser.
 * Loaders, actions and other helpers may use them freely.
 */
const BROWSER_EXPORTS = new Set([
  "meta",
  "links",
  "handle",
  "shouldRevalidate",
  "clientLoader",
  "clientAction",
]);
const SERVER_MODULE = /\.server(\.[cm]?[jt]sx?)?$/;

function nameOf(node) {
  if (node.type === "FunctionDeclaration") return node.id?.name;
  if (node.type === "VariableDeclarator" && node.id.type === "Identifier") return node.id.name;
  return undefined;
}

/** The module-level declaration or export around `node` that runs in the browser, if any. */
function browserScope(node) {
  for (let n = node; n && n.type !== "Program"; n = n.parent) {
    if (n.type === "ExportDefaultDeclaration") return "le composant de la page";
    const atTop =
      n.parent?.type === "Program" ||
      n.parent?.type === "ExportNamedDeclaration" ||
      (n.type === "VariableDeclarator" &&
        (n.parent.parent?.type === "Program" || n.parent.parent?.type === "ExportNamedDeclaration"));
    if (!atTop) continue;
    const name = nameOf(n);
    if (name && (/^[A-Z]/.test(name) || BROWSER_EXPORTS.has(name))) return name;
  }
  return undefined;
}

export default {
  meta: {
    type: "problem",
    docs: { description: "Code run in the browser uses *.server imports as types only." },
    schema: [],
    messages: {
      serverValue:
        "« {{name}} » vient de {{source}} : {{where}} tourne aussi dans le navigateur, où ce module est vide. Passez la valeur par le loader.",
    },
  },
  create(context) {
    return {
      ImportDeclaration(node) {
        if (node.importKind === "type" || !SERVER_MODULE.test(String(node.source.value))) return;
        for (const specifier of node.specifiers) {
          if (specifier.importKind === "type") continue;
          for (const variable of context.sourceCode.getDeclaredVariables(specifier)) {
            for (const reference of variable.references) {
              if (reference.isTypeReference) continue;
              const where = browserScope(reference.identifier);
              if (where)
                context.report({
                  node: reference.identifier,
                  messageId: "serverValue",
                  data: { name: variable.name, source: String(node.source.value), where },
                });
            }
          }
        }
      },
    };
  },
};
