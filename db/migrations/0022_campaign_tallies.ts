import { sql, type Kysely } from "kysely";
import { isPostgres } from "./dialect";

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * A campaign's public tallies, one row per campaign (docs/decisions/033-campaign-tallies.md): what
 * its page and its card show about the contributions — « collecté », how many contributions and
 * people, where the refunds stand — read in one row instead of counted over every contribution at
 * each render. Triggers on `contributions` keep it in step with every write, in the writer's own
 * statement: no writer can forget it, and it is never ahead of or behind the rows it counts.
 *
 * Each change of a contribution takes its old values out of its campaign's row and puts its new
 * ones in. The distinct people are counted by asking the index contributions_campaign_email
 * (migration 0021) whether another contribution of the same campaign and address is in the same
 * set. SQLite runs a row's trigger right after writing that row. PostgreSQL runs « after » row
 * triggers only once the whole statement has written all its rows (a multi-row insert would see its
 * own later rows), so there the trigger runs just before the row is written, once the row is
 * locked; it first locks the campaign's tally row, so two writers of one campaign take turns and
 * each sees what the other committed.
 *
 * The sets are those of app/domain/contribution-status.ts at the time of writing, spelled out here
 * (a migration does not change with the code): collected = paid; received = paid, refunding,
 * refunded, refund_failed. `npm run reconcile` compares every row with the plain recomputation.
 */

const RECEIVED = "('paid', 'refunding', 'refunded', 'refund_failed')";

const COUNTS = [
  "collected_cents",
  "collected_count",
  "contributors",
  "received_count",
  "supporters",
  "refunded_count",
  "refunded_cents",
  "refunding_count",
  "refund_failed_count",
  "disputed_count",
  "bank_returned_count",
] as const;

/**
 * The change one contribution's values (`r`, the trigger's `old` or `new`) make to its campaign's
 * row: `sign` is -1 to take them out, +1 to put them in. The same text for both databases.
 */
function delta(r: "old" | "new", sign: 1 | -1): string {
  const s = String(sign);
  const paid = `${r}.status = 'paid'`;
  const another = (statuses: string) =>
    `exists (select 1 from contributions k where k.campaign_id = ${r}.campaign_id and k.email = ${r}.email` +
    ` and k.status in ${statuses} and k.id <> ${r}.id)`;
  const when = (condition: string, value = s) => `case when ${condition} then ${value} else 0 end`;
  return [
    `collected_cents = collected_cents + ${when(paid, `${s} * (${r}.amount_cents - ${r}.dispute_withdrawn_cents)`)}`,
    `collected_count = collected_count + ${when(paid)}`,
    `contributors = contributors + ${when(`${paid} and not ${another("('paid')")}`)}`,
    `received_count = received_count + ${s}`,
    `supporters = supporters + ${when(`not ${another(RECEIVED)}`)}`,
    `refunded_count = refunded_count + ${when(`${r}.status = 'refunded'`)}`,
    `refunded_cents = refunded_cents + ${when(`${r}.status = 'refunded'`, `${s} * ${r}.amount_cents`)}`,
    `refunding_count = refunding_count + ${when(`${r}.status = 'refunding'`)}`,
    `refund_failed_count = refund_failed_count + ${when(`${r}.status = 'refund_failed'`)}`,
    `disputed_count = disputed_count + ${when(`${paid} and ${r}.dispute_status = 'open'`)}`,
    `bank_returned_count = bank_returned_count + ${when(`${paid} and ${r}.dispute_status = 'lost'`)}`,
  ].join(",\n      ");
}

/** What a change must touch to move a tally. */
const WATCHED = [
  "campaign_id",
  "email",
  "status",
  "amount_cents",
  "dispute_status",
  "dispute_withdrawn_cents",
];
const changed = (isNot: "is not" | "is distinct from") =>
  WATCHED.map((c) => `old.${c} ${isNot} new.${c}`).join(" or ");

/** The plain recomputation, to fill the table from the contributions already there. */
const BACKFILL = `
  insert into campaign_tallies (campaign_id, ${COUNTS.join(", ")})
  select c.id,
    coalesce(sum(case when k.status = 'paid' then k.amount_cents - k.dispute_withdrawn_cents else 0 end), 0),
    coalesce(sum(case when k.status = 'paid' then 1 else 0 end), 0),
    count(distinct case when k.status = 'paid' then k.email end),
    count(k.id),
    count(distinct k.email),
    coalesce(sum(case when k.status = 'refunded' then 1 else 0 end), 0),
    coalesce(sum(case when k.status = 'refunded' then k.amount_cents else 0 end), 0),
    coalesce(sum(case when k.status = 'refunding' then 1 else 0 end), 0),
    coalesce(sum(case when k.status = 'refund_failed' then 1 else 0 end), 0),
    coalesce(sum(case when k.status = 'paid' and k.dispute_status = 'open' then 1 else 0 end), 0),
    coalesce(sum(case when k.status = 'paid' and k.dispute_status = 'lost' then 1 else 0 end), 0)
  from campaigns c left join contributions k on k.campaign_id = c.id and k.status in ${RECEIVED}
  group by c.id`;

async function upSqlite(db: Kysely<any>): Promise<void> {
  const ensure = (r: "old" | "new") =>
    `insert or ignore into campaign_tallies (campaign_id) values (${r}.campaign_id);`;
  const apply = (r: "old" | "new", sign: 1 | -1) =>
    `update campaign_tallies set
      ${delta(r, sign)}
      where campaign_id = ${r}.campaign_id and ${r}.status in ${RECEIVED};`;
  await sql
    .raw(
      `create trigger campaign_tallies_insert after insert on contributions when new.status in ${RECEIVED} begin
         ${ensure("new")}
         ${apply("new", 1)}
       end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger campaign_tallies_update after update of ${WATCHED.join(", ")} on contributions
       when ${changed("is not")} begin
         ${apply("old", -1)}
         ${ensure("new")}
         ${apply("new", 1)}
       end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger campaign_tallies_delete after delete on contributions when old.status in ${RECEIVED} begin
         ${apply("old", -1)}
       end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger campaign_tallies_campaign after insert on campaigns begin
         insert or ignore into campaign_tallies (campaign_id) values (new.id);
       end`,
    )
    .execute(db);
}

async function upPostgres(db: Kysely<any>): Promise<void> {
  // Insert the row if missing, then lock it: the existence checks that follow run after any other
  // writer of this campaign committed (each statement of a PL/pgSQL function reads a new snapshot).
  const lockedApply = (r: "old" | "new", sign: 1 | -1) => `
      insert into campaign_tallies (campaign_id) values (${r}.campaign_id) on conflict (campaign_id) do nothing;
      perform 1 from campaign_tallies where campaign_id = ${r}.campaign_id for update;
      update campaign_tallies set
      ${delta(r, sign)}
      where campaign_id = ${r}.campaign_id;`;
  await sql
    .raw(
      `create function campaign_tallies_on_contribution() returns trigger
       language plpgsql as $$
       begin
         if tg_op in ('UPDATE', 'DELETE') and old.status in ${RECEIVED} then
           ${lockedApply("old", -1)}
         end if;
         if tg_op in ('INSERT', 'UPDATE') and new.status in ${RECEIVED} then
           ${lockedApply("new", 1)}
         end if;
         return case when tg_op = 'DELETE' then old else new end;
       end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger campaign_tallies_insert_delete before insert or delete on contributions
       for each row execute function campaign_tallies_on_contribution()`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger campaign_tallies_update before update of ${WATCHED.join(", ")} on contributions
       for each row when (${changed("is distinct from")}) execute function campaign_tallies_on_contribution()`,
    )
    .execute(db);
  await sql
    .raw(
      `create function campaign_tallies_on_campaign() returns trigger
       language plpgsql as $$
       begin
         insert into campaign_tallies (campaign_id) values (new.id) on conflict (campaign_id) do nothing;
         return null;
       end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger campaign_tallies_campaign after insert on campaigns
       for each row execute function campaign_tallies_on_campaign()`,
    )
    .execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  let table = db.schema
    .createTable("campaign_tallies")
    .addColumn("campaign_id", "integer", (c) =>
      c.primaryKey().references("campaigns.id").onDelete("cascade"),
    );
  // Sums of cents in bigint (a product with them, such as the list's share of the goal, stays in
  // range on PostgreSQL); counts in integer.
  for (const column of COUNTS)
    table = table.addColumn(column, column.endsWith("_cents") ? "bigint" : "integer", (c) =>
      c.notNull().defaultTo(0),
    );
  await table.execute();
  await sql.raw(BACKFILL).execute(db);
  if (isPostgres(db)) await upPostgres(db);
  else await upSqlite(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger if exists campaign_tallies_campaign on campaigns`.execute(db);
    await sql`drop trigger if exists campaign_tallies_update on contributions`.execute(db);
    await sql`drop trigger if exists campaign_tallies_insert_delete on contributions`.execute(db);
    await sql`drop function if exists campaign_tallies_on_campaign()`.execute(db);
    await sql`drop function if exists campaign_tallies_on_contribution()`.execute(db);
  } else {
    for (const t of ["insert", "update", "delete", "campaign"])
      await sql.raw(`drop trigger if exists campaign_tallies_${t}`).execute(db);
  }
  await db.schema.dropTable("campaign_tallies").execute();
}
