/** Staff download the abondement statement of a funded campaign (PDF), for the Département. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { readStatement, statementFileName, statementPdf } from "~/matching/statement.server";
import { idParam } from "~/receipts/access.server";
import { pdfResponse } from "~/receipts/pdf-file.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ["staff"]);
  const fundId = idParam(params.id);
  const campaignId = idParam(params.campaignId);
  if (!fundId || !campaignId) throw new Response("Relevé introuvable.", { status: 404 });
  const result = await readStatement(database().db, fundId, campaignId);
  if (!result.ok) throw new Response(result.message, { status: result.status });
  const bytes = await statementPdf(result.statement, new Date());
  return pdfResponse(bytes, `${statementFileName(result.statement)}.pdf`);
}
