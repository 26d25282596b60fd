/**
 * Who may read which receipt, and the holder's yearly register (docs/product-rules.md « Tax
 * receipts »): the donor reads their own (matched on their verified e-mail, like « Mes
 * contributions »), the holder their structures' ones, staff every one. Someone else's receipt
 * and a missing one look the same (404).
 */
import { zipSync } from "fflate";
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { toCsv } from "~/csv.server";
import { formatDecimalEuros } from "~/domain/format";
import { parisCalendarDate } from "~/domain/time";
import { receiptFileName, receiptPdfBytes } from "./pdf-file.server";
import { parseSnapshot } from "./snapshot";

const RECEIPT_COLUMNS = [
  "r.id",
  "r.organization_id",
  "r.contribution_id",
  "r.year",
  "r.number",
  "r.order_number",
  "r.amount_cents",
  "r.deductible_cents",
  "r.snapshot_json",
  "r.pdf_path",
  "r.pdf_sha256",
  "r.status",
  "r.issued_at",
  "r.cancelled_at",
  "r.cancel_reason",
] as const;

/** The donor's receipt `id`, or undefined (someone else's or none). */
export async function donorReceipt(db: Kysely<DB>, email: string, id: number) {
  return db
    .selectFrom("receipts as r")
    .innerJoin("contributions as k", "k.id", "r.contribution_id")
    .select(RECEIPT_COLUMNS)
    .where("r.id", "=", id)
    .where("k.email", "=", email)
    .executeTakeFirst();
}

/** The receipt of one of the donor's contributions (for « Mes contributions »). */
export async function receiptOfContribution(db: Kysely<DB>, email: string, contributionId: number) {
  return db
    .selectFrom("receipts as r")
    .innerJoin("contributions as k", "k.id", "r.contribution_id")
    .select(["r.id", "r.order_number", "r.status"])
    .where("r.contribution_id", "=", contributionId)
    .where("k.email", "=", email)
    .executeTakeFirst();
}

/** A receipt of one of the holder's structures, or undefined. */
export async function holderReceipt(db: Kysely<DB>, userId: number, id: number) {
  return db
    .selectFrom("receipts as r")
    .innerJoin("organizations as o", "o.id", "r.organization_id")
    .select(RECEIPT_COLUMNS)
    .where("r.id", "=", id)
    .where("o.owner_user_id", "=", userId)
    .executeTakeFirst();
}

export async function staffReceipt(db: Kysely<DB>, id: number) {
  return db.selectFrom("receipts as r").select(RECEIPT_COLUMNS).where("r.id", "=", id).executeTakeFirst();
}

/** Parse a positive id from a route parameter. */
export function idParam(value: string | undefined | null): number | null {
  if (!value || !/^\d{1,12}$/.test(value)) return null;
  const n = Number(value);
  return n > 0 ? n : null;
}

/** The holder's structures with a receipt declaration, and the years they have receipts for. */
export async function holderReceiptStructures(db: Kysely<DB>, userId: number) {
  const structures = await db
    .selectFrom("organizations as o")
    .leftJoin("receipt_profiles as p", "p.organization_id", "o.id")
    .select(["o.id", "o.name", "p.status as profile_status", "p.signature_path"])
    .where("o.owner_user_id", "=", userId)
    .orderBy("o.id")
    .execute();
  const years = await db
    .selectFrom("receipts as r")
    .innerJoin("organizations as o", "o.id", "r.organization_id")
    .select(["r.organization_id", "r.year"])
    .distinct()
    .where("o.owner_user_id", "=", userId)
    .orderBy("r.year", "desc")
    .execute();
  return structures.map((s) => ({
    ...s,
    years: years.filter((y) => y.organization_id === s.id).map((y) => y.year),
  }));
}

/** The year's receipts of a structure, in number order (the register). */
export async function yearReceipts(db: Kysely<DB>, organizationId: number, year: number) {
  return db
    .selectFrom("receipts as r")
    .select(RECEIPT_COLUMNS)
    .where("r.organization_id", "=", organizationId)
    .where("r.year", "=", year)
    .orderBy("r.number")
    .execute();
}

export type RegisterRow = Awaited<ReturnType<typeof yearReceipts>>[number];

/**
 * The two figures of article 222 bis of the CGI for the year: the total of the gifts receipted
 * and the number of receipts. Cancelled receipts are left out of both (their gift went back).
 */
export function article222bis(rows: readonly RegisterRow[]): { totalCents: number; count: number } {
  const kept = rows.filter((r) => r.status === "issued");
  return { totalCents: kept.reduce((sum, r) => sum + r.amount_cents, 0), count: kept.length };
}

export const REGISTER_HEADER = [
  "Numéro d’ordre",
  "Date d’émission",
  "Nom",
  "Prénom",
  "Adresse",
  "Code postal",
  "Commune",
  "Pays",
  "Date du versement",
  "Montant (€)",
  "Montant ouvrant droit à réduction (€)",
  "État",
  "Date d’annulation",
  "Motif d’annulation",
] as const;

/** The register as CSV for French Excel (« ; », UTF-8 with BOM, amounts « 12,50 »). */
export function registerCsv(rows: readonly RegisterRow[]): string {
  return toCsv(
    REGISTER_HEADER,
    rows.map((r) => {
      const s = parseSnapshot(r.snapshot_json);
      return [
        r.order_number,
        parisCalendarDate(new Date(r.issued_at)),
        s.donor.lastName,
        s.donor.firstName,
        s.donor.street,
        s.donor.postalCode,
        s.donor.town,
        s.donor.country,
        parisCalendarDate(new Date(s.paidAt)),
        r.amount_cents,
        r.deductible_cents,
        r.status === "issued" ? "émis" : "annulé",
        r.cancelled_at ? parisCalendarDate(new Date(r.cancelled_at)) : "",
        r.cancel_reason ?? "",
      ];
    }),
    {
      delimiter: ";",
      bom: true,
      money: {
        columns: ["Montant (€)", "Montant ouvrant droit à réduction (€)"],
        format: formatDecimalEuros,
      },
    },
  );
}

/** One zip of the year's PDFs (cancelled ones stamped), stored without compression (PDFs are). */
export async function yearZip(rows: readonly RegisterRow[]): Promise<Buffer> {
  const files: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const r of rows) {
    files[receiptFileName(r.order_number, r.status)] = [
      new Uint8Array(await receiptPdfBytes(r)),
      { mtime: new Date(r.issued_at) },
    ];
  }
  return Buffer.from(zipSync(files, { level: 0 }));
}
