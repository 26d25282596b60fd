/**
 * Money rules (docs/product-rules.md#money-rules). Every amount is an integer number of euro cents.
 * This module is pure: no I/O, no floats.
 */
import { formatEuros } from "./format";

/** Standard commission: 3 % expressed in basis points. */
export const STANDARD_COMMISSION_BPS = 300;
/** Campaigns labelled « Budget Citoyen » pay no commission. */
export const BUDGET_CITOYEN_COMMISSION_BPS = 0;

export class MoneyError extends Error {
  override name = "MoneyError";
}

export function assertCents(value: number, what = "amount"): void {
  if (!Number.isSafeInteger(value)) {
    throw new MoneyError(`${what} must be an integer number of cents, got ${value}`);
  }
}

/** Commission rate that applies to a campaign, from its label at the time asked. */
export function commissionBpsFor(campaign: { budgetCitoyenYear: number | null }): number {
  return campaign.budgetCitoyenYear === null ? STANDARD_COMMISSION_BPS : BUDGET_CITOYEN_COMMISSION_BPS;
}

/** commission = total × bps / 10 000, rounded half up to the cent. */
export function commissionCents(totalCents: number, bps: number): number {
  assertCents(totalCents, "total");
  assertCents(bps, "bps");
  if (totalCents < 0) throw new MoneyError("total must not be negative");
  if (bps < 0 || bps > 10_000) throw new MoneyError("bps must be between 0 and 10 000");
  // Integer arithmetic only: (total × bps + 5 000) div 10 000 is "half up" for non-negative values.
  const product = BigInt(totalCents) * BigInt(bps);
  return Number((product + 5000n) / 10000n);
}

/** Split a collected total into what the platform keeps and what the holder receives. */
export function settlementSplit(
  totalCents: number,
  bps: number,
): { commissionCents: number; payoutCents: number } {
  const commission = commissionCents(totalCents, bps);
  return { commissionCents: commission, payoutCents: totalCents - commission };
}

/**
 * Percentage of the goal reached, as a whole number (rounded down) so that
 * « 100 % » is only shown when the goal is really met.
 */
export function percentOfGoal(collectedCents: number, goalCents: number): number {
  assertCents(collectedCents);
  assertCents(goalCents);
  if (goalCents <= 0) return 0;
  return Math.floor((collectedCents * 100) / goalCents);
}

/** « 25 », « 25,5 », « 25,50 », « 1 000 », « 25 € » → cents, without floats. null when not a valid amount. */
export function parseEurosToCents(input: string): number | null {
  const cleaned = input.replace(/[\s\u00a0\u202f€]/g, "");
  const m = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(cleaned);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "0").padEnd(2, "0"));
}

/** What one contribution may be, in cents (CONTRIBUTION_MIN_EUROS and CONTRIBUTION_MAX_EUROS). */
export interface ContributionBounds {
  minCents: number;
  maxCents: number;
}

/** null when the amount lies within the bounds, else the French message for the amount field. */
export function outOfBoundsMessage(amountCents: number, bounds: ContributionBounds): string | null {
  return amountCents < bounds.minCents || amountCents > bounds.maxCents
    ? `Le montant doit être compris entre ${formatEuros(bounds.minCents)} et ${formatEuros(bounds.maxCents)}.`
    : null;
}
