/**
 * The HTTP server. Compiled with the app into build/index.js (remix.config.js
 * `server`), so it shares one module instance with the routes.
 * `node build/index.js` (or `npm start`) runs it.
 */
import http from "node:http";
import path from "node:path";
import * as build from "@remix-run/dev/server-build";
import {
  createReadableStreamFromReadable,
  createRequestHandler,
  writeReadableStreamToWritable,
  type ServerBuild,
} from "@remix-run/node";
import compression from "compression";
import express from "express";
import { hasSessionCookie } from "./auth.server";
import { boot } from "./boot.server";
import { isStorableResponse } from "./page-cache.server";

const platform = await boot().catch((error: unknown) => {
  // A configuration or database problem: say it plainly and stop.
  console.error(
    `Propulsons ne peut pas démarrer : ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
const { config: cfg, pageCache } = platform;
const handleRemix = createRequestHandler(
  build as unknown as ServerBuild,
  process.env.NODE_ENV === "development" ? "development" : "production",
);

function toFetchRequest(req: express.Request, res: express.Response): Request {
  const host = req.get("X-Forwarded-Host") ?? req.get("host") ?? `localhost:${cfg.port}`;
  const url = new URL(req.originalUrl, `${req.protocol}://${host}`);
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else headers.set(key, value);
  }
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  return new Request(url.href, init);
}

function responseHeaders(response: Response): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") out.push([key, value]);
  });
  for (const cookie of response.headers.getSetCookie()) out.push(["set-cookie", cookie]);
  return out;
}

const app = express();
app.disable("x-powered-by");
// Behind a reverse proxy, the client address is the one the proxy appended (TRUST_PROXY hops,
// 1 by default in production): a client cannot forge it with its own X-Forwarded-For.
app.set("trust proxy", cfg.trustProxyHops);
app.use(compression());
app.use(
  "/build",
  express.static(path.join(process.cwd(), "public/build"), { immutable: true, maxAge: "1y" }),
);
app.use(express.static(path.join(process.cwd(), "public"), { maxAge: "1h" }));

// Liveness and database check for load balancers and tests.
app.get("/healthz", (_req, res, next) => {
  Promise.resolve(platform.database.dataVersion()).then(
    () => res.set("cache-control", "no-store").type("text/plain").send("ok"),
    next,
  );
});

// Cross-site request protection (with the SameSite=Lax session cookie): a state-changing
// request that says where it comes from must come from here. Stripe's webhooks send no Origin.
const ownOrigin = new URL(cfg.publicUrl).origin;
app.use((req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const origin = req.get("origin");
  if (!origin) return next();
  const host = req.get("X-Forwarded-Host") ?? req.get("host");
  if (origin === ownOrigin || (host && origin === `${req.protocol}://${host}`)) return next();
  res
    .status(403)
    .type("text/plain; charset=utf-8")
    .send("Requête refusée : elle ne provient pas de Propulsons.");
});

app.all("*", async (req, res, next) => {
  try {
    const cacheable = pageCache?.isCacheable(req) ?? false;
    // Stamp before rendering: a write during the render makes the entry stale at once.
    const version = cacheable ? await pageCache!.currentVersion() : "";
    const response = await handleRemix(toFetchRequest(req, res), {
      clientIp: req.ip ?? req.socket.remoteAddress ?? "inconnue",
    });
    const headers = responseHeaders(response);
    // A page rendered for a signed-in visitor carries their details: no shared cache may keep it.
    if (hasSessionCookie(req.headers.cookie) && !response.headers.has("cache-control")) {
      headers.push(["cache-control", "private, no-store"]);
    }
    if (cacheable && isStorableResponse(response.status, response.headers)) {
      const body = Buffer.from(await response.arrayBuffer());
      pageCache!.store(pageCache!.key(req), { status: response.status, headers, body, version });
      res.status(response.status);
      for (const [k, v] of headers) res.append(k, v);
      res.setHeader("x-page-cache", "miss");
      res.end(req.method === "HEAD" ? undefined : body);
      return;
    }
    res.status(response.status);
    for (const [k, v] of headers) res.append(k, v);
    if (response.body && req.method !== "HEAD") {
      await writeReadableStreamToWritable(response.body, res);
    } else {
      res.end();
    }
  } catch (error) {
    next(error);
  }
});

const server = http.createServer((req, res) => {
  const served = pageCache?.tryServe(req, res) ?? false;
  if (served === true) return;
  if (served === false) return void app(req, res);
  served.then(
    (done) => {
      if (!done) app(req, res);
    },
    () => app(req, res),
  );
});

server.listen(cfg.port, cfg.host, () => {
  const where = `http://${cfg.host ?? "localhost"}:${cfg.port}`;
  console.log(
    `Propulsons écoute sur ${where} (base : ${platform.database.path}${cfg.demoMode ? ", mode démonstration" : ""})`,
  );
});

function shutdown(signal: string) {
  console.log(`${signal} reçu, arrêt du serveur.`);
  server.close(() => {
    void platform.database.close().then(() => process.exit(0));
  });
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
