import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  // The text alternative of the campaign's image (RGAA: every informative image has one).
  await db.schema.alterTable("campaigns").addColumn("image_alt", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("campaigns").dropColumn("image_alt").execute();
}
