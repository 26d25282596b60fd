/**
 * The one owner of a contribution's money movements (docs/decisions/013-money-path.md).
 *
 * Every change of `contributions.status` happens here — from the webhooks, the
 * settlement (refunds), the cancellation and the checkout expiry — and with it, in
 * the caller's transaction: the guarded update (the state machine of
 * app/domain/contribution-status.ts, compare-and-set on the current status), the
 * reward stock, the ledger entry, the key figures, the staff flags and the message
 * that tells the person what actually happened. Disputes are movements too
 * (`applyDispute`). Nothing else writes these columns.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "#db/schema";
import { bumpCampaign } from "#db/page-versions";
import { config } from "~/config.server";
import {
  canMove,
  contributionReference,
  formatFlags,
  parseFlags,
  type ContributionStatus,
  type StaffFlag,
} from "~/domain/contribution-status";
import { percentOfGoal } from "~/domain/money";
import { enqueueEmail, enqueueEmails } from "~/email.server";
import { recordCollected, recordRefunded } from "~/models/figures.server";
import { publicUrl, publicUrlFrom, recordedPublicUrlSql } from "~/public-url.server";
import { tallySql } from "~/models/campaign-tallies.server";
import { campaignPath } from "~/domain/paths";
import { cancelReceiptOf } from "~/receipts/cancel.server";
import { fundsOfCampaign, matchedCentsSql, type FundRow } from "~/matching/funds.server";
import { releaseMatch, reserveMatch, type ReservedMatch } from "~/matching/moves.server";

type Db = Kysely<DB> | Transaction<DB>;

export interface ContributionRow {
  id: number;
  campaign_id: number;
  status: ContributionStatus;
  email: string;
  amount_cents: number;
  reward_id: number | null;
  reward_hold: 0 | 1;
  stripe_checkout_session_id: string | null;
  stripe_payment_intent_id: string | null;
  stripe_refund_id: string | null;
  paid_at: string | null;
  payout_id: number | null;
  dispute_status: "open" | "won" | "lost" | null;
  dispute_withdrawn_cents: number;
}

export const CONTRIBUTION_COLUMNS = [
  "id",
  "campaign_id",
  "status",
  "email",
  "amount_cents",
  "reward_id",
  "reward_hold",
  "stripe_checkout_session_id",
  "stripe_payment_intent_id",
  "stripe_refund_id",
  "paid_at",
  "payout_id",
  "dispute_status",
  "dispute_withdrawn_cents",
] as const;

export async function readContribution(db: Db, id: number): Promise<ContributionRow | undefined> {
  return db.selectFrom("contributions").select(CONTRIBUTION_COLUMNS).where("id", "=", id).executeTakeFirst();
}

export type Movement =
  /** Stripe says the money arrived (from pending, or after a checkout closed without it) */
  | { to: "paid"; paymentIntentId: string | null; stripeAmountCents: number | null }
  /** the checkout closed without money (expired, async payment failed, could not open) */
  | { to: "failed" | "expired"; lastPaymentError?: string | null }
  /** a refund is decided (before Stripe is asked), or Stripe answered it is under way */
  | { to: "refunding"; refundId?: string | null }
  /** Stripe accepted the refund */
  | { to: "refunded"; refundId?: string | null }
  /** Stripe refused or failed the refund for good: staff must act */
  | { to: "refund_failed"; refundId?: string | null; error?: string | null };

export class ConcurrentMoveError extends Error {
  override name = "ConcurrentMoveError";
}

/**
 * Apply one movement. Returns false (and writes nothing) when the state machine
 * does not allow it from the row's status — a duplicate or late event. Throws
 * ConcurrentMoveError when the row changed since it was read (the caller's
 * transaction rolls back and the event is retried).
 */
export async function moveContribution(
  trx: Db,
  c: ContributionRow,
  movement: Movement,
  at: Date,
): Promise<boolean> {
  // The campaign's page shows this money (docs/decisions/030-page-cache-keys.md).
  await bumpCampaign(trx, c.campaign_id);
  if (!canMove(c.status, movement.to)) {
    // The refund id may arrive on an event that changes nothing else: keep it.
    if (
      "refundId" in movement &&
      movement.refundId &&
      c.stripe_refund_id === null &&
      c.status === movement.to
    ) {
      await trx
        .updateTable("contributions")
        .set({ stripe_refund_id: movement.refundId })
        .where("id", "=", c.id)
        .execute();
    }
    return false;
  }
  const iso = at.toISOString();
  const set: Record<string, unknown> = { status: movement.to, updated_at: iso };
  switch (movement.to) {
    case "paid":
      Object.assign(set, { paid_at: iso, reward_hold: 0 });
      if (movement.paymentIntentId) set.stripe_payment_intent_id = movement.paymentIntentId;
      break;
    case "failed":
    case "expired":
      set.reward_hold = 0;
      if (movement.lastPaymentError !== undefined) set.last_payment_error = movement.lastPaymentError;
      break;
    case "refunding":
    case "refunded":
      if (movement.refundId) set.stripe_refund_id = movement.refundId;
      if (movement.to === "refunded") set.refund_last_error = null;
      break;
    case "refund_failed":
      if (movement.refundId) set.stripe_refund_id = movement.refundId;
      if (movement.error) set.refund_last_error = movement.error.slice(0, 500);
      break;
  }
  // Received money: the campaign's funds (for its abondement) are read first, a read that takes
  // no lock. The update below makes the campaign's tally trigger lock its row until the commit
  // (ADR 033), and on PostgreSQL the payments of one campaign wait for each other from there. Not
  // the ledger entry: its foreign key takes a key-share lock on the campaign's row, and taken by
  // every payment at once, before they queue on the tally, it slowed the campaign page under
  // payments (134–145 against 228 requests/s in `bench:spike --db pg`, ADR 032).
  const funds = movement.to === "paid" ? await fundsOfCampaign(trx, c.campaign_id) : [];
  const updated = await trx
    .updateTable("contributions")
    .set(set)
    .where("id", "=", c.id)
    .where("status", "=", c.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1)
    throw new ConcurrentMoveError(`contribution ${c.id} changed concurrently`);

  // The match follows its contribution: released at once when its refund is decided (or Stripe
  // reports it refunded or failed) — the money no longer counts (docs/decisions/029-matching.md).
  if (c.status === "paid" && movement.to !== "paid") await releaseMatch(trx, c.id, "refund", at);

  switch (movement.to) {
    case "paid":
      await afterPaid(trx, c, movement, iso, funds);
      break;
    case "failed":
    case "expired":
      if (c.reward_hold === 1 && c.reward_id !== null) {
        await trx
          .updateTable("rewards")
          .set({ held: sql`held - 1` })
          .where("id", "=", c.reward_id)
          .execute();
      }
      break;
    case "refunded":
      await trx
        .insertInto("ledger_entries")
        .values({
          campaign_id: c.campaign_id,
          contribution_id: c.id,
          kind: "refund",
          amount_cents: c.amount_cents,
          at: iso,
        })
        .execute();
      // Only received money is ever refunded (canMove), so paid_at is set; the figures count it in that year.
      if (c.paid_at)
        await recordRefunded(trx, {
          campaignId: c.campaign_id,
          email: c.email,
          amountCents: c.amount_cents,
          paidAt: c.paid_at,
        });
      await tellRefundSent(trx, c, at);
      // A tax receipt issued for this gift no longer holds (app/receipts/cancel.server.ts).
      await cancelReceiptOf(trx, c.id, "refunded", at);
      break;
    case "refund_failed":
      await tellRefundFailed(trx, c, at);
      break;
    case "refunding":
      // Nothing is said here: « vous allez être remboursé » went out when the refund was decided
      // (the campaign's failure or cancellation, or the late payment's message).
      break;
  }
  return true;
}

async function afterPaid(
  trx: Db,
  c: ContributionRow,
  movement: Extract<Movement, { to: "paid" }>,
  iso: string,
  /** the campaign's funds, read before the tally's lock */
  funds: FundRow[],
): Promise<void> {
  const flags: StaffFlag[] = [];
  if (movement.stripeAmountCents !== null && movement.stripeAmountCents !== c.amount_cents)
    flags.push("amount_mismatch");
  if (c.reward_id !== null) {
    if (c.reward_hold === 1) {
      // The unit held at checkout becomes a sale.
      await trx
        .updateTable("rewards")
        .set({ held: sql`held - 1`, sold: sql`sold + 1` })
        .where("id", "=", c.reward_id)
        .execute();
    } else {
      // No unit held (its checkout had been closed, or the reward has no stock): take one if any is left.
      const sold = await trx
        .updateTable("rewards")
        .set({ sold: sql`sold + 1` })
        .where("id", "=", c.reward_id)
        .where(sql<boolean>`(stock is null or held + sold < stock)`)
        .executeTakeFirst();
      if (Number(sold.numUpdatedRows) !== 1) flags.push("reward_unavailable");
    }
  }
  if (flags.length > 0) await addFlags(trx, c.id, flags);
  await trx
    .insertInto("ledger_entries")
    .values({
      campaign_id: c.campaign_id,
      contribution_id: c.id,
      kind: "contribution_paid",
      amount_cents: c.amount_cents,
      at: iso,
    })
    .execute();
  const facts = await paidFacts(trx, c);
  // The abondement, on its locked fund row; the receipt says what was reserved, if anything.
  const match = await reserveMatch(trx, c.id, new Date(iso), {
    ...facts.row,
    alreadyMatched: Number(facts.row.already_matched) === 1,
    funds,
  });
  await tellPaid(trx, facts, new Date(iso), match);
  // Last: the key figures' aggregate rows are shared by every payment of the campaign (and the
  // year), so they are locked for the shortest time on PostgreSQL — from here to the commit.
  await recordCollected(trx, {
    campaignId: c.campaign_id,
    email: c.email,
    amountCents: c.amount_cents,
    paidAt: iso,
  });
}

// ---------------------------------------------------------------------------
// Staff flags: a set, added to and removed from, never overwritten.

async function changeFlags(
  trx: Db,
  contributionId: number,
  change: (flags: Set<StaffFlag>) => void,
): Promise<void> {
  // Compare-and-set on the stored text, so two writers never lose each other's flag.
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await trx
      .selectFrom("contributions")
      .select("staff_flag")
      .where("id", "=", contributionId)
      .executeTakeFirstOrThrow();
    const flags = new Set(parseFlags(row.staff_flag));
    change(flags);
    const next = formatFlags(flags);
    if (next === row.staff_flag) return;
    const updated = await trx
      .updateTable("contributions")
      .set({ staff_flag: next })
      .where("id", "=", contributionId)
      .where((eb) =>
        row.staff_flag === null ? eb("staff_flag", "is", null) : eb("staff_flag", "=", row.staff_flag),
      )
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 1) return;
  }
  throw new ConcurrentMoveError(`contribution ${contributionId}: staff flags changed concurrently`);
}

export async function addFlags(trx: Db, contributionId: number, flags: StaffFlag[]): Promise<void> {
  await changeFlags(trx, contributionId, (set) => flags.forEach((f) => set.add(f)));
}

export async function removeFlags(trx: Db, contributionId: number, flags: StaffFlag[]): Promise<void> {
  await changeFlags(trx, contributionId, (set) => flags.forEach((f) => set.delete(f)));
}

// ---------------------------------------------------------------------------
// Disputes (chargebacks): a bank contests a payment; Stripe takes the money back
// while it is open, gives it back if the dispute is won, keeps it if lost.

export type DisputeStep =
  | { step: "opened" }
  | { step: "funds_withdrawn"; amountCents: number }
  | { step: "funds_reinstated"; amountCents: number }
  | { step: "closed"; outcome: "won" | "lost" };

export async function applyDispute(trx: Db, c: ContributionRow, d: DisputeStep, at: Date): Promise<boolean> {
  await bumpCampaign(trx, c.campaign_id);
  const iso = at.toISOString();
  switch (d.step) {
    case "opened": {
      // Only once, and never after it closed (a late « created » must not reopen it).
      if (c.dispute_status !== null) return false;
      const opened = await trx
        .updateTable("contributions")
        .set({ dispute_status: "open", updated_at: iso })
        .where("id", "=", c.id)
        .where("dispute_status", "is", null)
        .executeTakeFirst();
      if (Number(opened.numUpdatedRows) !== 1)
        throw new ConcurrentMoveError(`contribution ${c.id}: dispute changed concurrently`);
      await addFlags(trx, c.id, ["disputed"]);
      await tellDispute(trx, c, "opened", at);
      return true;
    }
    case "funds_withdrawn":
    case "funds_reinstated": {
      // A signed balance, so that the two may arrive in either order and still end right.
      const amount = d.amountCents;
      if (!Number.isSafeInteger(amount) || amount <= 0) return false;
      const withdraw = d.step === "funds_withdrawn";
      const updated = await trx
        .updateTable("contributions")
        .set({
          dispute_withdrawn_cents: c.dispute_withdrawn_cents + (withdraw ? amount : -amount),
          updated_at: iso,
        })
        .where("id", "=", c.id)
        .where("dispute_withdrawn_cents", "=", c.dispute_withdrawn_cents)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1)
        throw new ConcurrentMoveError(`contribution ${c.id}: dispute changed concurrently`);
      // Money Stripe takes back reverses what was received; money it gives back is received again.
      await trx
        .insertInto("ledger_entries")
        .values({
          campaign_id: c.campaign_id,
          contribution_id: c.id,
          kind: withdraw ? "contribution_paid_reversal" : "contribution_paid",
          amount_cents: amount,
          at: iso,
        })
        .execute();
      return true;
    }
    case "closed": {
      // A dispute closes once; a « closed » delivered before « created » still records the outcome.
      if (c.dispute_status === "won" || c.dispute_status === "lost") return false;
      const closed = await trx
        .updateTable("contributions")
        .set({ dispute_status: d.outcome, updated_at: iso })
        .where("id", "=", c.id)
        .where((eb) =>
          c.dispute_status === null
            ? eb("dispute_status", "is", null)
            : eb("dispute_status", "=", c.dispute_status),
        )
        .executeTakeFirst();
      if (Number(closed.numUpdatedRows) !== 1)
        throw new ConcurrentMoveError(`contribution ${c.id}: dispute changed concurrently`);
      if (d.outcome === "won") await removeFlags(trx, c.id, ["disputed"]);
      else {
        await changeFlags(trx, c.id, (set) => (set.delete("disputed"), set.add("dispute_lost")));
        await cancelReceiptOf(trx, c.id, "dispute_lost", at);
        // The bank returned the money for good: the abondement that followed it goes back too.
        await releaseMatch(trx, c.id, "dispute_lost", at);
      }
      await tellDispute(trx, c, d.outcome, at);
      return true;
    }
  }
}

// ---------------------------------------------------------------------------
// Messages: one per movement, queued in the transaction that records it (outbox).

async function campaignOf(trx: Db, campaignId: number) {
  return trx
    .selectFrom("campaigns as c")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .innerJoin("users as u", "u.id", "o.owner_user_id")
    .select(["c.id", "c.title", "c.slug", "c.status", "c.goal_cents", "u.email as holder_email"])
    .select(matchedCentsSql(campaignId).as("matched_cents"))
    .where("c.id", "=", campaignId)
    .executeTakeFirstOrThrow();
}

export async function campaignUrl(db: Db, slug: string): Promise<string> {
  return `${await publicUrl(db)}${campaignPath(slug)}`;
}

/** Campaigns on which a payment can no longer count: it is refunded. */
const OVER: readonly string[] = ["failed", "cancelled"];

/**
 * What the paid messages say that no lock decides: read before reserveMatch takes the campaign's
 * and the fund's rows, so that on PostgreSQL the payments of one campaign wait for each other over
 * the fewest round trips. The amount collected includes this payment (same transaction).
 */
async function paidFacts(trx: Db, c: ContributionRow) {
  const row = await trx
    .selectFrom("contributions as k")
    .leftJoin("rewards as r", "r.id", "k.reward_id")
    .select([
      "k.id",
      "k.campaign_id",
      "k.user_id",
      "k.email",
      "k.public_name",
      "k.amount_cents",
      "k.anonymous",
      "k.hide_amount",
      "k.message",
      "k.paid_at",
      "r.title as reward_title",
      // One statement: on PostgreSQL each is a round trip.
      sql<number>`case when exists (select 1 from receipt_requests rr where rr.contribution_id = k.id) then 1 else 0 end`.as(
        "receipt_requested",
      ),
      // This payment included: the trigger counted it when its row was marked paid (ADR 033).
      tallySql("collected_cents", c.campaign_id).as("collected_cents"),
      sql<number>`case when exists (select 1 from matches m where m.contribution_id = k.id) then 1 else 0 end`.as(
        "already_matched",
      ),
      recordedPublicUrlSql().as("recorded_public_url"),
    ])
    .where("k.id", "=", c.id)
    .executeTakeFirstOrThrow();
  return {
    row,
    taxReceiptRequested: Number(row.receipt_requested) === 1,
    collectedCents: Number(row.collected_cents),
    baseUrl: publicUrlFrom(row.recorded_public_url),
  };
}

/** The paid messages; the campaign's state (over or not) is read here, after reserveMatch's lock. */
async function tellPaid(
  trx: Db,
  facts: Awaited<ReturnType<typeof paidFacts>>,
  at: Date,
  match: ReservedMatch | null,
): Promise<void> {
  const { row } = facts;
  const campaign = await campaignOf(trx, row.campaign_id);
  const url = `${facts.baseUrl}${campaignPath(campaign.slug)}`;
  const reference = contributionReference(row.id);
  if (OVER.includes(campaign.status)) {
    // The campaign is over: no thanks for a contribution that cannot count, but the truth —
    // this payment will be refunded (the settlement pass refunds it), and a second message
    // confirms when it is.
    await enqueueEmail(trx, {
      kind: "late_payment_contributor",
      to: row.email,
      idempotencyKey: `late-payment:${row.id}`,
      now: at,
      data: {
        campaignTitle: campaign.title,
        campaignUrl: url,
        amountCents: row.amount_cents,
        reference,
        outcome: campaign.status === "cancelled" ? "cancelled" : "failed",
      },
    });
    return;
  }
  const { collectedCents } = facts;
  const matchedCents = Number(campaign.matched_cents);
  await enqueueEmails(trx, [
    {
      kind: "contribution_receipt",
      to: row.email,
      idempotencyKey: `receipt:${row.id}`,
      now: at,
      data: {
        publicName: row.public_name,
        campaignTitle: campaign.title,
        campaignUrl: url,
        amountCents: row.amount_cents,
        rewardTitle: row.reward_title,
        paidAt: row.paid_at!,
        reference,
        anonymous: row.anonymous === 1,
        hideAmount: row.hide_amount === 1,
        taxReceiptRequested: facts.taxReceiptRequested,
        matchedCents: match?.amountCents ?? 0,
      },
    },
    {
      kind: "holder_new_contribution",
      to: campaign.holder_email,
      idempotencyKey: `holder-new:${row.id}`,
      now: at,
      data: {
        campaignTitle: campaign.title,
        campaignUrl: url,
        contributorName: row.anonymous === 1 ? "Anonyme" : row.public_name,
        amountCents: row.amount_cents,
        rewardTitle: row.reward_title,
        collectedCents,
        matchedCents,
        goalCents: campaign.goal_cents,
        // Towards the goal, both count: citizens' money and the abondement reserved (said apart).
        percent: percentOfGoal(collectedCents + matchedCents, campaign.goal_cents),
        message: row.message,
      },
    },
  ]);
}

async function tellRefundSent(trx: Db, c: ContributionRow, at: Date): Promise<void> {
  const campaign = await campaignOf(trx, c.campaign_id);
  const late = await trx
    .selectFrom("email_outbox")
    .select("id")
    .where("idempotency_key", "=", `late-payment:${c.id}`)
    .executeTakeFirst();
  const cause = late
    ? "late_payment"
    : campaign.status === "failed"
      ? "failed"
      : campaign.status === "cancelled"
        ? "cancelled"
        : "other";
  await enqueueEmail(trx, {
    kind: "refund_sent_contributor",
    to: c.email,
    idempotencyKey: `refund-sent:${c.id}`,
    now: at,
    data: {
      campaignTitle: campaign.title,
      campaignUrl: await campaignUrl(trx, campaign.slug),
      amountCents: c.amount_cents,
      reference: contributionReference(c.id),
      cause,
    },
  });
}

async function tellRefundFailed(trx: Db, c: ContributionRow, at: Date): Promise<void> {
  const campaign = await campaignOf(trx, c.campaign_id);
  await enqueueEmail(trx, {
    kind: "refund_failed_contributor",
    to: c.email,
    idempotencyKey: `refund-failed:${c.id}`,
    now: at,
    data: {
      campaignTitle: campaign.title,
      campaignUrl: await campaignUrl(trx, campaign.slug),
      amountCents: c.amount_cents,
      reference: contributionReference(c.id),
      contactEmail: config().contactEmail,
    },
  });
}

async function tellDispute(
  trx: Db,
  c: ContributionRow,
  stage: "opened" | "won" | "lost",
  at: Date,
): Promise<void> {
  const campaign = await campaignOf(trx, c.campaign_id);
  await enqueueEmail(trx, {
    kind: "dispute_contributor",
    to: c.email,
    idempotencyKey: `dispute-${stage}:${c.id}`,
    now: at,
    data: {
      campaignTitle: campaign.title,
      campaignUrl: await campaignUrl(trx, campaign.slug),
      amountCents: c.amount_cents,
      reference: contributionReference(c.id),
      stage,
      contactEmail: config().contactEmail,
    },
  });
}

/**
 * Close a pending contribution without payment (session expired, checkout could not
 * open, stale checkout) in its own transaction unless given one. False when it had
 * already moved on.
 */
export async function closeUnpaid(
  db: Db,
  contributionId: number,
  to: "failed" | "expired",
  at: Date,
  extra: { lastPaymentError?: string | null } = {},
): Promise<boolean> {
  const run = async (trx: Db) => {
    const c = await readContribution(trx, contributionId);
    if (!c || c.status !== "pending") return false;
    return moveContribution(trx, c, { to, ...extra }, at);
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
