/**
 * A campaign's public tallies (docs/decisions/033-campaign-tallies.md): « collecté », its
 * contributions and people, where its refunds stand — what its page and its card show. The
 * triggers of migration 0022 keep the table `campaign_tallies` in step with every write to the
 * contributions, in the same statement; this module reads it and checks it against the plain
 * recomputation (`npm run reconcile`). The settlement and the holder's figures still sum the
 * contributions themselves (app/payments/campaign-money.server.ts).
 */
import { sql, type Kysely, type RawBuilder, type Selectable } from "kysely";
import type { CampaignTalliesTable, DB } from "#db/schema";
import { RECEIVED_STATUSES } from "~/domain/contribution-status";
import { campaignMoney } from "~/payments/campaign-money.server";

/**
 * Where the refunds of a failed or cancelled campaign stand, over every contribution
 * whose money arrived. Only a refund Stripe accepted is « remboursée ».
 */
export interface RefundState {
  /** contributions whose money arrived at some point: the « sur N » */
  receivedCount: number;
  /** refunds Stripe accepted */
  refundedCount: number;
  refundedCents: number;
  /** refunds decided and not yet accepted: paid ones waiting for their turn, and those asked of Stripe */
  underWayCount: number;
  /** refunds that failed: the team contacts the contributor */
  failedCount: number;
  /** paid ones whose bank contests the payment: the refund waits for the dispute's end */
  disputedCount: number;
  /** money the contributor's bank took back (dispute lost): given back, but not by the platform */
  bankReturnedCount: number;
}

export interface CampaignTallies {
  /** paid, less what disputes took back: « collecté » */
  collectedCents: number;
  /** distinct addresses among the paid contributions */
  contributorsCount: number;
  /** distinct addresses among every contribution whose money arrived, refunded since or not */
  supportersCount: number;
  refunds: RefundState;
}

/**
 * A campaign's tally column as an expression, read in the same statement as other facts
 * (`campaign`: its id, or a reference to it in a query over campaigns).
 */
export function tallySql(
  column: "collected_cents" | "contributors",
  campaign: number | RawBuilder<number>,
): RawBuilder<number> {
  return sql<number>`coalesce((select t.${sql.ref(column)} from campaign_tallies t where t.campaign_id = ${campaign}), 0)`;
}

type TallyRow = Omit<Selectable<CampaignTalliesTable>, "campaign_id">;

/** A campaign's tallies from its row (absent, or left-joined and null: nothing received yet). */
export function talliesFrom(row: { [K in keyof TallyRow]?: number | null } | undefined): CampaignTallies {
  const n = (v: unknown) => Number(v ?? 0);
  const collectedCount = n(row?.collected_count);
  const disputedCount = n(row?.disputed_count);
  const bankReturnedCount = n(row?.bank_returned_count);
  return {
    collectedCents: n(row?.collected_cents),
    contributorsCount: n(row?.contributors),
    supportersCount: n(row?.supporters),
    refunds: {
      receivedCount: n(row?.received_count),
      refundedCount: n(row?.refunded_count),
      refundedCents: n(row?.refunded_cents),
      // Paid ones the settlement refunds in turn (neither contested nor returned by the bank), and
      // those asked of Stripe.
      underWayCount: n(row?.refunding_count) + collectedCount - disputedCount - bankReturnedCount,
      failedCount: n(row?.refund_failed_count),
      disputedCount,
      bankReturnedCount,
    },
  };
}

export async function campaignTallies(db: Kysely<DB>, campaignId: number): Promise<CampaignTallies> {
  const row = await db
    .selectFrom("campaign_tallies")
    .selectAll()
    .where("campaign_id", "=", campaignId)
    .executeTakeFirst();
  return talliesFrom(row);
}

/** The same figures recomputed plainly from the contributions, with the money path's own sums. */
export async function recomputeTallies(db: Kysely<DB>, campaignId: number): Promise<CampaignTallies> {
  const received = () =>
    db
      .selectFrom("contributions")
      .where("campaign_id", "=", campaignId)
      .where("status", "in", RECEIVED_STATUSES);
  const [money, people, states] = await Promise.all([
    campaignMoney(db, campaignId),
    db
      .selectFrom(received().select("email").distinct().as("d"))
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
    received()
      .select([
        "status",
        "dispute_status",
        (eb) => eb.fn.countAll<number>().as("n"),
        sql<number>`coalesce(sum(amount_cents), 0)`.as("cents"),
      ])
      .groupBy(["status", "dispute_status"])
      .execute(),
  ]);
  const refunds: RefundState = {
    receivedCount: 0,
    refundedCount: 0,
    refundedCents: 0,
    underWayCount: 0,
    failedCount: 0,
    disputedCount: 0,
    bankReturnedCount: 0,
  };
  for (const r of states) {
    const count = Number(r.n);
    refunds.receivedCount += count;
    if (r.status === "refunded") {
      refunds.refundedCount += count;
      refunds.refundedCents += Number(r.cents);
    } else if (r.status === "refund_failed") refunds.failedCount += count;
    else if (r.status === "refunding") refunds.underWayCount += count;
    else if (r.dispute_status === "lost") refunds.bankReturnedCount += count;
    else if (r.dispute_status === "open") refunds.disputedCount += count;
    else refunds.underWayCount += count; // paid: the settlement pass refunds it
  }
  return {
    collectedCents: money.collectedCents,
    contributorsCount: money.contributorsCount,
    supportersCount: Number(people.n),
    refunds,
  };
}

/** Campaigns whose tallies differ from the recomputation (French, empty when none). */
export async function checkCampaignTallies(db: Kysely<DB>): Promise<string[]> {
  const campaigns = await db.selectFrom("campaigns").select(["id", "slug"]).orderBy("id").execute();
  const problems: string[] = [];
  for (const c of campaigns) {
    const [stored, expected] = await Promise.all([campaignTallies(db, c.id), recomputeTallies(db, c.id)]);
    const got = JSON.stringify(stored);
    const want = JSON.stringify(expected);
    if (got !== want) problems.push(`${c.slug} : compteurs ${got}, recalcul ${want}`);
  }
  return problems;
}
