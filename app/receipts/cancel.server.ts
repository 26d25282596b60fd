/**
 * Cancelling a tax receipt when its payment goes back (docs/decisions/028-tax-receipts.md):
 * called by the money path's single owner (app/payments/contribution-moves.server.ts) in the
 * transaction that records the refund or the lost dispute. The receipt is never deleted nor
 * renumbered: it is marked cancelled, its PDF is rebuilt from the snapshot with an « ANNULÉ »
 * stamp when read, and the donor and the holder are told (outbox).
 */
import type { Kysely, Transaction } from "kysely";
import type { DB } from "#db/schema";
import { enqueueEmail } from "~/email.server";
import { publicUrl } from "~/public-url.server";
import { donorReceiptPath, holderReceiptPath } from "./paths";
import { parseSnapshot } from "./snapshot";

export type CancelCause = "refunded" | "dispute_lost";

export const CANCEL_REASONS: Record<CancelCause, string> = {
  refunded: "don remboursé au donateur",
  dispute_lost: "paiement repris par la banque du donateur (contestation)",
};

/** Mark the receipt of `contributionId` cancelled, if it has one that is issued. True when it did. */
export async function cancelReceiptOf(
  trx: Kysely<DB> | Transaction<DB>,
  contributionId: number,
  cause: CancelCause,
  at: Date,
): Promise<boolean> {
  const receipt = await trx
    .selectFrom("receipts as r")
    .innerJoin("contributions as k", "k.id", "r.contribution_id")
    .innerJoin("organizations as o", "o.id", "r.organization_id")
    .innerJoin("users as u", "u.id", "o.owner_user_id")
    .select([
      "r.id",
      "r.status",
      "r.snapshot_json",
      "r.amount_cents",
      "r.order_number",
      "k.email",
      "u.email as holder_email",
    ])
    .where("r.contribution_id", "=", contributionId)
    .executeTakeFirst();
  if (!receipt || receipt.status !== "issued") return false;
  const updated = await trx
    .updateTable("receipts")
    .set({ status: "cancelled", cancelled_at: at.toISOString(), cancel_reason: CANCEL_REASONS[cause] })
    .where("id", "=", receipt.id)
    .where("status", "=", "issued")
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return false;
  const snapshot = parseSnapshot(receipt.snapshot_json);
  const base = await publicUrl(trx);
  const common = {
    beneficiaryName: snapshot.beneficiary.name,
    campaignTitle: snapshot.campaignTitle,
    orderNumber: receipt.order_number,
    amountCents: receipt.amount_cents,
    cause,
  };
  await enqueueEmail(trx, {
    kind: "tax_receipt_cancelled",
    to: receipt.email,
    idempotencyKey: `tax-receipt-cancelled:${contributionId}`,
    now: at,
    data: { ...common, audience: "donor", receiptUrl: `${base}${donorReceiptPath(receipt.id)}` },
  });
  await enqueueEmail(trx, {
    kind: "tax_receipt_cancelled",
    to: receipt.holder_email,
    idempotencyKey: `tax-receipt-cancelled-holder:${contributionId}`,
    now: at,
    data: { ...common, audience: "holder", receiptUrl: `${base}${holderReceiptPath(receipt.id)}` },
  });
  return true;
}
