/**
 * The page cache against the real database stamp (db/connection.ts, dataVersion): SQLite's
 * data_version + total_changes(), or PostgreSQL's current snapshot under `npm run test:pg`.
 *
 * On PostgreSQL the stamp is the whole server's: any commit in any database moves it —
 * including the other test files' databases, written in parallel on the same server. A
 * false invalidation is harmless in production, but it would make « still served » flaky
 * here, so those checks run in a quiet window (`whileStill`): an attempt counts only when
 * the stamp was the same before and after it, i.e. nobody anywhere committed meanwhile.
 * Misses after a write need no such care: noise can only move the stamp further.
 */
import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { PageCache, isStorableResponse } from "~/page-cache.server";
import { tempDatabasePath } from "../support/db";

let database: Database;
let cleanup: () => void;
let file: string;

beforeAll(async () => {
  const tmp = tempDatabasePath("cache");
  cleanup = tmp.cleanup;
  file = tmp.file;
  database = openDatabase(file);
  await migrateToLatest(database.db);
});
afterAll(async () => {
  await database.close();
  cleanup();
});

/** The app's stamp, as app/boot.server.ts gives it to the page cache. */
const versionOf = (db: Database) => () => db.dataVersion();

/**
 * Run `attempt` until one run leaves the stamp where it found it (at once on SQLite, whose
 * stamp only this test moves), and return that run's result. Fails if the stamp moves on
 * every attempt — which is also how a write that should not count, but does, shows up.
 */
async function whileStill<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const before = await database.dataVersion();
    const result = await attempt();
    if ((await database.dataVersion()) === before) return result;
    await sleep(Math.random() * 20);
  }
  throw new Error(
    "the database stamp moved during each of 100 attempts (a write that should not count, counted?)",
  );
}

function fakeRequest(url: string, headers: Record<string, string> = {}): IncomingMessage {
  return Object.assign(new EventEmitter(), { method: "GET", url, headers }) as unknown as IncomingMessage;
}

function fakeResponse() {
  const sent: { status?: number; headers?: unknown[]; body?: Buffer } = {};
  const res = {
    writeHead(status: number, headers: unknown[]) {
      sent.status = status;
      sent.headers = headers;
    },
    end(body?: Buffer) {
      sent.body = body;
    },
  } as unknown as ServerResponse;
  return { res, sent };
}

describe("page cache", () => {
  it("serves a stored page until the database changes on this connection", async () => {
    const cache = new PageCache({ version: versionOf(database), ttlMs: 60_000 });
    const hit = await whileStill(async () => {
      const version = await cache.currentVersion();
      cache.store("/campagnes", {
        status: 200,
        headers: [["content-type", "text/html"]],
        body: Buffer.from("<p>v1</p>"),
        version,
      });
      const r = fakeResponse();
      return { served: await cache.tryServe(fakeRequest("/campagnes"), r.res), sent: r.sent };
    });
    expect(hit.served).toBe(true);
    expect(hit.sent.body?.toString()).toBe("<p>v1</p>");

    await database.db
      .updateTable("themes")
      .set({ name: "Culture et patrimoine" })
      .where("slug", "=", "culture")
      .execute();
    expect(await cache.tryServe(fakeRequest("/campagnes"), fakeResponse().res)).toBe(false);
  });

  it("notices commits made by another connection (another process, e.g. npm run settle)", async () => {
    const cache = new PageCache({ version: versionOf(database), ttlMs: 60_000 });
    const served = await whileStill(async () => {
      cache.store("/", {
        status: 200,
        headers: [],
        body: Buffer.from("x"),
        version: await cache.currentVersion(),
      });
      return cache.tryServe(fakeRequest("/"), fakeResponse().res);
    });
    expect(served).toBe(true);
    const other = openDatabase(file, { poolSize: 1 });
    try {
      await other.db.updateTable("themes").set({ name: "Culture" }).where("slug", "=", "culture").execute();
    } finally {
      await other.close();
    }
    expect(await cache.tryServe(fakeRequest("/"), fakeResponse().res)).toBe(false);
  });

  it("does not count a write that changes nothing", async () => {
    const cache = new PageCache({ version: versionOf(database), ttlMs: 60_000 });
    const served = await whileStill(async () => {
      cache.store("/", {
        status: 200,
        headers: [],
        body: Buffer.from("x"),
        version: await cache.currentVersion(),
      });
      await database.db.updateTable("themes").set({ name: "x" }).where("slug", "=", "n-existe-pas").execute();
      return cache.tryServe(fakeRequest("/"), fakeResponse().res);
    });
    expect(served).toBe(true);
  });

  it("expires entries after the TTL (time-dependent text such as « J-12 »)", () => {
    let now = 1_000;
    const cache = new PageCache({ version: () => "v", ttlMs: 30_000, now: () => now });
    cache.store("/", { status: 200, headers: [], body: Buffer.from("x"), version: "v" });
    now += 30_000;
    expect(cache.tryServe(fakeRequest("/"), fakeResponse().res)).toBe(true);
    now += 1;
    expect(cache.tryServe(fakeRequest("/"), fakeResponse().res)).toBe(false);
  });

  it("never serves or stores personal or non-GET requests", () => {
    const cache = new PageCache({ version: () => "v", ttlMs: 30_000 });
    cache.store("/", { status: 200, headers: [], body: Buffer.from("x"), version: "v" });
    expect(cache.tryServe(fakeRequest("/", { cookie: "theme=1; __session=abc" }), fakeResponse().res)).toBe(
      false,
    );
    expect(cache.isCacheable(Object.assign(fakeRequest("/"), { method: "POST" }))).toBe(false);
    expect(cache.isCacheable(fakeRequest("/healthz"))).toBe(false);
    expect(isStorableResponse(200, new Headers({ "content-type": "text/html", "set-cookie": "a=b" }))).toBe(
      false,
    );
    expect(isStorableResponse(404, new Headers({ "content-type": "text/html" }))).toBe(false);
    expect(
      isStorableResponse(200, new Headers({ "content-type": "text/html", "cache-control": "private" })),
    ).toBe(false);
    expect(isStorableResponse(200, new Headers({ "content-type": "text/html; charset=utf-8" }))).toBe(true);
  });

  it("gzips for clients that accept it", () => {
    const cache = new PageCache({ version: () => "v", ttlMs: 30_000 });
    const body = Buffer.from("<p>" + "Propulsons ".repeat(500) + "</p>");
    cache.store("/", { status: 200, headers: [["content-type", "text/html"]], body, version: "v" });
    const r = fakeResponse();
    expect(cache.tryServe(fakeRequest("/", { "accept-encoding": "gzip, br" }), r.res)).toBe(true);
    expect(r.sent.headers).toContain("gzip");
    expect(r.sent.body!.length).toBeLessThan(body.length);
  });
});
