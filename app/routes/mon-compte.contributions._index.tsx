import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { contributionReference } from "~/domain/contribution-status";
import { formatDate, formatEuros } from "~/domain/format";
import { myContributions, myContributionState } from "~/models/my-contributions.server";
import { campaignPath } from "~/domain/paths";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction = () => [{ title: "Mes contributions — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const rows = await myContributions(database().db, user.email);
  return {
    contributions: rows.map((k) => ({
      id: k.id,
      reference: contributionReference(k.id),
      status: myContributionState({
        status: k.status,
        campaignStatus: k.campaign_status,
        disputeStatus: k.dispute_status,
      }),
      hasReceipt: k.paid_at !== null,
      amountCents: k.amount_cents,
      date: k.paid_at ?? k.created_at,
      campaign: { title: k.title, slug: k.slug },
      rewardTitle: k.reward_title,
    })),
  };
}

export default function MyContributions() {
  const { contributions } = useLoaderData<typeof loader>();
  return (
    <div className="container page">
      <p>
        <Link to="/mon-compte">← Mon compte</Link>
      </p>
      <h1>Mes contributions</h1>
      {contributions.length === 0 ? (
        <p>
          Aucune contribution avec cette adresse pour le moment.{" "}
          <Link to="/campagnes?statut=en-cours">Découvrir les projets en cours</Link>
        </p>
      ) : (
        <TableScroll label="Vos contributions">
          <table className="table">
            <caption className="visually-hidden">
              Vos contributions, de la plus récente à la plus ancienne
            </caption>
            <thead>
              <tr>
                <th scope="col">Projet</th>
                <th scope="col">Date</th>
                <th scope="col" className="num">
                  Montant
                </th>
                <th scope="col">État</th>
                <th scope="col">Reçu</th>
              </tr>
            </thead>
            <tbody>
              {contributions.map((k) => (
                <tr key={k.id}>
                  <td>
                    <Link to={campaignPath(k.campaign.slug)}>{k.campaign.title}</Link>
                    {k.rewardTitle ? <div className="muted">Contrepartie&nbsp;: {k.rewardTitle}</div> : null}
                  </td>
                  <td>{formatDate(k.date)}</td>
                  <td className="num">{formatEuros(k.amountCents)}</td>
                  <td>{k.status}</td>
                  <td>
                    {k.hasReceipt ? (
                      <Link to={`/mon-compte/contributions/${k.id}`}>Reçu {k.reference}</Link>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}
