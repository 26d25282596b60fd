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
  // One statement of small sums, each answered from an index without reading the rows: the
  // covering index contributions_campaign_status (campaign, status, amount, email), and the
  // partial index of the few contributions a dispute took money from (migration 0018). One
  // plain sum over the campaign's rows read every row, once per payment (its holder's e-mail).
  const where = (statuses: RawBuilder<boolean>) =>
    sql`from contributions where campaign_id = ${campaignId} and ${statuses}`;
  const one = (status: ContributionStatus) => sql<boolean>`status = ${sql.lit(status)}`;
  const sumOf = (statuses: RawBuilder<boolean>) =>
    sql<number>`(select coalesce(sum(amount_cents), 0) ${where(statuses)})`;
  const countOf = (statuses: RawBuilder<boolean>) => sql<number>`(select count(*) ${where(statuses)})`;
  const withdrawn = (statuses: RawBuilder<boolean>) =>
    sql<number>`(select coalesce(sum(dispute_withdrawn_cents), 0) ${where(statuses)} and dispute_withdrawn_cents <> 0)`;
  const collected = statusIn(COLLECTED_STATUSES);
  const result = await sql<Record<string, number>>`select
      ${sumOf(collected)} - ${withdrawn(collected)} as collected,
      ${countOf(collected)} as collected_count,
      (select count(distinct email) ${where(collected)}) as contributors,
      ${countOf(statusIn(IN_FLIGHT_STATUSES))} as in_flight,
      ${sumOf(one("refunded"))} as refunded,
      ${countOf(one("refunded"))} as refunded_count,
      ${sumOf(one("refunding"))} as refunding,
      ${countOf(one("refunding"))} as refunding_count,
      ${sumOf(one("refund_failed"))} as refund_failed,
      ${countOf(one("refund_failed"))} as refund_failed_count,
      ${withdrawn(sql<boolean>`true`)} as disputed,
       ${matchedCentsSql(campaignId)} as matched`.execute(db);
  const row = result.rows[0]!;
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
