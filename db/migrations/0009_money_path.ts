import { sql, type Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The money path (docs/decisions/013-money-path.md): a contribution's dispute has its own
 * state, and the money Stripe took back for it is kept, so that what is collected, what
 * the platform holds and reconcile all account for it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("contributions")
    .addColumn("dispute_status", "text", (c) => c.check(sql`dispute_status in ('open','won','lost')`))
    .execute();
  // What Stripe has taken back for a dispute and not given back: Σ funds_withdrawn − Σ funds_reinstated.
  // Signed: Stripe may deliver the reinstatement before the withdrawal (webhooks come in any order).
  await db.schema
    .alterTable("contributions")
    .addColumn("dispute_withdrawn_cents", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("contributions").dropColumn("dispute_withdrawn_cents").execute();
  await db.schema.alterTable("contributions").dropColumn("dispute_status").execute();
}
