import type { Kysely } from "kysely";
import { autoId } from "./dialect";

/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  // Messages sent through the « Contact » form (app/legal/contact.server.ts): kept for the staff,
  // purged after RETENTION_CONTACT_MONTHS. `ip` is the client key (an IPv6 client is its /64) the
  // per-client limit counts; the per-address limit counts `email`.
  await db.schema
    .createTable("contact_messages")
    .addColumn("id", ...autoId(db))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("ip", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("contact_messages_ip_created")
    .on("contact_messages")
    .columns(["ip", "created_at"])
    .execute();
  await db.schema
    .createIndex("contact_messages_email_created")
    .on("contact_messages")
    .columns(["email", "created_at"])
    .execute();
  await db.schema
    .createIndex("contact_messages_created")
    .on("contact_messages")
    .column("created_at")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("contact_messages").execute();
}
