import type { Kysely } from "kysely";
import { autoId } from "./dialect";

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Tax receipts (reçus fiscaux, Cerfa 11580*05), docs/product-rules.md « Tax receipts »:
 * - receipt_profiles: a structure's declaration that it may issue receipts, its mandate to the
 *   platform and staff's verification (one row per organization);
 * - rewards.value_cents: what a reward is worth, which reduces the deductible amount;
 * - receipt_requests: a donor's request, made on the contribution form (kept for the legal period);
 * - receipt_counters + receipts: receipts issued, numbered per structure and calendar year without
 *   gaps (the counter row is locked and bumped in the transaction that inserts the receipt).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("receipt_profiles")
    .addColumn("organization_id", "integer", (c) => c.primaryKey().references("organizations.id"))
    .addColumn("status", "text", (c) => c.notNull()) // declared | verified | withdrawn
    .addColumn("tax_status", "text", (c) => c.notNull())
    .addColumn("cgi_article", "text", (c) => c.notNull())
    .addColumn("object", "text", (c) => c.notNull())
    .addColumn("street", "text", (c) => c.notNull())
    .addColumn("postal_code", "text", (c) => c.notNull())
    .addColumn("town", "text", (c) => c.notNull())
    .addColumn("siren", "text")
    .addColumn("rna", "text")
    .addColumn("signer_name", "text", (c) => c.notNull())
    .addColumn("signer_role", "text", (c) => c.notNull())
    .addColumn("signature_path", "text")
    .addColumn("mandate_text", "text", (c) => c.notNull())
    .addColumn("mandate_user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("mandate_at", "text", (c) => c.notNull())
    .addColumn("verified_by_user_id", "integer", (c) => c.references("users.id"))
    .addColumn("verified_at", "text")
    .addColumn("withdrawn_reason", "text")
    .addColumn("withdrawn_at", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .alterTable("rewards")
    .addColumn("value_cents", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("receipt_requests")
    .addColumn("contribution_id", "integer", (c) => c.primaryKey().references("contributions.id"))
    .addColumn("first_name", "text", (c) => c.notNull())
    .addColumn("last_name", "text", (c) => c.notNull())
    .addColumn("street", "text", (c) => c.notNull())
    .addColumn("postal_code", "text", (c) => c.notNull())
    .addColumn("town", "text", (c) => c.notNull())
    .addColumn("country", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("receipt_counters")
    .addColumn("organization_id", "integer", (c) => c.notNull().references("organizations.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("last_number", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("receipt_counters_pk", ["organization_id", "year"])
    .execute();

  await db.schema
    .createTable("receipts")
    .addColumn("id", ...autoId(db))
    .addColumn("organization_id", "integer", (c) => c.notNull().references("organizations.id"))
    .addColumn("contribution_id", "integer", (c) => c.notNull().unique().references("contributions.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("order_number", "text", (c) => c.notNull())
    .addColumn("amount_cents", "integer", (c) => c.notNull())
    .addColumn("deductible_cents", "integer", (c) => c.notNull())
    .addColumn("snapshot_json", "text", (c) => c.notNull())
    .addColumn("pdf_path", "text", (c) => c.notNull())
    .addColumn("pdf_sha256", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull()) // issued | cancelled
    .addColumn("issued_at", "text", (c) => c.notNull())
    .addColumn("cancelled_at", "text")
    .addColumn("cancel_reason", "text")
    .addUniqueConstraint("receipts_org_year_number", ["organization_id", "year", "number"])
    .execute();
  await db.schema
    .createIndex("receipts_org_year")
    .on("receipts")
    .columns(["organization_id", "year"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("receipts").execute();
  await db.schema.dropTable("receipt_counters").execute();
  await db.schema.dropTable("receipt_requests").execute();
  await db.schema.alterTable("rewards").dropColumn("value_cents").execute();
  await db.schema.dropTable("receipt_profiles").execute();
}
