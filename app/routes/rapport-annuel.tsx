/**
 * Public annual activity report (article L548-6 of the French monetary code): the key
 * figures per year, with a chart, the detail of one year, and the open-data exports.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BreakdownTable, FigureList, PeriodForm, YearChart, YearsTable } from "~/components/figures-view";
import { TableScroll } from "~/components/table-scroll";
import { database } from "~/db.server";
import { formatEuros, formatInteger } from "~/domain/format";
import { parsePeriodParam, periodLabel, type Period } from "~/domain/figures";
import { IfpYearsTable } from "~/legal/ifp-report-view";
import { annualReport } from "~/models/figures.server";
import { matchedFigures } from "~/matching/figures.server";
import { publicUrlFrom, SEO_HANDLE, seoMeta } from "~/seo/meta";

export const meta: MetaFunction = ({ matches }) =>
  seoMeta({
    title: "Rapport annuel d’activité",
    description:
      "Les chiffres clés de Propulsons, année par année\u00a0: campagnes, montants collectés, citoyens impliqués, données ouvertes.",
    base: publicUrlFrom(matches),
    path: "/rapport-annuel",
  });
export const handle = SEO_HANDLE;

export async function loader({ request }: LoaderFunctionArgs) {
  let asked: Period | null;
  try {
    asked = parsePeriodParam(new URL(request.url).searchParams.get("annee"));
  } catch {
    throw new Response("Année invalide\u00a0: indiquez une année sur 4 chiffres, ou «\u00a0tout\u00a0».", {
      status: 400,
    });
  }
  const report = await annualReport(database().db);
  const latest = report.years.at(-1);
  const period: Period = asked ?? (latest ? latest.period : { kind: "all" });
  const detail =
    period.kind === "all"
      ? report.sinceLaunch
      : report.years.find((f) => f.period.kind === "year" && f.period.year === period.year);
  if (!detail) throw new Response("Aucune activité cette année-là.", { status: 404 });
  const matched = await matchedFigures(database().db);
  return {
    report,
    period,
    detail,
    label: periodLabel(period),
    matched: { perYear: matched.perYear, totalCents: matched.totalCents },
  };
}

export default function AnnualReport() {
  const { report, period, detail, label, matched } = useLoaderData<typeof loader>();
  const selected = period.kind === "all" ? "tout" : String(period.year);
  return (
    <div className="container page">
      <h1>Rapport annuel d’activité</h1>
      <p>
        Chaque année, Propulsons publie l’activité de la plateforme&nbsp;: campagnes lancées et réussies,
        montants collectés, citoyens impliqués (article L548-6 du code monétaire et financier). Tous les
        chiffres sont calculés à partir des paiements enregistrés&#x202f;; une contribution compte pour
        l’année de son paiement (heure de Paris).
      </p>

      <section aria-labelledby="h-years">
        <h2 id="h-years">Année par année</h2>
        <YearChart years={report.years} />
        <YearsTable years={report.years} sinceLaunch={report.sinceLaunch} />
      </section>

      <section aria-labelledby="h-ifp">
        <h2 id="h-ifp">Projets reçus, acceptés et financés</h2>
        <p>
          Ce que publie chaque année un intermédiaire en financement participatif. Un projet est
          «&nbsp;reçu&nbsp;» l’année où il est soumis pour la première fois à l’équipe, «&nbsp;accepté&nbsp;»
          l’année où elle l’approuve, «&nbsp;financé&nbsp;» l’année de la fin d’une campagne qui atteint son
          objectif. Le montant collecté et les contributeurs sont ceux de l’année des paiements&#x202f;; la
          moyenne par projet financé divise ce que les projets financés dans l’année ont reçu (remboursements
          déduits) par leur nombre, la moyenne par contributeur divise le montant collecté par le nombre de
          contributeurs.
        </p>
        <IfpYearsTable years={report.years} sinceLaunch={report.sinceLaunch} />
      </section>

      {matched.perYear.length > 0 ? (
        <section aria-labelledby="h-matching">
          <h2 id="h-matching">L’abondement du Département</h2>
          <p>
            L’argent que le Département ajoute aux contributions des citoyens sur les projets qu’il abonde,
            confirmé quand la campagne réussit et versé par le Département au porteur. Il n’est jamais compté
            dans les montants collectés auprès des citoyens ci-dessus.
          </p>
          <TableScroll label="Abondement confirmé, par année">
            <table>
              <caption>Abondement confirmé, par année de réussite des campagnes</caption>
              <thead>
                <tr>
                  <th scope="col">Année</th>
                  <th scope="col">Abondement confirmé</th>
                  <th scope="col">Campagnes abondées</th>
                </tr>
              </thead>
              <tbody>
                {matched.perYear.map((y) => (
                  <tr key={y.year}>
                    <th scope="row">{y.year}</th>
                    <td>{formatEuros(y.matchedCents)}</td>
                    <td>{formatInteger(y.campaigns)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Depuis le lancement</th>
                  <td>{formatEuros(matched.totalCents)}</td>
                  <td />
                </tr>
              </tfoot>
            </table>
          </TableScroll>
        </section>
      ) : null}

      <section aria-labelledby="h-detail">
        <h2 id="h-detail">Le détail {label}</h2>
        <PeriodForm
          id="r-annee"
          years={report.years.flatMap((f) => (f.period.kind === "year" ? [f.period.year] : [])).reverse()}
          selected={selected}
        />
        <FigureList f={detail} />
        <BreakdownTable rows={detail.byTerritory} caption={`Par territoire, ${label}`} first="Territoire" />
        <BreakdownTable rows={detail.byTheme} caption={`Par thème, ${label}`} first="Thème" />
      </section>

      <section aria-labelledby="h-open-data">
        <h2 id="h-open-data">Données ouvertes</h2>
        <p>
          Les campagnes publiées et les chiffres clés sont téléchargeables librement (Licence Ouverte Etalab
          2.0). Aucune donnée personnelle n’y figure&nbsp;: ni contributeur, ni adresse électronique.
        </p>
        <ul>
          <li>
            Campagnes&nbsp;:{" "}
            <a href="/donnees/campagnes.csv" download>
              CSV
            </a>{" "}
            · <a href="/donnees/campagnes.json">JSON</a>
          </li>
          <li>
            Chiffres clés par année&nbsp;:{" "}
            <a href="/donnees/chiffres.csv" download>
              CSV
            </a>{" "}
            · <a href="/donnees/chiffres.json">JSON</a>
          </li>
        </ul>
        <p>
          <Link to="/campagnes">Voir tous les projets</Link>
        </p>
      </section>
    </div>
  );
}
