/**
 * Money splicing (docs/decisions/034-money-splicing.md) against the built server: after a
 * payment, the cached campaign page is brought up to date without a full render, and what it
 * serves is the document a full render gives — the same bytes, once the two things that differ
 * from one render to the next by design are set aside (the CSP nonce, and the instant the page was
 * built for). A second server on the same database file, with its page cache off, gives the full
 * renders to compare with.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "#db/connection";
import { collectedCents } from "../../scripts/bench-common";
import { tempDatabasePath } from "../support/db";
import { startServer, type RunningServer } from "../support/server";
import { payThroughForm } from "../support/webhooks";
import { httpClient } from "../support/http-session";

let tmp: ReturnType<typeof tempDatabasePath>;
let dir: string;
let cached: RunningServer;
let plain: RunningServer;
let database: Database;
let campaign: { id: number; slug: string; reward: number; rewardCents: number };

beforeAll(async () => {
  tmp = tempDatabasePath("page-splice");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-page-splice-"));
  const env = (name: string) => ({
    DATABASE_PATH: tmp.file,
    // One address for both, as their links and share buttons print it.
    PUBLIC_URL: "http://propulsons.test",
    DEMO_OUTBOX_PATH: path.join(dir, `outbox-${name}.jsonl`),
    STRIPE_MOCK_STATE_FILE: path.join(dir, "stripe-state.jsonl"),
  });
  cached = await startServer(env("cached"));
  // Its workers idle: another process's commit makes every cached page stale (SQLite's data_version).
  plain = await startServer({
    ...env("plain"),
    PAGE_CACHE: "0",
    EMAIL_WORKER_INTERVAL_SECONDS: "3600",
    SETTLE_INTERVAL_SECONDS: "0",
  });
  database = openDatabase(tmp.file);
  // A live campaign with an abondement and a reward in limited stock: a payment changes its
  // total, its contributors, its supporters, the reward's « restants » and the fund's money left.
  const row = await database.db
    .selectFrom("campaigns as c")
    .innerJoin("matching_fund_campaigns as m", "m.campaign_id", "c.id")
    .innerJoin("rewards as r", "r.campaign_id", "c.id")
    .where("c.status", "=", "live")
    .where("r.stock", "is not", null)
    .select(["c.id", "c.slug", "r.id as reward", "r.minimum_cents"])
    .orderBy("r.minimum_cents")
    .executeTakeFirstOrThrow();
  campaign = { id: row.id, slug: row.slug, reward: row.reward, rewardCents: Number(row.minimum_cents) };
}, 90_000);

afterAll(async () => {
  await cached?.stop();
  await plain?.stop();
  await database?.close();
  tmp?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function get(
  server: RunningServer,
  options: { slug?: string; cookie?: string } = {},
): Promise<{ cache: string | null; html: string; headers: Headers }> {
  const headers: Record<string, string> = { "accept-encoding": "gzip" };
  if (options.cookie) headers.cookie = options.cookie;
  const res = await fetch(`${server.url}/campagnes/${options.slug ?? campaign.slug}`, { headers });
  expect(res.status).toBe(200);
  return { cache: res.headers.get("x-page-cache"), html: await res.text(), headers: res.headers };
}

/** The document without what differs between two renders by design: the nonce and the build instant. */
function comparable(html: string): string {
  return html
    .replace(/nonce="[A-Za-z0-9+/=_-]+"/g, 'nonce="N"')
    .replace(/(\\+"now\\+":\\+")[0-9T:.Z-]+/g, "$1NOW");
}

describe("money splicing", () => {
  it("serves after each payment the document a full render gives, without rendering it", async () => {
    await get(cached);
    expect((await get(cached)).cache).toBe("hit");
    let before = collectedCents((await get(cached)).html);
    // A few payments, with and without the stocked reward, each read back at once.
    for (const [n, payment] of [
      { cents: campaign.rewardCents, reward: campaign.reward },
      { cents: 1_000 },
      { cents: campaign.rewardCents + 4_200, reward: campaign.reward },
    ].entries()) {
      await payThroughForm(cached.url, database.db, campaign, { n, ...payment });
      const spliced = await get(cached);
      expect(spliced.cache).toBe("spliced");
      expect(collectedCents(spliced.html)).toBe(before + payment.cents);
      expect(spliced.html).toContain(`Fraîcheur ${n}`);
      const full = await get(plain);
      expect(full.cache).toBeNull();
      expect(comparable(spliced.html)).toBe(comparable(full.html));
      expect((await get(cached)).cache).toBe("hit");
      before += payment.cents;
    }
  });

  it("serves a signed-in citizen the cached page with their header and address spliced in, never stored", async () => {
    const email = "citoyenne.raccord@example.org";
    const cookie = await httpClient(cached, path.join(dir, "outbox-cached.jsonl")).signIn(email);
    await get(cached);
    for (const n of [10, 11]) {
      const personal = await get(cached, { cookie });
      expect(personal.cache).toBe("personal");
      expect(personal.headers.get("cache-control")).toBe("private, no-store");
      expect(personal.html).toContain("Mon compte");
      expect(personal.html).not.toContain("Se connecter");
      expect(personal.html).toContain(`value="${email}"`);
      const full = await get(plain, { cookie });
      expect(full.cache).toBeNull();
      expect(comparable(personal.html)).toBe(comparable(full.html));
      // What anonymous visitors get is untouched: no address, no account.
      const anonymous = await get(cached);
      expect(anonymous.html).not.toContain(email);
      expect(anonymous.html).toContain("Se connecter");
      // A payment makes the stored page stale: the signed-in visitor's page is spliced first.
      await payThroughForm(cached.url, database.db, campaign, { n, cents: 1_500 });
      const after = await get(cached, { cookie });
      expect(after.cache).toBe("personal");
      expect(after.html).toContain(`Fraîcheur ${n}`);
      expect(comparable(after.html)).toBe(comparable((await get(plain, { cookie })).html));
    }
  });

  it("serves each signed-in citizen their own page, also when the same page is asked again", async () => {
    const first = "premiere.raccord@example.org";
    const second = "seconde.raccord@example.org";
    const client = httpClient(cached, path.join(dir, "outbox-cached.jsonl"));
    const cookies = [await client.signIn(first), await client.signIn(second)];
    await get(cached);
    // Twice each on one stored page: the second answer is the kept one, still each citizen's own.
    for (let round = 0; round < 2; round++) {
      for (const [i, cookie] of cookies.entries()) {
        const page = await get(cached, { cookie });
        expect(page.cache).toBe("personal");
        expect(page.html).toContain(`value="${[first, second][i]}"`);
        expect(page.html).not.toContain([second, first][i]!);
        expect(comparable(page.html)).toBe(comparable((await get(plain, { cookie })).html));
      }
    }
  });
});
