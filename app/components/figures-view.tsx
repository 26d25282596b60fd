/** Key figures as shown on the annual report and in the staff back office (same data, same words). */
import { Form } from "@remix-run/react";
import { formatEuros, formatInteger, formatPercent } from "~/domain/format";
import type { BreakdownRow, Figures } from "~/models/figures.server";
import { Select } from "./form";
import { TableScroll } from "~/components/table-scroll";

export function FigureList({ f }: { f: Figures }) {
  const items: Array<[string, string]> = [
    [formatInteger(f.launched), "campagnes lancées"],
    [formatInteger(f.funded), "campagnes réussies"],
    [formatInteger(f.failed), "campagnes non financées"],
    [formatInteger(f.inProgress), "campagnes en cours"],
    [f.successRatePercent === null ? "—" : formatPercent(f.successRatePercent), "taux de réussite"],
    [formatEuros(f.collectedCents), "collectés auprès des citoyens"],
    [formatInteger(f.citizens), "citoyens impliqués"],
    [formatInteger(f.contributions), "contributions"],
    [
      f.averageContributionCents === null ? "—" : formatEuros(f.averageContributionCents),
      "contribution moyenne",
    ],
    [formatEuros(f.paidToHoldersCents), "versés aux porteurs de projet"],
    [formatEuros(f.commissionCents), "de commission conservée par la plateforme"],
    [formatEuros(f.refundedCents), "remboursés aux contributeurs"],
  ];
  if (f.cancelled > 0) items.splice(4, 0, [formatInteger(f.cancelled), "campagnes annulées"]);
  return (
    <>
      <ul className="figure-grid">
        {items.map(([value, label]) => (
          <li key={label}>
            <span className="figure__value">{value}</span>
            <span>{label}</span>
          </li>
        ))}
      </ul>
      <p className="muted">
        Citoyens impliqués{"\u00a0"}: les personnes (une adresse électronique, comptée une fois) dont un
        paiement a été reçu dans la période, remboursées depuis comprises, comme le montant collecté auprès
        des citoyens.
      </p>
    </>
  );
}

export function BreakdownTable({
  rows,
  caption,
  first,
}: {
  rows: BreakdownRow[];
  caption: string;
  first: string;
}) {
  const total = rows.reduce(
    (a, r) => ({
      launched: a.launched + r.launched,
      funded: a.funded + r.funded,
      cents: a.cents + r.collectedCents,
    }),
    {
      launched: 0,
      funded: 0,
      cents: 0,
    },
  );
  return (
    <TableScroll label={caption}>
      <table className="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <th scope="col" className="num">
              Lancées
            </th>
            <th scope="col" className="num">
              Réussies
            </th>
            <th scope="col" className="num">
              Collectés
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.slug}>
              <th scope="row">{r.name}</th>
              <td className="num">{formatInteger(r.launched)}</td>
              <td className="num">{formatInteger(r.funded)}</td>
              <td className="num">{formatEuros(r.collectedCents)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="num">{formatInteger(total.launched)}</td>
            <td className="num">{formatInteger(total.funded)}</td>
            <td className="num">{formatEuros(total.cents)}</td>
          </tr>
        </tfoot>
      </table>
    </TableScroll>
  );
}

/** Money collected per year, as bars, with the numbers in a table right after (the chart is not the only way to read them). */
export function YearChart({ years }: { years: Figures[] }) {
  const rows = years.flatMap((f) =>
    f.period.kind === "year" ? [{ year: f.period.year, cents: f.collectedCents, funded: f.funded }] : [],
  );
  if (rows.length === 0) return <p>Pas encore d’activité.</p>;
  const max = Math.max(1, ...rows.map((r) => r.cents));
  const barWidth = 48;
  const gap = 24;
  const height = 180;
  const top = 20;
  const bottom = 24;
  const width = rows.length * (barWidth + gap) + gap;
  return (
    <figure>
      <svg
        className="chart"
        role="img"
        aria-labelledby="year-chart-caption"
        viewBox={`0 0 ${width} ${height + top + bottom}`}
        width={width}
        height={height + top + bottom}
      >
        {rows.map((r, i) => {
          const h = r.cents === 0 ? 0 : Math.max(2, Math.round((r.cents / max) * height));
          const x = gap + i * (barWidth + gap);
          return (
            <g key={r.year}>
              <rect x={x} y={top + height - h} width={barWidth} height={h} fill="#00497a" />
              <text x={x + barWidth / 2} y={top + height - h - 6} textAnchor="middle">
                {Math.round(r.cents / 100_000)} k€
              </text>
              <text x={x + barWidth / 2} y={top + height + 16} textAnchor="middle">
                {r.year}
              </text>
            </g>
          );
        })}
        <line x1="0" y1={top + height + 0.5} x2={width} y2={top + height + 0.5} stroke="#4f5560" />
      </svg>
      <figcaption id="year-chart-caption">
        Montants collectés auprès des citoyens chaque année, de {rows[0]!.year} à {rows.at(-1)!.year} (en
        milliers d’euros). Les chiffres exacts sont dans le tableau ci-dessous.
      </figcaption>
    </figure>
  );
}

/** One line per year: the figures of the activity report. */
export function YearsTable({ years, sinceLaunch }: { years: Figures[]; sinceLaunch: Figures }) {
  const row = (f: Figures, label: string) => (
    <tr key={label}>
      <th scope="row">{label}</th>
      <td className="num">{formatInteger(f.launched)}</td>
      <td className="num">{formatInteger(f.funded)}</td>
      <td className="num">{formatInteger(f.failed)}</td>
      <td className="num">{f.successRatePercent === null ? "—" : formatPercent(f.successRatePercent)}</td>
      <td className="num">{formatEuros(f.collectedCents)}</td>
      <td className="num">{formatInteger(f.citizens)}</td>
      <td className="num">
        {f.averageContributionCents === null ? "—" : formatEuros(f.averageContributionCents)}
      </td>
    </tr>
  );
  return (
    <TableScroll label="Activité par année">
      <table className="table">
        <caption>
          Activité par année (une contribution compte l’année de son paiement, heure de Paris)
        </caption>
        <thead>
          <tr>
            <th scope="col">Année</th>
            <th scope="col" className="num">
              Campagnes lancées
            </th>
            <th scope="col" className="num">
              Réussies
            </th>
            <th scope="col" className="num">
              Non financées
            </th>
            <th scope="col" className="num">
              Taux de réussite
            </th>
            <th scope="col" className="num">
              Collectés
            </th>
            <th scope="col" className="num">
              Citoyens
            </th>
            <th scope="col" className="num">
              Contribution moyenne
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

/** The period picker (a year, or since launch) of the report and of the staff figures; a GET form, works without JavaScript. */
export function PeriodForm({ id, years, selected }: { id: string; years: number[]; selected: string }) {
  return (
    <Form method="get" className="filters">
      <Select id={id} label="Période" name="annee" defaultValue={selected}>
        {years.map((y) => (
          <option key={y} value={String(y)}>
            {y}
          </option>
        ))}
        <option value="tout">Depuis le lancement</option>
      </Select>
      <button type="submit" className="button button--secondary">
        Afficher
      </button>
    </Form>
  );
}
