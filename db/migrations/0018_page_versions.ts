import { sql, type Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The page cache's dependency versions (docs/decisions/030-page-cache-keys.md): one row per key
 * (« global », « campaign:42 », « fund:7 »), bumped in the transaction of the write that
 * changes what the key covers (db/page-versions.ts), read by the page cache before serving an entry.
 *
 * And a partial index for the money of a campaign (app/payments/campaign-money.server.ts): the
 * few contributions a dispute took money from, so that « collecté » is summed from the covering
 * index contributions_campaign_status without reading every row of the campaign.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("page_versions")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("version", "bigint", (c) => c.notNull())
    .execute();
  await db.insertInto("page_versions").values({ key: "global", version: 1 }).execute();
  await db.schema
    .createIndex("contributions_campaign_disputed")
    .on("contributions")
    .columns(["campaign_id", "status", "dispute_withdrawn_cents"])
    .where(sql.ref("dispute_withdrawn_cents"), "<>", 0)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("contributions_campaign_disputed").execute();
  await db.schema.dropTable("page_versions").execute();
}
