/**
 * Settlement (DESIGN.md §2–3): the periodic pass that moves campaigns on by
 * themselves and moves the money that follows.
 *
 *  1. approved → live at starts_at; live → settling at ends_at;
 *  2. settling → funded or failed, once nothing is in flight (or the grace period is over);
 *  3. funded: one transfer to the holder (total − commission), `payout:<campaign id>`;
 *     late payments get a supplementary transfer each;
 *  4. failed or cancelled: every paid contribution refunded in full, `refund:<contribution id>`.
 *
 * Every step is idempotent and resumable: the database says what is done, and
 * Stripe's idempotency keys make a repeated call return the first result, so
 * killing the process at any instant and running it again moves no money twice.
 * Work on a campaign happens under its lease (leases.server.ts).
 */
import { sql, type Kysely } from "kysely";
import type { DB } from "#db/schema";
import { config } from "~/config.server";
import { TransitionError } from "~/domain/campaign-machine";
import { formatEuros } from "~/domain/format";
import { commissionBpsFor, settlementSplit } from "~/domain/money";
import { decideSettlement, isRetryableStatus } from "~/domain/settlement";
import { enqueueEmail, kickEmailDelivery } from "~/email.server";
import { applyCampaignEvent, ConcurrentTransitionError } from "~/models/campaign-transitions.server";
import { closeUnpaid } from "~/payments/contributions.server";
import { accountCanReceiveTransfers, createRefund, createTransfer, StripeCallError, stripe } from "~/payments/stripe.server";
import { CONTRIBUTION_COLUMNS, markRefund } from "~/payments/webhooks.server";
import { DEFAULT_LEASE_MS, clearAbandonedLeases, newHolderId, withLease } from "./leases.server";
import { runQueue, type WorkResult } from "./work-queue.server";

export interface SettleOptions {
  /** the instant the pass acts as of (`npm run settle -- --now …`) */
  now?: Date;
  holder?: string;
  leaseMs?: number;
  log?: (line: string) => void;
  /** only this campaign (cancel command) */
  campaignId?: number;
}

export interface SettleReport {
  started: number;
  closed: number;
  funded: number;
  failed: number;
  waiting: number;
  payoutsPaid: number;
  payoutsWaiting: number;
  refunded: number;
  refundsPending: number;
  refundFailed: number;
  errors: number;
  /** campaigns left to another settler holding their lease */
  skipped: number;
  lines: string[];
}


function campaignUrl(slug: string): string {
  return `${config().publicUrl}/campagnes/${slug}`;
}

/** One settlement pass. Safe to run concurrently from several processes. */
export async function runSettlementPass(db: Kysely<DB>, options: SettleOptions = {}): Promise<SettleReport> {
  const now = options.now ?? new Date();
  const holder = options.holder ?? newHolderId();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const report: SettleReport = {
    started: 0, closed: 0, funded: 0, failed: 0, waiting: 0, payoutsPaid: 0, payoutsWaiting: 0,
    refunded: 0, refundsPending: 0, refundFailed: 0, errors: 0, skipped: 0, lines: [],
  };
  const say = (line: string) => {
    report.lines.push(line);
    options.log?.(line);
  };

  const campaigns = (statuses: Array<DB["campaigns"]["status"]>) => {
    let q = db.selectFrom("campaigns").select(["id", "slug", "title", "status", "starts_at", "ends_at", "goal_cents", "budget_citoyen_year"]).where("status", "in", statuses);
    if (options.campaignId !== undefined) q = q.where("id", "=", options.campaignId);
    return q.orderBy("id").execute();
  };
  const nowIso = now.toISOString();

  // 1. Start and close, by the calendar.
  for (const c of await campaigns(["approved"])) {
    if (c.starts_at > nowIso) continue;
    if (await tryEvent(db, c.id, "start", now, say)) {
      report.started++;
      say(`Mise en ligne : « ${c.title} » (${c.slug}).`);
    }
  }
  for (const c of await campaigns(["live"])) {
    if (c.ends_at > nowIso) continue;
    if (await tryEvent(db, c.id, "deadline", now, say)) {
      report.closed++;
      say(`Collecte close : « ${c.title} » — plus aucune contribution acceptée.`);
    }
  }

  // 2. Decide settling campaigns; 3–4. move the money of decided ones. Only campaigns
  // with something to do are visited (a cheap read), so an idle pass writes nothing —
  // but first, leases left by killed settlers on campaigns with nothing left to do.
  await clearAbandonedLeases(db);
  const staleCutoff = new Date(now.getTime() - 3600_000).toISOString();
  let candidates = db
    .selectFrom("campaigns as c")
    .select(["c.id", "c.slug", "c.title", "c.status", "c.ends_at", "c.goal_cents", "c.budget_citoyen_year"])
    .where((eb) =>
      eb.or([
        eb("c.status", "=", "settling"),
        eb.and([
          eb("c.status", "=", "funded"),
          eb.or([
            eb.exists(eb.selectFrom("payouts as p").select("p.id").whereRef("p.campaign_id", "=", "c.id").where("p.status", "=", "pending")),
            eb.exists(
              eb.selectFrom("contributions as k").select("k.id").whereRef("k.campaign_id", "=", "c.id").where("k.status", "=", "paid").where("k.payout_id", "is", null),
            ),
          ]),
        ]),
        eb.and([
          eb("c.status", "in", ["failed", "cancelled"]),
          eb.exists(
            eb
              .selectFrom("contributions as k")
              .select("k.id")
              .whereRef("k.campaign_id", "=", "c.id")
              .where((k) => k.or([k("k.status", "=", "paid"), k.and([k("k.status", "=", "refunding"), k("k.stripe_refund_id", "is", null)])])),
          ),
        ]),
        eb.exists(
          eb
            .selectFrom("contributions as k")
            .select("k.id")
            .whereRef("k.campaign_id", "=", "c.id")
            .where("k.status", "=", "pending")
            .where("k.checkout_expires_at", "<", staleCutoff)
            .where("k.stripe_payment_intent_id", "is", null),
        ),
      ]),
    );
  if (options.campaignId !== undefined) candidates = candidates.where("c.id", "=", options.campaignId);
  for (const c of await candidates.orderBy("c.id").execute()) {
    const ran = await withLease(db, c.id, holder, leaseMs, async () => {
      try {
        await closeStalePending(db, c.id, now);
        // Re-read under the lease: another settler may have moved it since the list was read.
        const fresh = await db.selectFrom("campaigns").select("status").where("id", "=", c.id).executeTakeFirstOrThrow();
        let status = fresh.status;
        if (status === "settling") status = await decide(db, c, now, report, say);
        if (status === "funded") await payOut(db, c, now, report, say);
        if (status === "failed" || status === "cancelled") await refundAll(db, c, now, report, say);
      } catch (error) {
        report.errors++;
        say(`Erreur sur « ${c.title} » : ${error instanceof Error ? error.message : String(error)} (nouvel essai au prochain passage).`);
      }
    });
    if (!ran) {
      report.skipped++;
      say(`« ${c.title} » : un autre processus s'en occupe, passage suivant.`);
    }
  }
  kickEmailDelivery();
  return report;
}

async function tryEvent(db: Kysely<DB>, campaignId: number, event: "start" | "deadline", now: Date, say: (l: string) => void): Promise<boolean> {
  try {
    await applyCampaignEvent(db, { campaignId, event, actor: "system", now });
    return true;
  } catch (error) {
    // Another settler got there first, or the guard refused: nothing to do.
    if (!(error instanceof TransitionError) && !(error instanceof ConcurrentTransitionError)) say(`Transition ${event} impossible pour la campagne ${campaignId} : ${String(error)}`);
    return false;
  }
}

/**
 * Pending contributions whose checkout expired more than an hour ago without any
 * word from Stripe: ask Stripe, and close them if the session is gone or expired.
 */
async function closeStalePending(db: Kysely<DB>, campaignId: number, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - 3600_000).toISOString();
  const stale = await db
    .selectFrom("contributions")
    .select(["id", "stripe_checkout_session_id", "stripe_payment_intent_id"])
    .where("campaign_id", "=", campaignId)
    .where("status", "=", "pending")
    .where("checkout_expires_at", "<", cutoff)
    .where("stripe_payment_intent_id", "is", null) // an asynchronous payment in progress is not stale
    .execute();
  for (const k of stale) {
    let expired = true;
    if (k.stripe_checkout_session_id) {
      try {
        const session = await stripe().checkout.sessions.retrieve(k.stripe_checkout_session_id);
        expired = session.status === "expired";
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        if (status !== 404) continue; // Stripe unreachable: try again next pass
      }
    }
    if (expired) await closeUnpaid(db, k.id, "expired", now);
  }
}

async function decide(
  db: Kysely<DB>,
  c: { id: number; title: string; slug: string; ends_at: string; goal_cents: number; budget_citoyen_year: number | null },
  now: Date,
  report: SettleReport,
  say: (l: string) => void,
): Promise<DB["campaigns"]["status"]> {
  const totals = await db
    .selectFrom("contributions")
    .select([
      sql<number>`coalesce(sum(case when status = 'paid' then amount_cents else 0 end), 0)`.as("paid"),
      sql<number>`coalesce(sum(case when status = 'pending' then 1 else 0 end), 0)`.as("in_flight"),
    ])
    .where("campaign_id", "=", c.id)
    .executeTakeFirstOrThrow();
  const decision = decideSettlement({
    now,
    endsAt: new Date(c.ends_at),
    goalCents: c.goal_cents,
    paidTotalCents: Number(totals.paid),
    inFlightCount: Number(totals.in_flight),
    graceMs: config().settleGraceMs,
  });
  if (decision.kind === "wait") {
    report.waiting++;
    say(`« ${c.title} » : ${Number(totals.in_flight)} paiement(s) en cours, décision au plus tard le ${decision.until.toISOString()}.`);
    return "settling";
  }
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const applied = await applyCampaignEvent(trx, {
      campaignId: c.id,
      event: decision.kind === "funded" ? "settle_funded" : "settle_failed",
      actor: "system",
      now,
      context: { graceOver: decision.graceOver },
    });
    const paid = await trx
      .selectFrom("contributions")
      .select(["id", "email", "amount_cents"])
      .where("campaign_id", "=", c.id)
      .where("status", "=", "paid")
      .execute();
    const total = paid.reduce((s, k) => s + k.amount_cents, 0);
    const perPerson = new Map<string, number>();
    for (const k of paid) perPerson.set(k.email, (perPerson.get(k.email) ?? 0) + k.amount_cents);
    const org = await trx
      .selectFrom("campaigns as c")
      .innerJoin("organizations as o", "o.id", "c.organization_id")
      .innerJoin("users as u", "u.id", "o.owner_user_id")
      .select(["u.email", "o.stripe_account_id", "o.stripe_payouts_enabled"])
      .where("c.id", "=", c.id)
      .executeTakeFirstOrThrow();
    if (applied.to === "funded") {
      // The label that applies is the one the campaign carries now, at settlement.
      const label = await trx.selectFrom("campaigns").select("budget_citoyen_year").where("id", "=", c.id).executeTakeFirstOrThrow();
      const bps = commissionBpsFor({ budgetCitoyenYear: label.budget_citoyen_year });
      const split = settlementSplit(total, bps);
      const payout = await trx
        .insertInto("payouts")
        .values({
          campaign_id: c.id, kind: "main", gross_cents: total, commission_bps: bps, commission_cents: split.commissionCents,
          amount_cents: split.payoutCents, status: "pending", idempotency_key: `payout:${c.id}`, created_at: at, updated_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx.updateTable("contributions").set({ payout_id: payout.id }).where("campaign_id", "=", c.id).where("status", "=", "paid").execute();
      await enqueueEmail(trx, {
        kind: "campaign_funded_holder", to: org.email, idempotencyKey: `funded-holder:${c.id}`, now,
        data: {
          campaignTitle: c.title, campaignUrl: campaignUrl(c.slug), collectedCents: total, goalCents: c.goal_cents,
          contributorsCount: perPerson.size, commissionBps: bps, commissionCents: split.commissionCents,
          payoutCents: split.payoutCents, budgetCitoyenYear: label.budget_citoyen_year,
          payoutWaiting: !org.stripe_account_id || org.stripe_payouts_enabled !== 1,
        },
      });
      for (const [email, amount] of perPerson) {
        await enqueueEmail(trx, {
          kind: "campaign_funded_contributor", to: email, idempotencyKey: `funded:${c.id}:${email}`, now,
          data: { campaignTitle: c.title, campaignUrl: campaignUrl(c.slug), collectedCents: total, goalCents: c.goal_cents, contributorsCount: perPerson.size, amountCents: amount },
        });
      }
      report.funded++;
      say(`Réussie : « ${c.title} » — ${formatEuros(total)} collectés sur ${formatEuros(c.goal_cents)} ; commission ${formatEuros(split.commissionCents)}, à verser ${formatEuros(split.payoutCents)}.`);
    } else {
      for (const [email, amount] of perPerson) {
        await enqueueEmail(trx, {
          kind: "campaign_refund_contributor", to: email, idempotencyKey: `refund-notice:${c.id}:${email}`, now,
          data: { campaignTitle: c.title, campaignUrl: campaignUrl(c.slug), amountCents: amount, cancelled: false, reason: null, collectedCents: total, goalCents: c.goal_cents },
        });
      }
      report.failed++;
      say(`Non financée : « ${c.title} » — ${formatEuros(total)} sur ${formatEuros(c.goal_cents)} ; ${paid.length} contribution(s) à rembourser.`);
    }
  });
  return decision.kind;
}

async function payOut(
  db: Kysely<DB>,
  c: { id: number; title: string; slug: string },
  now: Date,
  report: SettleReport,
  say: (l: string) => void,
): Promise<void> {
  const at = now.toISOString();
  // Late payments (paid after the decision): one supplementary payout each, minus its commission.
  const late = await db
    .selectFrom("contributions")
    .select(["id", "amount_cents"])
    .where("campaign_id", "=", c.id)
    .where("status", "=", "paid")
    .where("payout_id", "is", null)
    .execute();
  for (const k of late) {
    await db.transaction().execute(async (trx) => {
      const main = await trx.selectFrom("payouts").select("commission_bps").where("campaign_id", "=", c.id).where("kind", "=", "main").executeTakeFirstOrThrow();
      const split = settlementSplit(k.amount_cents, main.commission_bps);
      const payout = await trx
        .insertInto("payouts")
        .values({
          campaign_id: c.id, kind: "supplementary", gross_cents: k.amount_cents, commission_bps: main.commission_bps,
          commission_cents: split.commissionCents, amount_cents: split.payoutCents, status: "pending",
          idempotency_key: `payout:${c.id}:late:${k.id}`, created_at: at, updated_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx.updateTable("contributions").set({ payout_id: payout.id }).where("id", "=", k.id).where("payout_id", "is", null).execute();
    });
    say(`Paiement tardif sur « ${c.title} » : versement complémentaire de ${formatEuros(k.amount_cents)} (avant commission) préparé.`);
  }

  const pending = await db.selectFrom("payouts").selectAll().where("campaign_id", "=", c.id).where("status", "=", "pending").orderBy("id").execute();
  if (pending.length === 0) return;
  const org = await db
    .selectFrom("campaigns as c")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .innerJoin("users as u", "u.id", "o.owner_user_id")
    .select(["o.id", "o.stripe_account_id", "o.stripe_payouts_enabled", "u.email"])
    .where("c.id", "=", c.id)
    .executeTakeFirstOrThrow();
  let ready = org.stripe_account_id !== null && org.stripe_payouts_enabled === 1;
  if (org.stripe_account_id && !ready) {
    ready = await accountCanReceiveTransfers(org.stripe_account_id);
    if (ready) await db.updateTable("organizations").set({ stripe_payouts_enabled: 1 }).where("id", "=", org.id).execute();
  }
  if (!ready || !org.stripe_account_id) {
    for (const p of pending) {
      report.payoutsWaiting++;
      if (p.holder_notified_at === null) {
        await db.transaction().execute(async (trx) => {
          await trx.updateTable("payouts").set({ holder_notified_at: at, updated_at: at }).where("id", "=", p.id).execute();
          await enqueueEmail(trx, {
            kind: "payout_waiting_holder", to: org.email, idempotencyKey: `payout-waiting:${p.id}`, now,
            data: { campaignTitle: c.title, campaignUrl: campaignUrl(c.slug), payoutCents: p.amount_cents },
          });
        });
      }
      say(`Virement en attente pour « ${c.title} » (${formatEuros(p.amount_cents)}) : le compte Stripe du porteur n'est pas prêt.`);
    }
    return;
  }
  for (const p of pending) {
    try {
      const transfer = await createTransfer({
        payoutId: p.id, campaignId: c.id, destination: org.stripe_account_id, amountCents: p.amount_cents, idempotencyKey: p.idempotency_key,
      });
      await db.transaction().execute(async (trx) => {
        const done = await trx
          .updateTable("payouts")
          .set({ status: "paid", stripe_transfer_id: transfer.id, paid_at: at, updated_at: at, attempts: p.attempts + 1 })
          .where("id", "=", p.id)
          .where("status", "=", "pending")
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) return;
        const contributionId = p.kind === "supplementary" ? Number(p.idempotency_key.split(":").at(-1)) : null;
        await trx
          .insertInto("ledger_entries")
          .values([
            { campaign_id: c.id, contribution_id: contributionId, kind: "commission", amount_cents: p.commission_cents, at },
            { campaign_id: c.id, contribution_id: contributionId, kind: "payout", amount_cents: p.amount_cents, at },
          ])
          .execute();
      });
      report.payoutsPaid++;
      say(`Virement émis pour « ${c.title} » : ${formatEuros(p.amount_cents)} (${transfer.id}), commission ${formatEuros(p.commission_cents)}.`);
    } catch (error) {
      const e = error instanceof StripeCallError ? error : new StripeCallError(String(error), undefined, undefined);
      const retryable = isRetryableStatus(e.status);
      await db
        .updateTable("payouts")
        .set({ attempts: p.attempts + 1, last_error: e.message.slice(0, 500), updated_at: at, ...(retryable ? {} : { status: "failed" as const }) })
        .where("id", "=", p.id)
        .execute();
      report.errors++;
      say(`Virement pour « ${c.title} » ${retryable ? "reporté" : "en échec (à traiter par l'équipe)"} : ${e.message}`);
    }
  }
}

async function refundAll(
  db: Kysely<DB>,
  c: { id: number; title: string },
  now: Date,
  report: SettleReport,
  say: (l: string) => void,
): Promise<void> {
  const cfg = config();
  const nowIso = now.toISOString();
  // Paid ones, and refunds started but never answered (a crash between the two writes).
  const toRefund = await db
    .selectFrom("contributions")
    .select([...CONTRIBUTION_COLUMNS, "refund_attempts", "stripe_refund_id"])
    .where("campaign_id", "=", c.id)
    .where((eb) => eb.or([eb("status", "=", "paid"), eb.and([eb("status", "=", "refunding"), eb("stripe_refund_id", "is", null)])]))
    .where((eb) => eb.or([eb("refund_next_attempt_at", "is", null), eb("refund_next_attempt_at", "<=", nowIso)]))
    .orderBy("id")
    .execute();
  if (toRefund.length === 0) return;
  say(`Remboursements pour « ${c.title} » : ${toRefund.length} contribution(s).`);
  const result = await runQueue(
    toRefund,
    async (k): Promise<WorkResult> => {
      // Say we are refunding before asking Stripe; the idempotency key makes a repeat harmless.
      if (k.status === "paid") {
        await db.transaction().execute(async (trx) => {
          await markRefund(trx, { ...k, status: "paid" }, "refunding", null, now);
        });
        k.status = "refunding";
      }
      if (!k.stripe_payment_intent_id) {
        await db.transaction().execute((trx) => markRefund(trx, k, "refund_failed", null, now));
        await db.updateTable("contributions").set({ refund_last_error: "Aucun paiement Stripe associé : remboursement à faire à la main." }).where("id", "=", k.id).execute();
        report.refundFailed++;
        return { ok: true };
      }
      try {
        const refund = await createRefund({ contributionId: k.id, campaignId: k.campaign_id, paymentIntentId: k.stripe_payment_intent_id, amountCents: k.amount_cents });
        const to = refund.status === "succeeded" ? "refunded" : refund.status === "failed" || refund.status === "canceled" ? "refund_failed" : "refunding";
        await db.transaction().execute(async (trx) => {
          const current = await trx.selectFrom("contributions").select(CONTRIBUTION_COLUMNS).where("id", "=", k.id).executeTakeFirstOrThrow();
          await trx.updateTable("contributions").set({ stripe_refund_id: refund.id, refund_last_error: null }).where("id", "=", k.id).execute();
          if (current.status !== to) await markRefund(trx, current, to, refund.id, now);
        });
        if (to === "refunded") report.refunded++;
        else if (to === "refund_failed") report.refundFailed++;
        else report.refundsPending++;
        return { ok: true };
      } catch (error) {
        const e = error instanceof StripeCallError ? error : new StripeCallError(String(error), undefined, undefined);
        if (e.code === "charge_already_refunded") {
          // Refunded outside the platform (e.g. from Stripe's dashboard): record it.
          await db.transaction().execute(async (trx) => {
            const current = await trx.selectFrom("contributions").select(CONTRIBUTION_COLUMNS).where("id", "=", k.id).executeTakeFirstOrThrow();
            await markRefund(trx, current, "refunded", null, now);
          });
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
          await db.transaction().execute(async (trx) => {
            const current = await trx.selectFrom("contributions").select(CONTRIBUTION_COLUMNS).where("id", "=", k.id).executeTakeFirstOrThrow();
            await markRefund(trx, current, "refund_failed", null, now);
          });
          report.refundFailed++;
          say(`Remboursement de la contribution ${k.id} refusé par Stripe (${e.message}) : à traiter par l'équipe.`);
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
  if (result.retries > 0) say(`${result.retries} nouvel(s) essai(s) après limitation ou erreur de Stripe.`);
}

/** Staff cancel an approved or live campaign: contributors are told why, and refunded by the next pass. */
export async function cancelCampaign(
  db: Kysely<DB>,
  campaignId: number,
  input: { reason: string; actorUserId?: number | null; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  await db.transaction().execute(async (trx) => {
    await applyCampaignEvent(trx, { campaignId, event: "cancel", actor: "staff", actorUserId: input.actorUserId ?? null, reason: input.reason, now });
    const c = await trx.selectFrom("campaigns").select(["title", "slug", "goal_cents"]).where("id", "=", campaignId).executeTakeFirstOrThrow();
    const paid = await trx.selectFrom("contributions").select(["email", "amount_cents"]).where("campaign_id", "=", campaignId).where("status", "=", "paid").execute();
    const total = paid.reduce((s, k) => s + k.amount_cents, 0);
    const perPerson = new Map<string, number>();
    for (const k of paid) perPerson.set(k.email, (perPerson.get(k.email) ?? 0) + k.amount_cents);
    for (const [email, amount] of perPerson) {
      await enqueueEmail(trx, {
        kind: "campaign_refund_contributor", to: email, idempotencyKey: `refund-notice:${campaignId}:${email}`, now,
        data: { campaignTitle: c.title, campaignUrl: campaignUrl(c.slug), amountCents: amount, cancelled: true, reason: input.reason, collectedCents: total, goalCents: c.goal_cents },
      });
    }
  });
}

/** The periodic job inside the server. Returns a stop function. */
export function startSettlementJob(db: Kysely<DB>, intervalMs: number): () => void {
  if (intervalMs <= 0) return () => {};
  let running = false;
  const holder = newHolderId();
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const r = await runSettlementPass(db, { holder, log: (line) => console.log(`[règlement] ${line}`) });
      if (r.errors > 0) console.error(`[règlement] ${r.errors} erreur(s) ; nouvel essai au prochain passage.`);
    } catch (error) {
      console.error("[règlement] passage interrompu :", error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  setTimeout(() => void tick(), 1000).unref();
  return () => clearInterval(timer);
}
