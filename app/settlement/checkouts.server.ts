/**
 * Open checkouts the platform closes itself: stale ones nobody told us about, and
 * those of a cancelled campaign, which are expired at Stripe so that nobody can
 * still pay. Each closure is a movement of the contribution (its reward unit is
 * released there).
 */
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { STALE_PENDING_AFTER_EXPIRY_MINUTES } from "~/config.server";
import { closeUnpaid } from "~/payments/contribution-moves.server";
import { expireCheckoutSession, retrieveCheckoutSession } from "~/payments/stripe.server";
import type { SettleReport, Say } from "./report";

/** How long after its expiry a checkout Stripe never told us about is considered stale. */
export const STALE_CHECKOUT_MS = STALE_PENDING_AFTER_EXPIRY_MINUTES * 60_000;

/**
 * Pending contributions whose checkout expired more than an hour ago without any
 * word from Stripe: ask Stripe, and close them if the session is gone or expired.
 */
export async function closeStalePending(db: Kysely<DB>, campaignId: number, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - STALE_CHECKOUT_MS).toISOString();
  const stale = await db
    .selectFrom("contributions")
    .select(["id", "stripe_checkout_session_id"])
    .where("campaign_id", "=", campaignId)
    .where("status", "=", "pending")
    .where("checkout_expires_at", "<", cutoff)
    .where("stripe_payment_intent_id", "is", null) // an asynchronous payment in progress is not stale
    .execute();
  for (const k of stale) {
    let expired = true;
    if (k.stripe_checkout_session_id) {
      try {
        const session = await retrieveCheckoutSession(k.stripe_checkout_session_id);
        expired = session === null || session.status === "expired";
      } catch {
        continue; // Stripe unreachable: try again next pass
      }
    }
    if (expired) await closeUnpaid(db, k.id, "expired", now);
  }
}

/**
 * Expire at Stripe every open checkout of a (cancelled) campaign. A session the
 * citizen completed first is left to its webhook: that payment arrives on a
 * cancelled campaign, is told so and refunded.
 */
export async function expireOpenCheckouts(
  db: Kysely<DB>,
  campaignId: number,
  now: Date,
  report: SettleReport,
  say: Say,
): Promise<void> {
  const open = await db
    .selectFrom("contributions")
    .select(["id", "stripe_checkout_session_id"])
    .where("campaign_id", "=", campaignId)
    .where("status", "=", "pending")
    .where("stripe_payment_intent_id", "is", null)
    .execute();
  for (const k of open) {
    if (!k.stripe_checkout_session_id) {
      // The session was never opened (Stripe failed at creation): nothing can be paid.
      await closeUnpaid(db, k.id, "expired", now);
      continue;
    }
    try {
      const outcome = await expireCheckoutSession(k.stripe_checkout_session_id);
      if (outcome === "complete") continue;
      if (await closeUnpaid(db, k.id, "expired", now)) report.checkoutsExpired++;
    } catch (error) {
      report.errors++;
      say(
        `Paiement ouvert ${k.id} non clos chez Stripe (${error instanceof Error ? error.message : String(error)}) : nouvel essai au prochain passage.`,
      );
    }
  }
}
