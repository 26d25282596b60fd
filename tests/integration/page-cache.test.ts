import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import SQLite from "better-sqlite3";
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

function versionOf(db: Database) {
  const totalChanges = db.sqlite.prepare("SELECT total_changes()").pluck();
  return () => `${db.sqlite.pragma("data_version", { simple: true })}:${totalChanges.get()}`;
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
    const version = cache.currentVersion();
    cache.store("/campagnes", { status: 200, headers: [["content-type", "text/html"]], body: Buffer.from("<p>v1</p>"), version });
    const hit = fakeResponse();
    expect(cache.tryServe(fakeRequest("/campagnes"), hit.res)).toBe(true);
    expect(hit.sent.body?.toString()).toBe("<p>v1</p>");

    await database.db.updateTable("themes").set({ name: "Culture et patrimoine" }).where("slug", "=", "culture").execute();
    expect(cache.tryServe(fakeRequest("/campagnes"), fakeResponse().res)).toBe(false);
  });

  it("notices commits made by another connection (another process, e.g. npm run settle)", () => {
    const cache = new PageCache({ version: versionOf(database), ttlMs: 60_000 });
    cache.store("/", { status: 200, headers: [], body: Buffer.from("x"), version: cache.currentVersion() });
    expect(cache.tryServe(fakeRequest("/"), fakeResponse().res)).toBe(true);
    const other = new SQLite(file);
    other.prepare("UPDATE themes SET name = 'Culture' WHERE slug = 'culture'").run();
    other.close();
    expect(cache.tryServe(fakeRequest("/"), fakeResponse().res)).toBe(false);
  });

  it("does not count a write that changes nothing", async () => {
    const cache = new PageCache({ version: versionOf(database), ttlMs: 60_000 });
    cache.store("/", { status: 200, headers: [], body: Buffer.from("x"), version: cache.currentVersion() });
    await database.db.updateTable("themes").set({ name: "x" }).where("slug", "=", "n-existe-pas").execute();
    expect(cache.tryServe(fakeRequest("/"), fakeResponse().res)).toBe(true);
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
    expect(cache.tryServe(fakeRequest("/", { cookie: "theme=1; __session=abc" }), fakeResponse().res)).toBe(false);
    expect(cache.isCacheable(Object.assign(fakeRequest("/"), { method: "POST" }))).toBe(false);
    expect(cache.isCacheable(fakeRequest("/healthz"))).toBe(false);
    expect(isStorableResponse(200, new Headers({ "content-type": "text/html", "set-cookie": "a=b" }))).toBe(false);
    expect(isStorableResponse(404, new Headers({ "content-type": "text/html" }))).toBe(false);
    expect(isStorableResponse(200, new Headers({ "content-type": "text/html", "cache-control": "private" }))).toBe(false);
    expect(isStorableResponse(200, new Headers({ "content-type": "text/html; charset=utf-8" }))).toBe(true);
  });

  it("gzips for clients that accept it", () => {
    const cache = new PageCache({ version: () => "v", ttlMs: 30_000 });
    const body = Buffer.from("<p>" + "Propulsons ".repeat(500) + "</p>");
    cache.store("/", { status: 200, headers: [["content-type", "text/html"]], body, version: "v" });
    const r = fakeResponse();
    cache.tryServe(fakeRequest("/", { "accept-encoding": "gzip, br" }), r.res);
    expect(r.sent.headers).toContain("gzip");
    expect(r.sent.body!.length).toBeLessThan(body.length);
  });
});
