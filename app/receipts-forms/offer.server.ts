/**
 * Whether a campaign offers tax receipts (its structure's declaration is verified) and what the
 * contribution form needs to show the reduction: the rate's status, the 75 % ceiling and each
 * reward's value.
 */
import type { Kysely, Transaction } from "kysely";
import type { DB } from "#db/schema";
import { isTaxStatus, type TaxStatus } from "~/domain/tax-receipts";
import { receiptSettings } from "~/receipts/settings.server";
import { reductionSentence, type ReceiptOffer } from "~/domain/receipt-forms";

export type { ReceiptOffer };

/** The tax status of the campaign's structure when its declaration is verified, else null. */
export async function verifiedTaxStatus(
  db: Kysely<DB> | Transaction<DB>,
  campaignId: number,
): Promise<TaxStatus | null> {
  const row = await db
    .selectFrom("campaigns as c")
    .innerJoin("receipt_profiles as p", "p.organization_id", "c.organization_id")
    .select(["p.tax_status"])
    .where("c.id", "=", campaignId)
    .where("p.status", "=", "verified")
    .executeTakeFirst();
  return row && isTaxStatus(row.tax_status) ? row.tax_status : null;
}

export async function receiptOffer(db: Kysely<DB>, campaignId: number): Promise<ReceiptOffer | null> {
  const taxStatus = await verifiedTaxStatus(db, campaignId);
  if (!taxStatus) return null;
  const rewards = await db
    .selectFrom("rewards")
    .select(["id", "value_cents"])
    .where("campaign_id", "=", campaignId)
    .execute();
  return {
    taxStatus,
    helpCeilingCents: receiptSettings().helpCeilingCents,
    rewardValues: Object.fromEntries(rewards.map((r) => [String(r.id), r.value_cents])),
  };
}

/**
 * For a contribution whose donor asked for a tax receipt: the figure of the reduction (shown on the
 * page before payment and on the thank-you page). Null when no receipt was asked for.
 */
export async function requestedReceiptFigure(
  db: Kysely<DB>,
  contributionId: number,
): Promise<{ headline: string; detail: string } | null> {
  if (!Number.isSafeInteger(contributionId)) return null;
  const row = await db
    .selectFrom("receipt_requests as q")
    .innerJoin("contributions as k", "k.id", "q.contribution_id")
    .innerJoin("campaigns as c", "c.id", "k.campaign_id")
    .innerJoin("receipt_profiles as p", "p.organization_id", "c.organization_id")
    .leftJoin("rewards as r", "r.id", "k.reward_id")
    .select(["k.amount_cents", "r.value_cents", "p.tax_status"])
    .where("q.contribution_id", "=", contributionId)
    .executeTakeFirst();
  if (!row || !isTaxStatus(row.tax_status)) return null;
  return reductionSentence(
    row.amount_cents,
    row.value_cents ?? 0,
    row.tax_status,
    receiptSettings().helpCeilingCents,
  );
}

/**
 * The reward editor's tax-receipt settings: the yearly cap, when the campaign's structure has a
 * receipt declaration (of any status); null otherwise (the value field is not shown).
 */
export async function rewardEditorSettings(
  db: Kysely<DB>,
  campaignId: number,
): Promise<{ yearlyCapCents: number } | null> {
  const row = await db
    .selectFrom("campaigns as c")
    .innerJoin("receipt_profiles as p", "p.organization_id", "c.organization_id")
    .select("p.organization_id")
    .where("c.id", "=", campaignId)
    .executeTakeFirst();
  return row ? { yearlyCapCents: receiptSettings().rewardYearlyCapCents } : null;
}

/** A value in cents as the editor shows it: « 12 », « 12,50 »; empty for 0. */
export function rewardValueText(cents: number): string {
  if (cents === 0) return "";
  const rest = cents % 100;
  return rest === 0 ? String(cents / 100) : `${Math.trunc(cents / 100)},${String(rest).padStart(2, "0")}`;
}
