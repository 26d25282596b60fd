/** Staff download any tax receipt (PDF). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { idParam, staffReceipt } from "~/receipts/access.server";
import { pdfResponse, receiptFileName, receiptPdfBytes } from "~/receipts/pdf-file.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ["staff"]);
  const id = idParam(params.id);
  const r = id ? await staffReceipt(database().db, id) : undefined;
  if (!r) throw new Response("Reçu introuvable.", { status: 404 });
  return pdfResponse(await receiptPdfBytes(r), receiptFileName(r.order_number, r.status));
}
