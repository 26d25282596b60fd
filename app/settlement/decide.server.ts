/**
 * Deciding a settling campaign (docs/product-rules.md#campaign-lifecycle): funded or failed, once nothing is
 * in flight or the grace period is over. The decision, its main payout (funded)
 * and its messages are one transaction. The messages say what will happen —
 * « le virement sera émis », « vous allez être remboursé » — never that it has:
 * the payout and each refund send their own message when they happen.
 */
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { config } from "~/config.server";
import { COLLECTED_STATUSES } from "~/domain/contribution-status";
import { countOf, formatEuros } from "~/domain/format";
import { commissionBpsFor, settlementSplit } from "~/domain/money";
import { canBePaid, decideSettlement } from "~/domain/settlement";
import { enqueueEmail } from "~/email.server";
import { applyCampaignEvent } from "~/models/campaign-transitions.server";
import { campaignMoney, movableSql } from "~/payments/campaign-money.server";
import { campaignUrl } from "~/payments/contribution-moves.server";
import { confirmCampaignMatches, releaseCampaignMatches } from "~/matching/moves.server";
import type { SettleReport, Say } from "./report";

type Status = DB["campaigns"]["status"];

/** Each contributor's collected total on a campaign (one message per person). */
export async function collectedPerPerson(db: Kysely<DB>, campaignId: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("contributions")
    .select(["email", "amount_cents", "dispute_withdrawn_cents"])
    .where("campaign_id", "=", campaignId)
    .where("status", "in", COLLECTED_STATUSES)
    .execute();
  const perPerson = new Map<string, number>();
  for (const k of rows) {
    const part = k.amount_cents - k.dispute_withdrawn_cents;
    if (part > 0) perPerson.set(k.email, (perPerson.get(k.email) ?? 0) + part);
  }
  return perPerson;
}

/** The holder's address and payment account. */
export async function holderOf(db: Kysely<DB>, campaignId: number) {
  return db
    .selectFrom("campaigns as c")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .innerJoin("users as u", "u.id", "o.owner_user_id")
    .select(["o.id as organization_id", "u.email", "o.stripe_account_id", "o.stripe_payouts_enabled"])
    .where("c.id", "=", campaignId)
    .executeTakeFirstOrThrow();
}

export async function decide(
  db: Kysely<DB>,
  c: { id: number; title: string; slug: string; ends_at: string; goal_cents: number },
  now: Date,
  report: SettleReport,
  say: Say,
): Promise<Status> {
  const before = await campaignMoney(db, c.id);
  const decision = decideSettlement({
    now,
    endsAt: new Date(c.ends_at),
    goalCents: c.goal_cents,
    paidTotalCents: before.collectedCents,
    matchedCents: before.matchedCents,
    inFlightCount: before.inFlightCount,
    graceMs: config().settleGraceMs,
  });
  if (decision.kind === "wait") {
    report.waiting++;
    say(
      `« ${c.title} » : ${countOf(before.inFlightCount, "paiement", "paiements")} en cours, décision au plus tard le ${decision.until.toISOString()}.`,
    );
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
    // Read again inside the transaction: the figures the messages state are the ones decided on.
    const money = await campaignMoney(trx, c.id);
    const perPerson = await collectedPerPerson(trx, c.id);
    const holder = await holderOf(trx, c.id);
    const url = await campaignUrl(trx, c.slug);
    if (applied.to === "funded") {
      // The label that applies is the one the campaign carries now, at settlement; the rate is
      // recorded on the payout and read back from there ever after.
      const label = await trx
        .selectFrom("campaigns")
        .select("budget_citoyen_year")
        .where("id", "=", c.id)
        .executeTakeFirstOrThrow();
      const bps = commissionBpsFor({ budgetCitoyenYear: label.budget_citoyen_year });
      // What the main payout carries: collected money the platform may move (no open or lost dispute).
      const payable = await trx
        .selectFrom("contributions")
        .select(["id", "amount_cents"])
        .where("campaign_id", "=", c.id)
        .where("status", "in", COLLECTED_STATUSES)
        .where(movableSql())
        .execute();
      const gross = payable.reduce((s, k) => s + k.amount_cents, 0);
      const split = settlementSplit(gross, bps);
      const payout = await trx
        .insertInto("payouts")
        .values({
          campaign_id: c.id,
          kind: "main",
          gross_cents: gross,
          commission_bps: bps,
          commission_cents: split.commissionCents,
          amount_cents: split.payoutCents,
          status: "pending",
          idempotency_key: `payout:${c.id}`,
          created_at: at,
          updated_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (payable.length > 0) {
        await trx
          .updateTable("contributions")
          .set({ payout_id: payout.id })
          .where(
            "id",
            "in",
            payable.map((k) => k.id),
          )
          .execute();
      }
      // The abondement is confirmed now: the Département pays it to the holder from its statement
      // (app/matching/statement.server.ts). It is not in the payout and carries no commission.
      const matched = await confirmCampaignMatches(trx, c.id, now);
      await enqueueEmail(trx, {
        kind: "campaign_funded_holder",
        to: holder.email,
        idempotencyKey: `funded-holder:${c.id}`,
        now,
        data: {
          campaignTitle: c.title,
          campaignUrl: url,
          collectedCents: money.collectedCents,
          matchedCents: matched,
          goalCents: c.goal_cents,
          contributorsCount: perPerson.size,
          commissionBps: bps,
          commissionCents: split.commissionCents,
          payoutCents: split.payoutCents,
          budgetCitoyenYear: label.budget_citoyen_year,
          payoutWaiting: !canBePaid(holder),
        },
      });
      for (const [email, amount] of perPerson) {
        await enqueueEmail(trx, {
          kind: "campaign_funded_contributor",
          to: email,
          idempotencyKey: `funded:${c.id}:${email}`,
          now,
          data: {
            campaignTitle: c.title,
            campaignUrl: url,
            collectedCents: money.collectedCents,
            matchedCents: matched,
            goalCents: c.goal_cents,
            contributorsCount: perPerson.size,
            amountCents: amount,
          },
        });
      }
      report.funded++;
      say(
        `Réussie : « ${c.title} » — ${formatEuros(money.collectedCents)} collectés${matched > 0 ? ` et ${formatEuros(matched)} d’abondement` : ""} sur ${formatEuros(c.goal_cents)} ; commission ${formatEuros(split.commissionCents)}, à verser ${formatEuros(split.payoutCents)}.`,
      );
    } else {
      // The abondement goes back to its envelope at once.
      await releaseCampaignMatches(trx, c.id, "failed", now);
      await tellRefundsComing(
        trx,
        { id: c.id, title: c.title, goal_cents: c.goal_cents, url },
        perPerson,
        money.collectedCents,
        { cancelled: false, reason: null },
        now,
      );
      report.failed++;
      say(
        `Non financée : « ${c.title} » — ${formatEuros(money.collectedCents)} sur ${formatEuros(c.goal_cents)} ; ${countOf(money.collectedCount, "contribution", "contributions")} à rembourser.`,
      );
    }
  });
  return decision.kind;
}

/** « Vous allez être remboursé »: once per person, when the refunds are decided (failure or cancellation). */
export async function tellRefundsComing(
  trx: Kysely<DB>,
  c: { id: number; title: string; goal_cents: number; url: string },
  perPerson: Map<string, number>,
  collectedCents: number,
  why: { cancelled: boolean; reason: string | null },
  now: Date,
): Promise<void> {
  for (const [email, amount] of perPerson) {
    await enqueueEmail(trx, {
      kind: "campaign_refund_contributor",
      to: email,
      idempotencyKey: `refund-notice:${c.id}:${email}`,
      now,
      data: {
        campaignTitle: c.title,
        campaignUrl: c.url,
        amountCents: amount,
        cancelled: why.cancelled,
        reason: why.reason,
        collectedCents,
        goalCents: c.goal_cents,
      },
    });
  }
}
