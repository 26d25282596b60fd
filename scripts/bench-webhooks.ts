/**
 * `npm run bench:webhooks`: throughput of Stripe's `checkout.session.completed`
 * webhook on the built app (POST /webhooks/stripe, signature checked, one
 * database transaction per event that records the event id, marks the
 * contribution paid, writes the ledger entry and enqueues two emails), at
 * increasing concurrency, compared with the raw ceiling of the database on the
 * same machine (one transaction per event, three prepared statements): better-sqlite3
 * on one connection, or with --db pg node-postgres at each concurrency level (one
 * connection per transaction in flight).
 *
 * A benchmark, not a test: it prints figures, and fails (exit 1) only when a
 * request failed (non-2xx, network error, an outcome other than "processed"),
 * when a duplicate delivery was not answered "duplicate" or changed something,
 * or when the totals in the database are not exact to the cent.
 *
 * Options: --events N (measured events, split across the levels, default 6000),
 * --levels 1,8,32,64 (concurrency levels: requests in flight), --warmup N
 * (events posted one at a time before the measures, counted in the totals but
 * not in the figures; default 100), --db sqlite|pg (default sqlite; pg: a fresh database
 * on the server named by BENCH_DATABASE_URL, else TEST_DATABASE_URL, dropped at the end).
 *
 * The email worker runs as in production: every processed event kicks it (50 ms
 * debounce), and it renders and "sends" the two emails through the msw Resend
 * mock into a temporary DEMO_OUTBOX_PATH, in the same process as the webhook.
 * The worker cannot keep up with the webhooks (two renders per event), so its
 * backlog grows during the run and shares the server's event loop with them;
 * the summary says how many of the events' emails were sent by the end.
 *
 * Only 127.0.0.1 is ever targeted; every loop is bounded by the number of events.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import pg from "pg";
import { COLLECTED_STATUSES } from "../app/domain/contribution-status";
// Importing the app module works under tsx (tsconfig paths are honoured); it only
// pulls in stripe and the (lazily read) configuration.
import { DEMO_WEBHOOK_SECRET } from "../app/payments/stripe.server";
import type { RunningServer } from "../tests/support/server";
import { makeEvent } from "~/demo/stripe-api.server";
import { signPayload } from "~/demo/stripe-webhooks.server";
import {
  benchDatabase,
  benchDatabaseFile,
  cleanupStack,
  firstLiveCampaign,
  frInt,
  machineLine,
  plural,
  positiveInt,
  runBench,
  startApp,
  intOption,
  DB_OPTION,
  CPU_PROF_OPTION,
  cpuProfArgs,
  withDatabase,
  type CleanupStep,
} from "./bench-common";
import { parseCli } from "./cli";

/** The targets of issue 16 (docs/decisions/032-launch-spike.md): per database, at the best concurrency. */
const TARGET_EVENTS_PER_SECOND = { sqlite: 1000, pg: 500 } as const;
const DUPLICATE_SHARE = 0.05;
const REQUEST_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------- options

const { values: args } = parseCli({
  command: "npm run bench:webhooks",
  synopsis: "[--events N] [--levels 1,8,32,64] [--warmup N] [--db sqlite|pg] [--cpu-prof DIR]",
  description:
    "Webhooks checkout.session.completed signés traités par seconde par l'app construite, à\n" +
    "plusieurs niveaux de concurrence, comparés au plafond brut de la base. Un banc d'essai :\n" +
    "il affiche des chiffres.",
  options: {
    events: intOption("événements mesurés, répartis entre les niveaux (6000 par défaut)"),
    levels: {
      type: "string",
      value: "1,8,32,64",
      help: "niveaux de concurrence : requêtes en vol (1,8,32,64 par défaut)",
    },
    warmup: intOption("événements envoyés un par un avant les mesures (100 par défaut)"),
    db: DB_OPTION,
    "cpu-prof": CPU_PROF_OPTION,
  },
});
const LEVELS = (args.levels ?? "1,8,32,64").split(",").map((s) => positiveInt("levels", s.trim(), 1));
if (LEVELS.length === 0 || LEVELS.some((c) => c > 1024))
  throw new Error("--levels : entre 1 et 1024 requêtes en vol");
const EVENTS = positiveInt("events", args.events, 6000, LEVELS.length);
const WARMUP = positiveInt("warmup", args.warmup, 100, 0);
const DATABASE = await benchDatabase(args.db, "bench:webhooks");
/** connections of the PostgreSQL raw ceiling at most (the app's pool takes 10 more) */
const PG_CEILING_MAX_CONNECTIONS = 64;

// ---------------------------------------------------------------- helpers

const ms = (n: number) => `${n < 1 ? n.toFixed(2) : n.toFixed(1)} ms`;
const euros = (cents: number) =>
  `${frInt(Math.trunc(cents / 100))},${String(Math.abs(cents) % 100).padStart(2, "0")} €`;

/** Value at quantile q of an ascending array (nearest rank). */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

interface Delivery {
  /** contribution id */
  contributionId: number;
  amountCents: number;
  eventId: string;
  payload: string;
}

interface Reply {
  status: number;
  outcome: string | null;
  ms: number;
  error: string | null;
}

/** POST one signed event over a keep-alive agent; never rejects. */
function post(url: URL, agent: http.Agent, payload: string, signature: string): Promise<Reply> {
  return new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    const done = (r: Omit<Reply, "ms">) => {
      if (settled) return;
      settled = true;
      resolve({ ...r, ms: performance.now() - started });
    };
    const req = http.request(
      url,
      {
        method: "POST",
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
          "stripe-signature": signature,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (e) => done({ status: res.statusCode ?? 0, outcome: null, error: e.message }));
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          let outcome: string | null = null;
          if (status >= 200 && status < 300) {
            try {
              const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { outcome?: unknown };
              outcome = typeof body.outcome === "string" ? body.outcome : null;
            } catch {
              outcome = null;
            }
          }
          done({ status, outcome, error: null });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("délai dépassé")));
    req.on("error", (e) => done({ status: 0, outcome: null, error: e.message }));
    req.end(payload);
  });
}

interface LevelResult {
  concurrency: number;
  events: number;
  seconds: number;
  processed: number;
  outcomes: Map<string, number>;
  non2xx: number;
  network: number;
  p50: number;
  p99: number;
  max: number;
  rate: number;
  firstErrors: string[];
}

/**
 * Deliver `batch` with a fixed pool of `concurrency` requests in flight. Each
 * event is signed (fresh timestamp) just before the level starts, so signing is
 * not in the measured latencies.
 */
async function runLevel(endpoint: URL, batch: Delivery[], concurrency: number): Promise<LevelResult> {
  if (endpoint.hostname !== "127.0.0.1") throw new Error(`cible refusée (hors 127.0.0.1) : ${endpoint.href}`);
  const signed = batch.map((d) => ({
    payload: d.payload,
    signature: signPayload(d.payload, DEMO_WEBHOOK_SECRET),
  }));
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const replies = new Array<Reply>(signed.length);
  let next = 0;
  const started = performance.now();
  try {
    const workers = Array.from({ length: Math.min(concurrency, signed.length) }, async () => {
      // Bounded: each iteration consumes one index of the batch.
      while (next < signed.length) {
        const i = next++;
        const s = signed[i]!;
        replies[i] = await post(endpoint, agent, s.payload, s.signature);
      }
    });
    await Promise.all(workers);
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - started) / 1000;
  const outcomes = new Map<string, number>();
  let non2xx = 0;
  let network = 0;
  const firstErrors: string[] = [];
  for (const r of replies) {
    if (r.error !== null) {
      network += 1;
      if (firstErrors.length < 3) firstErrors.push(`réseau : ${r.error}`);
    } else if (r.status < 200 || r.status >= 300) {
      non2xx += 1;
      if (firstErrors.length < 3) firstErrors.push(`statut ${r.status}`);
    } else {
      const key = r.outcome ?? "(réponse illisible)";
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
  }
  const durations = replies.map((r) => r.ms).sort((a, b) => a - b);
  const processed = outcomes.get("processed") ?? 0;
  return {
    concurrency,
    events: batch.length,
    seconds,
    processed,
    outcomes,
    non2xx,
    network,
    p50: quantile(durations, 0.5),
    p99: quantile(durations, 0.99),
    max: durations.at(-1) ?? NaN,
    rate: processed / seconds,
    firstErrors,
  };
}

/** Requests that did not end as 2xx "processed". */
/** SQLite's group commit counters, read from the app's /metrics (open outside production); null on PostgreSQL. */
async function groupCommits(base: string): Promise<{ commits: number; transactions: number } | null> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const commits = /^propulsons_db_group_commits_total (\d+)/m.exec(text);
  const transactions = /^propulsons_db_grouped_transactions_total (\d+)/m.exec(text);
  return commits && transactions
    ? { commits: Number(commits[1]), transactions: Number(transactions[1]) }
    : null;
}

/** « , 6,2 événements par commit » between two readings of the counters (nothing on PostgreSQL). */
function groupedLine(
  before: { commits: number; transactions: number } | null,
  after: { commits: number; transactions: number } | null,
): string {
  if (!before || !after || after.commits === before.commits) return "";
  const per = (after.transactions - before.transactions) / (after.commits - before.commits);
  return `, ${per.toFixed(1).replace(".", ",")} événements par commit`;
}

function errorsOf(r: LevelResult): number {
  return r.events - r.processed;
}

function describeLevel(r: LevelResult, width: number): string {
  const errors = errorsOf(r);
  let detail = plural(errors, "erreur", "erreurs");
  if (errors > 0) {
    const other = [...r.outcomes].filter(([k]) => k !== "processed").map(([k, n]) => `${n} « ${k} »`);
    detail += ` : ${r.non2xx} non-2xx, ${r.network} réseau${other.length ? ", " + other.join(", ") : ""}`;
  }
  return (
    `concurrence ${String(r.concurrency).padStart(2)} : ${frInt(r.rate).padStart(width)} évén./s  ` +
    `p50 ${ms(r.p50)}  p99 ${ms(r.p99)}  (${plural(r.events, "événement", "événements")}, ${detail})`
  );
}

// ---------------------------------------------------------------- database side

interface Snapshot {
  collectedCents: number;
  contributionsPaid: number;
  ledgerRows: number;
  ledgerPaidCents: number;
  stripeEvents: number;
  outboxRows: number;
}

/** `values` in slices of `size` (long IN lists: SQLite and PostgreSQL both cap bound parameters). */
function chunks<T>(values: readonly T[], size = 1000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

async function snapshot(file: string, campaignId: number): Promise<Snapshot> {
  return withDatabase(file, async ({ db }) => {
    const c = await db
      .selectFrom("contributions")
      .select([
        sql<number>`coalesce(sum(amount_cents), 0)`.as("total"),
        (eb) => eb.fn.countAll<number>().as("n"),
      ])
      .where("campaign_id", "=", campaignId)
      .where("status", "in", [...COLLECTED_STATUSES])
      .executeTakeFirstOrThrow();
    const l = await db
      .selectFrom("ledger_entries")
      .select([
        sql<number>`coalesce(sum(amount_cents), 0)`.as("total"),
        (eb) => eb.fn.countAll<number>().as("n"),
      ])
      .where("campaign_id", "=", campaignId)
      .where("kind", "=", "contribution_paid")
      .executeTakeFirstOrThrow();
    const count = async (table: "ledger_entries" | "stripe_events" | "email_outbox") =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      collectedCents: Number(c.total),
      contributionsPaid: Number(c.n),
      ledgerRows: await count("ledger_entries"),
      ledgerPaidCents: Number(l.total),
      stripeEvents: await count("stripe_events"),
      outboxRows: await count("email_outbox"),
    };
  });
}

function sameSnapshot(a: Snapshot, b: Snapshot): string[] {
  const diffs: string[] = [];
  for (const key of Object.keys(a) as Array<keyof Snapshot>) {
    if (a[key] !== b[key]) diffs.push(`${key} ${a[key]} → ${b[key]}`);
  }
  return diffs;
}

/** Pending contributions, inserted in one transaction by a second connection. */
async function preparePending(
  file: string,
  campaignId: number,
  count: number,
): Promise<Array<{ id: number; amountCents: number; sessionId: string; index: number }>> {
  const now = new Date().toISOString();
  const rows = Array.from({ length: count }, (_, i) => ({
    index: i,
    amountCents: 1000 + (i % 50) * 100,
    sessionId: `cs_test_bench_${i}`,
  }));
  const ids = new Map<string, number>();
  await withDatabase(file, ({ db }) =>
    db.transaction().execute(async (trx) => {
      for (const slice of chunks(rows, 500)) {
        const inserted = await trx
          .insertInto("contributions")
          .values(
            slice.map((r) => ({
              campaign_id: campaignId,
              user_id: null,
              email: `bench${r.index}@example.org`,
              public_name: `Bench ${r.index}`,
              amount_cents: r.amountCents,
              reward_id: null,
              anonymous: 0 as const,
              hide_amount: 0 as const,
              message: null,
              status: "pending" as const,
              stripe_checkout_session_id: r.sessionId,
              created_at: now,
              updated_at: now,
              reward_hold: 0 as const,
            })),
          )
          .returning(["id", "stripe_checkout_session_id"])
          .execute();
        for (const row of inserted) ids.set(row.stripe_checkout_session_id!, row.id);
      }
    }),
  );
  return rows.map((r) => {
    const id = ids.get(r.sessionId);
    if (id === undefined) throw new Error(`contribution ${r.sessionId} non créée`);
    return { id, amountCents: r.amountCents, sessionId: r.sessionId, index: r.index };
  });
}

/**
 * The raw ceiling's database: a copy of the bench database with its pending contributions —
 * SQLite's VACUUM INTO a file, or a PostgreSQL database made from it as template (which no
 * connection may have open: the caller stops the app first). Removed by the cleanup.
 */
async function ceilingCopy(cleanups: CleanupStep[], file: string, dir: string): Promise<string> {
  if (DATABASE.server === null) {
    const ceilingFile = path.join(dir, "ceiling.sqlite");
    await withDatabase(file, async ({ sqlite }) => {
      sqlite!.prepare("VACUUM INTO ?").run(ceilingFile);
    });
    return ceilingFile;
  }
  const source = decodeURIComponent(new URL(file).pathname.slice(1));
  const name = `${source.slice(0, 50)}_plafond`;
  const server = DATABASE.server;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}" TEMPLATE "${source}"`);
  // As tests/support/db.ts drops its databases: a plain DROP first (it stops an autovacuum
  // worker, which WITH (FORCE) cannot), then WITH (FORCE) for connections still open.
  cleanups.push(async () => {
    try {
      await admin(`DROP DATABASE IF EXISTS "${name}"`);
      return;
    } catch {
      // still in use
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        return;
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  });
  const url = new URL(file);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Same rows, written by better-sqlite3 alone: one transaction per event, three prepared statements. */
function rawCeiling(
  file: string,
  deliveries: Delivery[],
  campaignId: number,
): { txPerSecond: number; seconds: number } {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    // The app's pragmas (db/connection.ts).
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    const insertEvent = db.prepare(
      "INSERT INTO stripe_events (id, type, created, processed_at) VALUES (?, 'checkout.session.completed', ?, ?) ON CONFLICT (id) DO NOTHING",
    );
    const markPaid = db.prepare(
      "UPDATE contributions SET status = 'paid', paid_at = ?, updated_at = ?, reward_hold = 0, stripe_payment_intent_id = ? WHERE id = ? AND status = 'pending'",
    );
    const insertLedger = db.prepare(
      "INSERT INTO ledger_entries (campaign_id, contribution_id, kind, amount_cents, at) VALUES (?, ?, 'contribution_paid', ?, ?)",
    );
    const apply = db.transaction((d: Delivery, i: number) => {
      const at = new Date().toISOString();
      if (insertEvent.run(`evt_raw_${i}`, Math.floor(Date.now() / 1000), at).changes !== 1)
        throw new Error("doublon inattendu");
      if (markPaid.run(at, at, `pi_raw_${i}`, d.contributionId).changes !== 1)
        throw new Error(`contribution ${d.contributionId} non mise à jour`);
      insertLedger.run(campaignId, d.contributionId, d.amountCents, at);
    });
    const started = performance.now();
    for (let i = 0; i < deliveries.length; i++) apply(deliveries[i]!, i);
    const seconds = (performance.now() - started) / 1000;
    return { txPerSecond: deliveries.length / seconds, seconds };
  } finally {
    db.close();
  }
}

interface CeilingLevel {
  concurrency: number;
  /** connections used (the level, at most PG_CEILING_MAX_CONNECTIONS) */
  connections: number;
  events: number;
  txPerSecond: number;
  seconds: number;
}

/**
 * Same rows and statements, written by node-postgres alone: one transaction per event (BEGIN,
 * the three statements prepared by name, COMMIT), `concurrency` transactions in flight on as
 * many connections, the deliveries split across the levels as the measured events are.
 * Connections are opened before each level's clock starts.
 */
async function rawCeilingPg(
  url: string,
  deliveries: Delivery[],
  campaignId: number,
  levels: number[],
): Promise<CeilingLevel[]> {
  const pool = new pg.Pool({
    connectionString: url,
    max: Math.min(PG_CEILING_MAX_CONNECTIONS, Math.max(...levels)),
  });
  const apply = async (client: pg.PoolClient, d: Delivery, i: number) => {
    const at = new Date().toISOString();
    await client.query("BEGIN");
    try {
      const event = await client.query({
        name: "ceiling_event",
        text: "INSERT INTO stripe_events (id, type, created, processed_at) VALUES ($1, 'checkout.session.completed', $2, $3) ON CONFLICT (id) DO NOTHING",
        values: [`evt_raw_${i}`, Math.floor(Date.now() / 1000), at],
      });
      if (event.rowCount !== 1) throw new Error("doublon inattendu");
      const paid = await client.query({
        name: "ceiling_paid",
        text: "UPDATE contributions SET status = 'paid', paid_at = $1, updated_at = $2, reward_hold = 0, stripe_payment_intent_id = $3 WHERE id = $4 AND status = 'pending'",
        values: [at, at, `pi_raw_${i}`, d.contributionId],
      });
      if (paid.rowCount !== 1) throw new Error(`contribution ${d.contributionId} non mise à jour`);
      await client.query({
        name: "ceiling_ledger",
        text: "INSERT INTO ledger_entries (campaign_id, contribution_id, kind, amount_cents, at) VALUES ($1, $2, 'contribution_paid', $3, $4)",
        values: [campaignId, d.contributionId, d.amountCents, at],
      });
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  };
  const results: CeilingLevel[] = [];
  try {
    const perLevel = Math.floor(deliveries.length / levels.length);
    let offset = 0;
    for (let l = 0; l < levels.length; l++) {
      const size = l === levels.length - 1 ? deliveries.length - offset : perLevel;
      const first = offset;
      offset += size;
      const connections = Math.min(levels[l]!, PG_CEILING_MAX_CONNECTIONS, size);
      const clients = await Promise.all(Array.from({ length: connections }, () => pool.connect()));
      let next = 0;
      const started = performance.now();
      try {
        await Promise.all(
          clients.map(async (client) => {
            // Bounded: each iteration consumes one index of the slice.
            while (next < size) {
              const i = first + next++;
              await apply(client, deliveries[i]!, i);
            }
          }),
        );
      } finally {
        for (const client of clients) client.release();
      }
      const seconds = (performance.now() - started) / 1000;
      results.push({
        concurrency: levels[l]!,
        connections,
        events: size,
        txPerSecond: size / seconds,
        seconds,
      });
    }
  } finally {
    await pool.end();
  }
  return results;
}

// ---------------------------------------------------------------- the run

const { cleanups, cleanup } = cleanupStack("arrêt du serveur…");

async function main(): Promise<number> {
  let failed = false;
  const machine = machineLine(DATABASE);
  console.log(machine);
  console.log(
    `réglages: ${frInt(EVENTS)} événements mesurés, concurrences ${LEVELS.join(", ")}, ` +
      `${frInt(WARMUP)} événements de chauffe, ${Math.round(DUPLICATE_SHARE * 100)} % de doublons`,
  );

  const file = benchDatabaseFile(cleanups, DATABASE, "bench-webhooks");
  // The demo outbox and SQLite's ceiling copy (a PostgreSQL database has no folder).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-bench-webhooks-"));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const outboxFile = path.join(dir, "demo-outbox.jsonl");

  // 1. The app (first start: migrates and seeds the demo data).
  let app: RunningServer = await startApp(
    cleanups,
    file,
    { DEMO_OUTBOX_PATH: outboxFile },
    cpuProfArgs(args["cpu-prof"]),
  );

  const campaign = await firstLiveCampaign(file);

  // 2. Pending contributions (warm-up + measured), then a copy for the raw ceiling. PostgreSQL
  // copies a database only while nobody is connected to it: the app is stopped and started again.
  const seeded = await snapshot(file, campaign.id);
  const pending = await preparePending(file, campaign.id, WARMUP + EVENTS);
  let ceilingTarget: string;
  if (DATABASE.server === null) {
    ceilingTarget = await ceilingCopy(cleanups, file, dir);
  } else {
    await app.stop();
    ceilingTarget = await ceilingCopy(cleanups, file, dir);
    app = await startApp(cleanups, file, { DEMO_OUTBOX_PATH: outboxFile }, cpuProfArgs(args["cpu-prof"]));
  }
  const endpoint = new URL(`${app.url}/webhooks/stripe`);

  // 3. Events as Stripe would send them.
  const deliveries: Delivery[] = pending.map((p) => {
    const event = makeEvent("checkout.session.completed", {
      id: p.sessionId,
      object: "checkout.session",
      status: "complete",
      payment_status: "paid",
      amount_total: p.amountCents,
      currency: "eur",
      client_reference_id: String(p.id),
      customer_email: `bench${p.index}@example.org`,
      metadata: { contribution_id: String(p.id), campaign_id: String(campaign.id) },
      payment_intent: `pi_bench_${p.index}`,
      mode: "payment",
      livemode: false,
    });
    return {
      contributionId: p.id,
      amountCents: p.amountCents,
      eventId: event.id,
      payload: JSON.stringify(event),
    };
  });
  const benchCents = deliveries.reduce((s, d) => s + d.amountCents, 0);
  console.log(
    `campagne: ${campaign.slug} (id ${campaign.id}), ${frInt(deliveries.length)} contributions en attente préparées ` +
      `(${euros(benchCents)}), charge utile ≈ ${frInt(deliveries[0]!.payload.length)} octets`,
  );

  // 4. Warm-up, then the levels, each with its own slice.
  if (WARMUP > 0) {
    const w = await runLevel(endpoint, deliveries.slice(0, WARMUP), 1);
    console.log(`  chauffe        : ${frInt(w.rate)} évén./s, ${plural(errorsOf(w), "erreur", "erreurs")}`);
    if (errorsOf(w) > 0) {
      failed = true;
      console.log(`    premières erreurs : ${w.firstErrors.join(" ; ")}`);
    }
  }
  const measured = deliveries.slice(WARMUP);
  const perLevel = Math.floor(measured.length / LEVELS.length);
  const results: LevelResult[] = [];
  let offset = 0;
  for (let l = 0; l < LEVELS.length; l++) {
    const size = l === LEVELS.length - 1 ? measured.length - offset : perLevel;
    const slice = measured.slice(offset, offset + size);
    offset += size;
    const groupedBefore = await groupCommits(app.url);
    const r = await runLevel(endpoint, slice, LEVELS[l]!);
    results.push(r);
    const grouped = groupedLine(groupedBefore, await groupCommits(app.url));
    console.log(`  ${describeLevel(r, 5)}  [${r.seconds.toFixed(1)} s, max ${ms(r.max)}${grouped}]`);
    if (r.firstErrors.length > 0) console.log(`    premières erreurs : ${r.firstErrors.join(" ; ")}`);
  }

  // 5. Duplicates: 5 % of the measured events, delivered again after the last level.
  const beforeDuplicates = await snapshot(file, campaign.id);
  const dupCount = Math.round(measured.length * DUPLICATE_SHARE);
  const step = dupCount > 0 ? measured.length / dupCount : 1;
  const duplicates = Array.from({ length: dupCount }, (_, k) => measured[Math.floor(k * step)]!);
  const dup = await runLevel(endpoint, duplicates, LEVELS.at(-1)!);
  const afterDuplicates = await snapshot(file, campaign.id);
  const dupAnswered = dup.outcomes.get("duplicate") ?? 0;
  const dupChanges = sameSnapshot(beforeDuplicates, afterDuplicates);
  const dupOk = dupAnswered === dupCount && dupChanges.length === 0;
  const duplicateLine =
    `doublons : ${frInt(dupCount)} renvoyés, ${frInt(dupAnswered)} « duplicate », ` +
    (dupChanges.length === 0 ? "aucun changement" : `CHANGEMENTS : ${dupChanges.join(", ")}`) +
    (dupAnswered === dupCount
      ? ""
      : ` — ÉCHEC (${dup.non2xx} non-2xx, ${dup.network} réseau, ${dup.processed} « processed »)`);
  console.log(`  ${duplicateLine}  [p50 ${ms(dup.p50)}, p99 ${ms(dup.p99)}]`);
  if (!dupOk) failed = true;

  // 6. Exactness, read from the database.
  const after = await snapshot(file, campaign.id);
  const problems: string[] = [];
  const expectCollected = seeded.collectedCents + benchCents;
  if (after.collectedCents !== expectCollected)
    problems.push(`total payé ${euros(after.collectedCents)} (attendu ${euros(expectCollected)})`);
  if (after.ledgerPaidCents - seeded.ledgerPaidCents !== benchCents)
    problems.push(
      `grand livre +${euros(after.ledgerPaidCents - seeded.ledgerPaidCents)} (attendu +${euros(benchCents)})`,
    );
  if (after.stripeEvents - seeded.stripeEvents !== deliveries.length)
    problems.push(
      `stripe_events +${after.stripeEvents - seeded.stripeEvents} (attendu +${deliveries.length})`,
    );
  if (after.contributionsPaid - seeded.contributionsPaid !== deliveries.length)
    problems.push(
      `contributions payées +${after.contributionsPaid - seeded.contributionsPaid} (attendu +${deliveries.length})`,
    );
  let outboxStatus = "";
  await withDatabase(file, async ({ db }) => {
    const ids = deliveries.map((d) => d.contributionId);
    let ledgerN = 0;
    let ledgerTotal = 0;
    let events = 0;
    let paid = 0;
    const mails = new Map<string, number>();
    for (const slice of chunks(ids)) {
      const ledger = await db
        .selectFrom("ledger_entries")
        .select([
          sql<number>`coalesce(sum(amount_cents), 0)`.as("total"),
          (eb) => eb.fn.countAll<number>().as("n"),
        ])
        .where("kind", "=", "contribution_paid")
        .where("contribution_id", "in", slice)
        .executeTakeFirstOrThrow();
      ledgerN += Number(ledger.n);
      ledgerTotal += Number(ledger.total);
      const p = await db
        .selectFrom("contributions")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("status", "=", "paid")
        .where("stripe_payment_intent_id", "like", "pi_bench_%")
        .where("id", "in", slice)
        .executeTakeFirstOrThrow();
      paid += Number(p.n);
      const keys = slice.flatMap((id) => [`receipt:${id}`, `holder-new:${id}`]);
      const byStatus = await db
        .selectFrom("email_outbox")
        .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
        .where("idempotency_key", "in", keys)
        .groupBy("status")
        .execute();
      for (const m of byStatus) mails.set(m.status, (mails.get(m.status) ?? 0) + Number(m.n));
    }
    for (const slice of chunks(deliveries.map((d) => d.eventId))) {
      const e = await db
        .selectFrom("stripe_events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("id", "in", slice)
        .executeTakeFirstOrThrow();
      events += Number(e.n);
    }
    if (ledgerN !== deliveries.length)
      problems.push(`écritures contribution_paid ${ledgerN} (attendu ${deliveries.length})`);
    if (ledgerTotal !== benchCents)
      problems.push(`somme des écritures ${euros(ledgerTotal)} (attendu ${euros(benchCents)})`);
    if (events !== deliveries.length)
      problems.push(`événements enregistrés ${events} (attendu ${deliveries.length})`);
    if (paid !== deliveries.length)
      problems.push(`contributions payées ${paid} (attendu ${deliveries.length})`);
    const byStatus = [...mails].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const queued = byStatus.reduce((s, [, n]) => s + n, 0);
    if (queued !== 2 * deliveries.length)
      problems.push(`courriels en file ${queued} (attendu ${2 * deliveries.length})`);
    outboxStatus = byStatus.map(([status, n]) => `${frInt(n)} ${status}`).join(", ");
  });
  const exactLine =
    problems.length === 0
      ? `totaux exacts : OK (${euros(seeded.collectedCents)} + ${euros(benchCents)} = ${euros(after.collectedCents)}, ` +
        `${frInt(deliveries.length)} écritures, ${frInt(deliveries.length)} événements)`
      : `totaux exacts : ÉCHEC — ${problems.join(" ; ")}`;
  if (problems.length > 0) failed = true;

  // 7. Raw ceiling on the copy (same schema, same rows; SQLite: the app's pragmas).
  let ceilingLine: string;
  /** the ceiling to compare the level `results[l]` with */
  let ceilingAt: (l: number) => number;
  if (DATABASE.server === null) {
    const ceiling = rawCeiling(ceilingTarget, deliveries, campaign.id);
    ceilingLine = `plafond brut better-sqlite3 (1 transaction par événement) : ${frInt(ceiling.txPerSecond)} tx/s`;
    ceilingAt = () => ceiling.txPerSecond;
  } else {
    const ceiling = await rawCeilingPg(ceilingTarget, deliveries, campaign.id, LEVELS);
    const levelsText = ceiling
      .map(
        (c) =>
          `${frInt(c.txPerSecond)} tx/s à la concurrence ${c.concurrency}` +
          (c.connections < c.concurrency ? ` (${c.connections} connexions)` : ""),
      )
      .join(", ");
    ceilingLine = `plafond brut node-postgres (1 transaction par événement, 1 connexion par transaction en vol) : ${levelsText}`;
    ceilingAt = (l) => ceiling[l]!.txPerSecond;
  }

  // 8. Summary.
  const width = Math.max(...results.map((r) => frInt(r.rate).length));
  const target = TARGET_EVENTS_PER_SECOND[DATABASE.server === null ? "sqlite" : "pg"];
  const reached = results.find((r) => errorsOf(r) === 0 && r.rate >= target);
  const best = results.reduce((a, b) => (b.rate > a.rate ? b : a));
  const goal = reached
    ? `objectif ≥ ${target} évén./s : atteint à la concurrence ${reached.concurrency} (${frInt(reached.rate)} évén./s, p99 ${ms(reached.p99)})`
    : `objectif ≥ ${target} évén./s : NON atteint (au mieux ${frInt(best.rate)} évén./s à la concurrence ${best.concurrency}, ` +
      `${((best.rate / ceilingAt(results.indexOf(best))) * 100).toFixed(1)} % du plafond brut)`;
  console.log("");
  console.log(machine);
  console.log(`webhooks checkout.session.completed → /webhooks/stripe (campagne ${campaign.slug})`);
  for (const r of results) console.log(describeLevel(r, width));
  console.log(duplicateLine);
  console.log(exactLine);
  console.log(`courriels des événements à l'arrêt : ${outboxStatus || "aucun"}`);
  console.log(ceilingLine);
  console.log(goal);

  if (results.some((r) => errorsOf(r) > 0)) failed = true;
  if (failed) {
    const log = app.output().trim().split("\n").slice(-10).join("\n");
    if (log) console.error(`dernières lignes du serveur :\n${log}`);
  }
  return failed ? 1 : 0;
}

await runBench("bench:webhooks", main, cleanup);
