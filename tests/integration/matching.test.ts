/**
 * Abondement on the money path (docs/decisions/029-matching.md), end to end: contributions
 * opened with the real code, paid, refunded and disputed by signed Stripe events through the
 * real webhook path, settled by the real settlement pass, on a fresh database per test (SQLite
 * file, or PostgreSQL under `npm run test:pg`); reconcile (ledger and envelopes) is checked
 * after every test by reconciledDatabasePerTest.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql, type Kysely } from "kysely";
import { setupServer } from "msw/node";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "#db/schema";
import { startContribution } from "~/payments/contributions.server";
import { campaignMoney } from "~/payments/campaign-money.server";
import { processStripeEvent } from "~/payments/webhooks.server";
import { cancelCampaign, runSettlementPass } from "~/settlement/settle.server";
import { reconcile, reconcileFunds } from "~/settlement/reconcile.server";
import { handlers } from "~/demo/index.server";
import { makeEvent, payCheckout, type MockEvent } from "~/demo/stripe-api.server";
import { countOf } from "~/domain/typography";
import { matchedFigures } from "~/matching/figures.server";
import { readStatement, statementCsv, statementPdf } from "~/matching/statement.server";
import { pdfText } from "../support/pdf-text";
import { makeFund, makeLiveCampaign, type TestMatchCampaign } from "../support/matching";
import { reconciledDatabasePerTest } from "../support/reconciled-database";

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-matching-"));
process.env.DEMO_OUTBOX_PATH = path.join(workDir, "outbox.jsonl");
process.env.REFUND_RATE_PER_SECOND = "1000";
delete process.env.STRIPE_SECRET_KEY;
delete process.env.RESEND_API_KEY;

const server = setupServer(...handlers);
const HOUR = 3600_000;
let db: Kysely<DB>;

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => {
  server.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});
reconciledDatabasePerTest("matching", server, (opened) => {
  db = opened.db;
});

const campaign = (goalCents = 10_000, budgetCitoyenYear: number | null = null) =>
  makeLiveCampaign(db, { goalCents, endsAt: new Date(Date.now() + HOUR), budgetCitoyenYear });

async function deliver(events: MockEvent[]) {
  for (const e of events) await processStripeEvent(db, e as unknown as Stripe.Event);
}

async function open(c: TestMatchCampaign, amountCents: number, email = "citoyen@example.org") {
  const result = await startContribution(db, c.slug, {
    amountCents,
    rewardId: null,
    email,
    publicName: email.split("@")[0]!,
    anonymous: false,
    hideAmount: false,
    message: null,
  });
  if (!result.ok) throw new Error(`could not open: ${JSON.stringify(result)}`);
  const row = await db
    .selectFrom("contributions")
    .select(["id", "stripe_checkout_session_id"])
    .where("id", "=", result.contributionId)
    .executeTakeFirstOrThrow();
  return { id: row.id, sessionId: row.stripe_checkout_session_id! };
}

async function pay(c: TestMatchCampaign, amountCents: number, email = "citoyen@example.org") {
  const k = await open(c, amountCents, email);
  await deliver(payCheckout(k.sessionId));
  return k.id;
}

async function matchOf(contributionId: number) {
  return db
    .selectFrom("matches")
    .select(["fund_id", "amount_cents", "status", "release_reason"])
    .where("contribution_id", "=", contributionId)
    .executeTakeFirst();
}

async function fund(id: number) {
  return db
    .selectFrom("matching_funds")
    .select(["reserved_cents", "confirmed_cents"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
}

async function entries(fundId: number) {
  return (
    await db
      .selectFrom("matching_entries")
      .select(["kind", "amount_cents"])
      .where("fund_id", "=", fundId)
      .orderBy("id")
      .execute()
  ).map((e) => `${e.kind}:${e.amount_cents}`);
}

async function payload(kind: DB["email_outbox"]["kind"], key: string) {
  const row = await db
    .selectFrom("email_outbox")
    .select("payload_json")
    .where("kind", "=", kind)
    .where("idempotency_key", "=", key)
    .executeTakeFirstOrThrow();
  return JSON.parse(row.payload_json) as Record<string, unknown>;
}

async function status(campaignId: number) {
  return (
    await db.selectFrom("campaigns").select("status").where("id", "=", campaignId).executeTakeFirstOrThrow()
  ).status;
}

function settleAfter(c: TestMatchCampaign) {
  return runSettlementPass(db, { now: new Date(c.endsAt.getTime() + 1000), campaignId: c.id });
}

async function refund(contributionId: number) {
  const k = await db
    .selectFrom("contributions")
    .select(["stripe_payment_intent_id", "amount_cents"])
    .where("id", "=", contributionId)
    .executeTakeFirstOrThrow();
  await deliver([
    makeEvent("charge.refunded", {
      id: `ch_${contributionId}`,
      object: "charge",
      payment_intent: k.stripe_payment_intent_id,
      amount: k.amount_cents,
      amount_refunded: k.amount_cents,
      refunded: true,
    }),
  ]);
}

function dispute(k: { stripe_payment_intent_id: string | null; amount_cents: number }, state: string) {
  return {
    id: `dp_${k.stripe_payment_intent_id}`,
    object: "dispute",
    amount: k.amount_cents,
    payment_intent: k.stripe_payment_intent_id,
    status: state,
  };
}

describe("a paid contribution reserves its match", () => {
  it("through the signed webhook path: the match, the fund's entry, both totals and the receipt's promise", async () => {
    const c = await campaign();
    const f = await makeFund(db, { envelopeCents: 100_000, campaigns: [{ id: c.id, accepted: true }] });
    const id = await pay(c, 2500);
    expect(await matchOf(id)).toEqual({
      fund_id: f,
      amount_cents: 2500,
      status: "reserved",
      release_reason: null,
    });
    expect(await fund(f)).toEqual({ reserved_cents: 2500, confirmed_cents: 0 });
    expect(await entries(f)).toEqual(["reserved:2500"]);
    const money = await campaignMoney(db, c.id);
    expect(money).toMatchObject({ collectedCents: 2500, matchedCents: 2500 });
    // Matched money is not money the platform holds: the ledger has the citizen's payment only.
    const ledger = await db
      .selectFrom("ledger_entries")
      .select(["kind", "amount_cents"])
      .where("campaign_id", "=", c.id)
      .execute();
    expect(ledger).toEqual([{ kind: "contribution_paid", amount_cents: 2500 }]);
    expect(await payload("contribution_receipt", `receipt:${id}`)).toMatchObject({ matchedCents: 2500 });
    // The holder's percent counts both, and says the abondement apart.
    expect(await payload("holder_new_contribution", `holder-new:${id}`)).toMatchObject({
      collectedCents: 2500,
      matchedCents: 2500,
      percent: 50,
    });
  });

  it("not on a campaign whose holder has not accepted the terms, nor from a closed or finished fund", async () => {
    const c = await campaign();
    await makeFund(db, { envelopeCents: 100_000, campaigns: [{ id: c.id, accepted: false }] });
    await makeFund(db, {
      envelopeCents: 100_000,
      campaigns: [{ id: c.id, accepted: true }],
      closedAt: new Date(Date.now() - HOUR),
    });
    await makeFund(db, {
      envelopeCents: 100_000,
      campaigns: [{ id: c.id, accepted: true }],
      endsAt: new Date(Date.now() - HOUR),
    });
    const id = await pay(c, 2500);
    expect(await matchOf(id)).toBeUndefined();
    expect(await payload("contribution_receipt", `receipt:${id}`)).toMatchObject({ matchedCents: 0 });
    expect((await campaignMoney(db, c.id)).matchedCents).toBe(0);
  });

  it("scope Budget Citoyen: campaigns labelled of the fund's year only, their row added at the first match", async () => {
    const labelled = await campaign(10_000, 2026);
    const other = await campaign(10_000, 2025);
    const f = await makeFund(db, {
      envelopeCents: 100_000,
      scope: "budget_citoyen",
      budgetCitoyenYear: 2026,
    });
    const a = await pay(labelled, 1000);
    const b = await pay(other, 1000);
    expect(await matchOf(a)).toMatchObject({ fund_id: f, amount_cents: 1000 });
    expect(await matchOf(b)).toBeUndefined();
    const rows = await db
      .selectFrom("matching_fund_campaigns")
      .select(["campaign_id", "reserved_cents"])
      .execute();
    expect(rows).toEqual([{ campaign_id: labelled.id, reserved_cents: 1000 }]);
  });

  it("partial when the envelope runs low, then nothing — and the receipt promises nothing it cannot keep", async () => {
    const c = await campaign(100_000);
    const f = await makeFund(db, { envelopeCents: 3000, campaigns: [{ id: c.id, accepted: true }] });
    const first = await pay(c, 2000, "a@example.org");
    const second = await pay(c, 2000, "b@example.org");
    const third = await pay(c, 2000, "c@example.org");
    expect((await matchOf(first))?.amount_cents).toBe(2000);
    expect((await matchOf(second))?.amount_cents).toBe(1000);
    expect(await matchOf(third)).toBeUndefined();
    expect(await fund(f)).toEqual({ reserved_cents: 3000, confirmed_cents: 0 });
    expect(await payload("contribution_receipt", `receipt:${second}`)).toMatchObject({ matchedCents: 1000 });
    expect(await payload("contribution_receipt", `receipt:${third}`)).toMatchObject({ matchedCents: 0 });
  });

  it("ratio, cap per contribution and cap per campaign; the next open fund takes over when one is spent for the campaign", async () => {
    const c = await campaign(100_000);
    const half = await makeFund(db, {
      name: "Moitié",
      envelopeCents: 100_000,
      ratioBps: 5000,
      capPerContributionCents: 1500,
      capPerCampaignCents: 2500,
      campaigns: [{ id: c.id, accepted: true }],
    });
    const next = await makeFund(db, {
      name: "Suivant",
      envelopeCents: 100_000,
      campaigns: [{ id: c.id, accepted: true }],
    });
    const a = await pay(c, 2001, "a@example.org"); // 50 % of 20,01 € rounded down: 10,00 €
    const b = await pay(c, 6000, "b@example.org"); // 30 € capped per contribution: 15 €
    const d = await pay(c, 6000, "d@example.org"); // what the campaign cap leaves: 0 €, so the next fund
    expect(await matchOf(a)).toMatchObject({ fund_id: half, amount_cents: 1000 });
    expect(await matchOf(b)).toMatchObject({ fund_id: half, amount_cents: 1500 });
    expect(await matchOf(d)).toMatchObject({ fund_id: next, amount_cents: 6000 });
    expect((await campaignMoney(db, c.id)).matchedCents).toBe(8500);
  });

  it("the per-citizen rule counts a citizen's live matches on the campaign, whatever the case of the address", async () => {
    const c = await campaign(100_000);
    await makeFund(db, {
      envelopeCents: 100_000,
      matchesPerCitizen: 1,
      campaigns: [{ id: c.id, accepted: true }],
    });
    const first = await pay(c, 1000, "Alex@example.org");
    const again = await pay(c, 1000, "alex@example.org");
    const other = await pay(c, 1000, "sam@example.org");
    expect((await matchOf(first))?.amount_cents).toBe(1000);
    expect(await matchOf(again)).toBeUndefined();
    expect((await matchOf(other))?.amount_cents).toBe(1000);
    // A released match frees the citizen's quota.
    await refund(first);
    const later = await pay(c, 1000, "alex@example.org");
    expect((await matchOf(later))?.amount_cents).toBe(1000);
  });
});

describe("the match follows its contribution", () => {
  it("a refund releases it at once: the money goes back to the envelope, and no event moves it twice", async () => {
    const c = await campaign();
    const f = await makeFund(db, { envelopeCents: 100_000, campaigns: [{ id: c.id, accepted: true }] });
    const id = await pay(c, 2500);
    const k = await db
      .selectFrom("contributions")
      .select("stripe_payment_intent_id")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    // Refund decided at Stripe (pending): released already.
    await deliver([
      makeEvent("refund.updated", {
        id: "re_1",
        object: "refund",
        payment_intent: k.stripe_payment_intent_id,
        amount: 2500,
        status: "pending",
      }),
    ]);
    expect(await matchOf(id)).toMatchObject({ status: "released", release_reason: "refund" });
    await refund(id);
    expect(await fund(f)).toEqual({ reserved_cents: 0, confirmed_cents: 0 });
    expect(await entries(f)).toEqual(["reserved:2500", "released:2500"]);
    expect((await campaignMoney(db, c.id)).matchedCents).toBe(0);
  });

  it("a dispute keeps the match while open and once won; a lost one releases it", async () => {
    const c = await campaign();
    const f = await makeFund(db, { envelopeCents: 100_000, campaigns: [{ id: c.id, accepted: true }] });
    const won = await pay(c, 2000, "a@example.org");
    const lost = await pay(c, 3000, "b@example.org");
    const rows = await db
      .selectFrom("contributions")
      .select(["id", "stripe_payment_intent_id", "amount_cents"])
      .where("id", "in", [won, lost])
      .orderBy("id")
      .execute();
    for (const k of rows)
      await deliver([
        makeEvent("charge.dispute.created", dispute(k, "needs_response")),
        makeEvent("charge.dispute.funds_withdrawn", dispute(k, "needs_response")),
      ]);
    expect((await matchOf(won))?.status).toBe("reserved");
    expect((await matchOf(lost))?.status).toBe("reserved");
    await deliver([
      makeEvent("charge.dispute.funds_reinstated", dispute(rows[0]!, "won")),
      makeEvent("charge.dispute.closed", dispute(rows[0]!, "won")),
      makeEvent("charge.dispute.closed", dispute(rows[1]!, "lost")),
    ]);
    expect(await matchOf(won)).toMatchObject({ status: "reserved" });
    expect(await matchOf(lost)).toMatchObject({ status: "released", release_reason: "dispute_lost" });
    expect(await fund(f)).toEqual({ reserved_cents: 2000, confirmed_cents: 0 });
  });
});

describe("settlement", () => {
  it("funded: every reserved match confirmed in the decision; the payout and commission are on citizens' money only", async () => {
    const c = await campaign(10_000);
    const f = await makeFund(db, { envelopeCents: 100_000, campaigns: [{ id: c.id, accepted: true }] });
    await pay(c, 6000, "a@example.org");
    await pay(c, 4000, "b@example.org");
    const report = await settleAfter(c);
    expect(await status(c.id)).toBe("funded");
    expect(report.lines.join("\n")).toContain("100\u00a0€ collectés et 100\u00a0€ d’abondement");
    expect(await fund(f)).toEqual({ reserved_cents: 0, confirmed_cents: 10_000 });
    expect(await entries(f)).toEqual(["reserved:6000", "reserved:4000", "confirmed:6000", "confirmed:4000"]);
    const payouts = await db
      .selectFrom("payouts")
      .select(["gross_cents", "commission_bps", "commission_cents", "amount_cents"])
      .where("campaign_id", "=", c.id)
      .execute();
    expect(payouts).toEqual([
      { gross_cents: 10_000, commission_bps: 300, commission_cents: 300, amount_cents: 9700 },
    ]);
    // The transfer to the holder carries citizens' money less the commission, nothing of the abondement.
    const transfer = await db
      .selectFrom("ledger_entries")
      .select(["kind", "amount_cents"])
      .where("campaign_id", "=", c.id)
      .where("kind", "in", ["payout", "commission"])
      .orderBy("kind")
      .execute();
    expect(transfer).toEqual([
      { kind: "commission", amount_cents: 300 },
      { kind: "payout", amount_cents: 9700 },
    ]);
  });

  it("the goal is reached thanks to the abondement: funded, though citizens gave half", async () => {
    const c = await campaign(10_000);
    const f = await makeFund(db, { envelopeCents: 100_000, campaigns: [{ id: c.id, accepted: true }] });
    await pay(c, 5000, "solo@example.org");
    expect(await campaignMoney(db, c.id)).toMatchObject({ collectedCents: 5000, matchedCents: 5000 });
    await settleAfter(c);
    expect(await status(c.id)).toBe("funded");
    // The messages say the goal was reached with the abondement, shown apart from citizens' money.
    expect(await payload("campaign_funded_holder", `funded-holder:${c.id}`)).toMatchObject({
      collectedCents: 5000,
      matchedCents: 5000,
      payoutCents: 4850,
    });
    expect(await payload("campaign_funded_contributor", `funded:${c.id}:solo@example.org`)).toMatchObject({
      collectedCents: 5000,
      matchedCents: 5000,
      amountCents: 5000,
    });
    expect(await fund(f)).toEqual({ reserved_cents: 0, confirmed_cents: 5000 });
    const payout = await db
      .selectFrom("payouts")
      .select(["gross_cents", "amount_cents"])
      .where("campaign_id", "=", c.id)
      .executeTakeFirstOrThrow();
    expect(payout).toEqual({ gross_cents: 5000, amount_cents: 4850 });
  });

  it("failed: every match released in the decision, then refunds change nothing more", async () => {
    const c = await campaign(100_000);
    const f = await makeFund(db, { envelopeCents: 100_000, campaigns: [{ id: c.id, accepted: true }] });
    const a = await pay(c, 2000, "a@example.org");
    await pay(c, 3000, "b@example.org");
    await settleAfter(c);
    expect(await status(c.id)).toBe("failed");
    expect(await matchOf(a)).toMatchObject({ status: "released", release_reason: "failed" });
    expect(await fund(f)).toEqual({ reserved_cents: 0, confirmed_cents: 0 });
    await settleAfter(c); // refunds go through
    expect(await entries(f)).toEqual(["reserved:2000", "reserved:3000", "released:2000", "released:3000"]);
  });

  it("cancelled: released with the cancellation; a later payment on it is not matched", async () => {
    const c = await campaign(100_000);
    const f = await makeFund(db, { envelopeCents: 100_000, campaigns: [{ id: c.id, accepted: true }] });
    const a = await pay(c, 2000);
    const late = await open(c, 2000, "tard@example.org");
    const events = payCheckout(late.sessionId); // paid at Stripe before the cancellation, told after
    await cancelCampaign(db, c.id, { reason: "Le lieu prévu n’est plus disponible." });
    expect(await matchOf(a)).toMatchObject({ status: "released", release_reason: "cancelled" });
    await deliver(events);
    expect(await matchOf(late.id)).toBeUndefined();
    expect(await fund(f)).toEqual({ reserved_cents: 0, confirmed_cents: 0 });
    await settleAfter(c); // refunds both
    expect(await entries(f)).toEqual(["reserved:2000", "released:2000"]);
  });

  it("a dispute lost after funding releases the confirmed match (the statement lists it apart, out of the total due)", async () => {
    const c = await campaign(5000);
    const f = await makeFund(db, { envelopeCents: 100_000, campaigns: [{ id: c.id, accepted: true }] });
    const a = await pay(c, 3000, "a@example.org");
    await pay(c, 3000, "b@example.org");
    await settleAfter(c);
    expect(await fund(f)).toEqual({ reserved_cents: 0, confirmed_cents: 6000 });
    const k = await db
      .selectFrom("contributions")
      .select(["stripe_payment_intent_id", "amount_cents"])
      .where("id", "=", a)
      .executeTakeFirstOrThrow();
    await deliver([
      makeEvent("charge.dispute.created", dispute(k, "needs_response")),
      makeEvent("charge.dispute.funds_withdrawn", dispute(k, "needs_response")),
      makeEvent("charge.dispute.closed", dispute(k, "lost")),
    ]);
    expect(await matchOf(a)).toMatchObject({ status: "released", release_reason: "dispute_lost" });
    expect(await fund(f)).toEqual({ reserved_cents: 0, confirmed_cents: 3000 });
    expect(await entries(f)).toEqual([
      "reserved:3000",
      "reserved:3000",
      "confirmed:3000",
      "confirmed:3000",
      "released:3000",
    ]);
    // The statement still names it, apart and out of the total due: the Département may have paid it.
    const result = await readStatement(db, f, c.id);
    if (!result.ok) throw new Error(result.message);
    const s = result.statement;
    const ref = `PRP-${String(a).padStart(6, "0")}`;
    expect(s.lines.map((l) => l.reference)).not.toContain(ref);
    expect(s).toMatchObject({
      totalContributionCents: 3000,
      totalMatchedCents: 3000,
      totalWithdrawnCents: 3000,
    });
    expect(s.withdrawn).toEqual([
      expect.objectContaining({
        reference: ref,
        contributionCents: 3000,
        matchedCents: 3000,
        reason: "dispute_lost",
      }),
    ]);
    const csv = statementCsv(s)
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    expect(csv[0]).toMatch(/;Abondement \(€\);Situation$/);
    expect(csv).toHaveLength(4);
    expect(csv[2]).toMatch(/;Total dû \(1 contribution\);;30,00;30,00;$/);
    expect(csv[3]).toMatch(
      new RegExp(`;${ref};.+;30,00;30,00;Retiré le .+ \\(contestation bancaire perdue\\), hors total$`),
    );
    const pdf = (await pdfText(await statementPdf(s, new Date()))).text.replace(/\s+/g, " ");
    expect(pdf).toContain("Abondements retirés après la réussite");
    expect(pdf).toContain(ref);
    expect(pdf).toContain("contestation bancaire perdue");
    expect(pdf).toMatch(/Total retiré \(1 contribution\) 30 € 30 €/);
  });
});

describe("key figures", () => {
  it("count matched money confirmed, per year and per campaign, apart from citizens' money", async () => {
    const funded = await campaign(2000);
    const live = await campaign(100_000);
    const failed = await campaign(100_000);
    await makeFund(db, {
      envelopeCents: 100_000,
      campaigns: [funded, live, failed].map((c) => ({ id: c.id, accepted: true })),
    });
    await pay(funded, 1500, "a@example.org");
    await pay(live, 700, "b@example.org");
    await pay(failed, 900, "c@example.org");
    await settleAfter(funded);
    await settleAfter(failed);
    const figures = await matchedFigures(db);
    const year = Number(
      new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", year: "numeric" }).format(
        new Date(funded.endsAt.getTime() + 1000),
      ),
    );
    expect(figures.perYear).toEqual([{ year, matchedCents: 1500, campaigns: 1 }]);
    expect([...figures.perCampaign]).toEqual([[funded.id, 1500]]);
    expect(figures.totalCents).toBe(1500);
    // Citizens' money is untouched by it.
    expect((await campaignMoney(db, funded.id)).collectedCents).toBe(1500);
  });
});

describe("the Département's statement", () => {
  it("lists each confirmed match of a funded campaign, in CSV and PDF, French and typeset; none before funding", async () => {
    const c = await campaign(5000);
    const f = await makeFund(db, {
      name: "Budget Citoyen 2026",
      envelopeCents: 100_000,
      ratioBps: 5000,
      campaigns: [{ id: c.id, accepted: true }],
    });
    const a = await pay(c, 3000, "a@example.org");
    const b = await pay(c, 1250, "b@example.org");
    const gone = await pay(c, 2000, "c@example.org");
    await refund(gone);
    expect(await readStatement(db, f, c.id)).toMatchObject({ ok: false, status: 409 });
    expect(await readStatement(db, f, 999_999)).toMatchObject({ ok: false, status: 404 });
    await settleAfter(c);
    const result = await readStatement(db, f, c.id);
    if (!result.ok) throw new Error(result.message);
    const s = result.statement;
    expect(s.lines.map((l) => [l.reference, l.contributionCents, l.matchedCents])).toEqual([
      [`PRP-${String(a).padStart(6, "0")}`, 3000, 1500],
      [`PRP-${String(b).padStart(6, "0")}`, 1250, 625],
    ]);
    expect(s).toMatchObject({ totalContributionCents: 4250, totalMatchedCents: 2125 });

    const csv = statementCsv(s);
    const lines = csv
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      "Fonds d’abondement;Campagne;Structure;Référence de la contribution;Date du paiement (heure de Paris);Contribution (€);Abondement (€);Situation",
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      new RegExp(
        `^Budget Citoyen 2026;${s.campaign.title};${s.structure.name};PRP-0*${a};.+;30,00;15,00;Dû$`,
      ),
    );
    expect(lines[3]).toBe(
      `Budget Citoyen 2026;${s.campaign.title};${s.structure.name};Total dû (${countOf(2, "contribution", "contributions")});;42,50;21,25;`,
    );
    // Refunded before funding: its match was never due, so the statement does not name it.
    expect(s.withdrawn).toEqual([]);
    expect(csv).not.toContain(`PRP-${String(gone).padStart(6, "0")}`);

    const pdf = await pdfText(await statementPdf(s, new Date("2027-01-15T09:30:00Z")));
    const text = pdf.text.replace(/\s+/g, " ");
    expect(text).toContain("Relevé d’abondement du Département");
    expect(text).toContain("Établi le 15 janvier 2027");
    expect(text).toContain("Budget Citoyen 2026 (0,50 € pour 1 €)");
    expect(text).toContain(s.structure.name);
    expect(text).toContain(`PRP-${String(a).padStart(6, "0")}`);
    expect(text).toMatch(/Total dû \(2 contributions\) 42,50 € 21,25 €/);
    expect(text).not.toContain("Abondements retirés");
    expect(text).toContain("aucune commission et n’ouvre droit à aucun reçu fiscal");
    expect(text).not.toContain(`PRP-${String(gone).padStart(6, "0")}`);
  });
});

describe("reconcile", () => {
  it("is clean after a whole life, and catches a tampered total, a tampered match and a stray reservation", async () => {
    const c = await campaign(5000);
    const f = await makeFund(db, { envelopeCents: 100_000, campaigns: [{ id: c.id, accepted: true }] });
    const a = await pay(c, 3000, "a@example.org");
    await pay(c, 3000, "b@example.org");
    await settleAfter(c);
    expect((await reconcile(db)).flatMap((b) => b.problems)).toEqual([]);
    expect(await reconcileFunds(db)).toEqual([
      expect.objectContaining({
        fundId: f,
        envelopeCents: 100_000,
        confirmedCents: 6000,
        availableCents: 94_000,
        problems: [],
      }),
    ]);

    await sql`update matching_funds set confirmed_cents = confirmed_cents + 1 where id = ${f}`.execute(db);
    const tampered = (await reconcileFunds(db))[0]!.problems;
    expect(tampered.join("\n")).toContain("≠ abondements 0 / 6000");
    expect(tampered.join("\n")).toContain("≠ écritures 0 / 6000");
    await sql`update matching_funds set confirmed_cents = confirmed_cents - 1 where id = ${f}`.execute(db);
    expect((await reconcileFunds(db))[0]!.problems).toEqual([]);

    await sql`update matches set amount_cents = 2999 where contribution_id = ${a}`.execute(db);
    const problems = (await reconcile(db)).find((b) => b.campaignId === c.id)!.problems.join("\n");
    expect(problems).toContain("abondements réservés 0 / confirmés 5999");
    expect(problems).toContain("ses écritures disent confirmed 3000");
    await sql`update matches set amount_cents = 3000 where contribution_id = ${a}`.execute(db);

    await sql`update matches set status = 'reserved' where contribution_id = ${a}`.execute(db);
    const stray = (await reconcile(db)).find((b) => b.campaignId === c.id)!.problems.join("\n");
    expect(stray).toContain("encore réservé sur une campagne funded");
    await sql`update matches set status = 'confirmed' where contribution_id = ${a}`.execute(db);

    await sql`update contributions set status = 'refunded' where id = ${a}`.execute(db);
    const refunded = (await reconcile(db)).find((b) => b.campaignId === c.id)!.problems.join("\n");
    expect(refunded).toContain("confirmé pour une contribution refunded");
    await sql`update contributions set status = 'paid' where id = ${a}`.execute(db);
  });

  it("the CHECK refuses a total above the envelope, whatever the code", async () => {
    const c = await campaign();
    const f = await makeFund(db, { envelopeCents: 1000, campaigns: [{ id: c.id, accepted: true }] });
    await expect(
      sql`update matching_funds set reserved_cents = 1001 where id = ${f}`.execute(db),
    ).rejects.toThrow();
  });
});
