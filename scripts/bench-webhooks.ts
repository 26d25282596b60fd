/**
 * `npm run bench:webhooks`: throughput of Stripe's `checkout.session.completed`
 * webhook on the built app (POST /webhooks/stripe, signature checked, one
 * database transaction per event that records the event id, marks the
 * contribution paid, writes the ledger entry and enqueues two emails), at
 * increasing concurrency, compared with the raw ceiling of better-sqlite3 on the
 * same machine (one transaction per event, three prepared statements).
 *
 * A benchmark, not a test: it prints figures, and fails (exit 1) only when a
 * request failed (non-2xx, network error, an outcome other than "processed"),
 * when a duplicate delivery was not answered "duplicate" or changed something,
 * or when the totals in the database are not exact to the cent.
 *
 * Options: --events N (measured events, split across the levels, default 6000),
 * --levels 1,8,32,64 (concurrency levels: requests in flight), --warmup N
 * (events posted one at a time before the measures, counted in the totals but
 * not in the figures; default 100).
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
import http from "node:http";
import path from "node:path";
import { performance } from "node:perf_hooks";
import SQLite from "better-sqlite3";
import { COLLECTED_STATUSES } from "../app/domain/contribution-status";
// Importing the app module works under tsx (tsconfig paths are honoured); it only
// pulls in stripe and the (lazily read) configuration.
import { DEMO_WEBHOOK_SECRET } from "../app/payments/stripe.server";
import { tempDatabasePath } from "../tests/support/db";
import type { RunningServer } from "../tests/support/server";
import { makeEvent } from "../tests/mocks/stripe";
import { signPayload } from "../tests/mocks/stripe-webhooks";
import {
  cleanupStack,
  firstLiveCampaign,
  frInt,
  machineLine,
  plural,
  positiveInt,
  runBench,
  startApp,
  stringOptions,
} from "./bench-common";

const TARGET_EVENTS_PER_SECOND = 500;
const DUPLICATE_SHARE = 0.05;
const REQUEST_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------- options

const args = stringOptions(["events", "levels", "warmup"]);
const LEVELS = (args.levels ?? "1,8,32,64").split(",").map((s) => positiveInt("levels", s.trim(), 1));
if (LEVELS.length === 0 || LEVELS.some((c) => c > 1024)) throw new Error("--levels : entre 1 et 1024 requêtes en vol");
const EVENTS = positiveInt("events", args.events, 6000, LEVELS.length);
const WARMUP = positiveInt("warmup", args.warmup, 100, 0);

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
      }
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
  const signed = batch.map((d) => ({ payload: d.payload, signature: signPayload(d.payload, DEMO_WEBHOOK_SECRET) }));
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const replies: Reply[] = new Array(signed.length);
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

function snapshot(file: string, campaignId: number): Snapshot {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const placeholders = COLLECTED_STATUSES.map(() => "?").join(", ");
    const c = db
      .prepare(
        `SELECT coalesce(sum(amount_cents), 0) AS total, count(*) AS n FROM contributions
         WHERE campaign_id = ? AND status IN (${placeholders})`
      )
      .get(campaignId, ...COLLECTED_STATUSES) as { total: number; n: number };
    const l = db
      .prepare(
        `SELECT count(*) AS n, coalesce(sum(amount_cents), 0) AS total FROM ledger_entries
         WHERE campaign_id = ? AND kind = 'contribution_paid'`
      )
      .get(campaignId) as { n: number; total: number };
    const allLedger = (db.prepare("SELECT count(*) FROM ledger_entries").pluck().get() as number) ?? 0;
    const events = db.prepare("SELECT count(*) FROM stripe_events").pluck().get() as number;
    const outbox = db.prepare("SELECT count(*) FROM email_outbox").pluck().get() as number;
    return {
      collectedCents: c.total,
      contributionsPaid: c.n,
      ledgerRows: allLedger,
      ledgerPaidCents: l.total,
      stripeEvents: events,
      outboxRows: outbox,
    };
  } finally {
    db.close();
  }
}

function sameSnapshot(a: Snapshot, b: Snapshot): string[] {
  const diffs: string[] = [];
  for (const key of Object.keys(a) as Array<keyof Snapshot>) {
    if (a[key] !== b[key]) diffs.push(`${key} ${a[key]} → ${b[key]}`);
  }
  return diffs;
}

/** Pending contributions, inserted in one transaction by a second connection. */
function preparePending(file: string, campaignId: number, count: number): Array<{ id: number; amountCents: number; sessionId: string; index: number }> {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const insert = db.prepare(
      `INSERT INTO contributions
         (campaign_id, user_id, email, public_name, amount_cents, reward_id, anonymous, hide_amount, message, status,
          stripe_checkout_session_id, created_at, updated_at, reward_hold)
       VALUES (?, NULL, ?, ?, ?, NULL, 0, 0, NULL, 'pending', ?, ?, ?, 0)`
    );
    const rows: Array<{ id: number; amountCents: number; sessionId: string; index: number }> = [];
    const now = new Date().toISOString();
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const amountCents = 1000 + (i % 50) * 100;
        const sessionId = `cs_test_bench_${i}`;
        const r = insert.run(campaignId, `bench${i}@example.org`, `Bench ${i}`, amountCents, sessionId, now, now);
        rows.push({ id: Number(r.lastInsertRowid), amountCents, sessionId, index: i });
      }
    })();
    return rows;
  } finally {
    db.close();
  }
}

/** Same rows, written by better-sqlite3 alone: one transaction per event, three prepared statements. */
function rawCeiling(file: string, deliveries: Delivery[], campaignId: number): { txPerSecond: number; seconds: number } {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    // The app's pragmas (db/connection.ts).
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    const insertEvent = db.prepare(
      "INSERT INTO stripe_events (id, type, created, processed_at) VALUES (?, 'checkout.session.completed', ?, ?) ON CONFLICT (id) DO NOTHING"
    );
    const markPaid = db.prepare(
      "UPDATE contributions SET status = 'paid', paid_at = ?, updated_at = ?, reward_hold = 0, stripe_payment_intent_id = ? WHERE id = ? AND status = 'pending'"
    );
    const insertLedger = db.prepare(
      "INSERT INTO ledger_entries (campaign_id, contribution_id, kind, amount_cents, at) VALUES (?, ?, 'contribution_paid', ?, ?)"
    );
    const apply = db.transaction((d: Delivery, i: number) => {
      const at = new Date().toISOString();
      if (insertEvent.run(`evt_raw_${i}`, Math.floor(Date.now() / 1000), at).changes !== 1) throw new Error("doublon inattendu");
      if (markPaid.run(at, at, `pi_raw_${i}`, d.contributionId).changes !== 1) throw new Error(`contribution ${d.contributionId} non mise à jour`);
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

// ---------------------------------------------------------------- the run

const { cleanups, cleanup } = cleanupStack("arrêt du serveur…");

async function main(): Promise<number> {
  let failed = false;
  const machine = machineLine();
  console.log(machine);
  console.log(
    `réglages: ${frInt(EVENTS)} événements mesurés, concurrences ${LEVELS.join(", ")}, ` +
      `${frInt(WARMUP)} événements de chauffe, ${Math.round(DUPLICATE_SHARE * 100)} % de doublons`
  );

  const tmp = tempDatabasePath("bench-webhooks");
  cleanups.push(() => tmp.cleanup());
  const dir = path.dirname(tmp.file);
  const outboxFile = path.join(dir, "demo-outbox.jsonl");
  const ceilingFile = path.join(dir, "ceiling.sqlite");

  // 1. The app (first start: migrates and seeds the demo data).
  const app: RunningServer = await startApp(cleanups, tmp.file, { DEMO_OUTBOX_PATH: outboxFile });
  const endpoint = new URL(`${app.url}/webhooks/stripe`);

  const campaign = firstLiveCampaign(tmp.file);

  // 2. Pending contributions (warm-up + measured), then a copy for the raw ceiling.
  const seeded = snapshot(tmp.file, campaign.id);
  const pending = preparePending(tmp.file, campaign.id, WARMUP + EVENTS);
  {
    const db = new SQLite(tmp.file, { fileMustExist: true });
    try {
      db.pragma("busy_timeout = 5000");
      db.prepare("VACUUM INTO ?").run(ceilingFile);
    } finally {
      db.close();
    }
  }

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
    return { contributionId: p.id, amountCents: p.amountCents, eventId: event.id, payload: JSON.stringify(event) };
  });
  const benchCents = deliveries.reduce((s, d) => s + d.amountCents, 0);
  console.log(
    `campagne: ${campaign.slug} (id ${campaign.id}), ${frInt(deliveries.length)} contributions en attente préparées ` +
      `(${euros(benchCents)}), charge utile ≈ ${frInt(deliveries[0]!.payload.length)} octets`
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
    const r = await runLevel(endpoint, slice, LEVELS[l]!);
    results.push(r);
    console.log(`  ${describeLevel(r, 5)}  [${r.seconds.toFixed(1)} s, max ${ms(r.max)}]`);
    if (r.firstErrors.length > 0) console.log(`    premières erreurs : ${r.firstErrors.join(" ; ")}`);
  }

  // 5. Duplicates: 5 % of the measured events, delivered again after the last level.
  const beforeDuplicates = snapshot(tmp.file, campaign.id);
  const dupCount = Math.round(measured.length * DUPLICATE_SHARE);
  const step = dupCount > 0 ? measured.length / dupCount : 1;
  const duplicates = Array.from({ length: dupCount }, (_, k) => measured[Math.floor(k * step)]!);
  const dup = await runLevel(endpoint, duplicates, LEVELS.at(-1)!);
  const afterDuplicates = snapshot(tmp.file, campaign.id);
  const dupAnswered = dup.outcomes.get("duplicate") ?? 0;
  const dupChanges = sameSnapshot(beforeDuplicates, afterDuplicates);
  const dupOk = dupAnswered === dupCount && dupChanges.length === 0;
  const duplicateLine =
    `doublons : ${frInt(dupCount)} renvoyés, ${frInt(dupAnswered)} « duplicate », ` +
    (dupChanges.length === 0 ? "aucun changement" : `CHANGEMENTS : ${dupChanges.join(", ")}`) +
    (dupAnswered === dupCount ? "" : ` — ÉCHEC (${dup.non2xx} non-2xx, ${dup.network} réseau, ${dup.processed} « processed »)`);
  console.log(`  ${duplicateLine}  [p50 ${ms(dup.p50)}, p99 ${ms(dup.p99)}]`);
  if (!dupOk) failed = true;

  // 6. Exactness, read from the database.
  const after = snapshot(tmp.file, campaign.id);
  const problems: string[] = [];
  const expectCollected = seeded.collectedCents + benchCents;
  if (after.collectedCents !== expectCollected)
    problems.push(`total payé ${euros(after.collectedCents)} (attendu ${euros(expectCollected)})`);
  if (after.ledgerPaidCents - seeded.ledgerPaidCents !== benchCents)
    problems.push(`grand livre +${euros(after.ledgerPaidCents - seeded.ledgerPaidCents)} (attendu +${euros(benchCents)})`);
  if (after.stripeEvents - seeded.stripeEvents !== deliveries.length)
    problems.push(`stripe_events +${after.stripeEvents - seeded.stripeEvents} (attendu +${deliveries.length})`);
  if (after.contributionsPaid - seeded.contributionsPaid !== deliveries.length)
    problems.push(`contributions payées +${after.contributionsPaid - seeded.contributionsPaid} (attendu +${deliveries.length})`);
  const ro2 = new SQLite(tmp.file, { readonly: true, fileMustExist: true });
  let outboxStatus = "";
  try {
    ro2.pragma("busy_timeout = 5000");
    const ids = JSON.stringify(deliveries.map((d) => d.contributionId));
    const ledger = ro2
      .prepare(
        `SELECT count(*) AS n, coalesce(sum(amount_cents), 0) AS total FROM ledger_entries
         WHERE kind = 'contribution_paid' AND contribution_id IN (SELECT value FROM json_each(?))`
      )
      .get(ids) as { n: number; total: number };
    if (ledger.n !== deliveries.length)
      problems.push(`écritures contribution_paid ${ledger.n} (attendu ${deliveries.length})`);
    if (ledger.total !== benchCents) problems.push(`somme des écritures ${euros(ledger.total)} (attendu ${euros(benchCents)})`);
    const events = ro2
      .prepare("SELECT count(*) FROM stripe_events WHERE id IN (SELECT value FROM json_each(?))")
      .pluck()
      .get(JSON.stringify(deliveries.map((d) => d.eventId))) as number;
    if (events !== deliveries.length) problems.push(`événements enregistrés ${events} (attendu ${deliveries.length})`);
    const paid = ro2
      .prepare(
        `SELECT count(*) FROM contributions WHERE status = 'paid' AND stripe_payment_intent_id LIKE 'pi_bench_%'
           AND id IN (SELECT value FROM json_each(?))`
      )
      .pluck()
      .get(ids) as number;
    if (paid !== deliveries.length) problems.push(`contributions payées ${paid} (attendu ${deliveries.length})`);
    const mails = ro2
      .prepare(
        `SELECT status, count(*) AS n FROM email_outbox WHERE idempotency_key IN
           (SELECT 'receipt:' || value FROM json_each(?) UNION ALL SELECT 'holder-new:' || value FROM json_each(?))
         GROUP BY status ORDER BY status`
      )
      .all(ids, ids) as Array<{ status: string; n: number }>;
    const queued = mails.reduce((s, m) => s + m.n, 0);
    if (queued !== 2 * deliveries.length) problems.push(`courriels en file ${queued} (attendu ${2 * deliveries.length})`);
    outboxStatus = mails.map((m) => `${frInt(m.n)} ${m.status}`).join(", ");
  } finally {
    ro2.close();
  }
  const exactLine =
    problems.length === 0
      ? `totaux exacts : OK (${euros(seeded.collectedCents)} + ${euros(benchCents)} = ${euros(after.collectedCents)}, ` +
        `${frInt(deliveries.length)} écritures, ${frInt(deliveries.length)} événements)`
      : `totaux exacts : ÉCHEC — ${problems.join(" ; ")}`;
  if (problems.length > 0) failed = true;

  // 7. Raw ceiling on the copy (same schema, same rows, app's pragmas).
  const ceiling = rawCeiling(ceilingFile, deliveries, campaign.id);

  // 8. Summary.
  const width = Math.max(...results.map((r) => frInt(r.rate).length));
  const reached = results.find((r) => errorsOf(r) === 0 && r.rate >= TARGET_EVENTS_PER_SECOND);
  const best = results.reduce((a, b) => (b.rate > a.rate ? b : a));
  const goal = reached
    ? `objectif ≥ ${TARGET_EVENTS_PER_SECOND} évén./s : atteint à la concurrence ${reached.concurrency} (${frInt(reached.rate)} évén./s, p99 ${ms(reached.p99)})`
    : `objectif ≥ ${TARGET_EVENTS_PER_SECOND} évén./s : NON atteint (au mieux ${frInt(best.rate)} évén./s à la concurrence ${best.concurrency}, ` +
      `${(best.rate / ceiling.txPerSecond * 100).toFixed(1)} % du plafond brut)`;
  console.log("");
  console.log(machine);
  console.log(`webhooks checkout.session.completed → /webhooks/stripe (campagne ${campaign.slug})`);
  for (const r of results) console.log(describeLevel(r, width));
  console.log(duplicateLine);
  console.log(exactLine);
  console.log(`courriels des événements à l'arrêt : ${outboxStatus || "aucun"}`);
  console.log(`plafond brut better-sqlite3 (1 transaction par événement) : ${frInt(ceiling.txPerSecond)} tx/s`);
  console.log(goal);

  if (results.some((r) => errorsOf(r) > 0)) failed = true;
  if (failed) {
    const log = app.output().trim().split("\n").slice(-10).join("\n");
    if (log) console.error(`dernières lignes du serveur :\n${log}`);
  }
  return failed ? 1 : 0;
}

await runBench("bench:webhooks", main, cleanup);
