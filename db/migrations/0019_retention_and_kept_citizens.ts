import type { Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Retention of tax receipts and honest « citoyens impliqués » (issue 13, ADR 031):
 *
 * - `receipts.anonymised_at`: when the donor's name, address and e-mail were erased from the
 *   receipt's frozen snapshot and its stored PDF dropped (after RETENTION_RECEIPT_YEARS). The
 *   number, date, amount and structure stay: the register stays complete.
 * - `figure_campaign_citizens`: maintained aggregate, per campaign and person (e-mail), how many of
 *   their contributions the campaign keeps — received and not refunded. recordCollected adds one,
 *   recordRefunded takes one away and drops the row at zero, so the home page's « citoyens
 *   impliqués » counts exactly the people whose money is in « collectés par les projets
 *   propulsés ». Backfilled here from the contributions already received.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("receipts").addColumn("anonymised_at", "text").execute();
  await db.schema.createIndex("receipts_issued_at").on("receipts").column("issued_at").execute();
  await db.schema
    .createTable("figure_campaign_citizens")
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id"))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("contributions", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("figure_campaign_citizens_pk", ["campaign_id", "email"])
    .execute();
  await db.schema
    .createIndex("figure_campaign_citizens_email")
    .on("figure_campaign_citizens")
    .column("email")
    .execute();

  // Backfill: received (paid, refunding, refund_failed), not refunded.
  let lastId = 0;
  const kept = new Map<string, { campaign_id: number; email: string; contributions: number }>();
  for (;;) {
    const rows: Array<{ id: number; campaign_id: number; email: string }> = await db
      .selectFrom("contributions")
      .select(["id", "campaign_id", "email"])
      .where("id", ">", lastId)
      .where("status", "in", ["paid", "refunding", "refund_failed"])
      .where("paid_at", "is not", null)
      .orderBy("id")
      .limit(20_000)
      .execute();
    if (rows.length === 0) break;
    lastId = rows[rows.length - 1]!.id;
    for (const r of rows) {
      const key = `${r.campaign_id}\u0000${r.email}`;
      const row = kept.get(key) ?? { campaign_id: r.campaign_id, email: r.email, contributions: 0 };
      row.contributions += 1;
      kept.set(key, row);
    }
  }
  const values = [...kept.values()];
  for (let i = 0; i < values.length; i += 300)
    await db
      .insertInto("figure_campaign_citizens")
      .values(values.slice(i, i + 300))
      .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("figure_campaign_citizens").execute();
  await db.schema.dropIndex("receipts_issued_at").execute();
  await db.schema.alterTable("receipts").dropColumn("anonymised_at").execute();
}
