/**
 * The abondement in the key figures (docs/decisions/029-matching.md): matched money confirmed —
 * owed by the Département to funded campaigns — per year (of its confirmation, in Paris) and per
 * campaign. Always shown apart from citizens' money, never added into « collecté »; reserved
 * money (campaigns still collecting) and released money are not counted.
 */
import type { Kysely, Transaction } from "kysely";
import type { DB } from "#db/schema";
import { parisYear } from "~/domain/time";

type Db = Kysely<DB> | Transaction<DB>;

export interface MatchedFigures {
  /** confirmed matched cents per calendar year (Europe/Paris) of confirmation, ascending */
  perYear: Array<{ year: number; matchedCents: number; campaigns: number }>;
  /** confirmed matched cents per campaign */
  perCampaign: Map<number, number>;
  totalCents: number;
}

export async function matchedFigures(db: Db): Promise<MatchedFigures> {
  const rows = await db
    .selectFrom("matches")
    .select(["campaign_id", "amount_cents", "confirmed_at"])
    .where("status", "=", "confirmed")
    .execute();
  const years = new Map<number, { matchedCents: number; campaigns: Set<number> }>();
  const perCampaign = new Map<number, number>();
  let totalCents = 0;
  for (const m of rows) {
    const year = parisYear(new Date(m.confirmed_at!));
    const y = years.get(year) ?? { matchedCents: 0, campaigns: new Set<number>() };
    y.matchedCents += m.amount_cents;
    y.campaigns.add(m.campaign_id);
    years.set(year, y);
    perCampaign.set(m.campaign_id, (perCampaign.get(m.campaign_id) ?? 0) + m.amount_cents);
    totalCents += m.amount_cents;
  }
  return {
    perYear: [...years.entries()]
      .sort(([a], [b]) => a - b)
      .map(([year, y]) => ({ year, matchedCents: y.matchedCents, campaigns: y.campaigns.size })),
    perCampaign,
    totalCents,
  };
}
