/**
 * The page cache's promise across servers (docs/decisions/005-page-cache.md, 030 and 032): two app
 * servers on ONE PostgreSQL database, each with its own page cache. A payment whose webhook server
 * A answered shows on server B's page from the very next request on, though B had the page cached
 * (its entry is stamped with the campaign's version, read from the shared database at each hit).
 * Runs only under `npm run test:pg` (TEST_DATABASE_URL; `npm run build` first).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { collectedCents } from "../../scripts/bench-common";
import { onPostgres, tempDatabasePath } from "../support/db";
import { freePort, startServer, type RunningServer } from "../support/server";
import { createFixture, tearDown, type Fixture } from "./support";
import { payThroughForm } from "../support/webhooks";

const PAYMENTS = 12;

let tmp: ReturnType<typeof tempDatabasePath>;
let dir: string;
let database: Database;
let fx: Fixture;
const servers: RunningServer[] = [];

beforeAll(async () => {
  if (!onPostgres) throw new Error("tests/pg needs TEST_DATABASE_URL (npm run test:pg)");
  tmp = tempDatabasePath("page-cache-multi-server");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-page-cache-multi-"));
  database = openDatabase(tmp.file, { poolSize: 2 });
  await migrateToLatest(database.db);
  fx = await createFixture(database.db, { stock: 10, failedContributions: 1 });
  for (const name of ["a", "b"]) {
    const port = await freePort();
    servers.push(
      await startServer(
        {
          DATABASE_URL: tmp.file,
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          SEED_DEMO_DATA: "0",
          DEMO_OUTBOX_PATH: path.join(dir, `outbox-${name}.jsonl`),
          STRIPE_MOCK_STATE_FILE: path.join(dir, "stripe-state.jsonl"),
        },
        { port },
      ),
    );
  }
}, 90_000);

afterAll(() => tearDown({ servers, database, tmp, dir }));

async function page(server: RunningServer): Promise<{ cents: number; cache: string | null }> {
  const res = await fetch(`${server.url}/campagnes/${fx.fundedSlug}`);
  const html = await res.text();
  expect(res.status).toBe(200);
  return { cents: collectedCents(html), cache: res.headers.get("x-page-cache") };
}

describe("page cache, two servers, one PostgreSQL database", () => {
  it("a payment answered by one server shows on the other's cached page at its next request", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    let expected = (await page(a)).cents;
    for (let n = 0; n < PAYMENTS; n++) {
      // Both servers hold the page in their cache…
      for (const s of [a, b]) await page(s);
      expect((await page(a)).cache).toBe("hit");
      expect((await page(b)).cache).toBe("hit");
      // …a payment lands through one of them; the other's very next request shows it.
      const [through, other] = n % 2 === 0 ? [a, b] : [b, a];
      const cents = 1_000 + n * 137;
      await payThroughForm(through.url, database.db, { slug: fx.fundedSlug, id: fx.fundedId }, { n, cents });
      expected += cents;
      const seen = await page(other);
      expect(seen.cents, `payment ${n + 1} through one server, read on the other`).toBe(expected);
      // Only its money changed: the other server splices it into its stale page (ADR 034).
      expect(seen.cache).toBe("spliced");
      expect((await page(through)).cents).toBe(expected);
    }
  });
});
