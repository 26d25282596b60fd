import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { seedDatabase } from "#db/seed/seed";
import { seedCampaigns } from "#db/seed/campaigns";
import { SEED_NOW, tempDatabasePath } from "../support/db";

const REPORT_2024: Array<[string, number]> = [
  ["Archiverre", 3135],
  ["TDAH", 3512],
  ["la ligne", 6120],
  ["Herboristerie", 7220],
  ["semeurs", 4020],
  ["paulle", 4910],
  ["Potentiel", 3060],
  ["Toit Commun", 10221],
  ["Chouettes", 4010],
  ["Salamandre", 10730],
];

let database: Database;
let cleanup: () => void;

beforeAll(async () => {
  const tmp = tempDatabasePath("seed");
  cleanup = tmp.cleanup;
  database = openDatabase(tmp.file);
  await migrateToLatest(database.db);
  const result = await seedDatabase(database.db, { now: SEED_NOW });
  expect(result.seeded).toBe(true);
});

afterAll(async () => {
  await database.close();
  cleanup();
});

describe("seed data", () => {
  it("has the ten funded campaigns of the 2024 report with their exact totals", async () => {
    const rows = await database.db
      .selectFrom("campaigns as c")
      .leftJoin("contributions as k", (j) =>
        j.onRef("k.campaign_id", "=", "c.id").on("k.status", "=", "paid"),
      )
      .select([
        "c.title",
        "c.status",
        "c.goal_cents",
        sql<number>`coalesce(sum(k.amount_cents), 0)`.as("paid"),
      ])
      .where("c.ends_at", ">=", "2023-12-31T23:00:00.000Z")
      .where("c.ends_at", "<", "2024-12-31T23:00:00.000Z")
      .groupBy("c.id")
      .execute();
    expect(rows).toHaveLength(10);
    for (const [fragment, euros] of REPORT_2024) {
      const row = rows.find((r) => r.title.includes(fragment));
      expect(row, fragment).toBeDefined();
      expect(row!.status).toBe("funded");
      expect(Number(row!.paid)).toBe(euros * 100);
      expect(Number(row!.paid)).toBeGreaterThanOrEqual(row!.goal_cents);
    }
  });

  it("2024 adds up to 56 938 € from 686 distinct contributors (paid in 2024, Europe/Paris)", async () => {
    const r = await database.db
      .selectFrom("contributions")
      .where("status", "=", "paid")
      .where("paid_at", ">=", "2023-12-31T23:00:00.000Z")
      .where("paid_at", "<", "2024-12-31T23:00:00.000Z")
      .select([sql<number>`sum(amount_cents)`.as("total"), sql<number>`count(distinct email)`.as("people")])
      .executeTakeFirstOrThrow();
    expect(Number(r.total)).toBe(5_693_800);
    expect(Number(r.people)).toBe(686);
  });

  it("has eight live campaigns, two Budget Citoyen, one nearly sold-out and one sold-out reward, one failed campaign", async () => {
    const live = await database.db
      .selectFrom("campaigns")
      .select(["id", "budget_citoyen_year", "starts_at", "ends_at"])
      .where("status", "=", "live")
      .execute();
    expect(live).toHaveLength(8);
    expect(live.filter((c) => c.budget_citoyen_year !== null)).toHaveLength(2);
    for (const c of live) {
      expect(c.starts_at <= SEED_NOW.toISOString()).toBe(true);
      expect(c.ends_at > SEED_NOW.toISOString()).toBe(true);
    }
    const rewards = await database.db
      .selectFrom("rewards")
      .select(["stock", "held", "sold"])
      .where("stock", "is not", null)
      .execute();
    expect(rewards.some((r) => r.stock! - r.sold - r.held === 1)).toBe(true);
    expect(rewards.some((r) => r.stock! - r.sold - r.held === 0)).toBe(true);
    const failed = await database.db
      .selectFrom("campaigns")
      .select("id")
      .where("status", "=", "failed")
      .execute();
    expect(failed).toHaveLength(1);
    const notRefunded = await database.db
      .selectFrom("contributions")
      .select("id")
      .where("campaign_id", "=", failed[0]!.id)
      .where("status", "!=", "refunded")
      .execute();
    expect(notRefunded).toHaveLength(0);
  });

  it("reward sales match the contributions that chose them", async () => {
    const rows = await database.db
      .selectFrom("rewards as r")
      .leftJoin("contributions as k", "k.reward_id", "r.id")
      .select([
        "r.id",
        "r.sold",
        "r.minimum_cents",
        sql<number>`count(k.id)`.as("n"),
        sql<number>`min(k.amount_cents)`.as("min_amount"),
      ])
      .groupBy("r.id")
      .execute();
    for (const r of rows) {
      expect(Number(r.n)).toBe(r.sold);
      if (Number(r.n) > 0) expect(Number(r.min_amount)).toBeGreaterThanOrEqual(r.minimum_cents);
    }
  });

  it("keeps the ledger invariant for every campaign: paid − refunded = held + paid out + commission", async () => {
    const campaigns = await database.db.selectFrom("campaigns").select(["id", "status"]).execute();
    for (const c of campaigns) {
      const sums = await database.db
        .selectFrom("ledger_entries")
        .select(["kind", sql<number>`sum(amount_cents)`.as("total")])
        .where("campaign_id", "=", c.id)
        .groupBy("kind")
        .execute();
      const get = (k: string) => Number(sums.find((s) => s.kind === k)?.total ?? 0);
      const held = await database.db
        .selectFrom("contributions")
        .select(sql<number>`coalesce(sum(amount_cents), 0)`.as("held"))
        .where("campaign_id", "=", c.id)
        .where("status", "=", "paid")
        .executeTakeFirstOrThrow();
      const heldCents = c.status === "funded" ? 0 : Number(held.held);
      expect(get("contribution_paid") - get("refund")).toBe(heldCents + get("payout") + get("commission"));
    }
  });

  it("records each campaign's history through the state machine", async () => {
    const funded = await database.db
      .selectFrom("campaigns")
      .select("id")
      .where("status", "=", "funded")
      .executeTakeFirstOrThrow();
    const history = await database.db
      .selectFrom("campaign_transitions")
      .select(["from_status", "to_status", "event"])
      .where("campaign_id", "=", funded.id)
      .orderBy("at")
      .execute();
    expect(history.map((h) => h.event)).toEqual([
      "create",
      "submit",
      "approve",
      "start",
      "deadline",
      "settle_funded",
    ]);
    expect(history.at(-1)!.to_status).toBe("funded");
  });

  it("never stores a contributor's email anywhere but contributions and users, and uses example.org only", async () => {
    const emails = await database.db.selectFrom("contributions").select("email").distinct().execute();
    expect(emails.every((e) => e.email.endsWith("@example.org"))).toBe(true);
  });

  it("matches the Budget Citoyen contributions with consistent totals, within the fund's rules", async () => {
    const db = database.db;
    const fund = await db
      .selectFrom("matching_funds")
      .selectAll()
      .where("scope", "=", "budget_citoyen")
      .executeTakeFirstOrThrow();
    expect(fund.name).toBe("Fonds d’abondement Budget Citoyen 2026");
    const matches = await db
      .selectFrom("matches as m")
      .innerJoin("contributions as k", "k.id", "m.contribution_id")
      .innerJoin("campaigns as c", "c.id", "m.campaign_id")
      .select([
        "m.amount_cents",
        "m.status",
        "m.campaign_id",
        "m.citizen_key",
        "k.amount_cents as paid_cents",
        "k.status as k_status",
        "k.paid_at",
        "c.status as c_status",
        "c.budget_citoyen_year",
      ])
      .where("m.fund_id", "=", fund.id)
      .execute();
    expect(matches.length).toBeGreaterThan(0);
    const sum = matches.reduce((s, m) => s + m.amount_cents, 0);
    expect(fund.reserved_cents).toBe(sum);
    expect(fund.confirmed_cents).toBe(0);
    expect(sum).toBeLessThanOrEqual(fund.envelope_cents);
    const entries = await db
      .selectFrom("matching_entries")
      .select(sql<number>`sum(amount_cents)`.as("s"))
      .where("fund_id", "=", fund.id)
      .where("kind", "=", "reserved")
      .executeTakeFirstOrThrow();
    expect(Number(entries.s)).toBe(sum);
    const perCampaign = await db
      .selectFrom("matching_fund_campaigns")
      .selectAll()
      .where("fund_id", "=", fund.id)
      .execute();
    expect(perCampaign.length).toBe(2);
    for (const fc of perCampaign) {
      const own = matches.filter((m) => m.campaign_id === fc.campaign_id);
      expect(fc.reserved_cents).toBe(own.reduce((s, m) => s + m.amount_cents, 0));
      expect(fc.reserved_cents).toBeLessThanOrEqual(fund.cap_per_campaign_cents!);
      expect(new Set(own.map((m) => m.citizen_key)).size).toBe(own.length);
    }
    for (const m of matches) {
      expect(m.status).toBe("reserved");
      expect(m.k_status).toBe("paid");
      expect(m.c_status).toBe("live");
      expect(m.budget_citoyen_year).toBe(2026);
      expect(m.paid_at! >= fund.starts_at).toBe(true);
      expect(m.amount_cents).toBeLessThanOrEqual(Math.min(m.paid_cents, fund.cap_per_contribution_cents!));
    }
  });

  it("is idempotent: a second run inserts nothing", async () => {
    const before = await database.db
      .selectFrom("contributions")
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirstOrThrow();
    const again = await seedDatabase(database.db, { now: SEED_NOW });
    expect(again.seeded).toBe(false);
    const after = await database.db
      .selectFrom("contributions")
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(
      await database.db
        .selectFrom("campaigns")
        .select(sql<number>`count(*)`.as("n"))
        .executeTakeFirstOrThrow(),
    ).toEqual({
      n: seedCampaigns.length,
    });
  });
});
