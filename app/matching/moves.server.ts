/**
 * The one writer of abondement money (docs/decisions/029-matching.md): matches, the fund's
 * own ledger (matching_entries) and the running totals of matching_funds and
 * matching_fund_campaigns. Called, in the caller's transaction, by the money path's single
 * owner (app/payments/contribution-moves.server.ts: paid → reserved, refund or lost dispute →
 * released) and by the settlement (funded → confirmed, failed or cancelled → released).
 * Nothing else writes these tables' money columns.
 *
 * Never overspent, under any concurrency: a reservation reads the fund's totals on its locked
 * row (PostgreSQL `select … for no key update` of the campaign, then the matching_funds row, then
 * the matching_fund_campaigns row, always in that order; SQLite runs one write transaction at a
 * time), and the write itself is guarded (`reserved + confirmed + x ≤ envelope`), with the
 * table's CHECK as the last guard.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import { isPostgres, needsRowLocks } from "#db/connection";
import type { DB, MatchStatus } from "#db/schema";
import { campaignAvailable, citizenKey, fundOpen, quoteMatch, type MatchLimit } from "~/domain/matching";
import { citizenMatches, fundsOfCampaign, rulesOf, type FundRow } from "./funds.server";
import { campaignKey, fundKey, touch } from "#db/page-versions";

type Db = Kysely<DB> | Transaction<DB>;

/** A campaign takes new matches while its contributions count towards its goal. */
const MATCHABLE_CAMPAIGN: readonly string[] = ["live", "settling"];

export class MatchingConflictError extends Error {
  override name = "MatchingConflictError";
}

export interface ReservedMatch {
  matchId: number;
  fundId: number;
  fundName: string;
  amountCents: number;
  /** what the full ratio would have given: more than amountCents when the match is partial */
  fullCents: number;
  limitedBy: MatchLimit;
}

export type ReleaseReason = "refund" | "dispute_lost" | "failed" | "cancelled";

/**
 * The one write of a fund's running totals: the fund's row and the campaign's row move
 * together by the same deltas, guarded so that the envelope is never exceeded and no total
 * goes negative (a refused write means a concurrent change: the caller's transaction rolls back).
 */
async function writeFundTotals(
  trx: Db,
  fundId: number,
  campaignId: number,
  delta: { reservedCents: number; confirmedCents: number },
): Promise<void> {
  const { reservedCents: r, confirmedCents: c } = delta;
  if (r === 0 && c === 0) return;
  // The two guarded updates, written once; PostgreSQL runs both in one round trip, SQLite (in
  // process, where plain statements are cheaper) one after the other. Each says how many rows moved.
  const moved = sql`reserved_cents = reserved_cents + ${r}, confirmed_cents = confirmed_cents + ${c}`;
  const nonNegative = sql`reserved_cents + ${r} >= 0 and confirmed_cents + ${c} >= 0`;
  const fund = sql`update matching_funds set ${moved}
    where id = ${fundId} and ${nonNegative} and reserved_cents + confirmed_cents + ${r + c} <= envelope_cents`;
  const campaign = sql`update matching_fund_campaigns set ${moved}
    where fund_id = ${fundId} and campaign_id = ${campaignId} and ${nonNegative}`;
  let took: { funds: number; campaigns: number };
  if (isPostgres(trx)) {
    const res = await sql<{ funds: number; campaigns: number }>`
      with f as (${fund} returning 1), fc as (${campaign} returning 1)
      select (select count(*) from f) as funds, (select count(*) from fc) as campaigns`.execute(trx);
    took = { funds: Number(res.rows[0]!.funds), campaigns: Number(res.rows[0]!.campaigns) };
  } else {
    const funds = Number((await fund.execute(trx)).numAffectedRows ?? 0);
    took = { funds, campaigns: Number((await campaign.execute(trx)).numAffectedRows ?? 0) };
  }
  if (took.funds !== 1) throw new MatchingConflictError(`fund ${fundId}: totals refused (${r}, ${c})`);
  if (took.campaigns !== 1)
    throw new MatchingConflictError(`fund ${fundId}, campaign ${campaignId}: totals refused (${r}, ${c})`);
  // What is left in the envelope shows on every campaign page of the fund (ADR 030).
  await touch(trx, [fundKey(fundId), campaignKey(campaignId)]);
}

async function entry(
  trx: Db,
  m: { id: number; fund_id: number; campaign_id: number; amount_cents: number },
  kind: MatchStatus,
  iso: string,
): Promise<void> {
  await trx
    .insertInto("matching_entries")
    .values({
      fund_id: m.fund_id,
      campaign_id: m.campaign_id,
      match_id: m.id,
      kind,
      amount_cents: m.amount_cents,
      at: iso,
    })
    .execute();
}

/**
 * Paid → reserved, in the payment's transaction. The fund is the oldest one that applies to the
 * campaign, is open at the payment's instant and has money left for it; what it adds is
 * quoteMatch's (ratio, caps, envelope, per-citizen rule), possibly partial. Null when nothing
 * is matched (no fund, all spent, citizen's quota used, campaign not collecting, already matched).
 */
export async function reserveMatch(
  trx: Db,
  contributionId: number,
  at: Date,
  /** the contribution's row (and whether it is matched) when the caller has just read it in this transaction */
  known?: ContributionFacts,
): Promise<ReservedMatch | null> {
  const locks = needsRowLocks(trx);
  const k =
    known ??
    (await trx
      .selectFrom("contributions")
      .select(["id", "campaign_id", "user_id", "email", "amount_cents"])
      .where("id", "=", contributionId)
      .executeTakeFirstOrThrow());
  // Most campaigns have no fund: they take no lock at all.
  const candidates = known?.funds ?? (await fundsOfCampaign(trx, k.campaign_id));
  if (candidates.length === 0) return null;
  // Before the locks (the contribution's own row, updated by this transaction, orders its moves).
  const already = known
    ? known.alreadyMatched
    : (await trx
        .selectFrom("matches")
        .select("id")
        .where("contribution_id", "=", k.id)
        .executeTakeFirst()) !== undefined;
  if (already) return null;
  // The campaign row first (the decision updates it, then confirms or releases the matches):
  // a payment and its campaign's decision are ordered, so no match is left reserved on a
  // decided campaign.
  const campaign = await trx
    .selectFrom("campaigns")
    .select(["status"])
    .where("id", "=", k.campaign_id)
    .$if(locks, (q) => q.forNoKeyUpdate())
    .executeTakeFirstOrThrow();
  if (!MATCHABLE_CAMPAIGN.includes(campaign.status)) return null;

  const key = citizenKey({ userId: k.user_id, email: k.email });
  const iso = at.toISOString();
  for (const candidate of candidates) {
    // Locked, then read again: the totals and the early closing are the ones of this instant.
    const fund = await trx
      .selectFrom("matching_funds")
      .select(["id", "name", "envelope_cents", "reserved_cents", "confirmed_cents", "closed_at"])
      .where("id", "=", candidate.id)
      .$if(locks, (q) => q.forNoKeyUpdate())
      .executeTakeFirstOrThrow();
    const open = fundOpen(
      { startsAt: candidate.starts_at, endsAt: candidate.ends_at, closedAt: fund.closed_at },
      at,
    );
    if (!open) continue;
    // Scope « budget_citoyen »: the campaign's row is added at its first match. One statement
    // adds it or locks it and reads its totals: a no-op update of a non-key column takes the
    // same lock as `for no key update` (a key column would take `for update`, see lockFunds).
    const fc = await trx
      .insertInto("matching_fund_campaigns")
      .values({ fund_id: fund.id, campaign_id: k.campaign_id, added_at: iso })
      .onConflict((oc) =>
        oc
          .columns(["fund_id", "campaign_id"])
          .doUpdateSet({ added_at: sql`matching_fund_campaigns.added_at` }),
      )
      .returning(["reserved_cents", "confirmed_cents"])
      .executeTakeFirstOrThrow();
    const rules = rulesOf(candidate);
    const state = {
      envelopeCents: fund.envelope_cents,
      committedCents: fund.reserved_cents + fund.confirmed_cents,
      campaignCommittedCents: fc.reserved_cents + fc.confirmed_cents,
      citizenMatches: 0,
    };
    // The oldest open fund with money left for this campaign is the one (at most one match).
    if (campaignAvailable(rules, state) === 0) continue;
    state.citizenMatches = await citizenMatches(trx, fund.id, k.campaign_id, key);
    const quote = quoteMatch(k.amount_cents, rules, state);
    if (quote.amountCents === 0) return null;
    const values = {
      fund_id: fund.id,
      campaign_id: k.campaign_id,
      contribution_id: k.id,
      citizen_key: key,
      amount_cents: quote.amountCents,
      status: "reserved" as const,
      reserved_at: iso,
    };
    let matchId: number;
    if (isPostgres(trx)) {
      // The match and its entry in one round trip.
      const r = await sql<{ match_id: number }>`
        with m as (
          insert into matches (fund_id, campaign_id, contribution_id, citizen_key, amount_cents, status, reserved_at)
          values (${values.fund_id}, ${values.campaign_id}, ${values.contribution_id}, ${values.citizen_key},
                  ${values.amount_cents}, ${values.status}, ${values.reserved_at})
          returning id
        )
        insert into matching_entries (fund_id, campaign_id, match_id, kind, amount_cents, at)
        select ${values.fund_id}, ${values.campaign_id}, m.id, 'reserved', ${values.amount_cents}, ${iso} from m
        returning match_id`.execute(trx);
      matchId = Number(r.rows[0]!.match_id);
    } else {
      const match = await trx.insertInto("matches").values(values).returning("id").executeTakeFirstOrThrow();
      matchId = match.id;
      await entry(
        trx,
        { id: matchId, fund_id: fund.id, campaign_id: k.campaign_id, amount_cents: quote.amountCents },
        "reserved",
        iso,
      );
    }
    await writeFundTotals(trx, fund.id, k.campaign_id, {
      reservedCents: quote.amountCents,
      confirmedCents: 0,
    });
    return {
      matchId,
      fundId: fund.id,
      fundName: fund.name,
      amountCents: quote.amountCents,
      fullCents: quote.fullCents,
      limitedBy: quote.limitedBy,
    };
  }
  return null;
}

/** What a reservation needs of its contribution. */
export interface ContributionFacts {
  id: number;
  campaign_id: number;
  user_id: number | null;
  email: string;
  amount_cents: number;
  /** whether a match names it already, read after this transaction moved the contribution */
  alreadyMatched: boolean;
  /**
   * the campaign's funds (`fundsOfCampaign`), when read earlier in this transaction: a read that
   * takes no lock, done by the money path before the contribution's update locks the campaign's
   * tally row (on PostgreSQL its payments wait for each other from there to the commit)
   */
  funds?: FundRow[];
}

interface LiveMatch {
  id: number;
  fund_id: number;
  campaign_id: number;
  amount_cents: number;
  status: MatchStatus;
}

async function release(trx: Db, m: LiveMatch, reason: ReleaseReason, iso: string): Promise<void> {
  const updated = await trx
    .updateTable("matches")
    .set({ status: "released", released_at: iso, release_reason: reason })
    .where("id", "=", m.id)
    .where("status", "=", m.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1)
    throw new MatchingConflictError(`match ${m.id} changed concurrently`);
  await entry(trx, m, "released", iso);
  await writeFundTotals(
    trx,
    m.fund_id,
    m.campaign_id,
    m.status === "reserved"
      ? { reservedCents: -m.amount_cents, confirmedCents: 0 }
      : { reservedCents: 0, confirmedCents: -m.amount_cents },
  );
}

/**
 * Lock fund rows (PostgreSQL), in id order: the fund before its matches, in every writer. `for no
 * key update`, not `for update`: the payment's transaction already holds a key-share lock on its
 * campaign (the foreign keys of its ledger entry), which `for update` would wait on — two payments
 * would then deadlock; `for no key update` orders the writers and leaves foreign-key checks alone.
 */
async function lockFunds(trx: Db, fundIds: number[]): Promise<void> {
  if (!needsRowLocks(trx) || fundIds.length === 0) return;
  await trx
    .selectFrom("matching_funds")
    .select("id")
    .where(
      "id",
      "in",
      [...new Set(fundIds)].sort((a, b) => a - b),
    )
    .orderBy("id")
    .forNoKeyUpdate()
    .execute();
}

async function liveMatchOf(trx: Db, contributionId: number): Promise<LiveMatch | undefined> {
  return trx
    .selectFrom("matches")
    .select(["id", "fund_id", "campaign_id", "amount_cents", "status"])
    .where("contribution_id", "=", contributionId)
    .where("status", "in", ["reserved", "confirmed"])
    .executeTakeFirst();
}

/**
 * A contribution's match is released at once (reserved or confirmed): its refund is decided or
 * accepted, or its dispute is lost. The money goes back to the envelope. False when it had none.
 */
export async function releaseMatch(
  trx: Db,
  contributionId: number,
  reason: ReleaseReason,
  at: Date,
): Promise<boolean> {
  const seen = await liveMatchOf(trx, contributionId);
  if (!seen) return false;
  await lockFunds(trx, [seen.fund_id]);
  // Read again under the lock: the campaign's decision may have confirmed or released it.
  const m = await liveMatchOf(trx, contributionId);
  if (!m) return false;
  await release(trx, m, reason, at.toISOString());
  return true;
}

async function liveMatchesOf(trx: Db, campaignId: number, status: MatchStatus): Promise<LiveMatch[]> {
  // Fund order: every writer that touches several funds takes them in the same order.
  return trx
    .selectFrom("matches")
    .select(["id", "fund_id", "campaign_id", "amount_cents", "status"])
    .where("campaign_id", "=", campaignId)
    .where("status", "=", status)
    .orderBy("fund_id")
    .orderBy("id")
    .execute();
}

/**
 * Campaign funded → every reserved match confirmed, in the decision's transaction. Returns the
 * matched money confirmed (what the Département owes the holder under its agreement).
 */
export async function confirmCampaignMatches(trx: Db, campaignId: number, at: Date): Promise<number> {
  const iso = at.toISOString();
  const perFund = new Map<number, number>();
  const reserved = await liveMatchesOf(trx, campaignId, "reserved");
  await lockFunds(
    trx,
    reserved.map((m) => m.fund_id),
  );
  for (const m of reserved) {
    const updated = await trx
      .updateTable("matches")
      .set({ status: "confirmed", confirmed_at: iso })
      .where("id", "=", m.id)
      .where("status", "=", "reserved")
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw new MatchingConflictError(`match ${m.id} changed concurrently`);
    await entry(trx, m, "confirmed", iso);
    perFund.set(m.fund_id, (perFund.get(m.fund_id) ?? 0) + m.amount_cents);
  }
  let total = 0;
  for (const [fundId, cents] of perFund) {
    await writeFundTotals(trx, fundId, campaignId, { reservedCents: -cents, confirmedCents: cents });
    total += cents;
  }
  return total;
}

/** Campaign failed or cancelled → every reserved match released, in the decision's transaction. */
export async function releaseCampaignMatches(
  trx: Db,
  campaignId: number,
  reason: "failed" | "cancelled",
  at: Date,
): Promise<number> {
  const iso = at.toISOString();
  let total = 0;
  const reserved = await liveMatchesOf(trx, campaignId, "reserved");
  await lockFunds(
    trx,
    reserved.map((m) => m.fund_id),
  );
  for (const m of reserved) {
    await release(trx, m, reason, iso);
    total += m.amount_cents;
  }
  return total;
}
