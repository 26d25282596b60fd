/** Staff download the abondement statement of a funded campaign (CSV for French Excel), for the Département. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { readStatement, statementCsv, statementFileName } from "~/matching/statement.server";
import { idParam } from "~/receipts/access.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ["staff"]);
  const fundId = idParam(params.id);
  const campaignId = idParam(params.campaignId);
  if (!fundId || !campaignId) throw new Response("Relevé introuvable.", { status: 404 });
  const result = await readStatement(database().db, fundId, campaignId);
  if (!result.ok) throw new Response(result.message, { status: result.status });
  const fileName = `${statementFileName(result.statement)}.csv`;
  return new Response(statementCsv(result.statement), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
