import { database } from "~/db.server";
import { campaignsCsv, publishedCampaigns } from "~/models/open-data.server";

export async function loader() {
  const body = campaignsCsv(await publishedCampaigns(database().db));
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="propulsons-campagnes.csv"',
      "Cache-Control": "no-cache",
    },
  });
}
