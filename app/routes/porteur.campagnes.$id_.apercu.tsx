/** The holder's preview of their campaign, as citizens will see it; says whether the page is public. */
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CampaignView } from "~/components/campaign-view";
import { database } from "~/db.server";
import { STATE_LABELS } from "~/domain/campaign-machine";
import { requireOwnCampaign } from "~/holder/campaigns.server";
import { previewNotice } from "~/holder/preview-notice";
import { campaignPath } from "~/domain/paths";
import { campaignViewData } from "~/models/campaign-view.server";

export const meta: MetaFunction = () => [
  { title: "Aperçu de la campagne — Propulsons" },
  { name: "robots", content: "noindex" },
];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id, c: own } = await requireOwnCampaign(request, params.id);
  const view = await campaignViewData(database().db, own.slug, { includeUnpublished: true });
  if (!view) throw new Response("Campagne introuvable.", { status: 404 });
  return {
    id,
    statusLabel: STATE_LABELS[own.status],
    notice: previewNotice(own.status, view.campaign.isPublic),
    ...view,
  };
}

export default function Preview() {
  const d = useLoaderData<typeof loader>();
  return (
    <CampaignView
      campaign={d.campaign}
      html={d.html}
      now={d.now}
      bounds={d.bounds}
      matching={d.matching}
      signedInEmail={null}
      formState={undefined}
      preview={
        <p className="demo-checkout__label" role="note">
          <strong>Aperçu</strong> —{" "}
          {d.notice.isPublic ? (
            <>
              cette page est publique&nbsp;:{" "}
              <Link to={campaignPath(d.campaign.slug)}>voir la page publique</Link>.
            </>
          ) : (
            <>
              {d.notice.text} (état&nbsp;: {d.statusLabel}).
            </>
          )}{" "}
          <Link to={`/porteur/campagnes/${d.id}`}>Revenir à l’éditeur</Link>
        </p>
      }
    />
  );
}
