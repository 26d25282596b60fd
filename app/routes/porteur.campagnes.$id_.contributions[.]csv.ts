/** The CSV export of a holder's contributions, for sending rewards (same filters as the dashboard). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { COLLECTED_STATUSES, type ContributionStatus } from "~/domain/contribution-status";
import { ownCampaign } from "~/holder/campaigns.server";
import { contributionsCsv, holderContributions } from "~/holder/dashboard.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = Number(params.id);
  const own = Number.isSafeInteger(id) && id > 0 ? await ownCampaign(database().db, user.id, id) : undefined;
  if (!own) throw new Response("Campagne introuvable.", { status: 404 });
  const url = new URL(request.url);
  const reward = url.searchParams.get("contrepartie") ?? "";
  const status = url.searchParams.get("etat") ?? "";
  if ((reward !== "" && reward !== "aucune" && !/^\d+$/.test(reward)) || (status !== "" && !(COLLECTED_STATUSES as readonly string[]).includes(status))) {
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
