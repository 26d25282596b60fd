/**
 * Contribution states (docs/product-rules.md#contributions) and the single rule of what counts as
 * « collected ». Pure.
 */
export const CONTRIBUTION_STATUSES = [
  "pending",
  "paid",
  "failed",
  "expired",
  "refunding",
  "refunded",
  "refund_failed",
] as const;
export type ContributionStatus = (typeof CONTRIBUTION_STATUSES)[number];

/**
 * Named sets of states: every sum of a campaign's money is written with these,
 * never with a status list typed again (docs/money-path.md).
 *
 * - COLLECTED: received and neither refunded nor being refunded. This is « collecté »
 *   everywhere: the public progress bar, the holder's figures, the settlement decision.
 * - IN_FLIGHT: a payment that may still complete (open checkout, asynchronous method).
 * - REFUND: money received whose refund has started (refunded, under way or failed);
 *   shown apart from what was collected.
 * - RECEIVED: every contribution whose money arrived at some point (COLLECTED + REFUND),
 *   e.g. the people a holder may write to, or what reconcile sums as « paid ».
 * - HELD: money on the platform's Stripe balance unless paid out (paid ones not yet
 *   carried by a paid payout, and those whose refund has not gone through).
 */
export const COLLECTED_STATUSES = ["paid"] as const satisfies readonly ContributionStatus[];
export const IN_FLIGHT_STATUSES = ["pending"] as const satisfies readonly ContributionStatus[];
export const REFUND_STATUSES = [
  "refunding",
  "refunded",
  "refund_failed",
] as const satisfies readonly ContributionStatus[];
export const RECEIVED_STATUSES = [
  ...COLLECTED_STATUSES,
  ...REFUND_STATUSES,
] as const satisfies readonly ContributionStatus[];
export const HELD_STATUSES = [
  "paid",
  "refunding",
  "refund_failed",
] as const satisfies readonly ContributionStatus[];

export const CONTRIBUTION_STATUS_LABELS: Record<ContributionStatus, string> = {
  pending: "En attente de paiement",
  paid: "Payée",
  failed: "Paiement refusé",
  expired: "Paiement abandonné",
  refunding: "Remboursement en cours",
  refunded: "Remboursée",
  refund_failed: "Remboursement en échec",
};

/**
 * Allowed moves. States only move forward: a duplicate or late event that would
 * move a contribution back is ignored. Money that arrives after a checkout was
 * marked failed or expired is still money received (→ paid).
 */
const FORWARD: Record<ContributionStatus, readonly ContributionStatus[]> = {
  pending: ["paid", "failed", "expired"],
  failed: ["paid"],
  expired: ["paid"],
  paid: ["refunding", "refunded", "refund_failed"],
  refunding: ["refunded", "refund_failed"],
  refund_failed: ["refunding", "refunded"],
  refunded: [],
};

export function canMove(from: ContributionStatus, to: ContributionStatus): boolean {
  return FORWARD[from].includes(to);
}

/** The reference a contributor quotes when writing to the team: « PRP-000123 ». */
export function contributionReference(id: number): string {
  return `PRP-${String(id).padStart(6, "0")}`;
}

/**
 * What staff must look at on a contribution (« Paiements à traiter »). A contribution
 * carries a set of them: a flag is added or removed, never overwritten
 * (contribution-moves.server.ts owns the writes).
 */
export const STAFF_FLAGS = [
  "amount_mismatch",
  "reward_unavailable",
  "partial_refund",
  "disputed",
  "dispute_lost",
] as const;
export type StaffFlag = (typeof STAFF_FLAGS)[number];

export function isStaffFlag(value: string): value is StaffFlag {
  return (STAFF_FLAGS as readonly string[]).includes(value);
}

/** The stored set (comma-separated text, null when empty) read as flags; unknown words are kept out. */
export function parseFlags(stored: string | null): StaffFlag[] {
  return (stored ?? "")
    .split(",")
    .map((f) => f.trim())
    .filter(isStaffFlag);
}

/** The stored form of a set of flags: sorted, without repeats, null when empty. */
export function formatFlags(flags: Iterable<StaffFlag>): string | null {
  const set = [...new Set(flags)].sort();
  return set.length === 0 ? null : set.join(",");
}
