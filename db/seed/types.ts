/**
 * Shape of the demo/seed data. The data itself lives in db/seed/campaigns.ts;
 * db/seed/seed.ts turns it into rows (users, organizations, campaigns, rewards,
 * contributions, transitions, ledger entries).
 */

export type TerritorySlug =
  | "arrageois"
  | "artois"
  | "audomarois"
  | "boulonnais"
  | "calaisis"
  | "henin-carvin"
  | "lens-lievin"
  | "montreuillois-ternois";

export type ThemeSlug =
  | "alimentation-circuits-courts"
  | "culture"
  | "environnement-transition"
  | "insertion-emploi"
  | "solidarite-lien-social"
  | "sante-handicap"
  | "education-jeunesse"
  | "mobilite"
  | "habitat"
  | "economie-circulaire";

export type LegalForm = "association" | "scic" | "scop" | "entreprise_ess" | "collectif";

export interface SeedOrganization {
  name: string;
  legalForm: LegalForm;
  /** SIRET (14 digits) for companies and cooperatives, RNA (W + 9 digits) for associations, null for an informal collectif. Fictitious numbers. */
  registrationNumber: string | null;
  town: string;
  territory: TerritorySlug;
  /** Fictitious holder (the person who writes the campaign). Email must be @example.org. */
  holder: { displayName: string; email: string };
}

export interface SeedReward {
  title: string;
  description: string;
  minimumEuros: number;
  /** null = unlimited */
  stock: number | null;
  /** how many units of this reward the seeded paid contributions take (≤ stock) */
  taken: number;
}

export interface SeedFundLine {
  label: string;
  euros: number;
}

/**
 * Dates:
 * - "fixed": absolute calendar dates (YYYY-MM-DD, Europe/Paris) — past campaigns.
 * - "relative": days relative to the day the seed runs (negative = past) — live campaigns,
 *   so a fresh demo always has campaigns running.
 * The campaign ends at 23:59:59 Europe/Paris on its end date.
 */
export type SeedDates =
  | { kind: "fixed"; startDate: string; endDate: string }
  | { kind: "relative"; startOffsetDays: number; endOffsetDays: number };

export interface SeedCampaign {
  slug: string;
  title: string;
  /** one or two sentences, shown on cards */
  summary: string;
  /** Markdown: a few paragraphs, maybe a list and a sub-heading (## ...) */
  story: string;
  organization: SeedOrganization;
  territory: TerritorySlug;
  theme: ThemeSlug;
  goalEuros: number;
  /**
   * Outcome:
   * - funded: past, settled as funded (collectedEuros ≥ goalEuros)
   * - failed: past, settled as failed, contributors refunded (collectedEuros < goalEuros)
   * - live: running now
   * - submitted: written by its holder, waiting for the staff's review (no contribution)
   */
  outcome: "funded" | "failed" | "live" | "submitted";
  /** exact total of paid contributions, in whole euros */
  collectedEuros: number;
  /** number of paid contributions (each from a contributor identity) */
  contributionsCount: number;
  dates: SeedDates;
  /** year of the « Budget Citoyen » label, or null */
  budgetCitoyenYear: number | null;
  fundLines: SeedFundLine[];
  /** Markdown or plain text, a few lines */
  expectedResults: string;
  /** Markdown or plain text, a few dated steps */
  timetable: string;
  rewards: SeedReward[];
  /** short messages of support left by some contributors */
  supportMessages: string[];
}
