/**
 * Key figures (« Chiffres clés ») of the platform, for a year or since launch.
 * The one module that computes them: the home page, the annual report, the staff
 * screens and the open-data exports all read them from here, so they never disagree.
 *
 * Money figures come from maintained aggregates written in the same transaction as
 * the payment or refund they count (recordCollected / recordRefunded, called by the
 * webhook module), and from the ledger for commission and payouts. A contribution
 * belongs to the year of its payment in Europe/Paris. `npm run reconcile` checks
 * the aggregates against a plain recomputation (checkFigureAggregates).
 * Campaign counts are computed from the campaigns themselves (app/domain/figures.ts).
 */
import { NBSP } from "~/domain/typography";
import { countOf } from "~/domain/format";
import { sql, type Kysely, type Transaction } from "kysely";
import { isPostgres } from "#db/connection";
import type { DB } from "#db/schema";
import { RECEIVED_STATUSES } from "~/domain/contribution-status";
import {
  withYears,
  averageCents,
  classify,
  countCampaigns,
  countReview,
  fundedNetCents,
  periodKey,
  successRatePercent,
  wasLaunched,
  type CampaignCounts,
  type CampaignFacts,
  type Period,
  type ReviewFacts,
} from "~/domain/figures";
import { parisYear, startOfDayInParis } from "~/domain/time";
import type { CampaignState } from "~/domain/campaign-machine";

type Db = Kysely<DB> | Transaction<DB>;

export interface BreakdownRow {
  slug: string;
  name: string;
  launched: number;
  funded: number;
  collectedCents: number;
}

export interface Figures extends CampaignCounts {
  period: Period;
  successRatePercent: number | null;
  /** money received from citizens in the period (contributions by date of payment) */
  collectedCents: number;
  /** part of it given back (failed or cancelled campaigns, disputes) */
  refundedCents: number;
  contributions: number;
  averageContributionCents: number | null;
  /** distinct citizens (e-mail addresses) who contributed in the period */
  citizens: number;
  /** commission kept by the platform (ledger, by date of payout) */
  commissionCents: number;
  /** paid to holders (ledger, by date of payout) */
  paidToHoldersCents: number;
  byTerritory: BreakdownRow[];
  byTheme: BreakdownRow[];
  /** projects received: campaigns first submitted for review in the period (IFP report) */
  submitted: number;
  /** projects accepted: campaigns first approved by staff in the period */
  approved: number;
  /**
   * what the campaigns funded in the period kept from citizens, all years of payment together
   * (received − refunded): the amount « per funded project » is averaged from it
   */
  fundedCampaignsCents: number;
  /** fundedCampaignsCents / funded, rounded half up; null when none was funded */
  averagePerFundedProjectCents: number | null;
  /** collectedCents / citizens, rounded half up; null without citizens */
  averagePerCitizenCents: number | null;
}

// ---------------------------------------------------------------------------
// Maintained aggregates

/** Count a contribution whose money was just received. Call in the transaction that marks it paid. */
export async function recordCollected(
  trx: Db,
  c: { campaignId: number; email: string; amountCents: number; paidAt: string },
): Promise<void> {
  const year = parisYear(new Date(c.paidAt));
  if (isPostgres(trx)) {
    // The same upserts as below in one round trip, rows locked in the same order (PostgreSQL runs
    // every data-modifying CTE once; a period's count of citizens grows only when its
    // figure_citizens row was inserted).
    await sql`
      with years as (
        insert into figure_campaign_years (campaign_id, year, contributions, collected_cents, refunded_cents)
        values (${c.campaignId}, ${year}, 1, ${c.amountCents}, 0)
        on conflict (campaign_id, year) do update set
          contributions = figure_campaign_years.contributions + 1,
          collected_cents = figure_campaign_years.collected_cents + excluded.collected_cents
        returning 1
      ), campaign_citizens as (
        insert into figure_campaign_citizens (campaign_id, email, contributions)
        values (${c.campaignId}, ${c.email}, 1)
        on conflict (campaign_id, email) do update set
          contributions = figure_campaign_citizens.contributions + 1
        returning 1
      ), citizens as (
        insert into figure_citizens (period, email) values (${year}, ${c.email}), (0, ${c.email})
        on conflict (period, email) do nothing
        returning period
      )
      insert into figure_periods (period, citizens)
      select period, 1 from citizens order by period desc
      on conflict (period) do update set citizens = figure_periods.citizens + 1`.execute(trx);
    return;
  }
  await trx
    .insertInto("figure_campaign_years")
    .values({
      campaign_id: c.campaignId,
      year,
      contributions: 1,
      collected_cents: c.amountCents,
      refunded_cents: 0,
    })
    .onConflict((oc) =>
      oc.columns(["campaign_id", "year"]).doUpdateSet({
        contributions: sql`figure_campaign_years.contributions + 1`,
        collected_cents: sql`figure_campaign_years.collected_cents + ${c.amountCents}`,
      }),
    )
    .execute();
  await trx
    .insertInto("figure_campaign_citizens")
    .values({ campaign_id: c.campaignId, email: c.email, contributions: 1 })
    .onConflict((oc) =>
      oc
        .columns(["campaign_id", "email"])
        .doUpdateSet({ contributions: sql`figure_campaign_citizens.contributions + 1` }),
    )
    .execute();
  for (const period of [year, 0]) {
    const inserted = await trx
      .insertInto("figure_citizens")
      .values({ period, email: c.email })
      .onConflict((oc) => oc.columns(["period", "email"]).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) {
      await trx
        .insertInto("figure_periods")
        .values({ period, citizens: 1 })
        .onConflict((oc) => oc.column("period").doUpdateSet({ citizens: sql`figure_periods.citizens + 1` }))
        .execute();
    }
  }
}

/**
 * Count a contribution just refunded, in the year it was paid. Call in the transaction that marks it
 * refunded. The campaign no longer keeps this person's money for it: one contribution fewer in
 * figure_campaign_citizens, and no row once none is left (the home page's « citoyens impliqués »).
 */
export async function recordRefunded(
  trx: Db,
  c: { campaignId: number; email: string; amountCents: number; paidAt: string },
): Promise<void> {
  const year = parisYear(new Date(c.paidAt));
  await trx
    .updateTable("figure_campaign_years")
    .set({ refunded_cents: sql`refunded_cents + ${c.amountCents}` })
    .where("campaign_id", "=", c.campaignId)
    .where("year", "=", year)
    .execute();
  await trx
    .updateTable("figure_campaign_citizens")
    .set({ contributions: sql`contributions - 1` })
    .where("campaign_id", "=", c.campaignId)
    .where("email", "=", c.email)
    .execute();
  await trx
    .deleteFrom("figure_campaign_citizens")
    .where("campaign_id", "=", c.campaignId)
    .where("email", "=", c.email)
    .where("contributions", "<=", 0)
    .execute();
}

interface Recomputed {
  buckets: Map<
    string,
    {
      campaign_id: number;
      year: number;
      contributions: number;
      collected_cents: number;
      refunded_cents: number;
    }
  >;
  citizens: Map<number, Set<string>>;
  /** `${campaign_id}\u0000${email}` → contributions the campaign keeps (received, not refunded) */
  kept: Map<string, { campaign_id: number; email: string; contributions: number }>;
}

/**
 * The aggregates recomputed plainly from the contributions (for checks and rebuilds).
 * They count money received (ADR 010), refunded since or not: every contribution whose
 * money arrived at some point, as recordCollected does at the payment.
 */
async function recompute(db: Db): Promise<Recomputed> {
  const buckets: Recomputed["buckets"] = new Map();
  const citizens: Recomputed["citizens"] = new Map([[0, new Set<string>()]]);
  const kept: Recomputed["kept"] = new Map();
  let lastId = 0;
  for (;;) {
    const rows = await db
      .selectFrom("contributions")
      .select(["id", "campaign_id", "email", "amount_cents", "paid_at", "status"])
      .where("id", ">", lastId)
      .where("status", "in", RECEIVED_STATUSES)
      .orderBy("id")
      .limit(20_000)
      .execute();
    if (rows.length === 0) break;
    lastId = rows[rows.length - 1]!.id;
    for (const r of rows) {
      if (!r.paid_at) continue;
      const year = parisYear(new Date(r.paid_at));
      const key = `${r.campaign_id}:${year}`;
      const b = buckets.get(key) ?? {
        campaign_id: r.campaign_id,
        year,
        contributions: 0,
        collected_cents: 0,
        refunded_cents: 0,
      };
      b.contributions += 1;
      b.collected_cents += r.amount_cents;
      if (r.status === "refunded") b.refunded_cents += r.amount_cents;
      buckets.set(key, b);
      if (!citizens.has(year)) citizens.set(year, new Set());
      citizens.get(year)!.add(r.email);
      citizens.get(0)!.add(r.email);
      if (r.status !== "refunded") {
        const k = `${r.campaign_id}\u0000${r.email}`;
        const row = kept.get(k) ?? { campaign_id: r.campaign_id, email: r.email, contributions: 0 };
        row.contributions += 1;
        kept.set(k, row);
      }
    }
  }
  return { buckets, citizens, kept };
}

/** Differences between the maintained aggregates and a plain recomputation (French, empty when none). */
export async function checkFigureAggregates(db: Kysely<DB>): Promise<string[]> {
  const expected = await recompute(db);
  const problems: string[] = [];
  const stored = await db.selectFrom("figure_campaign_years").selectAll().execute();
  const seen = new Set<string>();
  for (const s of stored) {
    const key = `${s.campaign_id}:${s.year}`;
    seen.add(key);
    const e = expected.buckets.get(key);
    const got = `${s.contributions} contributions, ${Number(s.collected_cents)} c collectés, ${Number(s.refunded_cents)} c remboursés`;
    const want = e
      ? `${e.contributions} contributions, ${e.collected_cents} c collectés, ${e.refunded_cents} c remboursés`
      : "rien";
    if (got !== want)
      problems.push(`campagne ${s.campaign_id}, ${s.year}${NBSP}: agrégat ${got}, recalcul ${want}`);
  }
  for (const [key, e] of expected.buckets) {
    if (!seen.has(key))
      problems.push(
        `campagne ${e.campaign_id}, ${e.year}${NBSP}: agrégat absent, recalcul ${e.contributions} contributions`,
      );
  }
  // Who each campaign keeps money from (the home page's « citoyens impliqués »), read in pages.
  let keptProblems = 0;
  let keptRows = 0;
  let after = { campaign_id: 0, email: "" };
  for (;;) {
    const rows = await db
      .selectFrom("figure_campaign_citizens")
      .selectAll()
      .where((eb) =>
        eb.or([
          eb("campaign_id", ">", after.campaign_id),
          eb.and([eb("campaign_id", "=", after.campaign_id), eb("email", ">", after.email)]),
        ]),
      )
      .orderBy("campaign_id")
      .orderBy("email")
      .limit(20_000)
      .execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!;
    for (const r of rows) {
      keptRows += 1;
      const want = expected.kept.get(`${r.campaign_id}\u0000${r.email}`)?.contributions ?? 0;
      if (Number(r.contributions) !== want) keptProblems += 1;
    }
  }
  if (keptProblems > 0 || keptRows !== expected.kept.size)
    problems.push(
      `contributeurs gardés par campagne : ${countOf(keptRows, "ligne enregistrée", "lignes enregistrées")}` +
        ` (${countOf(keptProblems, "fausse", "fausses")}), recalcul ${expected.kept.size}`,
    );
  const periods = new Map(
    (await db.selectFrom("figure_periods").selectAll().execute()).map((p) => [p.period, Number(p.citizens)]),
  );
  const members = await db
    .selectFrom("figure_citizens")
    .select(["period", sql<number>`count(*)`.as("n")])
    .groupBy("period")
    .execute();
  const memberCounts = new Map(members.map((m) => [m.period, Number(m.n)]));
  const allPeriods = new Set([...periods.keys(), ...expected.citizens.keys(), ...memberCounts.keys()]);
  for (const p of allPeriods) {
    const want = expected.citizens.get(p)?.size ?? 0;
    const label = p === 0 ? "depuis le lancement" : String(p);
    if ((periods.get(p) ?? 0) !== want)
      problems.push(`citoyens ${label}${NBSP}: compteur ${periods.get(p) ?? 0}, recalcul ${want}`);
    if ((memberCounts.get(p) ?? 0) !== want)
      problems.push(
        `citoyens ${label}${NBSP}: ${memberCounts.get(p) ?? 0} adresses enregistrées, recalcul ${want}`,
      );
    // The same number can hide a wrong set (an address swapped for another): every stored address must be expected.
    let strangers = 0;
    let last = "";
    for (;;) {
      const rows = await db
        .selectFrom("figure_citizens")
        .select("email")
        .where("period", "=", p)
        .where("email", ">", last)
        .orderBy("email")
        .limit(20_000)
        .execute();
      if (rows.length === 0) break;
      last = rows[rows.length - 1]!.email;
      for (const r of rows) if (!expected.citizens.get(p)?.has(r.email)) strangers += 1;
    }
    if (strangers > 0)
      problems.push(
        `citoyens ${label}${NBSP}: ${countOf(strangers, "adresse enregistrée", "adresses enregistrées")} sans contribution dans la période`,
      );
  }
  return problems;
}

/** Replace the aggregates by a plain recomputation (seed, bulk imports, `npm run reconcile -- --rebuild-figures`). */
export async function rebuildFigureAggregates(db: Db): Promise<void> {
  const run = async (trx: Transaction<DB>) => {
    const { buckets, citizens, kept } = await recompute(trx);
    await trx.deleteFrom("figure_campaign_citizens").execute();
    await trx.deleteFrom("figure_campaign_years").execute();
    await trx.deleteFrom("figure_citizens").execute();
    await trx.deleteFrom("figure_periods").execute();
    const rows = [...buckets.values()];
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto("figure_campaign_years")
        .values(rows.slice(i, i + 500))
        .execute();
    const keptRows = [...kept.values()];
    for (let i = 0; i < keptRows.length; i += 300)
      await trx
        .insertInto("figure_campaign_citizens")
        .values(keptRows.slice(i, i + 300))
        .execute();
    for (const [period, emails] of citizens) {
      if (emails.size === 0) continue;
      const list = [...emails];
      for (let i = 0; i < list.length; i += 400) {
        await trx
          .insertInto("figure_citizens")
          .values(list.slice(i, i + 400).map((email) => ({ period, email })))
          .execute();
      }
      await trx.insertInto("figure_periods").values({ period, citizens: emails.size }).execute();
    }
  };
  if (db.isTransaction) await run(db as Transaction<DB>);
  else await db.transaction().execute(run);
}

// ---------------------------------------------------------------------------
// Reading the figures

interface CampaignRow extends CampaignFacts {
  territorySlug: string;
  territoryName: string;
  themeSlug: string;
  themeName: string;
}

async function campaignRows(db: Db): Promise<CampaignRow[]> {
  const rows = await db
    .selectFrom("campaigns as c")
    .innerJoin("territories as t", "t.id", "c.territory_id")
    .innerJoin("themes as h", "h.id", "c.theme_id")
    .select([
      "c.id",
      "c.status",
      "c.starts_at",
      "c.ends_at",
      "t.slug as territory_slug",
      "t.name as territory_name",
      "h.slug as theme_slug",
      "h.name as theme_name",
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom("campaign_transitions as x")
              .select("x.id")
              .whereRef("x.campaign_id", "=", "c.id")
              .where("x.event", "=", "start"),
          )
          .as("went_live"),
      (eb) =>
        eb
          .selectFrom("campaign_transitions as x")
          .select(sql<string>`max(x.at)`.as("at"))
          .whereRef("x.campaign_id", "=", "c.id")
          .where("x.event", "=", "cancel")
          .as("cancelled_at"),
    ])
    .where("c.status", "in", ["live", "settling", "funded", "failed", "cancelled"] satisfies CampaignState[])
    .execute();
  return rows.map((r) =>
    withYears({
      id: r.id,
      status: r.status,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      wentLive: Boolean(r.went_live),
      cancelledAt: r.cancelled_at ?? null,
      territorySlug: r.territory_slug,
      territoryName: r.territory_name,
      themeSlug: r.theme_slug,
      themeName: r.theme_name,
    }),
  );
}

function yearRange(year: number): [string, string] {
  return [
    startOfDayInParis(`${year}-01-01`).toISOString(),
    startOfDayInParis(`${year + 1}-01-01`).toISOString(),
  ];
}

async function ledgerTotals(db: Db, period: Period): Promise<{ commission: number; payouts: number }> {
  let q = db
    .selectFrom("ledger_entries")
    .select(["kind", sql<number>`sum(amount_cents)`.as("total")])
    .where("kind", "in", ["commission", "commission_reversal", "payout", "payout_reversal"]);
  if (period.kind === "year") {
    const [from, to] = yearRange(period.year);
    q = q.where("at", ">=", from).where("at", "<", to);
  }
  const rows = await q.groupBy("kind").execute();
  const get = (k: string) => Number(rows.find((r) => r.kind === k)?.total ?? 0);
  return {
    commission: get("commission") - get("commission_reversal"),
    payouts: get("payout") - get("payout_reversal"),
  };
}

async function moneyByCampaign(db: Db, period: Period) {
  let q = db
    .selectFrom("figure_campaign_years")
    .select([
      "campaign_id",
      sql<number>`sum(contributions)`.as("contributions"),
      sql<number>`sum(collected_cents)`.as("collected"),
      sql<number>`sum(refunded_cents)`.as("refunded"),
    ]);
  if (period.kind === "year") q = q.where("year", "=", period.year);
  const rows = await q.groupBy("campaign_id").execute();
  return rows.map((r) => ({
    campaignId: r.campaign_id,
    contributions: Number(r.contributions),
    collected: Number(r.collected),
    refunded: Number(r.refunded),
  }));
}

function breakdown(
  campaigns: CampaignRow[],
  money: Map<number, number>,
  period: Period,
  key: (c: CampaignRow) => { slug: string; name: string },
  all: Array<{ slug: string; name: string }>,
): BreakdownRow[] {
  const rows = new Map(all.map((a) => [a.slug, { ...a, launched: 0, funded: 0, collectedCents: 0 }]));
  for (const c of campaigns) {
    const row = rows.get(key(c).slug);
    if (!row) continue;
    const kinds = classify(c, period);
    if (kinds.includes("launched")) row.launched += 1;
    if (kinds.includes("funded")) row.funded += 1;
    row.collectedCents += money.get(c.id) ?? 0;
  }
  return [...rows.values()];
}

/** The key figures for one period. */
interface Shared {
  campaigns: CampaignRow[];
  territories: Array<{ slug: string; name: string }>;
  themes: Array<{ slug: string; name: string }>;
  review: ReviewFacts[];
  /** per campaign, what it kept from citizens over all years (received − refunded) */
  keptByCampaign: Map<number, number>;
}

/** Every campaign's first submission and first approval, as Paris years. */
async function reviewRows(db: Db): Promise<ReviewFacts[]> {
  const rows = await db
    .selectFrom("campaign_transitions")
    .select(["campaign_id", "event", sql<string>`min(at)`.as("first_at")])
    .where("event", "in", ["submit", "approve"])
    .groupBy(["campaign_id", "event"])
    .execute();
  const byCampaign = new Map<number, ReviewFacts>();
  for (const r of rows) {
    const facts = byCampaign.get(r.campaign_id) ?? { submittedYear: null, approvedYear: null };
    const year = parisYear(new Date(r.first_at));
    if (r.event === "submit") facts.submittedYear = year;
    else facts.approvedYear = year;
    byCampaign.set(r.campaign_id, facts);
  }
  return [...byCampaign.values()];
}

async function shared(db: Db): Promise<Shared> {
  const [campaigns, territories, themes, review, kept] = await Promise.all([
    campaignRows(db),
    db.selectFrom("territories").select(["slug", "name"]).orderBy("position").execute(),
    db.selectFrom("themes").select(["slug", "name"]).orderBy("position").execute(),
    reviewRows(db),
    moneyByCampaign(db, { kind: "all" }),
  ]);
  const keptByCampaign = new Map(kept.map((m) => [m.campaignId, m.collected - m.refunded]));
  return { campaigns, territories, themes, review, keptByCampaign };
}

export async function figuresFor(db: Db, period: Period): Promise<Figures> {
  return figuresWith(db, period, await shared(db));
}

async function figuresWith(
  db: Db,
  period: Period,
  { campaigns, territories, themes, review, keptByCampaign }: Shared,
): Promise<Figures> {
  const [money, ledger, citizens] = await Promise.all([
    moneyByCampaign(db, period),
    ledgerTotals(db, period),
    db
      .selectFrom("figure_periods")
      .select("citizens")
      .where("period", "=", periodKey(period))
      .executeTakeFirst(),
  ]);
  const counts = countCampaigns(campaigns, period);
  const collectedByCampaign = new Map(money.map((m) => [m.campaignId, m.collected]));
  const collectedCents = money.reduce((s, m) => s + m.collected, 0);
  const contributions = money.reduce((s, m) => s + m.contributions, 0);
  const citizenCount = Number(citizens?.citizens ?? 0);
  const fundedCampaignsCents = campaigns
    .filter((c) => classify(c, period).includes("funded"))
    .reduce((sum, c) => sum + (keptByCampaign.get(c.id) ?? 0), 0);
  return {
    period,
    ...counts,
    successRatePercent: successRatePercent(counts.funded, counts.failed),
    collectedCents,
    refundedCents: money.reduce((s, m) => s + m.refunded, 0),
    contributions,
    averageContributionCents: averageCents(collectedCents, contributions),
    citizens: citizenCount,
    commissionCents: ledger.commission,
    paidToHoldersCents: ledger.payouts,
    byTerritory: breakdown(
      campaigns,
      collectedByCampaign,
      period,
      (c) => ({ slug: c.territorySlug, name: c.territoryName }),
      territories,
    ),
    byTheme: breakdown(
      campaigns,
      collectedByCampaign,
      period,
      (c) => ({ slug: c.themeSlug, name: c.themeName }),
      themes,
    ),
    ...countReview(review, period),
    fundedCampaignsCents,
    averagePerFundedProjectCents: averageCents(fundedCampaignsCents, counts.funded),
    averagePerCitizenCents: averageCents(collectedCents, citizenCount),
  };
}

/**
 * The three figures of the home page, since launch, all about the same campaigns — those funded
 * (« projets propulsés »): the money they kept (« collectés », domain/figures.ts fundedNetCents) and
 * the people whose money it is (« citoyens impliqués »: distinct e-mail addresses with at least one
 * contribution a funded campaign kept, i.e. received and not refunded; ADR 031).
 */
export async function homeFigures(
  db: Db,
): Promise<{ funded: number; collectedCents: number; citizens: number }> {
  const all: Period = { kind: "all" };
  const [campaigns, money, citizens] = await Promise.all([
    campaignRows(db),
    moneyByCampaign(db, all),
    db
      .selectFrom("figure_campaign_citizens as f")
      .innerJoin("campaigns as c", "c.id", "f.campaign_id")
      .select(sql<number>`count(distinct f.email)`.as("n"))
      .where("c.status", "=", "funded")
      .where("f.contributions", ">", 0)
      .executeTakeFirst(),
  ]);
  return {
    funded: countCampaigns(campaigns, all).funded,
    collectedCents: fundedNetCents(campaigns, money),
    citizens: Number(citizens?.n ?? 0),
  };
}

/** Years with any activity (a campaign launched or decided, money received, commission or payouts), oldest first. */
export async function activityYears(db: Db, known?: CampaignRow[]): Promise<number[]> {
  const [campaigns, moneyYears, ledger] = await Promise.all([
    known ?? campaignRows(db),
    db.selectFrom("figure_campaign_years").select("year").distinct().execute(),
    db
      .selectFrom("ledger_entries")
      .select("at")
      .where("kind", "in", ["commission", "commission_reversal", "payout", "payout_reversal"])
      .execute(),
  ]);
  const years = new Set<number>(moneyYears.map((r) => r.year));
  // A campaign that ends on 31 December is paid out in January: that year has figures too.
  for (const e of ledger) years.add(parisYear(new Date(e.at)));
  for (const c of campaigns) {
    if (!wasLaunched(c)) continue; // cancelled before it went live: counted nowhere
    years.add(c.startYear!);
    if (c.status !== "live" && c.status !== "settling") years.add(c.endYear!);
  }
  return [...years].sort((a, b) => a - b);
}

/** The figures of every active year, and since launch. */
export async function annualReport(db: Db): Promise<{ years: Figures[]; sinceLaunch: Figures }> {
  const common = await shared(db);
  const years = await activityYears(db, common.campaigns);
  const [sinceLaunch, ...perYear] = await Promise.all([
    figuresWith(db, { kind: "all" }, common),
    ...years.map((year) => figuresWith(db, { kind: "year", year }, common)),
  ]);
  return { years: perYear, sinceLaunch: sinceLaunch };
}
