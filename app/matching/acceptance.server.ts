/**
 * The holder's acceptance of an abondement's terms (scope « chosen »): until the holder of the
 * campaign accepts them, no contribution is matched (app/matching/funds.server.ts requires
 * accepted_at). Accepted once, by the campaign's holder only; recorded with who and when, and in
 * the fund's journal.
 */
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { formatDate, formatEuros } from "~/domain/format";
import { ratioLabel } from "~/domain/matching";
import { NBSP } from "~/domain/typography";
import { fundPhase, type FundPhase } from "./admin.server";

export interface HolderMatching {
  fundId: number;
  name: string;
  scope: "budget_citoyen" | "chosen";
  budgetCitoyenYear: number | null;
  ratio: string;
  ratioBps: number;
  capPerCampaignCents: number | null;
  capPerContributionCents: number | null;
  matchesPerCitizen: number | null;
  startsAt: string;
  endsAt: string;
  phase: FundPhase;
  termsMd: string;
  /** scope chosen: the acceptance; scope budget_citoyen: always applies (null) */
  acceptedAt: string | null;
  acceptedBy: string | null;
  /** reserved + confirmed on this campaign by this fund */
  matchedCents: number;
}

/**
 * The funds that concern a campaign, for its holder: the chosen ones (accepted or not) and the
 * Budget Citoyen ones of its label's year.
 */
export async function holderMatchings(
  db: Kysely<DB>,
  campaignId: number,
  now = new Date(),
): Promise<HolderMatching[]> {
  const rows = await db
    .selectFrom("matching_funds as f")
    .innerJoin("campaigns as c", (j) => j.on("c.id", "=", campaignId))
    .leftJoin("matching_fund_campaigns as fc", (j) =>
      j.onRef("fc.fund_id", "=", "f.id").on("fc.campaign_id", "=", campaignId),
    )
    .leftJoin("users as u", "u.id", "fc.accepted_by_user_id")
    .select([
      "f.id",
      "f.name",
      "f.scope",
      "f.budget_citoyen_year",
      "f.ratio_bps",
      "f.cap_per_campaign_cents",
      "f.cap_per_contribution_cents",
      "f.matches_per_citizen",
      "f.starts_at",
      "f.ends_at",
      "f.closed_at",
      "f.terms_md",
      "fc.accepted_at",
      "u.display_name as accepted_by",
      "fc.reserved_cents",
      "fc.confirmed_cents",
    ])
    .where((eb) =>
      eb.or([
        eb.and([
          eb("f.scope", "=", "budget_citoyen"),
          eb("f.budget_citoyen_year", "=", eb.ref("c.budget_citoyen_year")),
        ]),
        eb.and([eb("f.scope", "=", "chosen"), eb("fc.fund_id", "is not", null)]),
      ]),
    )
    .orderBy("f.id")
    .execute();
  return rows.map((r) => ({
    fundId: r.id,
    name: r.name,
    scope: r.scope,
    budgetCitoyenYear: r.budget_citoyen_year,
    ratio: ratioLabel(r.ratio_bps),
    ratioBps: r.ratio_bps,
    capPerCampaignCents: r.cap_per_campaign_cents,
    capPerContributionCents: r.cap_per_contribution_cents,
    matchesPerCitizen: r.matches_per_citizen,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    phase: fundPhase({ starts_at: r.starts_at, ends_at: r.ends_at, closed_at: r.closed_at }, now),
    termsMd: r.terms_md,
    acceptedAt: r.accepted_at,
    acceptedBy: r.accepted_by,
    matchedCents: Number(r.reserved_cents ?? 0) + Number(r.confirmed_cents ?? 0),
  }));
}

/** The rules in one French sentence, for the holder and the staff. */
export function rulesSentence(m: {
  ratioBps: number;
  capPerCampaignCents: number | null;
  capPerContributionCents: number | null;
  matchesPerCitizen: number | null;
  startsAt: string;
  endsAt: string;
}): string {
  const parts = [`${ratioLabel(m.ratioBps)} donné par les citoyens`];
  if (m.capPerContributionCents !== null)
    parts.push(`${formatEuros(m.capPerContributionCents)} au plus par contribution`);
  if (m.capPerCampaignCents !== null)
    parts.push(`${formatEuros(m.capPerCampaignCents)} au plus pour la campagne`);
  if (m.matchesPerCitizen !== null)
    parts.push(
      m.matchesPerCitizen === 1
        ? "une contribution abondée par personne"
        : `${m.matchesPerCitizen} contributions abondées par personne`,
    );
  parts.push(`du ${formatDate(m.startsAt)} au ${formatDate(m.endsAt)}`);
  return parts.join(", ");
}

export type AcceptResult = { ok: true } | { ok: false; status: 403 | 404 | 409; message: string };

/** « J’accepte les conditions de l’abondement »: by the campaign's holder, once. */
export async function acceptTerms(
  db: Kysely<DB>,
  input: { userId: number; campaignId: number; fundId: number },
  now = new Date(),
): Promise<AcceptResult> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx): Promise<AcceptResult> => {
    const row = await trx
      .selectFrom("matching_fund_campaigns as fc")
      .innerJoin("matching_funds as f", "f.id", "fc.fund_id")
      .innerJoin("campaigns as c", "c.id", "fc.campaign_id")
      .innerJoin("organizations as o", "o.id", "c.organization_id")
      .select(["fc.accepted_at", "f.closed_at", "f.ends_at", "f.name", "o.owner_user_id", "c.title"])
      .where("fc.fund_id", "=", input.fundId)
      .where("fc.campaign_id", "=", input.campaignId)
      .executeTakeFirst();
    if (!row) return { ok: false, status: 404, message: "Cet abondement ne concerne pas cette campagne." };
    if (row.owner_user_id !== input.userId)
      return {
        ok: false,
        status: 403,
        message: "Seul le porteur de la campagne peut accepter les conditions de l’abondement.",
      };
    if (row.accepted_at !== null)
      return {
        ok: false,
        status: 409,
        message: `Vous avez déjà accepté ces conditions le ${formatDate(row.accepted_at)}.`,
      };
    if (row.closed_at !== null || row.ends_at <= at)
      return {
        ok: false,
        status: 409,
        message: `Cet abondement est terminé${NBSP}: il n’y a plus de conditions à accepter.`,
      };
    const updated = await trx
      .updateTable("matching_fund_campaigns")
      .set({ accepted_at: at, accepted_by_user_id: input.userId })
      .where("fund_id", "=", input.fundId)
      .where("campaign_id", "=", input.campaignId)
      .where("accepted_at", "is", null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      return { ok: false, status: 409, message: "Vous avez déjà accepté ces conditions." };
    await trx
      .insertInto("matching_fund_audit")
      .values({
        fund_id: input.fundId,
        campaign_id: input.campaignId,
        action: "terms_accepted",
        actor_user_id: input.userId,
        detail: row.title,
        at,
      })
      .execute();
    return { ok: true };
  });
}
