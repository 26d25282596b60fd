/** What the legal pages print, read from the configuration in one place (routes stay thin). */
import { config } from "~/config.server";
import { BUDGET_CITOYEN_COMMISSION_BPS, STANDARD_COMMISSION_BPS } from "~/domain/money";
import { retentionPeriods } from "~/retention.server";
import { SESSION_COOKIE } from "~/auth.server";
import { legalConfig } from "./config.server";

export function legalPageData() {
  const cfg = config();
  const legal = legalConfig();
  return {
    legal,
    contactEmail: cfg.contactEmail,
    retention: retentionPeriods(),
    session: {
      cookie: SESSION_COOKIE,
      days: Math.round(cfg.sessionMs / (24 * 3600_000)),
      staffHours: Math.round(cfg.staffSessionMs / 3600_000),
    },
    commission: {
      standardPercent: STANDARD_COMMISSION_BPS / 100,
      budgetCitoyenPercent: BUDGET_CITOYEN_COMMISSION_BPS / 100,
    },
    contribution: { minCents: cfg.contributionMinCents, maxCents: cfg.contributionMaxCents },
    campaignDays: { min: cfg.campaignMinDays, max: cfg.campaignMaxDays },
  };
}

/** « 1 mois », « 12 mois », « 6 ans », « 180 jours » with a non-breaking space. */
export function duration(n: number, unit: "jour" | "mois" | "an"): string {
  const word = unit === "mois" ? "mois" : n > 1 ? `${unit}s` : unit;
  return `${n}\u00a0${word}`;
}
