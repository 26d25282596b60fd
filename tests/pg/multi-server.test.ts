/**
 * Two app servers (build/index.js, two processes on two ports) against ONE PostgreSQL database,
 * as a deployment behind a load balancer runs them (docs/product-rules.md#campaign-lifecycle to #outside-services):
 *
 *  1. 200 citizens buy the last units of a 10-unit reward at once, half through each server, each
 *     through the real form POST → (demo) hosted checkout → signed webhooks. Exactly 10 are sold;
 *     at every instant observed held + sold ≤ stock and the counters match the contributions; the
 *     others are told « épuisée » (409) or released their unit by leaving their checkout.
 *  2. The same signed Stripe events delivered to both servers at the same instant: each is
 *     stored and applied once (one answer « processed » or « ignored », the other « duplicate »).
 *     The events are built here, as Stripe would send them for checkouts opened through both
 *     servers (each server's stand-in only knows the sessions it opened itself).
 *  3. Two `npm run settle` processes and both servers' own settlement job settle at once a
 *     campaign that failed and one that was funded: one transition each, one refund per
 *     contribution and one transfer at Stripe, and the ledger balances.
 *  4. Two servers booting at once on an empty database with demo data on: both start, the
 *     demo data is written once.
 *
 * The servers and the settle commands each run the msw Stripe stand-in in their own process;
 * STRIPE_MOCK_STATE_FILE makes them all append what they asked of it to one file, read here.
 * Runs only under `npm run test:pg` (TEST_DATABASE_URL; `npm run build` first).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { seedCampaigns } from "#db/seed/campaigns";
import { reconcile } from "~/settlement/reconcile.server";
import { makeEvent, type MockEvent } from "~/demo/stripe-api.server";
import { onPostgres, tempDatabasePath } from "../support/db";
import { freePort, startServer, type RunningServer } from "../support/server";
import {
  createFixture,
  euros,
  HOLDER_ACCOUNT,
  readStripeLog,
  runSettle,
  tearDown,
  waitFor,
  type Fixture,
} from "./support";
import { postEvent } from "../support/webhooks";

const STOCK = 10;
const BUYERS = 200;
const ABANDONS = 3;
const WEBHOOK_CONTRIBUTIONS = 50;
const FAILED_CONTRIBUTIONS = 120;

let tmp: ReturnType<typeof tempDatabasePath>;
let dir: string;
let stateFile: string;
let outbox: string;
let database: Database;
let fx: Fixture;
const servers: RunningServer[] = [];

const serverEnv = (port: number): Record<string, string> => ({
  DATABASE_URL: tmp.file,
  PUBLIC_URL: `http://127.0.0.1:${port}`,
  SEED_DEMO_DATA: "0",
  STRIPE_MOCK_STATE_FILE: stateFile,
  DEMO_OUTBOX_PATH: outbox,
  // Each server runs its settlement pass every second (part 3 races it against the settle commands).
  SETTLE_INTERVAL_SECONDS: "1",
  EMAIL_RATE_PER_SECOND: "100",
});

beforeAll(async () => {
  if (!onPostgres) throw new Error("tests/pg needs TEST_DATABASE_URL (npm run test:pg)");
  tmp = tempDatabasePath("multi-server");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-multi-server-"));
  stateFile = path.join(dir, "stripe-state.jsonl");
  outbox = path.join(dir, "outbox.jsonl");
  // Both servers start at once on the empty database: both migrate it (Kysely's migration lock).
  const ports = [await freePort(), await freePort()];
  const started = await Promise.allSettled(ports.map((port) => startServer(serverEnv(port), { port })));
  for (const s of started) if (s.status === "fulfilled") servers.push(s.value);
  const failed = started.find((s) => s.status === "rejected");
  if (failed) throw failed.reason;
  database = openDatabase(tmp.file, { poolSize: 4 });
  expect(await migrateToLatest(database.db), "the servers migrated the database").toEqual([]);
  fx = await createFixture(database.db, { stock: STOCK, failedContributions: FAILED_CONTRIBUTIONS });
}, 90_000);

afterAll(() => tearDown({ servers, database, tmp, dir }));

const db = () => database.db;
const serverName = (s: RunningServer): "A" | "B" => (s === servers[0] ? "A" : "B");

// ---------------------------------------------------------------------------
// 1. The last units of a reward, bought through both servers at once.

interface Purchase {
  who: string;
  server: "A" | "B";
  status: number;
  outcome: "paid" | "released" | "refused" | "other";
  body: string;
  sessionId: string | null;
}

async function buy(server: RunningServer, who: string, leave: () => boolean): Promise<Purchase> {
  const res = await fetch(`${server.url}/campagnes/${fx.fundedSlug}`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({
      montant: euros(fx.rewardMinimumCents),
      contrepartie: String(fx.rewardId),
      email: `${who}@example.org`,
      nom: `Acheteuse ${who}`,
    }),
  });
  const body = await res.text();
  const base = { who, server: serverName(server), status: res.status, body, sessionId: null };
  if (res.status === 409) return { ...base, outcome: "refused" };
  const location = res.headers.get("location") ?? "";
  const m = /^(https?:\/\/[^/]+)\/demo\/checkout\/(cs_test_[a-f0-9]+)$/.exec(location);
  if (res.status !== 303 || !m || m[1] !== server.url)
    return { ...base, outcome: "other", body: `${location} ${body.slice(0, 300)}` };
  const sessionId = m[2]!;
  // The citizen lands on the (demo) hosted checkout of the server that opened it, then pays or leaves.
  const page = await fetch(location);
  await page.arrayBuffer();
  if (page.status !== 200)
    return { ...base, sessionId, outcome: "other", body: `checkout page ${page.status}` };
  const intent = leave() ? "cancel" : "pay";
  const done = await fetch(location, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({ intent }),
  });
  await done.arrayBuffer();
  const next = done.headers.get("location") ?? "";
  const expected =
    intent === "pay"
      ? `${server.url}/contribution/merci?session_id=${sessionId}`
      : `${server.url}/campagnes/${fx.fundedSlug}?paiement=annule#contribuer`;
  if (done.status !== 302 || next !== expected)
    return { ...base, sessionId, outcome: "other", body: `${intent}: ${done.status} ${next}` };
  return { ...base, sessionId, outcome: intent === "pay" ? "paid" : "released" };
}

interface RewardSample {
  stock: number;
  held: number;
  sold: number;
  holding: number;
  paid: number;
}

/** One statement, so one snapshot: the reward's counters and the contributions behind them. */
async function sampleReward(): Promise<RewardSample> {
  const r = await sql<RewardSample>`
    select r.stock, r.held, r.sold,
      (select count(*) from contributions k where k.reward_id = r.id and k.status = 'pending' and k.reward_hold = 1) as holding,
      (select count(*) from contributions k where k.reward_id = r.id and k.status = 'paid') as paid
    from rewards r where r.id = ${fx.rewardId}`.execute(db());
  return r.rows[0]!;
}

describe("two servers, one PostgreSQL database", () => {
  it(
    `1. ${BUYERS} buyers of a ${STOCK}-unit reward through both servers at once: exactly ${STOCK} sold, never more held or sold`,
    { timeout: 60_000 },
    async () => {
      const t0 = performance.now();
      // Watch the reward while the buyers come: every snapshot must keep held + sold ≤ stock.
      const samples: RewardSample[] = [];
      let watching = true;
      const watcher = (async () => {
        while (watching) samples.push(await sampleReward());
      })();

      let leavesLeft = ABANDONS;
      const leave = () => leavesLeft-- > 0;
      const purchases = await Promise.all(
        Array.from({ length: BUYERS }, (_, i) => buy(servers[i % 2]!, `acheteuse${i + 1}`, leave)),
      );
      // Units released by those who left may have found no buyer still in flight: more citizens come.
      let round = 0;
      while ((await sampleReward()).sold < STOCK && round < 5) {
        round++;
        purchases.push(
          ...(await Promise.all(
            Array.from({ length: 20 }, (_, i) =>
              buy(servers[i % 2]!, `tardive${round}-${i + 1}`, () => false),
            ),
          )),
        );
      }
      watching = false;
      await watcher;
      const waveMs = performance.now() - t0;

      const count = (o: Purchase["outcome"], s?: "A" | "B") =>
        purchases.filter((p) => p.outcome === o && (!s || p.server === s)).length;
      console.log(
        `[part 1] ${purchases.length} buyers (${round} extra round(s)) in ${waveMs.toFixed(0)} ms: ` +
          `paid A ${count("paid", "A")} / B ${count("paid", "B")}, released ${count("released")}, refused ${count("refused")}; ` +
          `${samples.length} snapshots of the reward, max held + sold ${Math.max(...samples.map((s) => s.held + s.sold))}`,
      );

      expect(
        purchases
          .filter((p) => p.outcome === "other")
          .map((p) => `${p.who}@${p.server}: ${p.status} ${p.body.slice(0, 200)}`),
        "unexpected answers",
      ).toEqual([]);
      expect(count("paid"), "units sold").toBe(STOCK);
      expect(count("released"), "checkouts left by their buyer").toBe(ABANDONS);
      for (const p of purchases.filter((x) => x.outcome === "refused")) {
        expect(p.body, `refusal shown to ${p.who}`).toContain(
          "La contrepartie « Gourde gravée » est épuisée.",
        );
      }
      expect(count("refused")).toBe(purchases.length - STOCK - ABANDONS);

      // Never oversold nor overheld, at any instant observed; the counters always match the contributions.
      expect(samples.length).toBeGreaterThan(10);
      const bad = samples.filter(
        (s) => s.held + s.sold > s.stock || s.held !== s.holding || s.sold !== s.paid || s.held < 0,
      );
      expect(bad.slice(0, 5), "snapshots breaking held + sold ≤ stock, or counters ≠ contributions").toEqual(
        [],
      );
      expect(await sampleReward()).toEqual({ stock: STOCK, held: 0, sold: STOCK, holding: 0, paid: STOCK });

      // The contributions: 10 paid (one per paying buyer, each at its session), 3 expired, nothing else.
      const rows = await db()
        .selectFrom("contributions")
        .select([
          "id",
          "email",
          "status",
          "amount_cents",
          "reward_hold",
          "staff_flag",
          "stripe_checkout_session_id",
          "stripe_payment_intent_id",
        ])
        .where("reward_id", "=", fx.rewardId)
        .execute();
      const paidRows = rows.filter((r) => r.status === "paid");
      expect(rows.length, "a contribution for each checkout opened, none for a refusal").toBe(
        STOCK + ABANDONS,
      );
      expect(paidRows.map((r) => r.stripe_checkout_session_id).sort()).toEqual(
        purchases
          .filter((p) => p.outcome === "paid")
          .map((p) => p.sessionId)
          .sort(),
      );
      expect(
        rows
          .filter((r) => r.status === "expired")
          .map((r) => r.stripe_checkout_session_id)
          .sort(),
      ).toEqual(
        purchases
          .filter((p) => p.outcome === "released")
          .map((p) => p.sessionId)
          .sort(),
      );
      expect(
        rows.every(
          (r) => r.reward_hold === 0 && r.staff_flag === null && r.amount_cents === fx.rewardMinimumCents,
        ),
      ).toBe(true);
      expect(paidRows.every((r) => r.stripe_payment_intent_id?.startsWith("pi_"))).toBe(true);

      // Ledger: one contribution_paid per paid contribution, none for the others; the books balance.
      const ledger = await db()
        .selectFrom("ledger_entries")
        .select(["contribution_id", "kind", "amount_cents"])
        .where(
          "contribution_id",
          "in",
          rows.map((r) => r.id),
        )
        .execute();
      expect(ledger.map((e) => [e.contribution_id, e.kind, e.amount_cents]).sort()).toEqual(
        paidRows.map((r) => [r.id, "contribution_paid", fx.rewardMinimumCents]).sort(),
      );
      const balances = await reconcile(db());
      expect(
        balances.filter((b) => b.problems.length > 0).map((b) => `${b.slug}: ${b.problems.join("; ")}`),
      ).toEqual([]);
    },
  );

  // -------------------------------------------------------------------------
  // 2. The same events, delivered to both servers at the same instant.

  it(
    `2. ${WEBHOOK_CONTRIBUTIONS * 2} signed events, each delivered to both servers at once: each stored and applied once`,
    { timeout: 60_000 },
    async () => {
      // 50 checkouts opened through both servers (no reward), still unpaid.
      const opened = await Promise.all(
        Array.from({ length: WEBHOOK_CONTRIBUTIONS }, async (_, i) => {
          const server = servers[i % 2]!;
          const res = await fetch(`${server.url}/campagnes/${fx.fundedSlug}`, {
            method: "POST",
            redirect: "manual",
            body: new URLSearchParams({
              montant: euros(1_000 + i * 100),
              contrepartie: "",
              email: `soutien-web${i}@example.org`,
              nom: `Soutien ${i}`,
            }),
          });
          await res.arrayBuffer();
          expect(res.status).toBe(303);
          return /\/demo\/checkout\/(cs_test_[a-f0-9]+)$/.exec(res.headers.get("location") ?? "")![1]!;
        }),
      );
      const pending = await db()
        .selectFrom("contributions")
        .select(["id", "amount_cents", "stripe_checkout_session_id", "status"])
        .where("stripe_checkout_session_id", "in", opened)
        .execute();
      expect(pending.map((k) => k.status)).toEqual(Array(WEBHOOK_CONTRIBUTIONS).fill("pending"));

      // What Stripe sends when each is paid: payment_intent.succeeded and checkout.session.completed.
      const now = Math.floor(Date.now() / 1000);
      const events: Array<{ event: MockEvent; contributionId: number; pi: string }> = [];
      for (const k of pending) {
        const pi = `pi_${crypto.randomBytes(12).toString("hex")}`;
        const intent = {
          id: pi,
          object: "payment_intent",
          amount: k.amount_cents,
          currency: "eur",
          status: "succeeded",
          metadata: { contribution_id: String(k.id), campaign_id: String(fx.fundedId) },
          transfer_group: `campaign_${fx.fundedId}`,
          latest_charge: `ch_${crypto.randomBytes(12).toString("hex")}`,
          last_payment_error: null,
        };
        const session = {
          id: k.stripe_checkout_session_id,
          object: "checkout.session",
          status: "complete",
          payment_status: "paid",
          amount_total: k.amount_cents,
          currency: "eur",
          client_reference_id: String(k.id),
          customer_email: `x${k.id}@example.org`,
          metadata: { contribution_id: String(k.id), campaign_id: String(fx.fundedId) },
          payment_intent: pi,
          url: null,
          mode: "payment",
          livemode: false,
          created: now - 60,
          expires_at: now + 1800,
        };
        events.push({ event: makeEvent("payment_intent.succeeded", intent, now), contributionId: k.id, pi });
        events.push({
          event: makeEvent("checkout.session.completed", session, now),
          contributionId: k.id,
          pi,
        });
      }

      // Each server gets its own signed delivery of every event, all at the same time.
      const deliver = async (server: RunningServer, event: MockEvent) => {
        const res = await postEvent(server.url, event);
        let outcome = `${res.status} ${res.body.slice(0, 200)}`;
        if (res.status === 200) outcome = (JSON.parse(res.body) as { outcome: string }).outcome;
        return { server: serverName(server), outcome };
      };
      const t0 = performance.now();
      const answers = await Promise.all(
        events.map(async (e) => ({
          ...e,
          answers: await Promise.all(servers.map((s) => deliver(s, e.event))),
        })),
      );
      const raceMs = performance.now() - t0;

      const wrong = answers
        .filter((a) => {
          const outcomes = a.answers.map((x) => x.outcome).sort();
          const first = a.event.type === "checkout.session.completed" ? "processed" : "ignored";
          return JSON.stringify(outcomes) !== JSON.stringify(["duplicate", first].sort());
        })
        .map(
          (a) =>
            `${a.event.type} ${a.event.id}: ${a.answers.map((x) => `${x.server}=${x.outcome}`).join(", ")}`,
        );
      const wins = { A: 0, B: 0 };
      for (const a of answers) for (const x of a.answers) if (x.outcome !== "duplicate") wins[x.server]++;
      console.log(
        `[part 2] ${answers.length} events × 2 servers in ${raceMs.toFixed(0)} ms; first to apply: A ${wins.A}, B ${wins.B}`,
      );
      expect(wrong, "events not answered once « processed »/« ignored » and once « duplicate »").toEqual([]);

      // Stored once each; every contribution paid once, with its payment intent; ledger once each.
      const ids = events.map((e) => e.event.id);
      const stored = await db()
        .selectFrom("stripe_events")
        .select(["id", "type"])
        .where("id", "in", ids)
        .execute();
      expect(stored.length).toBe(ids.length);
      expect(new Set(stored.map((s) => s.id)).size).toBe(ids.length);
      const after = await db()
        .selectFrom("contributions")
        .select(["id", "status", "stripe_payment_intent_id", "staff_flag"])
        .where(
          "id",
          "in",
          pending.map((k) => k.id),
        )
        .orderBy("id")
        .execute();
      const piOf = new Map(events.map((e) => [e.contributionId, e.pi]));
      expect(after.map((k) => [k.id, k.status, k.stripe_payment_intent_id, k.staff_flag])).toEqual(
        after.map((k) => [k.id, "paid", piOf.get(k.id), null]),
      );
      const ledger = await db()
        .selectFrom("ledger_entries")
        .select(["contribution_id", "kind", "amount_cents"])
        .where(
          "contribution_id",
          "in",
          pending.map((k) => k.id),
        )
        .execute();
      expect(ledger.map((e) => [e.contribution_id, e.kind, e.amount_cents]).sort()).toEqual(
        pending.map((k) => [k.id, "contribution_paid", k.amount_cents]).sort(),
      );
      const receipts = await db()
        .selectFrom("email_outbox")
        .select("idempotency_key")
        .where(
          "idempotency_key",
          "in",
          pending.map((k) => `receipt:${k.id}`),
        )
        .execute();
      expect(receipts.length, "one receipt queued per contribution").toBe(WEBHOOK_CONTRIBUTIONS);

      // Stripe redelivers everything, again to both servers at once: nothing moves.
      const again = await Promise.all(
        events.map((e) => Promise.all(servers.map((s) => deliver(s, e.event)))),
      );
      expect(new Set(again.flat().map((x) => x.outcome))).toEqual(new Set(["duplicate"]));
      expect(
        await db()
          .selectFrom("ledger_entries")
          .select(["contribution_id"])
          .where(
            "contribution_id",
            "in",
            pending.map((k) => k.id),
          )
          .execute(),
      ).toHaveLength(WEBHOOK_CONTRIBUTIONS);
      const balances = await reconcile(db());
      expect(
        balances.filter((b) => b.problems.length > 0).map((b) => `${b.slug}: ${b.problems.join("; ")}`),
      ).toEqual([]);
    },
  );

  // -------------------------------------------------------------------------
  // 3. Settlement run at once by two settle commands and both servers' own job.

  it(
    "3. two settle commands and both servers' jobs settle the same due campaigns at once: one settlement",
    { timeout: 90_000 },
    async () => {
      const fundedPaid = await db()
        .selectFrom("contributions")
        .select(["id", "amount_cents"])
        .where("campaign_id", "=", fx.fundedId)
        .where("status", "=", "paid")
        .execute();
      const fundedTotal = fundedPaid.reduce((s, k) => s + k.amount_cents, 0);
      expect(fundedTotal).toBeGreaterThanOrEqual(50_000);
      expect(
        await db().selectFrom("contributions").select("id").where("status", "=", "pending").execute(),
        "nothing in flight",
      ).toEqual([]);
      const stripeBefore = readStripeLog(stateFile);
      expect(
        stripeBefore.refunds.length + stripeBefore.transfers.length,
        "no money moved at Stripe yet",
      ).toBe(0);
      const outputBefore = servers.map((s) => s.output().length);

      // Both campaigns' collection ended a minute ago: due for every settler.
      const t0 = performance.now();
      const endedAt = new Date(Date.now() - 60_000);
      await db()
        .updateTable("campaigns")
        .set({ ends_at: endedAt.toISOString() })
        .where("id", "in", [fx.fundedId, fx.failedId])
        .execute();
      const settleEnv = {
        DATABASE_URL: tmp.file,
        PUBLIC_URL: servers[0]!.url,
        STRIPE_MOCK_STATE_FILE: stateFile,
        DEMO_OUTBOX_PATH: outbox,
        EMAIL_RATE_PER_SECOND: "100",
      };
      const runs = await Promise.all([runSettle(settleEnv, new Date()), runSettle(settleEnv, new Date())]);
      for (const r of runs) expect(r.code, `settle command:\n${r.stdout}\n${r.stderr}`).toBe(0);

      // The servers' jobs may still be at work: wait until everything is settled and no lease is held.
      await waitFor(
        "both campaigns settled, every refund and the payout done, no lease held",
        60_000,
        async () => {
          const campaigns = await db()
            .selectFrom("campaigns")
            .select(["id", "status"])
            .where("id", "in", [fx.fundedId, fx.failedId])
            .execute();
          const status = new Map(campaigns.map((c) => [c.id, c.status]));
          const notRefunded = await db()
            .selectFrom("contributions")
            .select("id")
            .where("campaign_id", "=", fx.failedId)
            .where("status", "!=", "refunded")
            .execute();
          const payouts = await db()
            .selectFrom("payouts")
            .select("status")
            .where("campaign_id", "=", fx.fundedId)
            .execute();
          const leases = await db().selectFrom("settlement_leases").select("campaign_id").execute();
          const done =
            status.get(fx.fundedId) === "funded" &&
            status.get(fx.failedId) === "failed" &&
            notRefunded.length === 0 &&
            payouts.length > 0 &&
            payouts.every((p) => p.status === "paid") &&
            leases.length === 0;
          return done ? true : undefined;
        },
        async () => JSON.stringify(await db().selectFrom("campaigns").select(["id", "status"]).execute()),
      );
      const settleMs = performance.now() - t0;

      const serverLogs = servers.map((s, i) => s.output().slice(outputBefore[i]));
      const skips = [...runs.map((r) => r.stdout), ...serverLogs].reduce(
        (n, out) => n + (out.match(/un autre processus s'en occupe/g)?.length ?? 0),
        0,
      );
      console.log(
        `[part 3] settled in ${settleMs.toFixed(0)} ms (settle commands: ${runs.map((r) => `first line at ${r.firstLineMs?.toFixed(0)} ms, report at ${r.reportMs?.toFixed(0)} ms, exit at ${r.ms.toFixed(0)} ms`).join("; ")}); ` +
          `${skips} pass(es) found a campaign leased by another settler`,
      );
      for (const [i, r] of runs.entries())
        console.log(`[part 3] settle command ${i + 1}:\n${r.stdout.trim()}`);
      for (const [i, out] of serverLogs.entries()) {
        const lines = out
          .split("\n")
          .filter((l) => l.includes("[règlement]") && !l.includes("Remboursement de la contribution"));
        console.log(`[part 3] server ${i === 0 ? "A" : "B"} job:\n${lines.slice(0, 12).join("\n")}`);
      }
      // The race did happen: some settler found a campaign's lease held by another.
      expect(skips, "passes that met another settler's lease").toBeGreaterThan(0);

      // One transition of each kind per campaign.
      const transitions = await db()
        .selectFrom("campaign_transitions")
        .select(["campaign_id", "event", "from_status", "to_status"])
        .where("campaign_id", "in", [fx.fundedId, fx.failedId])
        .where("event", "in", ["deadline", "settle_funded", "settle_failed"])
        .orderBy("id")
        .execute();
      expect(transitions.map((t) => [t.campaign_id, t.event, t.from_status, t.to_status]).sort()).toEqual(
        [
          [fx.fundedId, "deadline", "live", "settling"],
          [fx.fundedId, "settle_funded", "settling", "funded"],
          [fx.failedId, "deadline", "live", "settling"],
          [fx.failedId, "settle_failed", "settling", "failed"],
        ].sort(),
      );

      // At Stripe (every process's requests, from the shared log): one refund request and one refund
      // per contribution of the failed campaign, keyed refund:<id>; one transfer, payout:<id>.
      const log = readStripeLog(stateFile);
      expect(log.tornLines).toBe(0);
      const byId = new Map(fx.failedContributions.map((k) => [k.id, k]));
      const refundRequests = log.requests.filter((r) => r.method === "POST" && r.path === "/v1/refunds");
      const requestsPerKey = new Map<string, number>();
      for (const r of refundRequests)
        requestsPerKey.set(String(r.idempotencyKey), (requestsPerKey.get(String(r.idempotencyKey)) ?? 0) + 1);
      expect(
        fx.failedContributions
          .filter((k) => requestsPerKey.get(`refund:${k.id}`) !== 1)
          .map((k) => `refund:${k.id}×${requestsPerKey.get(`refund:${k.id}`) ?? 0}`),
        "contributions whose refund was not requested exactly once",
      ).toEqual([]);
      expect(refundRequests.length).toBe(FAILED_CONTRIBUTIONS);
      expect(
        refundRequests.filter((r) => {
          const k = byId.get(
            Number((r.body.metadata as Record<string, string> | undefined)?.contribution_id),
          );
          return (
            !k ||
            r.idempotencyKey !== `refund:${k.id}` ||
            r.body.payment_intent !== k.pi ||
            Number(r.body.amount) !== k.amount
          );
        }),
        "refund requests not matching their contribution",
      ).toEqual([]);
      const refundsPerPi = new Map<string, number>();
      for (const r of log.refunds)
        refundsPerPi.set(r.payment_intent, (refundsPerPi.get(r.payment_intent) ?? 0) + 1);
      expect(
        fx.failedContributions.filter((k) => refundsPerPi.get(k.pi) !== 1).map((k) => k.pi),
        "payment intents not refunded exactly once",
      ).toEqual([]);
      expect(log.refunds.length).toBe(FAILED_CONTRIBUTIONS);

      const commission = Math.floor((fundedTotal * 300 + 5_000) / 10_000);
      const transferRequests = log.requests.filter((r) => r.method === "POST" && r.path === "/v1/transfers");
      expect(
        transferRequests.map((r) => r.idempotencyKey),
        "transfer requests",
      ).toEqual([`payout:${fx.fundedId}`]);
      expect(log.transfers.map((t) => [t.amount, t.destination])).toEqual([
        [fundedTotal - commission, HOLDER_ACCOUNT],
      ]);
      const payouts = await db()
        .selectFrom("payouts")
        .selectAll()
        .where("campaign_id", "=", fx.fundedId)
        .execute();
      expect(
        payouts.map((p) => [
          p.kind,
          p.status,
          p.gross_cents,
          p.commission_cents,
          p.amount_cents,
          p.stripe_transfer_id,
        ]),
      ).toEqual([["main", "paid", fundedTotal, commission, fundedTotal - commission, log.transfers[0]!.id]]);

      // The books: one refund entry per contribution, one commission and one payout; balanced.
      const ledger = await db()
        .selectFrom("ledger_entries")
        .select(["campaign_id", "contribution_id", "kind", "amount_cents"])
        .where("kind", "!=", "contribution_paid")
        .execute();
      expect(
        ledger
          .filter((e) => e.kind === "refund")
          .map((e) => [e.contribution_id, e.amount_cents])
          .sort(),
      ).toEqual(fx.failedContributions.map((k) => [k.id, k.amount]).sort());
      expect(
        ledger
          .filter((e) => e.kind !== "refund")
          .map((e) => [e.campaign_id, e.kind, e.amount_cents])
          .sort(),
      ).toEqual(
        [
          [fx.fundedId, "commission", commission],
          [fx.fundedId, "payout", fundedTotal - commission],
        ].sort(),
      );
      const refunded = await db()
        .selectFrom("contributions")
        .select(["id", "stripe_refund_id", "stripe_payment_intent_id"])
        .where("campaign_id", "=", fx.failedId)
        .execute();
      const refundIdByPi = new Map(log.refunds.map((r) => [r.payment_intent, r.id]));
      expect(
        refunded
          .filter((k) => k.stripe_refund_id !== refundIdByPi.get(k.stripe_payment_intent_id!))
          .map((k) => k.id),
      ).toEqual([]);
      const balances = await reconcile(db());
      expect(
        balances.filter((b) => b.problems.length > 0).map((b) => `${b.slug}: ${b.problems.join("; ")}`),
        "reconcile()",
      ).toEqual([]);
      expect(balances.find((b) => b.campaignId === fx.fundedId)).toMatchObject({
        heldCents: 0,
        paidOutCents: fundedTotal - commission,
        commissionCents: commission,
      });
      expect(balances.find((b) => b.campaignId === fx.failedId)).toMatchObject({
        heldCents: 0,
        paidCents: fx.failedContributions.reduce((s, k) => s + k.amount, 0),
      });
    },
  );
});

describe("two servers booting at once on an empty PostgreSQL database, demo data on", () => {
  it("4. both start; the demo data is written once", { timeout: 90_000 }, async () => {
    const fresh = tempDatabasePath("multi-server-boot");
    const booted: RunningServer[] = [];
    try {
      const env = {
        DATABASE_URL: fresh.file,
        SEED_DEMO_DATA: "1",
        SETTLE_INTERVAL_SECONDS: "0",
        EMAIL_WORKER_INTERVAL_SECONDS: "3600",
        DEMO_OUTBOX_PATH: path.join(dir, "boot-outbox.jsonl"),
      };
      const started = await Promise.allSettled([startServer(env), startServer(env)]);
      for (const s of started) if (s.status === "fulfilled") booted.push(s.value);
      expect(
        started.filter((s) => s.status === "rejected").map((s) => String(s.reason).slice(0, 500)),
        "servers that could not start",
      ).toEqual([]);
      const other = openDatabase(fresh.file, { poolSize: 1 });
      try {
        const campaigns = await other.db.selectFrom("campaigns").select("slug").execute();
        expect(campaigns.length).toBe(seedCampaigns.length);
        const starts = await other.db
          .selectFrom("campaign_transitions")
          .select("id")
          .where("event", "=", "create")
          .execute();
        expect(starts.length, "one history per campaign").toBe(seedCampaigns.length);
      } finally {
        await other.close();
      }
      for (const s of booted) {
        const home = await fetch(`${s.url}/campagnes`);
        await home.arrayBuffer();
        expect(home.status).toBe(200);
      }
    } finally {
      await Promise.all(booted.map((s) => s.stop()));
      fresh.cleanup();
    }
  });
});
