/**
 * Stripe webhooks: the source of truth for payment state (DESIGN.md §4).
 *
 * Each event is processed in one database transaction that first records its id
 * (primary key: a second delivery changes nothing) and then applies its effect.
 * States only move forward (app/domain/contribution-status.ts), so duplicates
 * and out-of-order deliveries are harmless. If anything throws, the transaction
 * rolls back — event id included — and the endpoint answers 500 so Stripe retries.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import type Stripe from "stripe";
import type { DB } from "#db/schema";
import { config } from "~/config.server";
import { canMove, COLLECTED_STATUSES, contributionReference, type ContributionStatus } from "~/domain/contribution-status";
import { percentOfGoal } from "~/domain/money";
import { enqueueEmail } from "~/email.server";
import { recordCollected, recordRefunded } from "~/models/figures.server";
import { closeUnpaid } from "./contributions.server";

export type WebhookOutcome = "processed" | "duplicate" | "ignored";

type Trx = Transaction<DB>;

export interface ContributionRow {
  id: number;
  campaign_id: number;
  status: ContributionStatus;
  amount_cents: number;
  reward_id: number | null;
  reward_hold: 0 | 1;
  stripe_checkout_session_id: string | null;
  stripe_payment_intent_id: string | null;
  paid_at: string | null;
}

export const CONTRIBUTION_COLUMNS = [
  "id",
  "campaign_id",
  "status",
  "amount_cents",
  "reward_id",
  "reward_hold",
  "stripe_checkout_session_id",
  "stripe_payment_intent_id",
  "paid_at",
] as const;

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

async function bySession(trx: Trx, session: Stripe.Checkout.Session): Promise<ContributionRow | undefined> {
  const ref = session.client_reference_id ?? session.metadata?.contribution_id ?? null;
  const id = ref !== null && /^\d+$/.test(ref) ? Number(ref) : null;
  const row = id !== null
    ? await trx.selectFrom("contributions").select(CONTRIBUTION_COLUMNS).where("id", "=", id).executeTakeFirst()
    : await trx.selectFrom("contributions").select(CONTRIBUTION_COLUMNS).where("stripe_checkout_session_id", "=", session.id).executeTakeFirst();
  if (!row) return undefined;
  // A session that is not the one we opened for this contribution is not ours to apply.
  if (row.stripe_checkout_session_id !== null && row.stripe_checkout_session_id !== session.id) return undefined;
  if (row.stripe_checkout_session_id === null) {
    // The process stopped between creating the session and saving its id: adopt it.
    await trx.updateTable("contributions").set({ stripe_checkout_session_id: session.id }).where("id", "=", row.id).execute();
  }
  return row;
}

async function byPaymentIntent(trx: Trx, paymentIntentId: string | null, metadataId?: string): Promise<ContributionRow | undefined> {
  if (paymentIntentId) {
    const row = await trx.selectFrom("contributions").select(CONTRIBUTION_COLUMNS).where("stripe_payment_intent_id", "=", paymentIntentId).executeTakeFirst();
    if (row) return row;
  }
  if (metadataId && /^\d+$/.test(metadataId)) {
    return trx.selectFrom("contributions").select(CONTRIBUTION_COLUMNS).where("id", "=", Number(metadataId)).executeTakeFirst();
  }
  return undefined;
}

async function markPaid(trx: Trx, c: ContributionRow, paymentIntentId: string | null, stripeAmount: number | null, at: Date): Promise<boolean> {
  if (!canMove(c.status, "paid")) return false;
  const flags: string[] = [];
  if (stripeAmount !== null && stripeAmount !== c.amount_cents) flags.push("amount_mismatch");
  const updated = await trx
    .updateTable("contributions")
    .set({
      status: "paid",
      paid_at: at.toISOString(),
      updated_at: at.toISOString(),
      reward_hold: 0,
      ...(paymentIntentId ? { stripe_payment_intent_id: paymentIntentId } : {}),
    })
    .where("id", "=", c.id)
    .where("status", "=", c.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new Error(`contribution ${c.id} changed concurrently`);

  if (c.reward_id !== null) {
    if (c.reward_hold === 1) {
      // The unit held at checkout becomes a sale.
      await trx.updateTable("rewards").set({ held: sql`held - 1`, sold: sql`sold + 1` }).where("id", "=", c.reward_id).execute();
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
  if (flags.length > 0) {
    await trx.updateTable("contributions").set({ staff_flag: flags.join(",") }).where("id", "=", c.id).execute();
  }
  await trx
    .insertInto("ledger_entries")
    .values({ campaign_id: c.campaign_id, contribution_id: c.id, kind: "contribution_paid", amount_cents: c.amount_cents, at: at.toISOString() })
    .execute();
  const email = await enqueuePaidEmails(trx, c.id, at);
  // Last: the key figures' aggregate rows are shared by every payment of the campaign (and the
  // year), so they are locked for the shortest time on PostgreSQL — from here to the commit.
  await recordCollected(trx, { campaignId: c.campaign_id, email, amountCents: c.amount_cents, paidAt: at.toISOString() });
  return true;
}

/** Queue the receipt and the holder's notification; returns the contributor's address. */
async function enqueuePaidEmails(trx: Trx, contributionId: number, at: Date): Promise<string> {
  const row = await trx
    .selectFrom("contributions as k")
    .innerJoin("campaigns as c", "c.id", "k.campaign_id")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .innerJoin("users as u", "u.id", "o.owner_user_id")
    .leftJoin("rewards as r", "r.id", "k.reward_id")
    .select([
      "k.id", "k.email", "k.public_name", "k.amount_cents", "k.anonymous", "k.hide_amount", "k.message", "k.paid_at",
      "c.id as campaign_id", "c.title", "c.slug", "c.goal_cents", "u.email as holder_email", "r.title as reward_title",
    ])
    .where("k.id", "=", contributionId)
    .executeTakeFirstOrThrow();
  const collected = await trx
    .selectFrom("contributions")
    .select(sql<number>`coalesce(sum(amount_cents), 0)`.as("total"))
    .where("campaign_id", "=", row.campaign_id)
    .where("status", "in", COLLECTED_STATUSES)
    .executeTakeFirstOrThrow();
  const campaignUrl = `${config().publicUrl}/campagnes/${row.slug}`;
  await enqueueEmail(trx, {
    kind: "contribution_receipt",
    to: row.email,
    idempotencyKey: `receipt:${row.id}`,
    now: at,
    data: {
      publicName: row.public_name,
      campaignTitle: row.title,
      campaignUrl,
      amountCents: row.amount_cents,
      rewardTitle: row.reward_title,
      paidAt: row.paid_at!,
      reference: contributionReference(row.id),
      anonymous: row.anonymous === 1,
      hideAmount: row.hide_amount === 1,
    },
  });
  const collectedCents = Number(collected.total);
  await enqueueEmail(trx, {
    kind: "holder_new_contribution",
    to: row.holder_email,
    idempotencyKey: `holder-new:${row.id}`,
    now: at,
    data: {
      campaignTitle: row.title,
      campaignUrl,
      contributorName: row.anonymous === 1 ? "Anonyme" : row.public_name,
      amountCents: row.amount_cents,
      rewardTitle: row.reward_title,
      collectedCents,
      goalCents: row.goal_cents,
      percent: percentOfGoal(collectedCents, row.goal_cents),
      message: row.message,
    },
  });
  return row.email;
}

/** Move a contribution along its refund (forward only); the `refunded` move writes the ledger entry. */
export async function markRefund(trx: Trx, c: ContributionRow, to: "refunding" | "refunded" | "refund_failed", refundId: string | null, at: Date): Promise<boolean> {
  if (!canMove(c.status, to)) return false;
  const updated = await trx
    .updateTable("contributions")
    .set({ status: to, updated_at: at.toISOString(), ...(refundId ? { stripe_refund_id: refundId } : {}) })
    .where("id", "=", c.id)
    .where("status", "=", c.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new Error(`contribution ${c.id} changed concurrently`);
  if (to === "refunded") {
    await trx
      .insertInto("ledger_entries")
      .values({ campaign_id: c.campaign_id, contribution_id: c.id, kind: "refund", amount_cents: c.amount_cents, at: at.toISOString() })
      .execute();
    // Only received money is ever refunded (canMove), so paid_at is set; the figures count it in that year.
    if (c.paid_at) await recordRefunded(trx, { campaignId: c.campaign_id, amountCents: c.amount_cents, paidAt: c.paid_at });
  }
  return true;
}

async function flag(trx: Trx, c: ContributionRow, value: string): Promise<void> {
  await trx.updateTable("contributions").set({ staff_flag: value }).where("id", "=", c.id).execute();
}

async function apply(trx: Trx, event: Stripe.Event): Promise<boolean> {
  const at = new Date(event.created * 1000);
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const session = event.data.object;
      const c = await bySession(trx, session);
      if (!c) return false;
      const pi = idOf(session.payment_intent);
      if (session.payment_status === "paid" || session.payment_status === "no_payment_required") {
        return markPaid(trx, c, pi, session.amount_total, at);
      }
      // Completed but unpaid: an asynchronous method, still in flight. Keep the hold.
      if (pi && c.stripe_payment_intent_id === null) {
        await trx.updateTable("contributions").set({ stripe_payment_intent_id: pi, updated_at: at.toISOString() }).where("id", "=", c.id).execute();
      }
      return true;
    }
    case "checkout.session.async_payment_failed": {
      const c = await bySession(trx, event.data.object);
      return c ? closeUnpaid(trx, c.id, "failed", at, { lastPaymentError: "Le paiement différé a échoué." }) : false;
    }
    case "checkout.session.expired": {
      const c = await bySession(trx, event.data.object);
      return c ? closeUnpaid(trx, c.id, "expired", at) : false;
    }
    case "payment_intent.payment_failed": {
      // A declined attempt; the Checkout Session stays open for another try, so the contribution stays pending.
      const pi = event.data.object;
      const c = await byPaymentIntent(trx, pi.id, pi.metadata?.contribution_id);
      if (!c || c.status !== "pending") return false;
      await trx
        .updateTable("contributions")
        .set({ last_payment_error: pi.last_payment_error?.code ?? "payment_failed", stripe_payment_intent_id: pi.id, updated_at: at.toISOString() })
        .where("id", "=", c.id)
        .execute();
      return true;
    }
    case "charge.refunded": {
      const charge = event.data.object;
      const c = await byPaymentIntent(trx, idOf(charge.payment_intent));
      if (!c) return false;
      if (charge.amount_refunded < charge.amount) {
        await flag(trx, c, "partial_refund");
        return true;
      }
      return markRefund(trx, c, "refunded", null, at);
    }
    case "refund.created":
    case "refund.updated":
    case "refund.failed": {
      const refund = event.data.object;
      const c = await byPaymentIntent(trx, idOf(refund.payment_intent));
      if (!c) return false;
      if (event.type === "refund.failed" || refund.status === "failed" || refund.status === "canceled") {
        return markRefund(trx, c, "refund_failed", refund.id, at);
      }
      if (refund.status === "succeeded") return markRefund(trx, c, "refunded", refund.id, at);
      return markRefund(trx, c, "refunding", refund.id, at);
    }
    case "charge.dispute.created": {
      const dispute = event.data.object;
      const c = await byPaymentIntent(trx, idOf(dispute.payment_intent));
      if (!c) return false;
      await flag(trx, c, "disputed");
      return true;
    }
    case "account.updated": {
      // A holder's Stripe Connect account changed: can it receive transfers now?
      const account = event.data.object;
      const ready = Boolean(account.payouts_enabled) && account.capabilities?.transfers === "active";
      const updated = await trx
        .updateTable("organizations")
        .set({ stripe_payouts_enabled: ready ? 1 : 0 })
        .where("stripe_account_id", "=", account.id)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) > 0;
    }
    default:
      return false;
  }
}

export async function processStripeEvent(db: Kysely<DB>, event: Stripe.Event, options: { now?: Date } = {}): Promise<WebhookOutcome> {
  const now = options.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const recorded = await trx
      .insertInto("stripe_events")
      .values({ id: event.id, type: event.type, created: event.created, processed_at: now.toISOString() })
      .onConflict((oc) => oc.column("id").doNothing())
      .executeTakeFirst();
    if (Number(recorded.numInsertedOrUpdatedRows ?? 0n) === 0) return "duplicate";
    return (await apply(trx, event)) ? "processed" : "ignored";
  });
}
