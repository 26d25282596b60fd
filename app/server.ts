/**
 * The HTTP server. Compiled with the app into build/index.js (remix.config.js
 * `server`), so it shares one module instance with the routes.
 * `node build/index.js` (or `npm start`) runs it.
 */
import http from "node:http";
import type { Duplex } from "node:stream";
import path from "node:path";
import * as build from "@remix-run/dev/server-build";
import { createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { getSessionUser, hasSessionCookie } from "./auth.server";
import { BodyTooLargeError, bodyLimitFor, readBodyWithin } from "./body-limit.server";
import { boot } from "./boot.server";
import {
  databaseUnavailableHandler,
  inDatabaseScope,
  sendDatabaseUnavailable,
} from "./database-errors.server";
import { errorPageHtml, rawErrorResponse } from "./error-page.server";
import { createHttpLogging, logger } from "./logger.server";
import {
  createRouteLabeller,
  healthResponse,
  metricsAllowed,
  metricsText,
  observeHttpRequest,
  startServerMetrics,
  watchGroupCommit,
  watchPageCache,
} from "./metrics.server";
import {
  entryKeys,
  isStorableResponse,
  type PageDependencies,
  type RenderResult,
  type StoredPage,
} from "./page-cache.server";
import { spliceable } from "./page-splice.server";
import type { SpliceStore } from "./components/page-splice";
import { answerStripeWebhook } from "./payments/webhook-endpoint.server";
import { HSTS, newCspNonce, securityHeaders } from "./security-headers.server";

const log = logger();
const platform = await boot().catch((error: unknown) => {
  // A configuration or database problem: say it plainly and stop.
  log.fatal(`Propulsons ne peut pas démarrer : ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
const { config: cfg, pageCache } = platform;
const handleRemix = createRequestHandler(
  build,
  process.env.NODE_ENV === "development" ? "development" : "production",
);

/**
 * The host (with its port) the client asked for. X-Forwarded-Host counts only when the
 * connection comes from a trusted proxy (TRUST_PROXY hops, Express's `trust proxy`), as for
 * `req.protocol` and `req.ip`: otherwise anyone could forge it.
 */
function requestHost(req: express.Request): string | undefined {
  const trust = req.app.get("trust proxy fn") as (address: string | undefined, hop: number) => boolean;
  const forwarded = req.get("X-Forwarded-Host");
  if (forwarded && trust(req.socket.remoteAddress, 0)) return forwarded.split(",")[0]!.trim();
  return req.get("host");
}

function toFetchRequest(req: express.Request, res: express.Response, body: Buffer | undefined): Request {
  const host = requestHost(req) ?? `localhost:${cfg.port}`;
  const url = new URL(req.originalUrl, `${req.protocol}://${host}`);
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else headers.set(key, value);
  }
  // The body was read within its limit (readRequestBody): no length to trust from the client.
  headers.delete("transfer-encoding");
  if (body) headers.set("content-length", String(body.length));
  const init: RequestInit = { method: req.method, headers, signal: controller.signal };
  if (body) init.body = new Uint8Array(body);
  return new Request(url.href, init);
}

const production = cfg.env === "production";

/** The platform's stylesheet (the root route's link), for the error pages served outside Remix. */
function rootStylesheet(): string | undefined {
  const root = (build as unknown as ServerBuild).routes.root?.module as
    { links?: () => Array<{ rel?: string; href?: string }> } | undefined;
  return root?.links?.().find((link) => link.rel === "stylesheet")?.href;
}
const stylesheet = rootStylesheet();

/** A French error page, for what fails before Remix renders (bad URL, body too large, a crash). */
function sendErrorPage(res: express.Response, status: number): void {
  res.status(status);
  for (const [k, v] of securityHeaders({ production })) res.setHeader(k, v);
  res.setHeader("Cache-Control", "no-store");
  res.type("text/html; charset=utf-8").send(errorPageHtml(status, stylesheet));
}

/**
 * A state-changing request's body, read within the limit of its route (body-limit.server.ts).
 * Past the limit: a 413 page, the rest is never read and the connection is dropped; null then.
 */
async function readRequestBody(req: express.Request, res: express.Response): Promise<Buffer | null> {
  if (req.method === "GET" || req.method === "HEAD") return Buffer.alloc(0);
  try {
    return await readBodyWithin(req, bodyLimitFor(req.path));
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    // The rest of the body stays unread (the request is paused) and the connection is not
    // reused (Connection: close). Node closes such a socket as soon as the answer is written,
    // and closing a socket with unread bytes resets the connection, often before the client has
    // read the answer. So for this socket only: send the answer and a FIN (the server's sockets
    // are half-open), read nothing more, and drop the connection a moment later.
    const socket = req.socket;
    socket.destroySoon = function (this: typeof socket) {
      this.end();
      setTimeout(() => this.destroy(), 1000).unref();
    };
    res.setHeader("Connection", "close");
    sendErrorPage(res, 413);
    return null;
  }
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
if (production) {
  app.use((_req, res, next) => {
    res.setHeader("Strict-Transport-Security", HSTS);
    next();
  });
}
// A path that is not valid percent-encoding names nothing here: a French 400, before anything decodes it.
app.use((req, res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch {
    return sendErrorPage(res, 400);
  }
  next();
});
app.use(compression());
app.use(
  "/build",
  express.static(path.join(process.cwd(), "public/build"), { immutable: true, maxAge: "1y" }),
);
app.use(express.static(path.join(process.cwd(), "public"), { maxAge: "1h" }));

app.get("/healthz", healthz);
app.get("/metrics", metrics);

// Cross-site request protection (with the SameSite=Lax session cookie): a state-changing
// request that says where it comes from must come from here. Stripe's webhooks send no Origin.
const ownOrigin = new URL(cfg.publicUrl).origin;
app.use((req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const origin = req.get("origin");
  if (!origin) return next();
  const host = requestHost(req);
  if (origin === ownOrigin || (host && origin === `${req.protocol}://${host}`)) return next();
  res
    .status(403)
    .type("text/plain; charset=utf-8")
    .send("Requête refusée\u00a0: elle ne provient pas de Propulsons.");
});

/**
 * Stripe's webhook, answered here rather than through Remix's routing: a machine endpoint, no page,
 * and during a launch the busiest one (docs/decisions/032-launch-spike.md). The same body limit,
 * and the same 503 when the database is unavailable, so that Stripe delivers the event again.
 */
app.post("/webhooks/stripe", (req, res, next) => {
  void (async () => {
    const body = await readRequestBody(req, res);
    if (body === null) return;
    const response = await answerUnlessDatabaseUnavailable(req, res, () =>
      answerStripeWebhook(body.toString("utf8"), req.get("stripe-signature") ?? null),
    );
    if (response) await sendResponse(req, res, response);
  })().catch(next);
});

/** Answers a request through Remix, storing the page in the cache when it may be kept. */
async function renderThroughRemix(req: express.Request, res: express.Response): Promise<void> {
  // One render at a time per page, shared by the requests that wait for it (app/page-cache.server.ts).
  if (pageCache?.isCacheable(req)) return pageCache.renderOnce(req, res, () => renderCacheable(req, res));
  if (pageCache?.isPersonalizable(req) && (await servePersonalized(req, res))) return;
  const rendered = await renderRemix(req, res);
  if (rendered) await sendResponse(req, res, rendered.response);
}

/** A render of an anonymous GET: a page to share and store, or a response for this request only. */
async function renderCacheable(req: express.Request, res: express.Response): Promise<RenderResult> {
  const cache = pageCache!;
  // Only the page's data changed (a payment): splice it into the stale page (docs/decisions/034).
  const spliced = await splicedPage(req);
  if (spliced) return { page: spliced };
  // Stamp before rendering: a write during the render makes the entry stale at once.
  const stamp = await cache.beginRender();
  const spliceStore: SpliceStore = {};
  const rendered = await renderRemix(req, res, spliceStore);
  if (!rendered) return { send: async () => {} }; // already answered (a 503, a 413)
  const { response, pageDependencies } = rendered;
  if (!isStorableResponse(response.status, response.headers))
    return { send: (r) => sendResponse(req, r as express.Response, response) };
  const body = Buffer.from(await response.arrayBuffer());
  const { version, keys } = cache.stampFor(stamp, entryKeys(pageDependencies));
  const page = { status: response.status, headers: responseHeaders(response), body, version, keys };
  const abilities =
    "snapshot" in stamp
      ? spliceable(page, spliceStore, stamp.snapshot, {
          stampFor: (s, k) => cache.stampFor(s, k),
          read: (fn) => platform.database.readConsistently(fn),
        })
      : undefined;
  return { page: { ...page, ...abilities } };
}

/** The stored page of `req` brought up to date by splicing (034); null when it cannot be. */
async function splicedPage(req: express.Request): Promise<StoredPage | null> {
  const base = pageCache!.spliceBase(req);
  if (!base?.refresh) return null;
  // A splice that fails (the database unavailable, say) leaves it to a full render to answer.
  const spliced = await base.refresh(base.storedAt).catch((error: unknown) => {
    log.warn({ err: error }, "Raccord d'une page en cache impossible : rendu complet.");
    return null;
  });
  if (spliced) pageCache!.splices++;
  return spliced;
}

/**
 * A signed-in visitor's page from the anonymous one the cache holds (brought up to date first),
 * with their header and their data spliced in (docs/decisions/034-money-splicing.md): never
 * stored. False when the page cannot be personalized: it is then rendered in full.
 */
async function servePersonalized(req: express.Request, res: express.Response): Promise<boolean> {
  const cache = pageCache!;
  if (!cache.spliceBase(req)?.personalize) return false;
  // The database unavailable: the full render answers (its 503).
  const user = await getSessionUser(toFetchRequest(req, res, undefined)).catch(() => null);
  if (!user) return false;
  // The stored page if current, else spliced within the page's one render at a time (and stored:
  // it is anonymous, stamped with what it shows).
  const page = await cache.currentPage(req, () => splicedPage(req));
  let body: Buffer | null | undefined;
  try {
    body = page?.personalize?.(user);
  } catch (error) {
    log.warn({ err: error }, "Personnalisation d'une page en cache impossible : rendu complet.");
  }
  if (!page || !body) return false;
  cache.personalized++;
  res.status(page.status);
  for (const [k, v] of page.headers) res.append(k, v);
  res.set("cache-control", "private, no-store");
  res.set("x-page-cache", "personal");
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}

/** Remix's response to `req` and the page keys its loaders declared; undefined when already answered. */
async function renderRemix(
  req: express.Request,
  res: express.Response,
  spliceStore?: SpliceStore,
): Promise<{ response: Response; pageDependencies: PageDependencies } | undefined> {
  const pageDependencies: PageDependencies = { keys: null };
  const body = await readRequestBody(req, res);
  if (body === null) return undefined;
  const response = await answerUnlessDatabaseUnavailable(req, res, () =>
    handleRemix(toFetchRequest(req, res, req.method === "GET" || req.method === "HEAD" ? undefined : body), {
      clientIp: req.ip ?? req.socket.remoteAddress ?? "inconnue",
      // Each render draws its own nonce for the Content-Security-Policy (entry.server.tsx).
      cspNonce: newCspNonce(),
      pageDependencies,
      spliceStore,
    }),
  );
  return response && { response, pageDependencies };
}

/** Send a fetch Response (Remix's, or the webhook's) through Express. */
async function sendResponse(req: express.Request, res: express.Response, response: Response): Promise<void> {
  const headers = responseHeaders(response);
  // A page rendered for a signed-in visitor carries their details: no shared cache may keep it.
  if (hasSessionCookie(req.headers.cookie) && !response.headers.has("cache-control")) {
    headers.push(["cache-control", "private, no-store"]);
  }
  res.status(response.status);
  for (const [k, v] of headers) res.append(k, v);
  if (response.body && req.method !== "HEAD") {
    await writeReadableStreamToWritable(response.body, res);
  } else {
    res.end();
  }
}

app.all("*", (req, res, next) => {
  renderThroughRemix(req, res).catch(next);
});

// Errors that are the database's unavailability (/healthz, the page cache's version check): a 503.
app.use(databaseUnavailableHandler((r) => sendErrorPage(r, 503)));

// Last: whatever failed above answers a French page, never Express's English one.
app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  const status = (error as { status?: unknown } | null)?.status;
  const code = typeof status === "number" && status >= 400 && status < 600 ? status : 500;
  if (code >= 500) log.error({ err: error }, "Erreur du serveur.");
  if (res.headersSent) return void res.destroy();
  sendErrorPage(res, code);
});

/**
 * Remix renders a loader's or action's error as a 500 page that no longer says why: when the
 * request met an unavailable database (app/database-errors.server.ts), that 500 becomes the French
 * 503 page with Retry-After (a plain 503 for the webhook, so that Stripe delivers it again).
 * Returns undefined when the 503 was sent.
 */
async function answerUnlessDatabaseUnavailable(
  req: express.Request,
  res: express.Response,
  handle: () => Promise<Response>,
): Promise<Response | undefined> {
  const { value: response, unavailable } = await inDatabaseScope(handle);
  if (!unavailable || response.status < 500) return response;
  await response.body?.cancel();
  sendDatabaseUnavailable(req, res, (r) => sendErrorPage(r, 503));
  return undefined;
}

const server = http.createServer((req, res) => {
  instrumented(req, res, () => {
    const served = pageCache?.tryServe(req, res) ?? false;
    if (served === true) return;
    if (served === false) return void app(req, res);
    served.then(
      (done) => {
        if (!done) app(req, res);
      },
      () => {
        app(req, res);
      },
    );
  });
});

// A request Node cannot even parse (request line or headers too long, malformed): a French page too.
server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
  if (error.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
  const status =
    error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  socket.end(rawErrorResponse(status, securityHeaders({ production }), stylesheet));
});

server.listen(cfg.port, cfg.host, () => {
  const where = `http://${cfg.host ?? "localhost"}:${cfg.port}`;
  log.info(
    `Propulsons écoute sur ${where} (base : ${platform.database.path}${cfg.demoMode ? ", mode démonstration" : ""})`,
  );
});

// --- Operators: request log and metrics, /healthz, /metrics (app/logger.server.ts, app/metrics.server.ts).

startServerMetrics(platform.database.db);
if (pageCache) watchPageCache(() => pageCache);
const grouped = platform.database.groupCommit;
if (grouped) watchGroupCommit(() => grouped.stats());
const routeOf = createRouteLabeller(build.routes, ["/healthz", "/metrics", "/favicon.svg"]);
const httpLogging = createHttpLogging({ routeOf, quietPaths: ["/healthz", "/metrics"] });

/** Every request, page cache hits included: one log line and one histogram observation, with its id. */
function instrumented(req: http.IncomingMessage, res: http.ServerResponse, serve: () => void): void {
  observeHttpRequest(req, res, routeOf);
  httpLogging(req, res, serve);
}

/** Liveness and database check for load balancers and supervisors: 503 in French when the database does not answer. */
function healthz(_req: express.Request, res: express.Response): void {
  void healthResponse(platform.database).then(({ status, body }) => {
    res.status(status).set("cache-control", "no-store").type("text/plain; charset=utf-8").send(body);
  });
}

/** Prometheus metrics: open outside production; there only with `Authorization: Bearer $METRICS_TOKEN`, else a 404. */
function metrics(req: express.Request, res: express.Response, next: express.NextFunction): void {
  const settings = { production: cfg.env === "production", token: cfg.metricsToken };
  if (!metricsAllowed(settings, req.get("authorization"))) return next(); // the French 404 of any unknown page
  metricsText().then(({ contentType, body }) => {
    res.set("cache-control", "no-store").type(contentType).send(body);
  }, next);
}

function shutdown(signal: string) {
  log.info(`${signal} reçu, arrêt du serveur.`);
  server.close(() => {
    void platform.database.close().then(() => process.exit(0));
  });
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
