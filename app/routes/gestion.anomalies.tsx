/** Payments and messages that need a person, and what to do about each. */
import { NBSP } from "~/domain/typography";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { CONTRIBUTION_STATUS_LABELS } from "~/domain/contribution-status";
import { formatDateTime, formatEuros, formatInteger, plural } from "~/domain/format";
import { attentionItems } from "~/staff/attention.server";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction = () => [
  { title: "Paiements à traiter — Espace Département — Propulsons" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ["staff"]);
  const items = await attentionItems(database().db);
  return {
    ...items,
    contributions: items.contributions.map((k) => ({
      ...k,
      statusLabel: CONTRIBUTION_STATUS_LABELS[k.status],
    })),
  };
}

export default function Attention() {
  const d = useLoaderData<typeof loader>();
  return (
    <div className="container page">
      <h1>Paiements à traiter</h1>
      <p>
        Ce qui demande une intervention humaine. La plateforme ne déplace jamais d’argent depuis cette
        page&nbsp;: les corrections se font dans le tableau de bord Stripe, et la plateforme les enregistre
        d’elle-même à la réception des notifications (webhooks).
      </p>

      <section aria-labelledby="h-contributions">
        <h2 id="h-contributions">Contributions signalées ({d.contributions.length})</h2>
        {d.contributions.length === 0 ? (
          <p>Aucune contribution en échec de remboursement, contestée ou signalée.</p>
        ) : (
          <ul className="stack attention-list">
            {d.contributions.map((k) => (
              <li key={k.id} className="card">
                <div className="card__body">
                  <h3>
                    {k.reference} — {formatEuros(k.amountCents)} — {k.statusLabel}
                  </h3>
                  <p>
                    Campagne&nbsp;: <Link to={`/gestion/campagnes/${k.campaignId}`}>{k.campaignTitle}</Link> ·
                    contributeur&nbsp;: <a href={`mailto:${k.email}`}>{k.email}</a>
                    {k.paymentIntent ? ` · paiement Stripe ${k.paymentIntent}` : ""} · mis à jour le{" "}
                    {formatDateTime(k.updatedAt)}
                  </p>
                  {k.problems.map((p, i) => (
                    <div key={i}>
                      <p>
                        <strong>{p.label}</strong>
                        {p.detail ? `${NBSP}: ${p.detail}` : ""}
                      </p>
                      <p className="next-step">À faire&nbsp;: {p.nextStep}</p>
                    </div>
                  ))}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="h-payouts">
        <h2 id="h-payouts">Virements aux porteurs en attente ou en échec ({d.payouts.length})</h2>
        {d.payouts.length === 0 ? (
          <p>Aucun virement en attente.</p>
        ) : (
          <ul className="stack attention-list">
            {d.payouts.map((p) => (
              <li key={p.id} className="card">
                <div className="card__body">
                  <h3>
                    {formatEuros(p.amountCents)} pour {p.organization} (
                    {p.kind === "main" ? "virement principal" : "virement complémentaire"}) —{" "}
                    {p.status === "failed" ? "en échec" : "en attente"}
                  </h3>
                  <p>
                    Campagne&nbsp;: <Link to={`/gestion/campagnes/${p.campaignId}`}>{p.campaignTitle}</Link> ·
                    créé le {formatDateTime(p.createdAt)} · {formatInteger(p.attempts)}{" "}
                    {plural(p.attempts, "tentative", "tentatives")}
                    {p.lastError ? ` · dernière erreur${NBSP}: ${p.lastError}` : ""}
                  </p>
                  <p className="next-step">À faire&nbsp;: {p.nextStep}</p>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="h-emails">
        <h2 id="h-emails">Courriels non distribués ({d.emails.length})</h2>
        {d.emails.length === 0 ? (
          <p>Tous les courriels ont été remis au prestataire d’envoi.</p>
        ) : (
          <>
            <p className="next-step">
              À faire&nbsp;: après 8 tentatives, l’envoi est abandonné. Vérifiez l’adresse et l’état du
              service d’envoi (Resend)&#x202f;; prévenez la personne par un autre moyen si le message était
              important (remboursement, virement).
            </p>
            <TableScroll label="Courriels non distribués">
              <table className="table">
                <caption className="visually-hidden">Courriels non distribués</caption>
                <thead>
                  <tr>
                    <th scope="col">Créé le</th>
                    <th scope="col">Destinataire</th>
                    <th scope="col">Type</th>
                    <th scope="col">Tentatives</th>
                    <th scope="col">Dernière erreur</th>
                  </tr>
                </thead>
                <tbody>
                  {d.emails.map((e) => (
                    <tr key={e.id}>
                      <td>{formatDateTime(e.createdAt)}</td>
                      <td>{e.to}</td>
                      <td>{e.kind}</td>
                      <td>{e.attempts}</td>
                      <td>{e.lastError ?? "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </>
        )}
      </section>
    </div>
  );
}
