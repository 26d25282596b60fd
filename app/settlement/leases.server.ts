/**
 * One settler per campaign at a time, across processes and servers: a lease row
 * taken atomically (insert, or take over an expired lease), kept alive by a
 * heartbeat while the work runs, and released after.
 *
 * A settler killed mid-pass leaves its lease behind: another server takes over
 * once it expires (the TTL is short because of the heartbeat), and a process on
 * the same machine takes over at once when the holder's pid is no longer alive —
 * so `npm run settle` can be re-run right after a crash.
 * Leases use the real clock, even when a pass simulates `--now`.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";

export const DEFAULT_LEASE_MS = 60_000;

export function newHolderId(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString("hex")}`;
}

function isDeadLocalHolder(holder: string): boolean {
  const [host, pidText] = holder.split(":");
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isInteger(pid) || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
  // A killed process not yet reaped by its parent still answers kill(pid, 0): a zombie is dead too.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

export async function acquireLease(
  db: Kysely<DB>,
  campaignId: number,
  holder: string,
  ttlMs = DEFAULT_LEASE_MS,
): Promise<boolean> {
  const now = new Date();
  const expires = new Date(now.getTime() + ttlMs).toISOString();
  await db
    .insertInto("settlement_leases")
    .values({ campaign_id: campaignId, holder, expires_at: expires })
    .onConflict((oc) =>
      oc
        .column("campaign_id")
        .doUpdateSet({ holder, expires_at: expires })
        .where((eb) =>
          eb.or([
            eb("settlement_leases.expires_at", "<=", now.toISOString()),
            eb("settlement_leases.holder", "=", holder),
          ]),
        ),
    )
    .execute();
  const row = await db
    .selectFrom("settlement_leases")
    .select("holder")
    .where("campaign_id", "=", campaignId)
    .executeTakeFirst();
  if (row?.holder === holder) return true;
  if (row && isDeadLocalHolder(row.holder)) {
    // Its holder was killed on this machine: take over (only if nobody else did meanwhile).
    const taken = await db
      .updateTable("settlement_leases")
      .set({ holder, expires_at: expires })
      .where("campaign_id", "=", campaignId)
      .where("holder", "=", row.holder)
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) === 1;
  }
  return false;
}

/** Extend a lease we hold; false if we lost it. */
export async function renewLease(
  db: Kysely<DB>,
  campaignId: number,
  holder: string,
  ttlMs = DEFAULT_LEASE_MS,
): Promise<boolean> {
  const r = await db
    .updateTable("settlement_leases")
    .set({ expires_at: new Date(Date.now() + ttlMs).toISOString() })
    .where("campaign_id", "=", campaignId)
    .where("holder", "=", holder)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function releaseLease(db: Kysely<DB>, campaignId: number, holder: string): Promise<void> {
  await db
    .deleteFrom("settlement_leases")
    .where("campaign_id", "=", campaignId)
    .where("holder", "=", holder)
    .execute();
}

/**
 * Delete the leases nobody holds any more — expired, or held by a dead process on this machine —
 * whatever their campaign. A settler killed after its campaign's last step (say, just after the
 * transfer) leaves a lease on a campaign that no later pass visits, so takeover never clears it.
 * A lease renewed or taken over meanwhile is left alone. Only a read when there is nothing to do.
 */
export async function clearAbandonedLeases(db: Kysely<DB>): Promise<number> {
  const now = new Date().toISOString();
  let cleared = 0;
  for (const lease of await db.selectFrom("settlement_leases").selectAll().execute()) {
    if (lease.expires_at > now && !isDeadLocalHolder(lease.holder)) continue;
    const deleted = await db
      .deleteFrom("settlement_leases")
      .where("campaign_id", "=", lease.campaign_id)
      .where("holder", "=", lease.holder)
      .where("expires_at", "=", lease.expires_at)
      .executeTakeFirst();
    cleared += Number(deleted.numDeletedRows);
  }
  return cleared;
}

/**
 * Run `work` under the campaign's lease, renewed every third of its TTL.
 * Returns false (without running it) when another live settler holds it.
 */
export async function withLease(
  db: Kysely<DB>,
  campaignId: number,
  holder: string,
  ttlMs: number,
  work: () => Promise<void>,
): Promise<boolean> {
  if (!(await acquireLease(db, campaignId, holder, ttlMs))) return false;
  const heartbeat = setInterval(
    () => void renewLease(db, campaignId, holder, ttlMs).catch(() => {}),
    Math.max(1000, ttlMs / 3),
  );
  heartbeat.unref();
  try {
    await work();
  } finally {
    clearInterval(heartbeat);
    await releaseLease(db, campaignId, holder);
  }
  return true;
}
