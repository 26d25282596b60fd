/** A signed-in citizen's own contributions (matched on their verified e-mail address). */
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import type { CampaignState } from "~/domain/campaign-machine";
import { CONTRIBUTION_STATUS_LABELS, type ContributionStatus } from "~/domain/contribution-status";

const NBSP = "\u00a0";

/**
 * What a contribution's state reads as to its author: only what happened. « Remboursée »
 * only once Stripe accepted the refund; a refund decided but not yet made is « à venir »,
 * one asked of Stripe « en cours », one that failed says what happens next.
 */
export function myContributionState(k: {
  status: ContributionStatus;
  campaignStatus: CampaignState;
  disputeStatus: "open" | "won" | "lost" | null;
}): string {
  switch (k.status) {
    case "paid":
      if (k.disputeStatus === "open") return "Paiement contesté par votre banque";
      if (k.disputeStatus === "lost") return "Paiement repris par votre banque";
      if (k.campaignStatus === "failed" || k.campaignStatus === "cancelled")
        return "Payée — remboursement à venir";
      return "Payée";
    case "refunding":
      return "Remboursement en cours";
    case "refund_failed":
      return `Remboursement en échec${NBSP}: l’équipe vous contacte`;
    case "refunded":
      return "Remboursée";
    default:
      return CONTRIBUTION_STATUS_LABELS[k.status];
  }
}

export async function myContributions(db: Kysely<DB>, email: string) {
  return db
    .selectFrom("contributions as k")
    .innerJoin("campaigns as c", "c.id", "k.campaign_id")
    .leftJoin("rewards as r", "r.id", "k.reward_id")
    .select([
      "k.id",
      "k.status",
      "k.dispute_status",
      "k.amount_cents",
      "k.created_at",
      "k.paid_at",
      "c.title",
      "c.slug",
      "c.status as campaign_status",
      "r.title as reward_title",
    ])
    .where("k.email", "=", email)
    .where("k.status", "not in", ["pending", "expired"])
    .orderBy("k.created_at", "desc")
    .orderBy("k.id", "desc")
    .execute();
}

/** One of them, or undefined when it is not theirs (the caller answers 404, revealing nothing). */
export async function myContribution(db: Kysely<DB>, email: string, id: number) {
  return db
    .selectFrom("contributions as k")
    .innerJoin("campaigns as c", "c.id", "k.campaign_id")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .leftJoin("rewards as r", "r.id", "k.reward_id")
    .select([
      "k.id",
      "k.status",
      "k.dispute_status",
      "k.amount_cents",
      "k.paid_at",
      "k.public_name",
      "k.anonymous",
      "k.hide_amount",
      "c.title",
      "c.slug",
      "c.ends_at",
      "c.status as campaign_status",
      "o.name as organization_name",
      "r.title as reward_title",
    ])
    .where("k.email", "=", email)
    .where("k.id", "=", id)
    .where("k.paid_at", "is not", null)
    .executeTakeFirst();
}
