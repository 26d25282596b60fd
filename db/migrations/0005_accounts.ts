import type { Kysely } from "kysely";
import { autoId } from "./dialect";

/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  // One-time sign-in: a link token and a 6-digit code, both stored hashed, valid 15 minutes, used once.
  await db.schema
    .createTable("sign_in_requests")
    .addColumn("id", ...autoId(db))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("ip", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema
    .createIndex("sign_in_email_created")
    .on("sign_in_requests")
    .columns(["email", "created_at"])
    .execute();
  await db.schema
    .createIndex("sign_in_ip_created")
    .on("sign_in_requests")
    .columns(["ip", "created_at"])
    .execute();

  // Server-side sessions: the cookie carries a random token, the table its hash; revocable.
  await db.schema
    .createTable("sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .addColumn("user_agent", "text")
    .execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("sessions").execute();
  await db.schema.dropTable("sign_in_requests").execute();
}
