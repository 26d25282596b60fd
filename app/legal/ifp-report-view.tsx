/**
 * The figures an intermédiaire en financement participatif publishes each year (issue 13):
 * projects received, accepted and funded, amounts collected, contributors, and the averages per
 * funded project and per contributor. Read from app/models/figures.server.ts like every figure.
 */
import { formatEuros, formatInteger } from "~/domain/format";
import type { Figures } from "~/models/figures.server";
import { TableScroll } from "~/components/table-scroll";

const euros = (cents: number | null) => (cents === null ? "—" : formatEuros(cents));

export function IfpYearsTable({ years, sinceLaunch }: { years: Figures[]; sinceLaunch: Figures }) {
  const row = (f: Figures, label: string) => (
    <tr key={label}>
      <th scope="row">{label}</th>
      <td className="num">{formatInteger(f.submitted)}</td>
      <td className="num">{formatInteger(f.approved)}</td>
      <td className="num">{formatInteger(f.funded)}</td>
      <td className="num">{formatEuros(f.collectedCents)}</td>
      <td className="num">{formatInteger(f.citizens)}</td>
      <td className="num">{euros(f.averagePerFundedProjectCents)}</td>
      <td className="num">{euros(f.averagePerCitizenCents)}</td>
    </tr>
  );
  return (
    <TableScroll label="Tableau des projets reçus, acceptés et financés (défilant)">
      <table className="table">
        <caption>Projets reçus, acceptés et financés, montants et contributeurs, par année</caption>
        <thead>
          <tr>
            <th scope="col">Année</th>
            <th scope="col" className="num">
              Projets reçus
            </th>
            <th scope="col" className="num">
              Projets acceptés
            </th>
            <th scope="col" className="num">
              Projets financés
            </th>
            <th scope="col" className="num">
              Montant collecté
            </th>
            <th scope="col" className="num">
              Contributeurs
            </th>
            <th scope="col" className="num">
              Moyenne par projet financé
            </th>
            <th scope="col" className="num">
              Moyenne par contributeur
            </th>
          </tr>
        </thead>
        <tbody>
          {[...years].reverse().map((f) => row(f, f.period.kind === "year" ? String(f.period.year) : ""))}
        </tbody>
        <tfoot>{row(sinceLaunch, "Depuis le lancement")}</tfoot>
      </table>
    </TableScroll>
  );
}
