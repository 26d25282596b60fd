/**
 * The end of a tax receipt's retention period (docs/decisions/031-retention-of-receipts-and-figures.md):
 * RETENTION_RECEIPT_YEARS after its issue, a receipt no longer names its donor. Its frozen snapshot
 * loses the donor's name and address (and says when they were erased), the stored PDF is replaced by
 * the same document rebuilt without them, and the donor's request is blanked too. The number, the
 * dates, the amounts, the status and the structure stay: the register stays complete and gapless.
 *
 * Called by the retention purge (app/account/retention-purge.server.ts). Batched, idempotent
 * (`anonymised_at`), crash-safe: the new bytes are stored before the row is marked, so a crash in
 * between leaves a row the next run does again (and a download meanwhile rebuilds the file the
 * row's hash describes); they are stored once more after the commit, for a download that rebuilt
 * the old file in between.
 */
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { jobLogger } from "~/logger.server";
import { storage } from "~/storage.server";
import { renderReceiptPdf, sha256 } from "./pdf.server";
import { parseSnapshot, withoutDonor } from "./snapshot";

const BATCH = 100;

/** Anonymise every receipt issued before `issuedBefore`; the number done. */
export async function anonymiseExpiredReceipts(
  db: Kysely<DB>,
  issuedBefore: Date,
  now: Date,
): Promise<number> {
  let done = 0;
  let afterId = 0;
  for (;;) {
    const rows = await db
      .selectFrom("receipts")
      .select(["id", "contribution_id", "snapshot_json", "pdf_path"])
      .where("anonymised_at", "is", null)
      .where("issued_at", "<", issuedBefore.toISOString())
      .where("id", ">", afterId)
      .orderBy("id")
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return done;
    for (const r of rows) {
      afterId = r.id;
      const snapshot = withoutDonor(parseSnapshot(r.snapshot_json), now);
      const bytes = await renderReceiptPdf(snapshot);
      try {
        await storage().put(r.pdf_path, bytes, "application/pdf");
      } catch (error) {
        // Left as it is: the next purge tries again (nothing marked yet).
        jobLogger("conservation").warn(
          { err: error, receiptId: r.id },
          "Reçu fiscal à anonymiser : PDF non réécrit, nouvel essai au prochain passage.",
        );
        continue;
      }
      const marked = await db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable("receipts")
          .set({
            snapshot_json: JSON.stringify(snapshot),
            pdf_sha256: sha256(bytes),
            anonymised_at: now.toISOString(),
          })
          .where("id", "=", r.id)
          .where("anonymised_at", "is", null)
          .executeTakeFirst();
        await trx
          .updateTable("receipt_requests")
          .set({
            first_name: "",
            last_name: "",
            street: "",
            postal_code: "",
            town: "",
            anonymised_at: now.toISOString(),
          })
          .where("contribution_id", "=", r.contribution_id)
          .where("anonymised_at", "is", null)
          .execute();
        return Number(updated.numUpdatedRows) === 1;
      });
      if (!marked) continue;
      done += 1;
      // Again after the commit: a download that rebuilt the old file in between is overwritten.
      await storage()
        .put(r.pdf_path, bytes, "application/pdf")
        .catch(() => undefined);
    }
  }
}
