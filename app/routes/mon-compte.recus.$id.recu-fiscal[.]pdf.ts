/** A donor downloads their own tax receipt (PDF); anyone else's looks missing. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { donorReceipt, idParam } from "~/receipts/access.server";
import { pdfResponse, receiptFileName, receiptPdfBytes } from "~/receipts/pdf-file.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params.id);
  const r = id ? await donorReceipt(database().db, user.email, id) : undefined;
  if (!r) throw new Response("Reçu introuvable.", { status: 404 });
  return pdfResponse(await receiptPdfBytes(r), receiptFileName(r.order_number, r.status));
}
