/**
 * Key figures of the platform, computed from the database. One module owns
 * them so that every page shows the same numbers.
 */
import { sql, type Kysely } from "kysely";
import type { DB } from "#db/schema";
import { COLLECTED_STATUSES } from "~/domain/contribution-status";

export interface KeyFigures {
  /** campaigns that reached their goal (« projets propulsés ») */
  fundedCampaigns: number;
  /** money collected by those campaigns, in cents */
  collectedCents: number;
  /** distinct citizens who contributed (money received) to any campaign */
  citizens: number;
}

export async function keyFigures(db: Kysely<DB>): Promise<KeyFigures> {
  const funded = await db
    .selectFrom("campaigns as c")
    .where("c.status", "=", "funded")
    .select([
      (eb) => eb.fn.countAll<number>().as("n"),
      sql<number>`coalesce(sum((select sum(k.amount_cents) from contributions k where k.campaign_id = c.id and k.status in (${sql.join(
        COLLECTED_STATUSES.map((s) => sql.lit(s)),
      )}))), 0)`.as("collected"),
    ])
    .executeTakeFirstOrThrow();
  const citizens = await db
    .selectFrom("contributions")
    .where("status", "in", COLLECTED_STATUSES)
    .select(sql<number>`count(distinct email)`.as("n"))
    .executeTakeFirstOrThrow();
  return {
    fundedCampaigns: Number(funded.n),
    collectedCents: Number(funded.collected),
    citizens: Number(citizens.n),
  };
}
