import type { Kysely } from "kysely";
import { autoId } from "./dialect";

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * People's rights over their data (issue 13, app/account): when a session was last used (recorded at
 * most every few minutes), an account's deletion, the anonymisation of contributions and of tax
 * receipt requests (the rows the law keeps, without who they were), and e-mail changes waiting for
 * the code sent to the new address.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("sessions").addColumn("last_used_at", "text").execute();
  await db.schema.alterTable("users").addColumn("deleted_at", "text").execute();
  await db.schema.alterTable("contributions").addColumn("anonymised_at", "text").execute();
  await db.schema.alterTable("receipt_requests").addColumn("anonymised_at", "text").execute();
  await db.schema
    .createTable("email_change_requests")
    .addColumn("id", ...autoId(db))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("new_email", "text", (c) => c.notNull())
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema
    .createIndex("email_change_requests_user")
    .on("email_change_requests")
    .columns(["user_id", "created_at"])
    .execute();
  await db.schema.createIndex("email_outbox_to").on("email_outbox").column("to_email").execute();
  await db.schema.createIndex("contributions_user").on("contributions").column("user_id").execute();
  await db.schema
    .createIndex("sign_in_requests_created")
    .on("sign_in_requests")
    .column("created_at")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("sign_in_requests_created").execute();
  await db.schema.dropIndex("contributions_user").execute();
  await db.schema.dropIndex("email_outbox_to").execute();
  await db.schema.dropTable("email_change_requests").execute();
  await db.schema.alterTable("receipt_requests").dropColumn("anonymised_at").execute();
  await db.schema.alterTable("contributions").dropColumn("anonymised_at").execute();
  await db.schema.alterTable("users").dropColumn("deleted_at").execute();
  await db.schema.alterTable("sessions").dropColumn("last_used_at").execute();
}
