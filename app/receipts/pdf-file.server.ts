/**
 * A receipt's PDF as downloaded: the stored bytes of the issued receipt (checked against their
 * hash; rebuilt from the snapshot and stored again if the file is missing, e.g. a crash right
 * after the commit), or, for a cancelled receipt, the same document rebuilt with its
 * « ANNULÉ » stamp (deterministic too: the same snapshot and cancellation give the same bytes).
 */
import type { Selectable } from "kysely";
import type { ReceiptsTable } from "#db/schema";
import { storage } from "~/storage.server";
import { renderReceiptPdf, sha256 } from "./pdf.server";
import { parseSnapshot } from "./snapshot";

export class ReceiptIntegrityError extends Error {
  override name = "ReceiptIntegrityError";
}

type ReceiptRow = Pick<
  Selectable<ReceiptsTable>,
  "id" | "snapshot_json" | "pdf_path" | "pdf_sha256" | "status" | "cancelled_at" | "cancel_reason"
>;

/** The bytes of the receipt as issued, never altered. */
export async function issuedPdfBytes(r: ReceiptRow): Promise<Buffer> {
  const stored = await storage().get(r.pdf_path);
  if (stored && sha256(stored) === r.pdf_sha256) return stored;
  const rebuilt = await renderReceiptPdf(parseSnapshot(r.snapshot_json));
  if (sha256(rebuilt) !== r.pdf_sha256)
    throw new ReceiptIntegrityError(`receipt ${r.id}: the snapshot no longer gives the issued bytes`);
  await storage().put(r.pdf_path, rebuilt, "application/pdf");
  return rebuilt;
}

/** What a download serves: the issued bytes, or the stamped document once cancelled. */
export async function receiptPdfBytes(r: ReceiptRow): Promise<Buffer> {
  const issued = await issuedPdfBytes(r);
  if (r.status !== "cancelled") return issued;
  return renderReceiptPdf(parseSnapshot(r.snapshot_json), {
    cancelledAt: r.cancelled_at ?? new Date(0).toISOString(),
    reason: r.cancel_reason ?? "reçu annulé",
  });
}

/** « recu-fiscal-2027-0001.pdf » (« annule » added once cancelled). */
export function receiptFileName(orderNumber: string, status: "issued" | "cancelled"): string {
  return `recu-fiscal-${orderNumber}${status === "cancelled" ? "-annule" : ""}.pdf`;
}

/** The download response: attachment, French file name, private. */
export function pdfResponse(bytes: Buffer, fileName: string): Response {
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      "Cache-Control": "private, no-store",
      "Content-Length": String(bytes.length),
    },
  });
}
