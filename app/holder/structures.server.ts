/** A holder's structures and campaigns (ownership always checked here). */
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";

export async function structuresOf(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom("organizations as o")
    .innerJoin("territories as t", "t.id", "o.territory_id")
    .select([
      "o.id",
      "o.name",
      "o.legal_form",
      "o.registration_number",
      "o.town",
      "t.slug as territory",
      "t.name as territory_name",
      "o.stripe_account_id",
      "o.stripe_payouts_enabled",
    ])
    .where("o.owner_user_id", "=", userId)
    .orderBy("o.id")
    .execute();
}

export async function campaignsOf(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom("campaigns as c")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .select(["c.id", "c.slug", "c.title", "c.status", "c.ends_at", "o.name as organization_name"])
    .where("o.owner_user_id", "=", userId)
    .orderBy("c.created_at", "desc")
    .execute();
}

/** Create the structure; its creator becomes a holder (staff keep their role). */
export async function createStructure(
  db: Kysely<DB>,
  userId: number,
  input: {
    name: string;
    legalForm: DB["organizations"]["legal_form"];
    registrationNumber: string | null;
    town: string;
    territory: string;
  },
  now = new Date(),
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const territory = await trx
      .selectFrom("territories")
      .select("id")
      .where("slug", "=", input.territory)
      .executeTakeFirstOrThrow();
    const org = await trx
      .insertInto("organizations")
      .values({
        owner_user_id: userId,
        name: input.name,
        legal_form: input.legalForm,
        registration_number: input.registrationNumber,
        town: input.town,
        territory_id: territory.id,
        stripe_account_id: null,
        created_at: now.toISOString(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("users")
      .set({ role: "holder" })
      .where("id", "=", userId)
      .where("role", "=", "citizen")
      .execute();
    return org.id;
  });
}

/** Update a structure the user owns; false when it is not theirs. */
export async function updateStructure(
  db: Kysely<DB>,
  userId: number,
  organizationId: number,
  input: {
    name: string;
    legalForm: DB["organizations"]["legal_form"];
    registrationNumber: string | null;
    town: string;
    territory: string;
  },
): Promise<boolean> {
  const territory = await db
    .selectFrom("territories")
    .select("id")
    .where("slug", "=", input.territory)
    .executeTakeFirstOrThrow();
  const r = await db
    .updateTable("organizations")
    .set({
      name: input.name,
      legal_form: input.legalForm,
      registration_number: input.registrationNumber,
      town: input.town,
      territory_id: territory.id,
    })
    .where("id", "=", organizationId)
    .where("owner_user_id", "=", userId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
