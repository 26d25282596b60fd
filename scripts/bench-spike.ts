/**
 * `npm run bench:spike`: a launch spike. One campaign page read without pause by anonymous
 * visitors and by signed-in visitors (real sessions), while signed `checkout.session.completed`
 * webhooks arrive at a steady rate through the real POST /webhooks/stripe, on that campaign and
 * on the others. Three phases: quiet (no payment), payments, quiet again; the page's requests/s
 * and p50/p99 in each, the ratio payments / quiet, the payments/s actually applied.
 *
 * Freshness: after a sample of the campaign's webhooks answered 200, the page is read at once
 * (anonymously, i.e. through the page cache): it must show at least every amount whose webhook
 * had answered before that read was sent. Stale reads are counted; any fails the run (exit 1),
 * as do request errors or totals in the database that differ from what was sent.
 *
 * Options: --duration N (s of payments, default 60), --quiet N (s of each quiet phase, default 10),
 * --rate N (payments/s, default 125), --share N (% of the payments on the read campaign, default
 * 80: 100 payments/s on it, 25 on the others), --anonymous N and --signed-in N (concurrent readers, default 10 and 2), --db sqlite|pg
 * (pg: a fresh database on the server named by BENCH_DATABASE_URL, else TEST_DATABASE_URL).
 *
 * The load (readers and webhooks) comes from this process, the app runs in its own, as in
 * bench:pages. Only 127.0.0.1 is ever targeted; every loop is bounded by the phases' durations.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { COLLECTED_STATUSES } from "../app/domain/contribution-status";
import { DEMO_WEBHOOK_SECRET } from "../app/payments/stripe.server";
import { createSession } from "~/auth.server";
import { makeEvent } from "~/demo/stripe-api.server";
import { signPayload } from "~/demo/stripe-webhooks.server";
import {
  benchDatabase,
  benchDatabaseFile,
  cleanupStack,
  collectedCents,
  firstLiveCampaign,
  frInt,
  intOption,
  machineLine,
  plural,
  positiveInt,
  runBench,
  startApp,
  withDatabase,
  DB_OPTION,
  CPU_PROF_OPTION,
  cpuProfArgs,
} from "./bench-common";
import { parseCli } from "./cli";

const { values: args } = parseCli({
  command: "npm run bench:spike",
  synopsis:
    "[--duration N] [--quiet N] [--rate N] [--share N] [--anonymous N] [--signed-in N] [--db sqlite|pg] [--cpu-prof DIR]",
  description:
    "Pic de lancement : une page de campagne lue sans arrêt par des visiteurs anonymes et connectés\n" +
    "pendant que des webhooks de paiement signés arrivent à débit constant. Un banc d'essai : il\n" +
    "affiche des chiffres, et échoue si une lecture est périmée ou si les totaux sont faux.",
  options: {
    duration: intOption("secondes de paiements (60 par défaut)"),
    quiet: intOption("secondes de chaque phase calme, avant et après (10 par défaut)"),
    rate: intOption("paiements par seconde (125 par défaut)"),
    share: intOption("% des paiements sur la campagne lue (80 par défaut : 100/s sur elle)"),
    anonymous: intOption("lecteurs anonymes simultanés (10 par défaut)"),
    "signed-in": intOption("lecteurs connectés simultanés (2 par défaut)"),
    db: DB_OPTION,
    "cpu-prof": CPU_PROF_OPTION,
  },
});
const DURATION = positiveInt("duration", args.duration, 60);
const QUIET = positiveInt("quiet", args.quiet, 10);
const RATE = positiveInt("rate", args.rate, 125, 1, 2000);
const SHARE = positiveInt("share", args.share, 80, 0, 100);
const ANONYMOUS = positiveInt("anonymous", args.anonymous, 10, 0, 256);
const SIGNED_IN = positiveInt("signed-in", args["signed-in"], 2, 0, 64);
const DATABASE = await benchDatabase(args.db, "bench:spike");
/** every how many payments on the read campaign the page is read at once after the 200 */
const FRESHNESS_EVERY = 5;
const MAX_IN_FLIGHT = 256;

type Phase = "quiet" | "payments";

interface Sample {
  phase: Phase;
  ms: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1]!;
}
const ms = (n: number) => (Number.isNaN(n) ? "—" : `${n < 10 ? n.toFixed(1) : frInt(n)} ms`);
const euros = (cents: number) =>
  `${frInt(Math.trunc(cents / 100))},${String(Math.abs(cents) % 100).padStart(2, "0")} €`;

function request(
  url: URL,
  agent: http.Agent,
  options: { method?: "GET" | "POST"; headers?: Record<string, string | number>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  if (url.hostname !== "127.0.0.1") return Promise.reject(new Error(`cible refusée : ${url.href}`));
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method ?? "GET", agent, timeout: 30_000, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("délai dépassé")));
    req.on("error", reject);
    req.end(options.body);
  });
}

const { cleanups, cleanup } = cleanupStack("arrêt du serveur…");

/** The page cache's counters, read from the app's /metrics (open outside production). */
async function cacheCounters(base: string, agent: http.Agent): Promise<Record<string, number>> {
  const r = await request(new URL(`${base}/metrics`), agent);
  const out: Record<string, number> = {};
  for (const m of r.body.matchAll(
    /^propulsons_page_cache_(requests_total\{outcome="(\w+)"\}|renders_total|splices_total) (\d+)/gm,
  ))
    out[m[2] ?? m[1]!.replace("_total", "")] = Number(m[3]);
  return out;
}

async function main(): Promise<number> {
  const machine = machineLine(DATABASE);
  console.log(machine);
  console.log(
    `réglages: ${QUIET} s calme + ${DURATION} s à ${RATE} paiements/s (${SHARE} % sur la campagne lue) + ${QUIET} s calme, ` +
      `${ANONYMOUS} lecteurs anonymes, ${SIGNED_IN} lecteurs connectés`,
  );
  const file = benchDatabaseFile(cleanups, DATABASE, "bench-spike");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-bench-spike-"));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const app = await startApp(
    cleanups,
    file,
    { DEMO_OUTBOX_PATH: path.join(dir, "outbox.jsonl") },
    cpuProfArgs(args["cpu-prof"]),
  );
  const campaign = await firstLiveCampaign(file);
  const pageUrl = new URL(`${app.url}/campagnes/${campaign.slug}`);

  // Pending contributions for every payment to send (read campaign, and the other live ones),
  // and the signed-in readers' users and sessions: written before the measures.
  const total = RATE * DURATION;
  const prepared = await withDatabase(file, async ({ db }) => {
    const others = await db
      .selectFrom("campaigns")
      .select("id")
      .where("status", "=", "live")
      .where("id", "<>", campaign.id)
      .orderBy("id")
      .execute();
    const now = new Date().toISOString();
    const rows = Array.from({ length: total }, (_, i) => {
      const onTarget = others.length === 0 || (i * SHARE) % 100 < SHARE;
      const campaignId = onTarget ? campaign.id : others[i % others.length]!.id;
      return { i, campaignId, amountCents: 1000 + (i % 40) * 100 };
    });
    const ids: number[] = [];
    await db.transaction().execute(async (trx) => {
      for (let k = 0; k < rows.length; k += 500) {
        const slice = rows.slice(k, k + 500);
        const inserted = await trx
          .insertInto("contributions")
          .values(
            slice.map((r) => ({
              campaign_id: r.campaignId,
              user_id: null,
              email: `spike${r.i}@example.org`,
              public_name: `Spike ${r.i}`,
              amount_cents: r.amountCents,
              reward_id: null,
              anonymous: 0 as const,
              hide_amount: 0 as const,
              message: null,
              status: "pending" as const,
              stripe_checkout_session_id: `cs_test_spike_${r.i}`,
              created_at: now,
              updated_at: now,
              reward_hold: 0 as const,
            })),
          )
          .returning("id")
          .execute();
        ids.push(...inserted.map((x) => x.id));
      }
    });
    const cookies: string[] = [];
    for (let u = 0; u < SIGNED_IN; u++) {
      const user = await db
        .insertInto("users")
        .values({
          email: `lecteur${u}@example.org`,
          display_name: `Lecteur ${u}`,
          role: "citizen",
          created_at: now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      cookies.push(`__session=${await createSession(db, user.id, "bench:spike")}`);
    }
    const seeded = await db
      .selectFrom("contributions")
      .select([
        "campaign_id",
        sql<number>`coalesce(sum(amount_cents), 0)`.as("cents"),
        sql<number>`count(*)`.as("n"),
      ])
      .where("status", "in", [...COLLECTED_STATUSES])
      .groupBy("campaign_id")
      .execute();
    return { rows: rows.map((r, k) => ({ ...r, id: ids[k]! })), cookies, seeded };
  });
  const seededOf = new Map(
    prepared.seeded.map((s) => [s.campaign_id, { cents: Number(s.cents), n: Number(s.n) }]),
  );

  // Check that a signed-in reader is signed in, and read the page's starting amount.
  const probe = new http.Agent({ keepAlive: false });
  const first = await request(pageUrl, probe);
  if (first.status !== 200) throw new Error(`${pageUrl.pathname} : statut ${first.status}`);
  const startCents = collectedCents(first.body);
  for (const cookie of prepared.cookies) {
    const signed = await request(pageUrl, probe, { headers: { cookie } });
    if (signed.status !== 200 || !signed.body.includes("lecteur"))
      throw new Error("lecteur connecté : session refusée");
  }

  // Readers: loop until `stop`, each request counted in the phase it started in.
  let phase: Phase = "quiet";
  let stop = false;
  const samples = { anonymous: [] as Sample[], signedIn: [] as Sample[] };
  const readerErrors: string[] = [];
  const phaseSeconds: Record<Phase, number> = { quiet: 0, payments: 0 };
  const reader = async (cookie: string | null, into: Sample[]) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      while (!stop) {
        const p = phase;
        const started = performance.now();
        try {
          const r = await request(pageUrl, agent, { headers: cookie ? { cookie } : {} });
          if (r.status !== 200) readerErrors.push(`statut ${r.status}`);
          else into.push({ phase: p, ms: performance.now() - started });
        } catch (error) {
          readerErrors.push(error instanceof Error ? error.message : String(error));
        }
      }
    } finally {
      agent.destroy();
    }
  };
  const readers = [
    ...Array.from({ length: ANONYMOUS }, () => reader(null, samples.anonymous)),
    ...prepared.cookies.map((c) => reader(c, samples.signedIn)),
  ];
  const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

  // Phase 1: quiet.
  let t = performance.now();
  await sleep(QUIET);
  phaseSeconds.quiet += (performance.now() - t) / 1000;

  // Phase 2: payments at a steady rate (each sent at its time, whatever the answers).
  const countersBefore = await cacheCounters(app.url, probe);
  phase = "payments";
  const endpoint = new URL(`${app.url}/webhooks/stripe`);
  // FIFO: every socket is used in turn, so none sits idle until the server closes it (a reuse
  // racing that close would fail a delivery with ECONNRESET).
  const webhookAgent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT, scheduling: "fifo" });
  const freshAgent = new http.Agent({ keepAlive: true, scheduling: "fifo" });
  let processed = 0;
  let late = 0;
  const webhookErrors: string[] = [];
  const appliedCents = new Map<number, number>();
  const appliedCount = new Map<number, number>();
  const answeredIds: number[] = [];
  let appliedTarget = 0;
  /** the read campaign's amount every answered webhook adds up to */
  let answeredOnTarget = 0;
  let freshChecks = 0;
  let stale = 0;
  const staleExamples: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const send = async (row: (typeof prepared.rows)[number]) => {
    const event = makeEvent("checkout.session.completed", {
      id: `cs_test_spike_${row.i}`,
      object: "checkout.session",
      status: "complete",
      payment_status: "paid",
      amount_total: row.amountCents,
      currency: "eur",
      client_reference_id: String(row.id),
      customer_email: `spike${row.i}@example.org`,
      metadata: { contribution_id: String(row.id), campaign_id: String(row.campaignId) },
      payment_intent: `pi_spike_${row.i}`,
      mode: "payment",
      livemode: false,
    });
    const payload = JSON.stringify(event);
    try {
      const r = await request(endpoint, webhookAgent, {
        method: "POST",
        body: payload,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
          "stripe-signature": signPayload(payload, DEMO_WEBHOOK_SECRET),
        },
      });
      const outcome = r.status === 200 ? (JSON.parse(r.body) as { outcome?: string }).outcome : undefined;
      if (outcome !== "processed") {
        webhookErrors.push(`statut ${r.status} ${outcome ?? ""}`.trim());
        return;
      }
      processed++;
      answeredIds.push(row.id);
      appliedCents.set(row.campaignId, (appliedCents.get(row.campaignId) ?? 0) + row.amountCents);
      appliedCount.set(row.campaignId, (appliedCount.get(row.campaignId) ?? 0) + 1);
      if (row.campaignId !== campaign.id) return;
      answeredOnTarget += row.amountCents;
      if (row.i % FRESHNESS_EVERY !== 0) return;
      // The very next request: it must show every payment answered before it was sent.
      const expected = startCents + answeredOnTarget;
      freshChecks++;
      let page: { status: number; body: string };
      try {
        page = await request(pageUrl, freshAgent);
      } catch (error) {
        // A failed read is not a stale one, nor a webhook's error: counted with the readers'.
        readerErrors.push(`lecture de fraîcheur : ${error instanceof Error ? error.message : String(error)}`);
        freshChecks--;
        return;
      }
      const shown = page.status === 200 ? collectedCents(page.body) : NaN;
      if (!(shown >= expected)) {
        stale++;
        if (staleExamples.length < 3)
          staleExamples.push(`${euros(shown)} affiché, au moins ${euros(expected)} attendu`);
      }
    } catch (error) {
      webhookErrors.push(error instanceof Error ? error.message : String(error));
    }
  };
  t = performance.now();
  for (let k = 0; k < prepared.rows.length; k++) {
    const due = t + (k * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (performance.now() - due > 1000) late++;
    while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    const p = send(prepared.rows[k]!).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  const paymentSeconds = (performance.now() - t) / 1000;
  const countersAfter = await cacheCounters(app.url, probe);
  phaseSeconds.payments += paymentSeconds;
  webhookAgent.destroy();
  freshAgent.destroy();

  // Phase 3: quiet again.
  phase = "quiet";
  t = performance.now();
  await sleep(QUIET);
  phaseSeconds.quiet += (performance.now() - t) / 1000;
  stop = true;
  await Promise.all(readers);

  // Exact totals: every payment answered « processed » is paid, and the sums (per campaign, the
  // ledger) are the seeded ones plus exactly the amounts of the payments recorded as paid. A
  // webhook the client gave up on (timeout) may still have been applied: counted apart.
  const problems: string[] = [];
  let appliedUnanswered = 0;
  await withDatabase(file, async ({ db }) => {
    const paidRows = await db
      .selectFrom("contributions")
      .select(["id", "campaign_id", "amount_cents"])
      .where("stripe_checkout_session_id", "like", "cs_test_spike_%")
      .where("status", "=", "paid")
      .execute();
    const paidIds = new Set(paidRows.map((r) => r.id));
    const missing = answeredIds.filter((id) => !paidIds.has(id));
    if (missing.length > 0) problems.push(`${missing.length} paiements répondus « processed » non payés`);
    appliedUnanswered = paidRows.length - answeredIds.length;
    const expected = new Map<number, { cents: number; n: number }>();
    for (const [id, s] of seededOf) expected.set(id, { ...s });
    for (const r of paidRows) {
      const e = expected.get(r.campaign_id) ?? { cents: 0, n: 0 };
      e.cents += r.amount_cents;
      e.n += 1;
      expected.set(r.campaign_id, e);
    }
    const now = await db
      .selectFrom("contributions")
      .select([
        "campaign_id",
        sql<number>`coalesce(sum(amount_cents), 0)`.as("cents"),
        sql<number>`count(*)`.as("n"),
      ])
      .where("status", "in", [...COLLECTED_STATUSES])
      .groupBy("campaign_id")
      .execute();
    for (const r of now) {
      const want = expected.get(r.campaign_id) ?? { cents: 0, n: 0 };
      if (Number(r.cents) !== want.cents || Number(r.n) !== want.n)
        problems.push(
          `campagne ${r.campaign_id} : ${euros(Number(r.cents))} / ${r.n} (attendu ${euros(want.cents)} / ${want.n})`,
        );
    }
    const ledger = await db
      .selectFrom("ledger_entries")
      .select([sql<number>`coalesce(sum(amount_cents), 0)`.as("cents"), sql<number>`count(*)`.as("n")])
      .where("kind", "=", "contribution_paid")
      .where(
        "contribution_id",
        "in",
        db
          .selectFrom("contributions")
          .select("id")
          .where("stripe_checkout_session_id", "like", "cs_test_spike_%"),
      )
      .executeTakeFirstOrThrow();
    const paidCents = paidRows.reduce((a, r) => a + r.amount_cents, 0);
    if (Number(ledger.cents) !== paidCents || Number(ledger.n) !== paidRows.length)
      problems.push(
        `grand livre ${euros(Number(ledger.cents))} / ${ledger.n} (attendu ${euros(paidCents)} / ${paidRows.length})`,
      );
    appliedTarget = paidRows
      .filter((r) => r.campaign_id === campaign.id)
      .reduce((a, r) => a + r.amount_cents, 0);
  });
  const endPage = await request(pageUrl, probe);
  const endCents = collectedCents(endPage.body);
  const wantEnd = startCents + appliedTarget;
  if (endCents !== wantEnd) problems.push(`page ${euros(endCents)} (attendu ${euros(wantEnd)})`);

  // Summary.
  const stats = (list: Sample[], p: Phase) => {
    const sorted = list
      .filter((s) => s.phase === p)
      .map((s) => s.ms)
      .sort((a, b) => a - b);
    return {
      rps: sorted.length / phaseSeconds[p],
      p50: quantile(sorted, 0.5),
      p99: quantile(sorted, 0.99),
      n: sorted.length,
    };
  };
  const line = (label: string, list: Sample[]) => {
    const q = stats(list, "quiet");
    const w = stats(list, "payments");
    const ratio = w.rps / q.rps;
    return {
      ratio,
      p99: w.p99,
      text:
        `${label}\n` +
        `  calme       : ${frInt(q.rps).padStart(6)} req/s (p50 ${ms(q.p50)}, p99 ${ms(q.p99)}, ${frInt(q.n)} requêtes)\n` +
        `  paiements   : ${frInt(w.rps).padStart(6)} req/s (p50 ${ms(w.p50)}, p99 ${ms(w.p99)}, ${frInt(w.n)} requêtes)\n` +
        `  ratio paiements / calme : ${ratio.toFixed(2)}`,
    };
  };
  const anon = line(
    `page ${pageUrl.pathname}, ${ANONYMOUS} lecteurs anonymes (cache de pages)`,
    samples.anonymous,
  );
  const signed =
    SIGNED_IN > 0
      ? line(`même page, ${SIGNED_IN} lecteurs connectés (session réelle)`, samples.signedIn)
      : null;
  console.log("");
  console.log(machine);
  console.log(
    `charge : ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} (moyenne 1, 5, 15 min à la fin)`,
  );
  console.log(anon.text);
  const during = (k: string) => (countersAfter[k] ?? 0) - (countersBefore[k] ?? 0);
  console.log(
    `  cache pendant les paiements : ${frInt(during("renders"))} rendus, dont ${frInt(during("splices"))} ` +
      `par raccord des montants ; requêtes servies ` +
      `${frInt(during("hit"))} en hit, ${frInt(during("shared"))} par un rendu attendu, ${frInt(during("rendered"))} par leur propre rendu`,
  );
  if (signed) console.log(signed.text);
  console.log(
    `paiements appliqués : ${frInt(processed)} en ${paymentSeconds.toFixed(1)} s = ${frInt(processed / paymentSeconds)} /s ` +
      `(demandés : ${RATE}/s ; ${plural(webhookErrors.length, "erreur", "erreurs")}${late > 0 ? `, ${late} envoyés avec plus d'1 s de retard` : ""})`,
  );
  if (webhookErrors.length > 0) console.log(`  premières erreurs : ${webhookErrors.slice(0, 3).join(" ; ")}`);
  console.log(
    `fraîcheur : ${frInt(freshChecks)} lectures juste après un 200, ${plural(stale, "périmée", "périmées")}` +
      (staleExamples.length ? ` (${staleExamples.join(" ; ")})` : ""),
  );
  console.log(
    problems.length === 0
      ? `totaux exacts : OK (${frInt(processed)} paiements répondus${appliedUnanswered > 0 ? ` + ${appliedUnanswered} appliqués après l'abandon du client` : ""}, page ${euros(endCents)})`
      : `totaux exacts : ÉCHEC — ${problems.join(" ; ")}`,
  );
  if (readerErrors.length > 0)
    console.log(`lectures en erreur : ${readerErrors.length} (${readerErrors.slice(0, 3).join(" ; ")})`);
  console.log(
    `objectifs (lecteurs anonymes) : ratio ≥ 0.5 ${anon.ratio >= 0.5 ? "atteint" : "NON atteint"}, ` +
      `p99 ≤ 50 ms ${anon.p99 <= 50 ? "atteint" : "NON atteint"}, 0 périmée ${stale === 0 ? "atteint" : "NON atteint"}`,
  );
  const failed = stale > 0 || problems.length > 0 || webhookErrors.length > 0 || readerErrors.length > 0;
  return failed ? 1 : 0;
}

await runBench("bench:spike", main, cleanup);
