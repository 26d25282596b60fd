import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CampaignCard } from "~/components/campaign-card";
import { database } from "~/db.server";
import { formatEuros, formatInteger, plural } from "~/domain/format";
import { liveCampaigns, recentSuccesses } from "~/models/campaigns.server";
import { homeFigures } from "~/models/figures.server";
import { DEFAULT_DESCRIPTION, publicUrlFrom, SEO_HANDLE, seoMeta } from "~/seo/meta";

export const meta: MetaFunction = ({ matches }) => [
  ...seoMeta({
    title: "Financement participatif des projets solidaires du Pas-de-Calais",
    description: DEFAULT_DESCRIPTION,
    base: publicUrlFrom(matches),
    path: "/",
  }).filter((d) => !("title" in d)),
  { title: "Propulsons — financement participatif des projets solidaires du Pas-de-Calais" },
];
export const handle = SEO_HANDLE;

export async function loader() {
  const { db } = database();
  const [live, successes, figures] = await Promise.all([
    liveCampaigns(db, 6),
    recentSuccesses(db, 3),
    homeFigures(db),
  ]);
  return {
    live,
    successes,
    figures,
    now: new Date().toISOString(),
  };
}

export default function Home() {
  const { live, successes, figures, now } = useLoaderData<typeof loader>();
  const at = new Date(now);
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <div className="container">
          <h1 id="hero-title">Propulsez les projets solidaires du Pas-de-Calais</h1>
          <p className="hero__lead">
            Associations, coopératives, entreprises à finalité sociale&nbsp;: soutenez les projets de
            l’économie sociale et solidaire près de chez vous. Tout ou rien&nbsp;: si l’objectif n’est pas
            atteint, vous êtes intégralement remboursé.
          </p>
          <p>
            <Link to="/campagnes?statut=en-cours" className="button">
              Découvrir les projets en cours
            </Link>
          </p>
        </div>
      </section>

      <section className="container figures" aria-labelledby="figures-title">
        <h2 id="figures-title">Propulsons en chiffres</h2>
        <ul className="figures__list">
          <li>
            <span className="figures__value">{formatInteger(figures.funded)}</span>
            <span className="figures__label">projets propulsés</span>
          </li>
          <li>
            <span className="figures__value">{formatEuros(figures.collectedCents)}</span>
            <span className="figures__label">collectés par les projets propulsés</span>
          </li>
          <li>
            <span className="figures__value">{formatInteger(figures.citizens)}</span>
            <span className="figures__label">
              {plural(figures.citizens, "citoyen impliqué", "citoyens impliqués")}
            </span>
          </li>
        </ul>
        <p className="muted">
          Projets propulsés{"\u00a0"}: les campagnes qui ont atteint leur objectif. Le montant et les citoyens
          (chacun compté une fois) sont ceux des contributions que ces projets ont gardées{"\u202f"}; les
          contributions remboursées et celles des campagnes en cours n’y sont pas.
        </p>
        <p>
          <Link to="/rapport-annuel">Le rapport annuel d’activité, année par année</Link>
        </p>
      </section>

      <section className="container" aria-labelledby="live-title">
        <h2 id="live-title">Projets en cours</h2>
        {live.length === 0 ? (
          <p>Aucune campagne n’est en cours pour le moment. Revenez bientôt&#x202f;!</p>
        ) : (
          <div className="grid">
            {live.map((c) => (
              <CampaignCard key={c.id} campaign={c} now={at} />
            ))}
          </div>
        )}
        <p>
          <Link to="/campagnes">Voir tous les projets</Link>
        </p>
      </section>

      {successes.length > 0 ? (
        <section className="container" aria-labelledby="success-title">
          <h2 id="success-title">Ils ont été propulsés</h2>
          <div className="grid">
            {successes.map((c) => (
              <CampaignCard key={c.id} campaign={c} now={at} />
            ))}
          </div>
        </section>
      ) : null}

      <section className="container propose-block" aria-labelledby="propose-title">
        <h2 id="propose-title">Vous portez un projet solidaire dans le Pas-de-Calais&#x202f;?</h2>
        <p>
          Associations, coopératives, entreprises de l’économie sociale et solidaire&nbsp;: présentez votre
          projet aux habitants et collectez les fonds qui le lanceront. L’équipe du Département relit chaque
          campagne avant sa mise en ligne, et vous accompagne.
        </p>
        <p>
          <Link to="/proposer-un-projet" className="button">
            Proposer un projet
          </Link>
        </p>
      </section>
    </>
  );
}
