/**
 * Receipt numbers without gaps (app/receipts/numbering.server.ts) under real concurrency: 50
 * issuances of distinct contributions at once, spread over several connections to one SQLite
 * file (as several processes would hold) — or, under `npm run test:pg`, over two pools on one
 * PostgreSQL database (two servers) — give exactly 1…50, no gap, no duplicate; issuing the same
 * contribution from two connections at once gives one receipt.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { issueReceipt } from "~/receipts/issue.server";
import { orderNumber } from "~/receipts/numbering.server";
import { renderReceiptPdf, sha256 } from "~/receipts/pdf.server";
import { parseSnapshot } from "~/receipts/snapshot";
import { storage } from "~/storage.server";
import { onPostgres, tempDatabasePath } from "../support/db";
import {
  createCampaignRows,
  createVerifiedReceiptProfile,
  insertPaidContribution,
  requestReceipt,
} from "../support/receipts";

const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-receipt-numbers-"));
process.env.UPLOADS_DIR = uploads;
afterAll(() => fs.rmSync(uploads, { recursive: true, force: true }));

let handles: Database[] = [];
let drop: () => void;
let n = 0;

beforeEach(async () => {
  const tmp = tempDatabasePath(`receipt-numbers-${++n}`);
  drop = tmp.cleanup;
  const first = openDatabase(tmp.file, onPostgres ? { poolSize: 10 } : {});
  await migrateToLatest(first.db);
  // Other connections, as other processes (SQLite) or another server's pool (PostgreSQL).
  const others = Array.from({ length: onPostgres ? 1 : 4 }, () =>
    openDatabase(tmp.file, onPostgres ? { poolSize: 10 } : {}),
  );
  handles = [first, ...others];
});

afterEach(async () => {
  for (const h of handles) await h.close();
  drop();
});

const NOW = new Date("2026-12-02T09:30:00.000Z");

describe("receipt numbering", () => {
  it("50 concurrent issuances give numbers 1 to 50, no gap, no duplicate", async () => {
    const db = handles[0]!.db;
    const c = await createCampaignRows(db, { n: 1 });
    const other = await createCampaignRows(db, { n: 2 });
    await createVerifiedReceiptProfile(db, c.orgId);
    await createVerifiedReceiptProfile(db, other.orgId);
    const ids: number[] = [];
    for (let i = 0; i < 50; i++) {
      const id = await insertPaidContribution(db, c.campaignId, 1_000 + i, `donateur-${i}@example.org`);
      await requestReceipt(db, id);
      ids.push(id);
    }
    // Another structure's receipts, issued at the same time, have their own numbers.
    const otherIds: number[] = [];
    for (let i = 0; i < 5; i++) {
      const id = await insertPaidContribution(db, other.campaignId, 2_000, `autre-${i}@example.org`);
      await requestReceipt(db, id);
      otherIds.push(id);
    }
    const outcomes = await Promise.all(
      [...ids, ...otherIds].map((id, i) => issueReceipt(handles[i % handles.length]!.db, id, NOW)),
    );
    expect(outcomes.every((o) => o.kind === "issued")).toBe(true);

    const rows = await db
      .selectFrom("receipts")
      .select(["organization_id", "contribution_id", "year", "number", "order_number"])
      .orderBy("organization_id")
      .orderBy("number")
      .execute();
    const mine = rows.filter((r) => r.organization_id === c.orgId);
    expect(mine.map((r) => r.number)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(mine.map((r) => r.order_number)).toEqual(mine.map((r) => orderNumber(2026, r.number)));
    expect(new Set(mine.map((r) => r.contribution_id)).size).toBe(50);
    expect(rows.filter((r) => r.organization_id === other.orgId).map((r) => r.number)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(await db.selectFrom("receipt_counters").selectAll().orderBy("organization_id").execute()).toEqual([
      { organization_id: c.orgId, year: 2026, last_number: 50 },
      { organization_id: other.orgId, year: 2026, last_number: 5 },
    ]);
    // Every issued receipt sends its e-mail once.
    const mails = await db
      .selectFrom("email_outbox")
      .select("idempotency_key")
      .where("kind", "=", "tax_receipt_issued")
      .execute();
    expect(mails).toHaveLength(55);
  });

  it("the same contribution issued from several connections at once gives one receipt and no gap", async () => {
    const db = handles[0]!.db;
    const c = await createCampaignRows(db, { n: 3 });
    await createVerifiedReceiptProfile(db, c.orgId);
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) {
      const id = await insertPaidContribution(db, c.campaignId, 5_000, `double-${i}@example.org`);
      await requestReceipt(db, id);
      ids.push(id);
    }
    // Each contribution issued by every connection at the same time.
    const outcomes = await Promise.all(ids.flatMap((id) => handles.map((h) => issueReceipt(h.db, id, NOW))));
    expect(outcomes.filter((o) => o.kind === "issued")).toHaveLength(10);
    expect(outcomes.filter((o) => o.kind !== "issued").every((o) => o.kind === "not_due")).toBe(true);
    const numbers = (await db.selectFrom("receipts").select("number").orderBy("number").execute()).map(
      (r) => r.number,
    );
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // A second pass issues nothing more.
    expect((await issueReceipt(db, ids[0]!, NOW)).kind).toBe("not_due");
  });

  it("the stored PDF is the snapshot's rendering, byte for byte, with its hash", async () => {
    const db = handles[0]!.db;
    const c = await createCampaignRows(db, { n: 4 });
    await createVerifiedReceiptProfile(db, c.orgId);
    const id = await insertPaidContribution(db, c.campaignId, 10_000, "pdf@example.org");
    await requestReceipt(db, id);
    const outcome = await issueReceipt(db, id, NOW);
    expect(outcome.kind).toBe("issued");
    const r = await db
      .selectFrom("receipts")
      .selectAll()
      .where("contribution_id", "=", id)
      .executeTakeFirstOrThrow();
    const stored = await storage().get(r.pdf_path);
    expect(stored).not.toBeNull();
    expect(sha256(stored!)).toBe(r.pdf_sha256);
    const rebuilt = await renderReceiptPdf(parseSnapshot(r.snapshot_json));
    expect(rebuilt.equals(stored!)).toBe(true);
    // A later edit of the profile changes nothing in the issued receipt.
    await db
      .updateTable("receipt_profiles")
      .set({ signer_name: "Autre Personne", street: "1 rue Neuve" })
      .execute();
    expect((await renderReceiptPdf(parseSnapshot(r.snapshot_json))).equals(stored!)).toBe(true);
  });

  it("nothing is issued without a signature image, nor for a structure not verified", async () => {
    const db = handles[0]!.db;
    const unsigned = await createCampaignRows(db, { n: 5 });
    await createVerifiedReceiptProfile(db, unsigned.orgId, { signature: false });
    const declared = await createCampaignRows(db, { n: 6 });
    await createVerifiedReceiptProfile(db, declared.orgId, { status: "declared" });
    const a = await insertPaidContribution(db, unsigned.campaignId, 10_000, "a@example.org");
    const b = await insertPaidContribution(db, declared.campaignId, 10_000, "b@example.org");
    await requestReceipt(db, a);
    await requestReceipt(db, b);
    expect((await issueReceipt(db, a, NOW)).kind).toBe("no_signature");
    expect((await issueReceipt(db, b, NOW)).kind).toBe("not_due");
    expect(await db.selectFrom("receipts").select("id").execute()).toEqual([]);
    expect(await db.selectFrom("receipt_counters").select("year").execute()).toEqual([]);
  });
});
