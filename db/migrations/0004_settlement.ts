import { sql, type Kysely } from "kysely";
import { autoId } from "./dialect";

/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  // Whether the holder's Stripe Connect account can receive transfers (from account.updated).
  await db.schema
    .alterTable("organizations")
    .addColumn("stripe_payouts_enabled", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  // Payouts to holders: the main one at settlement, supplementary ones for late payments.
  await db.schema
    .createTable("payouts")
    .addColumn("id", ...autoId(db))
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('main','supplementary')`))
    .addColumn("gross_cents", "integer", (c) => c.notNull().check(sql`gross_cents >= 0`))
    .addColumn("commission_bps", "integer", (c) => c.notNull())
    .addColumn("commission_cents", "integer", (c) => c.notNull().check(sql`commission_cents >= 0`))
    .addColumn("amount_cents", "integer", (c) => c.notNull().check(sql`amount_cents >= 0`))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('pending','paid','failed')`))
    .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
    .addColumn("stripe_transfer_id", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("holder_notified_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("paid_at", "text")
    .addCheckConstraint("payouts_split", sql`commission_cents + amount_cents = gross_cents`)
    .execute();
  await db.schema.createIndex("payouts_campaign").on("payouts").columns(["campaign_id", "status"]).execute();
  await db.schema.createIndex("payouts_status").on("payouts").column("status").execute();

  // Which payout carried each paid contribution (null: still held by the platform).
  await db.schema
    .alterTable("contributions")
    .addColumn("payout_id", "integer", (c) => c.references("payouts.id"))
    .execute();
  await db.schema
    .alterTable("contributions")
    .addColumn("refund_attempts", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("contributions").addColumn("refund_next_attempt_at", "text").execute();
  await db.schema.alterTable("contributions").addColumn("refund_last_error", "text").execute();
  await db.schema
    .createIndex("contributions_campaign_payout")
    .on("contributions")
    .columns(["campaign_id", "status", "payout_id"])
    .execute();

  // One settler per campaign at a time, across processes and servers.
  await db.schema
    .createTable("settlement_leases")
    .addColumn("campaign_id", "integer", (c) => c.primaryKey().references("campaigns.id"))
    .addColumn("holder", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("settlement_leases").execute();
  await db.schema.dropIndex("contributions_campaign_payout").execute();
  for (const col of ["refund_last_error", "refund_next_attempt_at", "refund_attempts", "payout_id"]) {
    await db.schema.alterTable("contributions").dropColumn(col).execute();
  }
  await db.schema.dropTable("payouts").execute();
  await db.schema.alterTable("organizations").dropColumn("stripe_payouts_enabled").execute();
}
