/** « Chiffres clés » for the staff: one year or since launch, with the money figures and the breakdowns. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { BreakdownTable, FigureList, PeriodForm } from "~/components/figures-view";
import { database } from "~/db.server";
import { parsePeriodParam, periodLabel, type Period } from "~/domain/figures";
import { parisYear } from "~/domain/time";
import { activityYears, figuresFor } from "~/models/figures.server";

export const meta: MetaFunction = () => [
  { title: "Chiffres clés — Espace Département — Propulsons" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ["staff"]);
  let period: Period;
  try {
    period = parsePeriodParam(new URL(request.url).searchParams.get("annee")) ?? {
      kind: "year",
      year: parisYear(new Date()),
    };
  } catch {
    throw new Response("Année invalide\u00a0: indiquez une année sur 4 chiffres, ou «\u00a0tout\u00a0».", {
      status: 400,
    });
  }
  const db = database().db;
  const [figures, years] = await Promise.all([figuresFor(db, period), activityYears(db)]);
  const current = parisYear(new Date());
  return {
    figures,
    years: [...new Set([...years, current])].sort((a, b) => b - a),
    label: periodLabel(period),
    selected: period.kind === "all" ? "tout" : String(period.year),
  };
}

export default function StaffFigures() {
  const d = useLoaderData<typeof loader>();
  return (
    <div className="container page">
      <h1>Chiffres clés {d.label}</h1>
      <PeriodForm id="c-annee" years={d.years} selected={d.selected} />
      <FigureList f={d.figures} />
      <BreakdownTable
        rows={d.figures.byTerritory}
        caption={`Par territoire, ${d.label}`}
        first="Territoire"
      />
      <BreakdownTable rows={d.figures.byTheme} caption={`Par thème, ${d.label}`} first="Thème" />
      <p>
        Mêmes chiffres que le <a href={`/rapport-annuel?annee=${d.selected}`}>rapport annuel public</a> et les{" "}
        <a href="/donnees/chiffres.csv">données ouvertes</a>.
      </p>
    </div>
  );
}
