import { sql, type Kysely } from "kysely";
import { autoId } from "./dialect";

/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  // Every Stripe event id is processed once: the primary key refuses a second insert.
  await db.schema
    .createTable("stripe_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("created", "integer", (c) => c.notNull())
    .addColumn("processed_at", "text", (c) => c.notNull())
    .execute();

  // 1 while this (pending) contribution holds a unit of its reward; set back to 0
  // exactly once, when the unit is sold or released.
  await db.schema
    .alterTable("contributions")
    .addColumn("reward_hold", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("contributions").addColumn("checkout_expires_at", "text").execute();
  await db.schema.alterTable("contributions").addColumn("last_payment_error", "text").execute();
  // Something staff must look at (dispute opened, reward no longer available…).
  await db.schema.alterTable("contributions").addColumn("staff_flag", "text").execute();
  await db.schema.createIndex("contributions_staff_flag").on("contributions").column("staff_flag").execute();

  // Transactional outbox for email: written in the same transaction as the change it
  // reports, sent (and retried) afterwards, so a failing email API never loses a payment.
  await db.schema
    .createTable("email_outbox")
    .addColumn("id", ...autoId(db))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("to_email", "text", (c) => c.notNull())
    .addColumn("payload_json", "text", (c) => c.notNull())
    .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('pending','sent','failed')`))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("last_error", "text")
    .addColumn("provider_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .execute();
  await db.schema
    .createIndex("email_outbox_due")
    .on("email_outbox")
    .columns(["status", "next_attempt_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("email_outbox").execute();
  await db.schema.dropIndex("contributions_staff_flag").execute();
  for (const col of ["staff_flag", "last_payment_error", "checkout_expires_at", "reward_hold"]) {
    await db.schema.alterTable("contributions").dropColumn(col).execute();
  }
  await db.schema.dropTable("stripe_events").execute();
}
