import { NBSP } from "~/domain/typography";
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { contributionReference } from "~/domain/contribution-status";
import { formatDateTime, formatEuros } from "~/domain/format";
import { myContribution, myContributionState } from "~/models/my-contributions.server";
import { campaignPath } from "~/domain/paths";
import { receiptOfContribution } from "~/receipts/access.server";
import { donorReceiptPath } from "~/receipts/paths";

export const meta: MetaFunction = () => [{ title: "Reçu de contribution — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = Number(params.id);
  const k =
    Number.isSafeInteger(id) && id > 0 ? await myContribution(database().db, user.email, id) : undefined;
  // Someone else's contribution and a missing one look the same.
  if (!k) throw new Response("Contribution introuvable.", { status: 404 });
  const taxReceipt = await receiptOfContribution(database().db, user.email, k.id);
  return {
    taxReceipt: taxReceipt
      ? {
          href: donorReceiptPath(taxReceipt.id),
          orderNumber: taxReceipt.order_number,
          cancelled: taxReceipt.status === "cancelled",
        }
      : null,
    reference: contributionReference(k.id),
    status: myContributionState({
      status: k.status,
      campaignStatus: k.campaign_status,
      disputeStatus: k.dispute_status,
    }),
    outcome: outcomeText(k),
    amountCents: k.amount_cents,
    paidAt: k.paid_at!,
    publicName: k.public_name,
    anonymous: k.anonymous === 1,
    hideAmount: k.hide_amount === 1,
    rewardTitle: k.reward_title,
    campaign: { title: k.title, slug: k.slug, endsAt: k.ends_at, organization: k.organization_name },
  };
}

/** What became of the money, in the past tense only for what happened. */
function outcomeText(k: {
  status: string;
  campaign_status: string;
  dispute_status: string | null;
  amount_cents: number;
  ends_at: string;
}): string {
  const amount = formatEuros(k.amount_cents);
  if (k.campaign_status === "failed" || k.campaign_status === "cancelled") {
    const why =
      k.campaign_status === "failed"
        ? "La campagne n’a pas atteint son objectif"
        : "La campagne a été annulée";
    if (k.status === "refunded")
      return `${why}${NBSP}: vous avez été remboursé de ${amount} sur le moyen de paiement utilisé.`;
    if (k.status === "refunding")
      return `${why}${NBSP}: le remboursement de ${amount} est en cours sur le moyen de paiement utilisé.`;
    if (k.status === "refund_failed") {
      return `${why}${NBSP}: le remboursement de ${amount} a échoué. L’équipe de Propulsons vous contacte pour vous rembourser autrement.`;
    }
    if (k.dispute_status === "lost")
      return `${why}. Votre banque vous a rendu ce paiement à la suite de votre contestation.`;
    if (k.dispute_status === "open")
      return `${why}. Votre banque conteste ce paiement${NBSP}: le remboursement attend la fin de la contestation.`;
    return `${why}${NBSP}: vous allez être remboursé de ${amount}, automatiquement, sur le moyen de paiement utilisé.`;
  }
  if (k.campaign_status === "funded")
    return `La campagne a atteint son objectif. Merci pour votre soutien${NBSP}!`;
  return `Tout ou rien${NBSP}: si la campagne n’atteint pas son objectif à sa date de fin (${formatDateTime(k.ends_at)}), vous êtes intégralement remboursé, automatiquement, sur le moyen de paiement utilisé.`;
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
            <Link to={campaignPath(r.campaign.slug)}>{r.campaign.title}</Link> ({r.campaign.organization})
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
            {r.anonymous ? "«\u00a0Anonyme\u00a0»" : `«${NBSP}${r.publicName}${NBSP}»`},{" "}
            {r.hideAmount ? "montant masqué" : "montant affiché"}
          </dd>
        </div>
      </dl>
      <p>{r.outcome} Ce reçu n’est pas un reçu fiscal.</p>
      {r.taxReceipt ? (
        <p>
          <a href={r.taxReceipt.href} download>
            Télécharger le reçu fiscal (PDF)
          </a>{" "}
          — n° {r.taxReceipt.orderNumber}
          {r.taxReceipt.cancelled ? ", annulé (le don vous a été rendu)" : ""}
        </p>
      ) : null}
    </div>
  );
}
