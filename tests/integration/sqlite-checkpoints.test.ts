/**
 * SQLite's WAL checkpoints on their own thread (db/sqlite-checkpoints.ts): the server's connection
 * no longer copies the WAL back inside a commit; the thread does, the WAL restarts from its
 * beginning instead of growing, the page cache's stamp does not move with a checkpoint, and if the
 * thread fails the connection takes its automatic checkpoints back.
 */
import fs from "node:fs";
import SQLite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { startBackgroundCheckpoints } from "#db/sqlite-checkpoints";
import { tempDatabasePath } from "../support/db";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function open(options: { backgroundCheckpoints: boolean }): Promise<Database> {
  const tmp = tempDatabasePath("checkpoints", null);
  const database = openDatabase(tmp.file, options);
  cleanups.push(tmp.cleanup, () => database.close());
  await migrateToLatest(database.db);
  return database;
}

const walPages = (database: Database) => fs.statSync(`${database.path}-wal`).size / 4096;
const autocheckpoint = (sqlite: SQLite.Database) => sqlite.pragma("wal_autocheckpoint", { simple: true });

describe("background checkpoints", () => {
  it("are off unless asked: scripts and tests keep SQLite's automatic checkpoints", async () => {
    const database = await open({ backgroundCheckpoints: false });
    expect(database.checkpoints).toBeNull();
    expect(autocheckpoint(database.sqlite!)).toBe(1000);
  });

  it("copy the WAL back off the connection, which restarts it instead of growing", async () => {
    const database = await open({ backgroundCheckpoints: true });
    const sqlite = database.sqlite!;
    expect(autocheckpoint(sqlite)).toBe(0);
    sqlite.exec("create table filler (id integer primary key, body text not null)");
    const insert = sqlite.prepare("insert into filler (body) values (?)");
    const body = "x".repeat(3000);
    // 3 000 commits of about a page each: without any checkpoint the WAL would hold them all.
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 500; i++) insert.run(body);
      // Everything written so far is copied into the database file.
      expect(await database.checkpoints!.now()).toBe(0);
    }
    expect(database.checkpoints!.stats().runs).toBeGreaterThanOrEqual(6);
    // Every commit wrote at least one page: without restarts the WAL would hold 3 000 or more.
    expect(walPages(database)).toBeLessThan(3000);
    expect(sqlite.prepare("select count(*) from filler").pluck().get()).toBe(3000);
  });

  it("move neither the page stamp nor data_version (a checkpoint is not a commit)", async () => {
    const database = await open({ backgroundCheckpoints: true });
    await database.db.insertInto("page_versions").values({ key: "campaign:1", version: 1 }).execute();
    const stamp = database.pageStamp(["campaign:1"]);
    const version = database.dataVersion();
    expect(await database.checkpoints!.now()).toBe(0);
    expect(database.pageStamp(["campaign:1"])).toBe(stamp);
    expect(database.dataVersion()).toBe(version);
  });

  it("give the connection its automatic checkpoints back when the thread fails or stops", async () => {
    const tmp = tempDatabasePath("checkpoints-failing", null);
    cleanups.push(tmp.cleanup);
    const sqlite = new SQLite(tmp.file);
    cleanups.push(() => void sqlite.close());
    sqlite.pragma("journal_mode = WAL");
    const failures: string[] = [];
    // The thread cannot open this file: it stops at once.
    const failing = startBackgroundCheckpoints(sqlite, `${tmp.file}.absent`, {
      onFailure: (m) => failures.push(m),
    });
    await expect.poll(() => failures.length).toBe(1);
    expect(failures[0]).toMatch(/checkpoint SQLite en arrière-plan arrêté/);
    expect(autocheckpoint(sqlite)).toBe(1000);
    await expect(failing.now()).rejects.toThrow();
    await failing.stop();

    const working = startBackgroundCheckpoints(sqlite, tmp.file);
    expect(autocheckpoint(sqlite)).toBe(0);
    await working.stop();
    expect(autocheckpoint(sqlite)).toBe(1000);
  });

  it("stop with the database: closing leaves no WAL behind", async () => {
    const database = await open({ backgroundCheckpoints: true });
    await database.db.insertInto("page_versions").values({ key: "campaign:2", version: 1 }).execute();
    await database.close();
    expect(fs.existsSync(`${database.path}-wal`)).toBe(false);
  });
});
