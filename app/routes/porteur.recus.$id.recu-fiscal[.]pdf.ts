/** A holder downloads a tax receipt of one of their structures (PDF). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { holderReceipt, idParam } from "~/receipts/access.server";
import { pdfResponse, receiptFileName, receiptPdfBytes } from "~/receipts/pdf-file.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params.id);
  const r = id ? await holderReceipt(database().db, user.id, id) : undefined;
  if (!r) throw new Response("Reçu introuvable.", { status: 404 });
  return pdfResponse(await receiptPdfBytes(r), receiptFileName(r.order_number, r.status));
}
