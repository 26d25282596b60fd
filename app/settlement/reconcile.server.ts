/**
 * Reconciliation: for every campaign, the ledger must balance against the
 * contributions and payouts, to the cent (docs/product-rules.md#money-rules):
 *
 *   paid − refunded = held + paid out + commission
 *
 * where "paid" is what was received less what Stripe took back for disputes
 * (`contribution_paid_reversal`, given back as `contribution_paid` if a dispute is
 * won), and "held" is computed independently of the ledger, from the contributions
 * whose money is still on the platform, less what disputes took back (which can make
 * it negative when the money had already been paid out: the platform's loss). Also checks that the ledger agrees
 * with the contributions and payouts it records.
 */
import { sql, type Kysely } from "kysely";
import type { DB } from "#db/schema";
import { HELD_STATUSES, RECEIVED_STATUSES } from "~/domain/contribution-status";
import { statusIn } from "~/payments/campaign-money.server";

export interface CampaignBalance {
  campaignId: number;
  slug: string;
  status: string;
  paidCents: number;
  refundedCents: number;
  heldCents: number;
  paidOutCents: number;
  commissionCents: number;
  problems: string[];
}

export async function reconcile(db: Kysely<DB>): Promise<CampaignBalance[]> {
  const campaigns = await db.selectFrom("campaigns").select(["id", "slug", "status"]).orderBy("id").execute();
  const ledger = await db
    .selectFrom("ledger_entries")
    .select(["campaign_id", "kind", sql<number>`sum(amount_cents)`.as("total")])
    .groupBy(["campaign_id", "kind"])
    .execute();
  const byCampaign = new Map<number, Record<string, number>>();
  for (const row of ledger) {
    const m = byCampaign.get(row.campaign_id) ?? {};
    m[row.kind] = Number(row.total);
    byCampaign.set(row.campaign_id, m);
  }
  const contributionSums = await db
    .selectFrom("contributions as k")
    .leftJoin("payouts as p", "p.id", "k.payout_id")
    .select([
      "k.campaign_id",
      // Received, less what disputes took back.
      sql<number>`coalesce(sum(case when ${statusIn(RECEIVED_STATUSES, "k")} then k.amount_cents else 0 end), 0) - coalesce(sum(k.dispute_withdrawn_cents), 0)`.as(
        "collected",
      ),
      sql<number>`coalesce(sum(case when k.status = 'refunded' then k.amount_cents else 0 end), 0)`.as(
        "refunded",
      ),
      // Money still on the platform: received, not refunded, not carried by a completed payout.
      sql<number>`coalesce(sum(case when ${statusIn(HELD_STATUSES, "k")} and (p.id is null or p.status <> 'paid') then k.amount_cents else 0 end), 0) - coalesce(sum(k.dispute_withdrawn_cents), 0)`.as(
        "held",
      ),
    ])
    .groupBy("k.campaign_id")
    .execute();
  const sums = new Map(contributionSums.map((r) => [r.campaign_id, r]));
  const payoutSums = await db
    .selectFrom("payouts")
    .select([
      "campaign_id",
      sql<number>`sum(amount_cents)`.as("amount"),
      sql<number>`sum(commission_cents)`.as("commission"),
      sql<number>`sum(gross_cents)`.as("gross"),
    ])
    .where("status", "=", "paid")
    .groupBy("campaign_id")
    .execute();
  const payouts = new Map(payoutSums.map((r) => [r.campaign_id, r]));

  return campaigns.map((c) => {
    const l = byCampaign.get(c.id) ?? {};
    const get = (k: string) => l[k] ?? 0;
    const paid = get("contribution_paid") - get("contribution_paid_reversal");
    const refunded = get("refund") - get("refund_reversal");
    const paidOut = get("payout") - get("payout_reversal");
    const commission = get("commission") - get("commission_reversal");
    const s = sums.get(c.id);
    const held = Number(s?.held ?? 0);
    const problems: string[] = [];
    if (paid - refunded !== held + paidOut + commission) {
      problems.push(
        `payé − remboursé (${paid - refunded}) ≠ détenu + versé + commission (${held + paidOut + commission})`,
      );
    }
    if (paid !== Number(s?.collected ?? 0))
      problems.push(`grand livre « payé » ${paid} ≠ contributions encaissées ${Number(s?.collected ?? 0)}`);
    if (refunded !== Number(s?.refunded ?? 0))
      problems.push(
        `grand livre « remboursé » ${refunded} ≠ contributions remboursées ${Number(s?.refunded ?? 0)}`,
      );
    const p = payouts.get(c.id);
    if (paidOut !== Number(p?.amount ?? 0))
      problems.push(`grand livre « versé » ${paidOut} ≠ virements émis ${Number(p?.amount ?? 0)}`);
    if (commission !== Number(p?.commission ?? 0))
      problems.push(
        `grand livre « commission » ${commission} ≠ commissions des virements ${Number(p?.commission ?? 0)}`,
      );
    return {
      campaignId: c.id,
      slug: c.slug,
      status: c.status,
      paidCents: paid,
      refundedCents: refunded,
      heldCents: held,
      paidOutCents: paidOut,
      commissionCents: commission,
      problems,
    };
  });
}
