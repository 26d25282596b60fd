import { Link } from "@remix-run/react";
import { STATE_LABELS, type CampaignState } from "~/domain/campaign-machine";
import { formatEuros, formatInteger, plural } from "~/domain/format";
import { timeLeft } from "~/domain/time";
import type { CampaignCard as Card } from "~/models/campaigns.server";
import { campaignPath } from "~/domain/paths";
import { NBSP } from "~/domain/typography";

/** « 3 200 € des citoyens + 1 100 € d’abondement du Département » (null without abondement). */
export function moneyBreakdown(m: { collectedCents: number; matchedCents: number }): string | null {
  return m.matchedCents > 0
    ? `${formatEuros(m.collectedCents)} des citoyens + ${formatEuros(m.matchedCents)} d’abondement du Département`
    : null;
}

/**
 * The progress towards the goal: citizens' money and the Département's abondement as two segments
 * (the second one striped, so that colour is not the only difference), the percentage counting
 * both. The text alternative says both amounts; the visible legend repeats it for sighted readers.
 */
export function ProgressBar({
  percent,
  goalCents,
  collectedCents,
  matchedCents,
}: {
  percent: number;
  goalCents: number;
  collectedCents: number;
  matchedCents: number;
}) {
  const share = (cents: number) => (goalCents > 0 ? (cents * 100) / goalCents : 0);
  const citizens = Math.min(100, share(collectedCents));
  const matched = Math.min(100 - citizens, share(matchedCents));
  const breakdown = moneyBreakdown({ collectedCents, matchedCents });
  const label = breakdown
    ? `${formatInteger(percent)}${NBSP}% de l’objectif atteint${NBSP}: ${formatEuros(collectedCents)} des citoyens et ${formatEuros(matchedCents)} d’abondement du Département`
    : `${formatInteger(percent)}${NBSP}% de l’objectif atteint`;
  return (
    <div className="progress">
      <div className="progress__track" aria-hidden="true">
        <div className="progress__bar" style={{ width: `${citizens}%` }} />
        {matched > 0 ? (
          <div className="progress__bar progress__bar--matched" style={{ width: `${matched}%` }} />
        ) : null}
      </div>
      <span className="visually-hidden">{label}</span>
      {breakdown ? (
        <p className="progress__legend" aria-hidden="true">
          <span className="progress__key" />
          {formatEuros(collectedCents)} des citoyens +{" "}
          <span className="progress__key progress__key--matched" />
          {formatEuros(matchedCents)} d’abondement du Département
        </p>
      ) : null}
    </div>
  );
}

export function StatusLabel({
  status,
  now,
  startsAt,
  endsAt,
}: {
  status: CampaignState;
  now: Date;
  startsAt: string;
  endsAt: string;
}) {
  switch (status) {
    case "funded":
      return <span className="status status--funded">Réussie</span>;
    case "failed":
      return <span className="status status--failed">Non financée</span>;
    case "settling":
      return <span className="status status--settling">Collecte terminée</span>;
    case "cancelled":
      return <span className="status status--failed">Annulée</span>;
    case "live": {
      const left = timeLeft(now, new Date(startsAt), new Date(endsAt));
      return (
        <span className={`status status--live${left.kind === "last_hours" ? " status--urgent" : ""}`}>
          {left.label}
        </span>
      );
    }
    default:
      // Not open yet (draft, submitted, changes requested, approved, rejected): no countdown.
      return <span className="status">{STATE_LABELS[status]}</span>;
  }
}

export function BudgetCitoyenBadge({ year }: { year: number | null }) {
  if (year === null) return null;
  return <span className="badge badge--bc">Budget Citoyen {year}</span>;
}

export function CampaignCard({
  campaign,
  now,
  headingLevel = 3,
}: {
  campaign: Card;
  now: Date;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <article className="card">
      {campaign.image ? (
        <img
          src={campaign.image.src}
          alt={campaign.image.alt}
          className="card__image"
          width={1200}
          height={630}
          loading="lazy"
          decoding="async"
        />
      ) : (
        <div className="card__image card__image--none" aria-hidden="true" />
      )}
      <div className="card__tags">
        <span className="tag">{campaign.themeName}</span>
        <span className="tag tag--territory">{campaign.territoryName}</span>
        <BudgetCitoyenBadge year={campaign.budgetCitoyenYear} />
      </div>
      <Heading className="card__title">
        <Link to={campaignPath(campaign.slug)}>{campaign.title}</Link>
      </Heading>
      <p className="card__org">
        {campaign.organizationName} · {campaign.town}
      </p>
      <p className="card__summary">{campaign.summary}</p>
      <ProgressBar
        percent={campaign.percent}
        goalCents={campaign.goalCents}
        collectedCents={campaign.collectedCents}
        matchedCents={campaign.matchedCents}
      />
      <dl className="card__figures">
        <div>
          <dt>Collectés</dt>
          <dd>{formatEuros(campaign.collectedCents)}</dd>
        </div>
        {campaign.matchedCents > 0 ? (
          <div>
            <dt>Abondement</dt>
            <dd>{formatEuros(campaign.matchedCents)}</dd>
          </div>
        ) : null}
        <div>
          <dt>Objectif</dt>
          <dd>
            {formatEuros(campaign.goalCents)} ({formatInteger(campaign.percent)} %)
          </dd>
        </div>
        <div>
          <dt>{plural(campaign.contributorsCount, "Contributeur", "Contributeurs")}</dt>
          <dd>{formatInteger(campaign.contributorsCount)}</dd>
        </div>
        <div>
          <dt>État</dt>
          <dd>
            <StatusLabel
              status={campaign.status}
              now={now}
              startsAt={campaign.startsAt}
              endsAt={campaign.endsAt}
            />
          </dd>
        </div>
      </dl>
    </article>
  );
}
