/**
 * Key figures (« Chiffres clés ») — the pure part: which campaigns count as
 * launched, funded, failed or in progress in a period, the success rate and the
 * average contribution. app/models/figures.server.ts reads the rows and the
 * maintained money aggregates; every page and export goes through it.
 *
 * Definitions (docs/decisions/010-key-figures.md):
 * - a campaign is « lancée » in the year (Europe/Paris) of its start, once it went live
 *   (live, settling, funded, failed, or cancelled after going live);
 * - it is « réussie » / « non financée » in the year of its end date, « annulée » in the year
 *   it was cancelled;
 * - it is « en cours » in a year when it was launched by the end of that year and not
 *   decided within it; since launch, when it is live or settling now;
 * - success rate = funded / (funded + failed) of the campaigns decided in the period.
 */
import type { CampaignState } from "./campaign-machine";
import { parisYear } from "./time";

/** A year, or every year since the platform opened. */
export type Period = { kind: "year"; year: number } | { kind: "all" };

/** The key under which the maintained aggregates store a period (0 = since launch). */
export function periodKey(period: Period): number {
  return period.kind === "all" ? 0 : period.year;
}

export function periodLabel(period: Period): string {
  return period.kind === "all" ? "depuis le lancement" : `en ${period.year}`;
}

export interface CampaignFacts {
  id: number;
  status: CampaignState;
  startsAt: string;
  endsAt: string;
  /** the campaign went live at some point (a `start` transition exists) */
  wentLive: boolean;
  /** when a cancelled campaign was cancelled: its end, for the figures */
  cancelledAt?: string | null;
  /** Paris years of its start and end, when already computed (see withYears) */
  startYear?: number;
  endYear?: number;
}

/** The Paris years of a campaign's start and end (a cancelled campaign ends when it was cancelled). */
export function withYears<T extends CampaignFacts>(c: T): T & { startYear: number; endYear: number } {
  return {
    ...c,
    startYear: c.startYear ?? parisYear(new Date(c.startsAt)),
    endYear:
      c.endYear ?? parisYear(new Date(c.status === "cancelled" && c.cancelledAt ? c.cancelledAt : c.endsAt)),
  };
}

export interface CampaignCounts {
  launched: number;
  funded: number;
  failed: number;
  cancelled: number;
  inProgress: number;
}

export function wasLaunched(c: CampaignFacts): boolean {
  return (
    c.wentLive ||
    c.status === "live" ||
    c.status === "settling" ||
    c.status === "funded" ||
    c.status === "failed"
  );
}

/** Which of a period's counts a campaign contributes to. */
export function classify(c: CampaignFacts, period: Period): Array<keyof CampaignCounts> {
  if (!wasLaunched(c)) return [];
  const out: Array<keyof CampaignCounts> = [];
  const running = c.status === "live" || c.status === "settling";
  if (period.kind === "all") {
    out.push("launched");
    if (c.status === "funded") out.push("funded");
    if (c.status === "failed") out.push("failed");
    if (c.status === "cancelled") out.push("cancelled");
    if (running) out.push("inProgress");
    return out;
  }
  const { startYear, endYear } = withYears(c);
  if (startYear === period.year) out.push("launched");
  if (endYear === period.year) {
    if (c.status === "funded") out.push("funded");
    if (c.status === "failed") out.push("failed");
    if (c.status === "cancelled") out.push("cancelled");
  }
  if (startYear <= period.year && (endYear > period.year || (running && endYear === period.year)))
    out.push("inProgress");
  return out;
}

export function countCampaigns(campaigns: readonly CampaignFacts[], period: Period): CampaignCounts {
  const counts: CampaignCounts = { launched: 0, funded: 0, failed: 0, cancelled: 0, inProgress: 0 };
  for (const c of campaigns) for (const k of classify(c, period)) counts[k] += 1;
  return counts;
}

/**
 * The home page's « collectés », beside « projets propulsés »: the money the funded campaigns
 * kept — received less what went back (a dispute) — and nothing of a campaign still running,
 * failed or cancelled (docs/decisions/026-home-figures-funded-only.md).
 */
export function fundedNetCents(
  campaigns: ReadonlyArray<{ id: number; status: CampaignState }>,
  money: ReadonlyArray<{ campaignId: number; collected: number; refunded: number }>,
): number {
  const funded = new Set(campaigns.filter((c) => c.status === "funded").map((c) => c.id));
  return money.filter((m) => funded.has(m.campaignId)).reduce((sum, m) => sum + m.collected - m.refunded, 0);
}

/** Success rate as a whole percentage, rounded half up; null when nothing was decided. */
export function successRatePercent(funded: number, failed: number): number | null {
  const decided = funded + failed;
  if (decided === 0) return null;
  return Math.floor((funded * 200 + decided) / (decided * 2));
}

/** Average contribution in cents, rounded half up, in integers; null without contributions. */
export function averageCents(totalCents: number, count: number): number | null {
  if (count === 0) return null;
  return Math.floor((totalCents * 2 + count) / (count * 2));
}

/** The `annee` query parameter: « 2024 », « tout » (since launch), or absent (null). Throws on anything else. */
export function parsePeriodParam(value: string | null): Period | null {
  if (value === null || value === "") return null;
  if (value === "tout") return { kind: "all" };
  if (/^\d{4}$/.test(value)) {
    const year = Number(value);
    if (year >= 2000 && year <= 2100) return { kind: "year", year };
  }
  throw new RangeError("invalid period");
}

/**
 * The review side of a period, which an IFP publishes each year (issue 13): projects received
 * (first submitted) and accepted (first approved) in the period, Paris year of the transition.
 * A campaign sent back for changes and resubmitted counts once, in the year it was first sent.
 */
export interface ReviewFacts {
  /** Paris year of its first `submit` transition, null when never submitted */
  submittedYear: number | null;
  /** Paris year of its first `approve` transition, null when never approved */
  approvedYear: number | null;
}

export function countReview(
  campaigns: readonly ReviewFacts[],
  period: Period,
): { submitted: number; approved: number } {
  const inPeriod = (year: number | null) => year !== null && (period.kind === "all" || year === period.year);
  let submitted = 0;
  let approved = 0;
  for (const c of campaigns) {
    if (inPeriod(c.submittedYear)) submitted += 1;
    if (inPeriod(c.approvedYear)) approved += 1;
  }
  return { submitted, approved };
}
