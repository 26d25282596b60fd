/**
 * Refunds of a failed or cancelled campaign (and of late payments on one): every
 * paid contribution refunded in full, once, with `refund:<contribution id>` as
 * Stripe's idempotency key. Each answer is a movement of the contribution
 * (contribution-moves.server.ts), which tells the contributor what happened.
 */
import { sql, type Kysely } from "kysely";
import type { DB } from "#db/schema";
import { config } from "~/config.server";
import { countOf } from "~/domain/format";
import { isRetryableStatus } from "~/domain/settlement";
import { movableSql } from "~/payments/campaign-money.server";
import {
  CONTRIBUTION_COLUMNS,
  moveContribution,
  readContribution,
  type Movement,
} from "~/payments/contribution-moves.server";
import { createRefund, StripeCallError } from "~/payments/stripe.server";
import type { SettleReport, Say } from "./report";
import { runQueue, type WorkResult } from "./work-queue.server";

/** Contributions of a campaign that still need a refund: paid ones, and refunds asked but never answered. */
export function refundsDue(db: Kysely<DB>, campaignId: number, nowIso?: string) {
  let q = db
    .selectFrom("contributions")
    .select([...CONTRIBUTION_COLUMNS, "refund_attempts"])
    .where("campaign_id", "=", campaignId)
    .where((eb) =>
      eb.or([
        eb("status", "=", "paid"),
        eb.and([eb("status", "=", "refunding"), eb("stripe_refund_id", "is", null)]),
      ]),
    )
    .where(movableSql());
  if (nowIso)
    q = q.where((eb) =>
      eb.or([eb("refund_next_attempt_at", "is", null), eb("refund_next_attempt_at", "<=", nowIso)]),
    );
  return q;
}

async function move(db: Kysely<DB>, id: number, movement: Movement, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await readContribution(trx, id);
    if (current) await moveContribution(trx, current, movement, now);
  });
}

export async function refundAll(
  db: Kysely<DB>,
  c: { id: number; title: string },
  now: Date,
  report: SettleReport,
  say: Say,
): Promise<void> {
  const cfg = config();
  const toRefund = await refundsDue(db, c.id, now.toISOString()).orderBy("id").execute();
  if (toRefund.length === 0) return;
  say(`Remboursements pour « ${c.title} » : ${countOf(toRefund.length, "contribution", "contributions")}.`);
  const result = await runQueue(
    toRefund,
    async (k): Promise<WorkResult> => {
      // Say we are refunding before asking Stripe; the idempotency key makes a repeat harmless.
      if (k.status === "paid") {
        await move(db, k.id, { to: "refunding" }, now);
        k.status = "refunding";
      }
      if (!k.stripe_payment_intent_id) {
        await move(
          db,
          k.id,
          { to: "refund_failed", error: "Aucun paiement Stripe associé : remboursement à faire à la main." },
          now,
        );
        report.refundFailed++;
        return { ok: true };
      }
      try {
        const refund = await createRefund({
          contributionId: k.id,
          campaignId: k.campaign_id,
          paymentIntentId: k.stripe_payment_intent_id,
          amountCents: k.amount_cents,
        });
        const to =
          refund.status === "succeeded"
            ? "refunded"
            : refund.status === "failed" || refund.status === "canceled"
              ? "refund_failed"
              : "refunding";
        await db.transaction().execute(async (trx) => {
          const current = await readContribution(trx, k.id);
          if (!current) return;
          if (current.status === to) {
            // Already there (a webhook was faster): keep the refund's id.
            await trx
              .updateTable("contributions")
              .set({ stripe_refund_id: refund.id, refund_last_error: null })
              .where("id", "=", k.id)
              .execute();
            return;
          }
          const moved = await moveContribution(
            trx,
            current,
            to === "refund_failed"
              ? { to, refundId: refund.id, error: `Stripe : remboursement ${refund.status}` }
              : { to, refundId: refund.id },
            now,
          );
          // Still « refunding » (Stripe answers later by webhook): the refund id marks it as asked.
          if (!moved)
            await trx
              .updateTable("contributions")
              .set({ stripe_refund_id: refund.id, refund_last_error: null })
              .where("id", "=", k.id)
              .execute();
        });
        if (to === "refunded") report.refunded++;
        else if (to === "refund_failed") report.refundFailed++;
        else report.refundsPending++;
        return { ok: true };
      } catch (error) {
        const e =
          error instanceof StripeCallError ? error : new StripeCallError(String(error), undefined, undefined);
        if (e.code === "charge_already_refunded") {
          // Refunded outside the platform (e.g. from Stripe's dashboard): record it.
          await move(db, k.id, { to: "refunded" }, now);
          report.refunded++;
          return { ok: true };
        }
        await db
          .updateTable("contributions")
          .set({ refund_attempts: sql`refund_attempts + 1`, refund_last_error: e.message.slice(0, 500) })
          .where("id", "=", k.id)
          .execute();
        if (!isRetryableStatus(e.status)) {
          // Stripe refused the refund for good (a 4xx that is not a rate limit): staff must look at it.
          await move(db, k.id, { to: "refund_failed", error: e.message }, now);
          report.refundFailed++;
          say(
            `Remboursement de la contribution ${k.id} refusé par Stripe (${e.message}) : à traiter par l'équipe.`,
          );
          return { ok: true };
        }
        return { ok: false, retryable: true, error: e.message };
      }
    },
    {
      concurrency: cfg.refundConcurrency,
      ratePerSecond: cfg.refundRatePerSecond,
      maxAttempts: cfg.refundMaxAttempts,
    },
  );
  for (const f of result.failed) {
    report.errors++;
    // Not given up for good: the next pass tries again later (unless Stripe said the refund failed).
    await db
      .updateTable("contributions")
      .set({ refund_next_attempt_at: new Date(now.getTime() + 15 * 60_000).toISOString() })
      .where("id", "=", f.item.id)
      .execute();
    say(`Remboursement de la contribution ${f.item.id} reporté : ${f.error}`);
  }
  if (result.retries > 0)
    say(
      `${countOf(result.retries, "nouvel essai", "nouveaux essais")} après limitation ou erreur de Stripe.`,
    );
}
