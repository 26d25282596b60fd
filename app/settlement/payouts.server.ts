/**
 * Payouts of a funded campaign (docs/product-rules.md#money-rules): the main payout made at the
 * decision, and one supplementary payout per pass for the payments that arrived
 * after it (late payments), each minus the commission recorded on the main payout.
 * A payout is paid by one Stripe Transfer whose idempotency key is the payout's own
 * (`payout:<campaign id>`, `payout:<campaign id>:supplementary:<n>`); its ledger
 * entries and the holder's « virement émis » message are written in the transaction
 * that records the transfer, after Stripe created it.
 */
import { sql, type Kysely } from "kysely";
import type { DB } from "#db/schema";
import { COLLECTED_STATUSES } from "~/domain/contribution-status";
import { countOf, formatEuros } from "~/domain/format";
import { settlementSplit } from "~/domain/money";
import { canBePaid, isRetryableStatus } from "~/domain/settlement";
import { enqueueEmail } from "~/email.server";
import { movableSql } from "~/payments/campaign-money.server";
import { campaignUrl } from "~/payments/contribution-moves.server";
import { accountCanReceiveTransfers, createTransfer, StripeCallError } from "~/payments/stripe.server";
import { holderOf } from "./decide.server";
import type { SettleReport, Say } from "./report";

/** Late payments not yet carried by a payout: one supplementary payout for all of them. */
async function batchLatePayments(
  db: Kysely<DB>,
  c: { id: number; title: string },
  now: Date,
  say: Say,
): Promise<void> {
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const late = await trx
      .selectFrom("contributions")
      .select(["id", "amount_cents"])
      .where("campaign_id", "=", c.id)
      .where("status", "in", COLLECTED_STATUSES)
      .where("payout_id", "is", null)
      .where(movableSql())
      .execute();
    if (late.length === 0) return;
    const main = await trx
      .selectFrom("payouts")
      .select("commission_bps")
      .where("campaign_id", "=", c.id)
      .where("kind", "=", "main")
      .executeTakeFirst();
    if (!main) return; // not decided yet
    const count = await trx
      .selectFrom("payouts")
      .select(sql<number>`count(*)`.as("n"))
      .where("campaign_id", "=", c.id)
      .where("kind", "=", "supplementary")
      .executeTakeFirstOrThrow();
    const gross = late.reduce((s, k) => s + k.amount_cents, 0);
    const split = settlementSplit(gross, main.commission_bps);
    const payout = await trx
      .insertInto("payouts")
      .values({
        campaign_id: c.id,
        kind: "supplementary",
        gross_cents: gross,
        commission_bps: main.commission_bps,
        commission_cents: split.commissionCents,
        amount_cents: split.payoutCents,
        status: "pending",
        idempotency_key: `payout:${c.id}:supplementary:${Number(count.n) + 1}`,
        created_at: at,
        updated_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const taken = await trx
      .updateTable("contributions")
      .set({ payout_id: payout.id })
      .where(
        "id",
        "in",
        late.map((k) => k.id),
      )
      .where("payout_id", "is", null)
      .executeTakeFirst();
    // Another settler batched some of them meanwhile (PostgreSQL, a lost lease): undo this one.
    if (Number(taken.numUpdatedRows) !== late.length)
      throw new Error(`late payments of campaign ${c.id} were batched concurrently`);
    say(
      `Paiements tardifs sur « ${c.title} » : ${countOf(late.length, "contribution", "contributions")}, versement complémentaire de ${formatEuros(gross)} (avant commission) préparé.`,
    );
  });
}

type PayoutRow = Awaited<ReturnType<typeof pendingPayouts>>[number];

function pendingPayouts(db: Kysely<DB>, campaignId: number) {
  return db
    .selectFrom("payouts")
    .selectAll()
    .where("campaign_id", "=", campaignId)
    .where("status", "=", "pending")
    .orderBy("id")
    .execute();
}

/**
 * A payout not yet asked of Stripe follows what it may still carry: a contribution
 * disputed since the decision (money Stripe holds or took back) leaves it, and comes
 * back as a late payment if the dispute is won. Once a transfer has been asked
 * (attempts > 0) its amount is fixed: the same idempotency key must carry the same
 * request, and a dispute after that is the platform's loss, which reconcile shows.
 */
async function reviseBeforeFirstAttempt(db: Kysely<DB>, p: PayoutRow, at: string): Promise<PayoutRow> {
  if (p.attempts > 0) return p;
  return db.transaction().execute(async (trx) => {
    const carried = await trx
      .selectFrom("contributions")
      .select(["id", "amount_cents", "status", "dispute_status", "dispute_withdrawn_cents"])
      .where("payout_id", "=", p.id)
      .execute();
    const leaving = carried.filter(
      (k) =>
        !(COLLECTED_STATUSES as readonly string[]).includes(k.status) ||
        k.dispute_withdrawn_cents !== 0 ||
        (k.dispute_status !== null && k.dispute_status !== "won"),
    );
    if (leaving.length === 0 && (carried.length > 0 || p.gross_cents === 0)) return p;
    if (leaving.length > 0)
      await trx
        .updateTable("contributions")
        .set({ payout_id: null })
        .where(
          "id",
          "in",
          leaving.map((k) => k.id),
        )
        .execute();
    const gross = carried.filter((k) => !leaving.includes(k)).reduce((sum, k) => sum + k.amount_cents, 0);
    const split = settlementSplit(gross, p.commission_bps);
    await trx
      .updateTable("payouts")
      .set({
        gross_cents: gross,
        commission_cents: split.commissionCents,
        amount_cents: split.payoutCents,
        updated_at: at,
      })
      .where("id", "=", p.id)
      .where("status", "=", "pending")
      .where("attempts", "=", 0)
      .execute();
    return {
      ...p,
      gross_cents: gross,
      commission_cents: split.commissionCents,
      amount_cents: split.payoutCents,
    };
  });
}

export async function payOut(
  db: Kysely<DB>,
  c: { id: number; title: string; slug: string },
  now: Date,
  report: SettleReport,
  say: Say,
): Promise<void> {
  const at = now.toISOString();
  await batchLatePayments(db, c, now, say);

  const pending: PayoutRow[] = [];
  for (const p of await pendingPayouts(db, c.id)) pending.push(await reviseBeforeFirstAttempt(db, p, at));
  if (pending.length === 0) return;
  const holder = await holderOf(db, c.id);
  let ready = canBePaid(holder);
  if (holder.stripe_account_id && !ready) {
    ready = await accountCanReceiveTransfers(holder.stripe_account_id);
    if (ready)
      await db
        .updateTable("organizations")
        .set({ stripe_payouts_enabled: 1 })
        .where("id", "=", holder.organization_id)
        .execute();
  }
  const url = await campaignUrl(db, c.slug);
  if (!ready || !holder.stripe_account_id) {
    for (const p of pending) {
      report.payoutsWaiting++;
      if (p.holder_notified_at === null) {
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable("payouts")
            .set({ holder_notified_at: at, updated_at: at })
            .where("id", "=", p.id)
            .execute();
          await enqueueEmail(trx, {
            kind: "payout_waiting_holder",
            to: holder.email,
            idempotencyKey: `payout-waiting:${p.id}`,
            now,
            data: { campaignTitle: c.title, campaignUrl: url, payoutCents: p.amount_cents },
          });
        });
      }
      say(
        `Virement en attente pour « ${c.title} » (${formatEuros(p.amount_cents)}) : le compte Stripe du porteur n'est pas prêt.`,
      );
    }
    return;
  }
  for (const p of pending) {
    if (p.amount_cents === 0) {
      // Nothing to transfer (every payment was disputed): the payout is closed without a transfer.
      await db
        .updateTable("payouts")
        .set({ status: "paid", paid_at: at, updated_at: at })
        .where("id", "=", p.id)
        .where("status", "=", "pending")
        .execute();
      continue;
    }
    // Recorded before Stripe is asked: from here on the payout may exist at Stripe under its key,
    // so its amount never changes again (a crash after the call leaves attempts > 0).
    await db
      .updateTable("payouts")
      .set({ attempts: p.attempts + 1, updated_at: at })
      .where("id", "=", p.id)
      .where("status", "=", "pending")
      .execute();
    try {
      const transfer = await createTransfer({
        payoutId: p.id,
        campaignId: c.id,
        destination: holder.stripe_account_id,
        amountCents: p.amount_cents,
        idempotencyKey: p.idempotency_key,
      });
      await db.transaction().execute(async (trx) => {
        const done = await trx
          .updateTable("payouts")
          .set({ status: "paid", stripe_transfer_id: transfer.id, paid_at: at, updated_at: at })
          .where("id", "=", p.id)
          .where("status", "=", "pending")
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) return;
        await trx
          .insertInto("ledger_entries")
          .values([
            {
              campaign_id: c.id,
              contribution_id: null,
              kind: "commission",
              amount_cents: p.commission_cents,
              at,
            },
            { campaign_id: c.id, contribution_id: null, kind: "payout", amount_cents: p.amount_cents, at },
          ])
          .execute();
        const carried = await trx
          .selectFrom("contributions")
          .select(sql<number>`count(*)`.as("n"))
          .where("payout_id", "=", p.id)
          .executeTakeFirstOrThrow();
        await enqueueEmail(trx, {
          kind: "payout_sent_holder",
          to: holder.email,
          idempotencyKey: `payout-sent:${p.id}`,
          now,
          data: {
            campaignTitle: c.title,
            campaignUrl: url,
            kind: p.kind,
            grossCents: p.gross_cents,
            commissionBps: p.commission_bps,
            commissionCents: p.commission_cents,
            payoutCents: p.amount_cents,
            contributionsCount: Number(carried.n),
            transferId: transfer.id,
          },
        });
      });
      report.payoutsPaid++;
      say(
        `Virement émis pour « ${c.title} » : ${formatEuros(p.amount_cents)} (${transfer.id}), commission ${formatEuros(p.commission_cents)}.`,
      );
    } catch (error) {
      const e =
        error instanceof StripeCallError ? error : new StripeCallError(String(error), undefined, undefined);
      const retryable = isRetryableStatus(e.status);
      await db
        .updateTable("payouts")
        .set({
          last_error: e.message.slice(0, 500),
          updated_at: at,
          ...(retryable ? {} : { status: "failed" as const }),
        })
        .where("id", "=", p.id)
        .execute();
      report.errors++;
      say(
        `Virement pour « ${c.title} » ${retryable ? "reporté" : "en échec (à traiter par l'équipe)"} : ${e.message}`,
      );
    }
  }
}
