/** What one settlement pass did, counted per kind of step, with its French log lines. */
export interface SettleReport {
  started: number;
  closed: number;
  funded: number;
  failed: number;
  waiting: number;
  payoutsPaid: number;
  payoutsWaiting: number;
  refunded: number;
  refundsPending: number;
  refundFailed: number;
  /** open checkouts expired at Stripe (cancelled campaigns) */
  checkoutsExpired: number;
  errors: number;
  /** campaigns left to another settler holding their lease */
  skipped: number;
  lines: string[];
}

export function emptyReport(): SettleReport {
  return {
    started: 0,
    closed: 0,
    funded: 0,
    failed: 0,
    waiting: 0,
    payoutsPaid: 0,
    payoutsWaiting: 0,
    refunded: 0,
    refundsPending: 0,
    refundFailed: 0,
    checkoutsExpired: 0,
    errors: 0,
    skipped: 0,
    lines: [],
  };
}

export type Say = (line: string) => void;
