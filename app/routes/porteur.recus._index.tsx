/** The holder's tax receipts for a year: the register, the figures of article 222 bis, the files. */
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { TableScroll } from "~/components/table-scroll";
import { database } from "~/db.server";
import { formatDate, formatEuros, plural } from "~/domain/format";
import { article222bis, yearReceipts } from "~/receipts/access.server";
import { holderYearScope } from "~/receipts/holder-page.server";
import { holderReceiptPath, registerCsvPath, yearZipPath } from "~/receipts/paths";
import { parseSnapshot } from "~/receipts/snapshot";

export const meta: MetaFunction = () => [{ title: "Reçus fiscaux — Espace porteur — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const { structures, structure, year } = await holderYearScope(request);
  const rows = structure ? await yearReceipts(database().db, structure.id, year) : [];
  const years = structure ? [...new Set([year, ...structure.years])].sort((a, b) => b - a) : [year];
  return {
    structures: structures.map((s) => ({ id: s.id, name: s.name })),
    structure: structure
      ? {
          id: structure.id,
          name: structure.name,
          profileStatus: structure.profile_status,
          hasSignature: structure.signature_path !== null,
        }
      : null,
    year,
    years,
    figures: article222bis(rows),
    receipts: rows.map((r) => {
      const s = parseSnapshot(r.snapshot_json);
      return {
        id: r.id,
        orderNumber: r.order_number,
        issuedAt: r.issued_at,
        donor: `${s.donor.firstName} ${s.donor.lastName}`,
        amountCents: r.amount_cents,
        deductibleCents: r.deductible_cents,
        cancelled: r.status === "cancelled",
        cancelReason: r.cancel_reason,
      };
    }),
  };
}

const NBSP = "\u00a0";

export default function HolderReceipts() {
  const d = useLoaderData<typeof loader>();
  return (
    <div className="container page">
      <p>
        <Link to="/porteur">← Espace porteur de projet</Link>
      </p>
      <h1>Reçus fiscaux {d.year}</h1>
      {!d.structure ? (
        <p>Vous n’avez pas encore de structure.</p>
      ) : (
        <>
          <Form method="get" className="inline-form">
            {d.structures.length > 1 ? (
              <p>
                <label htmlFor="structure">Structure</label>{" "}
                <select id="structure" name="structure" defaultValue={d.structure.id}>
                  {d.structures.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </p>
            ) : (
              <input type="hidden" name="structure" value={d.structure.id} />
            )}
            <p>
              <label htmlFor="annee">Année d’émission</label>{" "}
              <select id="annee" name="annee" defaultValue={d.year}>
                {d.years.map((y) => (
                  <option key={y} value={y}>
                    {y}
                  </option>
                ))}
              </select>{" "}
              <button type="submit" className="button">
                Afficher
              </button>
            </p>
          </Form>
          {d.structure.profileStatus !== "verified" ? (
            <p className="notice">
              Les reçus fiscaux de {d.structure.name} ne sont pas délivrés&nbsp;: sa déclaration n’est pas
              vérifiée par l’équipe (ou a été retirée).
            </p>
          ) : !d.structure.hasSignature ? (
            <p className="notice">
              Aucun reçu ne peut être délivré tant que l’image de la signature n’est pas ajoutée à la
              déclaration de {d.structure.name}.
            </p>
          ) : null}

          <section aria-labelledby="figures-title">
            <h2 id="figures-title">À déclarer pour {d.year} (article 222 bis du CGI)</h2>
            <dl className="receipt">
              <div>
                <dt>Montant total des dons ayant donné lieu à un reçu</dt>
                <dd>{formatEuros(d.figures.totalCents)}</dd>
              </div>
              <div>
                <dt>Nombre de reçus délivrés</dt>
                <dd>{d.figures.count}</dd>
              </div>
            </dl>
            <p>
              Les reçus annulés (don remboursé ou repris par la banque du donateur) ne sont comptés ni dans le
              montant ni dans le nombre. L’année est celle de l’émission du reçu.
            </p>
          </section>

          <section aria-labelledby="register-title">
            <h2 id="register-title">Registre des reçus {d.year}</h2>
            {d.receipts.length === 0 ? (
              <p>Aucun reçu délivré en {d.year}.</p>
            ) : (
              <>
                <p>
                  <a href={registerCsvPath(d.structure.id, d.year)} download>
                    Télécharger le registre (CSV pour tableur)
                  </a>
                  {" · "}
                  <a href={yearZipPath(d.structure.id, d.year)} download>
                    Télécharger les {d.receipts.length} {plural(d.receipts.length, "reçu", "reçus")} (fichier
                    ZIP)
                  </a>
                </p>
                <TableScroll label={`Registre des reçus ${d.year}`}>
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Numéro</th>
                        <th scope="col">Émis le</th>
                        <th scope="col">Donateur</th>
                        <th scope="col">Montant</th>
                        <th scope="col">Ouvrant droit à réduction</th>
                        <th scope="col">État</th>
                        <th scope="col">PDF</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.receipts.map((r) => (
                        <tr key={r.id}>
                          <td>{r.orderNumber}</td>
                          <td>{formatDate(r.issuedAt)}</td>
                          <td>{r.donor}</td>
                          <td>{formatEuros(r.amountCents)}</td>
                          <td>{formatEuros(r.deductibleCents)}</td>
                          <td>{r.cancelled ? `Annulé${NBSP}: ${r.cancelReason ?? ""}` : "Émis"}</td>
                          <td>
                            <a href={holderReceiptPath(r.id)} download>
                              Reçu {r.orderNumber}
                            </a>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
              </>
            )}
          </section>
        </>
      )}
    </div>
  );
}
