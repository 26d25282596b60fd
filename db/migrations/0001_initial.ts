import { sql, type Kysely } from "kysely";
import { autoId } from "./dialect";

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are written against an untyped schema on purpose */

const CAMPAIGN_STATES = sql.raw(
  "('draft','submitted','changes_requested','approved','rejected','live','settling','funded','failed','cancelled')",
);
const CONTRIBUTION_STATUSES = sql.raw(
  "('pending','paid','failed','expired','refunding','refunded','refund_failed')",
);

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("territories")
    .addColumn("id", ...autoId(db))
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("themes")
    .addColumn("id", ...autoId(db))
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", ...autoId(db))
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('citizen','holder','staff')`))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("organizations")
    .addColumn("id", ...autoId(db))
    .addColumn("owner_user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("legal_form", "text", (c) =>
      c.notNull().check(sql`legal_form in ('association','scic','scop','entreprise_ess','collectif')`),
    )
    .addColumn("registration_number", "text")
    .addColumn("town", "text", (c) => c.notNull())
    .addColumn("territory_id", "integer", (c) => c.notNull().references("territories.id"))
    .addColumn("stripe_account_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("organizations_owner").on("organizations").column("owner_user_id").execute();

  await db.schema
    .createTable("campaigns")
    .addColumn("id", ...autoId(db))
    .addColumn("organization_id", "integer", (c) => c.notNull().references("organizations.id"))
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("story_md", "text", (c) => c.notNull())
    .addColumn("goal_cents", "integer", (c) => c.notNull().check(sql`goal_cents > 0`))
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("ends_at", "text", (c) => c.notNull())
    .addColumn("territory_id", "integer", (c) => c.notNull().references("territories.id"))
    .addColumn("theme_id", "integer", (c) => c.notNull().references("themes.id"))
    .addColumn("budget_citoyen_year", "integer")
    .addColumn("expected_results_md", "text", (c) => c.notNull())
    .addColumn("timetable_md", "text", (c) => c.notNull())
    .addColumn("image_path", "text")
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ${CAMPAIGN_STATES}`))
    .addColumn("featured", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addCheckConstraint("campaigns_dates", sql`ends_at > starts_at`)
    .execute();
  // The public list filters by status (and territory, theme, label) and sorts by end date.
  await db.schema
    .createIndex("campaigns_status_ends")
    .on("campaigns")
    .columns(["status", "ends_at"])
    .execute();
  await db.schema
    .createIndex("campaigns_territory_status")
    .on("campaigns")
    .columns(["territory_id", "status", "ends_at"])
    .execute();
  await db.schema
    .createIndex("campaigns_theme_status")
    .on("campaigns")
    .columns(["theme_id", "status", "ends_at"])
    .execute();
  await db.schema
    .createIndex("campaigns_label_status")
    .on("campaigns")
    .columns(["budget_citoyen_year", "status", "ends_at"])
    .execute();
  await db.schema.createIndex("campaigns_organization").on("campaigns").column("organization_id").execute();

  await db.schema
    .createTable("campaign_fund_lines")
    .addColumn("id", ...autoId(db))
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("amount_cents", "integer", (c) => c.notNull().check(sql`amount_cents >= 0`))
    .execute();
  await db.schema
    .createIndex("fund_lines_campaign")
    .on("campaign_fund_lines")
    .columns(["campaign_id", "position"])
    .execute();

  await db.schema
    .createTable("rewards")
    .addColumn("id", ...autoId(db))
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("minimum_cents", "integer", (c) => c.notNull().check(sql`minimum_cents > 0`))
    .addColumn("stock", "integer", (c) => c.check(sql`stock is null or stock >= 0`))
    .addColumn("held", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`held >= 0`),
    )
    .addColumn("sold", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`sold >= 0`),
    )
    // Never sold beyond its stock, even under concurrency: the database refuses it.
    .addCheckConstraint("rewards_stock", sql`stock is null or held + sold <= stock`)
    .execute();
  await db.schema
    .createIndex("rewards_campaign")
    .on("rewards")
    .columns(["campaign_id", "position"])
    .execute();

  await db.schema
    .createTable("contributions")
    .addColumn("id", ...autoId(db))
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id"))
    .addColumn("user_id", "integer", (c) => c.references("users.id"))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("public_name", "text", (c) => c.notNull())
    .addColumn("amount_cents", "integer", (c) => c.notNull().check(sql`amount_cents > 0`))
    .addColumn("reward_id", "integer", (c) => c.references("rewards.id"))
    .addColumn("anonymous", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("hide_amount", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("message", "text")
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ${CONTRIBUTION_STATUSES}`))
    .addColumn("stripe_checkout_session_id", "text", (c) => c.unique())
    .addColumn("stripe_payment_intent_id", "text")
    .addColumn("stripe_refund_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("paid_at", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  // Totals per campaign (covering: status and amount are in the index).
  await db.schema
    .createIndex("contributions_campaign_status")
    .on("contributions")
    .columns(["campaign_id", "status", "amount_cents", "email"])
    .execute();
  // The public list of contributors, newest first.
  await db.schema
    .createIndex("contributions_campaign_paid_at")
    .on("contributions")
    .columns(["campaign_id", "paid_at"])
    .execute();
  await db.schema
    .createIndex("contributions_status_paid_at")
    .on("contributions")
    .columns(["status", "paid_at"])
    .execute();
  await db.schema.createIndex("contributions_email").on("contributions").column("email").execute();
  await db.schema
    .createIndex("contributions_payment_intent")
    .on("contributions")
    .column("stripe_payment_intent_id")
    .execute();

  await db.schema
    .createTable("campaign_transitions")
    .addColumn("id", ...autoId(db))
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id"))
    .addColumn("from_status", "text")
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("actor_user_id", "integer", (c) => c.references("users.id"))
    .addColumn("actor_role", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("transitions_campaign_at")
    .on("campaign_transitions")
    .columns(["campaign_id", "at"])
    .execute();

  await db.schema
    .createTable("ledger_entries")
    .addColumn("id", ...autoId(db))
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id"))
    .addColumn("contribution_id", "integer", (c) => c.references("contributions.id"))
    .addColumn("kind", "text", (c) =>
      c
        .notNull()
        .check(
          sql`kind in ('contribution_paid','refund','commission','payout','contribution_paid_reversal','refund_reversal','commission_reversal','payout_reversal')`,
        ),
    )
    .addColumn("amount_cents", "integer", (c) => c.notNull().check(sql`amount_cents >= 0`))
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("ledger_campaign_kind")
    .on("ledger_entries")
    .columns(["campaign_id", "kind"])
    .execute();
  await db.schema.createIndex("ledger_contribution").on("ledger_entries").column("contribution_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "ledger_entries",
    "campaign_transitions",
    "contributions",
    "rewards",
    "campaign_fund_lines",
    "campaigns",
    "organizations",
    "users",
    "themes",
    "territories",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
