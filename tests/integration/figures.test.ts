/**
 * Key figures (app/models/figures.server.ts) against the data itself.
 *
 * 1. The seed: 2024 is Propulsons!' published year (10 campaigns, 100 %, 56 938 €, 686 citizens).
 * 2. Generated data (seeded PRNG: several years, payments right around New Year in
 *    Paris and the DST changes, refunds, failed refunds, the same citizens across years
 *    and campaigns, commission and payouts around Paris New Year), written the way the
 *    webhook writes it (row and aggregates in one transaction), compared field by field
 *    with a plain recomputation written here from the raw rows (luxon for the Paris year).
 *    The aggregate check must see tampering, and the rebuild must repair it.
 * 3. The real webhook path: a signed checkout.session.completed, then refund webhooks.
 */
import fs from "node:fs";
import { DateTime } from "luxon";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Kysely } from "kysely";

// config() reads the environment once, on its first call: demo mode (no keys), outbox in a temporary folder.
const outboxDir = vi.hoisted(() => {
  const dir = `${process.env.TMPDIR ?? "/tmp"}/propulsons-figures-outbox-${process.pid}`;
  process.env.DEMO_OUTBOX_PATH = `${dir}/outbox.jsonl`;
  delete process.env.STRIPE_SECRET_KEY;
  delete process.env.STRIPE_WEBHOOK_SECRET;
  delete process.env.RESEND_API_KEY;
  return dir;
});

import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import type { DB, LedgerKind } from "#db/schema";
import { seedDatabase } from "#db/seed/seed";
import type { CampaignState } from "~/domain/campaign-machine";
import type { ContributionStatus } from "~/domain/contribution-status";
import type { Period } from "~/domain/figures";
import {
  activityYears,
  annualReport,
  checkFigureAggregates,
  figuresFor,
  homeFigures,
  rebuildFigureAggregates,
  recordCollected,
  recordRefunded,
  type Figures,
} from "~/models/figures.server";
import { closeDatabase, initDatabase } from "~/db.server";
import { figuresCsv, figuresOpenData } from "~/models/open-data.server";
import { startContribution } from "~/payments/contributions.server";
import { DEMO_WEBHOOK_SECRET } from "~/payments/stripe.server";
import { action } from "~/routes/webhooks.stripe";
import { handlers } from "~/demo/index.server";
import { makeEvent, payCheckout, stripeMock, type MockEvent } from "~/demo/stripe-api.server";
import { signPayload } from "~/demo/stripe-webhooks.server";
import { SEED_NOW, tempDatabasePath } from "../support/db";
import { mulberry32 } from "../support/random";

afterAll(() => {
  fs.rmSync(outboxDir, { recursive: true, force: true });
});

const ALL: Period = { kind: "all" };
const year = (y: number): Period => ({ kind: "year", year: y });

// ---------------------------------------------------------------------------
// The plain recomputation: raw rows in, every field of Figures out. Written from
// the rules (docs/product-rules.md, the module's header), independently of the module.

const TZ = "Europe/Paris";
const parisYearOf = (iso: string) => DateTime.fromISO(iso, { zone: TZ }).year;
const COLLECTED = new Set<ContributionStatus>(["paid", "refunding", "refunded", "refund_failed"]);

interface Raw {
  campaigns: Array<{
    id: number;
    status: CampaignState;
    starts_at: string;
    ends_at: string;
    territory_id: number;
    theme_id: number;
  }>;
  started: Set<number>;
  /** submit and approve transitions, for the projects received and accepted */
  reviews: Array<{ campaign_id: number; event: string; at: string }>;
  contributions: Array<{
    campaign_id: number;
    email: string;
    amount_cents: number;
    status: ContributionStatus;
    paid_at: string | null;
  }>;
  ledger: Array<{ kind: LedgerKind; amount_cents: number; at: string }>;
  territories: Array<{ id: number; slug: string; name: string; position: number }>;
  themes: Array<{ id: number; slug: string; name: string; position: number }>;
}

async function readRaw(db: Kysely<DB>): Promise<Raw> {
  const [campaigns, starts, reviews, contributions, ledger, territories, themes] = await Promise.all([
    db
      .selectFrom("campaigns")
      .select(["id", "status", "starts_at", "ends_at", "territory_id", "theme_id"])
      .execute(),
    db.selectFrom("campaign_transitions").select("campaign_id").where("event", "=", "start").execute(),
    db
      .selectFrom("campaign_transitions")
      .select(["campaign_id", "event", "at"])
      .where("event", "in", ["submit", "approve"])
      .execute(),
    db
      .selectFrom("contributions")
      .select(["campaign_id", "email", "amount_cents", "status", "paid_at"])
      .execute(),
    db.selectFrom("ledger_entries").select(["kind", "amount_cents", "at"]).execute(),
    db.selectFrom("territories").selectAll().execute(),
    db.selectFrom("themes").selectAll().execute(),
  ]);
  return {
    campaigns,
    started: new Set(starts.map((s) => s.campaign_id)),
    reviews,
    contributions,
    ledger,
    territories,
    themes,
  };
}

function expectedFigures(raw: Raw, period: Period): Figures {
  const inPeriod = (iso: string) => period.kind === "all" || parisYearOf(iso) === period.year;
  const running = (s: CampaignState) => s === "live" || s === "settling";
  const launchedEver = (c: Raw["campaigns"][number]) =>
    raw.started.has(c.id) || running(c.status) || c.status === "funded" || c.status === "failed";

  const perCampaign = new Map<
    number,
    { launched: boolean; funded: boolean; failed: boolean; cancelled: boolean; inProgress: boolean }
  >();
  for (const c of raw.campaigns) {
    const launched = launchedEver(c);
    const startYear = parisYearOf(c.starts_at);
    const endYear = parisYearOf(c.ends_at);
    const decidedHere = period.kind === "all" || endYear === period.year;
    perCampaign.set(c.id, {
      launched: launched && (period.kind === "all" || startYear === period.year),
      funded: launched && c.status === "funded" && decidedHere,
      failed: launched && c.status === "failed" && decidedHere,
      cancelled: launched && c.status === "cancelled" && decidedHere,
      inProgress:
        launched &&
        (period.kind === "all"
          ? running(c.status)
          : startYear <= period.year &&
            (endYear > period.year || (endYear === period.year && running(c.status)))),
    });
  }
  const count = (k: "launched" | "funded" | "failed" | "cancelled" | "inProgress") =>
    [...perCampaign.values()].filter((v) => v[k]).length;

  const collected = raw.contributions.filter(
    (k) => COLLECTED.has(k.status) && k.paid_at !== null && inPeriod(k.paid_at),
  );
  const collectedCents = collected.reduce((s, k) => s + k.amount_cents, 0);
  const refundedCents = collected
    .filter((k) => k.status === "refunded")
    .reduce((s, k) => s + k.amount_cents, 0);
  const collectedByCampaign = new Map<number, number>();
  for (const k of collected)
    collectedByCampaign.set(k.campaign_id, (collectedByCampaign.get(k.campaign_id) ?? 0) + k.amount_cents);

  const ledgerSum = (kind: LedgerKind) =>
    raw.ledger.filter((e) => e.kind === kind && inPeriod(e.at)).reduce((s, e) => s + e.amount_cents, 0);

  const funded = count("funded");
  const failed = count("failed");
  const citizens = new Set(collected.map((k) => k.email)).size;
  // Received and accepted: a campaign counts once, in the Paris year of its first submit / approve.
  const firstOf = (event: string) => {
    const first = new Map<number, string>();
    for (const r of raw.reviews)
      if (r.event === event && (!first.has(r.campaign_id) || r.at < first.get(r.campaign_id)!))
        first.set(r.campaign_id, r.at);
    return [...first.values()].filter(inPeriod).length;
  };
  // What the campaigns funded in the period kept from citizens, whatever the year of payment.
  const fundedCampaignsCents = raw.contributions
    .filter(
      (k) =>
        perCampaign.get(k.campaign_id)!.funded &&
        COLLECTED.has(k.status) &&
        k.status !== "refunded" &&
        k.paid_at !== null,
    )
    .reduce((s, k) => s + k.amount_cents, 0);
  const breakdown = (rows: Raw["territories"], of: (c: Raw["campaigns"][number]) => number) =>
    [...rows]
      .sort((a, b) => a.position - b.position)
      .map((r) => {
        const mine = raw.campaigns.filter((c) => of(c) === r.id);
        return {
          slug: r.slug,
          name: r.name,
          launched: mine.filter((c) => perCampaign.get(c.id)!.launched).length,
          funded: mine.filter((c) => perCampaign.get(c.id)!.funded).length,
          collectedCents: mine.reduce((s, c) => s + (collectedByCampaign.get(c.id) ?? 0), 0),
        };
      });

  return {
    period,
    launched: count("launched"),
    funded,
    failed,
    cancelled: count("cancelled"),
    inProgress: count("inProgress"),
    successRatePercent: funded + failed === 0 ? null : Math.round((100 * funded) / (funded + failed)),
    collectedCents,
    refundedCents,
    contributions: collected.length,
    averageContributionCents: collected.length === 0 ? null : Math.round(collectedCents / collected.length),
    citizens,
    commissionCents: ledgerSum("commission") - ledgerSum("commission_reversal"),
    paidToHoldersCents: ledgerSum("payout") - ledgerSum("payout_reversal"),
    byTerritory: breakdown(raw.territories, (c) => c.territory_id),
    byTheme: breakdown(raw.themes, (c) => c.theme_id),
    submitted: firstOf("submit"),
    approved: firstOf("approve"),
    fundedCampaignsCents,
    averagePerFundedProjectCents: funded === 0 ? null : Math.round(fundedCampaignsCents / funded),
    averagePerCitizenCents: citizens === 0 ? null : Math.round(collectedCents / citizens),
  };
}

/** Every Paris year with activity: a campaign launched or decided, money received, commission or payouts. */
function expectedActiveYears(raw: Raw): number[] {
  const years = new Set<number>();
  for (const c of raw.campaigns) {
    const launched = raw.started.has(c.id) || ["live", "settling", "funded", "failed"].includes(c.status);
    if (!launched) continue;
    years.add(parisYearOf(c.starts_at));
    if (c.status === "funded" || c.status === "failed" || c.status === "cancelled")
      years.add(parisYearOf(c.ends_at));
  }
  for (const k of raw.contributions)
    if (COLLECTED.has(k.status) && k.paid_at) years.add(parisYearOf(k.paid_at));
  for (const e of raw.ledger)
    if (["commission", "commission_reversal", "payout", "payout_reversal"].includes(e.kind))
      years.add(parisYearOf(e.at));
  return [...years].sort((a, b) => a - b);
}

/** Every field, every period from `from` to `to`, and since launch. */
async function expectFiguresMatch(db: Kysely<DB>, from: number, to: number, label: string): Promise<Raw> {
  const raw = await readRaw(db);
  for (let y = from; y <= to; y++) {
    expect(await figuresFor(db, year(y)), `${label}: figures of ${y}`).toEqual(expectedFigures(raw, year(y)));
  }
  expect(await figuresFor(db, ALL), `${label}: figures since launch`).toEqual(expectedFigures(raw, ALL));
  return raw;
}

/**
 * The home page's « citoyens impliqués », recomputed from the rows: distinct addresses with a
 * contribution that a funded campaign kept (received, not refunded) — the money of « collectés par
 * les projets propulsés » (ADR 026, ADR 031).
 */
function expectedHomeCitizens(raw: Raw): number {
  const funded = new Set(raw.campaigns.filter((c) => c.status === "funded").map((c) => c.id));
  return new Set(
    raw.contributions
      .filter((k) => funded.has(k.campaign_id) && COLLECTED.has(k.status) && k.status !== "refunded")
      .map((k) => k.email),
  ).size;
}

// ---------------------------------------------------------------------------

describe("key figures on the seed data", () => {
  let database: Database;
  let cleanup: () => void;

  beforeAll(async () => {
    const tmp = tempDatabasePath("figures-seed");
    cleanup = tmp.cleanup;
    database = openDatabase(tmp.file);
    await migrateToLatest(database.db);
    await seedDatabase(database.db, { now: SEED_NOW });
  });

  afterAll(async () => {
    await database.close();
    cleanup();
  });

  it("2024 is the published year: 10 campaigns launched, 10 funded, 100 %, 56 938 €, 686 citizens", async () => {
    const f = await figuresFor(database.db, year(2024));
    expect({
      launched: f.launched,
      funded: f.funded,
      failed: f.failed,
      successRatePercent: f.successRatePercent,
      collectedCents: f.collectedCents,
      citizens: f.citizens,
    }).toEqual({
      launched: 10,
      funded: 10,
      failed: 0,
      successRatePercent: 100,
      collectedCents: 5_693_800,
      citizens: 686,
    });
  });

  it("the home page: 10 projects, 56 938 €, and the 686 citizens of those ten, not of the running or failed ones", async () => {
    const home = await homeFigures(database.db);
    expect(home).toEqual({ funded: 10, collectedCents: 5_693_800, citizens: 686 });
    expect(home.citizens).toBe(expectedHomeCitizens(await readRaw(database.db)));
    // Since launch counts everyone whose money arrived: more than the home's figure.
    expect((await figuresFor(database.db, ALL)).citizens).toBeGreaterThan(686);
  });

  it("the IFP report per year: projects received, accepted, funded, amounts, contributors, averages", async () => {
    // Seed history: a launched campaign is submitted 20 days and approved 15 days before its start;
    // the one waiting for review was submitted 2 days before SEED_NOW (2026-11-10).
    const { years, sinceLaunch } = await annualReport(database.db);
    const ifp = (f: Figures) => ({
      submitted: f.submitted,
      approved: f.approved,
      funded: f.funded,
      collectedCents: f.collectedCents,
      citizens: f.citizens,
      averagePerFundedProjectCents: f.averagePerFundedProjectCents,
      averagePerCitizenCents: f.averagePerCitizenCents,
    });
    expect(years.map((f) => (f.period.kind === "year" ? f.period.year : 0))).toEqual([2024, 2025, 2026]);
    expect(years.map(ifp)).toEqual([
      // 2024: the ten campaigns of the activity report, all funded: 56 938 € / 10, 56 938 € / 686 = 83 €
      {
        submitted: 10,
        approved: 10,
        funded: 10,
        collectedCents: 5_693_800,
        citizens: 686,
        averagePerFundedProjectCents: 569_380,
        averagePerCitizenCents: 8_300,
      },
      // 2025: the failed campaign (submitted, approved, not funded): 2 395 € from 35 contributors
      {
        submitted: 1,
        approved: 1,
        funded: 0,
        collectedCents: 239_500,
        citizens: 35,
        averagePerFundedProjectCents: null,
        averagePerCitizenCents: 6_843,
      },
      // 2026: eight running campaigns accepted, plus one waiting for review
      {
        submitted: 9,
        approved: 8,
        funded: 0,
        collectedCents: 3_035_000,
        citizens: 448,
        averagePerFundedProjectCents: null,
        averagePerCitizenCents: 6_775,
      },
    ]);
    expect(ifp(sinceLaunch)).toEqual({
      submitted: 20,
      approved: 19,
      funded: 10,
      collectedCents: 8_968_300,
      citizens: 1_048,
      averagePerFundedProjectCents: 569_380,
      averagePerCitizenCents: 8_558,
    });
  });

  it("the open data carry the IFP figures of the annual report, from the same Figures, in JSON and CSV", async () => {
    const { years, sinceLaunch } = await annualReport(database.db);
    const data = await figuresOpenData(database.db);
    const ifp = (f: Figures) => ({
      projets_recus: f.submitted,
      projets_acceptes: f.approved,
      projets_finances: f.funded,
      montant_projets_finances_centimes: f.fundedCampaignsCents,
      moyenne_par_projet_finance_centimes: f.averagePerFundedProjectCents,
      moyenne_par_contributeur_centimes: f.averagePerCitizenCents,
      collecte_centimes: f.collectedCents,
      citoyens: f.citizens,
    });
    const pick = (r: ReturnType<typeof ifp>) => ({
      projets_recus: r.projets_recus,
      projets_acceptes: r.projets_acceptes,
      projets_finances: r.projets_finances,
      montant_projets_finances_centimes: r.montant_projets_finances_centimes,
      moyenne_par_projet_finance_centimes: r.moyenne_par_projet_finance_centimes,
      moyenne_par_contributeur_centimes: r.moyenne_par_contributeur_centimes,
      collecte_centimes: r.collecte_centimes,
      citoyens: r.citoyens,
    });
    expect(data.annees.map(pick)).toEqual(years.map(ifp));
    expect(pick(data.depuis_lancement)).toEqual(ifp(sinceLaunch));
    // 2024 as published: 10 received, accepted and funded, 56 938 € kept, 5 693,80 € per project, 83 € per contributor.
    expect(pick(data.annees.find((a) => a.periode === "2024")!)).toEqual({
      projets_recus: 10,
      projets_acceptes: 10,
      projets_finances: 10,
      montant_projets_finances_centimes: 5_693_800,
      moyenne_par_projet_finance_centimes: 569_380,
      moyenne_par_contributeur_centimes: 8_300,
      collecte_centimes: 5_693_800,
      citoyens: 686,
    });
    const [header, ...rows] = figuresCsv(data).trim().split(/\r?\n/);
    const columns = header!.split(",");
    expect(columns.slice(-7)).toEqual([
      "projets_recus",
      "projets_acceptes",
      "projets_finances",
      "montant_projets_finances_euros",
      "moyenne_par_projet_finance_euros",
      "moyenne_par_contributeur_euros",
      // the abondement, its own column (no fund in this generated data)
      "abondement_confirme_euros",
    ]);
    const row2024 = rows.find((r) => r.startsWith("2024,"))!.split(",");
    expect(row2024.slice(-7)).toEqual(["10", "10", "10", "56938.00", "5693.80", "83.00", "0.00"]);
    const rowAll = rows.find((r) => r.startsWith("depuis_lancement,"))!.split(",");
    expect(rowAll.slice(-7)).toEqual(["20", "19", "10", "56938.00", "5693.80", "85.58", "0.00"]);
  });

  it("the maintained aggregates equal a plain recomputation", async () => {
    expect(await checkFigureAggregates(database.db)).toEqual([]);
  });

  it("every year and since launch equal a plain recomputation of the rows", async () => {
    const raw = await expectFiguresMatch(database.db, 2023, 2027, "seed");
    expect(await activityYears(database.db)).toEqual(expectedActiveYears(raw));
  });
});

// ---------------------------------------------------------------------------

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** « now » of the generated platform: early January, so that campaigns run across New Year. */
const GEN_NOW = new Date("2026-01-05T10:00:00.000Z");
const parisMidnight = (date: string) =>
  DateTime.fromISO(date, { zone: TZ }).startOf("day").toUTC().toJSDate();
const parisEndOfDay = (date: string) =>
  DateTime.fromISO(date, { zone: TZ })
    .set({ hour: 23, minute: 59, second: 59, millisecond: 0 })
    .toUTC()
    .toJSDate();

/** Instants where a wrong time-zone rule shows: Paris New Year and the two DST changes, ± a little. */
function trickyInstants(fromYear: number, toYear: number): number[] {
  const out: number[] = [];
  const around = (t: number) =>
    out.push(t - HOUR, t - 30 * 60_000, t - 1, t, t + 1, t + 30 * 60_000, t + HOUR);
  for (let y = fromYear; y <= toYear; y++) {
    around(parisMidnight(`${y}-01-01`).getTime()); // 23:00 UTC the day before
    around(Date.UTC(y, 0, 1)); // UTC New Year: already 01:00 in Paris
    for (const month of [3, 10]) {
      // last Sunday of March / October, 01:00 UTC: the clocks change
      const lastDay = DateTime.fromObject({ year: y, month, day: 31 }, { zone: "UTC" });
      around(
        lastDay
          .minus({ days: lastDay.weekday % 7 })
          .set({ hour: 1 })
          .toMillis(),
      );
    }
  }
  return out.sort((a, b) => a - b);
}

interface GenCampaign {
  id: number;
  status: CampaignState;
  startsAt: Date;
  endsAt: Date;
  wentLive: boolean;
}

describe("key figures on generated data, against a plain recomputation", () => {
  let database: Database;
  let cleanup: () => void;
  let db: Kysely<DB>;
  const FIRST_YEAR = 2014;
  const LAST_YEAR = 2027;

  beforeAll(async () => {
    const tmp = tempDatabasePath("figures-generated");
    cleanup = tmp.cleanup;
    database = openDatabase(tmp.file);
    db = database.db;
    await migrateToLatest(db);
    await generate(db, mulberry32(20260105));
  });

  afterAll(async () => {
    await database.close();
    cleanup();
  });

  async function generate(db: Kysely<DB>, rnd: () => number): Promise<void> {
    const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
    const chance = (p: number) => rnd() < p;
    const pad = (n: number) => String(n).padStart(2, "0");
    const territories = await db.selectFrom("territories").select("id").orderBy("position").execute();
    const themes = await db.selectFrom("themes").select("id").orderBy("position").execute();
    const holder = await db
      .insertInto("users")
      .values({
        email: "porteuse.chiffres@example.org",
        display_name: "Porteuse",
        role: "holder",
        created_at: "2015-01-01T00:00:00.000Z",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const org = await db
      .insertInto("organizations")
      .values({
        owner_user_id: holder.id,
        name: "Association des chiffres",
        legal_form: "association",
        registration_number: null,
        town: "Arras",
        territory_id: territories[0]!.id,
        stripe_account_id: "acct_figures",
        stripe_payouts_enabled: 1,
        created_at: "2015-01-01T00:00:00.000Z",
      })
      .returning("id")
      .executeTakeFirstOrThrow();

    // Campaign windows (Paris calendar dates): across New Year, across the DST changes, mid-year, over two years.
    const windows: Array<{ start: string; end: string; forced?: CampaignState; live?: boolean }> = [
      // a year where only a campaign cancelled before it went live exists: nothing to report
      { start: "2015-05-04", end: "2015-06-30", forced: "cancelled", live: false },
      // ends on 31 December 2016: paid out in January 2017, a year with no other activity
      { start: "2016-11-01", end: "2016-12-31", forced: "funded" },
      // ends on 31 December 2025, still settling on 5 January 2026
      { start: "2025-11-15", end: "2025-12-31", forced: "settling" },
      // starts 2024-12-20, ends 2025-01-15
      { start: "2024-12-20", end: "2025-01-15", forced: "funded" },
      { start: "2024-12-20", end: "2025-01-15", forced: "failed" },
      { start: "2024-12-20", end: "2025-01-15", forced: "cancelled", live: true },
    ];
    for (let y = 2019; y <= 2026; y++) {
      windows.push(
        { start: `${y - 1}-12-${pad(int(5, 22))}`, end: `${y}-01-${pad(int(3, 25))}` },
        { start: `${y}-02-${pad(int(1, 20))}`, end: `${y}-04-${pad(int(3, 20))}` },
        { start: `${y}-09-${pad(int(10, 28))}`, end: `${y}-11-${pad(int(3, 20))}` },
        { start: `${y}-05-${pad(int(1, 28))}`, end: `${y}-07-${pad(int(1, 28))}` },
      );
      if (y % 3 === 0)
        windows.push({ start: `${y - 1}-10-${pad(int(1, 28))}`, end: `${y + 1}-02-${pad(int(1, 28))}` });
    }

    const campaigns: GenCampaign[] = [];
    for (const [i, w] of windows.entries()) {
      const startsAt = parisMidnight(w.start);
      const endsAt = parisEndOfDay(w.end);
      let status: CampaignState;
      let wentLive: boolean;
      if (w.forced) {
        status = w.forced;
        wentLive = w.live ?? true;
      } else if (startsAt > GEN_NOW) {
        [status, wentLive] = [chance(0.5) ? "approved" : "submitted", false];
      } else if (endsAt > GEN_NOW) {
        [status, wentLive] = chance(0.1) ? ["cancelled", true] : ["live", true];
      } else if (GEN_NOW.getTime() - endsAt.getTime() < 6 * DAY) {
        [status, wentLive] = ["settling", true];
      } else {
        const r = rnd();
        if (r < 0.55) [status, wentLive] = ["funded", true];
        else if (r < 0.75) [status, wentLive] = ["failed", true];
        else if (r < 0.85) [status, wentLive] = ["cancelled", true];
        else if (r < 0.92) [status, wentLive] = ["cancelled", false];
        else [status, wentLive] = ["rejected", false];
      }
      const row = await db
        .insertInto("campaigns")
        .values({
          organization_id: org.id,
          slug: `chiffres-${i + 1}`,
          title: `Campagne ${i + 1}`,
          summary: "—",
          story_md: "—",
          goal_cents: int(10, 200) * 10_000,
          starts_at: startsAt.toISOString(),
          ends_at: endsAt.toISOString(),
          territory_id: territories[int(0, territories.length - 1)]!.id,
          theme_id: themes[int(0, themes.length - 1)]!.id,
          budget_citoyen_year: chance(0.15) ? startsAt.getUTCFullYear() : null,
          expected_results_md: "—",
          timetable_md: "—",
          image_path: null,
          status,
          featured: 0,
          created_at: new Date(startsAt.getTime() - 30 * DAY).toISOString(),
          updated_at: startsAt.toISOString(),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const transitions: Array<{
        event: "create" | "start";
        from: CampaignState | null;
        to: CampaignState;
        at: Date;
      }> = [{ event: "create", from: null, to: "draft", at: new Date(startsAt.getTime() - 30 * DAY) }];
      if (wentLive) transitions.push({ event: "start", from: "approved", to: "live", at: startsAt });
      await db
        .insertInto("campaign_transitions")
        .values(
          transitions.map((t) => ({
            campaign_id: row.id,
            from_status: t.from,
            to_status: t.to,
            event: t.event,
            actor_user_id: null,
            actor_role: "system",
            reason: null,
            at: t.at.toISOString(),
          })),
        )
        .execute();
      campaigns.push({ id: row.id, status, startsAt, endsAt, wentLive });
    }

    // Contributions, each written like the webhook does: row, ledger entry and aggregates in one transaction.
    const tricky = trickyInstants(FIRST_YEAR, LAST_YEAR);
    const emails = Array.from({ length: 60 }, (_, i) => `citoyen${i + 1}@example.org`);
    let unique = 0;
    const pickEmail = () =>
      chance(0.15) ? `unique${++unique}@example.org` : emails[Math.floor(rnd() ** 2 * emails.length)]!;
    const toRefund: Array<{
      id: number;
      campaignId: number;
      email: string;
      amount: number;
      paidAt: string;
      to: ContributionStatus;
      at: Date;
    }> = [];
    const paidByCampaign = new Map<number, number>();

    for (const c of campaigns) {
      if (!c.wentLive) continue;
      const until = Math.min(c.endsAt.getTime(), GEN_NOW.getTime() - HOUR);
      const inWindow = tricky.filter((t) => t >= c.startsAt.getTime() && t <= until);
      const n = int(6, 22);
      for (let k = 0; k < n; k++) {
        const paidAtMs =
          inWindow.length > 0 && chance(0.5)
            ? inWindow[int(0, inWindow.length - 1)]!
            : int(c.startsAt.getTime(), until);
        const paidAt = new Date(paidAtMs).toISOString();
        const amount = chance(0.3) ? int(100, 99_999) : int(1, 30) * 500;
        const email = pickEmail();
        // what happens to it afterwards
        let fate: ContributionStatus;
        const r = rnd();
        if (c.status === "failed" || c.status === "cancelled")
          fate = r < 0.75 ? "refunded" : r < 0.85 ? "refund_failed" : r < 0.93 ? "refunding" : "paid";
        else if (c.status === "funded")
          fate = r < 0.06 ? "refunded" : r < 0.09 ? "refund_failed" : r < 0.11 ? "refunding" : "paid";
        else fate = r < 0.03 ? "refunded" : "paid";
        const id = await db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto("contributions")
            .values({
              campaign_id: c.id,
              user_id: null,
              email,
              public_name: "Citoyen",
              amount_cents: amount,
              reward_id: null,
              anonymous: 0,
              hide_amount: 0,
              message: null,
              status: "paid",
              stripe_checkout_session_id: null,
              stripe_payment_intent_id: `pi_gen_${c.id}_${k}`,
              stripe_refund_id: null,
              created_at: new Date(paidAtMs - 10 * 60_000).toISOString(),
              paid_at: paidAt,
              updated_at: paidAt,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          await trx
            .insertInto("ledger_entries")
            .values({
              campaign_id: c.id,
              contribution_id: row.id,
              kind: "contribution_paid",
              amount_cents: amount,
              at: paidAt,
            })
            .execute();
          await recordCollected(trx, { campaignId: c.id, email, amountCents: amount, paidAt });
          return row.id;
        });
        if (fate === "paid") paidByCampaign.set(c.id, (paidByCampaign.get(c.id) ?? 0) + amount);
        else {
          const base =
            c.status === "failed" || c.status === "cancelled"
              ? Math.max(c.endsAt.getTime(), paidAtMs)
              : paidAtMs;
          const at = new Date(Math.min(base + int(HOUR, 20 * DAY), GEN_NOW.getTime()));
          toRefund.push({
            id,
            campaignId: c.id,
            email,
            amount,
            paidAt,
            to: fate,
            at: new Date(Math.max(at.getTime(), paidAtMs + 1)),
          });
        }
      }
      // checkouts that never paid: not counted anywhere
      for (let k = 0; k < int(0, 3); k++) {
        const status = (["pending", "failed", "expired"] as const)[int(0, 2)]!;
        const at = new Date(int(c.startsAt.getTime(), until)).toISOString();
        await db
          .insertInto("contributions")
          .values({
            campaign_id: c.id,
            user_id: null,
            email: pickEmail(),
            public_name: "Citoyen",
            amount_cents: int(1, 30) * 500,
            reward_id: null,
            anonymous: 0,
            hide_amount: 0,
            message: null,
            status,
            stripe_checkout_session_id: null,
            stripe_payment_intent_id: null,
            stripe_refund_id: null,
            created_at: at,
            paid_at: null,
            updated_at: at,
          })
          .execute();
      }
    }

    // Refunds, in a later transaction each, as the refund webhook does (refunded → counted in the year of payment).
    toRefund.sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const r of toRefund) {
      await db.transaction().execute(async (trx) => {
        if (r.to === "refund_failed" || r.to === "refunded") {
          await trx
            .updateTable("contributions")
            .set({ status: "refunding", updated_at: r.at.toISOString() })
            .where("id", "=", r.id)
            .execute();
        }
        await trx
          .updateTable("contributions")
          .set({ status: r.to, updated_at: r.at.toISOString() })
          .where("id", "=", r.id)
          .execute();
        if (r.to === "refunded") {
          await trx
            .insertInto("ledger_entries")
            .values({
              campaign_id: r.campaignId,
              contribution_id: r.id,
              kind: "refund",
              amount_cents: r.amount,
              at: r.at.toISOString(),
            })
            .execute();
          await recordRefunded(trx, {
            campaignId: r.campaignId,
            email: r.email,
            amountCents: r.amount,
            paidAt: r.paidAt,
          });
        }
      });
    }

    // Commission and payouts of funded campaigns: shortly after the end, and some right at Paris New Year.
    const ledger: Array<{
      campaign_id: number;
      contribution_id: null;
      kind: LedgerKind;
      amount_cents: number;
      at: string;
    }> = [];
    const boundaryAt = (y: number) => [
      new Date(parisMidnight(`${y}-01-01`).getTime() - 1), // 2024-12-31T22:59:59.999Z → y − 1
      parisMidnight(`${y}-01-01`), // 2024-12-31T23:00:00.000Z → y
      new Date(Date.UTC(y - 1, 11, 31, 23, 30)),
      new Date(Date.UTC(y - 1, 11, 31, 22, 59, 59)),
    ];
    for (const c of campaigns) {
      if (c.status !== "funded") continue;
      const total = paidByCampaign.get(c.id) ?? 0;
      const commission = Math.floor((total * 300 + 5000) / 10_000);
      const settledAt = new Date(c.endsAt.getTime() + int(1, 96) * HOUR).toISOString();
      ledger.push({
        campaign_id: c.id,
        contribution_id: null,
        kind: "commission",
        amount_cents: commission,
        at: settledAt,
      });
      ledger.push({
        campaign_id: c.id,
        contribution_id: null,
        kind: "payout",
        amount_cents: total - commission,
        at: settledAt,
      });
      // a supplementary payout (a late payment), sometimes reversed, right around the next Paris New Year
      if (chance(0.5)) {
        const y = DateTime.fromJSDate(c.endsAt, { zone: TZ }).year + 1;
        const at = boundaryAt(y)[int(0, 3)]!.toISOString();
        const extra = int(1000, 9000);
        ledger.push({
          campaign_id: c.id,
          contribution_id: null,
          kind: "commission",
          amount_cents: Math.floor((extra * 300 + 5000) / 10_000),
          at,
        });
        ledger.push({
          campaign_id: c.id,
          contribution_id: null,
          kind: "payout",
          amount_cents: extra - Math.floor((extra * 300 + 5000) / 10_000),
          at,
        });
        if (chance(0.4)) {
          const back = boundaryAt(y)[int(0, 3)]!.toISOString();
          ledger.push({
            campaign_id: c.id,
            contribution_id: null,
            kind: "commission_reversal",
            amount_cents: Math.floor((extra * 300 + 5000) / 10_000),
            at: back,
          });
          ledger.push({
            campaign_id: c.id,
            contribution_id: null,
            kind: "payout_reversal",
            amount_cents: extra - Math.floor((extra * 300 + 5000) / 10_000),
            at: back,
          });
        }
      }
    }
    await db.insertInto("ledger_entries").values(ledger).execute();
  }

  it("the generated data exercises what it claims to", async () => {
    const raw = await readRaw(db);
    const collected = raw.contributions.filter((k) => COLLECTED.has(k.status));
    const statuses = new Set(raw.contributions.map((k) => k.status));
    expect([...statuses].sort()).toEqual([
      "expired",
      "failed",
      "paid",
      "pending",
      "refund_failed",
      "refunded",
      "refunding",
    ]);
    const utcVsParis = collected.filter(
      (k) => k.paid_at && new Date(k.paid_at).getUTCFullYear() !== parisYearOf(k.paid_at),
    );
    expect(utcVsParis.length, "payments whose UTC year is not their Paris year").toBeGreaterThan(5);
    const ledgerUtcVsParis = raw.ledger.filter(
      (e) =>
        e.kind !== "contribution_paid" &&
        e.kind !== "refund" &&
        new Date(e.at).getUTCFullYear() !== parisYearOf(e.at),
    );
    expect(
      ledgerUtcVsParis.length,
      "commission/payout entries whose UTC year is not their Paris year",
    ).toBeGreaterThan(1);
    const emailYears = new Map<string, Set<number>>();
    for (const k of collected)
      emailYears.set(k.email, (emailYears.get(k.email) ?? new Set()).add(parisYearOf(k.paid_at!)));
    expect(
      [...emailYears.values()].filter((s) => s.size > 1).length,
      "citizens who gave in several years",
    ).toBeGreaterThan(10);
    const years = new Set(collected.map((k) => parisYearOf(k.paid_at!)));
    expect(years.size).toBeGreaterThanOrEqual(8);
    for (const s of ["funded", "failed", "cancelled", "live", "settling"] as const) {
      expect(
        raw.campaigns.some((c) => c.status === s),
        s,
      ).toBe(true);
    }
    // 2015: only a campaign cancelled before it went live; 2017: only the payout of a campaign ended on 31 December 2016
    const campaignYears = new Set(
      raw.campaigns.flatMap((c) => [parisYearOf(c.starts_at), parisYearOf(c.ends_at)]),
    );
    expect([campaignYears.has(2015), years.has(2015), campaignYears.has(2017), years.has(2017)]).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(
      raw.ledger.some((e) => e.kind === "payout" && parisYearOf(e.at) === 2017),
      "a payout in 2017",
    ).toBe(true);
  });

  it("every field of every year and since launch equals the plain recomputation", async () => {
    await expectFiguresMatch(db, FIRST_YEAR, LAST_YEAR, "generated");
  });

  it("the aggregates written along the payments equal a plain recomputation", async () => {
    expect(await checkFigureAggregates(db)).toEqual([]);
  });

  it("the home page's citizens are those whose money a funded campaign kept: refunded ones and running campaigns left out", async () => {
    const raw = await readRaw(db);
    const home = await homeFigures(db);
    const expected = expectedHomeCitizens(raw);
    expect(home.citizens).toBe(expected);
    // The data has what makes the difference: people refunded by a funded campaign and nothing else kept.
    const funded = new Set(raw.campaigns.filter((c) => c.status === "funded").map((c) => c.id));
    const everFunded = new Set(
      raw.contributions
        .filter((k) => funded.has(k.campaign_id) && COLLECTED.has(k.status))
        .map((k) => k.email),
    ).size;
    expect(everFunded).toBeGreaterThan(expected);
    expect((await figuresFor(db, ALL)).citizens).toBeGreaterThan(everFunded);
  });

  it("the annual report lists the active years, each with its figures, and its years add up to since launch", async () => {
    const raw = await readRaw(db);
    const report = await annualReport(db);
    const years = report.years.map((f) => (f.period.kind === "year" ? f.period.year : 0));
    expect(years, "years in the report").toEqual(expectedActiveYears(raw));
    expect(await activityYears(db)).toEqual(years);
    for (const f of report.years)
      expect(f, `report ${JSON.stringify(f.period)}`).toEqual(expectedFigures(raw, f.period));
    expect(report.sinceLaunch).toEqual(expectedFigures(raw, ALL));
    const sum = (
      k:
        | "launched"
        | "funded"
        | "failed"
        | "cancelled"
        | "collectedCents"
        | "refundedCents"
        | "contributions"
        | "commissionCents"
        | "paidToHoldersCents",
    ) => report.years.reduce((s, f) => s + f[k], 0);
    const s = report.sinceLaunch;
    expect({
      launched: sum("launched"),
      funded: sum("funded"),
      failed: sum("failed"),
      cancelled: sum("cancelled"),
      collectedCents: sum("collectedCents"),
      refundedCents: sum("refundedCents"),
      contributions: sum("contributions"),
      commissionCents: sum("commissionCents"),
      paidToHoldersCents: sum("paidToHoldersCents"),
    }).toEqual({
      launched: s.launched,
      funded: s.funded,
      failed: s.failed,
      cancelled: s.cancelled,
      collectedCents: s.collectedCents,
      refundedCents: s.refundedCents,
      contributions: s.contributions,
      commissionCents: s.commissionCents,
      paidToHoldersCents: s.paidToHoldersCents,
    });
  });

  describe("tampered aggregates are reported, and the rebuild repairs them", () => {
    const someBucket = () =>
      db
        .selectFrom("figure_campaign_years")
        .selectAll()
        .where("refunded_cents", ">", 0)
        .orderBy("campaign_id")
        .orderBy("year")
        .executeTakeFirstOrThrow();

    async function expectRepaired(label: string): Promise<void> {
      await rebuildFigureAggregates(db);
      expect(await checkFigureAggregates(db), `${label}: after the rebuild`).toEqual([]);
      await expectFiguresMatch(db, FIRST_YEAR, LAST_YEAR, `${label}, rebuilt`);
    }

    it("a collected total one cent off", async () => {
      const b = await someBucket();
      await db
        .updateTable("figure_campaign_years")
        .set({ collected_cents: b.collected_cents + 1 })
        .where("campaign_id", "=", b.campaign_id)
        .where("year", "=", b.year)
        .execute();
      const problems = await checkFigureAggregates(db);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(`campagne ${b.campaign_id}, ${b.year}`);
      expect((await figuresFor(db, year(b.year))).collectedCents).toBe(
        expectedFigures(await readRaw(db), year(b.year)).collectedCents + 1,
      );
      await expectRepaired("collected");
    });

    it("a refunded total, a contribution count", async () => {
      const b = await someBucket();
      await db
        .updateTable("figure_campaign_years")
        .set({ refunded_cents: b.refunded_cents - 100 })
        .where("campaign_id", "=", b.campaign_id)
        .where("year", "=", b.year)
        .execute();
      expect(await checkFigureAggregates(db)).toHaveLength(1);
      await expectRepaired("refunded");
      await db
        .updateTable("figure_campaign_years")
        .set({ contributions: b.contributions + 1 })
        .where("campaign_id", "=", b.campaign_id)
        .where("year", "=", b.year)
        .execute();
      expect(await checkFigureAggregates(db)).toHaveLength(1);
      await expectRepaired("contributions");
    });

    it("a missing bucket, and a bucket that should not exist", async () => {
      const b = await someBucket();
      await db
        .deleteFrom("figure_campaign_years")
        .where("campaign_id", "=", b.campaign_id)
        .where("year", "=", b.year)
        .execute();
      const missing = await checkFigureAggregates(db);
      expect(missing).toHaveLength(1);
      expect(missing[0]).toContain("agrégat absent");
      await expectRepaired("missing");
      await db
        .insertInto("figure_campaign_years")
        .values({
          campaign_id: b.campaign_id,
          year: 2014,
          contributions: 1,
          collected_cents: 500,
          refunded_cents: 0,
        })
        .execute();
      expect((await checkFigureAggregates(db)).join("\n")).toContain("recalcul rien");
      await expectRepaired("extra");
    });

    it("the citizens counter of a year (figure_periods), and of since launch", async () => {
      const p = await db
        .selectFrom("figure_periods")
        .selectAll()
        .where("period", "=", 2024)
        .executeTakeFirstOrThrow();
      await db
        .updateTable("figure_periods")
        .set({ citizens: p.citizens + 1 })
        .where("period", "=", 2024)
        .execute();
      const problems = await checkFigureAggregates(db);
      expect(problems).toEqual([`citoyens 2024\u00a0: compteur ${p.citizens + 1}, recalcul ${p.citizens}`]);
      expect((await figuresFor(db, year(2024))).citizens).toBe(p.citizens + 1);
      await expectRepaired("periods 2024");
      await db.updateTable("figure_periods").set({ citizens: 0 }).where("period", "=", 0).execute();
      expect((await checkFigureAggregates(db)).join("\n")).toContain(
        "citoyens depuis le lancement\u00a0: compteur 0",
      );
      await expectRepaired("periods 0");
      await db.deleteFrom("figure_periods").where("period", "=", 2023).execute();
      expect((await checkFigureAggregates(db)).join("\n")).toContain("citoyens 2023\u00a0: compteur 0");
      await expectRepaired("periods row deleted");
    });

    it("the kept contributions of a person on a campaign: one off, a row missing, a row too many", async () => {
      const row = await db
        .selectFrom("figure_campaign_citizens")
        .selectAll()
        .orderBy("campaign_id")
        .orderBy("email")
        .executeTakeFirstOrThrow();
      await db
        .updateTable("figure_campaign_citizens")
        .set({ contributions: row.contributions + 1 })
        .where("campaign_id", "=", row.campaign_id)
        .where("email", "=", row.email)
        .execute();
      expect((await checkFigureAggregates(db)).join("\n")).toContain("contributeurs gardés par campagne");
      await expectRepaired("kept off by one");
      await db
        .deleteFrom("figure_campaign_citizens")
        .where("campaign_id", "=", row.campaign_id)
        .where("email", "=", row.email)
        .execute();
      expect((await checkFigureAggregates(db)).join("\n")).toContain("contributeurs gardés par campagne");
      await expectRepaired("kept missing");
      await db
        .insertInto("figure_campaign_citizens")
        .values({ campaign_id: row.campaign_id, email: "intrus@example.org", contributions: 1 })
        .execute();
      expect((await checkFigureAggregates(db)).join("\n")).toContain("contributeurs gardés par campagne");
      await expectRepaired("kept extra");
      expect((await homeFigures(db)).citizens).toBe(expectedHomeCitizens(await readRaw(db)));
    });

    it("the set of citizens of a year: one missing, or one address swapped for another with the same count", async () => {
      const member = await db
        .selectFrom("figure_citizens")
        .selectAll()
        .where("period", "=", 2025)
        .orderBy("email")
        .executeTakeFirstOrThrow();
      await db
        .deleteFrom("figure_citizens")
        .where("period", "=", 2025)
        .where("email", "=", member.email)
        .execute();
      expect((await checkFigureAggregates(db)).join("\n")).toContain("citoyens 2025");
      await expectRepaired("member missing");
      // Same count, wrong set: the next payment from the dropped address would be counted as a new citizen.
      await db
        .deleteFrom("figure_citizens")
        .where("period", "=", 2025)
        .where("email", "=", member.email)
        .execute();
      await db.insertInto("figure_citizens").values({ period: 2025, email: "intrus@example.org" }).execute();
      const swapped = await checkFigureAggregates(db);
      expect(swapped.join("\n")).toContain("citoyens 2025");
      await expectRepaired("member swapped");
    });
  });
});

// ---------------------------------------------------------------------------
// The real webhook path: signed events to POST /webhooks/stripe.

describe("key figures through the real webhook path", () => {
  let cleanup: () => void;
  let db: Kysely<DB>;
  const server = setupServer(...handlers);
  let live: { id: number; slug: string };

  beforeAll(async () => {
    server.listen({ onUnhandledRequest: "error" });
    stripeMock.reset();
    const tmp = tempDatabasePath("figures-webhook");
    cleanup = tmp.cleanup;
    ({ db } = await initDatabase({ path: tmp.file, seed: true, now: new Date() }));
    live = await db
      .selectFrom("campaigns")
      .select(["id", "slug"])
      .where("status", "=", "live")
      .orderBy("ends_at", "desc")
      .executeTakeFirstOrThrow();
  });

  afterAll(async () => {
    server.close();
    await closeDatabase();
    cleanup();
  });

  /** Sign the event with the webhook secret and post it to the route, like Stripe. */
  async function post(event: MockEvent): Promise<string> {
    const payload = JSON.stringify(event);
    const request = new Request("http://localhost/webhooks/stripe", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "stripe-signature": signPayload(payload, DEMO_WEBHOOK_SECRET),
      },
      body: payload,
    });
    const response = await action({ request, params: {}, context: {} });
    expect(response.status, await response.clone().text()).toBe(200);
    return ((await response.json()) as { outcome: string }).outcome;
  }

  async function openContribution(amountCents: number, email: string) {
    const result = await startContribution(db, live.slug, {
      amountCents,
      rewardId: null,
      email,
      publicName: "Chiffres",
      anonymous: false,
      hideAmount: false,
      message: null,
    });
    if (!result.ok) throw new Error(`could not open: ${JSON.stringify(result)}`);
    const row = await db
      .selectFrom("contributions")
      .select(["id", "stripe_checkout_session_id"])
      .where("id", "=", result.contributionId)
      .executeTakeFirstOrThrow();
    return { id: row.id, sessionId: row.stripe_checkout_session_id! };
  }

  const money = (f: Figures) => ({
    collectedCents: f.collectedCents,
    refundedCents: f.refundedCents,
    contributions: f.contributions,
    citizens: f.citizens,
  });
  const campaignMoney = (f: Figures, slug: string) =>
    f.byTerritory.find((t) => t.slug === slug)!.collectedCents;

  it("a signed payment counts in the Paris year of its payment, a refund in that same year; the aggregates stay exact", async () => {
    const thisYear = DateTime.now().setZone(TZ).year;
    const territory = await db
      .selectFrom("campaigns as c")
      .innerJoin("territories as t", "t.id", "c.territory_id")
      .select("t.slug")
      .where("c.id", "=", live.id)
      .executeTakeFirstOrThrow();
    const before = { year: await figuresFor(db, year(thisYear)), all: await figuresFor(db, ALL) };
    expect(await checkFigureAggregates(db)).toEqual([]);

    // 1. Paid by card: payment_intent.succeeded (ignored) then checkout.session.completed.
    const first = await openContribution(4321, "chiffres.webhook@example.org");
    const outcomes = [];
    for (const e of payCheckout(first.sessionId)) outcomes.push(await post(e));
    expect(outcomes).toEqual(["ignored", "processed"]);
    const paid = await db
      .selectFrom("contributions")
      .select(["status", "paid_at", "stripe_payment_intent_id"])
      .where("id", "=", first.id)
      .executeTakeFirstOrThrow();
    expect(paid.status).toBe("paid");
    expect(parisYearOf(paid.paid_at!)).toBe(thisYear);
    const afterPaid = { year: await figuresFor(db, year(thisYear)), all: await figuresFor(db, ALL) };
    for (const k of ["year", "all"] as const) {
      expect(money(afterPaid[k]), `${k} after the payment`).toEqual({
        collectedCents: before[k].collectedCents + 4321,
        refundedCents: before[k].refundedCents,
        contributions: before[k].contributions + 1,
        citizens: before[k].citizens + 1,
      });
      expect(campaignMoney(afterPaid[k], territory.slug)).toBe(
        campaignMoney(before[k], territory.slug) + 4321,
      );
    }
    expect(await checkFigureAggregates(db)).toEqual([]);

    // 2. Refund in progress: nothing moves. Then Stripe says the charge is refunded.
    const pi = paid.stripe_payment_intent_id!;
    expect(
      await post(
        makeEvent("refund.updated", {
          id: "re_figures_1",
          object: "refund",
          payment_intent: pi,
          amount: 4321,
          status: "pending",
        }),
      ),
    ).toBe("processed");
    expect(money(await figuresFor(db, year(thisYear)))).toEqual(money(afterPaid.year));
    expect(await checkFigureAggregates(db)).toEqual([]);
    const refundedEvent = makeEvent("charge.refunded", {
      id: "ch_figures_1",
      object: "charge",
      payment_intent: pi,
      amount: 4321,
      amount_refunded: 4321,
      refunded: true,
    });
    expect(await post(refundedEvent)).toBe("processed");
    expect(
      (
        await db
          .selectFrom("contributions")
          .select("status")
          .where("id", "=", first.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe("refunded");
    const afterRefund = { year: await figuresFor(db, year(thisYear)), all: await figuresFor(db, ALL) };
    for (const k of ["year", "all"] as const) {
      expect(money(afterRefund[k]), `${k} after the refund`).toEqual({
        ...money(afterPaid[k]),
        refundedCents: afterPaid[k].refundedCents + 4321,
      });
    }
    expect(await checkFigureAggregates(db)).toEqual([]);

    // 3. Stripe delivers the refund again: a duplicate, nothing moves.
    expect(await post(refundedEvent)).toBe("duplicate");
    expect(money(await figuresFor(db, ALL))).toEqual(money(afterRefund.all));
    expect(await checkFigureAggregates(db)).toEqual([]);
  });

  it("a payment made at 00:30 on 1 January in Paris (23:30 UTC on 31 December) counts in the new year, as does its refund, after a failed refund", async () => {
    const before = {
      y2024: await figuresFor(db, year(2024)),
      y2025: await figuresFor(db, year(2025)),
      all: await figuresFor(db, ALL),
    };
    const { id, sessionId } = await openContribution(1250, "reveillon@example.org");
    const [intentSucceeded, completed] = payCheckout(sessionId);
    completed!.created = Date.parse("2024-12-31T23:30:00Z") / 1000; // when Stripe says the payment happened
    expect(await post(intentSucceeded!)).toBe("ignored");
    expect(await post(completed!)).toBe("processed");
    const row = await db
      .selectFrom("contributions")
      .select(["paid_at", "stripe_payment_intent_id"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.paid_at).toBe("2024-12-31T23:30:00.000Z");
    const afterPaid = {
      y2024: await figuresFor(db, year(2024)),
      y2025: await figuresFor(db, year(2025)),
      all: await figuresFor(db, ALL),
    };
    expect(money(afterPaid.y2024)).toEqual(money(before.y2024));
    expect(money(afterPaid.y2025)).toEqual({
      collectedCents: before.y2025.collectedCents + 1250,
      refundedCents: before.y2025.refundedCents,
      contributions: before.y2025.contributions + 1,
      citizens: before.y2025.citizens + 1,
    });
    expect(money(afterPaid.all)).toEqual({
      ...money(before.all),
      collectedCents: before.all.collectedCents + 1250,
      contributions: before.all.contributions + 1,
      citizens: before.all.citizens + 1,
    });
    expect(await checkFigureAggregates(db)).toEqual([]);

    // The refund fails first (staff attention), then succeeds: refunded once, in 2025, the year of the payment.
    const pi = row.stripe_payment_intent_id!;
    expect(
      await post(
        makeEvent("refund.failed", {
          id: "re_figures_2",
          object: "refund",
          payment_intent: pi,
          amount: 1250,
          status: "failed",
        }),
      ),
    ).toBe("processed");
    expect(money(await figuresFor(db, year(2025)))).toEqual(money(afterPaid.y2025));
    expect(await checkFigureAggregates(db)).toEqual([]);
    const thisYear = DateTime.now().setZone(TZ).year;
    expect(thisYear, "this test runs after 2025").toBeGreaterThan(2025);
    const thisYearBeforeRefund = await figuresFor(db, year(thisYear));
    expect(
      await post(
        makeEvent("refund.updated", {
          id: "re_figures_3",
          object: "refund",
          payment_intent: pi,
          amount: 1250,
          status: "succeeded",
        }),
      ),
    ).toBe("processed");
    const y2025 = await figuresFor(db, year(2025));
    expect(money(y2025)).toEqual({
      ...money(afterPaid.y2025),
      refundedCents: afterPaid.y2025.refundedCents + 1250,
    });
    expect(money(await figuresFor(db, year(2024)))).toEqual(money(before.y2024));
    // refunded today, but not counted in today's year
    expect(money(await figuresFor(db, year(thisYear)))).toEqual(money(thisYearBeforeRefund));
    expect(await checkFigureAggregates(db)).toEqual([]);

    // And everything still equals the plain recomputation.
    await expectFiguresMatch(db, 2023, thisYear + 1, "webhook");
  });

  it("the home page's citizens: a payment counts once its campaign is funded, and no more once refunded", async () => {
    const email = "accueil.rembourse@example.org";
    const before = await homeFigures(db);
    const { id, sessionId } = await openContribution(2500, email);
    for (const e of payCheckout(sessionId)) await post(e);
    // The campaign is running: its money and its people are not on the home page yet.
    expect(await homeFigures(db)).toEqual(before);
    // Settlement decides it funded (the figures read the campaign's state, nothing else).
    await db.updateTable("campaigns").set({ status: "funded" }).where("id", "=", live.id).execute();
    try {
      const funded = await homeFigures(db);
      expect(funded.citizens).toBe(expectedHomeCitizens(await readRaw(db)));
      expect(funded.citizens).toBeGreaterThan(before.citizens);
      const mine = await db
        .selectFrom("figure_campaign_citizens")
        .select("contributions")
        .where("campaign_id", "=", live.id)
        .where("email", "=", email)
        .executeTakeFirstOrThrow();
      expect(mine.contributions).toBe(1);
      // Stripe refunds it (a late payment, a goodwill refund): that person is no longer counted.
      const pi = (
        await db
          .selectFrom("contributions")
          .select("stripe_payment_intent_id")
          .where("id", "=", id)
          .executeTakeFirstOrThrow()
      ).stripe_payment_intent_id!;
      expect(
        await post(
          makeEvent("charge.refunded", {
            id: "ch_figures_home",
            object: "charge",
            payment_intent: pi,
            amount: 2500,
            amount_refunded: 2500,
            refunded: true,
          }),
        ),
      ).toBe("processed");
      const refunded = await homeFigures(db);
      expect(refunded.citizens).toBe(funded.citizens - 1);
      expect(refunded.citizens).toBe(expectedHomeCitizens(await readRaw(db)));
      expect(
        await db
          .selectFrom("figure_campaign_citizens")
          .select("contributions")
          .where("campaign_id", "=", live.id)
          .where("email", "=", email)
          .execute(),
      ).toEqual([]);
      expect(await checkFigureAggregates(db)).toEqual([]);
    } finally {
      await db.updateTable("campaigns").set({ status: "live" }).where("id", "=", live.id).execute();
    }
  });
});
