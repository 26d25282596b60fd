import { sql, type Kysely } from "kysely";
import { autoId } from "./dialect";

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Abondement (matchfunding, DESIGN §11, docs/decisions/029-matching.md):
 * - matching_funds: a Département envelope and its rules. reserved_cents and confirmed_cents are
 *   the running totals of its matches; the row is locked (compare-and-set) by every reservation,
 *   so that reserved + confirmed never exceeds envelope_cents under any concurrency;
 * - matching_fund_campaigns: the campaigns a fund applies to (scope « chosen »: one row per
 *   chosen campaign, with the holder's acceptance of the terms; scope « budget_citoyen »: a row
 *   is added at the first match) and each campaign's running totals, for its cap;
 * - matches: one per matched contribution (at most one), its amount and state
 *   (reserved → confirmed | released);
 * - matching_entries: the fund's own ledger (reserved, confirmed, released). Matched money is
 *   not money the platform holds: it never appears in ledger_entries.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("matching_funds")
    .addColumn("id", ...autoId(db))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("envelope_cents", "integer", (c) => c.notNull().check(sql`envelope_cents > 0`))
    // 10 000 = 1 € added for each citizen euro; 5 000 = 0,50 €.
    .addColumn("ratio_bps", "integer", (c) => c.notNull().check(sql`ratio_bps > 0 and ratio_bps <= 100000`))
    .addColumn("cap_per_campaign_cents", "integer")
    .addColumn("cap_per_contribution_cents", "integer")
    // How many contributions of one citizen are matched on one campaign; null = all of them.
    .addColumn("matches_per_citizen", "integer")
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("ends_at", "text", (c) => c.notNull())
    .addColumn("scope", "text", (c) => c.notNull().check(sql`scope in ('budget_citoyen','chosen')`))
    .addColumn("budget_citoyen_year", "integer")
    .addColumn("terms_md", "text", (c) => c.notNull())
    .addColumn("reserved_cents", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("confirmed_cents", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("closed_at", "text")
    .addColumn("created_by_user_id", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addCheckConstraint(
      "matching_funds_never_overspent",
      sql`reserved_cents >= 0 and confirmed_cents >= 0 and reserved_cents + confirmed_cents <= envelope_cents`,
    )
    .execute();

  await db.schema
    .createTable("matching_fund_campaigns")
    .addColumn("fund_id", "integer", (c) => c.notNull().references("matching_funds.id"))
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id"))
    .addColumn("added_at", "text", (c) => c.notNull())
    // Scope « chosen »: the holder accepts the fund's terms before any match.
    .addColumn("accepted_at", "text")
    .addColumn("accepted_by_user_id", "integer", (c) => c.references("users.id"))
    .addColumn("reserved_cents", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("confirmed_cents", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("matching_fund_campaigns_pk", ["fund_id", "campaign_id"])
    .addCheckConstraint("matching_fund_campaigns_positive", sql`reserved_cents >= 0 and confirmed_cents >= 0`)
    .execute();
  await db.schema
    .createIndex("matching_fund_campaigns_by_campaign")
    .on("matching_fund_campaigns")
    .column("campaign_id")
    .execute();

  await db.schema
    .createTable("matches")
    .addColumn("id", ...autoId(db))
    .addColumn("fund_id", "integer", (c) => c.notNull().references("matching_funds.id"))
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id"))
    .addColumn("contribution_id", "integer", (c) => c.notNull().unique().references("contributions.id"))
    // Who the per-citizen rule counts: « user:<id> » or « email:<lower-case address> ».
    .addColumn("citizen_key", "text", (c) => c.notNull())
    .addColumn("amount_cents", "integer", (c) => c.notNull().check(sql`amount_cents > 0`))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('reserved','confirmed','released')`))
    .addColumn("reserved_at", "text", (c) => c.notNull())
    .addColumn("confirmed_at", "text")
    .addColumn("released_at", "text")
    .addColumn("release_reason", "text")
    .execute();
  await db.schema
    .createIndex("matches_by_campaign_citizen")
    .on("matches")
    .columns(["campaign_id", "citizen_key"])
    .execute();
  await db.schema.createIndex("matches_by_fund").on("matches").columns(["fund_id", "status"]).execute();

  await db.schema
    .createTable("matching_entries")
    .addColumn("id", ...autoId(db))
    .addColumn("fund_id", "integer", (c) => c.notNull().references("matching_funds.id"))
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id"))
    .addColumn("match_id", "integer", (c) => c.notNull().references("matches.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('reserved','confirmed','released')`))
    .addColumn("amount_cents", "integer", (c) => c.notNull().check(sql`amount_cents > 0`))
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("matching_entries_by_fund")
    .on("matching_entries")
    .columns(["fund_id", "campaign_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("matching_entries").execute();
  await db.schema.dropTable("matches").execute();
  await db.schema.dropTable("matching_fund_campaigns").execute();
  await db.schema.dropTable("matching_funds").execute();
}
