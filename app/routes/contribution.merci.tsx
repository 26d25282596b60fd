import { NBSP } from "~/domain/typography";
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { database } from "~/db.server";
import { formatDateTime, formatEuros } from "~/domain/format";
import { thankYouPage } from "~/payments/thank-you.server";
import { campaignPath } from "~/domain/paths";
import { ShareLinks } from "~/components/share-links";
import { thankYouMatchSentence } from "~/domain/matching-text";
import { matchOfCheckoutSession } from "~/matching/offer.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title:
      data?.state === "thanks"
        ? "Merci pour votre contribution — Propulsons"
        : "Votre contribution — Propulsons",
  },
  // While the payment is being confirmed the page reloads itself (works without JavaScript).
  ...(data?.state === "confirming" ? [{ httpEquiv: "refresh", content: "3" } as const] : []),
];

// Personal page: never cached, never shared.
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const sessionId = new URL(request.url).searchParams.get("session_id") ?? "";
  if (!/^cs_[A-Za-z0-9_]{1,200}$/.test(sessionId)) {
    throw new Response("Lien de confirmation invalide.", { status: 400 });
  }
  const page = await thankYouPage(database().db, sessionId);
  if (!page) throw new Response("Contribution introuvable.", { status: 404 });
  // Only a recorded match is said; before the webhook (or with none) the page says nothing of it.
  const match = page.state === "thanks" ? await matchOfCheckoutSession(database().db, sessionId) : null;
  return { ...page, match };
}

export default function Thanks() {
  const d = useLoaderData<typeof loader>();
  const amount = <strong>{formatEuros(d.amountCents)}</strong>;
  const reference = (
    <>
      Référence&nbsp;: <strong>{d.reference}</strong>.
    </>
  );
  return (
    <div className="container page prose-page">
      {d.state === "thanks" ? (
        <>
          <h1>Merci pour votre contribution&#x202f;!</h1>
          <p className="outcome outcome--funded" role="status">
            Votre paiement de {amount} à «&nbsp;{d.campaign.title}&nbsp;» est confirmé
            {d.paidAt ? ` (le ${formatDateTime(d.paidAt)})` : ""}. {reference}
          </p>
          {d.match ? (
            <p className="matching-offer matching-quote" id="abondement">
              {thankYouMatchSentence(d.match)}
            </p>
          ) : null}
        </>
      ) : d.state === "confirming" ? (
        <>
          <h1>Paiement en cours de confirmation</h1>
          <p className="outcome" role="status">
            Nous attendons la confirmation de votre banque. Cette page se met à jour toute seule&#x202f;; vous
            recevrez aussi un reçu par courriel dès que le paiement sera confirmé. {reference}
          </p>
        </>
      ) : d.state === "late" || d.state === "refunding" ? (
        <>
          <h1>{d.state === "late" ? "La collecte est terminée" : "Remboursement en cours"}</h1>
          <p className="outcome" role="status">
            {d.state === "late" ? (
              <>
                Votre paiement de {amount} est arrivé après la fin de la collecte de «&nbsp;{d.campaign.title}
                &nbsp;», qui {d.campaign.cancelled ? "a été annulée" : "n’a pas atteint son objectif"}.{" "}
              </>
            ) : (
              <>
                Votre paiement de {amount} à «&nbsp;{d.campaign.title}&nbsp;» est en cours de
                remboursement.{" "}
              </>
            )}
            Il va vous être intégralement remboursé, automatiquement, sur le moyen de paiement
            utilisé&#x202f;; un courriel vous le confirmera dès que le remboursement sera fait. {reference}
          </p>
        </>
      ) : d.state === "refunded" ? (
        <>
          <h1>Vous avez été remboursé</h1>
          <p className="outcome" role="status">
            Votre paiement de {amount} à «&nbsp;{d.campaign.title}&nbsp;» vous a été remboursé sur le moyen de
            paiement utilisé&#x202f;; il apparaît sur votre relevé sous 5 à 10 jours ouvrés selon votre
            banque. {reference}
          </p>
        </>
      ) : d.state === "refund_failed" ? (
        <>
          <h1>Le remboursement n’a pas abouti</h1>
          <p className="outcome outcome--failed" role="status">
            Le remboursement de votre paiement de {amount} n’a pas pu être fait. L’équipe de Propulsons a été
            prévenue et vous contactera pour vous rembourser autrement&#x202f;; vous pouvez écrire à{" "}
            <a href={`mailto:${d.contactEmail}`}>{d.contactEmail}</a> en indiquant la référence {d.reference}.
          </p>
        </>
      ) : (
        <>
          <h1>Le paiement n’a pas abouti</h1>
          <p className="outcome outcome--failed" role="status">
            Aucun montant n’a été prélevé. Vous pouvez{" "}
            <Link to={`${campaignPath(d.campaign.slug)}#contribuer`}>réessayer</Link>.
          </p>
        </>
      )}
      {d.state === "thanks" || d.state === "confirming" ? (
        <>
          <h2>Et maintenant&#x202f;?</h2>
          <ul>
            <li>
              {d.state === "thanks" ? "Un reçu vous est envoyé" : "Un reçu vous sera envoyé"} par courriel
              (adresse en @{d.emailDomain}) avec le montant
              {d.rewardTitle ? `, la contrepartie «${NBSP}${d.rewardTitle}${NBSP}»` : ""} et la référence de
              votre contribution.
            </li>
            {d.taxReceipt ? (
              <li>
                Vous avez demandé un reçu fiscal&nbsp;: il vous sera envoyé quand la campagne aura réussi.{" "}
                {d.taxReceipt.headline}
              </li>
            ) : null}
            <li>
              La collecte se termine le {formatDateTime(d.campaign.endsAt)}. Si l’objectif est atteint, les
              fonds sont versés au porteur de projet.
            </li>
            <li>
              <strong>Tout ou rien&nbsp;:</strong> si l’objectif n’est pas atteint, vous serez intégralement
              remboursé, automatiquement, sur le moyen de paiement utilisé.
            </li>
          </ul>
        </>
      ) : null}
      {d.state === "thanks" || d.state === "confirming" ? (
        <ShareLinks
          path={campaignPath(d.campaign.slug)}
          title={d.campaign.title}
          heading="Faites connaître le projet autour de vous"
        />
      ) : null}
      <p>
        <Link to={campaignPath(d.campaign.slug)}>Revenir au projet «&nbsp;{d.campaign.title}&nbsp;»</Link>
      </p>
    </div>
  );
}
