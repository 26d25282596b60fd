import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { CONTRIBUTION_STATUS_LABELS, contributionReference } from "~/domain/contribution-status";
import { formatDateTime, formatEuros } from "~/domain/format";
import { myContribution } from "~/models/my-contributions.server";

export const meta: MetaFunction = () => [{ title: "Reçu de contribution — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = Number(params.id);
  const k = Number.isSafeInteger(id) && id > 0 ? await myContribution(database().db, user.email, id) : undefined;
  // Someone else's contribution and a missing one look the same.
  if (!k) throw new Response("Contribution introuvable.", { status: 404 });
  return {
    reference: contributionReference(k.id),
    status: CONTRIBUTION_STATUS_LABELS[k.status],
    amountCents: k.amount_cents,
    paidAt: k.paid_at!,
    publicName: k.public_name,
    anonymous: k.anonymous === 1,
    hideAmount: k.hide_amount === 1,
    rewardTitle: k.reward_title,
    campaign: { title: k.title, slug: k.slug, endsAt: k.ends_at, organization: k.organization_name },
  };
}

export default function Receipt() {
  const r = useLoaderData<typeof loader>();
  return (
    <div className="container page prose-page">
      <p>
        <Link to="/mon-compte/contributions">← Mes contributions</Link>
      </p>
      <h1>Reçu de contribution {r.reference}</h1>
      <dl className="receipt">
        <div>
          <dt>Projet</dt>
          <dd>
            <Link to={`/campagnes/${r.campaign.slug}`}>{r.campaign.title}</Link> ({r.campaign.organization})
          </dd>
        </div>
        <div>
          <dt>Montant</dt>
          <dd>{formatEuros(r.amountCents)}</dd>
        </div>
        <div>
          <dt>Contrepartie</dt>
          <dd>{r.rewardTitle ?? "sans contrepartie"}</dd>
        </div>
        <div>
          <dt>Paiement</dt>
          <dd>le {formatDateTime(r.paidAt)} (heure de Paris)</dd>
        </div>
        <div>
          <dt>État</dt>
          <dd>{r.status}</dd>
        </div>
        <div>
          <dt>Affichage public</dt>
          <dd>
            {r.anonymous ? "« Anonyme »" : `« ${r.publicName} »`}, {r.hideAmount ? "montant masqué" : "montant affiché"}
          </dd>
        </div>
      </dl>
      <p>
        Tout ou rien : si la campagne n'atteint pas son objectif à sa date de fin ({formatDateTime(r.campaign.endsAt)}), vous êtes
        intégralement remboursé, automatiquement, sur le moyen de paiement utilisé. Ce reçu n'est pas un reçu fiscal.
      </p>
    </div>
  );
}
