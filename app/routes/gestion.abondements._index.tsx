/** Staff: every abondement fund with its live state (envelope, reserved, confirmed, available). */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { countOf, formatEuros } from "~/domain/format";
import { fundList } from "~/matching/admin.server";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction = () => [
  { title: "Abondements — Espace Département — Propulsons" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ["staff"]);
  return { funds: await fundList(database().db) };
}

export default function StaffFunds() {
  const { funds } = useLoaderData<typeof loader>();
  return (
    <div className="container page">
      <h1>Abondements</h1>
      <p>
        Les enveloppes du Département qui s’ajoutent aux contributions des citoyens. L’argent réservé suit ses
        contributions (libéré si elles sont remboursées ou si la campagne échoue)&nbsp;; il est confirmé quand
        la campagne réussit, et le Département le verse au porteur sur relevé.
      </p>
      <p>
        <Link to="/gestion/abondements/nouveau" className="button">
          Créer un fonds d’abondement
        </Link>
      </p>
      <p role="status">{countOf(funds.length, "fonds", "fonds")}.</p>
      {funds.length > 0 ? (
        <TableScroll label="Fonds d’abondement">
          <table className="table">
            <caption className="visually-hidden">Fonds d’abondement et leur état</caption>
            <thead>
              <tr>
                <th scope="col">Fonds</th>
                <th scope="col">État</th>
                <th scope="col">Règle</th>
                <th scope="col">Périmètre</th>
                <th scope="col" className="num">
                  Enveloppe
                </th>
                <th scope="col" className="num">
                  Réservé
                </th>
                <th scope="col" className="num">
                  Confirmé
                </th>
                <th scope="col" className="num">
                  Disponible
                </th>
              </tr>
            </thead>
            <tbody>
              {funds.map((f) => (
                <tr key={f.id}>
                  <th scope="row">
                    <Link to={`/gestion/abondements/${f.id}`}>{f.name}</Link>
                  </th>
                  <td>{f.phaseLabel}</td>
                  <td>{f.ratio}</td>
                  <td>
                    {f.scope} ({countOf(f.campaigns, "campagne", "campagnes")})
                  </td>
                  <td className="num">{formatEuros(f.envelopeCents)}</td>
                  <td className="num">{formatEuros(f.reservedCents)}</td>
                  <td className="num">{formatEuros(f.confirmedCents)}</td>
                  <td className="num">{formatEuros(f.availableCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : (
        <p>Aucun fonds d’abondement pour l’instant.</p>
      )}
    </div>
  );
}
