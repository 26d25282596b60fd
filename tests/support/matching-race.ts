/**
 * The abondement under concurrency (docs/decisions/029-matching.md), shared by the SQLite HTTP
 * test (one built server) and the PostgreSQL multi-server test (two built servers, one database):
 *
 *  1. 200 contributions on two campaigns, paid at once by 200 signed checkout.session.completed
 *     webhooks spread over the servers, against one envelope of 1 000 € (cap 600 € per campaign,
 *     20 € per contribution, one match per citizen and campaign): never more than the envelope
 *     reserved, each campaign's cap held, one live match per citizen, totals = matches = entries;
 *  2. refunds of matched contributions, at once: their matches released, money back in the envelope;
 *  3. both campaigns past their deadline, settled by `npm run settle` processes run at once: the one
 *     that reached its goal only thanks to the abondement is funded with its matches confirmed (payout
 *     and commission on citizens' money only), the other failed with its matches released;
 *     reconcile (ledger and envelope) clean.
 */
import { expect } from "vitest";
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { makeEvent } from "~/demo/stripe-api.server";
import { reconcile, reconcileFunds } from "~/settlement/reconcile.server";
import { makeFund, makeLiveCampaign, type TestMatchCampaign } from "./matching";
import { postEvent } from "./webhooks";

export const ENVELOPE = 100_000;
export const CAP_PER_CAMPAIGN = 60_000;
const CAP_PER_CONTRIBUTION = 2000;
const CONTRIBUTIONS = 200;
const CITIZENS = 120;

export interface RaceSetup {
  fundId: number;
  funded: TestMatchCampaign;
  failed: TestMatchCampaign;
  contributions: Array<{
    id: number;
    campaignId: number;
    amount: number;
    email: string;
    sessionId: string;
    pi: string;
  }>;
}

export async function setUpRace(db: Kysely<DB>, label: string): Promise<RaceSetup> {
  const endsAt = new Date(Date.now() + 86_400_000);
  // The goals are set once the payments are known (part 3); until then, out of reach.
  const funded = await makeLiveCampaign(db, { goalCents: 100_000_000, endsAt, label: `${label}-a` });
  const failed = await makeLiveCampaign(db, { goalCents: 100_000_000, endsAt, label: `${label}-b` });
  const fundId = await makeFund(db, {
    name: `Abondement ${label}`,
    envelopeCents: ENVELOPE,
    capPerCampaignCents: CAP_PER_CAMPAIGN,
    capPerContributionCents: CAP_PER_CONTRIBUTION,
    matchesPerCitizen: 1,
    campaigns: [
      { id: funded.id, accepted: true },
      { id: failed.id, accepted: true },
    ],
  });
  const now = new Date().toISOString();
  const contributions: RaceSetup["contributions"] = [];
  for (let i = 0; i < CONTRIBUTIONS; i++) {
    // Citizens i and i + 120 pay on the same campaign: the second is not matched.
    const campaignId = i % 2 === 0 ? funded.id : failed.id;
    const amount = 1000 + (i % 5) * 500;
    const email = `citoyen${i % CITIZENS}-${label}@example.org`;
    const sessionId = `cs_test_match_${label}_${i}`;
    const row = await db
      .insertInto("contributions")
      .values({
        campaign_id: campaignId,
        user_id: null,
        email,
        public_name: `Citoyen ${i}`,
        amount_cents: amount,
        reward_id: null,
        anonymous: 0,
        hide_amount: 0,
        message: null,
        status: "pending",
        stripe_checkout_session_id: sessionId,
        stripe_payment_intent_id: null,
        stripe_refund_id: null,
        created_at: now,
        paid_at: null,
        updated_at: now,
        checkout_expires_at: new Date(Date.now() + 1800_000).toISOString(),
        last_payment_error: null,
        staff_flag: null,
        payout_id: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    contributions.push({
      id: row.id,
      campaignId,
      amount,
      email,
      sessionId,
      pi: `pi_seed_match_${label}_${i}`,
    });
  }
  return { fundId, funded, failed, contributions };
}

/**
 * Deliver events at once, spread over the servers. An answer other than 200 (503 while every
 * connection of a server's pool is busy, 500 for a transaction that lost a race) is delivered
 * again later, as Stripe does — with backoff, for up to three minutes. Returns how many
 * deliveries were refused on the way (they must have changed nothing: the totals say so).
 */
async function deliverAll(urls: string[], events: Array<ReturnType<typeof makeEvent>>): Promise<number> {
  const deadline = Date.now() + 180_000;
  let refused = 0;
  const answers = await Promise.all(
    events.map(async (e, i) => {
      for (let attempt = 0; ; attempt++) {
        const r = await postEvent(urls[(i + attempt) % urls.length]!, e);
        if (r.status === 200 || Date.now() > deadline) return r;
        refused++;
        const ceiling = Math.min(2000, 100 * 2 ** attempt);
        await new Promise((done) => setTimeout(done, ceiling / 2 + Math.random() * (ceiling / 2)));
      }
    }),
  );
  expect(answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.body.slice(0, 200)}`)).toEqual(
    [],
  );
  for (const a of answers) expect(JSON.parse(a.body)).toMatchObject({ received: true, outcome: "processed" });
  return refused;
}

async function totals(db: Kysely<DB>, fundId: number) {
  const fund = await db
    .selectFrom("matching_funds")
    .select(["reserved_cents", "confirmed_cents"])
    .where("id", "=", fundId)
    .executeTakeFirstOrThrow();
  const campaigns = await db
    .selectFrom("matching_fund_campaigns")
    .select(["campaign_id", "reserved_cents", "confirmed_cents"])
    .where("fund_id", "=", fundId)
    .execute();
  return { fund, campaigns: new Map(campaigns.map((c) => [c.campaign_id, c])) };
}

async function expectReconciled(db: Kysely<DB>) {
  expect((await reconcile(db)).flatMap((b) => b.problems.map((p) => `${b.slug}: ${p}`))).toEqual([]);
  expect((await reconcileFunds(db)).flatMap((f) => f.problems)).toEqual([]);
}

/** Parts 1 and 2: pay all at once, then refund some at once. */
export async function payAndRefund(db: Kysely<DB>, urls: string[], race: RaceSetup): Promise<void> {
  const events = race.contributions.map((k) =>
    makeEvent("checkout.session.completed", {
      id: k.sessionId,
      object: "checkout.session",
      client_reference_id: String(k.id),
      metadata: { contribution_id: String(k.id), campaign_id: String(k.campaignId) },
      payment_status: "paid",
      status: "complete",
      payment_intent: k.pi,
      amount_total: k.amount,
      currency: "eur",
    }),
  );
  await deliverAll(urls, events);

  const paid = await db
    .selectFrom("contributions")
    .select(({ fn }) => fn.countAll<number>().as("n"))
    .where("campaign_id", "in", [race.funded.id, race.failed.id])
    .where("status", "=", "paid")
    .executeTakeFirstOrThrow();
  expect(Number(paid.n)).toBe(race.contributions.length);
  const t = await totals(db, race.fundId);
  // Demand (about 3 000 €) far exceeds the envelope: it is spent to the cent, never beyond.
  expect(t.fund.reserved_cents + t.fund.confirmed_cents).toBe(ENVELOPE);
  for (const c of t.campaigns.values()) expect(c.reserved_cents).toBeLessThanOrEqual(CAP_PER_CAMPAIGN);
  const perCitizen = await db
    .selectFrom("matches")
    .select(["campaign_id", "citizen_key", ({ fn }) => fn.countAll<number>().as("n")])
    .where("fund_id", "=", race.fundId)
    .where("status", "in", ["reserved", "confirmed"])
    .groupBy(["campaign_id", "citizen_key"])
    .execute();
  expect(perCitizen.filter((r) => Number(r.n) > 1)).toEqual([]);
  const matches = await db
    .selectFrom("matches")
    .select(["amount_cents"])
    .where("fund_id", "=", race.fundId)
    .execute();
  expect(matches.every((m) => m.amount_cents > 0 && m.amount_cents <= CAP_PER_CONTRIBUTION)).toBe(true);
  await expectReconciled(db);

  // 2. Ten matched contributions of each campaign refunded at once: released, back in the envelope.
  const matched = await db
    .selectFrom("matches as m")
    .innerJoin("contributions as k", "k.id", "m.contribution_id")
    .select([
      "k.id",
      "k.campaign_id",
      "k.stripe_payment_intent_id",
      "k.amount_cents",
      "m.amount_cents as matched",
    ])
    .where("m.fund_id", "=", race.fundId)
    .where("m.status", "=", "reserved")
    .orderBy("k.id")
    .execute();
  const refunded = [race.funded.id, race.failed.id].flatMap((id) =>
    matched.filter((m) => m.campaign_id === id).slice(0, 10),
  );
  expect(refunded).toHaveLength(20);
  await deliverAll(
    urls,
    refunded.map((k) =>
      makeEvent("charge.refunded", {
        id: `ch_${k.stripe_payment_intent_id}`,
        object: "charge",
        payment_intent: k.stripe_payment_intent_id,
        amount: k.amount_cents,
        amount_refunded: k.amount_cents,
        refunded: true,
      }),
    ),
  );
  const released = await db
    .selectFrom("matches")
    .select(["status", "release_reason"])
    .where(
      "contribution_id",
      "in",
      refunded.map((k) => k.id),
    )
    .execute();
  expect(released.every((m) => m.status === "released" && m.release_reason === "refund")).toBe(true);
  const after = await totals(db, race.fundId);
  expect(after.fund.reserved_cents).toBe(ENVELOPE - refunded.reduce((s, k) => s + k.matched, 0));
  await expectReconciled(db);
}

/**
 * Part 3, before settling: the campaigns' deadlines moved to the past, and the goals set so that
 * the first reaches its goal only with its abondement and the second does not even with it.
 */
export async function prepareSettlement(db: Kysely<DB>, race: RaceSetup) {
  const money = async (id: number) => {
    const { campaignMoney } = await import("~/payments/campaign-money.server");
    return campaignMoney(db, id);
  };
  const a = await money(race.funded.id);
  const b = await money(race.failed.id);
  expect(a.matchedCents).toBeGreaterThan(0);
  const endsAt = new Date(Date.now() - 60_000).toISOString();
  await db
    .updateTable("campaigns")
    .set({ goal_cents: a.collectedCents + a.matchedCents, ends_at: endsAt })
    .where("id", "=", race.funded.id)
    .execute();
  await db
    .updateTable("campaigns")
    .set({ goal_cents: b.collectedCents + b.matchedCents + 1, ends_at: endsAt })
    .where("id", "=", race.failed.id)
    .execute();
  return { fundedCollected: a.collectedCents, fundedMatched: a.matchedCents, failedMatched: b.matchedCents };
}

/** Part 3, after settling: confirmed and released as they should be, reconcile clean. */
export async function checkSettled(
  db: Kysely<DB>,
  race: RaceSetup,
  before: Awaited<ReturnType<typeof prepareSettlement>>,
): Promise<void> {
  const status = async (id: number) =>
    (await db.selectFrom("campaigns").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
  expect(await status(race.funded.id)).toBe("funded");
  expect(await status(race.failed.id)).toBe("failed");
  const t = await totals(db, race.fundId);
  expect(t.fund).toEqual({ reserved_cents: 0, confirmed_cents: before.fundedMatched });
  expect(t.campaigns.get(race.funded.id)).toMatchObject({
    reserved_cents: 0,
    confirmed_cents: before.fundedMatched,
  });
  expect(t.campaigns.get(race.failed.id)).toMatchObject({ reserved_cents: 0, confirmed_cents: 0 });
  const live = await db
    .selectFrom("matches")
    .select(["campaign_id", "status"])
    .where("fund_id", "=", race.fundId)
    .where("status", "in", ["reserved", "confirmed"])
    .execute();
  expect(live.every((m) => m.campaign_id === race.funded.id && m.status === "confirmed")).toBe(true);
  const payouts = await db
    .selectFrom("payouts")
    .select(["gross_cents", "commission_cents", "amount_cents"])
    .where("campaign_id", "=", race.funded.id)
    .execute();
  // One main payout of citizens' money only, 3 % commission on it: nothing of the abondement.
  expect(payouts).toHaveLength(1);
  expect(payouts[0]!.gross_cents).toBe(before.fundedCollected);
  expect(payouts[0]!.commission_cents).toBe(Math.round((before.fundedCollected * 300) / 10_000));
  await expectReconciled(db);
}
