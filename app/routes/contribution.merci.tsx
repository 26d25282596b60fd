import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { database } from "~/db.server";
import { contributionReference } from "~/domain/contribution-status";
import { formatDateTime, formatEuros } from "~/domain/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.status === "paid" ? "Merci pour votre contribution — Propulsons" : "Votre contribution — Propulsons" },
  // While the payment is being confirmed the page reloads itself (works without JavaScript).
  ...(data?.status === "pending" ? [{ httpEquiv: "refresh", content: "3" } as const] : []),
];

// Personal page: never cached, never shared.
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const sessionId = new URL(request.url).searchParams.get("session_id") ?? "";
  if (!/^cs_[A-Za-z0-9_]{1,200}$/.test(sessionId)) {
    throw new Response("Lien de confirmation invalide.", { status: 400 });
  }
  const row = await database()
    .db.selectFrom("contributions as k")
    .innerJoin("campaigns as c", "c.id", "k.campaign_id")
    .leftJoin("rewards as r", "r.id", "k.reward_id")
    .select(["k.id", "k.status", "k.amount_cents", "k.paid_at", "k.email", "c.title", "c.slug", "c.ends_at", "r.title as reward_title"])
    .where("k.stripe_checkout_session_id", "=", sessionId)
    .executeTakeFirst();
  if (!row) throw new Response("Contribution introuvable.", { status: 404 });
  return {
    reference: contributionReference(row.id),
    status: row.status,
    amountCents: row.amount_cents,
    paidAt: row.paid_at,
    rewardTitle: row.reward_title,
    campaign: { title: row.title, slug: row.slug, endsAt: row.ends_at },
    // Only the domain, to reassure without exposing the address on a shareable URL.
    emailDomain: row.email.split("@")[1] ?? "",
  };
}

export default function Thanks() {
  const d = useLoaderData<typeof loader>();
  const paid = d.status === "paid";
  const pending = d.status === "pending";
  return (
    <div className="container page prose-page">
      {paid ? (
        <>
          <h1>Merci pour votre contribution !</h1>
          <p className="outcome outcome--funded" role="status">
            Votre paiement de <strong>{formatEuros(d.amountCents)}</strong> à « {d.campaign.title} » est confirmé
            {d.paidAt ? ` (le ${formatDateTime(d.paidAt)})` : ""}. Référence : <strong>{d.reference}</strong>.
          </p>
        </>
      ) : pending ? (
        <>
          <h1>Paiement en cours de confirmation</h1>
          <p className="outcome" role="status">
            Nous attendons la confirmation de votre banque. Cette page se met à jour toute seule ; vous recevrez aussi un
            reçu par courriel dès que le paiement sera confirmé. Référence : <strong>{d.reference}</strong>.
          </p>
        </>
      ) : (
        <>
          <h1>Le paiement n'a pas abouti</h1>
          <p className="outcome outcome--failed" role="status">
            Aucun montant n'a été prélevé. Vous pouvez <Link to={`/campagnes/${d.campaign.slug}#contribuer`}>réessayer</Link>.
          </p>
        </>
      )}
      {paid || pending ? (
        <>
          <h2>Et maintenant ?</h2>
          <ul>
            <li>
              Un reçu vous est envoyé par courriel (adresse en @{d.emailDomain}) avec le montant
              {d.rewardTitle ? `, la contrepartie « ${d.rewardTitle} »` : ""} et la référence de votre contribution.
            </li>
            <li>
              La collecte se termine le {formatDateTime(d.campaign.endsAt)}. Si l'objectif est atteint, les fonds sont versés
              au porteur de projet.
            </li>
            <li>
              <strong>Tout ou rien :</strong> si l'objectif n'est pas atteint, vous serez intégralement remboursé,
              automatiquement, sur le moyen de paiement utilisé.
            </li>
          </ul>
        </>
      ) : null}
      <p>
        <Link to={`/campagnes/${d.campaign.slug}`}>Revenir au projet « {d.campaign.title} »</Link>
      </p>
    </div>
  );
}
