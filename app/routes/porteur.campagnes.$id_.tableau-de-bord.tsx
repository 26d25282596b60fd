import { NBSP } from "~/domain/typography";
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ProgressBar, StatusLabel } from "~/components/campaign-card";
import { database } from "~/db.server";
import {
  CONTRIBUTION_STATUS_LABELS,
  RECEIVED_STATUSES,
  type ContributionStatus,
} from "~/domain/contribution-status";
import { refundSummary } from "~/components/campaign-view";
import { formatDate, formatEuros, formatInteger, formatPercent, plural } from "~/domain/format";
import { requireOwnCampaign } from "~/holder/campaigns.server";
import { holderContributions, perDay } from "~/holder/dashboard.server";
import { getCampaignPage } from "~/models/campaigns.server";
import { Select } from "~/components/form";
import { ShareLinks } from "~/components/share-links";
import { campaignPath } from "~/domain/paths";
import { TableScroll } from "~/components/table-scroll";
import { holderMatchings } from "~/matching/acceptance.server";

export const meta: MetaFunction = () => [{ title: "Tableau de bord — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id, c: own } = await requireOwnCampaign(request, params.id);
  const page = await getCampaignPage(database().db, own.slug, { includeUnpublished: true });
  if (!page) throw new Response("Campagne introuvable.", { status: 404 });
  const url = new URL(request.url);
  const rewardParam = url.searchParams.get("contrepartie") ?? "";
  const statusParam = url.searchParams.get("etat") ?? "";
  const rewardIds = new Set(page.rewards.map((r) => String(r.id)));
  if (
    (rewardParam !== "" && rewardParam !== "aucune" && !rewardIds.has(rewardParam)) ||
    (statusParam !== "" && !(RECEIVED_STATUSES as readonly string[]).includes(statusParam))
  ) {
    throw new Response("Filtre inconnu.", { status: 400 });
  }
  const filters = {
    rewardId: rewardParam === "aucune" ? ("none" as const) : rewardParam ? Number(rewardParam) : undefined,
    status: (statusParam || undefined) as ContributionStatus | undefined,
  };
  const [all, filtered, matchings] = await Promise.all([
    holderContributions(database().db, id),
    holderContributions(database().db, id, filters),
    holderMatchings(database().db, id),
  ]);
  return {
    id,
    campaign: page,
    days: perDay(all),
    contributions: filtered,
    filters: { contrepartie: rewardParam, etat: statusParam },
    statuses: RECEIVED_STATUSES.map((s) => ({ value: s, label: CONTRIBUTION_STATUS_LABELS[s] })),
    now: new Date().toISOString(),
    matching:
      matchings.length === 0
        ? null
        : {
            toAccept: matchings.filter(
              (m) =>
                m.scope === "chosen" &&
                m.acceptedAt === null &&
                (m.phase === "open" || m.phase === "upcoming"),
            ).length,
          },
  };
}

function Chart({ days }: { days: Array<{ day: string; count: number; cents: number }> }) {
  if (days.length === 0) return <p>Pas encore de contribution.</p>;
  const max = Math.max(...days.map((d) => d.cents));
  const barWidth = 18;
  const gap = 4;
  const height = 160;
  const width = days.length * (barWidth + gap);
  return (
    <figure className="chart">
      <svg
        role="img"
        aria-labelledby="chart-caption"
        viewBox={`0 0 ${width} ${height + 2}`}
        width="100%"
        height={height + 2}
        preserveAspectRatio="none"
      >
        {days.map((d, i) => {
          const h = d.cents === 0 ? 0 : Math.max(2, Math.round((d.cents / max) * height));
          return (
            <rect
              key={d.day}
              x={i * (barWidth + gap)}
              y={height - h}
              width={barWidth}
              height={h}
              fill="#2f6b1f"
            >
              <title>{`${formatDate(`${d.day}T12:00:00Z`)}${NBSP}: ${formatEuros(d.cents)} (${d.count})`}</title>
            </rect>
          );
        })}
        <line x1="0" y1={height + 1} x2={width} y2={height + 1} stroke="#4f5560" />
      </svg>
      <figcaption id="chart-caption">
        Montants reçus par jour (remboursés depuis compris), du {formatDate(`${days[0]!.day}T12:00:00Z`)} au{" "}
        {formatDate(`${days.at(-1)!.day}T12:00:00Z`)}&#x202f;; le détail jour par jour suit.
      </figcaption>
      <details>
        <summary>Voir les chiffres jour par jour</summary>
        <TableScroll label="Contributions par jour">
          <table className="table">
            <caption className="visually-hidden">Contributions par jour</caption>
            <thead>
              <tr>
                <th scope="col">Jour</th>
                <th scope="col" className="num">
                  Contributions
                </th>
                <th scope="col" className="num">
                  Montant
                </th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.day}>
                  <td>{formatDate(`${d.day}T12:00:00Z`)}</td>
                  <td className="num">{formatInteger(d.count)}</td>
                  <td className="num">{formatEuros(d.cents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </figure>
  );
}

export default function Dashboard() {
  const d = useLoaderData<typeof loader>();
  const c = d.campaign;
  const query = new URLSearchParams(Object.entries(d.filters).filter(([, v]) => v)).toString();
  return (
    <div className="container page">
      <p>
        <Link to="/porteur">← Espace porteur</Link>
      </p>
      <h1>Tableau de bord&nbsp;: {c.title}</h1>
      <dl className="panel__figures panel">
        <div>
          <dt>{d.matching || c.matchedCents > 0 ? "Collectés auprès des citoyens" : "Collectés"}</dt>
          <dd>{formatEuros(c.collectedCents)}</dd>
        </div>
        {d.matching || c.matchedCents > 0 ? (
          <div>
            <dt>Abondement du Département</dt>
            <dd>{formatEuros(c.matchedCents)}</dd>
          </div>
        ) : null}
        <div>
          <dt>Objectif</dt>
          <dd>
            {formatEuros(c.goalCents)} ({formatPercent(c.percent)})
          </dd>
        </div>
        <div>
          <dt>{plural(c.contributorsCount, "Contributeur", "Contributeurs")}</dt>
          <dd>{formatInteger(c.contributorsCount)}</dd>
        </div>
        {c.refunds.refundedCount > 0 ? (
          <div>
            <dt>Remboursés</dt>
            <dd>{formatEuros(c.refunds.refundedCents)}</dd>
          </div>
        ) : null}
        <div>
          <dt>{c.status === "live" ? "Temps restant" : "État"}</dt>
          <dd>
            <StatusLabel status={c.status} now={new Date(d.now)} startsAt={c.startsAt} endsAt={c.endsAt} />
          </dd>
        </div>
      </dl>
      <ProgressBar
        percent={c.percent}
        goalCents={c.goalCents}
        collectedCents={c.collectedCents}
        matchedCents={c.matchedCents}
      />
      {d.matching ? (
        <p className={d.matching.toAccept > 0 ? "matching-offer" : undefined}>
          {d.matching.toAccept > 0 ? (
            <>
              <strong>Le Département propose d’abonder votre campagne.</strong> Aucune contribution n’est
              abondée avant que vous acceptiez ses conditions&nbsp;:{" "}
              <Link to={`/porteur/campagnes/${d.id}/abondement`}>lire et accepter les conditions</Link>.
            </>
          ) : (
            <>
              L’abondement du Département est compté à part des contributions des citoyens, et avec elles pour
              l’objectif. <Link to={`/porteur/campagnes/${d.id}/abondement`}>Voir ses conditions</Link>.
            </>
          )}
        </p>
      ) : null}
      {c.status === "live" ? (
        <>
          <p>
            Votre campagne est en ligne&nbsp;: <Link to={campaignPath(c.slug)}>voir sa page publique</Link>.
          </p>
          <ShareLinks path={campaignPath(c.slug)} title={c.title} heading="Faites connaître votre campagne" />
        </>
      ) : null}
      {(c.status === "failed" || c.status === "cancelled") && c.refunds.receivedCount > 0 ? (
        <p role="status">
          {c.status === "cancelled" ? "Campagne annulée" : "Campagne non financée"}. Remboursements&nbsp;:{" "}
          {refundSummary(c.refunds)}.
        </p>
      ) : null}

      <section aria-labelledby="chart-title">
        <h2 id="chart-title">Contributions par jour</h2>
        <Chart days={d.days} />
      </section>

      <section aria-labelledby="list-title">
        <h2 id="list-title">Contributions</h2>
        <Form method="get" className="filters" aria-label="Filtrer les contributions">
          <Select
            id="f-contrepartie"
            label="Contrepartie"
            name="contrepartie"
            defaultValue={d.filters.contrepartie}
          >
            <option value="">Toutes</option>
            <option value="aucune">Sans contrepartie</option>
            {c.rewards.map((r) => (
              <option key={r.id} value={r.id}>
                {r.title}
              </option>
            ))}
          </Select>
          <Select id="f-etat" label="État" name="etat" defaultValue={d.filters.etat}>
            <option value="">Tous</option>
            {d.statuses.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </Select>
          <div className="filters__actions">
            <button type="submit" className="button">
              Filtrer
            </button>
            <a href={`/porteur/campagnes/${d.id}/contributions.csv${query ? `?${query}` : ""}`} download>
              Exporter en CSV (tableur)
            </a>
          </div>
        </Form>
        <p className="hint">
          Les personnes anonymes apparaissent sous leur nom, avec leur adresse électronique, seulement si
          elles ont choisi une contrepartie (pour pouvoir la leur remettre)&#x202f;; le formulaire de
          contribution le leur indique.
        </p>
        <p role="status">
          {formatInteger(d.contributions.length)}{" "}
          {plural(d.contributions.length, "contribution", "contributions")}.
        </p>
        {d.contributions.length > 0 ? (
          <TableScroll label="Contributions">
            <table className="table">
              <caption className="visually-hidden">
                Contributions, de la plus récente à la plus ancienne
              </caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Nom</th>
                  <th scope="col" className="num">
                    Montant
                  </th>
                  <th scope="col">Contrepartie</th>
                  <th scope="col">État</th>
                </tr>
              </thead>
              <tbody>
                {d.contributions.map((k) => (
                  <tr key={k.id}>
                    <td>{formatDate(k.paidAt)}</td>
                    <td>{k.name}</td>
                    <td className="num">{formatEuros(k.amountCents)}</td>
                    <td>{k.rewardTitle ?? "—"}</td>
                    <td>{k.statusLabel}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        ) : null}
      </section>
    </div>
  );
}
