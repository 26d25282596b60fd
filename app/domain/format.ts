/**
 * French (fr-FR) formatting for the interface: money, numbers, percentages, dates
 * in Europe/Paris. Pure functions.
 */
import { assertCents } from "./money";
import { frenchDate, frenchDateTime, frenchInteger } from "./typography";

// Plurals and counted nouns live with the rest of the typography (app/domain/typography.ts).
export { countOf, plural } from "./typography";

export const TIME_ZONE = "Europe/Paris";
const NBSP = "\u00a0";

/** A whole number with French digit grouping: 5 852 → « 5 852 » (narrow no-break space). */
export function formatInteger(value: number): string {
  return frenchInteger(value);
}

/**
 * Cents as French euros: 313500 → « 3 135 € », 1050 → « 10,50 € ».
 * Cents are shown only when the amount is not whole euros. No float is involved.
 */
export function formatEuros(cents: number): string {
  assertCents(cents);
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const euros = Math.trunc(abs / 100);
  const rest = abs % 100;
  const body = formatInteger(euros) + (rest === 0 ? "" : "," + String(rest).padStart(2, "0"));
  return (negative ? "−" : "") + body + NBSP + "€";
}

/** Cents as a plain decimal for spreadsheets: 2500 → « 25,00 » (no grouping, no symbol). */
export function formatDecimalEuros(cents: number): string {
  assertCents(cents);
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)},${String(abs % 100).padStart(2, "0")}`;
}

/** Cents as a machine-readable decimal for open data: 313500 → « 3135.00 » (dot, no grouping). */
export function formatOpenDataEuros(cents: number): string {
  return formatDecimalEuros(cents).replace(",", ".");
}

/** « 3 % », « 0 % » from basis points (300 → 3 %, 250 → 2,5 %). */
export function formatBps(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const rest = bps % 100;
  const text = rest === 0 ? String(whole) : `${whole},${String(rest).padStart(2, "0").replace(/0$/, "")}`;
  return text + NBSP + "%";
}

export function formatPercent(value: number): string {
  return formatInteger(value) + NBSP + "%";
}

/** « 31 mars 2026 », « 1er décembre 2026 » (Europe/Paris). */
export function formatDate(instant: Date | string): string {
  return frenchDate(instant);
}

/** « 31 mars 2026 à 23 h 59 », « 1er décembre 2026 à 9 h » (Europe/Paris). */
export function formatDateTime(instant: Date | string): string {
  return frenchDateTime(instant);
}
