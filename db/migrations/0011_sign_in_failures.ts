import type { Kysely } from "kysely";
import { autoId } from "./dialect";

/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  // Every wrong sign-in code, by address and by client (an IPv6 client is its /64): guesses are
  // limited per address across codes and per client across addresses (app/auth.server.ts), in the
  // database so that the limit holds whichever app server answers.
  await db.schema
    .createTable("sign_in_failures")
    .addColumn("id", ...autoId(db))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("ip", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("sign_in_failures_ip_created")
    .on("sign_in_failures")
    .columns(["ip", "created_at"])
    .execute();
  await db.schema
    .createIndex("sign_in_failures_email_created")
    .on("sign_in_failures")
    .columns(["email", "created_at"])
    .execute();
  await db.schema
    .createIndex("sign_in_failures_created")
    .on("sign_in_failures")
    .column("created_at")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("sign_in_failures").execute();
}
