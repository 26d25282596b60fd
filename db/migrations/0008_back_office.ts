import { sql, type Kysely } from "kysely";
import { autoId } from "./dialect";
import { DateTime } from "luxon";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Year of an instant in Europe/Paris — the rule of app/models/figures.server.ts, frozen here. */
function parisYear(iso: string): number {
  return DateTime.fromISO(iso, { zone: "Europe/Paris" }).year;
}

export async function up(db: Kysely<any>): Promise<void> {
  // Staff actions on a campaign that are not state-machine events (label, featuring,
  // publication date). State events stay in campaign_transitions; the history merges both.
  await db.schema
    .createTable("campaign_audit")
    .addColumn("id", ...autoId(db))
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id"))
    .addColumn("action", "text", (c) =>
      c
        .notNull()
        .check(sql`action in ('label_set','label_removed','featured','unfeatured','start_date_set')`),
    )
    .addColumn("actor_user_id", "integer", (c) => c.references("users.id"))
    .addColumn("detail", "text")
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("campaign_audit_campaign_at")
    .on("campaign_audit")
    .columns(["campaign_id", "at"])
    .execute();

  // Maintained aggregates of the key figures (docs/decisions/010-key-figures.md): written in the
  // same transaction as the contribution they count, checked by `npm run reconcile`.
  await db.schema
    .createTable("figure_campaign_years")
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("contributions", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("collected_cents", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("refunded_cents", "bigint", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("figure_campaign_years_pk", ["campaign_id", "year"])
    .execute();
  await db.schema
    .createIndex("figure_campaign_years_year")
    .on("figure_campaign_years")
    .column("year")
    .execute();
  // Who contributed in a period (a year, or 0 for « since launch »), and how many they are.
  await db.schema
    .createTable("figure_citizens")
    .addColumn("period", "integer", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("figure_citizens_pk", ["period", "email"])
    .execute();
  await db.schema
    .createTable("figure_periods")
    .addColumn("period", "integer", (c) => c.primaryKey())
    .addColumn("citizens", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  // Commission and payouts of a year, read from the ledger by kind and date.
  await db.schema
    .createIndex("ledger_kind_at")
    .on("ledger_entries")
    .columns(["kind", "at", "amount_cents"])
    .execute();

  // Backfill from the contributions already received.
  const collected = ["paid", "refunding", "refunded", "refund_failed"];
  let lastId = 0;
  for (;;) {
    const rows: Array<{
      id: number;
      campaign_id: number;
      email: string;
      amount_cents: number;
      paid_at: string | null;
      status: string;
    }> = await db
      .selectFrom("contributions")
      .select(["id", "campaign_id", "email", "amount_cents", "paid_at", "status"])
      .where("id", ">", lastId)
      .where("status", "in", collected)
      .orderBy("id")
      .limit(5000)
      .execute();
    if (rows.length === 0) break;
    lastId = rows[rows.length - 1]!.id;
    const buckets = new Map<
      string,
      {
        campaign_id: number;
        year: number;
        contributions: number;
        collected_cents: number;
        refunded_cents: number;
      }
    >();
    const citizens = new Set<string>();
    for (const r of rows) {
      if (!r.paid_at) continue;
      const year = parisYear(r.paid_at);
      const key = `${r.campaign_id}:${year}`;
      const b = buckets.get(key) ?? {
        campaign_id: r.campaign_id,
        year,
        contributions: 0,
        collected_cents: 0,
        refunded_cents: 0,
      };
      b.contributions += 1;
      b.collected_cents += r.amount_cents;
      if (r.status === "refunded") b.refunded_cents += r.amount_cents;
      buckets.set(key, b);
      citizens.add(JSON.stringify([year, r.email]));
      citizens.add(JSON.stringify([0, r.email]));
    }
    for (const b of buckets.values()) {
      await db
        .insertInto("figure_campaign_years")
        .values(b)
        .onConflict((oc) =>
          oc.columns(["campaign_id", "year"]).doUpdateSet({
            contributions: sql`figure_campaign_years.contributions + ${b.contributions}`,
            collected_cents: sql`figure_campaign_years.collected_cents + ${b.collected_cents}`,
            refunded_cents: sql`figure_campaign_years.refunded_cents + ${b.refunded_cents}`,
          }),
        )
        .execute();
    }
    const pairs = [...citizens].map((s) => JSON.parse(s) as [number, string]);
    for (let i = 0; i < pairs.length; i += 400) {
      await db
        .insertInto("figure_citizens")
        .values(pairs.slice(i, i + 400).map(([period, email]) => ({ period, email })))
        .onConflict((oc) => oc.columns(["period", "email"]).doNothing())
        .execute();
    }
  }
  const counts: Array<{ period: number; n: number | string }> = await db
    .selectFrom("figure_citizens")
    .select(["period", sql<number>`count(*)`.as("n")])
    .groupBy("period")
    .execute();
  for (const c of counts)
    await db
      .insertInto("figure_periods")
      .values({ period: c.period, citizens: Number(c.n) })
      .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("ledger_kind_at").execute();
  for (const t of ["figure_periods", "figure_citizens", "figure_campaign_years", "campaign_audit"]) {
    await db.schema.dropTable(t).execute();
  }
}
