/**
 * `npm run bench:settle`: how long the real settlement command (scripts/settle.ts,
 * run as a child process, default configuration) takes to refund a failed
 * campaign of N paid contributions (default 2 000) against the msw Stripe mock
 * set to answer like Stripe's documented live-mode limits
 * (STRIPE_MOCK_LIVE_LIMITS=1: 100 requests/s overall, 25 requests/s per
 * endpoint, 429 beyond, ~50 ms latency). The floor is N / 25 seconds (one
 * endpoint, POST /v1/refunds); the target is a wall time ≤ 1.1 × the floor.
 *
 * A benchmark, not a test: it prints figures, and fails (exit 1) only when the
 * result is wrong — the command failed, a contribution is not `refunded`, a
 * payment was refunded twice (or not at all) according to the mock's record
 * (STRIPE_MOCK_STATE_FILE), an error is left on a contribution, or the ledger
 * does not reconcile. Missing the 1.1 target is reported, not failed.
 *
 * The figure compared with the floor is the settlement pass as the command
 * times it (« Passe de règlement terminée en … s »): the decision (one
 * transaction that also queues one refund notice per contributor) and the
 * refunds. The command runs with --no-emails (the notices stay queued for the
 * server's paced e-mail worker); its whole wall time, tsx's start included, is
 * printed beside it. The « répartition » line splits the wall time from the
 * mock's record as it grows (polled every 100 ms).
 *
 * Options: --contributions N (default 2000, at most 10 000; 200 → floor 8 s).
 *
 * No network at all: the mock runs inside the child (msw intercepts
 * api.stripe.com and api.resend.com). The child is bounded (killed after
 * 3 × the floor + 120 s); every temporary file is removed at the end.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { readConfig } from "../app/config.server";
import { reconcile } from "../app/settlement/reconcile.server";
import { migrateToLatest, openDatabase } from "../db/connection";
import { tempDatabasePath } from "../tests/support/db";
import { cleanupStack, frInt, machineLine, plural, positiveInt, runBench, intOption } from "./bench-common";
import { parseCli } from "./cli";

/** Stripe's documented live-mode limit per endpoint, as the mock applies it (app/demo/stripe-api.server.ts). */
const PER_ENDPOINT_PER_SECOND = 25;
const TARGET_RATIO = 1.1;
const GOAL_CENTS = 1_000_000 * 100;
const AMOUNTS_EUROS = [5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 80, 100, 120, 150, 200];
const MAX_CONTRIBUTIONS = 10_000; // 10 000 × at most 200 € stays under the 1 000 000 € goal
const POLL_MS = 100;

// ---------------------------------------------------------------- options

const { values: args } = parseCli({
  command: "npm run bench:settle",
  synopsis: "[--contributions N]",
  description:
    "Durée du remboursement d'une campagne non financée de N contributions par la vraie commande\n" +
    "de règlement, face au Stripe de démonstration réglé sur les limites de Stripe en production.",
  options: {
    contributions: intOption(
      `contributions payées à rembourser (2000 par défaut, au plus ${MAX_CONTRIBUTIONS})`,
    ),
  },
});
const N = positiveInt("contributions", args.contributions, 2000, 1, MAX_CONTRIBUTIONS);

// ---------------------------------------------------------------- helpers

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// ---------------------------------------------------------------- the campaign

/** One failed-to-be campaign (settling, deadline passed) with `count` paid contributions and their ledger entries, in one transaction. */
async function prepare(
  file: string,
  count: number,
): Promise<{ campaignId: number; totalCents: number; paymentIntents: Set<string> }> {
  const database = openDatabase(file);
  try {
    await migrateToLatest(database.db);
    return await database.db.transaction().execute(async (trx) => {
      const now = Date.now();
      const day = 24 * 3600_000;
      const at = (t: number) => new Date(t).toISOString();
      const territory = await trx
        .selectFrom("territories")
        .select("id")
        .orderBy("id")
        .executeTakeFirstOrThrow();
      const theme = await trx.selectFrom("themes").select("id").orderBy("id").executeTakeFirstOrThrow();
      const holder = await trx
        .insertInto("users")
        .values({
          email: "porteur.bench@example.org",
          display_name: "Porteur Bench",
          role: "holder",
          created_at: at(now - 90 * day),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const org = await trx
        .insertInto("organizations")
        .values({
          owner_user_id: holder.id,
          name: "Association Bench",
          legal_form: "association",
          registration_number: null,
          town: "Arras",
          territory_id: territory.id,
          stripe_account_id: "acct_bench",
          stripe_payouts_enabled: 1,
          created_at: at(now - 90 * day),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const startsAt = now - 61 * day;
      const endsAt = now - 1 * day;
      const campaign = await trx
        .insertInto("campaigns")
        .values({
          organization_id: org.id,
          slug: "bench-reglement",
          title: "Campagne du banc d'essai du règlement",
          summary: "Une campagne non financée, pour mesurer les remboursements.",
          story_md: "Banc d'essai.",
          goal_cents: GOAL_CENTS,
          starts_at: at(startsAt),
          ends_at: at(endsAt),
          territory_id: territory.id,
          theme_id: theme.id,
          budget_citoyen_year: null,
          expected_results_md: "—",
          timetable_md: "—",
          image_path: null,
          status: "settling",
          featured: 0,
          created_at: at(now - 90 * day),
          updated_at: at(endsAt),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const rows = Array.from({ length: count }, (_, i) => {
        const paidAt = at(startsAt + Math.floor(((i + 0.5) / count) * (endsAt - startsAt)));
        return {
          campaign_id: campaign.id,
          user_id: null,
          email: `bench${i}@example.org`,
          public_name: `Bench ${i}`,
          amount_cents: AMOUNTS_EUROS[(i * 7) % AMOUNTS_EUROS.length]! * 100,
          reward_id: null,
          anonymous: 0 as const,
          hide_amount: 0 as const,
          message: null,
          status: "paid" as const,
          stripe_checkout_session_id: `cs_seed_bench_${i}`,
          stripe_payment_intent_id: `pi_seed_bench_${i}`,
          created_at: paidAt,
          paid_at: paidAt,
          updated_at: paidAt,
        };
      });
      let totalCents = 0;
      for (let i = 0; i < rows.length; i += 200) {
        const inserted = await trx
          .insertInto("contributions")
          .values(rows.slice(i, i + 200))
          .returning(["id", "amount_cents", "paid_at"])
          .execute();
        await trx
          .insertInto("ledger_entries")
          .values(
            inserted.map((k) => ({
              campaign_id: campaign.id,
              contribution_id: k.id,
              kind: "contribution_paid" as const,
              amount_cents: k.amount_cents,
              at: k.paid_at!,
            })),
          )
          .execute();
        totalCents += inserted.reduce((s, k) => s + k.amount_cents, 0);
      }
      if (totalCents >= GOAL_CENTS) throw new Error("total ≥ objectif : la campagne serait réussie");
      return {
        campaignId: campaign.id,
        totalCents,
        paymentIntents: new Set(rows.map((r) => r.stripe_payment_intent_id)),
      };
    });
  } finally {
    await database.close();
  }
}

// ---------------------------------------------------------------- the mock's record

interface StateRecord {
  type?: string;
  request?: { method?: string; path?: string };
  refund?: { payment_intent?: string };
  result?: { body?: { object?: string; payment_intent?: string } };
}

/** Follows the mock's JSONL record as the child appends to it: when the first request and the N-th refund appeared. */
class StateWatcher {
  private offset = 0;
  private rest = "";
  refunds = 0;
  firstRequestAt: number | null = null;
  lastRefundAt: number | null = null;
  constructor(private readonly file: string) {}
  poll(): void {
    let fd: number;
    try {
      fd = fs.openSync(this.file, "r");
    } catch {
      return; // not created yet
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= this.offset) return;
      const buffer = Buffer.alloc(size - this.offset);
      const read = fs.readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset += read;
      const lines = (this.rest + buffer.subarray(0, read).toString("utf8")).split("\n");
      this.rest = lines.pop() ?? "";
      const t = performance.now();
      for (const line of lines) {
        if (line.includes('"type":"request"') && this.firstRequestAt === null) this.firstRequestAt = t;
        // A refund created by a keyed request is stored with its idempotent answer.
        if (
          line.includes('"type":"refund"') ||
          (line.includes('"type":"idempotent"') && line.includes('"object":"refund"'))
        ) {
          this.refunds++;
          this.lastRefundAt = t;
        }
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}

function readState(file: string): StateRecord[] {
  if (!fs.existsSync(file)) return [];
  const out: StateRecord[] = [];
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as StateRecord);
    } catch {
      // a torn line: cannot happen here (the child exits normally), ignored like the mock does
    }
  }
  return out;
}

// ---------------------------------------------------------------- the run

let child: ChildProcess | undefined;
function killChild(): void {
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, "SIGKILL"); // its own process group: tsx and the node it starts
    } catch {
      // already gone
    }
  }
}

const { cleanups, cleanup } = cleanupStack("arrêt de la commande…", killChild);

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  lines: Array<{ t: number; stream: "out" | "err"; text: string }>;
  timedOut: boolean;
  /** performance.now() at spawn */
  startedAt: number;
}

function runSettle(env: NodeJS.ProcessEnv, watcher: StateWatcher, limitMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const lines: ChildRun["lines"] = [];
    let timedOut = false;
    let exitAt = 0;
    let lastProgress = 0;
    const started = performance.now();
    const c = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/settle.ts", "--no-emails"], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    child = c;
    const collect = (stream: "out" | "err") => {
      let rest = "";
      return (chunk: Buffer) => {
        const parts = (rest + chunk.toString("utf8")).split("\n");
        rest = parts.pop() ?? "";
        const t = performance.now() - started;
        for (const text of parts) lines.push({ t, stream, text });
      };
    };
    c.stdout.on("data", collect("out"));
    c.stderr.on("data", collect("err"));
    const poller = setInterval(() => {
      watcher.poll();
      const elapsed = performance.now() - started;
      if (elapsed - lastProgress >= 10_000) {
        lastProgress = elapsed;
        console.log(
          `  … ${secs(elapsed)} : ${frInt(watcher.refunds)} / ${frInt(N)} remboursements enregistrés par le mock`,
        );
      }
    }, POLL_MS);
    const timer = setTimeout(() => {
      timedOut = true;
      killChild();
    }, limitMs);
    c.once("error", (error) => {
      clearInterval(poller);
      clearTimeout(timer);
      reject(error);
    });
    c.once("exit", () => {
      exitAt = performance.now();
      watcher.poll();
    });
    c.once("close", (code, signal) => {
      clearInterval(poller);
      clearTimeout(timer);
      watcher.poll();
      resolve({
        code,
        signal,
        ms: (exitAt || performance.now()) - started,
        lines,
        timedOut,
        startedAt: started,
      });
    });
  });
}

async function main(): Promise<number> {
  const defaults = readConfig({} as NodeJS.ProcessEnv); // an empty environment: the defaults
  const floorMs = (N / PER_ENDPOINT_PER_SECOND) * 1000;
  const machine = machineLine();
  const scenario =
    `règlement d'une campagne non financée : ${frInt(N)} contributions payées, Stripe simulé aux limites du mode live ` +
    `(${PER_ENDPOINT_PER_SECOND} req/s par point d'accès, 100 req/s au total, ~50 ms)`;
  const configuration = `configuration : par défaut (REFUND_RATE_PER_SECOND=${defaults.refundRatePerSecond}, REFUND_CONCURRENCY=${defaults.refundConcurrency})`;
  console.log(machine);

  // 1. The database: a temporary file, migrated, one settling campaign.
  const tmp = tempDatabasePath("bench-settle");
  cleanups.push(() => tmp.cleanup());
  const dir = path.dirname(tmp.file);
  const outboxFile = path.join(dir, "demo-outbox.jsonl");
  const stateFile = path.join(dir, "stripe-mock-state.jsonl");
  const prepared = await prepare(tmp.file, N);
  console.log(
    `campagne préparée (id ${prepared.campaignId}) : ${frInt(N)} contributions payées, ${frInt(prepared.totalCents / 100)} € sur un objectif de ${frInt(GOAL_CENTS / 100)} €`,
  );

  // 2. The real command, default configuration: no REFUND_* (nor any key) inherited.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) {
    if (
      /^(REFUND_|STRIPE_|RESEND_|SETTLE_|EMAIL_|PUBLIC_URL$|PROPULSONS_ENV$|DATABASE_PATH$|DEMO_OUTBOX_PATH$|SEED_DEMO_DATA$)/.test(
        k,
      )
    )
      delete env[k];
  }
  Object.assign(env, {
    DATABASE_PATH: tmp.file,
    DEMO_OUTBOX_PATH: outboxFile,
    STRIPE_MOCK_LIVE_LIMITS: "1",
    STRIPE_MOCK_STATE_FILE: stateFile,
  });
  const limitMs = 3 * floorMs + 120_000;
  console.log(
    `lancement de tsx scripts/settle.ts --no-emails (plancher ${secs(floorMs)}, interrompu au-delà de ${secs(limitMs)})…`,
  );
  const watcher = new StateWatcher(stateFile);
  const run = await runSettle(env, watcher, limitMs);

  // 3. Checks.
  const problems: string[] = [];
  if (run.timedOut) problems.push(`commande interrompue après ${secs(limitMs)}`);
  else if (run.code !== 0) problems.push(`code de sortie ${run.code ?? run.signal}`);
  const bilan =
    [...run.lines].reverse().find((l) => l.stream === "out" && l.text.startsWith("Bilan"))?.text ?? null;
  if (bilan === null) problems.push("pas de ligne « Bilan » dans la sortie de la commande");

  const records = readState(stateFile);
  const refundRequests = records.filter(
    (r) => r.type === "request" && r.request?.method === "POST" && r.request.path === "/v1/refunds",
  ).length;
  const otherRequests = records.filter(
    (r) => r.type === "request" && !(r.request?.method === "POST" && r.request.path === "/v1/refunds"),
  ).length;
  const refundRecords = records
    .map((r) =>
      r.type === "refund"
        ? r
        : r.type === "idempotent" && r.result?.body?.object === "refund"
          ? { type: "refund", refund: r.result.body }
          : null,
    )
    .filter((r): r is StateRecord => r !== null);
  const perIntent = new Map<string, number>();
  for (const r of refundRecords) {
    const pi = r.refund?.payment_intent ?? "(inconnu)";
    perIntent.set(pi, (perIntent.get(pi) ?? 0) + 1);
  }
  const duplicates = [...perIntent.values()].filter((n) => n > 1).length;
  const missing = [...prepared.paymentIntents].filter((pi) => !perIntent.has(pi)).length;
  const strangers = [...perIntent.keys()].filter((pi) => !prepared.paymentIntents.has(pi)).length;
  if (refundRecords.length !== N)
    problems.push(
      `${frInt(refundRecords.length)} remboursements enregistrés par le mock (attendu ${frInt(N)})`,
    );
  if (duplicates > 0)
    problems.push(`${plural(duplicates, "paiement remboursé", "paiements remboursés")} plusieurs fois`);
  if (missing > 0)
    problems.push(`${plural(missing, "paiement", "paiements")} sans remboursement chez Stripe`);
  if (strangers > 0)
    problems.push(`${plural(strangers, "remboursement", "remboursements")} d'un paiement inconnu`);
  const rejected = refundRequests - refundRecords.length;

  const database = openDatabase(tmp.file);
  let statusLine: string;
  let reconcileLine: string;
  let attemptsSum: number;
  let refunded: number;
  let withError: number;
  try {
    const db = database.db;
    const campaign = await db
      .selectFrom("campaigns")
      .select("status")
      .where("id", "=", prepared.campaignId)
      .executeTakeFirstOrThrow();
    if (campaign.status !== "failed") problems.push(`campagne « ${campaign.status} » (attendu « failed »)`);
    const byStatus = await db
      .selectFrom("contributions")
      .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
      .where("campaign_id", "=", prepared.campaignId)
      .groupBy("status")
      .execute();
    refunded = Number(byStatus.find((s) => s.status === "refunded")?.n ?? 0);
    const others = byStatus
      .filter((s) => s.status !== "refunded")
      .map((s) => `${frInt(Number(s.n))} ${s.status}`);
    if (refunded !== N)
      problems.push(
        `${frInt(refunded)} contributions refunded (attendu ${frInt(N)}${others.length ? " ; " + others.join(", ") : ""})`,
      );
    const leftovers = await db
      .selectFrom("contributions")
      .select([
        (eb) => eb.fn.sum<number>("refund_attempts").as("attempts"),
        (eb) => eb.fn.count<number>("refund_last_error").as("errors"),
        (eb) => eb.fn.count<number>("refund_next_attempt_at").as("postponed"),
        (eb) => eb.fn.count<number>("stripe_refund_id").as("with_refund_id"),
      ])
      .where("campaign_id", "=", prepared.campaignId)
      .executeTakeFirstOrThrow();
    attemptsSum = Number(leftovers.attempts ?? 0);
    withError = Number(leftovers.errors);
    if (withError > 0)
      problems.push(`${plural(withError, "contribution garde", "contributions gardent")} refund_last_error`);
    if (Number(leftovers.postponed) > 0)
      problems.push(
        `${frInt(Number(leftovers.postponed))} remboursement(s) reporté(s) (refund_next_attempt_at)`,
      );
    if (Number(leftovers.with_refund_id) !== N)
      problems.push(
        `${frInt(Number(leftovers.with_refund_id))} contributions avec stripe_refund_id (attendu ${frInt(N)})`,
      );
    const ledgerRefunds = await db
      .selectFrom("ledger_entries")
      .select([
        (eb) => eb.fn.countAll<number>().as("n"),
        (eb) => eb.fn.sum<number>("amount_cents").as("total"),
      ])
      .where("campaign_id", "=", prepared.campaignId)
      .where("kind", "=", "refund")
      .executeTakeFirstOrThrow();
    if (Number(ledgerRefunds.n) !== N || Number(ledgerRefunds.total ?? 0) !== prepared.totalCents) {
      problems.push(
        `grand livre : ${frInt(Number(ledgerRefunds.n))} écritures « refund » pour ${frInt(Number(ledgerRefunds.total ?? 0))} centimes (attendu ${frInt(N)} pour ${frInt(prepared.totalCents)})`,
      );
    }
    const balances = await reconcile(db);
    const mine = balances.find((b) => b.campaignId === prepared.campaignId);
    const issues = balances.flatMap((b) => b.problems.map((p) => `${b.slug} : ${p}`));
    if (!mine) issues.push("campagne absente du rapprochement");
    reconcileLine =
      issues.length === 0 ? "rapprochement : OK" : `rapprochement : ÉCHEC — ${issues.join(" ; ")}`;
    if (issues.length > 0) problems.push("rapprochement en échec");
    statusLine =
      `remboursés : ${frInt(refunded)} / ${frInt(N)}, ` +
      (duplicates === 0 && missing === 0 && strangers === 0 && refundRecords.length === N
        ? "un seul remboursement par paiement"
        : `${frInt(refundRecords.length)} remboursements chez Stripe pour ${frInt(perIntent.size)} paiements (${frInt(duplicates)} en double, ${frInt(missing)} manquants)`) +
      `, ${plural(withError, "erreur", "erreurs")}`;
  } finally {
    await database.close();
  }

  // 4. Figures. The settlement itself is the pass the command times (« Passe de règlement
  // terminée en … s »): it excludes starting tsx; the notices are left to the e-mail worker,
  // both reported beside it.
  const passLine = run.lines.find(
    (l) => l.stream === "out" && l.text.startsWith("Passe de règlement terminée en"),
  )?.text;
  const passMatch = passLine?.match(/terminée en ([\d.]+) s/);
  const passMs = passMatch ? Number(passMatch[1]) * 1000 : null;
  if (passMs === null) problems.push("pas de ligne « Passe de règlement terminée en … s » dans la sortie");
  const ratio = (passMs ?? run.ms) / floorMs;
  let split = "";
  if (watcher.firstRequestAt !== null && watcher.lastRefundAt !== null) {
    // The watcher's instants are performance.now() values, like the child's start.
    const first = watcher.firstRequestAt - run.startedAt;
    const last = watcher.lastRefundAt - run.startedAt;
    const refundMs = last - first;
    split =
      `répartition : démarrage jusqu'à la 1re requête Stripe ${secs(first)}, remboursements ${secs(refundMs)} ` +
      `(${(refundRecords.length / (refundMs / 1000)).toFixed(1)} /s), puis fin ${secs(run.ms - last)} (à ±${POLL_MS} ms près)`;
  }

  console.log("");
  console.log(machine);
  console.log(scenario);
  console.log(configuration);
  console.log(
    `durée du règlement (la passe, remboursements compris) : ${passMs === null ? "?" : secs(passMs)}`,
  );
  console.log(
    `durée totale de la commande (démarrage de tsx compris, courriels laissés au serveur) : ${secs(run.ms)}`,
  );
  console.log(`plancher : ${secs(floorMs)} (${frInt(N)} / ${PER_ENDPOINT_PER_SECOND} par seconde)`);
  console.log(
    `ratio règlement / plancher : ${ratio.toFixed(2)} (objectif ≤ ${TARGET_RATIO}${ratio <= TARGET_RATIO ? "" : " : NON atteint"}) ; commande entière / plancher : ${(run.ms / floorMs).toFixed(2)}`,
  );
  if (split) console.log(split);
  if (statusLine) console.log(statusLine);
  console.log(`requêtes de remboursement : ${frInt(refundRequests)} (dont ${frInt(rejected)} réponses 429)`);
  console.log(
    `réessais après 429 : ${frInt(rejected)}` +
      (attemptsSum === rejected ? "" : ` (refund_attempts cumulés dans la base : ${frInt(attemptsSum)})`) +
      (otherRequests > 0 ? ` ; autres requêtes Stripe : ${frInt(otherRequests)}` : ""),
  );
  if (reconcileLine) console.log(reconcileLine);
  console.log(`sortie de la commande : ${bilan ?? "(aucune ligne « Bilan »)"}`);

  if (problems.length > 0) {
    console.log(`ÉCHEC : ${problems.join(" ; ")}`);
    const tail = run.lines.slice(-15).map((l) => `  ${l.stream === "err" ? "[err] " : ""}${l.text}`);
    if (tail.length > 0) console.error(`dernières lignes de la commande :\n${tail.join("\n")}`);
    return 1;
  }
  return 0;
}

await runBench("bench:settle", main, cleanup);
