import type { Kysely } from "kysely";
import { TERRITORIES, THEMES } from "../reference-data";

/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  await db
    .insertInto("territories")
    .values(TERRITORIES.map((t, i) => ({ slug: t.slug, name: t.name, position: i + 1 })))
    .execute();
  await db
    .insertInto("themes")
    .values(THEMES.map((t, i) => ({ slug: t.slug, name: t.name, position: i + 1 })))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("themes").execute();
  await db.deleteFrom("territories").execute();
}
