/**
 * Prometheus metrics (prom-client) for the people who run the platform, at /metrics, and the
 * database check behind /healthz. Each process counts what it did itself: with several servers,
 * scrape each one (the e-mail outbox gauges read the shared database, so every server reports the
 * same depth). See docs/decisions/017-logs-and-metrics.md.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";
import { sql, type Kysely } from "kysely";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { DB } from "#db/schema";
import type { Database } from "#db/connection";
import { logger, pathOf } from "./logger.server";

export const registry = new Registry();

const httpDuration = new Histogram({
  name: "propulsons_http_request_duration_seconds",
  help: "HTTP requests by method, route pattern and status, and how long they took.",
  labelNames: ["method", "route", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

const webhookEvents = new Counter({
  name: "propulsons_webhook_events_total",
  help: "Stripe webhook events received, by event type and outcome (processed, duplicate, ignored, invalid_signature, failed); an oversized body is a 413 in the request histogram.",
  labelNames: ["type", "outcome"] as const,
  registers: [registry],
});

const settlementPasses = new Counter({
  name: "propulsons_settlement_passes_total",
  help: "Settlement passes run by this process, by outcome (ok, errors: some campaign failed and is retried, crashed).",
  labelNames: ["outcome"] as const,
  registers: [registry],
});

const settlementDuration = new Histogram({
  name: "propulsons_settlement_pass_duration_seconds",
  help: "How long a settlement pass took.",
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
  registers: [registry],
});

const refunds = new Counter({
  name: "propulsons_refunds_total",
  help: "Refunds asked of Stripe by this process's settlement passes, by outcome (succeeded, pending, failed).",
  labelNames: ["outcome"] as const,
  registers: [registry],
});

const payouts = new Counter({
  name: "propulsons_payouts_total",
  help: "Payouts (transfers to holders) by outcome (paid, waiting: the holder's account is not ready).",
  labelNames: ["outcome"] as const,
  registers: [registry],
});

const emailRuns = new Counter({
  name: "propulsons_email_deliveries_total",
  help: "E-mails handled by this process's outbox runs, by outcome (sent, retried, failed: given up).",
  labelNames: ["outcome"] as const,
  registers: [registry],
});

export type WebhookMetricOutcome = "processed" | "duplicate" | "ignored" | "invalid_signature" | "failed";

/** Stripe's event types are a fixed, documented list; anything else is counted as « other ». */
const EVENT_TYPE = /^[a-z_]+(\.[a-z_]+){1,4}$/;

export function recordWebhook(type: string | undefined, outcome: WebhookMetricOutcome): void {
  webhookEvents.inc({ type: type && EVENT_TYPE.test(type) ? type : "unknown", outcome });
}

/** What a settlement pass reports (app/settlement/report.ts), counted. */
export function recordSettlementPass(
  seconds: number,
  report: {
    errors: number;
    refunded: number;
    refundsPending: number;
    refundFailed: number;
    payoutsPaid: number;
    payoutsWaiting: number;
  } | null,
): void {
  settlementDuration.observe(seconds);
  settlementPasses.inc({ outcome: report === null ? "crashed" : report.errors > 0 ? "errors" : "ok" });
  if (!report) return;
  if (report.refunded) refunds.inc({ outcome: "succeeded" }, report.refunded);
  if (report.refundsPending) refunds.inc({ outcome: "pending" }, report.refundsPending);
  if (report.refundFailed) refunds.inc({ outcome: "failed" }, report.refundFailed);
  if (report.payoutsPaid) payouts.inc({ outcome: "paid" }, report.payoutsPaid);
  if (report.payoutsWaiting) payouts.inc({ outcome: "waiting" }, report.payoutsWaiting);
}

export function recordEmailRun(result: { sent: number; retried: number; failed: number }): void {
  if (result.sent) emailRuns.inc({ outcome: "sent" }, result.sent);
  if (result.retried) emailRuns.inc({ outcome: "retried" }, result.retried);
  if (result.failed) emailRuns.inc({ outcome: "failed" }, result.failed);
}

let outboxDb: Kysely<DB> | null = null;

new Gauge({
  name: "propulsons_email_outbox_pending",
  help: "E-mails waiting in the outbox (pending, including those waiting for a retry), read from the database at scrape time.",
  registers: [registry],
  async collect() {
    if (!outboxDb) return;
    this.set((await outboxState(outboxDb)).pending);
  },
});

new Gauge({
  name: "propulsons_email_outbox_oldest_pending_age_seconds",
  help: "Age of the oldest pending e-mail in the outbox (0 when it is empty), read at scrape time.",
  registers: [registry],
  async collect() {
    if (!outboxDb) return;
    this.set((await outboxState(outboxDb)).oldestAgeSeconds);
  },
});

new Gauge({
  name: "propulsons_email_outbox_failed",
  help: "E-mails given up after every attempt (the back office lists them), read at scrape time.",
  registers: [registry],
  async collect() {
    if (!outboxDb) return;
    this.set((await outboxState(outboxDb)).failed);
  },
});

let outboxRead: { at: number; value: Promise<OutboxState> } | null = null;

interface OutboxState {
  pending: number;
  failed: number;
  oldestAgeSeconds: number;
}

/** One read per scrape for the three gauges. */
function outboxState(db: Kysely<DB>): Promise<OutboxState> {
  const now = Date.now();
  if (outboxRead && now - outboxRead.at < 1000) return outboxRead.value;
  const value = (async () => {
    const row = await db
      .selectFrom("email_outbox")
      .select([
        sql<number>`sum(case when status = 'pending' then 1 else 0 end)`.as("pending"),
        sql<number>`sum(case when status = 'failed' then 1 else 0 end)`.as("failed"),
        sql<string | null>`min(case when status = 'pending' then created_at end)`.as("oldest"),
      ])
      .executeTakeFirstOrThrow();
    const oldest = row.oldest ? Date.parse(row.oldest) : NaN;
    return {
      pending: Number(row.pending ?? 0),
      failed: Number(row.failed ?? 0),
      oldestAgeSeconds: Number.isFinite(oldest) ? Math.max(0, (now - oldest) / 1000) : 0,
    };
  })();
  outboxRead = { at: now, value };
  value.catch(() => (outboxRead = null));
  return value;
}

/** What the page cache counts (app/page-cache.server.ts), read at scrape time. */
export interface PageCacheCounts {
  hits: number;
  shared: number;
  rendered: number;
  renders: number;
  splices: number;
  personalized: number;
}
let pageCacheCounts: (() => PageCacheCounts) | null = null;

new Counter({
  name: "propulsons_page_cache_requests_total",
  help: "Cacheable requests that reached the cache, by what answered them: hit (the stored page), shared (a render another request started, waited for), rendered (their own render: the page was absent or stale), personalized (a signed-in visitor served the stored page with their header and data spliced in).",
  labelNames: ["outcome"],
  registers: [registry],
  collect() {
    if (!pageCacheCounts) return;
    const c = pageCacheCounts();
    this.reset();
    this.inc({ outcome: "hit" }, c.hits);
    this.inc({ outcome: "shared" }, c.shared);
    this.inc({ outcome: "rendered" }, c.rendered);
    this.inc({ outcome: "personalized" }, c.personalized);
  },
});

/** A counter kept elsewhere (by the page cache, the database), read at scrape time; absent until watched. */
function scrapedCounter(name: string, help: string, read: () => number | null): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const value = read();
      if (value === null) return;
      this.reset();
      this.inc(value);
    },
  });
}

scrapedCounter(
  "propulsons_page_cache_renders_total",
  "Renders of cacheable pages (one at a time per page, shared by the requests that wait for it).",
  () => pageCacheCounts?.().renders ?? null,
);

scrapedCounter(
  "propulsons_page_cache_splices_total",
  "Of those renders, the ones that spliced a stale page's new data into it instead of rendering it in full (docs/decisions/034-money-splicing.md).",
  () => pageCacheCounts?.().splices ?? null,
);

/** The server's page cache, for its counters in /metrics. */
export function watchPageCache(counts: () => PageCacheCounts): void {
  pageCacheCounts = counts;
}

/** SQLite's group commit (db/group-commit.ts), read at scrape time. */
let groupCommitStats: (() => { batches: number; transactions: number }) | null = null;

scrapedCounter(
  "propulsons_db_group_commits_total",
  "SQLite: commits of grouped write transactions (Stripe's webhooks), each holding one or more of them (docs/decisions/036-group-commit.md).",
  () => groupCommitStats?.().batches ?? null,
);

scrapedCounter(
  "propulsons_db_grouped_transactions_total",
  "SQLite: grouped write transactions run, committed or rolled back; divided by propulsons_db_group_commits_total, how many shared a commit.",
  () => groupCommitStats?.().transactions ?? null,
);

/** The database's group commit, for its counters in /metrics (SQLite only). */
export function watchGroupCommit(stats: () => { batches: number; transactions: number }): void {
  groupCommitStats = stats;
}

let processMetrics = false;

/** The server's metrics: the process's own (CPU, memory, event loop) and the outbox read from `db`. */
export function startServerMetrics(db: Kysely<DB>): void {
  outboxDb = db;
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry, prefix: "propulsons_" });
}

export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/**
 * Who may read /metrics: anyone outside production; in production only a request bearing
 * `Authorization: Bearer $METRICS_TOKEN` — and nobody when it is unset. Others get a 404.
 */
export function metricsAllowed(
  settings: { production: boolean; token: string | null },
  authorization: string | undefined,
): boolean {
  if (!settings.production) return true;
  if (!settings.token || !authorization) return false;
  const given = Buffer.from(authorization.replace(/^Bearer\s+/i, ""));
  const expected = Buffer.from(settings.token);
  return (
    /^Bearer\s+/i.test(authorization) && given.length === expected.length && timingSafeEqual(given, expected)
  );
}

interface RemixRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
}

/**
 * The route pattern of a path (`/campagnes/:slug`), a bounded label for metrics and logs: from the
 * Remix build's routes, matched as Remix matches them; `fixed` paths are their own label, built assets are `/build/*`.
 */
export function createRouteLabeller(
  routes: Record<string, RemixRoute | undefined>,
  fixed: string[] = [],
): (path: string) => string {
  const all = Object.values(routes).filter((r): r is RemixRoute => r !== undefined);
  const tree = (parentId: string | undefined): AgnosticRouteObject[] =>
    all
      .filter((r) => r.parentId === parentId)
      .map((r) => {
        const children = tree(r.id);
        return r.index
          ? { id: r.id, path: r.path, index: true as const, caseSensitive: r.caseSensitive }
          : { id: r.id, path: r.path, caseSensitive: r.caseSensitive, children };
      });
  const roots = tree(undefined);
  const known = new Set(fixed);
  const cache = new Map<string, string>();
  return (path: string) => {
    if (known.has(path)) return path;
    if (path.startsWith("/build/")) return "/build/*";
    const hit = cache.get(path);
    if (hit) return hit;
    let label = "unmatched";
    try {
      const matches = matchRoutes(roots, path);
      if (matches && matches.length > 0) {
        const pattern = matches
          .map((m) => m.route.path ?? "")
          .filter(Boolean)
          .join("/")
          .replace(/\/+/g, "/");
        label = `/${pattern}`.replace(/\/+/g, "/").replace(/(.)\/$/, "$1");
      }
    } catch {
      // a path that cannot be decoded: unmatched
    }
    if (cache.size > 5000) cache.clear();
    cache.set(path, label);
    return label;
  };
}

/** Times one HTTP request into the histogram when its response is finished (or the client left). */
export function observeHttpRequest(
  req: IncomingMessage,
  res: ServerResponse,
  routeOf: (path: string) => string,
): void {
  const started = process.hrtime.bigint();
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    const route = routeOf(pathOf(req.url));
    const status = res.headersSent || res.writableEnded ? String(res.statusCode) : "499";
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    httpDuration.observe({ method: methodLabel(req.method), route, status }, seconds);
  };
  res.once("finish", finish);
  res.once("close", finish);
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
function methodLabel(method: string | undefined): string {
  return method && METHODS.has(method) ? method : "other";
}

/**
 * The database check behind /healthz: a real round trip (a read on PostgreSQL, the file's data
 * version on SQLite), bounded in time so that a database that does not answer is reported, not waited for.
 */
export async function checkDatabase(
  database: Pick<Database, "dataVersion">,
  timeoutMs = 2000,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(() => database.dataVersion()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

export const HEALTH_UNAVAILABLE =
  "Service indisponible\u00a0: la base de données ne répond pas pour le moment.";

/** What /healthz answers: 200 « ok », or 503 in French when the database does not answer (logged). */
export async function healthResponse(
  database: Pick<Database, "dataVersion">,
  timeoutMs?: number,
): Promise<{ status: 200 | 503; body: string }> {
  const health = await checkDatabase(database, timeoutMs);
  if (health.ok) return { status: 200, body: "ok" };
  logger().error({ reason: health.reason }, "Vérification de santé : la base de données ne répond pas.");
  return { status: 503, body: HEALTH_UNAVAILABLE };
}
