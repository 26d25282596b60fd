import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { TransitionError } from "~/domain/campaign-machine";
import { applyCampaignEvent, campaignHistory } from "~/models/campaign-transitions.server";
import { tempDatabasePath } from "../support/db";

let database: Database;
let cleanup: () => void;
let campaignId: number;

beforeAll(async () => {
  const tmp = tempDatabasePath("transitions");
  cleanup = tmp.cleanup;
  database = openDatabase(tmp.file);
  await migrateToLatest(database.db);
  const { db } = database;
  const now = "2026-03-01T10:00:00.000Z";
  const user = await db
    .insertInto("users")
    .values({ email: "porteuse@example.org", display_name: "Porteuse", role: "holder", created_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  const org = await db
    .insertInto("organizations")
    .values({
      owner_user_id: user.id,
      name: "Asso test",
      legal_form: "association",
      registration_number: "W621234567",
      town: "Arras",
      territory_id: 1,
      stripe_account_id: null,
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const c = await db
    .insertInto("campaigns")
    .values({
      organization_id: org.id,
      slug: "test",
      title: "Test",
      summary: "Résumé",
      story_md: "Histoire",
      goal_cents: 100_000,
      starts_at: "2026-03-10T23:00:00.000Z",
      ends_at: "2026-03-31T21:59:59.000Z",
      territory_id: 1,
      theme_id: 1,
      budget_citoyen_year: null,
      expected_results_md: "-",
      timetable_md: "-",
      image_path: null,
      status: "draft",
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  campaignId = c.id;
});

afterAll(async () => {
  await database.close();
  cleanup();
});

async function status(): Promise<string> {
  const r = await database.db
    .selectFrom("campaigns")
    .select("status")
    .where("id", "=", campaignId)
    .executeTakeFirstOrThrow();
  return r.status;
}

describe("applying events to a stored campaign", () => {
  it("walks the lifecycle and records every transition with actor, reason and time", async () => {
    const { db } = database;
    await applyCampaignEvent(db, {
      campaignId,
      event: "submit",
      actor: "holder",
      context: { hasRequiredContent: true },
      now: new Date("2026-03-02T10:00:00Z"),
    });
    await applyCampaignEvent(db, {
      campaignId,
      event: "request_changes",
      actor: "staff",
      reason: "Précisez le budget.",
      now: new Date("2026-03-03T10:00:00Z"),
    });
    await applyCampaignEvent(db, {
      campaignId,
      event: "resubmit",
      actor: "holder",
      context: { hasRequiredContent: true },
      now: new Date("2026-03-04T10:00:00Z"),
    });
    await applyCampaignEvent(db, {
      campaignId,
      event: "approve",
      actor: "staff",
      now: new Date("2026-03-05T10:00:00Z"),
    });
    await expect(
      applyCampaignEvent(db, {
        campaignId,
        event: "start",
        actor: "system",
        now: new Date("2026-03-10T22:59:59Z"),
      }),
    ).rejects.toThrow(TransitionError);
    expect(await status()).toBe("approved");
    await applyCampaignEvent(db, {
      campaignId,
      event: "start",
      actor: "system",
      now: new Date("2026-03-10T23:00:00Z"),
    });
    expect(await status()).toBe("live");
    const history = await campaignHistory(db, campaignId);
    expect(history.map((h) => [h.from_status, h.to_status, h.event, h.actor_role])).toEqual([
      ["draft", "submitted", "submit", "holder"],
      ["submitted", "changes_requested", "request_changes", "staff"],
      ["changes_requested", "submitted", "resubmit", "holder"],
      ["submitted", "approved", "approve", "staff"],
      ["approved", "live", "start", "system"],
    ]);
    expect(history[1]!.reason).toBe("Précisez le budget.");
    expect(history[4]!.at).toBe("2026-03-10T23:00:00.000Z");
  });

  it("refuses an event that is not allowed, naming the state and the event, and writes nothing", async () => {
    const { db } = database;
    const before = (await campaignHistory(db, campaignId)).length;
    const error = await applyCampaignEvent(db, { campaignId, event: "approve", actor: "staff" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransitionError);
    expect((error as TransitionError).state).toBe("live");
    expect((error as TransitionError).event).toBe("approve");
    expect((await campaignHistory(db, campaignId)).length).toBe(before);
    expect(await status()).toBe("live");
  });

  it("rolls back the status change when the surrounding transaction fails", async () => {
    const { db } = database;
    const before = (await campaignHistory(db, campaignId)).length;
    await expect(
      db.transaction().execute(async (trx) => {
        await applyCampaignEvent(trx, {
          campaignId,
          event: "cancel",
          actor: "staff",
          reason: "Test d'annulation",
        });
        throw new Error("crash after the transition");
      }),
    ).rejects.toThrow("crash after the transition");
    expect(await status()).toBe("live");
    expect((await campaignHistory(db, campaignId)).length).toBe(before);
  });

  it("settles with the totals read from the database: in-flight payments hold the decision", async () => {
    const { db } = database;
    await applyCampaignEvent(db, {
      campaignId,
      event: "deadline",
      actor: "system",
      now: new Date("2026-03-31T22:00:00Z"),
    });
    const at = "2026-03-20T10:00:00.000Z";
    const base = {
      campaign_id: campaignId,
      user_id: null,
      public_name: "A.",
      reward_id: null,
      anonymous: 0 as const,
      hide_amount: 0 as const,
      message: null,
      stripe_checkout_session_id: null,
      stripe_payment_intent_id: null,
      stripe_refund_id: null,
      created_at: at,
      updated_at: at,
    };
    await db
      .insertInto("contributions")
      .values([
        { ...base, email: "a@example.org", amount_cents: 60_000, status: "paid", paid_at: at },
        { ...base, email: "b@example.org", amount_cents: 40_000, status: "pending", paid_at: null },
      ])
      .execute();
    await expect(
      applyCampaignEvent(db, { campaignId, event: "settle_failed", actor: "system" }),
    ).rejects.toThrow(/Des paiements sont encore en cours/);
    await db
      .updateTable("contributions")
      .set({ status: "paid", paid_at: at })
      .where("email", "=", "b@example.org")
      .execute();
    await expect(
      applyCampaignEvent(db, { campaignId, event: "settle_failed", actor: "system" }),
    ).rejects.toThrow(/objectif est atteint/);
    const done = await applyCampaignEvent(db, { campaignId, event: "settle_funded", actor: "system" });
    expect(done).toMatchObject({ from: "settling", to: "funded" });
  });
});
