/** The CSV export of a holder's contributions, for sending rewards (same filters as the dashboard). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { database } from "~/db.server";
import { RECEIVED_STATUSES, type ContributionStatus } from "~/domain/contribution-status";
import { requireOwnCampaign } from "~/holder/campaigns.server";
import { contributionsCsv, holderContributions } from "~/holder/dashboard.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id, c: own } = await requireOwnCampaign(request, params.id);
  const url = new URL(request.url);
  const reward = url.searchParams.get("contrepartie") ?? "";
  const status = url.searchParams.get("etat") ?? "";
  if (
    (reward !== "" && reward !== "aucune" && !/^\d+$/.test(reward)) ||
    (status !== "" && !(RECEIVED_STATUSES as readonly string[]).includes(status))
  ) {
    return new Response("Filtre inconnu.", { status: 400 });
  }
  const items = await holderContributions(database().db, id, {
    rewardId: reward === "aucune" ? "none" : reward ? Number(reward) : undefined,
    status: (status || undefined) as ContributionStatus | undefined,
  });
  return new Response(contributionsCsv(items), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="contributions-${own.slug}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
