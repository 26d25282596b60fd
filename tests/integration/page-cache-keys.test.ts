/**
 * The page cache's dependency keys (docs/decisions/030-page-cache-keys.md) against the real
 * database (SQLite, or PostgreSQL under `npm run test:pg`): what each kind of write invalidates,
 * that a transaction's bump becomes visible with its commit (and never after a rollback), that a
 * webhook's payment bumps its campaign only, and one render at a time per page, shared by the requests that wait for it.
 */
import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { CompiledQuery } from "kysely";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { GLOBAL_KEY, campaignKey, fundKey, readVersionTable, touch } from "#db/page-versions";
import { seedDatabase } from "#db/seed/seed";
import { PageCache, type RenderResult, type RenderStamp } from "~/page-cache.server";
import { processStripeEvent } from "~/payments/webhooks.server";
import { tempDatabasePath } from "../support/db";

let database: Database;
let cleanup: () => void;
let cache: PageCache;
/** two live campaigns of the demo data, with a pending contribution each */
let a: { id: number; contributionId: number };
let b: { id: number; contributionId: number };

beforeAll(async () => {
  const tmp = tempDatabasePath("cache-keys");
  cleanup = tmp.cleanup;
  database = openDatabase(tmp.file);
  await migrateToLatest(database.db);
  await seedDatabase(database.db);
  const live = await database.db
    .selectFrom("campaigns")
    .select("id")
    .where("status", "=", "live")
    .orderBy("id")
    .limit(2)
    .execute();
  const pending = async (campaignId: number, n: number) => {
    const now = new Date().toISOString();
    const row = await database.db
      .insertInto("contributions")
      .values({
        campaign_id: campaignId,
        user_id: null,
        email: `keys${n}@example.org`,
        public_name: `Clés ${n}`,
        amount_cents: 2500,
        reward_id: null,
        anonymous: 0,
        hide_amount: 0,
        message: null,
        status: "pending",
        stripe_checkout_session_id: `cs_test_keys_${n}`,
        created_at: now,
        updated_at: now,
        reward_hold: 0,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id: campaignId, contributionId: row.id };
  };
  a = await pending(live[0]!.id, 1);
  b = await pending(live[1]!.id, 2);
  cache = new PageCache({
    ttlMs: 60_000,
    version: (keys) => database.pageStamp(keys),
    versions: () => database.pageVersions(),
  });
});
afterAll(async () => {
  await database.close();
  cleanup();
});

function fakeRequest(url: string): IncomingMessage {
  return Object.assign(new EventEmitter(), { method: "GET", url, headers: {} }) as unknown as IncomingMessage;
}
function fakeResponse() {
  const sent: { status?: number; body?: Buffer } = {};
  const res = {
    writeHead(status: number) {
      sent.status = status;
    },
    end(body?: Buffer) {
      sent.body = body;
    },
  } as unknown as ServerResponse;
  return { res, sent };
}

/** Store `url` as a render stamped now that declared `keys` (null: none, every key). */
async function storePage(url: string, keys: string[] | null, body = url): Promise<void> {
  const stamp: RenderStamp = await cache.beginRender();
  const entry = cache.stampFor(stamp, keys === null ? null : [GLOBAL_KEY, ...keys].sort());
  cache.store(url, { status: 200, headers: [], body: Buffer.from(body), ...entry });
}
const served = async (url: string) => cache.tryServe(fakeRequest(url), fakeResponse().res);

function paidEvent(c: { id: number; contributionId: number }, n: number): Stripe.Event {
  return {
    id: `evt_keys_${n}_${c.contributionId}`,
    object: "event",
    type: "checkout.session.completed",
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: `cs_test_keys_${n}`,
        object: "checkout.session",
        payment_status: "paid",
        amount_total: 2500,
        client_reference_id: String(c.contributionId),
        payment_intent: `pi_keys_${n}`,
        metadata: {},
      },
    },
  } as unknown as Stripe.Event;
}

describe("page cache keys", () => {
  it("a payment on campaign B leaves A's page valid, invalidates B's and the pages of every key", async () => {
    await storePage("/campagnes/a", [campaignKey(a.id)]);
    await storePage("/campagnes/b", [campaignKey(b.id)]);
    await storePage("/", null);
    expect(await served("/campagnes/a")).toBe(true);
    expect(await served("/campagnes/b")).toBe(true);
    expect(await served("/")).toBe(true);
    const before = await readVersionTable(database.db);

    expect(await processStripeEvent(database.db, paidEvent(b, 2))).toBe("processed");

    expect(await served("/campagnes/a")).toBe(true);
    expect(await served("/campagnes/b")).toBe(false);
    expect(await served("/")).toBe(false);
    // The bump is the campaign's own key (the seed's own payments may have versioned others).
    const table = await readVersionTable(database.db);
    expect(table.get(campaignKey(b.id))).toBe((before.get(campaignKey(b.id)) ?? 0) + 1);
    expect(table.get(campaignKey(a.id))).toBe(before.get(campaignKey(a.id)));
    expect([...table].filter(([k, v]) => before.get(k) !== v).map(([k]) => k)).toEqual([campaignKey(b.id)]);
  });

  it("a duplicate delivery (nothing changes but the event's own private row) invalidates nothing", async () => {
    await storePage("/campagnes/b", [campaignKey(b.id)]);
    await storePage("/", null);
    expect(await processStripeEvent(database.db, paidEvent(b, 2))).toBe("duplicate");
    expect(await served("/campagnes/b")).toBe(true);
    expect(await served("/")).toBe(true);
  });

  it("a write that declares no key bumps global: every page is invalidated, in a transaction or not", async () => {
    await storePage("/campagnes/a", [campaignKey(a.id)]);
    await database.db.updateTable("themes").set({ name: "Culture" }).where("slug", "=", "culture").execute();
    expect(await served("/campagnes/a")).toBe(false);

    await storePage("/campagnes/a", [campaignKey(a.id)]);
    await database.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("themes")
        .set({ name: "Culture et patrimoine" })
        .where("slug", "=", "culture")
        .execute();
    });
    expect(await served("/campagnes/a")).toBe(false);

    // Raw SQL counts as a write too.
    await storePage("/campagnes/a", [campaignKey(a.id)]);
    await database.db.executeQuery(CompiledQuery.raw("update themes set name = name where slug = 'culture'"));
    expect(await served("/campagnes/a")).toBe(false);
  });

  it("a write that changes no row, or only private tables, invalidates nothing", async () => {
    await storePage("/campagnes/a", [campaignKey(a.id)]);
    await storePage("/", null);
    await database.db.updateTable("themes").set({ name: "x" }).where("slug", "=", "n-existe-pas").execute();
    await database.db
      .insertInto("sign_in_failures")
      .values({ email: "x@example.org", ip: "127.0.0.1", created_at: new Date().toISOString() })
      .execute();
    expect(await served("/campagnes/a")).toBe(true);
    expect(await served("/")).toBe(true);
  });

  it("a declared key is bumped with the commit, never before it nor after a rollback", async () => {
    await storePage("/campagnes/a", [campaignKey(a.id), fundKey(7)]);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await touch(trx, [fundKey(7)]);
        await trx.updateTable("themes").set({ name: "Culture" }).where("slug", "=", "culture").execute();
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await served("/campagnes/a")).toBe(true);

    let servedInside: boolean | undefined;
    await database.db.transaction().execute(async (trx) => {
      await touch(trx, [fundKey(7)]);
      // Not yet: the bump waits for the commit (the page shows what is committed).
      servedInside = await served("/campagnes/a");
    });
    expect(servedInside).toBe(true);
    expect(await served("/campagnes/a")).toBe(false);
    // The declared transaction bumped its key only: a page of another campaign stays.
    await storePage("/campagnes/b", [campaignKey(b.id)]);
    await database.db.transaction().execute(async (trx) => touch(trx, [fundKey(7)]));
    expect(await served("/campagnes/b")).toBe(true);
  });

  it("refuses keys that are not keys", async () => {
    await expect(database.db.transaction().execute((trx) => touch(trx, []))).rejects.toThrow("no key");
    await expect(
      database.db.transaction().execute((trx) => touch(trx, ["campaign 1; drop"])),
    ).rejects.toThrow("invalid page key");
  });

  /** A render for the flights: reads campaign A's title after its stamp, `delayMs` long. */
  const titleRender =
    (counter: { renders: number }, delayMs = 50) =>
    async (): Promise<RenderResult> => {
      counter.renders++;
      const stamp = await cache.beginRender();
      const row = await database.db
        .selectFrom("campaigns")
        .select("title")
        .where("id", "=", a.id)
        .executeTakeFirstOrThrow();
      await new Promise((r) => setTimeout(r, delayMs));
      const entry = cache.stampFor(stamp, [GLOBAL_KEY, campaignKey(a.id)]);
      return { page: { status: 200, headers: [], body: Buffer.from(row.title), ...entry } };
    };
  const retitle = (title: string) =>
    database.db.transaction().execute(async (trx) => {
      await trx.updateTable("campaigns").set({ title }).where("id", "=", a.id).execute();
      await touch(trx, [campaignKey(a.id)]);
    });

  it("one render for N concurrent misses of one page, shared by all", async () => {
    await retitle("Rendu une fois");
    const counter = { renders: 0 };
    const url = "/campagnes/single-flight";
    const responses = Array.from({ length: 20 }, () => fakeResponse());
    await Promise.all(responses.map((r) => cache.renderOnce(fakeRequest(url), r.res, titleRender(counter))));
    expect(counter.renders).toBe(1);
    expect(responses.map((r) => r.sent.body?.toString())).toEqual(Array(20).fill("Rendu une fois"));
  });

  it("a request that arrives after a write, during a render, waits for the next render", async () => {
    await retitle("Avant");
    const counter = { renders: 0 };
    const url = "/campagnes/flights";
    const first = fakeResponse();
    const firstDone = cache.renderOnce(fakeRequest(url), first.res, titleRender(counter));
    await new Promise((r) => setTimeout(r, 10)); // the first render has read « Avant »
    await retitle("Après"); // committed while it renders
    const late = Array.from({ length: 5 }, () => fakeResponse());
    await Promise.all([
      firstDone,
      ...late.map((r) => cache.renderOnce(fakeRequest(url), r.res, titleRender(counter))),
    ]);
    expect(first.sent.body?.toString()).toBe("Avant");
    // The five that arrived after the write share one render, which read it.
    expect(late.map((r) => r.sent.body?.toString())).toEqual(Array(5).fill("Après"));
    expect(counter.renders).toBe(2);
    expect(cache.renderUnderWay(url)).toBe(false);
    // The stored page is the second render's, current.
    const next = fakeResponse();
    expect(await cache.tryServe(fakeRequest(url), next.res)).toBe(true);
    expect(next.sent.body?.toString()).toBe("Après");
  });

  it("a render that fails answers its own request with the error; the waiters render alone", async () => {
    const url = "/campagnes/flight-error";
    const counter = { renders: 0 };
    const failing = async (): Promise<RenderResult> => {
      await new Promise((r) => setTimeout(r, 20));
      throw new Error("base indisponible");
    };
    const owner = cache.renderOnce(fakeRequest(url), fakeResponse().res, failing);
    const waiter = fakeResponse();
    const waited = cache.renderOnce(fakeRequest(url), waiter.res, titleRender(counter));
    await expect(owner).rejects.toThrow("base indisponible");
    await waited;
    expect(waiter.sent.body?.toString()).toBe("Après");
    expect(counter.renders).toBe(1);
  });

  it("a request that missed an older page is served the current one stored meanwhile, not a render", async () => {
    // A request misses (the stored page is stale), then, before its render starts, another
    // request's render stores a current page: rendering again would give the same page.
    await retitle("Déjà à jour");
    const counter = { renders: 0 };
    const url = "/campagnes/stored-meanwhile";
    await cache.renderOnce(fakeRequest(url), fakeResponse().res, titleRender(counter));
    expect(counter.renders).toBe(1);
    const late = fakeResponse();
    await cache.renderOnce(fakeRequest(url), late.res, titleRender(counter));
    expect(counter.renders).toBe(1);
    expect(late.sent.body?.toString()).toBe("Déjà à jour");
    // Once a write makes it stale, the next request renders.
    await retitle("Changé");
    const after = fakeResponse();
    await cache.renderOnce(fakeRequest(url), after.res, titleRender(counter));
    expect(counter.renders).toBe(2);
    expect(after.sent.body?.toString()).toBe("Changé");
  });
});
