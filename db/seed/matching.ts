/**
 * Demo abondement (DESIGN §11): the Département's « Fonds d'abondement Budget Citoyen 2026 » on the
 * demo's Budget Citoyen campaigns, opened a week before `now`, with the matches its rules give the
 * contributions paid since (the pure quoteMatch, in payment order); and a fund of chosen campaigns
 * whose holder has not accepted the terms yet.
 *
 * The seed writes its rows directly, with the same totals the money path keeps (fund, campaign,
 * match, entry), because the seed's contributions are written in bulk rather than paid through
 * the webhook. Deterministic for a given `now`.
 */
import type { Transaction } from "kysely";
import { citizenKey, quoteMatch, type FundRules } from "../../app/domain/matching";
import { addDays, endOfDayInParis, parisCalendarDate, startOfDayInParis } from "../../app/domain/time";
import type { DB } from "../schema";

export const DEMO_FUND_NAME = "Fonds d’abondement Budget Citoyen 2026";
export const DEMO_FUND_YEAR = 2026;

const TERMS = `Le Département du Pas-de-Calais abonde les contributions des citoyens aux projets labellisés Budget Citoyen ${DEMO_FUND_YEAR} : 1 € ajouté pour 1 € donné, dans la limite de 50 € par contribution et de 1 500 € par projet.

- Seule la première contribution d’une personne à un projet est abondée.
- L’abondement suit la règle du « tout ou rien » : il est versé au porteur si la campagne réussit, sur relevé, par le Département.
- Il ne donne lieu à aucune commission de la plateforme ni à aucun reçu fiscal.`;

export async function seedMatching(trx: Transaction<DB>, now: Date, staffUserId: number): Promise<void> {
  const today = parisCalendarDate(now);
  const startsAt = startOfDayInParis(addDays(today, -7)).toISOString();
  const endsAt = endOfDayInParis(addDays(today, 60)).toISOString();
  const createdAt = startOfDayInParis(addDays(today, -10)).toISOString();
  const rules: FundRules = {
    ratioBps: 10_000,
    capPerCampaignCents: 1_500_00,
    capPerContributionCents: 50_00,
    matchesPerCitizen: 1,
  };
  const envelopeCents = 10_000_00;
  const fund = await trx
    .insertInto("matching_funds")
    .values({
      name: DEMO_FUND_NAME,
      envelope_cents: envelopeCents,
      ratio_bps: rules.ratioBps,
      cap_per_campaign_cents: rules.capPerCampaignCents,
      cap_per_contribution_cents: rules.capPerContributionCents,
      matches_per_citizen: rules.matchesPerCitizen,
      starts_at: startsAt,
      ends_at: endsAt,
      scope: "budget_citoyen",
      budget_citoyen_year: DEMO_FUND_YEAR,
      terms_md: TERMS,
      created_by_user_id: staffUserId,
      created_at: createdAt,
      updated_at: createdAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("matching_fund_audit")
    .values({
      fund_id: fund.id,
      action: "created",
      actor_user_id: staffUserId,
      detail: "Fonds de démonstration",
      at: createdAt,
    })
    .execute();

  // The contributions paid since the fund opened, in the order the money path would have met them.
  const paid = await trx
    .selectFrom("contributions as k")
    .innerJoin("campaigns as c", "c.id", "k.campaign_id")
    .select(["k.id", "k.campaign_id", "k.user_id", "k.email", "k.amount_cents", "k.paid_at"])
    .where("c.budget_citoyen_year", "=", DEMO_FUND_YEAR)
    .where("c.status", "=", "live")
    .where("k.status", "=", "paid")
    .where("k.paid_at", ">=", startsAt)
    .orderBy("k.paid_at")
    .orderBy("k.id")
    .execute();
  let committed = 0;
  const perCampaign = new Map<number, number>();
  const perCitizen = new Map<string, number>();
  for (const k of paid) {
    const key = citizenKey({ userId: k.user_id, email: k.email });
    const citizenOnCampaign = `${k.campaign_id}|${key}`;
    const quote = quoteMatch(k.amount_cents, rules, {
      envelopeCents,
      committedCents: committed,
      campaignCommittedCents: perCampaign.get(k.campaign_id) ?? 0,
      citizenMatches: perCitizen.get(citizenOnCampaign) ?? 0,
    });
    if (quote.amountCents === 0) continue;
    const at = k.paid_at!;
    if (!perCampaign.has(k.campaign_id))
      await trx
        .insertInto("matching_fund_campaigns")
        .values({ fund_id: fund.id, campaign_id: k.campaign_id, added_at: at })
        .execute();
    const match = await trx
      .insertInto("matches")
      .values({
        fund_id: fund.id,
        campaign_id: k.campaign_id,
        contribution_id: k.id,
        citizen_key: key,
        amount_cents: quote.amountCents,
        status: "reserved",
        reserved_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("matching_entries")
      .values({
        fund_id: fund.id,
        campaign_id: k.campaign_id,
        match_id: match.id,
        kind: "reserved",
        amount_cents: quote.amountCents,
        at,
      })
      .execute();
    committed += quote.amountCents;
    perCampaign.set(k.campaign_id, (perCampaign.get(k.campaign_id) ?? 0) + quote.amountCents);
    perCitizen.set(citizenOnCampaign, (perCitizen.get(citizenOnCampaign) ?? 0) + 1);
  }
  for (const [campaignId, cents] of perCampaign)
    await trx
      .updateTable("matching_fund_campaigns")
      .set({ reserved_cents: cents })
      .where("fund_id", "=", fund.id)
      .where("campaign_id", "=", campaignId)
      .execute();
  await trx
    .updateTable("matching_funds")
    .set({ reserved_cents: committed })
    .where("id", "=", fund.id)
    .execute();
}
