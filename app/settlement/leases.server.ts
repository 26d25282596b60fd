/**
 * One settler per campaign at a time, across processes and servers: a lease row
 * taken atomically (insert, or take over an expired lease) and released after.
 * Leases use the real clock, even when a settlement pass simulates `--now`.
 */
import os from "node:os";
import crypto from "node:crypto";
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";

export function newHolderId(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString("hex")}`;
}

export async function acquireLease(db: Kysely<DB>, campaignId: number, holder: string, ttlMs: number): Promise<boolean> {
  const now = new Date();
  const expires = new Date(now.getTime() + ttlMs).toISOString();
  await db
    .insertInto("settlement_leases")
    .values({ campaign_id: campaignId, holder, expires_at: expires })
    .onConflict((oc) =>
      oc
        .column("campaign_id")
        .doUpdateSet({ holder, expires_at: expires })
        .where((eb) => eb.or([eb("settlement_leases.expires_at", "<=", now.toISOString()), eb("settlement_leases.holder", "=", holder)])),
    )
    .execute();
  const row = await db.selectFrom("settlement_leases").select("holder").where("campaign_id", "=", campaignId).executeTakeFirst();
  return row?.holder === holder;
}

/** Extend a lease we hold; false if we lost it. */
export async function renewLease(db: Kysely<DB>, campaignId: number, holder: string, ttlMs: number): Promise<boolean> {
  const r = await db
    .updateTable("settlement_leases")
    .set({ expires_at: new Date(Date.now() + ttlMs).toISOString() })
    .where("campaign_id", "=", campaignId)
    .where("holder", "=", holder)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function releaseLease(db: Kysely<DB>, campaignId: number, holder: string): Promise<void> {
  await db.deleteFrom("settlement_leases").where("campaign_id", "=", campaignId).where("holder", "=", holder).execute();
}

