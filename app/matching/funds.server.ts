/**
 * Reading the abondement funds that apply to a campaign, and what a contribution would get
 * (docs/decisions/029-matching.md). Read-only: the reservations, releases and confirmations
 * are written by app/matching/moves.server.ts, called from the money path's single owner.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import type { DB } from "#db/schema";
import { campaignAvailable, fundOpen, quoteMatch, type FundRules, type MatchQuote } from "~/domain/matching";

type Db = Kysely<DB> | Transaction<DB>;

export interface FundRow {
  id: number;
  name: string;
  envelope_cents: number;
  ratio_bps: number;
  cap_per_campaign_cents: number | null;
  cap_per_contribution_cents: number | null;
  matches_per_citizen: number | null;
  starts_at: string;
  ends_at: string;
  scope: "budget_citoyen" | "chosen";
  budget_citoyen_year: number | null;
  terms_md: string;
  reserved_cents: number;
  confirmed_cents: number;
  closed_at: string | null;
}

export const FUND_COLUMNS = [
  "f.id",
  "f.name",
  "f.envelope_cents",
  "f.ratio_bps",
  "f.cap_per_campaign_cents",
  "f.cap_per_contribution_cents",
  "f.matches_per_citizen",
  "f.starts_at",
  "f.ends_at",
  "f.scope",
  "f.budget_citoyen_year",
  "f.terms_md",
  "f.reserved_cents",
  "f.confirmed_cents",
  "f.closed_at",
] as const;

export function rulesOf(f: FundRow): FundRules {
  return {
    ratioBps: f.ratio_bps,
    capPerCampaignCents: f.cap_per_campaign_cents,
    capPerContributionCents: f.cap_per_contribution_cents,
    matchesPerCitizen: f.matches_per_citizen,
  };
}

/**
 * The funds that apply to a campaign, oldest first: scope « budget_citoyen » when the campaign
 * carries the label of the fund's year; scope « chosen » when the campaign was chosen and its
 * holder accepted the terms. Open or not (the caller checks fundOpen).
 */
export async function fundsOfCampaign(db: Db, campaignId: number): Promise<FundRow[]> {
  return db
    .selectFrom("matching_funds as f")
    .innerJoin("campaigns as c", (j) => j.on("c.id", "=", campaignId))
    .leftJoin("matching_fund_campaigns as fc", (j) =>
      j.onRef("fc.fund_id", "=", "f.id").on("fc.campaign_id", "=", campaignId),
    )
    .select(FUND_COLUMNS)
    .where((eb) =>
      eb.or([
        eb.and([
          eb("f.scope", "=", "budget_citoyen"),
          eb("f.budget_citoyen_year", "=", eb.ref("c.budget_citoyen_year")),
        ]),
        eb.and([eb("f.scope", "=", "chosen"), eb("fc.accepted_at", "is not", null)]),
      ]),
    )
    .orderBy("f.id")
    .execute();
}

/** The fund that matches a contribution made now: the oldest open one with money left for the campaign. */
export interface CampaignMatching {
  fund: FundRow;
  rules: FundRules;
  /** reserved + confirmed on this campaign, by this fund */
  campaignCommittedCents: number;
  /** what this fund can still add on this campaign (cap and envelope) */
  availableCents: number;
  open: boolean;
}

async function campaignCommitted(db: Db, fundId: number, campaignId: number): Promise<number> {
  const row = await db
    .selectFrom("matching_fund_campaigns")
    .select(sql<number>`reserved_cents + confirmed_cents`.as("committed"))
    .where("fund_id", "=", fundId)
    .where("campaign_id", "=", campaignId)
    .executeTakeFirst();
  return Number(row?.committed ?? 0);
}

/** Every fund of the campaign with its live state (for the campaign page and the holder). */
export async function campaignMatchings(db: Db, campaignId: number, at: Date): Promise<CampaignMatching[]> {
  const funds = await fundsOfCampaign(db, campaignId);
  const out: CampaignMatching[] = [];
  for (const fund of funds) {
    const rules = rulesOf(fund);
    const committed = await campaignCommitted(db, fund.id, campaignId);
    const state = {
      envelopeCents: fund.envelope_cents,
      committedCents: fund.reserved_cents + fund.confirmed_cents,
      campaignCommittedCents: committed,
      citizenMatches: 0,
    };
    out.push({
      fund,
      rules,
      campaignCommittedCents: committed,
      availableCents: campaignAvailable(rules, state),
      open: fundOpen({ startsAt: fund.starts_at, endsAt: fund.ends_at, closedAt: fund.closed_at }, at),
    });
  }
  return out;
}

/** The fund that would match a contribution now: the first open one with money left; else the first open one. */
export function activeMatching(matchings: CampaignMatching[]): CampaignMatching | undefined {
  const open = matchings.filter((m) => m.open);
  return open.find((m) => m.availableCents > 0) ?? open[0];
}

/** How many live matches a citizen has on a campaign from a fund (the per-citizen rule). */
export async function citizenMatches(
  db: Db,
  fundId: number,
  campaignId: number,
  key: string,
): Promise<number> {
  const row = await db
    .selectFrom("matches")
    .select(sql<number>`count(*)`.as("n"))
    .where("fund_id", "=", fundId)
    .where("campaign_id", "=", campaignId)
    .where("citizen_key", "=", key)
    .where("status", "in", ["reserved", "confirmed"])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * What a contribution of amountCents by this citizen would get now, to say before paying.
 * A quote, not a promise: the reservation, taken when the payment is confirmed, decides.
 */
export async function quoteForContribution(
  db: Db,
  input: { campaignId: number; citizenKey: string | null; amountCents: number; at: Date },
): Promise<{ matching: CampaignMatching; quote: MatchQuote } | undefined> {
  const matching = activeMatching(await campaignMatchings(db, input.campaignId, input.at));
  if (!matching) return undefined;
  const f = matching.fund;
  const quote = quoteMatch(input.amountCents, matching.rules, {
    envelopeCents: f.envelope_cents,
    committedCents: f.reserved_cents + f.confirmed_cents,
    campaignCommittedCents: matching.campaignCommittedCents,
    citizenMatches: input.citizenKey ? await citizenMatches(db, f.id, input.campaignId, input.citizenKey) : 0,
  });
  return { matching, quote };
}

/**
 * The matched money of a campaign (reserved + confirmed, every fund): the one way it is
 * summed, for the progress bar, the goal, the holder's figures and the settlement. As a scalar
 * subquery, so that campaignMoney reads it in the same statement as citizens' money.
 */
export function matchedCentsSql(campaignId: number | RawBuilder<number>): RawBuilder<number> {
  return sql<number>`(select coalesce(sum(mfc.reserved_cents + mfc.confirmed_cents), 0) from matching_fund_campaigns mfc where mfc.campaign_id = ${campaignId})`;
}
