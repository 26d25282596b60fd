/**
 * The campaigns' public tallies (migration 0022, ADR 033) against a plain recomputation from the
 * contributions, after the demo seed, after random movements through the money path itself
 * (payments, refunds, failed refunds, disputes opened, funds withdrawn and reinstated, disputes
 * won and lost), after writes from outside it (an address changed or anonymised, a row deleted),
 * and under concurrent payments from one address on one campaign (real concurrency on PostgreSQL).
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const outboxDir = vi.hoisted(() => {
  const dir = `${process.env.TMPDIR ?? "/tmp"}/propulsons-tallies-outbox-${process.pid}`;
  process.env.DEMO_OUTBOX_PATH = `${dir}/outbox.jsonl`;
  delete process.env.STRIPE_SECRET_KEY;
  delete process.env.STRIPE_WEBHOOK_SECRET;
  delete process.env.RESEND_API_KEY;
  return dir;
});

import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { seedDatabase } from "#db/seed/seed";
import { campaignTallies, checkCampaignTallies, recomputeTallies } from "~/models/campaign-tallies.server";
import {
  applyDispute,
  moveContribution,
  readContribution,
  type DisputeStep,
  type Movement,
} from "~/payments/contribution-moves.server";
import { SEED_NOW, tempDatabasePath } from "../support/db";
import { mulberry32 } from "../support/random";

let database: Database;
let cleanup: () => void;

beforeAll(async () => {
  const tmp = tempDatabasePath("tallies");
  cleanup = tmp.cleanup;
  database = openDatabase(tmp.file);
  await migrateToLatest(database.db);
  await seedDatabase(database.db, { now: SEED_NOW });
});

afterAll(async () => {
  await database.close();
  cleanup();
  fs.rmSync(outboxDir, { recursive: true, force: true });
});

async function move(id: number, movement: Movement, at: Date): Promise<boolean> {
  return database.db.transaction().execute(async (trx) => {
    const c = await readContribution(trx, id);
    return c ? moveContribution(trx, c, movement, at) : false;
  });
}

async function dispute(id: number, step: DisputeStep, at: Date): Promise<boolean> {
  return database.db.transaction().execute(async (trx) => {
    const c = await readContribution(trx, id);
    return c ? applyDispute(trx, c, step, at) : false;
  });
}

async function insertContribution(
  campaignId: number,
  email: string,
  amountCents: number,
  status: "pending" | "paid",
): Promise<number> {
  const now = SEED_NOW.toISOString();
  const row = await database.db
    .insertInto("contributions")
    .values({
      campaign_id: campaignId,
      email,
      user_id: null,
      public_name: "Camille",
      amount_cents: amountCents,
      reward_id: null,
      anonymous: 0,
      hide_amount: 0,
      message: null,
      status,
      stripe_checkout_session_id: null,
      stripe_payment_intent_id: null,
      stripe_refund_id: null,
      paid_at: status === "paid" ? now : null,
      checkout_expires_at: null,
      last_payment_error: null,
      staff_flag: null,
      dispute_status: null,
      payout_id: null,
      refund_next_attempt_at: null,
      refund_last_error: null,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("campaign tallies", () => {
  it("equal the recomputation after the seed, and they are not all zero", async () => {
    expect(await checkCampaignTallies(database.db)).toEqual([]);
    const rows = await database.db.selectFrom("campaign_tallies").selectAll().execute();
    const campaigns = await database.db.selectFrom("campaigns").select("id").execute();
    expect(rows.length).toBe(campaigns.length);
    expect(rows.some((r) => Number(r.collected_cents) > 0 && Number(r.contributors) > 1)).toBe(true);
    expect(rows.some((r) => Number(r.refunded_count) > 0)).toBe(true);
  });

  it("follow random movements through the money path, and writes from outside it", async () => {
    const { db } = database;
    const random = mulberry32(33);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const rows = await db.selectFrom("contributions").select(["id", "campaign_id", "email"]).execute();
    const touched = new Set<number>();
    let moved = 0;
    let at = SEED_NOW.getTime();
    const movements: Movement[] = [
      { to: "paid", paymentIntentId: null, stripeAmountCents: null },
      { to: "refunding" },
      { to: "refunded" },
      { to: "refund_failed", error: "carte expirée" },
      { to: "failed" },
    ];
    const steps: DisputeStep[] = [
      { step: "opened" },
      { step: "funds_withdrawn", amountCents: 700 },
      { step: "funds_reinstated", amountCents: 700 },
      { step: "closed", outcome: "won" },
      { step: "closed", outcome: "lost" },
    ];
    for (let i = 0; i < 400; i++) {
      const row = pick(rows);
      at += 60_000;
      const changed =
        random() < 0.7
          ? await move(row.id, pick(movements), new Date(at))
          : await dispute(row.id, pick(steps), new Date(at));
      if (changed) {
        moved += 1;
        touched.add(row.campaign_id);
      }
    }
    expect(moved).toBeGreaterThan(100);
    expect(touched.size).toBeGreaterThan(3);
    expect(await checkCampaignTallies(db)).toEqual([]);

    // From outside the money path: one person's address merged into another's on one campaign
    // (two people become one), an address anonymised everywhere, a paid row written and deleted.
    const campaignId = pick([...touched]);
    const people = [...new Set(rows.filter((r) => r.campaign_id === campaignId).map((r) => r.email))].slice(
      0,
      2,
    );
    expect(people.length).toBe(2);
    const before = await campaignTallies(db, campaignId);
    await db
      .updateTable("contributions")
      .set({ email: people[1]! })
      .where("email", "=", people[0]!)
      .execute();
    await db
      .updateTable("contributions")
      .set({ email: "anonyme-33@invalid.example" })
      .where("email", "=", pick(rows).email)
      .execute();
    const written = await insertContribution(campaignId, "nouvelle@example.org", 2_500, "paid");
    expect((await campaignTallies(db, campaignId)).collectedCents).toBe(
      (await recomputeTallies(db, campaignId)).collectedCents,
    );
    await db.deleteFrom("contributions").where("id", "=", written).execute();
    expect(await checkCampaignTallies(db)).toEqual([]);
    const after = await campaignTallies(db, campaignId);
    expect(after.supportersCount).toBeLessThanOrEqual(before.supportersCount);
  });

  it("count one person once when their payments land at the same time", async () => {
    const { db } = database;
    const live = await db
      .selectFrom("campaigns")
      .select("id")
      .where("status", "=", "live")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const before = await recomputeTallies(db, live.id);
    const emails = ["meme-personne@example.org", "autre-personne@example.org"];
    const ids: number[] = [];
    for (let i = 0; i < 16; i++) {
      ids.push(await insertContribution(live.id, emails[i % 2]!, 1_000 + i, "pending"));
    }
    const paid = await Promise.all(
      ids.map((id) =>
        move(id, { to: "paid", paymentIntentId: `pi_tally_${id}`, stripeAmountCents: null }, SEED_NOW),
      ),
    );
    expect(paid.every(Boolean)).toBe(true);
    const tallies = await campaignTallies(db, live.id);
    expect(tallies.contributorsCount).toBe(before.contributorsCount + 2);
    expect(tallies.refunds.receivedCount).toBe(before.refunds.receivedCount + 16);
    expect(tallies.collectedCents).toBe(before.collectedCents + 16 * 1_000 + (15 * 16) / 2);
    expect(await checkCampaignTallies(db)).toEqual([]);
  });
});
