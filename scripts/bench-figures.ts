/**
 * `npm run bench:figures`: how long the key figures (app/models/figures.server.ts)
 * take on a large platform: 1 000 campaigns and 1 000 000 contributions spread
 * over 2016–2026 (by default), in a temporary SQLite file migrated like production.
 *
 * The data is realistic in shape: most campaigns funded (commission and payout in
 * the ledger), some failed or cancelled with their contributions refunded (refund
 * entries, a few refunds failed or in progress), a few live or settling, some never
 * launched; a contribution_paid entry for every payment; ~40 % as many distinct
 * e-mail addresses as contributions, many citizens giving several times. It is
 * written with raw better-sqlite3 prepared statements in large transactions, then
 * the maintained aggregates are rebuilt once (rebuildFigureAggregates, timed) and
 * checked (checkFigureAggregates, timed; must find nothing).
 *
 * Measured (a few warm-up runs, then the median, min and max of RUNS runs):
 * figuresFor(year 2024), figuresFor(since launch), annualReport (every active year).
 * Target: a median ≤ 100 ms for a year and for since launch; exit code 1 when either
 * is missed, or when the figures or the aggregate check are wrong.
 *
 * Options: --campaigns N (default 1 000), --contributions N (default 1 000 000),
 * --runs N (default 21, at least 15). The temporary file is removed at the end.
 */
import { performance } from "node:perf_hooks";
import type SQLite from "better-sqlite3";
import {
  annualReport,
  checkFigureAggregates,
  figuresFor,
  rebuildFigureAggregates,
  type Figures,
} from "../app/models/figures.server";
import {
  endOfDayInParis,
  parisCalendarDate,
  parisYear,
  startOfDayInParis,
  addDays,
} from "../app/domain/time";
import { migrateToLatest, openDatabase, type Database } from "../db/connection";
import { createRandom } from "../db/seed/random";
import { tempDatabasePath } from "../tests/support/db";
import { cleanupStack, frInt, machineLine, plural, positiveInt, runBench, intOption } from "./bench-common";
import { parseCli } from "./cli";

const TARGET_MS = 100;
const WARMUP = 3;
const FIRST_DAY = "2016-01-04";
/** « now » of the generated platform (the demo data's SEED_NOW). */
const NOW = new Date("2026-11-10T10:00:00.000Z");
const HOUR = 3_600_000;
const AMOUNTS_EUROS = [
  5, 10, 15, 20, 20, 25, 30, 30, 40, 50, 50, 60, 70, 80, 100, 100, 120, 150, 200, 250, 500,
];

// ---------------------------------------------------------------- options

const { values: args } = parseCli({
  command: "npm run bench:figures",
  synopsis: "[--campaigns N] [--contributions N] [--runs N]",
  description:
    "Durée du calcul des chiffres clés (une année, depuis le lancement, le rapport annuel) sur une\n" +
    "grande plateforme, dans une base SQLite temporaire.",
  options: {
    campaigns: intOption("campagnes (1000 par défaut, au moins 10)"),
    contributions: intOption("contributions (1000000 par défaut, au moins 100)"),
    runs: intOption("mesures par chiffre (21 par défaut, au moins 15)"),
  },
});
const CAMPAIGNS = positiveInt("campaigns", args.campaigns, 1000, 10);
const CONTRIBUTIONS = positiveInt("contributions", args.contributions, 1_000_000, 100);
const RUNS = positiveInt("runs", args.runs, 21, 15);

// ---------------------------------------------------------------- helpers

const ms = (x: number) => `${x.toFixed(1)} ms`;
const secs = (x: number) => `${(x / 1000).toFixed(1)} s`;
const euros = (cents: number) => `${frInt(cents / 100)} €`;

interface Generated {
  collected: number;
  collectedCents: number;
  refundedCents: number;
  citizens: number;
  byStatus: Map<string, number>;
  ledgerEntries: number;
  years: [number, number];
}

type CampaignStatus =
  "draft" | "approved" | "rejected" | "live" | "settling" | "funded" | "failed" | "cancelled";

interface Plan {
  id: number;
  status: CampaignStatus;
  wentLive: boolean;
  startsAt: number;
  endsAt: number;
  budgetCitoyen: boolean;
}

/** The platform's data, written with raw prepared statements in large transactions. */
function generate(sqlite: SQLite.Database): Generated {
  const random = createRandom(20160104);
  const territories = (
    sqlite.prepare("SELECT id FROM territories ORDER BY position").all() as Array<{ id: number }>
  ).map((r) => r.id);
  const themes = (
    sqlite.prepare("SELECT id FROM themes ORDER BY position").all() as Array<{ id: number }>
  ).map((r) => r.id);
  const iso = (t: number) => new Date(t).toISOString();

  const insertUser = sqlite.prepare(
    "INSERT INTO users (email, display_name, role, created_at) VALUES (?, ?, 'holder', ?)",
  );
  const insertOrg = sqlite.prepare(
    "INSERT INTO organizations (owner_user_id, name, legal_form, registration_number, town, territory_id, stripe_account_id, stripe_payouts_enabled, created_at) VALUES (?, ?, 'association', NULL, 'Arras', ?, ?, 1, ?)",
  );
  const insertCampaign = sqlite.prepare(
    `INSERT INTO campaigns (organization_id, slug, title, summary, story_md, goal_cents, starts_at, ends_at, territory_id, theme_id,
       budget_citoyen_year, expected_results_md, timetable_md, image_path, image_alt, status, featured, created_at, updated_at)
     VALUES (?, ?, ?, 'Campagne du banc d''essai des chiffres clés.', 'Banc d''essai.', ?, ?, ?, ?, ?, ?, '—', '—', NULL, NULL, ?, 0, ?, ?)`,
  );
  const insertTransition = sqlite.prepare(
    "INSERT INTO campaign_transitions (campaign_id, from_status, to_status, event, actor_user_id, actor_role, reason, at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)",
  );
  const insertContribution = sqlite.prepare(
    `INSERT INTO contributions (campaign_id, user_id, email, public_name, amount_cents, reward_id, anonymous, hide_amount, message, status,
       stripe_checkout_session_id, stripe_payment_intent_id, stripe_refund_id, created_at, paid_at, updated_at)
     VALUES (?, NULL, ?, ?, ?, NULL, ?, 0, NULL, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertLedger = sqlite.prepare(
    "INSERT INTO ledger_entries (campaign_id, contribution_id, kind, amount_cents, at) VALUES (?, ?, ?, ?, ?)",
  );
  const setGoal = sqlite.prepare("UPDATE campaigns SET goal_cents = ? WHERE id = ?");

  // 1. Campaigns: start dates spread evenly from 2016 to now, 30 to 75 days long.
  const firstStart = startOfDayInParis(FIRST_DAY).getTime();
  const lastStart = NOW.getTime() - 20 * 24 * HOUR;
  const plans: Plan[] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < CAMPAIGNS; i++) {
      const startDate = parisCalendarDate(
        new Date(firstStart + ((i + random.next()) / CAMPAIGNS) * (lastStart - firstStart)),
      );
      const startsAt = startOfDayInParis(startDate).getTime();
      const endsAt = endOfDayInParis(addDays(startDate, random.int(30, 75))).getTime();
      const createdAt = startsAt - 30 * 24 * HOUR;
      let status: CampaignStatus;
      let wentLive = true;
      if (endsAt > NOW.getTime()) status = "live";
      else if (NOW.getTime() - endsAt < 3 * 24 * HOUR) status = "settling";
      else {
        const r = random.next();
        if (r < 0.8) status = "funded";
        else if (r < 0.91) status = "failed";
        else if (r < 0.95) status = "cancelled";
        else if (r < 0.97) [status, wentLive] = ["cancelled", false];
        else if (r < 0.99) [status, wentLive] = ["rejected", false];
        else [status, wentLive] = ["draft", false];
      }
      const user = insertUser.run(`porteur${i + 1}@example.org`, `Porteur ${i + 1}`, iso(createdAt));
      const org = insertOrg.run(
        user.lastInsertRowid,
        `Association ${i + 1}`,
        random.pick(territories),
        `acct_bench_${i + 1}`,
        iso(createdAt),
      );
      const budgetCitoyen = random.chance(0.08);
      const campaign = insertCampaign.run(
        org.lastInsertRowid,
        `bench-chiffres-${i + 1}`,
        `Campagne ${i + 1}`,
        100_000,
        iso(startsAt),
        iso(endsAt),
        random.pick(territories),
        random.pick(themes),
        budgetCitoyen ? parisYear(new Date(startsAt)) : null,
        status,
        iso(createdAt),
        iso(Math.min(endsAt, NOW.getTime())),
      );
      const id = Number(campaign.lastInsertRowid);
      const t = (
        from: string | null,
        to: string,
        event: string,
        role: string,
        at: number,
        reason: string | null = null,
      ) => insertTransition.run(id, from, to, event, role, reason, iso(at));
      t(null, "draft", "create", "holder", createdAt);
      if (status === "draft") {
        plans.push({ id, status, wentLive, startsAt, endsAt, budgetCitoyen });
        continue;
      }
      t("draft", "submitted", "submit", "holder", createdAt + 24 * HOUR);
      if (status === "rejected") {
        t("submitted", "rejected", "reject", "staff", createdAt + 5 * 24 * HOUR, "Hors du champ de l'ESS.");
      } else {
        t("submitted", "approved", "approve", "staff", createdAt + 5 * 24 * HOUR);
        if (!wentLive)
          t("approved", "cancelled", "cancel", "staff", startsAt - 2 * 24 * HOUR, "Projet abandonné.");
        else {
          t("approved", "live", "start", "system", startsAt);
          if (status === "cancelled")
            t(
              "live",
              "cancelled",
              "cancel",
              "staff",
              Math.floor((startsAt + endsAt) / 2),
              "Projet abandonné.",
            );
          if (status === "settling" || status === "funded" || status === "failed")
            t("live", "settling", "deadline", "system", endsAt + 1000);
          if (status === "funded" || status === "failed")
            t(
              "settling",
              status,
              status === "funded" ? "settle_funded" : "settle_failed",
              "system",
              endsAt + HOUR,
            );
        }
      }
      plans.push({ id, status, wentLive, startsAt, endsAt, budgetCitoyen });
    }
  })();

  // 2. How many contributions each launched campaign receives (uneven, summing to CONTRIBUTIONS).
  const launched = plans.filter((p) => p.wentLive);
  const weights = launched.map(() => 0.2 + random.next() ** 2 * 3);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((w / totalWeight) * CONTRIBUTIONS));
  for (let k = 0, missing = CONTRIBUTIONS - counts.reduce((a, b) => a + b, 0); missing > 0; k++, missing--)
    counts[k % counts.length]! += 1;

  // 3. Contributions and their ledger entries, in transactions of ~100 000 rows.
  const pool = Math.max(10, Math.round(CONTRIBUTIONS * 0.45));
  const seen = new Set<number>();
  const g: Generated = {
    collected: 0,
    collectedCents: 0,
    refundedCents: 0,
    citizens: 0,
    byStatus: new Map(),
    ledgerEntries: 0,
    years: [9999, 0],
  };
  let n = 0;
  let batch = 0;
  const started = performance.now();
  const writeCampaign = (p: Plan, count: number) => {
    const paidUntil = Math.min(
      p.endsAt,
      NOW.getTime() - HOUR,
      p.status === "cancelled" ? Math.floor((p.startsAt + p.endsAt) / 2) : Infinity,
    );
    const refundsFrom = p.status === "cancelled" ? paidUntil : p.endsAt;
    let paidTotal = 0;
    for (let k = 0; k < count; k++) {
      n++;
      const who = random.int(1, pool);
      const email = `citoyen${who}@example.org`;
      const amount = random.chance(0.1) ? random.int(500, 30_000) : random.pick(AMOUNTS_EUROS) * 100;
      const paidAtMs = p.startsAt + Math.floor(random.next() * (paidUntil - p.startsAt));
      const createdAt = iso(paidAtMs - random.int(1, 20) * 60_000);
      // 2 % of checkouts were never paid (abandoned, declined, still open)
      if (random.chance(0.02)) {
        const status = random.pick(["expired", "expired", "failed", "pending"]);
        insertContribution.run(
          p.id,
          email,
          `Citoyen ${who}`,
          amount,
          0,
          status,
          `cs_bench_${n}`,
          null,
          null,
          createdAt,
          null,
          createdAt,
        );
        g.byStatus.set(status, (g.byStatus.get(status) ?? 0) + 1);
        continue;
      }
      let status = "paid";
      if (p.status === "failed" || p.status === "cancelled") {
        const r = random.next();
        status = r < 0.97 ? "refunded" : r < 0.99 ? "refund_failed" : "refunding";
      }
      const paidAt = iso(paidAtMs);
      const refundedAt = iso(Math.min(refundsFrom + random.int(1, 48) * HOUR, NOW.getTime()));
      const row = insertContribution.run(
        p.id,
        email,
        random.chance(0.12) ? "Anonyme" : `Citoyen ${who}`,
        amount,
        random.chance(0.12) ? 1 : 0,
        status,
        `cs_bench_${n}`,
        `pi_bench_${n}`,
        status === "paid" ? null : `re_bench_${n}`,
        createdAt,
        paidAt,
        status === "paid" ? paidAt : refundedAt,
      );
      insertLedger.run(p.id, row.lastInsertRowid, "contribution_paid", amount, paidAt);
      g.ledgerEntries++;
      if (status === "refunded") {
        insertLedger.run(p.id, row.lastInsertRowid, "refund", amount, refundedAt);
        g.ledgerEntries++;
        g.refundedCents += amount;
      }
      g.byStatus.set(status, (g.byStatus.get(status) ?? 0) + 1);
      g.collected++;
      g.collectedCents += amount;
      paidTotal += amount;
      seen.add(who);
      const y = parisYear(new Date(paidAtMs));
      g.years = [Math.min(g.years[0], y), Math.max(g.years[1], y)];
    }
    // the goal makes the outcome true; a funded campaign is paid out, commission kept
    const goal =
      p.status === "funded"
        ? Math.max(100, Math.floor(paidTotal * (0.6 + random.next() * 0.35)))
        : Math.max(paidTotal * 2, 100_000);
    setGoal.run(Math.round(goal / 100) * 100 || 100, p.id);
    if (p.status === "funded") {
      const commission = p.budgetCitoyen ? 0 : Math.floor((paidTotal * 300 + 5000) / 10_000);
      const at = iso(p.endsAt + random.int(1, 72) * HOUR);
      insertLedger.run(p.id, null, "commission", commission, at);
      insertLedger.run(p.id, null, "payout", paidTotal - commission, at);
      g.ledgerEntries += 2;
    }
  };
  const flush = sqlite.transaction((items: Array<[Plan, number]>) => {
    for (const [p, count] of items) writeCampaign(p, count);
  });
  let pending: Array<[Plan, number]> = [];
  let pendingRows = 0;
  for (const [i, p] of launched.entries()) {
    pending.push([p, counts[i]!]);
    pendingRows += counts[i]!;
    if (pendingRows >= 100_000 || i === launched.length - 1) {
      flush(pending);
      batch++;
      if (batch % 2 === 0 || i === launched.length - 1) {
        console.log(
          `  … ${frInt(n)} / ${frInt(CONTRIBUTIONS)} contributions écrites (${secs(performance.now() - started)})`,
        );
      }
      pending = [];
      pendingRows = 0;
    }
  }
  g.citizens = seen.size;
  return g;
}

// ---------------------------------------------------------------- timing

interface Timing {
  median: number;
  min: number;
  max: number;
}

async function time(fn: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const mid = samples.length >> 1;
  const median = samples.length % 2 === 1 ? samples[mid]! : (samples[mid - 1]! + samples[mid]!) / 2;
  return { median, min: samples[0]!, max: samples[samples.length - 1]! };
}

const timingLine = (t: Timing) => `médiane ${ms(t.median)} (min ${ms(t.min)}, max ${ms(t.max)})`;

// ---------------------------------------------------------------- the run

const { cleanups, cleanup } = cleanupStack("arrêt du banc d'essai…");

async function main(): Promise<number> {
  const machine = machineLine();
  console.log(machine);
  console.log(
    `chiffres clés : ${frInt(CAMPAIGNS)} campagnes, ${frInt(CONTRIBUTIONS)} contributions, ${FIRST_DAY.slice(0, 4)}–${NOW.toISOString().slice(0, 4)} ` +
      `(maintenant = ${NOW.toISOString()}), ${WARMUP} tours d'échauffement puis ${RUNS} mesures`,
  );

  // 1. The database: a temporary file, migrated, filled.
  const tmp = tempDatabasePath("bench-figures");
  cleanups.push(() => tmp.cleanup());
  const database: Database = openDatabase(tmp.file);
  cleanups.push(() => database.close());
  // The generator writes through better-sqlite3 directly, and these are SQLite's timings.
  const sqlite = database.sqlite;
  if (database.dialect !== "sqlite" || !sqlite) {
    throw new Error(
      `bench:figures mesure SQLite seulement (base ${database.dialect} reçue) : lancez-le sans TEST_DATABASE_URL.`,
    );
  }
  await migrateToLatest(database.db);
  const t0 = performance.now();
  const g = generate(sqlite);
  const generatedMs = performance.now() - t0;
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.exec("ANALYZE");
  const statuses = [...g.byStatus.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([s, k]) => `${frInt(k)} ${s}`)
    .join(", ");
  const campaignsByStatus = (
    sqlite
      .prepare("SELECT status, count(*) n FROM campaigns GROUP BY status ORDER BY n DESC")
      .all() as Array<{ status: string; n: number }>
  )
    .map((r) => `${frInt(r.n)} ${r.status}`)
    .join(", ");
  console.log(`données écrites en ${secs(generatedMs)} : campagnes ${campaignsByStatus}`);
  console.log(
    `contributions : ${statuses} ; ${frInt(g.citizens)} adresses distinctes ; ${frInt(g.ledgerEntries)} écritures au grand livre`,
  );

  // 2. The maintained aggregates: rebuilt once (bulk data), then checked.
  let t = performance.now();
  await rebuildFigureAggregates(database.db);
  const rebuildMs = performance.now() - t;
  const aggregateRows = sqlite
    .prepare(
      "SELECT (SELECT count(*) FROM figure_campaign_years) AS buckets, (SELECT count(*) FROM figure_citizens) AS members",
    )
    .get() as { buckets: number; members: number };
  console.log(
    `rebuildFigureAggregates : ${secs(rebuildMs)} (${frInt(aggregateRows.buckets)} lignes campagne × année, ${frInt(aggregateRows.members)} lignes citoyen × période)`,
  );
  t = performance.now();
  const problems = await checkFigureAggregates(database.db);
  const checkMs = performance.now() - t;
  console.log(`checkFigureAggregates : ${secs(checkMs)}, ${plural(problems.length, "écart", "écarts")}`);

  // 3. The figures must be right before their speed means anything.
  const wrong: string[] = problems.slice(0, 5).map((p) => `agrégats : ${p}`);
  const all = await figuresFor(database.db, { kind: "all" });
  const expected = {
    contributions: g.collected,
    collectedCents: g.collectedCents,
    refundedCents: g.refundedCents,
    citizens: g.citizens,
  };
  const got = {
    contributions: all.contributions,
    collectedCents: all.collectedCents,
    refundedCents: all.refundedCents,
    citizens: all.citizens,
  };
  if (JSON.stringify(got) !== JSON.stringify(expected))
    wrong.push(`depuis le lancement : ${JSON.stringify(got)} au lieu de ${JSON.stringify(expected)}`);
  const describe = (f: Figures) =>
    `${frInt(f.launched)} lancées, ${frInt(f.funded)} réussies, ${frInt(f.failed)} non financées, ${frInt(f.inProgress)} en cours, ` +
    `${f.successRatePercent ?? "—"} %, ${euros(f.collectedCents)} collectés (${euros(f.refundedCents)} remboursés), ` +
    `${frInt(f.contributions)} contributions, ${frInt(f.citizens)} citoyens, commission ${euros(f.commissionCents)}, versé ${euros(f.paidToHoldersCents)}`;
  const y2024 = await figuresFor(database.db, { kind: "year", year: 2024 });
  console.log(`2024 : ${describe(y2024)}`);
  console.log(`depuis le lancement : ${describe(all)}`);

  // 4. Timings.
  const year = await time(() => figuresFor(database.db, { kind: "year", year: 2024 }));
  const since = await time(() => figuresFor(database.db, { kind: "all" }));
  const report = await time(() => annualReport(database.db));
  const years = (await annualReport(database.db)).years.length;
  const yearOk = year.median <= TARGET_MS;
  const sinceOk = since.median <= TARGET_MS;

  console.log("");
  console.log(machine);
  console.log(
    `base : ${frInt(CAMPAIGNS)} campagnes, ${frInt(CONTRIBUTIONS)} contributions, ${frInt(g.citizens)} citoyens distincts, ${frInt(g.ledgerEntries)} écritures`,
  );
  console.log(`rebuildFigureAggregates : ${secs(rebuildMs)} ; checkFigureAggregates : ${secs(checkMs)}`);
  console.log(
    `figuresFor(2024) : ${timingLine(year)} — objectif ≤ ${TARGET_MS} ms : ${yearOk ? "atteint" : "NON atteint"}`,
  );
  console.log(
    `figuresFor(depuis le lancement) : ${timingLine(since)} — objectif ≤ ${TARGET_MS} ms : ${sinceOk ? "atteint" : "NON atteint"}`,
  );
  console.log(`annualReport (${years} années + depuis le lancement) : ${timingLine(report)}`);

  if (wrong.length > 0) {
    console.log(`ÉCHEC : ${wrong.join(" ; ")}`);
    return 1;
  }
  return yearOk && sinceOk ? 0 : 1;
}

await runBench("bench:figures", main, cleanup);
