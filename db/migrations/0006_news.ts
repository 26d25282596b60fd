import type { Kysely } from "kysely";
import { autoId } from "./dialect";

/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  // « Actualités » posted by a holder, shown on the campaign page and e-mailed to its contributors.
  await db.schema
    .createTable("campaign_news")
    .addColumn("id", ...autoId(db))
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id"))
    .addColumn("author_user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body_md", "text", (c) => c.notNull())
    .addColumn("published_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("news_campaign")
    .on("campaign_news")
    .columns(["campaign_id", "published_at"])
    .execute();

  // One row per contributor address and campaign: the unsubscribe token, and whether they left.
  await db.schema
    .createTable("news_subscriptions")
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id"))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("token", "text", (c) => c.notNull().unique())
    .addColumn("unsubscribed_at", "text")
    .addPrimaryKeyConstraint("news_subscriptions_pk", ["campaign_id", "email"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("news_subscriptions").execute();
  await db.schema.dropTable("campaign_news").execute();
}
