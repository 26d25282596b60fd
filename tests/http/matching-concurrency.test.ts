/**
 * The abondement under concurrency on SQLite, against the built server (build/index.js; `npm run
 * build` first): 200 signed webhooks at once against one envelope, refunds at once, then two
 * `npm run settle` processes at once (tests/support/matching-race.ts says what each part checks).
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { tempDatabasePath } from "../support/db";
import {
  checkSettled,
  payAndRefund,
  prepareSettlement,
  setUpRace,
  type RaceSetup,
} from "../support/matching-race";
import { startServer, type RunningServer } from "../support/server";
import { runSettle } from "../pg/support";

let server: RunningServer;
let tmp: ReturnType<typeof tempDatabasePath>;
let database: Database;
let race: RaceSetup;
let outbox: string;

beforeAll(async () => {
  tmp = tempDatabasePath("http-matching");
  outbox = path.join(path.dirname(tmp.file), "outbox.jsonl");
  server = await startServer({ DATABASE_PATH: tmp.file, DEMO_OUTBOX_PATH: outbox, SEED_DEMO_DATA: "0" });
  database = openDatabase(tmp.file);
  await migrateToLatest(database.db);
  race = await setUpRace(database.db, "sqlite");
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.close();
  tmp?.cleanup();
});

describe("one envelope, 200 payments at once (SQLite)", () => {
  it("never overspends, holds each cap and the per-citizen rule; refunds release; settlement confirms and releases", async () => {
    await payAndRefund(database.db, [server.url], race);
    const before = await prepareSettlement(database.db, race);
    const env = { DATABASE_PATH: tmp.file, DEMO_OUTBOX_PATH: outbox, REFUND_RATE_PER_SECOND: "1000" };
    const runs = await Promise.all([runSettle(env, new Date()), runSettle(env, new Date())]);
    for (const r of runs) expect(r.code, r.stderr + r.stdout).toBe(0);
    // Whatever a pass left (a lease held by the other), one more pass finishes.
    const last = await runSettle(env, new Date());
    expect(last.code, last.stderr + last.stdout).toBe(0);
    await checkSettled(database.db, race, before);
  }, 240_000);
});
