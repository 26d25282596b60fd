/**
 * The abondement under concurrency on PostgreSQL with two app servers (build/index.js, two
 * processes, one database), as behind a load balancer: 200 signed webhooks at once spread over
 * both servers against one envelope, refunds at once, then two `npm run settle` processes and
 * both servers' own settlement job at once (tests/support/matching-race.ts says what each part
 * checks). The reservations lock the campaign, fund and fund-campaign rows (`select … for
 * update`); the envelope's CHECK is the last guard. Runs only under `npm run test:pg`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { onPostgres, tempDatabasePath } from "../support/db";
import {
  checkSettled,
  payAndRefund,
  prepareSettlement,
  setUpRace,
  type RaceSetup,
} from "../support/matching-race";
import { freePort, startServer, type RunningServer } from "../support/server";
import { runSettle, tearDown } from "./support";

let tmp: ReturnType<typeof tempDatabasePath>;
let dir: string;
let database: Database;
let race: RaceSetup;
const servers: RunningServer[] = [];

const env = (): Record<string, string> => ({
  DATABASE_URL: tmp.file,
  SEED_DEMO_DATA: "0",
  STRIPE_MOCK_STATE_FILE: path.join(dir, "stripe-state.jsonl"),
  DEMO_OUTBOX_PATH: path.join(dir, "outbox.jsonl"),
  SETTLE_INTERVAL_SECONDS: "1",
  REFUND_RATE_PER_SECOND: "1000",
});

beforeAll(async () => {
  if (!onPostgres) throw new Error("tests/pg needs TEST_DATABASE_URL (npm run test:pg)");
  tmp = tempDatabasePath("matching-multi");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-matching-multi-"));
  database = openDatabase(tmp.file, { poolSize: 4 });
  await migrateToLatest(database.db);
  race = await setUpRace(database.db, "pg");
  for (const port of [await freePort(), await freePort()])
    servers.push(await startServer({ ...env(), PUBLIC_URL: `http://127.0.0.1:${port}` }, { port }));
}, 90_000);

afterAll(() => tearDown({ servers, database, tmp, dir }));

describe("one envelope, 200 payments at once through two servers (PostgreSQL)", () => {
  it("never overspends, holds each cap and the per-citizen rule; refunds release; settlement confirms and releases", async () => {
    await payAndRefund(
      database.db,
      servers.map((s) => s.url),
      race,
    );
    const before = await prepareSettlement(database.db, race);
    // Two settle commands, and both servers' own job (every second), at once.
    const runs = await Promise.all([runSettle(env(), new Date()), runSettle(env(), new Date())]);
    for (const r of runs) expect(r.code, r.stderr + r.stdout).toBe(0);
    const last = await runSettle(env(), new Date());
    expect(last.code, last.stderr + last.stdout).toBe(0);
    await checkSettled(database.db, race, before);
  }, 240_000);
});
