/**
 * A campaign as citizens see it: used by the public page and by the holder's preview.
 */
import { NBSP, NNBSP } from "~/domain/typography";
import type { ReactNode } from "react";
import { Link } from "@remix-run/react";
import { BudgetCitoyenBadge, ProgressBar, StatusLabel } from "~/components/campaign-card";
import { ContributionForm, type ContributionFormState } from "~/components/contribution-form";
import type { ReceiptOffer } from "~/domain/receipt-forms";
import { ContributionList } from "~/components/contribution-list";
import {
  formatBps,
  formatDate,
  formatDateTime,
  formatEuros,
  formatInteger,
  formatPercent,
  plural,
} from "~/domain/format";
import { timeLeft } from "~/domain/time";
import type { CampaignPage, RefundState } from "~/models/campaigns.server";
import { contributorsPath } from "~/domain/paths";
import { legalFormLabel } from "~/domain/legal-forms";
import { TableScroll } from "~/components/table-scroll";
import { MatchingOfferPanel } from "~/components/matching-offer";
import type { MatchingOffer } from "~/domain/matching-text";

/**
 * Where the refunds stand, in plain French: « 12 contributions remboursées sur 14 ;
 * 2 remboursements en cours ». Only a refund Stripe accepted is said « remboursée ».
 */
export function refundSummary(r: RefundState): string {
  const n = (count: number) => formatInteger(count);
  const parts = [
    `${n(r.refundedCount)} ${plural(r.refundedCount, "contribution remboursée", "contributions remboursées")} sur ${n(r.receivedCount)}`,
  ];
  if (r.underWayCount > 0)
    parts.push(
      `${n(r.underWayCount)} ${plural(r.underWayCount, "remboursement en cours", "remboursements en cours")}`,
    );
  if (r.failedCount > 0) {
    parts.push(
      `${n(r.failedCount)} ${plural(r.failedCount, "remboursement en échec", "remboursements en échec")}${NBSP}: l’équipe contacte ${
        r.failedCount === 1 ? "la personne concernée" : "les personnes concernées"
      }`,
    );
  }
  if (r.disputedCount > 0) {
    parts.push(
      `${n(r.disputedCount)} ${plural(r.disputedCount, "paiement contesté", "paiements contestés")} par la banque du contributeur, remboursement en attente`,
    );
  }
  if (r.bankReturnedCount > 0) {
    parts.push(
      `${n(r.bankReturnedCount)} ${plural(r.bankReturnedCount, "contribution rendue", "contributions rendues")} par la banque du contributeur`,
    );
  }
  return parts.join(`${NBSP}; `);
}

/** Every contribution received has come back to its author (refunded, or returned by their bank). */
export function refundsDone(r: RefundState): boolean {
  return r.receivedCount > 0 && r.refundedCount + r.bankReturnedCount === r.receivedCount;
}

function RefundParagraph({ refunds }: { refunds: RefundState }) {
  return refunds.receivedCount === 0 ? (
    <p>Aucune contribution n’avait été payée&nbsp;: il n’y a rien à rembourser.</p>
  ) : (
    <p className="outcome__refunds">Remboursements&nbsp;: {refundSummary(refunds)}.</p>
  );
}

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
  /** the tax-receipt offer of the contribution form, when the structure is verified */
  receiptOffer?: ReceiptOffer | null;
  /** h2 when the view is embedded under another page title (staff review) */
  titleAs?: "h1" | "h2";
  /** the abondement that would match a contribution now (null: none open) */
  matching?: MatchingOffer | null;
}

export function CampaignView({
  campaign: c,
  html,
  now,
  bounds,
  signedInEmail,
  formState,
  preview,
  news = [],
  receiptOffer = null,
  titleAs: Title = "h1",
  matching = null,
}: CampaignViewProps) {
  const at = new Date(now);
  const left = timeLeft(at, new Date(c.startsAt), new Date(c.endsAt));
  const over =
    c.status === "funded" || c.status === "failed" || c.status === "settling" || c.status === "cancelled";
  /** the outcome is known: the « tout ou rien » promise is no longer a promise */
  const decided = c.status === "funded" || c.status === "failed" || c.status === "cancelled";
  /** not open yet (draft, submitted, changes requested, approved, rejected): dates, no countdown */
  const notOpen = !over && c.status !== "live";
  const commission = c.commission;
  const done = refundsDone(c.refunds);
  const fundTotal = c.fundLines.reduce((sum, l) => sum + l.amountCents, 0);
  return (
    <article className="container page campaign">
      {preview}
      {/*
        The DOM order is the reading and keyboard order on every screen: title and summary, picture,
        outcome, then the collection panel with the contribution form, then the story. On a wide
        screen the panel sits in a side column (grid areas, app/styles/app.css), next to the title.
      */}
      <div className="campaign__layout">
        <header className="campaign__header">
          <div className="card__tags">
            <span className="tag">{c.themeName}</span>
            <span className="tag tag--territory">{c.territoryName}</span>
            <BudgetCitoyenBadge year={c.budgetCitoyenYear} />
          </div>
          <Title>{c.title}</Title>
          <p className="campaign__org">
            Porté par <strong>{c.organization.name}</strong> ({legalFormLabel(c.organization.legalForm)},{" "}
            {c.organization.town})
          </p>
          <p className="campaign__summary">{c.summary}</p>
        </header>
        {/* The campaign's picture, right after its title. */}
        <div className="campaign__media">
          {c.image ? (
            <img src={c.image.src} alt={c.image.alt} className="campaign__image" width={1600} height={900} />
          ) : null}
        </div>
        <div className="campaign__outcome">
          {c.status === "funded" ? (
            <div className="outcome outcome--funded" role="status">
              <h2>Campagne réussie</h2>
              <p>
                Objectif atteint&nbsp;: {formatEuros(c.collectedCents)} collectés auprès de{" "}
                {formatInteger(c.contributorsCount)}{" "}
                {plural(c.contributorsCount, "contributeur", "contributeurs")}
                {c.matchedCents > 0 ? ` et ${formatEuros(c.matchedCents)} d’abondement du Département` : ""},
                soit {formatPercent(c.percent)} de l’objectif. Merci à toutes et à tous&#x202f;!
              </p>
            </div>
          ) : null}
          {c.status === "failed" ? (
            <div className="outcome outcome--failed" role="status">
              <h2>
                {done
                  ? "Campagne non financée — tous les contributeurs sont remboursés"
                  : "Campagne non financée"}
              </h2>
              <p>
                L’objectif de {formatEuros(c.goalCents)} n’a pas été atteint.{" "}
                {done
                  ? "Comme pour toute campagne «\u00a0tout ou rien\u00a0», chaque contribution a été intégralement remboursée."
                  : c.refunds.receivedCount > 0
                    ? "Comme pour toute campagne «\u00a0tout ou rien\u00a0», chaque contribution reçue est à rembourser en totalité, sur le moyen de paiement utilisé."
                    : ""}
              </p>
              <RefundParagraph refunds={c.refunds} />
            </div>
          ) : null}
          {c.status === "cancelled" ? (
            <div className="outcome outcome--cancelled" role="status">
              <h2>Campagne annulée</h2>
              <p>
                {c.cancellation
                  ? `L’équipe du Département a annulé cette campagne le ${formatDate(c.cancellation.at)}. La collecte est arrêtée.`
                  : "L’équipe du Département a annulé cette campagne. La collecte est arrêtée."}
              </p>
              {c.cancellation?.reason ? (
                <p className="outcome__reason">
                  <strong>Motif&nbsp;:</strong> {c.cancellation.reason}
                </p>
              ) : null}
              <RefundParagraph refunds={c.refunds} />
            </div>
          ) : null}
          {c.status === "settling" ? (
            <div className="outcome" role="status">
              <h2>Collecte terminée</h2>
              <p>La campagne est close&#x202f;; son résultat est en cours de calcul.</p>
            </div>
          ) : null}
        </div>
        <aside className="campaign__aside" aria-label="Collecte">
          <div className="panel">
            <p className="panel__collected">
              <span className="panel__big">{formatEuros(c.collectedCents)}</span> collectés
            </p>
            <ProgressBar
              percent={c.percent}
              goalCents={c.goalCents}
              collectedCents={c.collectedCents}
              matchedCents={c.matchedCents}
            />
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
              {c.refunds.refundedCount > 0 && (c.status === "failed" || c.status === "cancelled") ? (
                <div>
                  <dt>Remboursés</dt>
                  <dd>{formatEuros(c.refunds.refundedCents)}</dd>
                </div>
              ) : null}
              <div>
                <dt>
                  {c.status === "cancelled"
                    ? "Annulée le"
                    : over
                      ? "Terminée le"
                      : notOpen
                        ? "État"
                        : "Temps restant"}
                </dt>
                <dd>
                  {c.status === "cancelled" ? (
                    formatDate(c.cancellation?.at ?? c.endsAt)
                  ) : over ? (
                    formatDate(c.endsAt)
                  ) : (
                    <StatusLabel status={c.status} now={at} startsAt={c.startsAt} endsAt={c.endsAt} />
                  )}
                </dd>
              </div>
            </dl>
            {notOpen ? (
              <p className="panel__deadline">
                Collecte prévue du {formatDate(c.startsAt)} au {formatDateTime(c.endsAt)} (heure de Paris).
              </p>
            ) : !over ? (
              <p className="panel__deadline">
                Fin de la collecte le {formatDateTime(c.endsAt)} (heure de Paris).
                {left.kind === "last_hours" ? " Dernières heures pour participer\u202f!" : ""}
              </p>
            ) : null}
            <p className="panel__commission">
              {c.status === "funded" && commission.recorded ? (
                <>
                  Commission de la plateforme&nbsp;: <strong>{formatBps(commission.bps)}</strong>, soit{" "}
                  {formatEuros(commission.cents ?? 0)}
                  {commission.toPayCents === 0
                    ? `${NNBSP}; versés au porteur de projet${NBSP}: ${formatEuros(commission.paidOutCents)}.`
                    : commission.paidOutCents === 0
                      ? `${NNBSP}; à verser au porteur de projet${NBSP}: ${formatEuros(commission.toPayCents)} (virement en préparation).`
                      : `${NNBSP}; versés au porteur de projet${NBSP}: ${formatEuros(commission.paidOutCents)}, et ${formatEuros(commission.toPayCents)} à verser.`}
                </>
              ) : c.status === "funded" ? (
                <>
                  Commission de la plateforme&nbsp;: <strong>{formatBps(commission.bps)}</strong>, prélevée au
                  versement au porteur de projet.
                </>
              ) : c.status === "failed" ? (
                <>Aucune commission n’est prélevée&nbsp;: la campagne n’a pas atteint son objectif.</>
              ) : c.status === "cancelled" ? (
                <>Aucune commission n’est prélevée&nbsp;: la campagne a été annulée.</>
              ) : (
                <>
                  Commission de la plateforme&nbsp;: <strong>{formatBps(commission.bps)}</strong>
                  {c.budgetCitoyenYear !== null
                    ? ` — projet labellisé Budget Citoyen ${c.budgetCitoyenYear}, aucune commission n’est prélevée.`
                    : " du montant collecté, prélevée uniquement si la campagne réussit."}
                </>
              )}
            </p>
            {matching && !over ? <MatchingOfferPanel offer={matching} /> : null}
            {!decided ? (
              <p className="panel__promise">
                Tout ou rien&nbsp;: si l’objectif n’est pas atteint à la date de fin, chaque contributeur est
                intégralement remboursé.
              </p>
            ) : null}
          </div>

          {!preview && c.status === "live" && left.kind !== "over" && left.kind !== "not_started" ? (
            <ContributionForm
              rewards={c.rewards}
              minCents={bounds.minCents}
              maxCents={bounds.maxCents}
              state={formState}
              defaultEmail={signedInEmail}
              receiptOffer={receiptOffer}
              matching={matching}
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
                        {r.remaining === 1
                          ? "Plus qu’un exemplaire"
                          : `${formatInteger(r.remaining)} restants`}{" "}
                        sur {formatInteger(r.stock ?? 0)}
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
        <div className="campaign__main">
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
            <h2 id="funds-title">À quoi servira l’argent</h2>
            <TableScroll label="Utilisation des fonds">
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
            </TableScroll>
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
              {formatInteger(c.supportersCount)} {plural(c.supportersCount, "contributeur", "contributeurs")}
            </h2>
            {c.contributions.length === 0 ? (
              <p>
                {c.status === "live"
                  ? "Soyez la première personne à soutenir ce projet\u202f!"
                  : "Aucune contribution."}
              </p>
            ) : (
              <ContributionList items={c.contributions} />
            )}
            {c.contributionsShown < c.contributionsTotal ? (
              <p>
                <Link to={contributorsPath(c.slug)}>
                  Voir les {formatInteger(c.contributionsTotal)} contributions
                  <span className="visually-hidden"> à «&nbsp;{c.title}&nbsp;»</span>
                </Link>
              </p>
            ) : null}
          </section>
        </div>
      </div>
    </article>
  );
}
