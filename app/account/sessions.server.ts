import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { sessionIdHash } from "~/auth.server";
import { config } from "~/config.server";
import { database } from "~/db.server";

/** Whether this session's sign-in is at most FRESH_SIGN_IN_MINUTES old (the same rule as requireFreshSignIn). */
export async function isFreshSignIn(
  request: Request,
  db: Kysely<DB> = database().db,
  now = new Date(),
): Promise<boolean> {
  const idHash = sessionIdHash(request);
  if (!idHash) return false;
  const row = await db
    .selectFrom("sessions")
    .select("created_at")
    .where("id_hash", "=", idHash)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Boolean(row && new Date(row.created_at).getTime() + config().freshSignInMs > now.getTime());
}
