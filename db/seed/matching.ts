/**
 * Demo abondement (DESIGN §11): the Département's « Fonds d'abondement Budget Citoyen 2026 » on the
 * demo's Budget Citoyen campaigns, opened a week before `now`, with the matches its rules give the
 * contributions paid since.
 *
 * The seed's contributions are written in bulk rather than paid through the webhook; their matches
 * are reserved by the money path's own `reserveMatch`, in payment order, at each payment's instant
 * (fund, campaign, match, entry and totals as a payment writes them). Deterministic for a given `now`.
 */
import type { Transaction } from "kysely";
import type { FundRules } from "../../app/domain/matching";
import { reserveMatch } from "../../app/matching/moves.server";
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
    .select(["k.id", "k.paid_at"])
    .where("c.budget_citoyen_year", "=", DEMO_FUND_YEAR)
    .where("c.status", "=", "live")
    .where("k.status", "=", "paid")
    .where("k.paid_at", ">=", startsAt)
    .orderBy("k.paid_at")
    .orderBy("k.id")
    .execute();
  // Through the money path's own reservation: the same fund choice, caps, per-citizen rule and totals.
  for (const k of paid) await reserveMatch(trx, k.id, new Date(k.paid_at!));
}
