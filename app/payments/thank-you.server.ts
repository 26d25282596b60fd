/**
 * What the page after Stripe Checkout says (/contribution/merci): the contribution's
 * state as recorded, never ahead of it (docs/money-path.md, « every message is true »).
 */
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { config } from "~/config.server";
import { contributionReference } from "~/domain/contribution-status";
import { requestedReceiptFigure } from "~/receipts-forms/offer.server";

export type ThankYouState =
  /** the webhook has not told us yet */
  | "confirming"
  /** paid, on a campaign still collecting (or funded) */
  | "thanks"
  /** paid after its campaign failed or was cancelled: it will be refunded */
  | "late"
  | "refunding"
  | "refunded"
  | "refund_failed"
  /** no money taken */
  | "not_paid";

export async function thankYouPage(db: Kysely<DB>, sessionId: string) {
  const row = await db
    .selectFrom("contributions as k")
    .innerJoin("campaigns as c", "c.id", "k.campaign_id")
    .leftJoin("rewards as r", "r.id", "k.reward_id")
    .select([
      "k.id",
      "k.status",
      "k.amount_cents",
      "k.paid_at",
      "k.email",
      "c.title",
      "c.slug",
      "c.ends_at",
      "c.status as campaign_status",
      "r.title as reward_title",
    ])
    .where("k.stripe_checkout_session_id", "=", sessionId)
    .executeTakeFirst();
  if (!row) return null;
  const over = row.campaign_status === "failed" || row.campaign_status === "cancelled";
  const state: ThankYouState =
    row.status === "pending"
      ? "confirming"
      : row.status === "paid"
        ? over
          ? "late"
          : "thanks"
        : row.status === "refunding"
          ? "refunding"
          : row.status === "refunded"
            ? "refunded"
            : row.status === "refund_failed"
              ? "refund_failed"
              : "not_paid";
  return {
    state,
    reference: contributionReference(row.id),
    amountCents: row.amount_cents,
    paidAt: row.paid_at,
    rewardTitle: row.reward_title,
    campaign: {
      title: row.title,
      slug: row.slug,
      endsAt: row.ends_at,
      cancelled: row.campaign_status === "cancelled",
    },
    // Only the domain, to reassure without exposing the address on a shareable URL.
    emailDomain: row.email.split("@")[1] ?? "",
    contactEmail: config().contactEmail,
    taxReceipt: await requestedReceiptFigure(db, row.id),
  };
}
