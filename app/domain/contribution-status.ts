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
