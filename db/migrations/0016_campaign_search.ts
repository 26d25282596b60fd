import { sql, type Kysely } from "kysely";
import { isPostgres } from "./dialect";

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The campaigns' full-text index (docs/decisions/025-campaign-search.md): title, summary, story,
 * structure name and town, one row per campaign whatever its state (the query keeps only the
 * public ones). Triggers keep it in step with every write to campaigns and organizations — a
 * campaign edited, its structure renamed — so no write path can forget it.
 *
 * - SQLite: an FTS5 table `campaign_search` (rowid = campaign id), tokenizer unicode61 with
 *   remove_diacritics 2 (case and accents ignored); « œ » and « æ » spelled out before indexing.
 * - PostgreSQL: `campaign_search(campaign_id, document tsvector)` with a GIN index; the text is
 *   folded by `propulsons_search_fold` (plain SQL: translate + regexp_replace, no extension, so
 *   no superuser) and indexed with the 'simple' configuration, weighted A (title) to D (story).
 *
 * app/search/query.ts folds the searched words exactly the same way.
 */

/** Accented letters PostgreSQL folds, and their plain letter (one each). */
const ACCENTED = "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝŸàáâãäåçèéêëìíîïñòóôõöùúûüýÿ";
const PLAIN = Array.from(ACCENTED, (c) =>
  c
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase(),
).join("");

/** SQLite: spell out the ligatures unicode61 keeps as letters. */
const ligatures = (column: string) =>
  `replace(replace(replace(replace(${column}, 'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae')`;

function sqliteRow(campaign: string, organization: string): string {
  return [
    `${campaign}.id`,
    ligatures(`${campaign}.title`),
    ligatures(`${campaign}.summary`),
    ligatures(`${campaign}.story_md`),
    ligatures(`${organization}.name`),
    ligatures(`${organization}.town`),
  ].join(", ");
}

const SQLITE_COLUMNS = "rowid, title, summary, story, organization, town";

async function upSqlite(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `create virtual table campaign_search using fts5(title, summary, story, organization, town, ` +
        `tokenize = 'unicode61 remove_diacritics 2')`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger campaign_search_insert after insert on campaigns begin
         insert into campaign_search (${SQLITE_COLUMNS})
           select ${sqliteRow("new", "o")} from organizations o where o.id = new.organization_id;
       end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger campaign_search_update after update of title, summary, story_md, organization_id on campaigns begin
         delete from campaign_search where rowid = old.id;
         insert into campaign_search (${SQLITE_COLUMNS})
           select ${sqliteRow("new", "o")} from organizations o where o.id = new.organization_id;
       end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger campaign_search_delete after delete on campaigns begin
         delete from campaign_search where rowid = old.id;
       end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger campaign_search_organization after update of name, town on organizations begin
         delete from campaign_search where rowid in (select id from campaigns where organization_id = new.id);
         insert into campaign_search (${SQLITE_COLUMNS})
           select ${sqliteRow("c", "new")} from campaigns c where c.organization_id = new.id;
       end`,
    )
    .execute(db);
  await sql
    .raw(
      `insert into campaign_search (${SQLITE_COLUMNS})
         select ${sqliteRow("c", "o")} from campaigns c join organizations o on o.id = c.organization_id`,
    )
    .execute(db);
}

async function upPostgres(db: Kysely<any>): Promise<void> {
  await sql`
    create function propulsons_search_fold(value text) returns text
    language sql immutable parallel safe as $$
      select trim(regexp_replace(
        lower(translate(
          replace(replace(replace(replace(coalesce(value, ''), 'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae'),
          ${sql.lit(ACCENTED)}, ${sql.lit(PLAIN)})),
        '[^a-z0-9]+', ' ', 'g'))
    $$`.execute(db);
  await sql`
    create table campaign_search (
      campaign_id integer primary key references campaigns (id) on delete cascade,
      document tsvector not null
    )`.execute(db);
  await sql`create index campaign_search_document on campaign_search using gin (document)`.execute(db);
  await sql`
    create function campaign_search_refresh(target integer) returns void
    language sql as $$
      insert into campaign_search (campaign_id, document)
      select c.id,
        setweight(to_tsvector('simple', propulsons_search_fold(c.title)), 'A') ||
        setweight(to_tsvector('simple', propulsons_search_fold(c.summary)), 'B') ||
        setweight(to_tsvector('simple', propulsons_search_fold(o.name)), 'B') ||
        setweight(to_tsvector('simple', propulsons_search_fold(o.town)), 'C') ||
        setweight(to_tsvector('simple', propulsons_search_fold(c.story_md)), 'D')
      from campaigns c join organizations o on o.id = c.organization_id
      where c.id = target
      on conflict (campaign_id) do update set document = excluded.document
    $$`.execute(db);
  await sql`
    create function campaign_search_on_campaign() returns trigger
    language plpgsql as $$
    begin
      perform campaign_search_refresh(new.id);
      return null;
    end $$`.execute(db);
  await sql`
    create trigger campaign_search_on_campaign
      after insert or update of title, summary, story_md, organization_id on campaigns
      for each row execute function campaign_search_on_campaign()`.execute(db);
  await sql`
    create function campaign_search_on_organization() returns trigger
    language plpgsql as $$
    begin
      perform campaign_search_refresh(c.id) from campaigns c where c.organization_id = new.id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger campaign_search_on_organization
      after update of name, town on organizations
      for each row execute function campaign_search_on_organization()`.execute(db);
  await sql`select campaign_search_refresh(id) from campaigns`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await upPostgres(db);
  else await upSqlite(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger if exists campaign_search_on_organization on organizations`.execute(db);
    await sql`drop trigger if exists campaign_search_on_campaign on campaigns`.execute(db);
    await sql`drop function if exists campaign_search_on_organization()`.execute(db);
    await sql`drop function if exists campaign_search_on_campaign()`.execute(db);
    await sql`drop function if exists campaign_search_refresh(integer)`.execute(db);
    await sql`drop table if exists campaign_search`.execute(db);
    await sql`drop function if exists propulsons_search_fold(text)`.execute(db);
    return;
  }
  for (const trigger of ["insert", "update", "delete", "organization"]) {
    await sql.raw(`drop trigger if exists campaign_search_${trigger}`).execute(db);
  }
  await sql`drop table if exists campaign_search`.execute(db);
}
