import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The campaign page counts distinct contributors (docs/decisions/032-launch-spike.md): with the
 * addresses in index order within a campaign, SQLite counts them while reading the index instead
 * of sorting them in a temporary B-tree at each render (1.15 → 0.25 ms at 4 100 contributions).
 * Covering: the status and the amount are in it too.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("contributions_campaign_email")
    .on("contributions")
    .columns(["campaign_id", "email", "status", "amount_cents"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("contributions_campaign_email").execute();
}
