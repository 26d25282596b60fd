/**
 * Contribution states (DESIGN.md §4) and the single rule of what counts as
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
 * Contributions whose money was received. A campaign's collected total and its
 * contributor count are derived from these, never from a counter.
 * Refunded ones still count for a past campaign's « collected » figure (the money
 * was given, then returned because the campaign failed).
 */
export const COLLECTED_STATUSES: readonly ContributionStatus[] = ["paid", "refunding", "refunded", "refund_failed"];

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
