/**
 * Property-style test of the money rules for contributions (docs/product-rules.md#money-rules, #contributions).
 *
 * Random sequences of contributions and Stripe webhook deliveries (paid,
 * declined, expired, asynchronous success and failure; duplicated, delayed and
 * delivered out of order) over three live campaigns. After every step:
 * - per campaign, the paid total equals the sum of paid contributions and the
 *   ledger's contribution_paid entries, to the cent, and what a model of the
 *   deliveries expects;
 * - every paid contribution has exactly one contribution_paid entry;
 * - every reward's held and sold counters match the contributions, and
 *   held + sold never exceeds its stock;
 * - no contribution leaves « paid »; every event id is stored once;
 * - the key figures' maintained aggregates equal a plain recomputation.
 *
 * The real webhook code runs (processStripeEvent); Stripe is the msw stand-in.
 */
import fs from "node:fs";
import { setupServer } from "msw/node";
import { sql } from "kysely";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// config() reads the environment once, on its first call: set the outbox before any app code runs.
const outbox = vi.hoisted(() => {
  const file = `${process.env.TMPDIR ?? "/tmp"}/propulsons-property-outbox-${process.pid}.jsonl`;
  process.env.DEMO_OUTBOX_PATH = file;
  return file;
});

import { closeDatabase, initDatabase } from "~/db.server";
import { getCampaignPage } from "~/models/campaigns.server";
import { checkFigureAggregates } from "~/models/figures.server";
import { startContribution } from "~/payments/contributions.server";
import { processStripeEvent, type WebhookOutcome } from "~/payments/webhooks.server";
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { handlers } from "~/demo/index.server";
import {
  completeCheckoutAsync,
  declineCheckout,
  expireCheckout,
  payCheckout,
  settleAsyncPayment,
  stripeMock,
  type MockEvent,
} from "~/demo/stripe-api.server";
import { tempDatabasePath } from "../support/db";
import { Rng } from "../support/random";

const SEEDS = [1, 42, 2024, 7919, 123456789];
const STEPS = 60;

const mswServer = setupServer(...handlers);

beforeAll(() => {
  mswServer.listen({ onUnhandledRequest: "error" });
});

afterAll(async () => {
  mswServer.close();
  await closeDatabase();
  fs.rmSync(outbox, { force: true });
});

interface RewardInfo {
  id: number;
  campaignId: number;
  minimumCents: number;
  stock: number | null;
  seededSold: number;
}

interface CampaignInfo {
  id: number;
  slug: string;
  rewards: RewardInfo[];
  /** collected total before this run (seeded contributions) */
  baselineCents: number;
}

/** What the mock's hosted checkout did (the citizen's side). */
type SessionStage = "open" | "paid" | "expired" | "processing" | "async_paid" | "async_failed";

interface ModelContribution {
  id: number;
  sessionId: string;
  campaignId: number;
  rewardId: number | null;
  /** a unit was held at opening (reward with a stock) */
  holds: boolean;
  amountCents: number;
  stage: SessionStage;
  /** what the webhook deliveries so far must have made of it */
  delivered: "pending" | "paid" | "expired" | "failed";
}

/** The session state an event carries: does it move the contribution, and where to? */
function effectOf(event: MockEvent): "paid" | "expired" | "failed" | null {
  const object = event.data.object as { payment_status?: string };
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
      return object.payment_status === "paid" ? "paid" : null;
    case "checkout.session.expired":
      return "expired";
    case "checkout.session.async_payment_failed":
      return "failed";
    default:
      return null;
  }
}

function contributionIdOf(event: MockEvent): number {
  const object = event.data.object as {
    client_reference_id?: string | null;
    metadata?: Record<string, string>;
  };
  return Number(object.client_reference_id ?? object.metadata?.contribution_id);
}

async function loadCampaigns(db: Kysely<DB>, now: Date): Promise<CampaignInfo[]> {
  const nowIso = now.toISOString();
  const live = await db
    .selectFrom("campaigns")
    .select(["id", "slug"])
    .where("status", "=", "live")
    .where("starts_at", "<=", nowIso)
    .where("ends_at", ">", nowIso)
    .orderBy("id")
    .execute();
  const out: CampaignInfo[] = [];
  for (const c of live) {
    const rewards = await db
      .selectFrom("rewards")
      .select(["id", "campaign_id", "minimum_cents", "stock", "sold"])
      .where("campaign_id", "=", c.id)
      .orderBy("position")
      .execute();
    const page = await getCampaignPage(db, c.slug);
    out.push({
      id: c.id,
      slug: c.slug,
      rewards: rewards.map((r) => ({
        id: r.id,
        campaignId: r.campaign_id,
        minimumCents: r.minimum_cents,
        stock: r.stock,
        seededSold: r.sold,
      })),
      baselineCents: page!.collectedCents,
    });
  }
  // Prefer campaigns with limited rewards, so stock limits are exercised.
  out.sort(
    (a, b) =>
      Number(b.rewards.some((r) => r.stock !== null)) - Number(a.rewards.some((r) => r.stock !== null)) ||
      a.id - b.id,
  );
  return out.slice(0, 3);
}

async function runScenario(
  seed: number,
): Promise<{ paid: number; opened: number; soldOut: number; delivered: number; duplicates: number }> {
  const rng = new Rng(seed);
  const tmp = tempDatabasePath(`property-${seed}`);
  stripeMock.reset();
  const now = new Date();
  const { db } = await initDatabase({ path: tmp.file, seed: true, now });
  const tag = (step: number | string) => `seed ${seed}, step ${step}`;
  try {
    const campaigns = await loadCampaigns(db, now);
    expect(campaigns.length, "three live campaigns are open now").toBe(3);
    const campaignIds = new Set(campaigns.map((c) => c.id));

    // Make one limited reward nearly sold out, so that the stock limit is hit.
    const limited = campaigns.flatMap((c) => c.rewards).filter((r) => r.stock !== null);
    expect(limited.length, "some rewards have a limited stock").toBeGreaterThan(0);
    const scarce = limited[seed % limited.length]!;
    scarce.stock = scarce.seededSold + 3;
    await db.updateTable("rewards").set({ stock: scarce.stock }).where("id", "=", scarce.id).execute();
    const rewards = new Map(campaigns.flatMap((c) => c.rewards).map((r) => [r.id, r]));

    const model = new Map<number, ModelContribution>();
    const delayed: MockEvent[] = [];
    const deliveredIds = new Set<string>();
    const deliveredEvents: MockEvent[] = [];
    const everPaid = new Set<number>();
    const stats = { paid: 0, opened: 0, soldOut: 0, delivered: 0, duplicates: 0 };

    /** Held units the webhook state implies (what the database must show right now). */
    const heldNow = (rewardId: number) =>
      [...model.values()].filter((m) => m.rewardId === rewardId && m.holds && m.delivered === "pending")
        .length;
    const soldNow = (rewardId: number) =>
      rewards.get(rewardId)!.seededSold +
      [...model.values()].filter((m) => m.rewardId === rewardId && m.delivered === "paid").length;

    async function deliver(event: MockEvent, step: number | string): Promise<void> {
      const duplicate = deliveredIds.has(event.id);
      const target = model.get(contributionIdOf(event));
      const before = target?.delivered;
      const outcome: WebhookOutcome = await processStripeEvent(db, event as unknown as Stripe.Event);
      stats.delivered += 1;
      if (duplicate) {
        stats.duplicates += 1;
        expect(outcome, `${tag(step)}: a second delivery of ${event.type} ${event.id} changes nothing`).toBe(
          "duplicate",
        );
        return;
      }
      deliveredIds.add(event.id);
      deliveredEvents.push(event);
      if (event.type === "payment_intent.succeeded") {
        expect(outcome, `${tag(step)}: payment_intent.succeeded is not acted upon`).toBe("ignored");
        return;
      }
      if (event.type === "payment_intent.payment_failed") {
        const pi = event.data.object as { metadata?: Record<string, string> };
        const m = model.get(Number(pi.metadata?.contribution_id));
        expect(outcome, `${tag(step)}: a decline is recorded only on a pending contribution`).toBe(
          m?.delivered === "pending" ? "processed" : "ignored",
        );
        return;
      }
      expect(target, `${tag(step)}: ${event.type} refers to a contribution of this run`).toBeDefined();
      expect(outcome, `${tag(step)}: first delivery of ${event.type} for contribution ${target!.id}`).toBe(
        "processed",
      );
      const effect = effectOf(event);
      if (effect === null) return;
      if (effect === "paid") {
        // States only move forward: failed / expired → paid is allowed (money received), never away from paid.
        expect(before, `${tag(step)}: contribution ${target!.id} paid twice`).not.toBe("paid");
        target!.delivered = "paid";
      } else if (before === "pending") {
        target!.delivered = effect;
      }
    }

    /** Deliver now, maybe twice, or keep for later (out of order). */
    async function emit(events: MockEvent[], step: number): Promise<void> {
      for (const event of events) {
        if (rng.chance(0.3)) {
          delayed.push(event);
          continue;
        }
        await deliver(event, step);
        if (rng.chance(0.2)) await deliver(event, step);
      }
    }

    async function flushSome(step: number | string, all = false): Promise<void> {
      rng.shuffle(delayed);
      const n = all ? delayed.length : rng.int(1, delayed.length);
      for (const event of delayed.splice(0, n)) {
        await deliver(event, step);
        if (rng.chance(0.15)) await deliver(event, step);
      }
    }

    async function check(step: number | string): Promise<void> {
      const at = tag(step);
      const rows = await db
        .selectFrom("contributions")
        .select([
          "id",
          "campaign_id",
          "status",
          "amount_cents",
          "reward_id",
          "reward_hold",
          "staff_flag",
          "stripe_checkout_session_id",
        ])
        .where("campaign_id", "in", [...campaignIds])
        .execute();
      const mine = rows.filter((r) => model.has(r.id));
      expect(mine.length, `${at}: every opened contribution is stored`).toBe(model.size);

      // Status of each contribution: exactly what the deliveries so far imply; never back from paid.
      for (const r of mine) {
        const m = model.get(r.id)!;
        expect({ id: r.id, status: r.status }, `${at}: status of contribution ${r.id}`).toEqual({
          id: m.id,
          status: m.delivered,
        });
        expect(r.stripe_checkout_session_id, `${at}: session of contribution ${r.id}`).toBe(m.sessionId);
        expect(r.staff_flag, `${at}: nothing for staff on contribution ${r.id}`).toBeNull();
        expect(r.reward_hold, `${at}: hold of contribution ${r.id}`).toBe(
          m.holds && m.delivered === "pending" ? 1 : 0,
        );
        if (everPaid.has(r.id))
          expect(r.status, `${at}: contribution ${r.id} went back from paid`).toBe("paid");
        if (r.status === "paid") everPaid.add(r.id);
      }
      // The model's own view: paid ids are the sessions whose payment was delivered.
      const paidIds = new Set(mine.filter((r) => r.status === "paid").map((r) => r.id));
      const expectedPaid = new Set(
        [...model.values()].filter((m) => m.delivered === "paid").map((m) => m.id),
      );
      expect(
        [...paidIds].sort((a, b) => a - b),
        `${at}: paid contributions`,
      ).toEqual([...expectedPaid].sort((a, b) => a - b));

      // Money, per campaign, to the cent.
      const ledger = await db
        .selectFrom("ledger_entries")
        .select(["campaign_id", "contribution_id", "kind", "amount_cents"])
        .where("campaign_id", "in", [...campaignIds])
        .execute();
      for (const c of campaigns) {
        const paidSum = rows
          .filter((r) => r.campaign_id === c.id && r.status === "paid")
          .reduce((s, r) => s + r.amount_cents, 0);
        const ledgerPaid = ledger
          .filter((e) => e.campaign_id === c.id && e.kind === "contribution_paid")
          .reduce((s, e) => s + e.amount_cents, 0);
        const ledgerRefund = ledger
          .filter((e) => e.campaign_id === c.id && e.kind === "refund")
          .reduce((s, e) => s + e.amount_cents, 0);
        const modelPaid = [...model.values()]
          .filter((m) => m.campaignId === c.id && m.delivered === "paid")
          .reduce((s, m) => s + m.amountCents, 0);
        const page = await getCampaignPage(db, c.slug);
        expect(
          {
            paidSum,
            ledger: ledgerPaid - ledgerRefund,
            shown: page!.collectedCents,
            model: c.baselineCents + modelPaid,
          },
          `${at}: money of campaign ${c.slug}`,
        ).toEqual({ paidSum, ledger: paidSum, shown: paidSum, model: paidSum });
        expect(
          ledger.some((e) => e.campaign_id === c.id && e.kind !== "contribution_paid"),
          `${at}: only payments in the ledger of ${c.slug}`,
        ).toBe(false);
      }
      // Exactly one contribution_paid entry per paid contribution, none for the others, of its amount.
      const entriesOf = new Map<number, number[]>();
      for (const e of ledger) {
        if (e.kind !== "contribution_paid" || e.contribution_id === null) continue;
        entriesOf.set(e.contribution_id, [...(entriesOf.get(e.contribution_id) ?? []), e.amount_cents]);
      }
      for (const r of rows) {
        const expected = r.status === "paid" ? [r.amount_cents] : [];
        expect(
          entriesOf.get(r.id) ?? [],
          `${at}: ledger entries of contribution ${r.id} (${r.status})`,
        ).toEqual(expected);
      }

      // Rewards: held units are the open checkouts holding one; sold = seeded + paid here; never oversold.
      const rewardRows = await db
        .selectFrom("rewards")
        .select(["id", "stock", "held", "sold"])
        .where("campaign_id", "in", [...campaignIds])
        .execute();
      for (const rw of rewardRows) {
        const pendingHolding = rows.filter(
          (r) => r.reward_id === rw.id && r.status === "pending" && r.reward_hold === 1,
        ).length;
        expect(rw.held, `${at}: held of reward ${rw.id} = pending contributions holding it`).toBe(
          pendingHolding,
        );
        expect({ held: rw.held, sold: rw.sold }, `${at}: counters of reward ${rw.id}`).toEqual({
          held: heldNow(rw.id),
          sold: soldNow(rw.id),
        });
        if (rw.stock !== null)
          expect(rw.held + rw.sold, `${at}: reward ${rw.id} oversold`).toBeLessThanOrEqual(rw.stock);
      }

      // Every distinct event delivered is stored once.
      const events = await db
        .selectFrom("stripe_events")
        .select(sql<number>`count(*)`.as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(events.n), `${at}: stored event ids`).toBe(deliveredIds.size);

      // Each payment enqueued its receipt and the holder's notice, once.
      const mails = await db.selectFrom("email_outbox").select(["idempotency_key"]).execute();
      const expectedKeys = [...expectedPaid].flatMap((id) => [`receipt:${id}`, `holder-new:${id}`]).sort();
      expect(mails.map((m) => m.idempotency_key).sort(), `${at}: emails enqueued`).toEqual(expectedKeys);

      // The key figures' aggregates, written along each payment, equal a plain recomputation.
      expect(await checkFigureAggregates(db), `${at}: figure aggregates`).toEqual([]);
    }

    async function open(step: number): Promise<void> {
      const campaign = rng.pick(campaigns);
      let reward: RewardInfo | null = null;
      if (campaign.rewards.length > 0 && rng.chance(0.45)) {
        // Half of the time, the nearly sold-out reward when this campaign has it.
        reward = scarce.campaignId === campaign.id && rng.chance(0.5) ? scarce : rng.pick(campaign.rewards);
      }
      let amountCents: number | null = rng.int(100, 20_000);
      if (reward) amountCents = rng.chance(0.3) ? null : Math.max(amountCents, reward.minimumCents);
      const available =
        !reward || reward.stock === null || heldNow(reward.id) + soldNow(reward.id) < reward.stock;
      const n = model.size + stats.soldOut + 1;
      const result = await startContribution(db, campaign.slug, {
        amountCents,
        rewardId: reward?.id ?? null,
        email: `prop${seed}-${n}@example.org`,
        publicName: `Propriété ${n}`,
        anonymous: rng.chance(0.1),
        hideAmount: rng.chance(0.1),
        message: null,
      });
      if (!available) {
        expect(result, `${tag(step)}: reward ${reward!.id} is sold out`).toMatchObject({
          ok: false,
          status: 409,
        });
        if (!result.ok) expect(result.fieldErrors?.contrepartie).toContain("est épuisée");
        stats.soldOut += 1;
        return;
      }
      if (!result.ok) throw new Error(`${tag(step)}: startContribution refused: ${JSON.stringify(result)}`);
      const sessionId = /\/demo\/checkout\/(cs_test_[a-f0-9]+)$/.exec(result.checkoutUrl)?.[1];
      expect(sessionId, `${tag(step)}: checkout URL ${result.checkoutUrl}`).toBeDefined();
      const session = stripeMock.session(sessionId!)!;
      const expectedAmount = amountCents ?? reward!.minimumCents;
      expect(session.amount_total, `${tag(step)}: session amount`).toBe(expectedAmount);
      model.set(result.contributionId, {
        id: result.contributionId,
        sessionId: sessionId!,
        campaignId: campaign.id,
        rewardId: reward?.id ?? null,
        holds: reward !== null && reward.stock !== null,
        amountCents: expectedAmount,
        stage: "open",
        delivered: "pending",
      });
      stats.opened += 1;
    }

    const inStage = (stage: SessionStage) => [...model.values()].filter((m) => m.stage === stage);

    for (let step = 1; step <= STEPS; step++) {
      const open_ = inStage("open");
      const processing = inStage("processing");
      const choices: Array<[number, () => Promise<void>]> = [[open_.length < 4 ? 5 : 3, () => open(step)]];
      if (open_.length > 0) {
        const pickOpen = () => rng.pick(open_);
        choices.push(
          [
            3,
            async () => {
              const m = pickOpen();
              m.stage = "paid";
              await emit(payCheckout(m.sessionId), step);
            },
          ],
          [
            1,
            async () => {
              const m = pickOpen();
              await emit(declineCheckout(m.sessionId), step);
            },
          ],
          [
            1,
            async () => {
              const m = pickOpen();
              m.stage = "expired";
              await emit(expireCheckout(m.sessionId), step);
            },
          ],
          [
            1,
            async () => {
              const m = pickOpen();
              m.stage = "processing";
              await emit(completeCheckoutAsync(m.sessionId), step);
            },
          ],
        );
      }
      if (processing.length > 0) {
        const pickProcessing = () => rng.pick(processing);
        choices.push(
          [
            1,
            async () => {
              const m = pickProcessing();
              m.stage = "async_paid";
              await emit(settleAsyncPayment(m.sessionId, "succeeded"), step);
            },
          ],
          [
            1,
            async () => {
              const m = pickProcessing();
              m.stage = "async_failed";
              await emit(settleAsyncPayment(m.sessionId, "failed"), step);
            },
          ],
        );
      }
      if (delayed.length > 0) choices.push([1, () => flushSome(step)]);
      if (deliveredEvents.length > 0) choices.push([0.5, () => deliver(rng.pick(deliveredEvents), step)]);

      const total = choices.reduce((s, [w]) => s + w, 0);
      let roll = rng.float() * total;
      const action = choices.find(([w]) => (roll -= w) < 0)?.[1] ?? choices[choices.length - 1]![1];
      await action();
      await check(step);
    }

    await flushSome("final flush", true);
    await check("final flush");

    // Independently of the deliveries: the sessions the citizens paid are exactly the paid contributions.
    const paidByCitizens = [...model.values()]
      .filter((m) => m.stage === "paid" || m.stage === "async_paid")
      .map((m) => m.id)
      .sort((a, b) => a - b);
    const paidInDb = (
      await db
        .selectFrom("contributions")
        .select("id")
        .where("status", "=", "paid")
        .where("id", "in", [0, ...model.keys()])
        .execute()
    )
      .map((r) => r.id)
      .sort((a, b) => a - b);
    expect(paidInDb, `seed ${seed}: paid contributions after every event was delivered`).toEqual(
      paidByCitizens,
    );
    // Still open checkouts keep their hold; every closed one released it.
    for (const m of model.values()) {
      const expected =
        m.stage === "paid" || m.stage === "async_paid"
          ? "paid"
          : m.stage === "expired"
            ? "expired"
            : m.stage === "async_failed"
              ? "failed"
              : "pending";
      expect(m.delivered, `seed ${seed}: final state of contribution ${m.id}`).toBe(expected);
    }
    stats.paid = paidByCitizens.length;
    return stats;
  } finally {
    await closeDatabase();
    tmp.cleanup();
  }
}

describe("contributions under random payments and webhook deliveries", () => {
  it.each(SEEDS)("seed %i: paid totals, ledger and reward stock always agree", async (seed) => {
    const stats = await runScenario(seed);
    // The scenario did exercise what it claims to.
    expect(stats.opened, `seed ${seed}: contributions opened`).toBeGreaterThan(5);
    expect(stats.paid, `seed ${seed}: contributions paid`).toBeGreaterThan(0);
    expect(stats.delivered, `seed ${seed}: deliveries`).toBeGreaterThan(stats.opened);
  });
});

describe("a payment whose reward holds no unit", () => {
  // The smallest case the random runs hit: a reward without a stock limit holds
  // nothing at checkout, so its sale is counted when the payment arrives.
  it("sells one unit of that reward only, and flags nothing", async () => {
    const tmp = tempDatabasePath("property-unlimited");
    stripeMock.reset();
    const now = new Date();
    const { db } = await initDatabase({ path: tmp.file, seed: true, now });
    try {
      const reward = await db
        .selectFrom("rewards as r")
        .innerJoin("campaigns as c", "c.id", "r.campaign_id")
        .select(["r.id", "r.minimum_cents", "c.slug"])
        .where("r.stock", "is", null)
        .where("c.status", "=", "live")
        .where("c.starts_at", "<=", now.toISOString())
        .where("c.ends_at", ">", now.toISOString())
        .orderBy("r.id")
        .executeTakeFirstOrThrow();
      const soldBefore = new Map(
        (await db.selectFrom("rewards").select(["id", "sold"]).execute()).map((r) => [r.id, r.sold]),
      );

      const result = await startContribution(db, reward.slug, {
        amountCents: null,
        rewardId: reward.id,
        email: "illimitee@example.org",
        publicName: "Illimitée",
        anonymous: false,
        hideAmount: false,
        message: null,
      });
      if (!result.ok) throw new Error(`startContribution refused: ${JSON.stringify(result)}`);
      const sessionId = result.checkoutUrl.split("/").pop()!;
      for (const event of payCheckout(sessionId))
        await processStripeEvent(db, event as unknown as Stripe.Event);

      const paid = await db
        .selectFrom("contributions")
        .select(["status", "staff_flag"])
        .where("id", "=", result.contributionId)
        .executeTakeFirstOrThrow();
      const changed = (await db.selectFrom("rewards").select(["id", "sold"]).execute())
        .filter((r) => r.sold !== soldBefore.get(r.id))
        .map((r) => ({ reward: r.id, added: r.sold - soldBefore.get(r.id)! }));
      // One unit of this reward sold; no other reward's counter moves; nothing for staff.
      expect({ ...paid, soldCountersThatMoved: changed }).toEqual({
        status: "paid",
        staff_flag: null,
        soldCountersThatMoved: [{ reward: reward.id, added: 1 }],
      });
    } finally {
      await closeDatabase();
      tmp.cleanup();
    }
  });
});
