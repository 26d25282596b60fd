/** Staff: the structures' tax-receipt declarations, the ones to verify first. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { formatDateTime } from "~/domain/format";
import { taxStatusLabel } from "~/domain/receipt-forms";
import { PROFILE_STATUS_LABELS, staffProfileList } from "~/receipts-forms/profiles.server";

export const meta: MetaFunction = () => [
  { title: "Reçus fiscaux — Espace Département — Propulsons" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ["staff"]);
  const rows = await staffProfileList(database().db);
  return {
    rows: rows.map((r) => ({
      id: r.organization_id,
      name: r.name,
      town: r.town,
      status: r.status,
      statusLabel: PROFILE_STATUS_LABELS[r.status],
      taxStatus: taxStatusLabel(r.tax_status),
      updatedAt: r.updated_at,
    })),
  };
}

export default function ReceiptDeclarations() {
  const { rows } = useLoaderData<typeof loader>();
  const waiting = rows.filter((r) => r.status === "declared").length;
  return (
    <div className="container page">
      <h1>Déclarations de reçus fiscaux</h1>
      <p>
        Les structures qui demandent à émettre des reçus fiscaux par Propulsons. Aucun reçu n’est émis avant
        votre vérification.{" "}
        {waiting === 0
          ? "Aucune déclaration n’attend de vérification."
          : waiting === 1
            ? "Une déclaration attend votre vérification."
            : `${waiting} déclarations attendent votre vérification.`}
      </p>
      {rows.length > 0 ? (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">Déclarations de reçus fiscaux</caption>
            <thead>
              <tr>
                <th scope="col">Structure</th>
                <th scope="col">Commune</th>
                <th scope="col">Statut fiscal</th>
                <th scope="col">État</th>
                <th scope="col">Mise à jour</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/gestion/recus-fiscaux/${r.id}`}>{r.name}</Link>
                  </th>
                  <td>{r.town}</td>
                  <td>{r.taxStatus}</td>
                  <td>{r.statusLabel}</td>
                  <td>{formatDateTime(r.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
