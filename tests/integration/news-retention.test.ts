/**
 * News subscriptions and the retention purge (issue 13 c, ADR 031): a contributor without an account
 * is subscribed to a campaign's news by the first news item; once the purge has anonymised them
 * (RETENTION_CONTRIBUTOR_MONTHS after the campaign's end) no subscription names them any more, an
 * unsubscription included, and a later news item neither subscribes nor writes to anyone anonymised.
 * A seeded database (SQLite, or PostgreSQL under TEST_DATABASE_URL), the real Resend sender with msw.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { isAnonymousAddress } from "~/account/rights.server";
import { runRetentionPurge } from "~/account/retention-purge.server";
import { closeDatabase, database, initDatabase } from "~/db.server";
import { clearOutbox, readOutbox, resendHandlers } from "~/demo/resend-api.server";
import { postNews, unsubscribe } from "~/holder/news.server";
import { checkFigureAggregates } from "~/models/figures.server";
import { retentionPeriods } from "~/retention.server";
import { tempDatabasePath } from "../support/db";

const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-news-retention-"));
const OUTBOX = path.join(outboxDir, "outbox.jsonl");
process.env.DEMO_OUTBOX_PATH = OUTBOX;
process.env.PUBLIC_URL = "https://propulsons.example";
delete process.env.RESEND_API_KEY;
delete process.env.STRIPE_SECRET_KEY;

const mail = setupServer(...resendHandlers);
let cleanup: () => void;
let db: Kysely<DB>;
const NOW = new Date();
const DAY = 24 * 3600_000;

beforeAll(async () => {
  mail.listen({ onUnhandledRequest: "error" });
  const tmp = tempDatabasePath("news-retention");
  cleanup = tmp.cleanup;
  await initDatabase({ path: tmp.file, seed: true, now: NOW });
  db = database().db;
});

afterAll(async () => {
  mail.close();
  await closeDatabase();
  cleanup();
  fs.rmSync(outboxDir, { recursive: true, force: true });
});

const subscriptions = (campaignId: number) =>
  db
    .selectFrom("news_subscriptions")
    .select(["email", "token", "unsubscribed_at"])
    .where("campaign_id", "=", campaignId)
    .orderBy("email")
    .execute();

describe("news subscriptions of contributors without an account", () => {
  it("go with the contributor after the retention period, and a later news item writes to no one anonymised", async () => {
    // The funded campaign that ended first, and its holder.
    const campaign = await db
      .selectFrom("campaigns as c")
      .innerJoin("organizations as o", "o.id", "c.organization_id")
      .select(["c.id", "c.ends_at", "o.owner_user_id"])
      .where("c.status", "=", "funded")
      .orderBy("c.ends_at")
      .executeTakeFirstOrThrow();
    // Contributors without an account who gave to this campaign only: the purge anonymises them
    // RETENTION_CONTRIBUTOR_MONTHS after its end (someone who also gave to a later campaign waits for it).
    const contributors = await db
      .selectFrom("contributions as k")
      .select("k.email")
      .distinct()
      .where("k.campaign_id", "=", campaign.id)
      .where("k.status", "=", "paid")
      .where("k.user_id", "is", null)
      .where("k.email", "not in", (eb) => eb.selectFrom("users").select("email"))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("contributions as o")
              .select("o.id")
              .whereRef("o.email", "=", "k.email")
              .where("o.campaign_id", "<>", campaign.id),
          ),
        ),
      )
      .execute();
    expect(contributors.length).toBeGreaterThan(2);

    // 1. A news item subscribes every contributor; one of them unsubscribes.
    const first = await postNews(
      db,
      campaign.owner_user_id,
      campaign.id,
      { title: "Le jardin est ouvert", bodyMd: "Merci à toutes et à tous, venez le visiter." },
      NOW,
    );
    expect(first).toMatchObject({ ok: true, failedBatches: 0 });
    const subscribed = await subscriptions(campaign.id);
    expect(subscribed.map((s) => s.email)).toEqual(expect.arrayContaining(contributors.map((c) => c.email)));
    const leaving = subscribed.find((s) => contributors.some((c) => c.email === s.email))!;
    expect(await unsubscribe(db, leaving.token, NOW)).not.toBeNull();

    // 2. Before the end of the period, the purge keeps them.
    const months = retentionPeriods().contributorMonths;
    const endsAt = new Date(campaign.ends_at);
    const periodEnd = new Date(endsAt);
    periodEnd.setUTCMonth(periodEnd.getUTCMonth() + months);
    const early = await runRetentionPurge(db, { now: new Date(Math.max(NOW.getTime(), endsAt.getTime())) });
    expect(early.newsSubscriptions).toBe(0);
    expect(await subscriptions(campaign.id)).toEqual(
      subscribed.map((s) => (s.email === leaving.email ? { ...s, unsubscribed_at: NOW.toISOString() } : s)),
    );

    // 3. After it, no subscription names a contributor without an account, the unsubscription included.
    const later = new Date(Math.max(periodEnd.getTime(), NOW.getTime()) + 2 * DAY);
    await runRetentionPurge(db, { now: later });
    const left = await subscriptions(campaign.id);
    const gone = contributors.map((c) => c.email);
    expect(left.filter((s) => gone.includes(s.email))).toEqual([]);
    expect(left.filter((s) => isAnonymousAddress(s.email))).toEqual([]);
    // Whoever is still subscribed still has a contribution with their name (their data is kept).
    for (const s of left) {
      const kept = await db
        .selectFrom("contributions")
        .select("id")
        .where("campaign_id", "=", campaign.id)
        .where("email", "=", s.email)
        .where("anonymised_at", "is", null)
        .execute();
      expect(kept.length, s.email).toBeGreaterThan(0);
    }

    // 4. A later news item: nobody anonymised is subscribed again nor written to.
    clearOutbox(OUTBOX);
    const second = await postNews(
      db,
      campaign.owner_user_id,
      campaign.id,
      { title: "Un an après", bodyMd: "Le jardin a donné ses premiers légumes cette saison." },
      later,
    );
    expect(second).toMatchObject({ ok: true });
    const after = await subscriptions(campaign.id);
    expect(after.filter((s) => isAnonymousAddress(s.email) || gone.includes(s.email))).toEqual([]);
    if (second.ok) expect(second.recipients).toBe(after.filter((s) => !s.unsubscribed_at).length);
    const sentTo = readOutbox(OUTBOX).flatMap((m) => m.to);
    expect(sentTo.filter((to) => isAnonymousAddress(to) || gone.includes(to))).toEqual([]);
    expect(await checkFigureAggregates(db)).toEqual([]);
  });

  it("a subscription left without its contributor is erased by the purge, once; one with its contributor stays", async () => {
    // A live campaign keeps its contributors: their subscription stays.
    const live = await db
      .selectFrom("contributions as k")
      .innerJoin("campaigns as c", "c.id", "k.campaign_id")
      .select(["k.campaign_id", "k.email"])
      .where("c.status", "=", "live")
      .where("k.status", "=", "paid")
      .where("k.anonymised_at", "is", null)
      .orderBy("k.id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("news_subscriptions")
      .values({ campaign_id: live.campaign_id, email: live.email, token: "t".repeat(32) })
      .onConflict((oc) => oc.columns(["campaign_id", "email"]).doNothing())
      .execute();
    // What the news module wrote before this fix for an anonymised contribution.
    const anonymised = await db
      .selectFrom("contributions")
      .select(["campaign_id", "email"])
      .where("anonymised_at", "is not", null)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("news_subscriptions")
      .values({ campaign_id: anonymised.campaign_id, email: anonymised.email, token: "u".repeat(32) })
      .execute();
    const purge = await runRetentionPurge(db, { now: new Date() });
    expect(purge.newsSubscriptions).toBe(1);
    const rows = await db.selectFrom("news_subscriptions").select(["campaign_id", "email"]).execute();
    expect(rows).toContainEqual(live);
    expect(rows).not.toContainEqual(anonymised);
    expect((await runRetentionPurge(db, { now: new Date() })).newsSubscriptions).toBe(0);
  });
});
