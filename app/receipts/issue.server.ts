/**
 * Issuing tax receipts (docs/product-rules.md « Tax receipts », docs/decisions/028-tax-receipts.md).
 *
 * A contribution is due a receipt when its campaign is funded (the money is final), it is paid
 * and not refunded nor taken back by a lost dispute (an open dispute waits), its donor asked
 * for one (receipt_requests) and its structure's declaration is verified by staff at that
 * moment, with a signature image. The settlement pass (settle.server.ts) issues what is due
 * after each pass, so a crash between two receipts is repaired by the next pass.
 *
 * One receipt is one transaction: the number (numbering.server.ts), the frozen snapshot, the
 * PDF's hash, the receipt row and the donor's e-mail (outbox). receipts.contribution_id is
 * unique, and the existence check runs after the counter row is locked, so two settlers never
 * issue twice nor leave a gap. The PDF's bytes are stored after the commit; if that fails
 * they are rebuilt from the snapshot, byte for byte and checked against the stored hash, when
 * first read (pdf-file.server.ts).
 */
import type { Kysely, Transaction } from "kysely";
import sharp from "sharp";
import type { DB } from "#db/schema";
import { contributionReference } from "~/domain/contribution-status";
import { parisYear } from "~/domain/time";
import { deductibleCents, isTaxStatus, TAX_STATUSES } from "~/domain/tax-receipts";
import { enqueueEmail } from "~/email.server";
import { jobLogger } from "~/logger.server";
import { publicUrl } from "~/public-url.server";
import { readSignature as readSignatureFile } from "~/receipts-forms/signature.server";
import { storage } from "~/storage.server";
import { donorReceiptPath } from "./paths";
import { allocateReceiptNumber, orderNumber } from "./numbering.server";
import { renderReceiptPdf, sha256 } from "./pdf.server";
import { SNAPSHOT_VERSION, type ReceiptSnapshot } from "./snapshot";

export const PLATFORM_NAME = "Propulsons";
/** Stripe Checkout takes cards only. */
export const PAYMENT_METHOD = "Carte bancaire";

type Db = Kysely<DB> | Transaction<DB>;

/** Contributions due a receipt and not issued yet (optionally of one campaign). */
export function receiptsDue(db: Db, options: { campaignId?: number; contributionId?: number } = {}) {
  let q = db
    .selectFrom("contributions as k")
    .innerJoin("campaigns as c", "c.id", "k.campaign_id")
    .innerJoin("receipt_requests as rq", "rq.contribution_id", "k.id")
    .innerJoin("receipt_profiles as p", "p.organization_id", "c.organization_id")
    .where("c.status", "=", "funded")
    .where("k.status", "=", "paid")
    .where((eb) => eb.or([eb("k.dispute_status", "is", null), eb("k.dispute_status", "=", "won")]))
    .where("p.status", "=", "verified")
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom("receipts as x").select("x.id").whereRef("x.contribution_id", "=", "k.id")),
      ),
    );
  if (options.campaignId !== undefined) q = q.where("c.id", "=", options.campaignId);
  if (options.contributionId !== undefined) q = q.where("k.id", "=", options.contributionId);
  return q;
}

export type IssueOutcome =
  | { kind: "issued"; receiptId: number; orderNumber: string; year: number; number: number }
  /** not due (any more): refunded, already issued, profile withdrawn… */
  | { kind: "not_due" }
  /** due, but the structure has no signature image yet: nothing is issued (staff and holder see it) */
  | { kind: "no_signature" };

class AlreadyIssued extends Error {}

interface SignatureImage {
  format: "png" | "jpeg";
  base64: string;
}

/** The signature image as PNG or JPEG (what pdfkit draws), or null when the file is missing. */
/** The signature image the structure uploaded (its file is named and stored by the form's module). */
async function readSignature(file: string): Promise<SignatureImage | null> {
  const bytes = await readSignatureFile(file);
  if (!bytes) return null;
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return { format: "png", base64: bytes.toString("base64") };
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return { format: "jpeg", base64: bytes.toString("base64") };
  // WebP, GIF…: converted once, at issue; the snapshot keeps the PNG.
  const png = await sharp(bytes).png().toBuffer();
  return { format: "png", base64: png.toString("base64") };
}

/** Everything the receipt prints, read in the issuing transaction. */
async function dueRow(trx: Db, contributionId: number) {
  return receiptsDue(trx, { contributionId })
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .leftJoin("rewards as r", "r.id", "k.reward_id")
    .select([
      "k.id",
      "k.email",
      "k.amount_cents",
      "k.paid_at",
      "c.id as campaign_id",
      "c.title as campaign_title",
      "o.id as organization_id",
      "o.name as organization_name",
      "rq.first_name",
      "rq.last_name",
      "rq.street as donor_street",
      "rq.postal_code as donor_postal_code",
      "rq.town as donor_town",
      "rq.country as donor_country",
      "p.tax_status",
      "p.cgi_article",
      "p.object",
      "p.street",
      "p.postal_code",
      "p.town",
      "p.siren",
      "p.rna",
      "p.signer_name",
      "p.signer_role",
      "p.signature_path",
      "p.mandate_at",
      "r.title as reward_title",
      "r.value_cents as reward_value_cents",
    ])
    .executeTakeFirst();
}

type DueRow = NonNullable<Awaited<ReturnType<typeof dueRow>>>;

export function buildSnapshot(
  row: DueRow,
  issued: { orderNumber: string; issuedAt: Date },
  signature: SignatureImage | null,
): ReceiptSnapshot {
  const rewardValue = row.reward_title !== null ? (row.reward_value_cents ?? 0) : 0;
  const status = isTaxStatus(row.tax_status) ? TAX_STATUSES[row.tax_status] : null;
  return {
    version: SNAPSHOT_VERSION,
    orderNumber: issued.orderNumber,
    issuedAt: issued.issuedAt.toISOString(),
    beneficiary: {
      name: row.organization_name,
      street: row.street,
      postalCode: row.postal_code,
      town: row.town,
      object: row.object,
      taxStatus: row.tax_status,
      statusLabel: status?.label ?? row.tax_status,
      cgiArticle: row.cgi_article,
      siren: row.siren,
      rna: row.rna,
    },
    donor: {
      firstName: row.first_name,
      lastName: row.last_name,
      street: row.donor_street,
      postalCode: row.donor_postal_code,
      town: row.donor_town,
      country: row.donor_country,
    },
    amountCents: row.amount_cents,
    deductibleCents: deductibleCents(row.amount_cents, rewardValue),
    // A reward worth nothing reduces nothing: it is not printed.
    reward:
      row.reward_title !== null && rewardValue > 0
        ? { title: row.reward_title, valueCents: rewardValue }
        : null,
    paidAt: row.paid_at!,
    paymentMethod: PAYMENT_METHOD,
    signer: { name: row.signer_name, role: row.signer_role, image: signature },
    mandateAt: row.mandate_at,
    platformName: PLATFORM_NAME,
    campaignTitle: row.campaign_title,
    contributionReference: contributionReference(row.id),
  };
}

/** Where a receipt's PDF is stored. */
export function receiptPdfKey(organizationId: number, year: number, order: string): string {
  return `recus/s${organizationId}/${year}/recu-${order}.pdf`;
}

/**
 * Issue the receipt of one contribution if it is due, at `now`. Safe to call concurrently and
 * repeatedly: at most one receipt per contribution, numbers without gaps.
 */
export async function issueReceipt(db: Kysely<DB>, contributionId: number, now: Date): Promise<IssueOutcome> {
  const before = await dueRow(db, contributionId);
  if (!before) return { kind: "not_due" };
  if (!before.signature_path) return { kind: "no_signature" };
  // Read the image before the transaction (object storage may be slow); checked again inside.
  const signature = await readSignature(before.signature_path);
  if (!signature) return { kind: "no_signature" };

  let written: { receiptId: number; key: string; bytes: Buffer; year: number; number: number; order: string };
  try {
    written = await db.transaction().execute(async (trx) => {
      const row = await dueRow(trx, contributionId);
      if (!row || row.signature_path !== before.signature_path) throw new AlreadyIssued();
      const year = parisYear(now);
      const number = await allocateReceiptNumber(trx, row.organization_id, year);
      // After the counter row is locked: another issuer of this contribution has committed or waits.
      const existing = await trx
        .selectFrom("receipts")
        .select("id")
        .where("contribution_id", "=", contributionId)
        .executeTakeFirst();
      if (existing) throw new AlreadyIssued();
      const order = orderNumber(year, number);
      const snapshot = buildSnapshot(row, { orderNumber: order, issuedAt: now }, signature);
      const bytes = await renderReceiptPdf(snapshot);
      const key = receiptPdfKey(row.organization_id, year, order);
      const inserted = await trx
        .insertInto("receipts")
        .values({
          organization_id: row.organization_id,
          contribution_id: row.id,
          year,
          number,
          order_number: order,
          amount_cents: snapshot.amountCents,
          deductible_cents: snapshot.deductibleCents,
          snapshot_json: JSON.stringify(snapshot),
          pdf_path: key,
          pdf_sha256: sha256(bytes),
          status: "issued",
          issued_at: now.toISOString(),
          cancelled_at: null,
          cancel_reason: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const base = await publicUrl(trx);
      await enqueueEmail(trx, {
        kind: "tax_receipt_issued",
        to: row.email,
        idempotencyKey: `tax-receipt:${row.id}`,
        now,
        data: {
          beneficiaryName: row.organization_name,
          campaignTitle: row.campaign_title,
          orderNumber: order,
          amountCents: snapshot.amountCents,
          deductibleCents: snapshot.deductibleCents,
          contributionUrl: `${base}/mon-compte/contributions/${row.id}`,
          downloadUrl: `${base}${donorReceiptPath(inserted.id)}`,
        },
      });
      return { receiptId: inserted.id, key, bytes, year, number, order };
    });
  } catch (error) {
    if (error instanceof AlreadyIssued) return { kind: "not_due" };
    throw error;
  }
  try {
    await storage().put(written.key, written.bytes, "application/pdf");
  } catch (error) {
    // The receipt is issued; its bytes are rebuilt from the snapshot when first read.
    jobLogger("reçus fiscaux").warn(
      { err: error, receiptId: written.receiptId },
      "PDF du reçu non enregistré.",
    );
  }
  return {
    kind: "issued",
    receiptId: written.receiptId,
    orderNumber: written.order,
    year: written.year,
    number: written.number,
  };
}

export interface IssueReport {
  issued: number;
  /** due but blocked (no signature image), per structure name */
  waitingSignature: Map<string, number>;
  errors: number;
}

/** Issue every receipt that is due (the scheduled pass, after settlement). */
export async function issueDueReceipts(
  db: Kysely<DB>,
  now: Date,
  options: { campaignId?: number; say?: (line: string) => void } = {},
): Promise<IssueReport> {
  const due = await receiptsDue(db, { campaignId: options.campaignId })
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .select(["k.id", "o.name as organization_name"])
    .orderBy("k.paid_at")
    .orderBy("k.id")
    .execute();
  const report: IssueReport = { issued: 0, waitingSignature: new Map(), errors: 0 };
  for (const k of due) {
    try {
      const outcome = await issueReceipt(db, k.id, now);
      if (outcome.kind === "issued") report.issued++;
      if (outcome.kind === "no_signature")
        report.waitingSignature.set(
          k.organization_name,
          (report.waitingSignature.get(k.organization_name) ?? 0) + 1,
        );
    } catch (error) {
      report.errors++;
      options.say?.(
        `Reçu fiscal de la contribution ${contributionReference(k.id)} non délivré : ${error instanceof Error ? error.message : String(error)} (nouvel essai au prochain passage).`,
      );
    }
  }
  if (report.issued > 0) options.say?.(`Reçus fiscaux délivrés : ${report.issued}.`);
  for (const [name, count] of report.waitingSignature)
    options.say?.(
      `Reçus fiscaux en attente pour « ${name} » : ${count}, faute d’image de signature (à ajouter par la structure).`,
    );
  return report;
}
