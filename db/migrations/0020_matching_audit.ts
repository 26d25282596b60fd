import { sql, type Kysely } from "kysely";
import { autoId } from "./dialect";

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The journal of what people did to an abondement fund (docs/decisions/011-staff-back-office.md:
 * every staff action is recorded with its actor and time): created, rules changed, closed early,
 * money added, a campaign chosen or removed, and the holder's acceptance of the terms.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("matching_fund_audit")
    .addColumn("id", ...autoId(db))
    .addColumn("fund_id", "integer", (c) => c.notNull().references("matching_funds.id"))
    .addColumn("campaign_id", "integer", (c) => c.references("campaigns.id"))
    .addColumn("action", "text", (c) =>
      c
        .notNull()
        .check(
          sql`action in ('created','rules_changed','closed','funds_added','campaign_added','campaign_removed','terms_accepted')`,
        ),
    )
    .addColumn("actor_user_id", "integer", (c) => c.references("users.id"))
    .addColumn("detail", "text")
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("matching_fund_audit_by_fund")
    .on("matching_fund_audit")
    .columns(["fund_id", "at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("matching_fund_audit").execute();
}
