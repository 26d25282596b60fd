/** The year's register of tax receipts of one of the holder's structures, as CSV for French Excel. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { database } from "~/db.server";
import { registerCsv, yearReceipts } from "~/receipts/access.server";
import { holderYearScope } from "~/receipts/holder-page.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { structure, year } = await holderYearScope(request);
  if (!structure) throw new Response("Structure introuvable.", { status: 404 });
  const csv = registerCsv(await yearReceipts(database().db, structure.id, year));
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="registre-recus-fiscaux-${year}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
