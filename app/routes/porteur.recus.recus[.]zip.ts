/** Every tax receipt of the year of one of the holder's structures, in one zip file. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { database } from "~/db.server";
import { yearReceipts, yearZip } from "~/receipts/access.server";
import { holderYearScope } from "~/receipts/holder-page.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { structure, year } = await holderYearScope(request);
  if (!structure) throw new Response("Structure introuvable.", { status: 404 });
  const zip = await yearZip(await yearReceipts(database().db, structure.id, year));
  return new Response(new Uint8Array(zip), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="recus-fiscaux-${year}.zip"`,
      "Cache-Control": "private, no-store",
    },
  });
}
