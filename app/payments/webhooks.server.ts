/**
 * Stripe webhooks: the source of truth for payment state (docs/product-rules.md#contributions).
 *
 * Each event is processed in one database transaction that first records its id
 * (primary key: a second delivery changes nothing) and then applies its effect
 * through the module that owns a contribution's movements
 * (contribution-moves.server.ts). States only move forward, so duplicates and
 * out-of-order deliveries are harmless. If anything throws, the transaction
 * rolls back — event id included — and the endpoint answers 500 so Stripe retries.
 * On the server, events that arrive together on SQLite share one commit (each its own
 * savepoint, answered after that commit: db/group-commit.ts).
 */
import type { Kysely, Transaction } from "kysely";
import type Stripe from "stripe";
import type { Transact } from "#db/group-commit";
import type { DB } from "#db/schema";
import {
  addFlags,
  applyDispute,
  CONTRIBUTION_COLUMNS,
  moveContribution,
  type ContributionRow,
} from "./contribution-moves.server";

export type WebhookOutcome = "processed" | "duplicate" | "ignored";

type Trx = Transaction<DB>;

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

async function bySession(trx: Trx, session: Stripe.Checkout.Session): Promise<ContributionRow | undefined> {
  const ref = session.client_reference_id ?? session.metadata?.contribution_id ?? null;
  const id = ref !== null && /^\d+$/.test(ref) ? Number(ref) : null;
  const row =
    id !== null
      ? await trx
          .selectFrom("contributions")
          .select(CONTRIBUTION_COLUMNS)
          .where("id", "=", id)
          .executeTakeFirst()
      : await trx
          .selectFrom("contributions")
          .select(CONTRIBUTION_COLUMNS)
          .where("stripe_checkout_session_id", "=", session.id)
          .executeTakeFirst();
  if (!row) return undefined;
  // A session that is not the one we opened for this contribution is not ours to apply.
  if (row.stripe_checkout_session_id !== null && row.stripe_checkout_session_id !== session.id)
    return undefined;
  if (row.stripe_checkout_session_id === null) {
    // The process stopped between creating the session and saving its id: adopt it.
    await trx
      .updateTable("contributions")
      .set({ stripe_checkout_session_id: session.id })
      .where("id", "=", row.id)
      .execute();
    row.stripe_checkout_session_id = session.id;
  }
  return row;
}

async function byPaymentIntent(
  trx: Trx,
  paymentIntentId: string | null,
  metadataId?: string,
): Promise<ContributionRow | undefined> {
  if (paymentIntentId) {
    const row = await trx
      .selectFrom("contributions")
      .select(CONTRIBUTION_COLUMNS)
      .where("stripe_payment_intent_id", "=", paymentIntentId)
      .executeTakeFirst();
    if (row) return row;
  }
  if (metadataId && /^\d+$/.test(metadataId)) {
    return trx
      .selectFrom("contributions")
      .select(CONTRIBUTION_COLUMNS)
      .where("id", "=", Number(metadataId))
      .executeTakeFirst();
  }
  return undefined;
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
        return moveContribution(
          trx,
          c,
          { to: "paid", paymentIntentId: pi, stripeAmountCents: session.amount_total },
          at,
        );
      }
      // Completed but unpaid: an asynchronous method, still in flight. Keep the hold.
      if (pi && c.stripe_payment_intent_id === null) {
        await trx
          .updateTable("contributions")
          .set({ stripe_payment_intent_id: pi, updated_at: at.toISOString() })
          .where("id", "=", c.id)
          .execute();
      }
      return true;
    }
    case "checkout.session.async_payment_failed": {
      const c = await bySession(trx, event.data.object);
      return c
        ? moveContribution(trx, c, { to: "failed", lastPaymentError: "Le paiement différé a échoué." }, at)
        : false;
    }
    case "checkout.session.expired": {
      const c = await bySession(trx, event.data.object);
      return c ? moveContribution(trx, c, { to: "expired" }, at) : false;
    }
    case "payment_intent.payment_failed": {
      // A declined attempt; the Checkout Session stays open for another try, so the contribution stays pending.
      const pi = event.data.object;
      const c = await byPaymentIntent(trx, pi.id, pi.metadata?.contribution_id);
      if (!c || c.status !== "pending") return false;
      await trx
        .updateTable("contributions")
        .set({
          last_payment_error: pi.last_payment_error?.code ?? "payment_failed",
          stripe_payment_intent_id: pi.id,
          updated_at: at.toISOString(),
        })
        .where("id", "=", c.id)
        .execute();
      return true;
    }
    case "charge.refunded": {
      const charge = event.data.object;
      const c = await byPaymentIntent(trx, idOf(charge.payment_intent));
      if (!c) return false;
      if (charge.amount_refunded < charge.amount) {
        await addFlags(trx, c.id, ["partial_refund"]);
        return true;
      }
      return moveContribution(trx, c, { to: "refunded" }, at);
    }
    case "refund.created":
    case "refund.updated":
    case "refund.failed": {
      const refund = event.data.object;
      const c = await byPaymentIntent(trx, idOf(refund.payment_intent));
      if (!c) return false;
      if (event.type === "refund.failed" || refund.status === "failed" || refund.status === "canceled") {
        return moveContribution(
          trx,
          c,
          { to: "refund_failed", refundId: refund.id, error: refund.failure_reason ?? "refund failed" },
          at,
        );
      }
      if (refund.status === "succeeded")
        return moveContribution(trx, c, { to: "refunded", refundId: refund.id }, at);
      return moveContribution(trx, c, { to: "refunding", refundId: refund.id }, at);
    }
    case "charge.dispute.created":
    case "charge.dispute.funds_withdrawn":
    case "charge.dispute.funds_reinstated":
    case "charge.dispute.closed": {
      // A dispute's whole life: opened, money taken back, given back if won, closed won or lost.
      const dispute = event.data.object;
      const c = await byPaymentIntent(trx, idOf(dispute.payment_intent));
      if (!c) return false;
      if (event.type === "charge.dispute.created") return applyDispute(trx, c, { step: "opened" }, at);
      if (event.type === "charge.dispute.funds_withdrawn")
        return applyDispute(trx, c, { step: "funds_withdrawn", amountCents: dispute.amount }, at);
      if (event.type === "charge.dispute.funds_reinstated")
        return applyDispute(trx, c, { step: "funds_reinstated", amountCents: dispute.amount }, at);
      // `warning_closed`: an inquiry that never became a chargeback — the payment stands.
      if (dispute.status === "lost") return applyDispute(trx, c, { step: "closed", outcome: "lost" }, at);
      if (dispute.status === "won" || dispute.status === "warning_closed")
        return applyDispute(trx, c, { step: "closed", outcome: "won" }, at);
      return false;
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

export async function processStripeEvent(
  db: Kysely<DB>,
  event: Stripe.Event,
  options: {
    now?: Date;
    /** the transaction to run in: the server's shares its commit with others (db/group-commit.ts) */
    transact?: Transact;
  } = {},
): Promise<WebhookOutcome> {
  const now = options.now ?? new Date();
  const transact: Transact = options.transact ?? ((fn) => db.transaction().execute(fn));
  return transact(async (trx) => {
    const recorded = await trx
      .insertInto("stripe_events")
      .values({ id: event.id, type: event.type, created: event.created, processed_at: now.toISOString() })
      .onConflict((oc) => oc.column("id").doNothing())
      .executeTakeFirst();
    if (Number(recorded.numInsertedOrUpdatedRows ?? 0n) === 0) return "duplicate";
    return (await apply(trx, event)) ? "processed" : "ignored";
  });
}
