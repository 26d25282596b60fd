/**
 * Against the built server (build/index.js; `npm test` builds first):
 * - many citizens contributing at once for the last units of a reward — it is
 *   never sold twice (docs/product-rules.md#contributions);
 * - the Stripe webhook endpoint refuses anything not signed with our secret,
 *   and stores each event once.
 */
import path from "node:path";
import type SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_WEBHOOK_SECRET } from "~/payments/stripe.server";
import { makeEvent } from "~/demo/stripe-api.server";
import { signPayload } from "~/demo/stripe-webhooks.server";
import { tempDatabasePath, withDatabaseFile } from "../support/db";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let tmp: ReturnType<typeof tempDatabasePath>;

beforeAll(async () => {
  tmp = tempDatabasePath("http-concurrency");
  server = await startServer({
    DATABASE_PATH: tmp.file,
    DEMO_OUTBOX_PATH: path.join(path.dirname(tmp.file), "outbox.jsonl"),
  });
});

afterAll(async () => {
  await server?.stop();
  tmp?.cleanup();
});

/** A separate connection to the server's database, as another process would open it. */
function withDb<T>(fn: (db: SQLite.Database) => T): T {
  return withDatabaseFile(tmp.file, fn);
}

interface RewardRow {
  id: number;
  campaign_id: number;
  slug: string;
  minimum_cents: number;
  stock: number;
  held: number;
  sold: number;
}

function rewardState(id: number): { stock: number; held: number; sold: number } {
  return withDb(
    (db) =>
      db.prepare("select stock, held, sold from rewards where id = ?").get(id) as {
        stock: number;
        held: number;
        sold: number;
      },
  );
}

/** « 25,00 » for 2500 cents: the amount as a French citizen types it. */
function euros(cents: number): string {
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, "0")}`;
}

async function contribute(
  slug: string,
  reward: RewardRow,
  who: string,
): Promise<{ status: number; location: string | null; body: string }> {
  const res = await fetch(`${server.url}/campagnes/${slug}`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({
      montant: euros(reward.minimum_cents),
      contrepartie: String(reward.id),
      email: `${who}@example.org`,
      nom: `Acheteur ${who}`,
    }),
  });
  return { status: res.status, location: res.headers.get("location"), body: await res.text() };
}

describe("the last units of a reward, bought by many at once", () => {
  it("sells exactly the units left, never one more", async () => {
    const now = new Date().toISOString();
    const reward = withDb(
      (db) =>
        db
          .prepare(
            `select r.id, r.campaign_id, c.slug, r.minimum_cents, r.stock, r.held, r.sold
             from rewards r join campaigns c on c.id = r.campaign_id
            where c.status = 'live' and c.starts_at <= ? and c.ends_at > ? and r.stock is not null
            order by r.id limit 1`,
          )
          .get(now, now) as RewardRow | undefined,
    );
    expect(reward, "a live campaign with a limited reward").toBeDefined();
    const r = reward!;
    // Exactly 5 units left.
    const stock = withDb((db) => {
      const row = db.prepare("select held, sold from rewards where id = ?").get(r.id) as {
        held: number;
        sold: number;
      };
      db.prepare("update rewards set stock = ? where id = ?").run(row.sold + row.held + 5, r.id);
      return row.sold + row.held + 5;
    });
    const before = rewardState(r.id);
    expect(before.stock).toBe(stock);

    const buyers = Array.from({ length: 50 }, (_, i) => `buyer${i + 1}`);
    const answers = await Promise.all(buyers.map((b) => contribute(r.slug, r, b)));

    const won = answers.filter((a) => a.status === 303);
    const refused = answers.filter((a) => a.status === 409);
    expect(
      {
        won: won.length,
        refused: refused.length,
        other: answers.filter((a) => a.status !== 303 && a.status !== 409).map((a) => a.status),
      },
      "answers to 50 simultaneous buyers",
    ).toEqual({ won: 5, refused: 45, other: [] });
    for (const a of won) expect(a.location).toMatch(/\/demo\/checkout\/cs_test_[a-f0-9]+$/);
    for (const a of refused) expect(a.body).toContain("est épuisée");

    const held = rewardState(r.id);
    expect(held, "5 units held by the open checkouts, no more").toEqual({
      stock,
      held: before.held + 5,
      sold: before.sold,
    });
    const pending = withDb(
      (db) =>
        db
          .prepare(
            "select count(*) n from contributions where reward_id = ? and status = 'pending' and reward_hold = 1",
          )
          .get(r.id) as { n: number },
    );
    expect(pending.n).toBe(5);

    // The 5 winners pay on the (demo) hosted checkout; its webhooks reach the real endpoint.
    const paid = await Promise.all(
      won.map(async (a) => {
        const id = /\/demo\/checkout\/(cs_test_[a-f0-9]+)$/.exec(a.location!)![1]!;
        const res = await fetch(`${server.url}/demo/checkout/${id}`, {
          method: "POST",
          redirect: "manual",
          body: new URLSearchParams({ intent: "pay" }),
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(paid).toEqual([302, 302, 302, 302, 302]);

    const sold = rewardState(r.id);
    expect(sold, "the held units became sales").toEqual({ stock, held: before.held, sold: before.sold + 5 });
    expect(sold.held + sold.sold).toBe(stock);
    const rows = withDb(
      (db) =>
        db
          .prepare(
            "select email, status, amount_cents from contributions where reward_id = ? and email like 'buyer%@example.org'",
          )
          .all(r.id) as Array<{
          email: string;
          status: string;
          amount_cents: number;
        }>,
    );
    expect(rows.filter((c) => c.status === "paid")).toHaveLength(5);
    expect(
      rows.every((c) => c.status === "paid" && c.amount_cents === r.minimum_cents),
      "only the 5 winners have a contribution",
    ).toBe(true);
    const ledger = withDb(
      (db) =>
        db
          .prepare(
            `select count(*) n, coalesce(sum(l.amount_cents), 0) total from ledger_entries l join contributions k on k.id = l.contribution_id
              where k.reward_id = ? and k.email like 'buyer%@example.org' and l.kind = 'contribution_paid'`,
          )
          .get(r.id) as { n: number; total: number },
    );
    expect(ledger).toEqual({ n: 5, total: 5 * r.minimum_cents });

    // Sold out: 20 more buyers at once are all refused, and nothing moves.
    const late = await Promise.all(
      Array.from({ length: 20 }, (_, i) => contribute(r.slug, r, `late${i + 1}`)),
    );
    expect(late.map((a) => a.status)).toEqual(Array(20).fill(409));
    for (const a of late) expect(a.body).toContain("est épuisée");
    expect(rewardState(r.id)).toEqual(sold);
  });
});

describe("the Stripe webhook endpoint", () => {
  const endpoint = () => `${server.url}/webhooks/stripe`;
  const post = (body: string, signature?: string) =>
    fetch(endpoint(), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(signature ? { "stripe-signature": signature } : {}),
      },
      body,
    });
  const storedEvents = (id: string) =>
    withDb(
      (db) => (db.prepare("select count(*) n from stripe_events where id = ?").get(id) as { n: number }).n,
    );

  it("refuses a forged, missing or stale signature, and a body changed after signing", async () => {
    const event = makeEvent("customer.created", { id: "cus_test_forged", object: "customer" });
    const payload = JSON.stringify(event);

    const forged = await post(payload, signPayload(payload, "whsec_not_our_secret"));
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain("Signature invalide");

    const unsigned = await post(payload);
    expect(unsigned.status).toBe(400);
    await unsigned.arrayBuffer();

    const signature = signPayload(payload, DEMO_WEBHOOK_SECRET);
    const tampered = await post(
      payload.replace('"customer.created"', '"checkout.session.completed"'),
      signature,
    );
    expect(tampered.status).toBe(400);
    await tampered.arrayBuffer();

    // Signed 10 minutes ago: outside Stripe's 5-minute tolerance (a replay).
    const stale = await post(
      payload,
      signPayload(payload, DEMO_WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 600),
    );
    expect(stale.status).toBe(400);
    await stale.arrayBuffer();

    expect(storedEvents(event.id), "nothing refused is stored").toBe(0);
  });

  it("answers 405 to GET", async () => {
    const res = await fetch(endpoint(), { redirect: "manual" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    await res.arrayBuffer();
  });

  it("stores a correctly signed event once: ignored, then duplicate", async () => {
    const event = makeEvent("customer.created", { id: "cus_test_signed", object: "customer" });
    const payload = JSON.stringify(event);

    const first = await post(payload, signPayload(payload, DEMO_WEBHOOK_SECRET));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, outcome: "ignored" });

    // Stripe redelivers with a fresh signature.
    const again = await post(payload, signPayload(payload, DEMO_WEBHOOK_SECRET));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, outcome: "duplicate" });

    expect(storedEvents(event.id)).toBe(1);
  });
  it("applies payments delivered at once, each answered once written, a duplicate in the same burst once", async () => {
    const campaign = withDb(
      (db) =>
        db.prepare("select id from campaigns where status = 'live' order by id limit 1").get() as {
          id: number;
        },
    );
    const now = new Date().toISOString();
    const pending = withDb((db) => {
      const add = db.prepare(
        `insert into contributions (campaign_id, email, public_name, amount_cents, anonymous, hide_amount,
           status, stripe_checkout_session_id, created_at, updated_at, reward_hold)
         values (?, ?, ?, ?, 0, 0, 'pending', ?, ?, ?, 0) returning id`,
      );
      return Array.from({ length: 24 }, (_, i) => {
        const session = `cs_test_burst_${i}`;
        const row = add.get(
          campaign.id,
          `rafale${i}@example.org`,
          `Rafale ${i}`,
          1500 + i,
          session,
          now,
          now,
        );
        return { id: (row as { id: number }).id, session, cents: 1500 + i };
      });
    });
    const events = pending.map((p) =>
      makeEvent("checkout.session.completed", {
        id: p.session,
        object: "checkout.session",
        status: "complete",
        payment_status: "paid",
        amount_total: p.cents,
        currency: "eur",
        client_reference_id: String(p.id),
        metadata: { contribution_id: String(p.id), campaign_id: String(campaign.id) },
        payment_intent: `pi_test_burst_${p.id}`,
        mode: "payment",
        livemode: false,
      }),
    );
    const grouped = async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return Number(/^propulsons_db_grouped_transactions_total (\d+)/m.exec(text)?.[1]);
    };
    const groupedBefore = await grouped();
    // Every event, and the first one a second time, all at once.
    const payloads = [...events, events[0]!].map((e) => JSON.stringify(e));
    const answers = await Promise.all(
      payloads.map(async (payload) => {
        const res = await post(payload, signPayload(payload, DEMO_WEBHOOK_SECRET));
        const body = (await res.json()) as { outcome: string };
        // Answered only once written: another connection already sees the contribution paid.
        const event = JSON.parse(payload) as { data: { object: { client_reference_id: string } } };
        const status = withDb(
          (db) =>
            (
              db
                .prepare("select status from contributions where id = ?")
                .get(Number(event.data.object.client_reference_id)) as { status: string }
            ).status,
        );
        return { status: res.status, outcome: body.outcome, stored: status };
      }),
    );
    expect(answers.every((a) => a.status === 200 && a.stored === "paid")).toBe(true);
    const outcomes = answers.map((a) => a.outcome).sort();
    expect(outcomes.filter((o) => o === "processed")).toHaveLength(24);
    expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(1);
    // Every delivery went through the grouped transactions (db/group-commit.ts).
    expect((await grouped()) - groupedBefore).toBe(25);
    const ledger = withDb(
      (db) =>
        db
          .prepare(
            `select count(*) n, coalesce(sum(amount_cents), 0) cents from ledger_entries
             where kind = 'contribution_paid' and contribution_id in (${pending.map((p) => p.id).join(",")})`,
          )
          .get() as { n: number; cents: number },
    );
    expect(ledger).toEqual({ n: 24, cents: pending.reduce((sum, p) => sum + p.cents, 0) });
  });
});
