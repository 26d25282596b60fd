/**
 * The contribution flow against the real Stripe SDK and Resend sender, with msw
 * answering at the HTTP boundary, on a real temporary database (SQLite, or PostgreSQL under
 * `npm run test:pg`).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setupServer } from "msw/node";
import type Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeDatabase, database, initDatabase } from "~/db.server";
import { deliverDueEmails } from "~/email.server";
import { startContribution } from "~/payments/contributions.server";
import {
  readContributionForm,
  validateContributionForm,
  parseEurosToCents,
} from "~/payments/contribution-form.server";
import { processStripeEvent } from "~/payments/webhooks.server";
import { handlers } from "~/demo/index.server";
import { readOutbox, resendFailures } from "~/demo/resend-api.server";
import {
  completeCheckoutAsync,
  declineCheckout,
  expireCheckout,
  makeEvent,
  payCheckout,
  settleAsyncPayment,
  stripeMock,
  type MockEvent,
} from "~/demo/stripe-api.server";
import { breakInserts, tempDatabasePath } from "../support/db";

const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-contrib-"));
process.env.DEMO_OUTBOX_PATH = path.join(outboxDir, "outbox.jsonl");
delete process.env.STRIPE_SECRET_KEY;
delete process.env.RESEND_API_KEY;

const server = setupServer(...handlers);
let cleanup: () => void;

interface LiveCampaign {
  id: number;
  slug: string;
  ends_at: string;
}
let live: LiveCampaign;
let limited: { id: number; campaign_slug: string; minimum_cents: number };

beforeAll(async () => {
  server.listen({ onUnhandledRequest: "error" });
  const tmp = tempDatabasePath("contrib");
  cleanup = tmp.cleanup;
  await initDatabase({ path: tmp.file, seed: true, now: new Date() });
  const { db } = database();
  live = await db
    .selectFrom("campaigns")
    .select(["id", "slug", "ends_at"])
    .where("status", "=", "live")
    .orderBy("ends_at", "desc")
    .executeTakeFirstOrThrow();
  limited = await db
    .selectFrom("rewards as r")
    .innerJoin("campaigns as c", "c.id", "r.campaign_id")
    .select(["r.id", "c.slug as campaign_slug", "r.minimum_cents"])
    .where("c.status", "=", "live")
    .where("r.stock", "is not", null)
    .where((eb) => eb("r.stock", ">", eb.ref("r.sold")))
    .orderBy("r.id")
    .executeTakeFirstOrThrow();
});

afterAll(async () => {
  server.close();
  await closeDatabase();
  cleanup();
  fs.rmSync(outboxDir, { recursive: true, force: true });
});

beforeEach(() => {
  resendFailures.reset();
});

const input = (over: Partial<Parameters<typeof startContribution>[2]> = {}) => ({
  amountCents: 2500,
  rewardId: null,
  email: "citoyenne@example.org",
  publicName: "Citoyenne C.",
  anonymous: false,
  hideAmount: false,
  message: null,
  ...over,
});

async function deliver(events: MockEvent[]) {
  const outcomes = [];
  for (const e of events)
    outcomes.push(await processStripeEvent(database().db, e as unknown as Stripe.Event));
  return outcomes;
}

async function contribution(id: number) {
  return database().db.selectFrom("contributions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

async function reward(id: number) {
  return database()
    .db.selectFrom("rewards")
    .select(["held", "sold", "stock"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

async function ledgerFor(contributionId: number) {
  return database()
    .db.selectFrom("ledger_entries")
    .select(["kind", "amount_cents"])
    .where("contribution_id", "=", contributionId)
    .execute();
}

async function open(over: Partial<Parameters<typeof startContribution>[2]> = {}, slug = live.slug) {
  const result = await startContribution(database().db, slug, input(over));
  if (!result.ok) throw new Error(`could not open: ${JSON.stringify(result)}`);
  const row = await contribution(result.contributionId);
  return { ...result, row, sessionId: row.stripe_checkout_session_id! };
}

describe("opening a contribution", () => {
  it("writes a pending row, then opens a Checkout Session carrying the contribution id, with an idempotency key", async () => {
    const { row, checkoutUrl, sessionId } = await open({ amountCents: 4200 });
    expect(row.status).toBe("pending");
    expect(row.amount_cents).toBe(4200);
    expect(checkoutUrl).toMatch(/\/demo\/checkout\/cs_test_/);
    const session = stripeMock.session(sessionId)!;
    expect(session.client_reference_id).toBe(String(row.id));
    expect(session.metadata).toEqual({ contribution_id: String(row.id), campaign_id: String(live.id) });
    expect(session.amount_total).toBe(4200);
    const request = stripeMock
      .requests()
      .find((r) => r.path === "/v1/checkout/sessions" && r.idempotencyKey === `checkout:${row.id}`);
    expect(request).toBeDefined();
    const pid = request!.body.payment_intent_data as {
      metadata: Record<string, string>;
      transfer_group: string;
    };
    expect(pid.metadata.contribution_id).toBe(String(row.id));
    expect(pid.transfer_group).toBe(`campaign_${live.id}`);
    // expires in 30 minutes by default
    expect(Number(request!.body.expires_at) - Math.floor(Date.now() / 1000)).toBeGreaterThan(29 * 60);
    expect(Number(request!.body.expires_at) - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(30 * 60);
  });

  it("does not count a pending contribution", async () => {
    const { row } = await open({ amountCents: 999_900 });
    const { db } = database();
    const paid = await db
      .selectFrom("contributions")
      .select("id")
      .where("id", "=", row.id)
      .where("status", "=", "paid")
      .execute();
    expect(paid).toHaveLength(0);
  });

  it("refuses a closed campaign, an unknown reward, an amount under the reward's minimum, out of bounds", async () => {
    const { db } = database();
    const funded = await db
      .selectFrom("campaigns")
      .select("slug")
      .where("status", "=", "funded")
      .executeTakeFirstOrThrow();
    expect(await startContribution(db, funded.slug, input())).toMatchObject({ ok: false, status: 409 });
    expect(await startContribution(db, live.slug, input({ rewardId: 999_999 }))).toMatchObject({
      ok: false,
      status: 400,
      fieldErrors: { contrepartie: expect.stringContaining("n'existe pas") },
    });
    const under = await startContribution(
      db,
      limited.campaign_slug,
      input({ rewardId: limited.id, amountCents: limited.minimum_cents - 1 }),
    );
    expect(under).toMatchObject({
      ok: false,
      status: 400,
      fieldErrors: { montant: expect.stringContaining("au moins") },
    });
    expect(await startContribution(db, live.slug, input({ amountCents: 99 }))).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(await startContribution(db, live.slug, input({ amountCents: 1_000_001 }))).toMatchObject({
      ok: false,
      status: 400,
    });
  });

  it("refuses once the deadline has passed, even if the campaign is still marked live", async () => {
    const after = new Date(new Date(live.ends_at).getTime() + 1000);
    expect(await startContribution(database().db, live.slug, input(), { now: after })).toMatchObject({
      ok: false,
      status: 409,
    });
  });

  it("uses the reward minimum when no amount is given, and holds a unit", async () => {
    const before = await reward(limited.id);
    const { row } = await open({ rewardId: limited.id, amountCents: null }, limited.campaign_slug);
    expect(row.amount_cents).toBe(limited.minimum_cents);
    expect(row.reward_hold).toBe(1);
    expect((await reward(limited.id)).held).toBe(before.held + 1);
  });

  it("releases the hold and says so in French when Stripe is unavailable", async () => {
    const before = await reward(limited.id);
    stripeMock.failNext(3, 500, /checkout\/sessions$/); // stripe-node retries twice, then gives up
    const result = await startContribution(
      database().db,
      limited.campaign_slug,
      input({ rewardId: limited.id, amountCents: null }),
    );
    expect(result).toMatchObject({
      ok: false,
      status: 502,
      formError: expect.stringContaining("Aucun paiement n'a été effectué"),
    });
    expect((await reward(limited.id)).held).toBe(before.held);
    const last = await database()
      .db.selectFrom("contributions")
      .select(["status", "reward_hold"])
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(last).toEqual({ status: "failed", reward_hold: 0 });
  });
});

describe("webhooks: the source of truth", () => {
  it("pays: status, ledger entry, reward sold, receipt and holder emails — in one go", async () => {
    const before = await reward(limited.id);
    const amount = limited.minimum_cents + 500;
    const { row, sessionId } = await open(
      { rewardId: limited.id, amountCents: amount, email: "payeuse@example.org" },
      limited.campaign_slug,
    );
    const outcomes = await deliver(payCheckout(sessionId));
    expect(outcomes).toEqual(["ignored", "processed"]); // payment_intent.succeeded is not needed; checkout.session.completed is
    const paid = await contribution(row.id);
    expect(paid.status).toBe("paid");
    expect(paid.paid_at).not.toBeNull();
    expect(paid.stripe_payment_intent_id).toMatch(/^pi_/);
    expect(await ledgerFor(row.id)).toEqual([{ kind: "contribution_paid", amount_cents: amount }]);
    expect(await reward(limited.id)).toMatchObject({ held: before.held, sold: before.sold + 1 });
    const emails = await database()
      .db.selectFrom("email_outbox")
      .select(["kind", "to_email"])
      .where("idempotency_key", "in", [`receipt:${row.id}`, `holder-new:${row.id}`])
      .execute();
    expect(emails.map((e) => e.kind).sort()).toEqual(["contribution_receipt", "holder_new_contribution"]);
    await deliverDueEmails(database().db);
    const receipt = readOutbox().find((m) => m.to.includes("payeuse@example.org"));
    expect(receipt?.subject).toBeDefined();
    expect(receipt?.text).toContain(`${amount / 100}\u00a0€`);
    expect(receipt?.text).toContain(`PRP-${String(row.id).padStart(6, "0")}`);
  });

  it("ignores duplicates: the same event twice changes nothing", async () => {
    const { row, sessionId } = await open({ amountCents: 1500 });
    const events = payCheckout(sessionId);
    await deliver(events);
    expect(await deliver(events)).toEqual(["duplicate", "duplicate"]);
    expect(await ledgerFor(row.id)).toHaveLength(1);
  });

  it("never moves backwards: a late « expired » after payment changes nothing", async () => {
    const { row, sessionId } = await open({ amountCents: 1600 });
    const session = stripeMock.session(sessionId)!;
    const staleExpired = makeEvent("checkout.session.expired", { ...session, status: "expired" });
    await deliver(payCheckout(sessionId));
    expect(await deliver([staleExpired])).toEqual(["ignored"]);
    expect((await contribution(row.id)).status).toBe("paid");
  });

  it("accepts a payment that arrives after its session was reported expired (money received is never dropped)", async () => {
    const before = await reward(limited.id);
    const { row, sessionId } = await open({ rewardId: limited.id, amountCents: null }, limited.campaign_slug);
    const session = stripeMock.session(sessionId)!;
    const expired = makeEvent("checkout.session.expired", { ...session, status: "expired" });
    const paidEvents = payCheckout(sessionId);
    await deliver([expired]);
    expect((await contribution(row.id)).status).toBe("expired");
    expect((await reward(limited.id)).held).toBe(before.held);
    await deliver(paidEvents);
    const after = await contribution(row.id);
    expect(after.status).toBe("paid");
    expect(await reward(limited.id)).toMatchObject({ held: before.held, sold: before.sold + 1 });
    expect(await ledgerFor(row.id)).toHaveLength(1);
  });

  it("a declined card keeps the checkout open; paying afterwards works", async () => {
    const { row, sessionId } = await open({ amountCents: 2000 });
    await deliver(declineCheckout(sessionId));
    const declined = await contribution(row.id);
    expect(declined.status).toBe("pending");
    expect(declined.last_payment_error).toBe("card_declined");
    await deliver(payCheckout(sessionId));
    expect((await contribution(row.id)).status).toBe("paid");
  });

  it("an expired session releases the reward unit and is never counted", async () => {
    const before = await reward(limited.id);
    const { row, sessionId } = await open({ rewardId: limited.id, amountCents: null }, limited.campaign_slug);
    expect((await reward(limited.id)).held).toBe(before.held + 1);
    await deliver(expireCheckout(sessionId));
    expect((await contribution(row.id)).status).toBe("expired");
    expect(await reward(limited.id)).toMatchObject({ held: before.held, sold: before.sold });
    expect(await ledgerFor(row.id)).toHaveLength(0);
  });

  it("asynchronous payments: completed-but-unpaid stays in flight, then succeeds or fails", async () => {
    const ok = await open({ amountCents: 5000 });
    await deliver(completeCheckoutAsync(ok.sessionId));
    expect((await contribution(ok.row.id)).status).toBe("pending");
    await deliver(settleAsyncPayment(ok.sessionId, "succeeded"));
    expect((await contribution(ok.row.id)).status).toBe("paid");

    const before = await reward(limited.id);
    const ko = await open({ rewardId: limited.id, amountCents: null }, limited.campaign_slug);
    await deliver(completeCheckoutAsync(ko.sessionId));
    await deliver(settleAsyncPayment(ko.sessionId, "failed"));
    expect((await contribution(ko.row.id)).status).toBe("failed");
    expect((await reward(limited.id)).held).toBe(before.held);
  });

  it("records a payment completed after the campaign's deadline as money received", async () => {
    const { row, sessionId } = await open({ amountCents: 2100 });
    const events = payCheckout(sessionId);
    // The deadline passes and the campaign moves on before Stripe's event arrives.
    await database()
      .db.updateTable("campaigns")
      .set({ status: "settling" })
      .where("id", "=", live.id)
      .execute();
    try {
      await deliver(events);
      expect((await contribution(row.id)).status).toBe("paid");
      expect(await ledgerFor(row.id)).toHaveLength(1);
    } finally {
      await database()
        .db.updateTable("campaigns")
        .set({ status: "live" })
        .where("id", "=", live.id)
        .execute();
    }
  });

  it("an email API outage never loses the payment: it is recorded, the email retried later", async () => {
    await deliverDueEmails(database().db); // send what earlier tests left
    const { row, sessionId } = await open({ amountCents: 2200, email: "patiente@example.org" });
    resendFailures.next(10, 500);
    await deliver(payCheckout(sessionId));
    expect((await contribution(row.id)).status).toBe("paid");
    const first = await deliverDueEmails(database().db);
    expect(first).toMatchObject({ sent: 0, retried: 2 });
    const pending = await database()
      .db.selectFrom("email_outbox")
      .select(["status", "attempts"])
      .where("idempotency_key", "=", `receipt:${row.id}`)
      .executeTakeFirstOrThrow();
    expect(pending).toEqual({ status: "pending", attempts: 1 });
    resendFailures.reset();
    await deliverDueEmails(database().db, { now: new Date(Date.now() + 3_600_000) });
    expect(readOutbox().filter((m) => m.to.includes("patiente@example.org"))).toHaveLength(1);
  });

  it("flags a dispute for staff and follows refunds forward only", async () => {
    const { row, sessionId } = await open({ amountCents: 2300 });
    await deliver(payCheckout(sessionId));
    const pi = (await contribution(row.id)).stripe_payment_intent_id!;
    await deliver([
      makeEvent("charge.dispute.created", {
        id: "dp_1",
        object: "dispute",
        payment_intent: pi,
        charge: "ch_1",
        amount: 2300,
      }),
    ]);
    expect((await contribution(row.id)).staff_flag).toBe("disputed");
    await deliver([
      makeEvent("refund.updated", {
        id: "re_1",
        object: "refund",
        payment_intent: pi,
        amount: 2300,
        status: "pending",
      }),
    ]);
    expect((await contribution(row.id)).status).toBe("refunding");
    await deliver([
      makeEvent("charge.refunded", {
        id: "ch_1",
        object: "charge",
        payment_intent: pi,
        amount: 2300,
        amount_refunded: 2300,
        refunded: true,
      }),
    ]);
    expect((await contribution(row.id)).status).toBe("refunded");
    // a late "pending" refund update cannot move it back
    await deliver([
      makeEvent("refund.updated", {
        id: "re_1",
        object: "refund",
        payment_intent: pi,
        amount: 2300,
        status: "pending",
      }),
    ]);
    expect((await contribution(row.id)).status).toBe("refunded");
    expect(await ledgerFor(row.id)).toEqual([
      { kind: "contribution_paid", amount_cents: 2300 },
      { kind: "refund", amount_cents: 2300 },
    ]);
  });

  it("rolls back everything, event id included, when applying the event fails (so Stripe's retry works)", async () => {
    const { row, sessionId } = await open({ amountCents: 2400 });
    const events = payCheckout(sessionId);
    const completed = events[1]!;
    // Break the ledger insert for this one delivery.
    const repair = await breakInserts(database(), "ledger_entries", "disk full");
    try {
      await expect(deliver([completed])).rejects.toThrow(/disk full/);
    } finally {
      await repair();
    }
    expect((await contribution(row.id)).status).toBe("pending");
    const recorded = await database()
      .db.selectFrom("stripe_events")
      .select("id")
      .where("id", "=", completed.id)
      .execute();
    expect(recorded).toHaveLength(0);
    expect(await deliver([completed])).toEqual(["processed"]);
    expect((await contribution(row.id)).status).toBe("paid");
  });
});

describe("the contribution form", () => {
  const bounds = { minCents: 100, maxCents: 1_000_000 };
  const form = (fields: Record<string, string>) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) fd.set(k, v);
    return readContributionForm(fd);
  };

  it("parses French amounts into cents without floats", () => {
    expect(parseEurosToCents("25")).toBe(2500);
    expect(parseEurosToCents("25,5")).toBe(2550);
    expect(parseEurosToCents("25,50 €")).toBe(2550);
    expect(parseEurosToCents("1 000")).toBe(100_000);
    expect(parseEurosToCents("0,07")).toBe(7);
    expect(parseEurosToCents("12,345")).toBeNull();
    expect(parseEurosToCents("-5")).toBeNull();
    expect(parseEurosToCents("1e3")).toBeNull();
    expect(parseEurosToCents("")).toBeNull();
  });

  it("gives French messages per field", () => {
    const result = validateContributionForm(
      form({ montant: "abc", email: "pas-un-courriel", nom: "" }),
      bounds,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.montant).toMatch(/^Montant invalide/);
    expect(result.errors.email).toMatch(/^Adresse électronique invalide/);
    expect(result.errors.nom).toMatch(/^Indiquez le nom à afficher/);
    const bounded = validateContributionForm(
      form({ montant: "0,50", email: "a@example.org", nom: "A" }),
      bounds,
    );
    expect(bounded.ok ? null : bounded.errors.montant).toBe(
      "Le montant doit être compris entre 1\u00a0€ et 10\u202f000\u00a0€.",
    );
  });

  it("lets anonymous contributors leave the name empty and normalises the email", () => {
    const result = validateContributionForm(
      form({ montant: "10", email: " Marie@Example.ORG ", nom: "", anonyme: "on", masquer: "on" }),
      bounds,
    );
    expect(result).toEqual({
      ok: true,
      data: {
        amountCents: 1000,
        rewardId: null,
        email: "marie@example.org",
        publicName: "Anonyme",
        anonymous: true,
        hideAmount: true,
        message: null,
      },
    });
  });
});
