/**
 * The platform's public address, the same in every process (docs/product-rules.md#every-message-is-true: links in
 * e-mails use the platform's public address, never a guess).
 *
 * PUBLIC_URL when it is set (always in production). Without it (demo, development),
 * the server records the address it serves at boot in `platform_settings`, and a
 * command such as `npm run settle`, which serves nothing, reads it there: its e-mails
 * link to the server the citizen actually uses, whatever its PORT. Only when no server
 * has ever started on this database does it fall back to http://localhost:3000.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import type { DB } from "#db/schema";
import { config } from "./config.server";

const KEY = "public_url";
/** `npm start`'s address, when no server recorded one */
export const FALLBACK_PUBLIC_URL = "http://localhost:3000";

/**
 * Absolute base URL for links in e-mails, without trailing slash: PUBLIC_URL, else the
 * address a server recorded, else http://localhost:3000. Cheap (at most one read by primary key);
 * call it where an e-mail's data is built, inside its transaction if there is one.
 */
export async function publicUrl(db: Kysely<DB> | Transaction<DB>): Promise<string> {
  const setting = config().publicUrlSetting;
  if (setting) return setting;
  const row = await db
    .selectFrom("platform_settings")
    .select("value")
    .where("key", "=", KEY)
    .executeTakeFirst();
  return publicUrlFrom(row?.value);
}

/** The recorded address as a column, for a caller that reads other facts in the same statement. */
export function recordedPublicUrlSql(): RawBuilder<string | null> {
  return sql<string | null>`(select value from platform_settings where key = ${KEY})`;
}

/** publicUrl, given what recordedPublicUrlSql read. */
export function publicUrlFrom(recorded: string | null | undefined): string {
  return config().publicUrlSetting || (recorded ?? FALLBACK_PUBLIC_URL);
}

/**
 * Record the address this server serves (config().publicUrl: PUBLIC_URL, else
 * http://localhost:$PORT), for the commands that build e-mails without serving anything.
 * Called once at boot by the server.
 */
export async function recordPublicUrl(
  db: Kysely<DB>,
  url: string = config().publicUrl,
  now: Date = new Date(),
): Promise<void> {
  const value = url.replace(/\/+$/, "");
  await db
    .insertInto("platform_settings")
    .values({ key: KEY, value, updated_at: now.toISOString() })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_at: now.toISOString() }))
    .execute();
}
