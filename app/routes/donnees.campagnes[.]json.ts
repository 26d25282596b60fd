import { database } from "~/db.server";
import { OPEN_DATA_LICENCE, publishedCampaigns } from "~/models/open-data.server";

export async function loader() {
  const campagnes = await publishedCampaigns(database().db);
  return new Response(
    JSON.stringify(
      {
        licence: OPEN_DATA_LICENCE,
        note: "Montants en centimes d'euro ; dates au format AAAA-MM-JJ (heure de Paris).",
        campagnes,
      },
      null,
      2,
    ),
    {
      headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache" },
    },
  );
}
