/**
 * A campaign as citizens see it: used by the public page and by the holder's preview.
 */
import type { ReactNode } from "react";
import { Link } from "@remix-run/react";
import { BudgetCitoyenBadge, ProgressBar, StatusLabel } from "~/components/campaign-card";
import { ContributionForm, type ContributionFormState } from "~/components/contribution-form";
import { ContributionList } from "~/components/contribution-list";
import { formatBps, formatDate, formatDateTime, formatEuros, formatInteger, formatPercent, plural } from "~/domain/format";
import { settlementSplit } from "~/domain/money";
import { timeLeft } from "~/domain/time";
import type { CampaignPage } from "~/models/campaigns.server";

const LEGAL_FORMS: Record<string, string> = {
  association: "Association",
  scic: "SCIC",
  scop: "SCOP",
  entreprise_ess: "Entreprise de l'ESS",
  collectif: "Collectif citoyen",
};

export interface CampaignViewProps {
  campaign: CampaignPage;
  html: { story: string; expectedResults: string; timetable: string };
  now: string;
  bounds: { minCents: number; maxCents: number };
  signedInEmail: string | null;
  formState: ContributionFormState | undefined;
  /** the holder's preview: no contribution form, a banner above */
  preview?: ReactNode;
  /** the holder's news, newest first (HTML already sanitised) */
  news?: Array<{ id: number; title: string; html: string; publishedAt: string }>;
  /** h2 when the view is embedded under another page title (staff review) */
  titleAs?: "h1" | "h2";
}

export function CampaignView({ campaign: c, html, now, bounds, signedInEmail, formState, preview, news = [], titleAs: Title = "h1" }: CampaignViewProps) {
  const at = new Date(now);
  const left = timeLeft(at, new Date(c.startsAt), new Date(c.endsAt));
  const over = c.status === "funded" || c.status === "failed" || c.status === "settling";
  const split = settlementSplit(c.collectedCents, c.commissionBps);
  const fundTotal = c.fundLines.reduce((sum, l) => sum + l.amountCents, 0);
  return (
    <article className="container page campaign">
      {preview}
      <header className="campaign__header">
        <div className="card__tags">
          <span className="tag">{c.themeName}</span>
          <span className="tag tag--territory">{c.territoryName}</span>
          <BudgetCitoyenBadge year={c.budgetCitoyenYear} />
        </div>
        <Title>{c.title}</Title>
        <p className="campaign__org">
          Porté par <strong>{c.organization.name}</strong> ({LEGAL_FORMS[c.organization.legalForm] ?? c.organization.legalForm}
          , {c.organization.town})
        </p>
        <p className="campaign__summary">{c.summary}</p>
      </header>

      {c.status === "funded" ? (
        <div className="outcome outcome--funded" role="status">
          <h2>Campagne réussie</h2>
          <p>
            Objectif atteint : {formatEuros(c.collectedCents)} collectés auprès de {formatInteger(c.contributorsCount)}{" "}
            {plural(c.contributorsCount, "contributeur", "contributeurs")}, soit {formatPercent(c.percent)} de
            l'objectif. Merci à toutes et à tous !
          </p>
        </div>
      ) : null}
      {c.status === "failed" ? (
        <div className="outcome outcome--failed" role="status">
          <h2>Campagne non financée — tous les contributeurs sont remboursés</h2>
          <p>
            L'objectif de {formatEuros(c.goalCents)} n'a pas été atteint ({formatEuros(c.collectedCents)} promis). Comme
            pour toute campagne « tout ou rien », chaque contribution a été intégralement remboursée.
          </p>
        </div>
      ) : null}
      {c.status === "settling" ? (
        <div className="outcome" role="status">
          <h2>Collecte terminée</h2>
          <p>La campagne est close ; son résultat est en cours de calcul.</p>
        </div>
      ) : null}

      <div className="campaign__layout">
        <div className="campaign__main">
          {c.image ? <img src={c.image.src} alt={c.image.alt} className="campaign__image" width={1600} height={900} /> : null}
          <section aria-labelledby="story-title">
            <h2 id="story-title">Le projet</h2>
            <div className="prose" dangerouslySetInnerHTML={{ __html: html.story }} />
          </section>

          {news.length > 0 ? (
            <section aria-labelledby="news-title">
              <h2 id="news-title">Actualités</h2>
              {news.map((n) => (
                <article key={n.id} className="news">
                  <h3>{n.title}</h3>
                  <p className="muted">le {formatDate(n.publishedAt)}</p>
                  <div className="prose" dangerouslySetInnerHTML={{ __html: n.html }} />
                </article>
              ))}
            </section>
          ) : null}

          <section aria-labelledby="funds-title">
            <h2 id="funds-title">À quoi servira l'argent</h2>
            <table className="table">
              <caption className="visually-hidden">Utilisation des fonds, poste par poste</caption>
              <thead>
                <tr>
                  <th scope="col">Poste</th>
                  <th scope="col" className="num">
                    Montant
                  </th>
                </tr>
              </thead>
              <tbody>
                {c.fundLines.map((l, i) => (
                  <tr key={i}>
                    <td>{l.label}</td>
                    <td className="num">{formatEuros(l.amountCents)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Total</th>
                  <td className="num">{formatEuros(fundTotal)}</td>
                </tr>
              </tfoot>
            </table>
          </section>

          <section aria-labelledby="results-title">
            <h2 id="results-title">Résultats attendus</h2>
            <div className="prose" dangerouslySetInnerHTML={{ __html: html.expectedResults }} />
          </section>

          <section aria-labelledby="timetable-title">
            <h2 id="timetable-title">Calendrier</h2>
            <div className="prose" dangerouslySetInnerHTML={{ __html: html.timetable }} />
          </section>

          <section aria-labelledby="contributors-title">
            <h2 id="contributors-title">
              {formatInteger(c.contributorsCount)} {plural(c.contributorsCount, "contributeur", "contributeurs")}
            </h2>
            {c.contributions.length === 0 ? (
              <p>Soyez la première personne à soutenir ce projet !</p>
            ) : (
              <ContributionList items={c.contributions} />
            )}
            {c.contributionsShown < c.contributionsTotal ? (
              <p>
                <Link to={`/campagnes/${c.slug}/contributeurs`}>
                  Voir les {formatInteger(c.contributionsTotal)} contributions<span className="visually-hidden"> à « {c.title} »</span>
                </Link>
              </p>
            ) : null}
          </section>
        </div>

        <aside className="campaign__aside" aria-label="Collecte">
          <div className="panel">
            <p className="panel__collected">
              <span className="panel__big">{formatEuros(c.collectedCents)}</span> collectés
            </p>
            <ProgressBar percent={c.percent} label={`${c.percent} % de l'objectif atteint`} />
            <dl className="panel__figures">
              <div>
                <dt>Objectif</dt>
                <dd>{formatEuros(c.goalCents)}</dd>
              </div>
              <div>
                <dt>Atteint</dt>
                <dd>{formatPercent(c.percent)}</dd>
              </div>
              <div>
                <dt>{plural(c.contributorsCount, "Contributeur", "Contributeurs")}</dt>
                <dd>{formatInteger(c.contributorsCount)}</dd>
              </div>
              <div>
                <dt>{over ? "Terminée le" : "Temps restant"}</dt>
                <dd>
                  {over ? (
                    formatDate(c.endsAt)
                  ) : (
                    <StatusLabel status={c.status} now={at} startsAt={c.startsAt} endsAt={c.endsAt} />
                  )}
                </dd>
              </div>
            </dl>
            {!over ? (
              <p className="panel__deadline">
                Fin de la collecte le {formatDateTime(c.endsAt)} (heure de Paris).
                {left.kind === "last_hours" ? " Dernières heures pour participer !" : ""}
              </p>
            ) : null}
            <p className="panel__commission">
              {c.status === "funded" ? (
                <>
                  Commission de la plateforme : <strong>{formatBps(c.commissionBps)}</strong>, soit{" "}
                  {formatEuros(split.commissionCents)} ; versés au porteur de projet : {formatEuros(split.payoutCents)}.
                </>
              ) : c.status === "failed" ? (
                <>Aucune commission n'est prélevée : la campagne n'a pas atteint son objectif.</>
              ) : (
                <>
                  Commission de la plateforme : <strong>{formatBps(c.commissionBps)}</strong>
                  {c.budgetCitoyenYear !== null
                    ? ` — projet labellisé Budget Citoyen ${c.budgetCitoyenYear}, aucune commission n'est prélevée.`
                    : " du montant collecté, prélevée uniquement si la campagne réussit."}
                </>
              )}
            </p>
            <p className="panel__promise">
              Tout ou rien : si l'objectif n'est pas atteint à la date de fin, chaque contributeur est intégralement
              remboursé.
            </p>
          </div>

          {!preview && c.status === "live" && left.kind !== "over" && left.kind !== "not_started" ? (
            <ContributionForm
              rewards={c.rewards}
              minCents={bounds.minCents}
              maxCents={bounds.maxCents}
              state={formState}
              defaultEmail={signedInEmail}
            />
          ) : null}

          {c.rewards.length > 0 ? (
            <section className="rewards" aria-labelledby="rewards-title">
              <h2 id="rewards-title">Contreparties</h2>
              <ul>
                {c.rewards.map((r) => (
                  <li key={r.id} className={`reward${r.remaining === 0 ? " reward--soldout" : ""}`}>
                    <p className="reward__min">À partir de {formatEuros(r.minimumCents)}</p>
                    <h3 className="reward__title">{r.title}</h3>
                    <p>{r.description}</p>
                    {r.remaining === null ? null : r.remaining === 0 ? (
                      <p className="reward__stock reward__stock--out">Épuisé</p>
                    ) : (
                      <p className="reward__stock">
                        {r.remaining === 1 ? "Plus qu'un exemplaire" : `${formatInteger(r.remaining)} restants`} sur{" "}
                        {formatInteger(r.stock ?? 0)}
                      </p>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <p>
            <Link to="/campagnes">← Tous les projets</Link>
          </p>
        </aside>
      </div>
    </article>
  );
}
