import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  // Settings a process records for the others (key/value): the public address the server
  // serves, read by `npm run settle` and the other commands for the links in e-mails
  // (app/public-url.server.ts).
  await db.schema
    .createTable("platform_settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  // An e-mail being sent is claimed until this instant of the real clock (app/email.server.ts),
  // apart from next_attempt_at, which may be on a simulated clock (`npm run settle -- --now`).
  await db.schema.alterTable("email_outbox").addColumn("claimed_until", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("email_outbox").dropColumn("claimed_until").execute();
  await db.schema.dropTable("platform_settings").execute();
}
