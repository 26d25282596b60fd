import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { countOf, formatEuros, formatInteger, plural } from "~/domain/format";
import { parisYear } from "~/domain/time";
import { figuresFor } from "~/models/figures.server";
import { attentionCounts } from "~/staff/attention.server";
import { moderationQueue } from "~/staff/moderation.server";
import { declaredCount } from "~/receipts-forms/profiles.server";

export const meta: MetaFunction = () => [
  { title: "Espace Département — Propulsons" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["staff"]);
  const db = database().db;
  const year = parisYear(new Date());
  const [queue, attention, figures, receiptDeclarations] = await Promise.all([
    moderationQueue(db),
    attentionCounts(db),
    figuresFor(db, { kind: "year", year }),
    declaredCount(db),
  ]);
  return {
    name: user.displayName,
    waiting: queue.length,
    oldest: queue[0] ? { id: queue[0].id, title: queue[0].title } : null,
    attention,
    receiptDeclarations,
    year,
    figures: {
      launched: figures.launched,
      inProgress: figures.inProgress,
      collectedCents: figures.collectedCents,
      citizens: figures.citizens,
    },
  };
}

export default function StaffHome() {
  const d = useLoaderData<typeof loader>();
  const attentionTotal = d.attention.contributions + d.attention.payouts + d.attention.emails;
  return (
    <div className="container page">
      <h1>Espace Département</h1>
      <p>Bonjour {d.name}.</p>
      <div className="grid staff-cards">
        <section className="card" aria-labelledby="h-moderation">
          <div className="card__body">
            <h2 id="h-moderation">Modération</h2>
            <p>
              {d.waiting === 0
                ? "Aucune campagne n’attend de validation."
                : `${formatInteger(d.waiting)} ${plural(d.waiting, "campagne attend", "campagnes attendent")} une décision.`}
            </p>
            {d.oldest ? (
              <p>
                La plus ancienne&nbsp;: <Link to={`/gestion/campagnes/${d.oldest.id}`}>{d.oldest.title}</Link>
              </p>
            ) : null}
            <p>
              <Link to="/gestion/moderation">Ouvrir la file de modération</Link>
            </p>
          </div>
        </section>
        <section className="card" aria-labelledby="h-attention">
          <div className="card__body">
            <h2 id="h-attention">Paiements à traiter</h2>
            {attentionTotal === 0 ? (
              <p>Rien à traiter.</p>
            ) : (
              <ul>
                <li>
                  {countOf(d.attention.contributions, "contribution signalée", "contributions signalées")}
                </li>
                <li>{countOf(d.attention.payouts, "virement", "virements")} en attente ou en échec</li>
                <li>{countOf(d.attention.emails, "courriel non distribué", "courriels non distribués")}</li>
              </ul>
            )}
            <p>
              <Link to="/gestion/anomalies">Voir le détail</Link>
            </p>
          </div>
        </section>
        <section className="card" aria-labelledby="h-receipts">
          <div className="card__body">
            <h2 id="h-receipts">Reçus fiscaux</h2>
            <p>
              {d.receiptDeclarations === 0
                ? "Aucune déclaration n’attend de vérification."
                : `${formatInteger(d.receiptDeclarations)} ${plural(d.receiptDeclarations, "déclaration attend", "déclarations attendent")} une vérification.`}
            </p>
            <p>
              <Link to="/gestion/recus-fiscaux">Voir les déclarations</Link>
            </p>
          </div>
        </section>
        <section className="card" aria-labelledby="h-year">
          <div className="card__body">
            <h2 id="h-year">Année {d.year}</h2>
            <ul>
              <li>
                {countOf(d.figures.launched, "campagne lancée", "campagnes lancées")}, dont{" "}
                {formatInteger(d.figures.inProgress)} en cours
              </li>
              <li>{formatEuros(d.figures.collectedCents)} collectés</li>
              <li>{countOf(d.figures.citizens, "citoyen impliqué", "citoyens impliqués")}</li>
            </ul>
            <p>
              <Link to="/gestion/chiffres">Tous les chiffres clés</Link>
            </p>
          </div>
        </section>
      </div>
    </div>
  );
}
