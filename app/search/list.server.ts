/**
 * The public campaign list: filters, keyword search and sort (docs/decisions/025-campaign-search.md).
 * Only public campaigns are ever listed or found (PUBLIC_STATES, narrowed by the status filter);
 * the full-text index (migration 0016, kept in step by triggers) is read here and nowhere else.
 *
 * Sorts, each with a stable tie-break on the id:
 * - pertinence: best match first (FTS5 bm25 / PostgreSQL ts_rank, title weighing most), then « fin »;
 * - fin: running campaigns first, the one ending soonest first; then ended ones, latest ended first;
 * - recentes: latest start (publication) first;
 * - financees: most money collected first (paid, not refunded: the progress bar's figure);
 * - objectif: running campaigns below their goal first, the highest share of the goal first;
 *   then running ones that reached it, then ended ones, each by share of the goal, highest first.
 */
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Dialect } from "#db/connection";
import type { DB } from "#db/schema";
import { PUBLIC_STATES, type CampaignState } from "~/domain/campaign-machine";
import {
  cardQuery,
  PAGE_SIZE,
  STATUS_FILTERS,
  toCard,
  type CampaignFilters,
  type CampaignList,
} from "~/models/campaigns.server";
import { tallySql } from "~/models/campaign-tallies.server";
import { effectiveSort, fts5Match, pgTsQuery, type Sort } from "./query";

export interface SearchFilters extends CampaignFilters {
  /** folded words to search for (app/search/query.ts parseSearch); empty: no search */
  words: readonly string[];
  sort?: Sort | undefined;
}

const RUNNING = sql`c.status in ('live', 'settling')`;
/** « collecté », from the campaign's tallies (docs/decisions/033-campaign-tallies.md) */
const collected = tallySql("collected_cents", sql.ref("c.id"));
/** share of the goal reached, in millionths (integer arithmetic: the same on both databases) */
const shareOfGoal = sql<number>`(${collected} * 1000000 / c.goal_cents)`;

/** Ids and relevance (lower is better) of the campaigns matching every word. */
function matches(dialect: Dialect, words: readonly string[]): RawBuilder<{ id: number; rank: number }> {
  if (dialect === "postgres") {
    return sql<{
      id: number;
      rank: number;
    }>`(select s.campaign_id as id, -ts_rank(s.document, to_tsquery('simple', ${pgTsQuery(
      words,
    )})) as rank from campaign_search s where s.document @@ to_tsquery('simple', ${pgTsQuery(words)}))`;
  }
  return sql<{
    id: number;
    rank: number;
  }>`(select rowid as id, bm25(campaign_search, 10.0, 4.0, 1.0, 4.0, 2.0) as rank from campaign_search where campaign_search match ${fts5Match(
    words,
  )})`;
}

export async function findCampaigns(
  { db, dialect }: { db: Kysely<DB>; dialect: Dialect },
  filters: SearchFilters,
): Promise<CampaignList> {
  const statuses: readonly CampaignState[] = filters.status ? STATUS_FILTERS[filters.status] : PUBLIC_STATES;
  const searching = filters.words.length > 0;
  let base = db
    .selectFrom("campaigns as c")
    .innerJoin("territories as t", "t.id", "c.territory_id")
    .innerJoin("themes as th", "th.id", "c.theme_id")
    .$if(searching, (qb) =>
      qb.innerJoin(matches(dialect, filters.words).as("m"), (join) => join.onRef("m.id", "=", "c.id")),
    )
    .where("c.status", "in", statuses);
  if (filters.territory) base = base.where("t.slug", "=", filters.territory);
  if (filters.theme) base = base.where("th.slug", "=", filters.theme);
  if (filters.budgetCitoyen) base = base.where("c.budget_citoyen_year", "is not", null);

  const { n } = await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const total = Number(n);
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));

  let ordered = base.select("c.id");
  const endingSoon = () =>
    ordered
      .orderBy(sql`case when ${RUNNING} then 0 else 1 end`)
      .orderBy(sql`case when ${RUNNING} then c.ends_at end`, "asc")
      .orderBy("c.ends_at", "desc");
  switch (effectiveSort(filters.sort, searching)) {
    case "pertinence":
      ordered = ordered.orderBy(sql`m.rank`, "asc");
      ordered = endingSoon();
      break;
    case "fin":
      ordered = endingSoon();
      break;
    case "recentes":
      ordered = ordered.orderBy("c.starts_at", "desc");
      break;
    case "financees":
      ordered = ordered.orderBy(collected, "desc");
      break;
    case "objectif":
      ordered = ordered
        .orderBy(
          sql`case when ${RUNNING} and ${collected} < c.goal_cents then 0 when ${RUNNING} then 1 else 2 end`,
        )
        .orderBy(shareOfGoal, "desc");
      break;
  }
  const ids = await ordered
    .orderBy("c.id")
    .limit(PAGE_SIZE)
    .offset((filters.page - 1) * PAGE_SIZE)
    .execute();
  if (ids.length === 0) return { items: [], total, page: filters.page, pageCount };

  const rows = await cardQuery(db)
    .where(
      "c.id",
      "in",
      ids.map((r) => r.id),
    )
    .execute();
  const byId = new Map(rows.map((r) => [r.id, toCard(r)]));
  return { items: ids.map((r) => byId.get(r.id)!), total, page: filters.page, pageCount };
}
