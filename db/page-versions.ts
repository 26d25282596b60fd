/**
 * The page cache's dependency keys (docs/decisions/030-page-cache-keys.md).
 *
 * A key names something pages show: `campaign:42` (a campaign's page: its money, its
 * contributors, its rewards), `fund:7` (an envelope shown on several pages), `global` (anything
 * else). Each key has a version in the `page_versions` table. A cached page records the keys it
 * depends on and their versions; it is served only while they are unchanged.
 *
 * Writers: `touch(trx, keys)` in the transaction of the write. The database driver
 * (db/connection.ts) defers the bump to just before the commit, so the bump and the write become
 * visible together, and the shared rows stay locked for the shortest time. A transaction (or a
 * single statement outside any transaction) that writes and declares no key bumps `global`,
 * which every cached page depends on: a write path that forgets its keys is safe, merely slower.
 *
 * Readers: a loader calls `dependsOn(context, keys)` (app/page-cache.server.ts) to say its
 * page shows nothing but what those keys and `global` cover. A page that declares nothing
 * depends on every key: any write anywhere invalidates it (home, /campagnes, figures, report).
 */
import type { Kysely, Transaction } from "kysely";
import type { DB } from "./schema";

/** Bumped by every write that declares no key; every cached page depends on it. */
export const GLOBAL_KEY = "global";

/** Everything a campaign's own page shows of it: its row, money, contributions, rewards. */
export const campaignKey = (campaignId: number): string => `campaign:${campaignId}`;

/** An envelope of money shown on the pages of the campaigns it matches (« abondement »). */
export const fundKey = (fundId: number): string => `fund:${fundId}`;

const KEY = /^[a-z][a-z0-9_-]{0,40}(:[0-9A-Za-z_-]{1,60})?$/;

/**
 * Tables no cached page shows (cached pages are anonymous): a write that touches only these
 * invalidates nothing — the e-mail worker marking its messages sent, a session renewed, a
 * webhook's event id. A table joins this list only if no page served to an anonymous visitor
 * ever reads it; any other table counts (safe default).
 */
export const PRIVATE_TABLES: ReadonlySet<string> = new Set([
  "stripe_events",
  "email_outbox",
  "settlement_leases",
  "sign_in_requests",
  "sign_in_failures",
  "sessions",
  "email_change_requests",
  "contact_messages",
]);

/** The table the driver recognises: an insert into it is a declaration, deferred to the commit. */
export const PAGE_VERSIONS_TABLE = "page_versions";

/**
 * Declare, in the transaction of a write, which keys it changes: their pages are invalidated
 * when it commits (and only theirs, with the pages that depend on every key). Call it with
 * the transaction, not the database: outside a transaction the bump is its own statement,
 * not atomic with the write. `touch(trx, [GLOBAL_KEY])` invalidates every page.
 */
export async function touch(trx: Transaction<DB> | Kysely<DB>, keys: readonly string[]): Promise<void> {
  const unique = [...new Set(keys)].sort();
  if (unique.length === 0) throw new Error("touch: no key given (say GLOBAL_KEY to invalidate every page)");
  for (const key of unique)
    if (!KEY.test(key)) throw new Error(`touch: invalid page key ${JSON.stringify(key)}`);
  await trx
    .insertInto("page_versions")
    .values(unique.map((key) => ({ key, version: 1 })))
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({ version: (eb) => eb("page_versions.version", "+", 1) }),
    )
    .execute();
}

/** A campaign's page changed (a payment, a refund, a dispute): `touch(trx, [campaignKey(id)])`. */
export function bumpCampaign(trx: Transaction<DB> | Kysely<DB>, campaignId: number): Promise<void> {
  return touch(trx, [campaignKey(campaignId)]);
}

/** The upsert the driver runs at commit for `keys` (sorted: every writer locks rows in one order). */
export function bumpStatement(keys: readonly string[], dialect: "sqlite" | "postgres"): string {
  const values = keys.map((_, i) => (dialect === "postgres" ? `($${i + 1}, 1)` : "(?, 1)")).join(", ");
  return (
    `insert into ${PAGE_VERSIONS_TABLE} (key, version) values ${values} ` +
    `on conflict (key) do update set version = ${PAGE_VERSIONS_TABLE}.version + 1`
  );
}

/** Every key's version, read as one snapshot (before a render: the versions its data is as of). */
export type VersionTable = ReadonlyMap<string, number>;

/**
 * The stamp of a page that depends on `keys` (null: on every key), from a full table. The
 * same string as Database.pageStamp(keys) returns while nothing is bumped.
 */
export function stampFrom(table: VersionTable, keys: readonly string[] | null): string {
  if (keys === null) {
    let sum = 0;
    for (const v of table.values()) sum += v;
    return `*${sum}`;
  }
  return keys.map((k) => table.get(k) ?? 0).join(",");
}

/** Read every key's version (tests, and the stamp before a render). */
export async function readVersionTable(db: Kysely<DB>): Promise<Map<string, number>> {
  const rows = await db.selectFrom("page_versions").select(["key", "version"]).execute();
  return new Map(rows.map((r) => [r.key, Number(r.version)]));
}
