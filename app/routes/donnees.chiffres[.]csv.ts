import { database } from "~/db.server";
import { figuresCsv, figuresOpenData } from "~/models/open-data.server";

export async function loader() {
  const body = figuresCsv(await figuresOpenData(database().db));
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="propulsons-chiffres-cles.csv"',
      "Cache-Control": "no-cache",
    },
  });
}
