/** A signed-in citizen's own contributions (matched on their verified e-mail address). */
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";

export async function myContributions(db: Kysely<DB>, email: string) {
  return db
    .selectFrom("contributions as k")
    .innerJoin("campaigns as c", "c.id", "k.campaign_id")
    .leftJoin("rewards as r", "r.id", "k.reward_id")
    .select(["k.id", "k.status", "k.amount_cents", "k.created_at", "k.paid_at", "c.title", "c.slug", "c.status as campaign_status", "r.title as reward_title"])
    .where("k.email", "=", email)
    .where("k.status", "not in", ["pending", "expired"])
    .orderBy("k.created_at", "desc")
    .orderBy("k.id", "desc")
    .execute();
}

/** One of them, or undefined when it is not theirs (the caller answers 404, revealing nothing). */
export async function myContribution(db: Kysely<DB>, email: string, id: number) {
  return db
    .selectFrom("contributions as k")
    .innerJoin("campaigns as c", "c.id", "k.campaign_id")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .leftJoin("rewards as r", "r.id", "k.reward_id")
    .select([
      "k.id", "k.status", "k.amount_cents", "k.paid_at", "k.public_name", "k.anonymous", "k.hide_amount",
      "c.title", "c.slug", "c.ends_at", "o.name as organization_name", "r.title as reward_title",
    ])
    .where("k.email", "=", email)
    .where("k.id", "=", id)
    .where("k.paid_at", "is not", null)
    .executeTakeFirst();
}
