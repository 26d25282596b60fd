/**
 * Settlement decisions (docs/product-rules.md#money-rules, #campaign-lifecycle), pure: what a settling campaign should
 * become, how a refund retry waits. No I/O.
 */

export const DAY_MS = 24 * 3600 * 1000;

/** A structure's Stripe account as stored (stripe_payouts_enabled is 0 or 1). */
export interface PayoutAccount {
  stripe_account_id: string | null;
  stripe_payouts_enabled: number;
}

/**
 * Can the structure be paid now? Only with a connected Stripe account whose payouts Stripe has
 * enabled (the account.updated webhook, or a check at settlement, sets the flag). Otherwise the
 * payout waits and the holder is told to finish the account.
 */
export function canBePaid(account: PayoutAccount): boolean {
  return account.stripe_account_id !== null && account.stripe_payouts_enabled === 1;
}

export interface SettlementFacts {
  now: Date;
  endsAt: Date;
  goalCents: number;
  /** sum of paid contributions */
  paidTotalCents: number;
  /**
   * abondement reserved for the campaign (app/matching): counts towards the goal; the payout
   * and the commission stay computed on citizens' money only (absent: none)
   */
  matchedCents?: number;
  /** contributions whose payment may still complete (open checkout, asynchronous payment) */
  inFlightCount: number;
  /** how long a settling campaign waits for in-flight payments after its deadline */
  graceMs: number;
}

export type SettlementDecision =
  | { kind: "wait"; until: Date }
  | { kind: "funded"; graceOver: boolean }
  | { kind: "failed"; graceOver: boolean };

/**
 * A settling campaign is decided once nothing is in flight, or once the grace
 * period after its deadline is over (whatever is still in flight then will be
 * handled as a late payment: refunded if failed, paid out on top if funded).
 */
export function decideSettlement(f: SettlementFacts): SettlementDecision {
  const graceEnds = new Date(f.endsAt.getTime() + f.graceMs);
  const graceOver = f.now.getTime() >= graceEnds.getTime();
  if (f.inFlightCount > 0 && !graceOver) return { kind: "wait", until: graceEnds };
  return f.paidTotalCents + (f.matchedCents ?? 0) >= f.goalCents
    ? { kind: "funded", graceOver }
    : { kind: "failed", graceOver };
}

/**
 * Exponential backoff with full jitter: a random wait in [0, min(cap, base × 2^attempt)).
 * `random` is injectable for tests.
 */
export function backoffWithJitter(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/** Errors worth retrying: rate limits, server errors, network failures. Never a card or request error. */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 429 || status >= 500;
}
