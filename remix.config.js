/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // Classic Remix compiler (see docs/decisions/001-remix-classic-compiler-and-server.md).
  // The HTTP server is compiled together with the app into build/index.js, so the
  // page cache, the database connection and the app share one module instance.
  server: "./app/server.ts",
  serverBuildPath: "build/index.js",
  serverModuleFormat: "esm",
  serverPlatform: "node",
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  watchPaths: ["./db/**/*"],
  future: {
    v3_fetcherPersist: true,
    v3_lazyRouteDiscovery: true,
    v3_relativeSplatPath: true,
    v3_singleFetch: true,
    v3_throwAbortReason: true,
  },
};
