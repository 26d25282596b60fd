import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { exportPersonalData } from "~/account/rights.server";
import { database } from "~/db.server";

/** « Télécharger mes données »: everything the platform holds about the signed-in person, as JSON. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const body = await exportPersonalData(database().db, user.id);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(JSON.stringify(body, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="propulsons-mes-donnees-${day}.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}
