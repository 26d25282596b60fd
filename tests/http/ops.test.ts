/**
 * For the people who run the platform, against the built server (build/index.js):
 * - one JSON log line per request (method, path without its query, route pattern, status,
 *   duration, request id echoed in X-Request-Id) and per job, never holding an e-mail address,
 *   a sign-in code, a cookie, an Authorization or Stripe-Signature header, a key or a card number;
 * - /metrics in the Prometheus text format, scraped after a payment and a settlement pass that
 *   refunds a failed campaign, counters checked by value; closed in production without the token;
 * - /healthz answers 503 in French when the database does not answer.
 */
import net from "node:net";
import { Writable } from "node:stream";
import path from "node:path";
import type SQLite from "better-sqlite3";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "#db/connection";
import { readOutbox } from "~/demo/resend-api.server";
import { makeEvent } from "~/demo/stripe-api.server";
import { signPayload } from "~/demo/stripe-webhooks.server";
import { createLogger } from "~/logger.server";
import { HEALTH_UNAVAILABLE, healthResponse } from "~/metrics.server";
import { DEMO_WEBHOOK_SECRET } from "~/payments/stripe.server";
import { tempDatabasePath, withDatabaseFile } from "../support/db";
import { httpClient } from "../support/http-session";
import { PRODUCTION_LEGAL_ENV, startServer, type RunningServer } from "../support/server";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text exposition format, as a scraper reads it. */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[k!] = v!.replace(/\\(.)/g, "$1");
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels`. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** The server's stdout and stderr, parsed: every line must be one JSON object. */
function jsonLines(output: string): Array<Record<string, unknown>> {
  return output
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        throw new Error(`a log line that is not JSON: ${l}`);
      }
    });
}

async function until<T>(what: string, fn: () => T | undefined | false, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("logs and metrics of the running server", () => {
  let server: RunningServer;
  let tmp: ReturnType<typeof tempDatabasePath>;
  let outbox: string;

  beforeAll(async () => {
    tmp = tempDatabasePath("ops", null);
    outbox = path.join(path.dirname(tmp.file), "outbox.jsonl");
    server = await startServer({
      DATABASE_PATH: tmp.file,
      DEMO_OUTBOX_PATH: outbox,
      LOG_FORMAT: "json",
      LOG_LEVEL: "info",
      SETTLE_INTERVAL_SECONDS: "1",
    });
  });

  afterAll(async () => {
    await server?.stop();
    tmp?.cleanup();
  });

  const withDb = <T>(fn: (db: SQLite.Database) => T): T => withDatabaseFile(tmp.file, fn);

  it("logs each request as one JSON line with its id, echoed; never an address, code, cookie or secret", async () => {
    const client = httpClient(server, outbox);
    const campaign = withDb(
      (db) =>
        db.prepare("select id, slug from campaigns where status = 'live' order by id limit 1").get() as {
          id: number;
          slug: string;
        },
    );

    // A sane X-Request-Id is kept and echoed; a forged one is replaced.
    const kept = await fetch(`${server.url}/campagnes/${campaign.slug}?email=fuite@example.org`, {
      headers: { "x-request-id": "ops-test-0001" },
    });
    expect(kept.status).toBe(200);
    expect(kept.headers.get("x-request-id")).toBe("ops-test-0001");
    await kept.arrayBuffer();
    const forged = await fetch(`${server.url}/`, { headers: { "x-request-id": 'a"} {"level":"fatal' } });
    expect(forged.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    await forged.arrayBuffer();

    // Things that must never reach a log line.
    const email = "camille.secret@example.org";
    const session = await client.signIn(email);
    const code = /(\d{6})$/.exec(
      readOutbox(outbox)
        .filter((m) => m.to.includes(email))
        .at(-1)!.subject,
    )![1]!;
    const bearer = "sk_live_opsTestSecretKey123456";
    const account = await fetch(`${server.url}/mon-compte`, {
      headers: { cookie: session, authorization: `Bearer ${bearer}` },
    });
    expect(account.status).toBe(200);
    await account.arrayBuffer();
    const card = "4242 4242 4242 4242";
    const contributed = await client.call("POST", `/campagnes/${campaign.slug}`, {
      form: {
        montant: "15",
        email: "donatrice.privee@example.org",
        nom: "Donatrice",
        message: `ma carte ${card}`,
      },
    });
    expect(contributed.status).toBe(303);
    const event = makeEvent("customer.created", {
      id: "cus_ops",
      object: "customer",
      email: "client.stripe@example.org",
    });
    const payload = JSON.stringify(event);
    const signature = signPayload(payload, DEMO_WEBHOOK_SECRET);
    const hook = await fetch(`${server.url}/webhooks/stripe`, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": signature },
      body: payload,
    });
    expect(hook.status).toBe(200);
    await hook.arrayBuffer();
    const bad = await fetch(`${server.url}/webhooks/stripe`, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=deadbeefdeadbeefdeadbeef" },
      body: payload,
    });
    expect(bad.status).toBe(400);
    await bad.arrayBuffer();

    const lines = await until("the request lines", () => {
      const all = jsonLines(server.output());
      return all.some((l) => l.path === "/webhooks/stripe" && l.status === 400) && all;
    });
    const campaignLine = lines.find((l) => l.requestId === "ops-test-0001" && l.path !== undefined)!;
    expect(campaignLine).toMatchObject({
      level: "info",
      method: "GET",
      path: `/campagnes/${campaign.slug}`,
      route: "/campagnes/:slug",
      status: 200,
    });
    expect(campaignLine.durationMs).toEqual(expect.any(Number));
    expect(lines.find((l) => l.path === "/mon-compte")).toMatchObject({ route: "/mon-compte", status: 200 });
    // The webhook job says what it did, inside the request (same id).
    const applied = lines.find((l) => l.job === "webhooks" && l.eventId === event.id)!;
    expect(applied).toMatchObject({ level: "info", type: "customer.created", outcome: "ignored" });
    const webhookRequest = lines.find((l) => l.path === "/webhooks/stripe" && l.status === 200)!;
    expect(applied.requestId).toBe(webhookRequest.requestId);
    expect(lines.some((l) => l.job === "webhooks" && l.level === "warn")).toBe(true);

    const text = server.output();
    const session_token = session.split("=")[1]!;
    for (const secret of [
      email,
      "fuite@example.org",
      "donatrice.privee@example.org",
      "client.stripe@example.org",
      "@example.org",
      code,
      session_token,
      bearer,
      signature,
      "deadbeefdeadbeef",
      DEMO_WEBHOOK_SECRET,
      card,
      "4242424242424242",
    ]) {
      expect(text, `a log line holds ${secret}`).not.toContain(secret);
    }
  });

  it("counts the page cache's hits, shared and own renders, and its splices, in /metrics", async () => {
    const slug = withDb(
      (db) =>
        (
          db.prepare("select slug from campaigns where status = 'live' order by id desc limit 1").get() as {
            slug: string;
          }
        ).slug,
    );
    const page = `${server.url}/campagnes/${slug}?metriques=1`;
    const read = async () => parseMetrics(await (await fetch(`${server.url}/metrics`)).text());
    const before = await read();
    // Eight concurrent first requests: one renders, the others wait for it and are served its page.
    const first = await Promise.all(Array.from({ length: 8 }, () => fetch(page)));
    const labels = await Promise.all(
      first.map(async (r) => (await r.arrayBuffer(), r.headers.get("x-page-cache"))),
    );
    const again = await fetch(page);
    await again.arrayBuffer();
    expect(again.headers.get("x-page-cache")).toBe("hit");
    const after = await read();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      total(after, name, labels) - total(before, name, labels);
    // A render is a full one (« miss ») or, for a stale page whose money alone changed, a splice (034).
    const own = labels.filter((l) => l === "miss" || l === "spliced");
    expect(own).toHaveLength(delta("propulsons_page_cache_renders_total"));
    expect(labels.filter((l) => l === "spliced")).toHaveLength(delta("propulsons_page_cache_splices_total"));
    expect(labels.filter((l) => l === "miss").length).toBeGreaterThanOrEqual(1);
    expect(delta("propulsons_page_cache_requests_total", { outcome: "rendered" })).toBe(own.length);
    expect(delta("propulsons_page_cache_requests_total", { outcome: "shared" })).toBe(
      labels.filter((l) => l === "shared").length,
    );
    expect(delta("propulsons_page_cache_requests_total", { outcome: "hit" })).toBe(
      1 + labels.filter((l) => l === "hit").length,
    );
  });

  it("counts a payment's webhooks, the requests and a settlement pass's refunds in /metrics", async () => {
    // A live campaign with paid contributions, past its deadline for long and far from its goal: it fails.
    const failing = withDb((db) => {
      const row = db
        .prepare(
          `select c.id, count(k.id) as paid from campaigns c join contributions k on k.campaign_id = c.id and k.status = 'paid'
           where c.status = 'live' group by c.id order by c.id desc limit 1`,
        )
        .get() as { id: number; paid: number };
      return row;
    });
    expect(failing.paid).toBeGreaterThan(0);
    const paying = withDb(
      (db) =>
        db
          .prepare("select slug from campaigns where status = 'live' and id <> ? order by id limit 1")
          .get(failing.id) as {
          slug: string;
        },
    );

    const before = parseMetrics(await (await fetch(`${server.url}/metrics`)).text());
    const client = httpClient(server, outbox);
    const contributed = await client.call("POST", `/campagnes/${paying.slug}`, {
      form: { montant: "20", email: "paiement.metrique@example.org", nom: "Métrique" },
    });
    expect(contributed.status).toBe(303);
    const checkout = new URL(contributed.location!, server.url).pathname;
    const paid = await client.call("POST", checkout, { form: { intent: "pay" } });
    expect(paid.status).toBe(302);

    const day = 24 * 3600 * 1000;
    const startedLongAgo = new Date(Date.now() - 60 * day).toISOString();
    const endedLongAgo = new Date(Date.now() - 30 * day).toISOString();
    withDb((db) =>
      db
        .prepare("update campaigns set starts_at = ?, ends_at = ?, goal_cents = 100000000000 where id = ?")
        .run(startedLongAgo, endedLongAgo, failing.id),
    );
    await until("the campaign refunded", () =>
      withDb(
        (db) =>
          (db.prepare("select status from campaigns where id = ?").get(failing.id) as { status: string })
            .status === "failed" &&
          (
            db
              .prepare("select count(*) as n from contributions where campaign_id = ? and status = 'paid'")
              .get(failing.id) as { n: number }
          ).n === 0,
      ),
    );
    // A pending e-mail not yet due, created an hour ago: the outbox gauges see it.
    const hourAgo = new Date(Date.now() - 3600 * 1000).toISOString();
    withDb((db) =>
      db
        .prepare(
          `insert into email_outbox (kind, to_email, payload_json, idempotency_key, status, attempts, next_attempt_at, created_at)
           values ('campaign_status_holder', 'file@example.org', '{}', 'ops-test-gauge', 'pending', 0, '2999-01-01T00:00:00.000Z', ?)`,
        )
        .run(hourAgo),
    );
    // The pass that refunded is counted when it ends: scrape until it is (bounded), then check.
    let after: Sample[] = [];
    for (let i = 0; i < 50; i++) {
      after = parseMetrics(await (await fetch(`${server.url}/metrics`)).text());
      if (
        total(after, "propulsons_refunds_total") - total(before, "propulsons_refunds_total") >=
        failing.paid
      )
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const pendingInDb = withDb(
      (db) =>
        (db.prepare("select count(*) as n from email_outbox where status = 'pending'").get() as { n: number })
          .n,
    );
    const delta = (name: string, labels: Record<string, string> = {}) =>
      total(after, name, labels) - total(before, name, labels);

    // The payment: one Checkout session completed, processed once; its two events answered 200.
    expect(
      delta("propulsons_webhook_events_total", { type: "checkout.session.completed", outcome: "processed" }),
    ).toBe(1);
    expect(delta("propulsons_webhook_events_total")).toBe(2);
    expect(
      delta("propulsons_http_request_duration_seconds_count", {
        method: "POST",
        route: "/webhooks/stripe",
        status: "200",
      }),
    ).toBe(2);
    expect(
      delta("propulsons_http_request_duration_seconds_count", {
        method: "POST",
        route: "/campagnes/:slug",
        status: "303",
      }),
    ).toBe(1);
    expect(
      delta("propulsons_http_request_duration_seconds_count", {
        method: "POST",
        route: "/demo/checkout/:id",
        status: "302",
      }),
    ).toBe(1);
    // The first test's refused signature and ignored event were counted too.
    expect(total(after, "propulsons_webhook_events_total", { outcome: "invalid_signature" })).toBe(1);
    expect(
      total(after, "propulsons_webhook_events_total", { type: "customer.created", outcome: "ignored" }),
    ).toBe(1);

    // The settlement: every paid contribution of the failed campaign refunded, in passes counted and timed.
    expect(delta("propulsons_refunds_total")).toBe(failing.paid);
    expect(delta("propulsons_refunds_total", { outcome: "failed" })).toBe(0);
    const passes = total(after, "propulsons_settlement_passes_total");
    expect(passes).toBeGreaterThan(total(before, "propulsons_settlement_passes_total"));
    expect(total(after, "propulsons_settlement_pass_duration_seconds_count")).toBe(passes);
    expect(total(after, "propulsons_settlement_passes_total", { outcome: "crashed" })).toBe(0);

    // The outbox, read from the database at scrape time.
    const depth = total(after, "propulsons_email_outbox_pending");
    expect(depth).toBeGreaterThanOrEqual(1);
    expect(depth).toBeLessThanOrEqual(pendingInDb + 5);
    expect(total(after, "propulsons_email_outbox_oldest_pending_age_seconds")).toBeGreaterThanOrEqual(3600);
    expect(total(after, "propulsons_email_outbox_oldest_pending_age_seconds")).toBeLessThan(3700);

    // Default process metrics, and every line of the exposition parsed.
    expect(total(after, "propulsons_process_resident_memory_bytes")).toBeGreaterThan(1_000_000);
    const settleLines = jsonLines(server.output()).filter(
      (l) => l.job === "règlement" && typeof l.refunded === "number",
    );
    expect(
      settleLines.reduce((s, l) => s + Number(l.refunded) + Number(l.refundsPending), 0),
    ).toBeGreaterThanOrEqual(failing.paid);
  }, 60_000);
});

describe("in production", () => {
  let server: RunningServer;
  let tmp: ReturnType<typeof tempDatabasePath>;
  const token = "ops-metrics-token-0123456789";

  beforeAll(async () => {
    tmp = tempDatabasePath("ops-prod", null);
    server = await startServer({
      DATABASE_PATH: tmp.file,
      PROPULSONS_ENV: "production",
      ...PRODUCTION_LEGAL_ENV,
      STRIPE_SECRET_KEY: "sk_test_opsProductionKey",
      STRIPE_WEBHOOK_SECRET: "whsec_opsProductionSecret",
      RESEND_API_KEY: "re_opsProductionKey",
      EMAIL_FROM: "Propulsons <ne-pas-repondre@propulsons.example>",
      PUBLIC_URL: "https://propulsons.example",
      CONTACT_EMAIL: "contact@propulsons.example",
      METRICS_TOKEN: token,
      SETTLE_INTERVAL_SECONDS: "0",
    });
  });

  afterAll(async () => {
    await server?.stop();
    tmp?.cleanup();
  });

  it("keeps /metrics behind METRICS_TOKEN (a French 404 otherwise) and logs JSON lines", async () => {
    const refused: Array<Record<string, string>> = [
      {},
      { authorization: "Bearer wrong-token-0123456789ab" },
      { authorization: token },
    ];
    for (const headers of refused) {
      const res = await fetch(`${server.url}/metrics`, { headers });
      expect(res.status).toBe(404);
      const body = await res.text();
      expect(body).toContain('lang="fr"');
      expect(body).not.toContain("propulsons_");
    }
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const samples = parseMetrics(await res.text());
    expect(
      total(samples, "propulsons_http_request_duration_seconds_count", { route: "/metrics", status: "404" }),
    ).toBe(3);

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe("ok");

    const lines = jsonLines(server.output());
    expect(lines.some((l) => typeof l.msg === "string" && l.msg.startsWith("Propulsons écoute sur"))).toBe(
      true,
    );
    expect(server.output()).not.toContain(token);
  });
});

describe("/healthz when the database does not answer", () => {
  it("answers 503 in French for a closed SQLite database", async () => {
    const tmp = tempDatabasePath("ops-health", null);
    try {
      const database = openDatabase(tmp.file);
      await sql`select 1`.execute(database.db);
      expect(await healthResponse(database)).toEqual({ status: 200, body: "ok" });
      await database.close();
      expect(await healthResponse(database)).toEqual({ status: 503, body: HEALTH_UNAVAILABLE });
    } finally {
      tmp.cleanup();
    }
  });

  it("answers 503 within its bound for a PostgreSQL server that accepts and never answers, or refuses", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as net.AddressInfo).port;
    const database = openDatabase(`postgres://propulsons:x@127.0.0.1:${port}/propulsons`);
    try {
      const started = Date.now();
      expect(await healthResponse(database, 500)).toEqual({ status: 503, body: HEALTH_UNAVAILABLE });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
      void database.close().catch(() => undefined);
    }
    const closedPort = await new Promise<number>((r) => {
      const probe = net.createServer();
      probe.listen(0, "127.0.0.1", () => {
        const p = (probe.address() as net.AddressInfo).port;
        probe.close(() => r(p));
      });
    });
    const refused = openDatabase(`postgres://propulsons:x@127.0.0.1:${closedPort}/propulsons`);
    try {
      expect(await healthResponse(refused)).toEqual({ status: 503, body: HEALTH_UNAVAILABLE });
    } finally {
      await refused.close().catch(() => undefined);
    }
  });
});

describe("the logger", () => {
  it("masks addresses, keys, cookies, card numbers and sensitive fields whoever logs them", () => {
    let captured = "";
    const sink = new Writable({
      write(chunk, _enc, done) {
        captured += String(chunk);
        done();
      },
    });
    const log = createLogger({ format: "json", level: "info" }, sink);
    log.info(
      {
        email: "a.b@example.org",
        headers: { cookie: "__session=abc" },
        nested: { to: "c@example.org", token: "t0k3n" },
      },
      "envoi à d@example.org avec sk_live_ABCDEF123456 et whsec_ABCDEF123 ; carte 4000 0027 6000 3184",
    );
    log.error(new Error("Resend a refusé e@example.org (re_ABCDEFGH12345)"), "échec");
    log.info("Authorization: Bearer abc.def.ghi, cookie __session=zzz; identifiant 1732900000000");
    const lines = captured
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(captured).not.toMatch(
      /@example\.org|ABCDEF|re_ABCDEFGH|abc\.def|__session=abc|__session=zzz|t0k3n|4000 0027/,
    );
    expect(lines[0]).toMatchObject({
      email: "[masqué]",
      headers: "[masqué]",
      nested: { to: "[masqué]", token: "[masqué]" },
    });
    expect(lines[0]!.msg).toContain("[adresse masquée]");
    expect(lines[0]!.msg).toContain("[carte masquée]");
    expect(lines[1]).toMatchObject({ level: "error", msg: "échec", err: { type: "Error" } });
    // Not a card number (fails Luhn): left as it is.
    expect(lines[2]!.msg).toContain("1732900000000");
  });
});
