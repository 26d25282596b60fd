/**
 * Instants and calendar dates in Europe/Paris (docs/product-rules.md#campaign-lifecycle): a campaign ends at
 * 23:59:59 Paris time on its end date, whatever the DST offset that day.
 * Pure functions; luxon does the time-zone arithmetic.
 */
import { DateTime } from "luxon";
import { TIME_ZONE } from "./format";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Calendar dates already parsed: every render of a campaign asks for its end date's (bounded). */
const parsedDates = new Map<string, DateTime>();

function parisDate(date: string): DateTime {
  const parsed = parsedDates.get(date);
  if (parsed) return parsed; // luxon's DateTime is immutable: safe to share
  if (!ISO_DATE.test(date)) throw new RangeError(`expected YYYY-MM-DD, got ${date}`);
  const dt = DateTime.fromISO(date, { zone: TIME_ZONE });
  if (!dt.isValid) throw new RangeError(`invalid date ${date}`);
  if (parsedDates.size >= 2000) parsedDates.clear();
  parsedDates.set(date, dt);
  return dt;
}

/** The instant a campaign ending on `date` (YYYY-MM-DD) ends: 23:59:59 Europe/Paris. */
export function endOfDayInParis(date: string): Date {
  return parisDate(date).set({ hour: 23, minute: 59, second: 59, millisecond: 0 }).toUTC().toJSDate();
}

/** The instant a campaign starting on `date` starts: 00:00:00 Europe/Paris. */
export function startOfDayInParis(date: string): Date {
  return parisDate(date).startOf("day").toUTC().toJSDate();
}

/** Calendar date (YYYY-MM-DD) of an instant, in Europe/Paris. */
export function parisCalendarDate(instant: Date): string {
  return DateTime.fromJSDate(instant, { zone: TIME_ZONE }).toISODate()!;
}

/** Year of an instant in Europe/Paris (a contribution belongs to the year of its payment there). */
export function parisYear(instant: Date): number {
  return DateTime.fromJSDate(instant, { zone: TIME_ZONE }).year;
}

/** Add whole calendar days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return parisDate(date).plus({ days }).toISODate()!;
}

/** Whole calendar days from one Paris date to another (may be negative). */
export function calendarDaysBetween(from: string, to: string): number {
  return Math.round(parisDate(to).diff(parisDate(from), "days").days);
}

export type TimeLeft =
  | { kind: "not_started"; label: string }
  | { kind: "days"; days: number; label: string }
  | { kind: "last_hours"; label: string }
  | { kind: "over"; label: string };

/**
 * What the campaign page says about the time left:
 * « J-12 » while the end date is a later calendar day (Europe/Paris),
 * « Dernières heures » on the last day, « Terminée » once ends_at has passed.
 */
export function timeLeft(now: Date, startsAt: Date, endsAt: Date): TimeLeft {
  if (now.getTime() >= endsAt.getTime()) return { kind: "over", label: "Terminée" };
  if (now.getTime() < startsAt.getTime()) return { kind: "not_started", label: "Bientôt" };
  const days = calendarDaysBetween(parisCalendarDate(now), parisCalendarDate(endsAt));
  if (days <= 0) return { kind: "last_hours", label: "Dernières heures" };
  return { kind: "days", days, label: `J-${days}` };
}
