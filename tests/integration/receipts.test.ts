/**
 * Tax receipts on the money path, end to end (issue 14): real contributions paid through the
 * Stripe stand-in, the real settlement pass, the real webhooks; a fresh database per test
 * (SQLite, or PostgreSQL under `npm run test:pg`), reconciled after each test.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { setupServer } from "msw/node";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "#db/schema";
import { handlers } from "~/demo/index.server";
import { makeEvent, payCheckout, type MockEvent } from "~/demo/stripe-api.server";
import { amountInWords } from "~/receipts/amount-words";
import { receiptPdfBytes } from "~/receipts/pdf-file.server";
import { sha256 } from "~/receipts/pdf.server";
import { parseSnapshot } from "~/receipts/snapshot";
import { startContribution } from "~/payments/contributions.server";
import { processStripeEvent } from "~/payments/webhooks.server";
import { runRetentionPurge } from "~/account/retention-purge.server";
import { retentionPeriods } from "~/retention.server";
import { runSettlementPass } from "~/settlement/settle.server";
import { storage } from "~/storage.server";
import { pdfText } from "../support/pdf-text";
import { reconciledDatabasePerTest } from "../support/reconciled-database";
import { receiptMentions } from "../support/receipt-snapshot";
import { createVerifiedReceiptProfile, requestReceipt } from "../support/receipts";

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-receipts-"));
process.env.DEMO_OUTBOX_PATH = path.join(workDir, "outbox.jsonl");
process.env.UPLOADS_DIR = path.join(workDir, "uploads");
process.env.REFUND_RATE_PER_SECOND = "1000";
delete process.env.STRIPE_SECRET_KEY;
delete process.env.RESEND_API_KEY;

const server = setupServer(...handlers);
const HOUR = 3600_000;
const DAY = 24 * HOUR;
let db: Kysely<DB>;

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => {
  server.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});
reconciledDatabasePerTest("receipts", server, (opened) => {
  db = opened.db;
});

let counter = 0;
async function makeCampaign(options: { goalCents: number; account?: string | null }) {
  const n = ++counter;
  const created = new Date(Date.now() - 60 * DAY).toISOString();
  const holderEmail = `porteur-${n}@example.org`;
  const account = options.account === undefined ? `acct_test_recus${n}` : options.account;
  const user = await db
    .insertInto("users")
    .values({ email: holderEmail, display_name: `Porteur ${n}`, role: "holder", created_at: created })
    .returning("id")
    .executeTakeFirstOrThrow();
  const org = await db
    .insertInto("organizations")
    .values({
      owner_user_id: user.id,
      name: `Les Jardins d’Arras ${n}`,
      legal_form: "association",
      registration_number: null,
      town: "Arras",
      territory_id: 1,
      stripe_account_id: account,
      stripe_payouts_enabled: account ? 1 : 0,
      created_at: created,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const endsAt = new Date(Date.now() + HOUR);
  const slug = `jardin-${n}`;
  const campaign = await db
    .insertInto("campaigns")
    .values({
      organization_id: org.id,
      slug,
      title: `Un jardin pour tous ${n}`,
      summary: "Résumé",
      story_md: "Histoire",
      goal_cents: options.goalCents,
      starts_at: new Date(Date.now() - 10 * DAY).toISOString(),
      ends_at: endsAt.toISOString(),
      territory_id: 1,
      theme_id: 1,
      budget_citoyen_year: null,
      expected_results_md: "-",
      timetable_md: "-",
      image_path: null,
      status: "live",
      created_at: created,
      updated_at: created,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await createVerifiedReceiptProfile(db, org.id);
  return { id: campaign.id, slug, orgId: org.id, holderEmail, endsAt };
}

async function deliver(events: MockEvent[]) {
  for (const e of events) await processStripeEvent(db, e as unknown as Stripe.Event);
}

async function pay(c: { slug: string }, amountCents: number, email: string, rewardId: number | null = null) {
  const result = await startContribution(db, c.slug, {
    amountCents,
    rewardId,
    email,
    publicName: email.split("@")[0]!,
    anonymous: false,
    hideAmount: false,
    message: null,
  });
  if (!result.ok) throw new Error(`could not open a contribution: ${JSON.stringify(result)}`);
  const row = await db
    .selectFrom("contributions")
    .select(["id", "stripe_checkout_session_id"])
    .where("id", "=", result.contributionId)
    .executeTakeFirstOrThrow();
  await deliver(payCheckout(row.stripe_checkout_session_id!));
  return row.id;
}

const receipts = () => db.selectFrom("receipts").selectAll().orderBy("number").execute();
const outbox = (kind: DB["email_outbox"]["kind"]) =>
  db
    .selectFrom("email_outbox")
    .select(["to_email", "idempotency_key", "payload_json"])
    .where("kind", "=", kind)
    .orderBy("id")
    .execute();

describe("tax receipts when a campaign settles", () => {
  it("a funded campaign with 100 contributions, 60 asking: 60 receipts numbered 1–60, every mention in each PDF", async () => {
    const c = await makeCampaign({ goalCents: 100_000 });
    const reward = await db
      .insertInto("rewards")
      .values({
        campaign_id: c.id,
        title: "Un panier de légumes",
        description: "De saison",
        minimum_cents: 5_000,
        stock: null,
        held: 0,
        sold: 0,
        value_cents: 1_000,
        position: 1,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const asked: number[] = [];
    for (let i = 0; i < 100; i++) {
      const amount = 2_000 + i * 37;
      const withReward = i % 10 === 0 && amount >= 5_000;
      const id = await pay(
        c,
        withReward ? Math.max(amount, 5_000) : amount,
        `donateur-${i}@example.org`,
        withReward ? reward.id : null,
      );
      if (i % 5 < 3) {
        await requestReceipt(db, id);
        asked.push(id);
      }
    }
    expect(asked).toHaveLength(60);
    const report = await runSettlementPass(db, { now: new Date(c.endsAt.getTime() + 1000) });
    expect(report).toMatchObject({ funded: 1, errors: 0 });

    const rows = await receipts();
    expect(rows.map((r) => r.number)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.contribution_id))).toEqual(new Set(asked));
    const year = rows[0]!.year;
    expect(rows.every((r) => r.year === year && r.status === "issued")).toBe(true);
    expect(rows.map((r) => r.order_number)).toEqual(
      rows.map((r) => `${year}-${String(r.number).padStart(4, "0")}`),
    );

    for (const r of rows) {
      const snapshot = parseSnapshot(r.snapshot_json);
      const { text } = await pdfText(await receiptPdfBytes(r));
      const mentions = receiptMentions(snapshot, {
        amount: amountInWords(snapshot.amountCents),
        deductible: amountInWords(snapshot.deductibleCents),
      });
      for (const mention of mentions) expect(text, `receipt ${r.order_number}`).toContain(mention);
      expect(snapshot.signer.image).not.toBeNull();
      expect(r.amount_cents - r.deductible_cents).toBe(snapshot.reward ? 1_000 : 0);
    }
    expect(rows.some((r) => parseSnapshot(r.snapshot_json).reward !== null)).toBe(true);
    // One e-mail per receipt, to its donor, with its download link.
    const mails = await outbox("tax_receipt_issued");
    expect(mails.map((m) => m.idempotency_key).sort()).toEqual(asked.map((id) => `tax-receipt:${id}`).sort());

    // Another pass issues nothing more.
    await runSettlementPass(db, { now: new Date(c.endsAt.getTime() + 2000) });
    expect(await receipts()).toHaveLength(60);
  }, 240_000);

  it("a contribution refunded after issuance cancels its receipt (never deleted nor renumbered); donor and holder are told", async () => {
    // No payout account: the money stays on the platform, so a refund reconciles.
    const c = await makeCampaign({ goalCents: 5_000, account: null });
    const a = await pay(c, 3_000, "a@example.org");
    const b = await pay(c, 4_000, "b@example.org");
    await requestReceipt(db, a);
    await requestReceipt(db, b);
    await runSettlementPass(db, { now: new Date(c.endsAt.getTime() + 1000) });
    expect((await receipts()).map((r) => [r.contribution_id, r.number, r.status])).toEqual([
      [a, 1, "issued"],
      [b, 2, "issued"],
    ]);
    const k = await db.selectFrom("contributions").selectAll().where("id", "=", a).executeTakeFirstOrThrow();
    await deliver([
      makeEvent("charge.refunded", {
        id: "ch_dashboard",
        object: "charge",
        payment_intent: k.stripe_payment_intent_id,
        amount: 3_000,
        amount_refunded: 3_000,
        refunded: true,
      }),
    ]);
    const after = await receipts();
    expect(after.map((r) => [r.contribution_id, r.number, r.status])).toEqual([
      [a, 1, "cancelled"],
      [b, 2, "issued"],
    ]);
    expect(after[0]!.cancel_reason).toBe("don remboursé au donateur");
    const { text } = await pdfText(await receiptPdfBytes(after[0]!));
    expect(text).toContain("ANNULÉ le");
    expect(text).toContain(`Numéro d’ordre du reçu : ${after[0]!.order_number}`);
    expect((await outbox("tax_receipt_cancelled")).map((m) => m.to_email)).toEqual([
      "a@example.org",
      c.holderEmail,
    ]);
  });

  it("a dispute lost after issuance cancels the receipt; an open dispute holds the issuance back", async () => {
    const c = await makeCampaign({ goalCents: 5_000, account: null });
    const a = await pay(c, 3_000, "a@example.org");
    const b = await pay(c, 3_000, "b@example.org");
    await requestReceipt(db, a);
    await requestReceipt(db, b);
    const pi = async (id: number) =>
      (
        await db
          .selectFrom("contributions")
          .select("stripe_payment_intent_id")
          .where("id", "=", id)
          .executeTakeFirstOrThrow()
      ).stripe_payment_intent_id;
    const dispute = async (id: number, status: string) => ({
      id: `dp_${id}`,
      object: "dispute",
      amount: 3_000,
      payment_intent: await pi(id),
      status,
    });
    // b is disputed before the deadline: its receipt waits.
    await deliver([makeEvent("charge.dispute.created", await dispute(b, "needs_response"))]);
    await runSettlementPass(db, { now: new Date(c.endsAt.getTime() + 1000) });
    expect((await receipts()).map((r) => r.contribution_id)).toEqual([a]);
    // a's payment is then lost to a dispute: cancelled.
    await deliver([
      makeEvent("charge.dispute.created", await dispute(a, "needs_response")),
      makeEvent("charge.dispute.funds_withdrawn", await dispute(a, "needs_response")),
      makeEvent("charge.dispute.closed", await dispute(a, "lost")),
    ]);
    expect((await receipts()).map((r) => r.status)).toEqual(["cancelled"]);
    // b's dispute is won: its receipt is issued with the next number.
    await deliver([makeEvent("charge.dispute.closed", await dispute(b, "won"))]);
    await runSettlementPass(db, { now: new Date(c.endsAt.getTime() + 2000) });
    expect((await receipts()).map((r) => [r.contribution_id, r.number, r.status])).toEqual([
      [a, 1, "cancelled"],
      [b, 2, "issued"],
    ]);
  });

  it("a failed campaign issues none", async () => {
    const c = await makeCampaign({ goalCents: 100_000 });
    const a = await pay(c, 3_000, "a@example.org");
    await requestReceipt(db, a);
    const report = await runSettlementPass(db, { now: new Date(c.endsAt.getTime() + 1000) });
    expect(report.failed).toBe(1);
    await runSettlementPass(db, { now: new Date(c.endsAt.getTime() + 2000) });
    expect(await receipts()).toEqual([]);
    expect(await outbox("tax_receipt_issued")).toEqual([]);
  });
});

describe("tax receipts after their retention period", () => {
  it("the purge erases the donor from the snapshot, the stored PDF and the request; number, date, amount stay; once", async () => {
    const c = await makeCampaign({ goalCents: 5_000, account: null });
    const a = await pay(c, 3_000, "retention-a@example.org");
    const b = await pay(c, 4_000, "retention-b@example.org");
    await requestReceipt(db, a, { street: "7 rue des Tilleuls", town: "Liévin" });
    await requestReceipt(db, b, { street: "7 rue des Tilleuls", town: "Liévin" });
    await runSettlementPass(db, { now: new Date(c.endsAt.getTime() + 1000) });
    // b is refunded: its cancelled receipt is a receipt of the register too.
    const kb = await db.selectFrom("contributions").selectAll().where("id", "=", b).executeTakeFirstOrThrow();
    await deliver([
      makeEvent("charge.refunded", {
        id: "ch_retention",
        object: "charge",
        payment_intent: kb.stripe_payment_intent_id,
        amount: 4_000,
        amount_refunded: 4_000,
        refunded: true,
      }),
    ]);
    const issued = await receipts();
    expect(issued.map((r) => [r.contribution_id, r.number, r.status])).toEqual([
      [a, 1, "issued"],
      [b, 2, "cancelled"],
    ]);
    const donorText = async (r: (typeof issued)[number]) => (await pdfText(await receiptPdfBytes(r))).text;
    for (const r of issued) {
      const text = await donorText(r);
      expect(text).toContain(`DUPRÉ-${r.contribution_id} Hélène`);
      expect(text).toContain("7 rue des Tilleuls");
    }

    const years = retentionPeriods().receiptYears;
    expect(years).toBe(6);
    const issuedAt = new Date(issued[0]!.issued_at);
    const justBefore = new Date(issuedAt);
    justBefore.setUTCFullYear(justBefore.getUTCFullYear() + years);
    justBefore.setUTCDate(justBefore.getUTCDate() - 1);
    expect((await runRetentionPurge(db, { now: justBefore })).receiptsAnonymised).toBe(0);
    expect((await receipts()).map((r) => r.snapshot_json)).toEqual(issued.map((r) => r.snapshot_json));

    const after = new Date(justBefore.getTime() + 2 * DAY);
    const first = await runRetentionPurge(db, { now: after });
    expect(first.receiptsAnonymised).toBe(2);
    const rows = await receipts();
    for (const [i, r] of rows.entries()) {
      const before = issued[i]!;
      // The register is complete: number, year, order number, amounts, structure, status, dates as issued.
      expect({ ...r, snapshot_json: "", pdf_sha256: "", anonymised_at: null }).toEqual({
        ...before,
        snapshot_json: "",
        pdf_sha256: "",
      });
      expect(r.anonymised_at).toBe(after.toISOString());
      const snapshot = parseSnapshot(r.snapshot_json);
      const was = parseSnapshot(before.snapshot_json);
      expect(snapshot.donor).toEqual({
        firstName: "",
        lastName: "",
        street: "",
        postalCode: "",
        town: "",
        country: "",
      });
      expect(snapshot.donorErasedAt).toBe(after.toISOString());
      expect({ ...snapshot, donor: was.donor, donorErasedAt: undefined }).toEqual({
        ...was,
        donorErasedAt: undefined,
      });
      expect(JSON.stringify(snapshot)).not.toContain("Dupré");
      // The stored file is the document without the donor, and matches the row's hash.
      const stored = await storage().get(r.pdf_path);
      expect(stored).not.toBeNull();
      expect(sha256(stored!)).toBe(r.pdf_sha256);
      for (const text of [(await pdfText(stored!)).text, await donorText(r)]) {
        expect(text).not.toContain("Dupré");
        expect(text).not.toContain("DUPRÉ");
        expect(text).not.toContain("Hélène");
        expect(text).not.toContain("Tilleuls");
        expect(text).not.toContain("Liévin");
        expect(text).toContain(`Numéro d’ordre du reçu : ${r.order_number}`);
        expect(text).toContain("Nom et adresse du donateur effacés le");
        expect(text).toContain(was.beneficiary.name);
      }
    }
    expect((await pdfText(await receiptPdfBytes(rows[1]!))).text).toContain("ANNULÉ le");
    // The requests are blank too; the contributions keep their amounts, without the donor's address.
    const requests = await db.selectFrom("receipt_requests").selectAll().orderBy("contribution_id").execute();
    expect(requests.map((q) => [q.first_name, q.last_name, q.street, q.postal_code, q.town])).toEqual([
      ["", "", "", "", ""],
      ["", "", "", "", ""],
    ]);
    const contributions = await db
      .selectFrom("contributions")
      .select(["email", "amount_cents"])
      .where("id", "in", [a, b])
      .orderBy("id")
      .execute();
    expect(contributions.map((k) => k.amount_cents)).toEqual([3_000, 4_000]);
    expect(contributions.every((k) => k.email.endsWith("@anonyme.invalid"))).toBe(true);

    // Idempotent: nothing more the next time.
    const again = await runRetentionPurge(db, { now: new Date(after.getTime() + DAY) });
    expect(again.receiptsAnonymised).toBe(0);
    expect((await receipts()).map((r) => [r.snapshot_json, r.pdf_sha256, r.anonymised_at])).toEqual(
      rows.map((r) => [r.snapshot_json, r.pdf_sha256, r.anonymised_at]),
    );
  }, 60_000);
});
