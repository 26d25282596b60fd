/**
 * A campaign's money, the one way it is summed (docs/money-path.md): the public
 * progress bar, the holder's figures, the settlement decision and its guard read
 * these figures or the SQL fragments below, built from the named status sets of
 * app/domain/contribution-status.ts.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import type { DB } from "#db/schema";
import {
  COLLECTED_STATUSES,
  IN_FLIGHT_STATUSES,
  type ContributionStatus,
} from "~/domain/contribution-status";
import { matchedCentsSql } from "~/matching/funds.server";

export interface CampaignMoney {
  /** paid and not refunded (nor being refunded), less what disputes took back: « collecté » */
  collectedCents: number;
  /** contributions counted in collectedCents */
  collectedCount: number;
  /** distinct contributors among them */
  contributorsCount: number;
  /** payments that may still complete */
  inFlightCount: number;
  /** refunds accepted by Stripe */
  refundedCents: number;
  refundedCount: number;
  /** refunds decided or asked of Stripe, not yet accepted */
  refundingCents: number;
  refundingCount: number;
  /** refunds that failed: staff must act */
  refundFailedCents: number;
  refundFailedCount: number;
  /** taken back by Stripe for disputes (not given back) */
  disputedCents: number;
  /**
   * abondement reserved or confirmed (app/matching): counts towards the goal, never mixed into
   * collectedCents — the platform does not hold it, the Département pays it to the holder
   */
  matchedCents: number;
}

function statusList(statuses: readonly ContributionStatus[]): RawBuilder<unknown> {
  return sql.join(statuses.map((status) => sql.lit(status)));
}

/** `status in (…)` for a named set, on the contributions table (optionally aliased). */
export function statusIn(statuses: readonly ContributionStatus[], alias?: string): RawBuilder<boolean> {
  const column = sql.ref(alias ? `${alias}.status` : "status");
  return sql<boolean>`${column} in (${statusList(statuses)})`;
}

/** Sum of the collected money of the rows in scope: paid amounts, less what disputes took back. */
export function collectedCentsSql(alias?: string): RawBuilder<number> {
  const col = (name: string) => sql.ref(alias ? `${alias}.${name}` : name);
  return sql<number>`coalesce(sum(case when ${statusIn(COLLECTED_STATUSES, alias)} then ${col("amount_cents")} - ${col("dispute_withdrawn_cents")} else 0 end), 0)`;
}

/** Count of the rows in scope whose money is collected. */
export function collectedCountSql(alias?: string): RawBuilder<number> {
  return sql<number>`coalesce(sum(case when ${statusIn(COLLECTED_STATUSES, alias)} then 1 else 0 end), 0)`;
}

/** Count of the rows in scope whose payment may still complete. */
export function inFlightCountSql(alias?: string): RawBuilder<number> {
  return sql<number>`coalesce(sum(case when ${statusIn(IN_FLIGHT_STATUSES, alias)} then 1 else 0 end), 0)`;
}

export async function campaignMoney(
  db: Kysely<DB> | Transaction<DB>,
  campaignId: number,
): Promise<CampaignMoney> {
  const row = await db
    .selectFrom("contributions")
    .select([
      collectedCentsSql().as("collected"),
      collectedCountSql().as("collected_count"),
      sql<number>`count(distinct case when ${statusIn(COLLECTED_STATUSES)} then email end)`.as(
        "contributors",
      ),
      inFlightCountSql().as("in_flight"),
      sql<number>`coalesce(sum(case when status = 'refunded' then amount_cents else 0 end), 0)`.as(
        "refunded",
      ),
      sql<number>`coalesce(sum(case when status = 'refunded' then 1 else 0 end), 0)`.as("refunded_count"),
      sql<number>`coalesce(sum(case when status = 'refunding' then amount_cents else 0 end), 0)`.as(
        "refunding",
      ),
      sql<number>`coalesce(sum(case when status = 'refunding' then 1 else 0 end), 0)`.as("refunding_count"),
      sql<number>`coalesce(sum(case when status = 'refund_failed' then amount_cents else 0 end), 0)`.as(
        "refund_failed",
      ),
      sql<number>`coalesce(sum(case when status = 'refund_failed' then 1 else 0 end), 0)`.as(
        "refund_failed_count",
      ),
      sql<number>`coalesce(sum(dispute_withdrawn_cents), 0)`.as("disputed"),
      matchedCentsSql(campaignId).as("matched"),
    ])
    .where("campaign_id", "=", campaignId)
    .executeTakeFirstOrThrow();
  return {
    collectedCents: Number(row.collected),
    collectedCount: Number(row.collected_count),
    contributorsCount: Number(row.contributors),
    inFlightCount: Number(row.in_flight),
    refundedCents: Number(row.refunded),
    refundedCount: Number(row.refunded_count),
    refundingCents: Number(row.refunding),
    refundingCount: Number(row.refunding_count),
    refundFailedCents: Number(row.refund_failed),
    refundFailedCount: Number(row.refund_failed_count),
    disputedCents: Number(row.disputed),
    matchedCents: Number(row.matched),
  };
}

/**
 * Rows whose money the platform may move on (refund or pay out): no dispute, or a
 * dispute won, and nothing Stripe still holds back. While a dispute is open Stripe
 * holds the money; a lost one returned it to the contributor.
 */
export function movableSql(alias?: string): RawBuilder<boolean> {
  const col = (name: string) => sql.ref(alias ? `${alias}.${name}` : name);
  return sql<boolean>`((${col("dispute_status")} is null or ${col("dispute_status")} = 'won') and ${col("dispute_withdrawn_cents")} = 0)`;
}
