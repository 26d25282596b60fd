/**
 * What citizens are told about abondement, read from the database: the offer on a campaign's page,
 * the quote before paying (the demo checkout step, where the contributor's address is known) and,
 * after paying, only a match that is recorded. Read-only.
 */
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { citizenKey, type MatchQuote } from "~/domain/matching";
import type { MatchingOffer } from "~/domain/matching-text";
import {
  activeMatching,
  campaignMatchings,
  quoteForContribution,
  type CampaignMatching,
} from "./funds.server";

function offerOf(m: CampaignMatching): MatchingOffer {
  return {
    fundName: m.fund.name,
    ratioBps: m.fund.ratio_bps,
    capPerContributionCents: m.fund.cap_per_contribution_cents,
    matchesPerCitizen: m.fund.matches_per_citizen,
    availableCents: m.availableCents,
    endsAt: m.fund.ends_at,
  };
}

/** The fund that would match a contribution made now, or null when none is open for the campaign. */
export async function campaignMatchingOffer(
  db: Kysely<DB>,
  campaignId: number,
  now = new Date(),
): Promise<MatchingOffer | null> {
  const m = activeMatching(await campaignMatchings(db, campaignId, now));
  return m ? offerOf(m) : null;
}

/** What a pending contribution would get if paid now (a quote: the reservation decides). */
export async function checkoutQuote(
  db: Kysely<DB>,
  contributionId: number,
  now = new Date(),
): Promise<{ offer: MatchingOffer; quote: MatchQuote } | null> {
  if (!Number.isSafeInteger(contributionId)) return null;
  const k = await db
    .selectFrom("contributions")
    .select(["campaign_id", "user_id", "email", "amount_cents"])
    .where("id", "=", contributionId)
    .executeTakeFirst();
  if (!k) return null;
  const q = await quoteForContribution(db, {
    campaignId: k.campaign_id,
    citizenKey: citizenKey({ userId: k.user_id, email: k.email }),
    amountCents: k.amount_cents,
    at: now,
  });
  return q ? { offer: offerOf(q.matching), quote: q.quote } : null;
}

/** The live match of the contribution paid through a Checkout session (reserved or confirmed), if any. */
export async function matchOfCheckoutSession(
  db: Kysely<DB>,
  sessionId: string,
): Promise<{ status: "reserved" | "confirmed"; amountCents: number } | null> {
  const row = await db
    .selectFrom("matches as m")
    .innerJoin("contributions as k", "k.id", "m.contribution_id")
    .select(["m.status", "m.amount_cents"])
    .where("k.stripe_checkout_session_id", "=", sessionId)
    .where("m.status", "in", ["reserved", "confirmed"])
    .executeTakeFirst();
  if (!row || row.status === "released") return null;
  return { status: row.status, amountCents: row.amount_cents };
}
