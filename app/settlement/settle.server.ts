/**
 * Settlement (docs/product-rules.md#money-rules, #campaign-lifecycle): the periodic pass that moves campaigns on by
 * themselves and moves the money that follows.
 *
 *  1. approved → live at starts_at; live → settling at ends_at;
 *  2. settling → funded or failed, once nothing is in flight (or the grace period is over);
 *  3. funded: one transfer to the holder (total − commission), `payout:<campaign id>`;
 *     late payments are paid out together, one supplementary transfer per pass;
 *  4. failed or cancelled: every paid contribution refunded in full, `refund:<contribution id>`.
 *
 * Every step is idempotent and resumable: the database says what is done, and
 * Stripe's idempotency keys make a repeated call return the first result, so
 * killing the process at any instant and running it again moves no money twice.
 * Work on a campaign happens under its lease (leases.server.ts).
 */
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { TransitionError } from "~/domain/campaign-machine";
import { countOf } from "~/domain/format";
import { purgeDidSomething, purgeSummary, runRetentionPurge } from "~/account/retention-purge.server";
import { kickEmailDelivery } from "~/email.server";
import { jobLogger } from "~/logger.server";
import { recordSettlementPass } from "~/metrics.server";
import { applyCampaignEvent, ConcurrentTransitionError } from "~/models/campaign-transitions.server";
import { movableSql } from "~/payments/campaign-money.server";
import { cancelCampaign } from "./cancel.server";
import { closeStalePending, expireOpenCheckouts, STALE_CHECKOUT_MS } from "./checkouts.server";
import { decide } from "./decide.server";
import { DEFAULT_LEASE_MS, clearAbandonedLeases, newHolderId, withLease } from "./leases.server";
import { payOut } from "./payouts.server";
import { issueDueReceipts } from "~/receipts/issue.server";
import { refundAll } from "./refunds.server";
import { emptyReport, type SettleReport } from "./report";

export { cancelCampaign, type SettleReport };

export interface SettleOptions {
  /** the instant the pass acts as of (`npm run settle -- --now …`) */
  now?: Date;
  holder?: string;
  leaseMs?: number;
  log?: (line: string) => void;
  /** only this campaign (cancel command) */
  campaignId?: number;
}

/** One settlement pass. Safe to run concurrently from several processes. Counted in the process's metrics. */
export async function runSettlementPass(db: Kysely<DB>, options: SettleOptions = {}): Promise<SettleReport> {
  const started = performance.now();
  try {
    const report = await settlementPass(db, options);
    recordSettlementPass((performance.now() - started) / 1000, report);
    return report;
  } catch (error) {
    recordSettlementPass((performance.now() - started) / 1000, null);
    throw error;
  }
}

async function settlementPass(db: Kysely<DB>, options: SettleOptions): Promise<SettleReport> {
  const now = options.now ?? new Date();
  const holder = options.holder ?? newHolderId();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const report = emptyReport();
  const say = (line: string) => {
    report.lines.push(line);
    options.log?.(line);
  };

  const campaigns = (statuses: Array<DB["campaigns"]["status"]>) => {
    let q = db
      .selectFrom("campaigns")
      .select(["id", "slug", "title", "status", "starts_at", "ends_at", "goal_cents", "budget_citoyen_year"])
      .where("status", "in", statuses);
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
  const staleCutoff = new Date(now.getTime() - STALE_CHECKOUT_MS).toISOString();
  let candidates = db
    .selectFrom("campaigns as c")
    .select(["c.id", "c.slug", "c.title", "c.status", "c.ends_at", "c.goal_cents", "c.budget_citoyen_year"])
    .where((eb) =>
      eb.or([
        eb("c.status", "=", "settling"),
        eb.and([
          eb("c.status", "=", "funded"),
          eb.or([
            eb.exists(
              eb
                .selectFrom("payouts as p")
                .select("p.id")
                .whereRef("p.campaign_id", "=", "c.id")
                .where("p.status", "=", "pending"),
            ),
            eb.exists(
              eb
                .selectFrom("contributions as k")
                .select("k.id")
                .whereRef("k.campaign_id", "=", "c.id")
                .where("k.status", "=", "paid")
                .where("k.payout_id", "is", null)
                .where(movableSql("k")),
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
              .where((k) =>
                k.or([
                  k("k.status", "=", "paid"),
                  k.and([k("k.status", "=", "refunding"), k("k.stripe_refund_id", "is", null)]),
                ]),
              )
              .where(movableSql("k")),
          ),
        ]),
        // A cancelled campaign's checkouts still open at Stripe (expiring them failed once).
        eb.and([
          eb("c.status", "=", "cancelled"),
          eb.exists(
            eb
              .selectFrom("contributions as k")
              .select("k.id")
              .whereRef("k.campaign_id", "=", "c.id")
              .where("k.status", "=", "pending")
              .where("k.stripe_payment_intent_id", "is", null),
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
        const fresh = await db
          .selectFrom("campaigns")
          .select("status")
          .where("id", "=", c.id)
          .executeTakeFirstOrThrow();
        let status = fresh.status;
        if (status === "settling") status = await decide(db, c, now, report, say);
        if (status === "funded") await payOut(db, c, now, report, say);
        if (status === "cancelled") await expireOpenCheckouts(db, c.id, now, report, say);
        if (status === "failed" || status === "cancelled") await refundAll(db, c, now, report, say);
      } catch (error) {
        report.errors++;
        say(
          `Erreur sur « ${c.title} » : ${error instanceof Error ? error.message : String(error)} (nouvel essai au prochain passage).`,
        );
      }
    });
    if (!ran) {
      report.skipped++;
      say(`« ${c.title} » : un autre processus s'en occupe, passage suivant.`);
    }
  }
  // Tax receipts of funded campaigns (app/receipts/issue.server.ts): what is due and not issued yet,
  // including what a crashed or concurrent pass left; each receipt is its own transaction.
  const receipts = await issueDueReceipts(db, now, { campaignId: options.campaignId, say });
  report.errors += receipts.errors;
  kickEmailDelivery();
  return report;
}

async function tryEvent(
  db: Kysely<DB>,
  campaignId: number,
  event: "start" | "deadline",
  now: Date,
  say: (l: string) => void,
): Promise<boolean> {
  try {
    await applyCampaignEvent(db, { campaignId, event, actor: "system", now });
    return true;
  } catch (error) {
    // Another settler got there first, or the guard refused: nothing to do.
    if (!(error instanceof TransitionError) && !(error instanceof ConcurrentTransitionError))
      say(`Transition ${event} impossible pour la campagne ${campaignId} : ${String(error)}`);
    return false;
  }
}

const PURGE_EVERY_MS = 3600_000;

/** The periodic job inside the server (settlement, then the retention purge). Returns a stop function. */
export function startSettlementJob(db: Kysely<DB>, intervalMs: number): () => void {
  if (intervalMs <= 0) return () => {};
  let running = false;
  let lastPurge = 0;
  const holder = newHolderId();
  const log = jobLogger("règlement");
  const tick = async () => {
    if (running) return;
    running = true;
    const started = performance.now();
    try {
      const r = await runSettlementPass(db, { holder, log: (line) => log.info(line) });
      // One line per pass, with what it did (an idle pass is a debug line).
      const { lines, ...counts } = r;
      const durationMs = Math.round(performance.now() - started);
      if (r.errors > 0)
        log.warn(
          { ...counts, durationMs },
          `Passage de règlement : ${countOf(r.errors, "erreur", "erreurs")} ; nouvel essai au prochain passage.`,
        );
      else
        log[lines.length > 0 ? "info" : "debug"](
          { ...counts, durationMs },
          `Passage de règlement terminé en ${durationMs} ms.`,
        );
    } catch (error) {
      log.error({ err: error }, "Passage de règlement interrompu.");
    }
    // The retention purge (app/account), at most once an hour.
    if (Date.now() - lastPurge >= PURGE_EVERY_MS) {
      lastPurge = Date.now();
      try {
        const purge = await runRetentionPurge(db);
        log[purgeDidSomething(purge) ? "info" : "debug"]({ purge }, purgeSummary(purge));
      } catch (error) {
        log.error({ err: error }, "Purge de conservation interrompue ; nouvel essai dans une heure.");
      }
    }
    running = false;
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  setTimeout(() => void tick(), 1000).unref();
  return () => clearInterval(timer);
}
