/**
 * Kysely table types. Money columns are integer cents; instants are ISO-8601
 * UTC strings ("2026-03-31T21:59:59.000Z", always Date#toISOString()), which
 * sort as text and mean the same on SQLite and PostgreSQL; booleans are 0/1.
 * See docs/decisions/003-sqlite-default-and-storage-conventions.md.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { CampaignEvent, CampaignState } from "../app/domain/campaign-machine";
import type { ContributionStatus } from "../app/domain/contribution-status";

export type Role = "citizen" | "holder" | "staff";
export type LegalForm = "association" | "scic" | "scop" | "entreprise_ess" | "collectif";
export type LedgerKind =
  | "contribution_paid"
  | "refund"
  | "commission"
  | "payout"
  | "contribution_paid_reversal"
  | "refund_reversal"
  | "commission_reversal"
  | "payout_reversal";

type Bool = 0 | 1;
type Instant = string;

export interface TerritoriesTable {
  id: Generated<number>;
  slug: string;
  name: string;
  position: number;
}

export interface ThemesTable {
  id: Generated<number>;
  slug: string;
  name: string;
  position: number;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  display_name: string;
  role: Role;
  created_at: Instant;
  /** set when the account was deleted (its row stays, anonymised: app/account) */
  deleted_at: ColumnType<Instant | null, Instant | null | undefined, Instant | null>;
}

export interface OrganizationsTable {
  id: Generated<number>;
  owner_user_id: number;
  name: string;
  legal_form: LegalForm;
  /** SIRET (14 digits) or RNA (W + 9 characters); null for an informal collectif */
  registration_number: string | null;
  town: string;
  territory_id: number;
  stripe_account_id: string | null;
  /** 1 when the connected account can receive transfers (account.updated) */
  stripe_payouts_enabled: ColumnType<Bool, Bool | undefined, Bool>;
  created_at: Instant;
}

export interface CampaignsTable {
  id: Generated<number>;
  organization_id: number;
  slug: string;
  title: string;
  summary: string;
  story_md: string;
  goal_cents: number;
  starts_at: Instant;
  ends_at: Instant;
  territory_id: number;
  theme_id: number;
  /** year of the « Budget Citoyen » label; null = not labelled */
  budget_citoyen_year: number | null;
  expected_results_md: string;
  timetable_md: string;
  image_path: string | null;
  /** text alternative of the image */
  image_alt: string | null;
  status: CampaignState;
  featured: ColumnType<Bool, Bool | undefined, Bool>;
  created_at: Instant;
  updated_at: Instant;
}

export interface CampaignFundLinesTable {
  id: Generated<number>;
  campaign_id: number;
  position: number;
  label: string;
  amount_cents: number;
}

export interface RewardsTable {
  id: Generated<number>;
  campaign_id: number;
  position: number;
  title: string;
  description: string;
  minimum_cents: number;
  /** null = unlimited */
  stock: number | null;
  /** units held by open checkouts */
  held: ColumnType<number, number | undefined, number>;
  sold: ColumnType<number, number | undefined, number>;
  /** what the reward is worth to the donor; it reduces the deductible amount of a tax receipt */
  value_cents: ColumnType<number, number | undefined, number>;
}

export interface ContributionsTable {
  id: Generated<number>;
  campaign_id: number;
  user_id: number | null;
  email: string;
  public_name: string;
  amount_cents: number;
  reward_id: number | null;
  anonymous: Bool;
  hide_amount: Bool;
  message: string | null;
  status: ContributionStatus;
  stripe_checkout_session_id: string | null;
  stripe_payment_intent_id: string | null;
  stripe_refund_id: string | null;
  created_at: Instant;
  paid_at: Instant | null;
  updated_at: Instant;
  /** 1 while this pending contribution holds a unit of its reward */
  reward_hold: ColumnType<Bool, Bool | undefined, Bool>;
  checkout_expires_at: Instant | null;
  last_payment_error: string | null;
  /** what staff must look at: a comma-separated set of StaffFlag (app/domain/contribution-status.ts) */
  staff_flag: string | null;
  /** a dispute (chargeback) opened by the contributor's bank, and how it ended */
  dispute_status: "open" | "won" | "lost" | null;
  /** money Stripe took back for the dispute and has not given back (signed: events come in any order) */
  dispute_withdrawn_cents: ColumnType<number, number | undefined, number>;
  /** the payout that carried this paid contribution to the holder; null while the platform holds it */
  payout_id: number | null;
  refund_attempts: ColumnType<number, number | undefined, number>;
  refund_next_attempt_at: Instant | null;
  refund_last_error: string | null;
  /** when its e-mail, name and message were erased (account deletion, retention purge) */
  anonymised_at: ColumnType<Instant | null, Instant | null | undefined, Instant | null>;
}

export interface PayoutsTable {
  id: Generated<number>;
  campaign_id: number;
  kind: "main" | "supplementary";
  gross_cents: number;
  commission_bps: number;
  commission_cents: number;
  amount_cents: number;
  status: "pending" | "paid" | "failed";
  idempotency_key: string;
  stripe_transfer_id: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  holder_notified_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
  paid_at: Instant | null;
}

export interface SettlementLeasesTable {
  campaign_id: number;
  holder: string;
  expires_at: Instant;
}

export interface CampaignTransitionsTable {
  id: Generated<number>;
  campaign_id: number;
  from_status: CampaignState | null;
  to_status: CampaignState;
  event: CampaignEvent | "create";
  actor_user_id: number | null;
  /** "system", "holder", "staff" — who acted, even when no user row exists */
  actor_role: string;
  reason: string | null;
  at: Instant;
}

export interface LedgerEntriesTable {
  id: Generated<number>;
  campaign_id: number;
  contribution_id: number | null;
  kind: LedgerKind;
  /** always positive; the kind says the direction */
  amount_cents: number;
  at: Instant;
}

export interface StripeEventsTable {
  id: string;
  type: string;
  created: number;
  processed_at: Instant;
}

/** The e-mail kinds are declared once, with their templates: emails/registry.ts. */
export type { EmailKind } from "../emails/registry";
import type { EmailKind } from "../emails/registry";

export interface EmailOutboxTable {
  id: Generated<number>;
  kind: EmailKind;
  to_email: string;
  payload_json: string;
  idempotency_key: string;
  status: "pending" | "sent" | "failed";
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Instant;
  last_error: string | null;
  provider_id: string | null;
  created_at: Instant;
  sent_at: Instant | null;
  /** while a sender holds the row: the end of its claim, on the real clock (null: not claimed) */
  claimed_until: ColumnType<Instant | null, Instant | null | undefined, Instant | null>;
}

export interface SignInRequestsTable {
  id: Generated<number>;
  email: string;
  token_hash: string;
  code_hash: string;
  ip: string;
  attempts: ColumnType<number, number | undefined, number>;
  created_at: Instant;
  expires_at: Instant;
  used_at: Instant | null;
}

/** A wrong sign-in code (db/migrations/0011): guesses are limited per address and per client. */
/** The page cache's dependency versions (db/page-versions.ts, docs/decisions/030-page-cache-keys.md). */
export interface PageVersionsTable {
  /** « any », « global », « campaign:42 », « fund:7 » */
  key: string;
  version: number;
}

export interface SignInFailuresTable {
  id: Generated<number>;
  email: string;
  /** the client address, an IPv6 one as its /64 */
  ip: string;
  created_at: Instant;
}

/** A message sent through the « Contact » form (migration 0013), purged after RETENTION_CONTACT_MONTHS. */
export interface ContactMessagesTable {
  id: Generated<number>;
  name: string;
  email: string;
  subject: string;
  message: string;
  /** the client address, an IPv6 one as its /64 */
  ip: string;
  created_at: Instant;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number;
  created_at: Instant;
  expires_at: Instant;
  revoked_at: Instant | null;
  user_agent: string | null;
  /** last request seen with it, recorded at most every few minutes (app/account) */
  last_used_at: ColumnType<Instant | null, Instant | null | undefined, Instant | null>;
}

/** A change of e-mail address waiting for the code sent to the new address (db/migrations/0014). */
export interface EmailChangeRequestsTable {
  id: Generated<number>;
  user_id: number;
  new_email: string;
  code_hash: string;
  attempts: ColumnType<number, number | undefined, number>;
  created_at: Instant;
  expires_at: Instant;
  used_at: Instant | null;
}

export interface CampaignNewsTable {
  id: Generated<number>;
  campaign_id: number;
  author_user_id: number;
  title: string;
  body_md: string;
  published_at: Instant;
}

export interface NewsSubscriptionsTable {
  campaign_id: number;
  email: string;
  token: string;
  unsubscribed_at: Instant | null;
}

export type CampaignAuditAction =
  "label_set" | "label_removed" | "featured" | "unfeatured" | "start_date_set";

/** Staff actions on a campaign that are not state-machine events. */
export interface CampaignAuditTable {
  id: Generated<number>;
  campaign_id: number;
  action: CampaignAuditAction;
  actor_user_id: number | null;
  /** human-readable detail, in French (« Budget Citoyen 2025 », the new date…) */
  detail: string | null;
  at: Instant;
}

/** Maintained aggregate: money received per campaign and year of payment (Europe/Paris). */
export interface FigureCampaignYearsTable {
  campaign_id: number;
  year: number;
  contributions: number;
  collected_cents: ColumnType<number, number, number>;
  refunded_cents: ColumnType<number, number, number>;
}

/** Maintained aggregate: who contributed in a period (a year, or 0 = since launch). */
export interface FigureCitizensTable {
  period: number;
  email: string;
}

/**
 * Maintained aggregate: per campaign and person, how many of their contributions the campaign keeps
 * (received, not refunded); no row at zero. The home page's « citoyens impliqués » (ADR 031).
 */
export interface FigureCampaignCitizensTable {
  campaign_id: number;
  email: string;
  contributions: number;
}

/**
 * Maintained by triggers on contributions (migration 0022, ADR 033): what a campaign's page and card
 * show about its contributions. collected = paid (less what disputes took back); received = paid or
 * refund started; contributors and supporters are distinct addresses among them.
 */
export interface CampaignTalliesTable {
  campaign_id: number;
  collected_cents: ColumnType<number, number | undefined, number>;
  collected_count: ColumnType<number, number | undefined, number>;
  contributors: ColumnType<number, number | undefined, number>;
  received_count: ColumnType<number, number | undefined, number>;
  supporters: ColumnType<number, number | undefined, number>;
  refunded_count: ColumnType<number, number | undefined, number>;
  refunded_cents: ColumnType<number, number | undefined, number>;
  refunding_count: ColumnType<number, number | undefined, number>;
  refund_failed_count: ColumnType<number, number | undefined, number>;
  /** paid, with a dispute open */
  disputed_count: ColumnType<number, number | undefined, number>;
  /** paid, with a dispute lost (the bank returned the money) */
  bank_returned_count: ColumnType<number, number | undefined, number>;
}

/** Maintained aggregate: how many distinct citizens contributed in a period. */
export interface FigurePeriodsTable {
  period: number;
  citizens: number;
}

/** What a process records for the others (key/value), e.g. "public_url" (app/public-url.server.ts). */
export interface PlatformSettingsTable {
  key: string;
  value: string;
  updated_at: Instant;
}

export type ReceiptProfileStatus = "declared" | "verified" | "withdrawn";

/** A structure's declaration that it may issue tax receipts, its mandate and staff's check. */
export interface ReceiptProfilesTable {
  organization_id: number;
  status: ReceiptProfileStatus;
  /** key of the status list in the tax-receipt domain module (intérêt général, utilité publique…) */
  tax_status: string;
  /** the CGI article that applies, e.g. « 200-1-b » */
  cgi_article: string;
  object: string;
  street: string;
  postal_code: string;
  town: string;
  /** one of siren / rna is required (Cerfa 11580*05) */
  siren: string | null;
  rna: string | null;
  signer_name: string;
  signer_role: string;
  /** storage key of the signature image (app/storage.server.ts) */
  signature_path: string | null;
  /** the exact mandate text the holder accepted, with who and when */
  mandate_text: string;
  mandate_user_id: number;
  mandate_at: Instant;
  verified_by_user_id: number | null;
  verified_at: Instant | null;
  withdrawn_reason: string | null;
  withdrawn_at: Instant | null;
  updated_at: Instant;
}

/** A donor's request for a tax receipt, made with the contribution (individuals only). */
export interface ReceiptRequestsTable {
  contribution_id: number;
  first_name: string;
  last_name: string;
  street: string;
  postal_code: string;
  town: string;
  country: string;
  created_at: Instant;
  /** when the donor's name and address were erased (after RETENTION_ACCOUNTING_YEARS) */
  anonymised_at: ColumnType<Instant | null, Instant | null | undefined, Instant | null>;
}

export interface ReceiptCountersTable {
  organization_id: number;
  year: number;
  last_number: number;
}

export interface ReceiptsTable {
  id: Generated<number>;
  organization_id: number;
  contribution_id: number;
  /** calendar year of issue, Europe/Paris */
  year: number;
  /** 1, 2, 3… per organization and year, without gaps */
  number: number;
  /** the order number printed on the receipt, e.g. « 2027-0001 » */
  order_number: string;
  amount_cents: number;
  deductible_cents: number;
  /** every value printed on the receipt, frozen at issue (later profile edits change nothing) */
  snapshot_json: string;
  /** storage key of the issued PDF's bytes; pdf_sha256 is their hash */
  pdf_path: string;
  pdf_sha256: string;
  status: "issued" | "cancelled";
  issued_at: Instant;
  cancelled_at: Instant | null;
  cancel_reason: string | null;
  /**
   * when the donor's name, address and e-mail were erased from the snapshot and the stored PDF
   * dropped (after RETENTION_RECEIPT_YEARS); number, date, amount and structure stay
   */
  anonymised_at: ColumnType<Instant | null, Instant | null | undefined, Instant | null>;
}

/** Abondement (DESIGN §11): a Département envelope and its rules (docs/decisions/029-matching.md). */
export interface MatchingFundsTable {
  id: Generated<number>;
  name: string;
  envelope_cents: number;
  /** 10 000 = 1 € added for each citizen euro */
  ratio_bps: number;
  /** null = no cap */
  cap_per_campaign_cents: number | null;
  cap_per_contribution_cents: number | null;
  /** contributions of one citizen matched on one campaign; null = all */
  matches_per_citizen: number | null;
  starts_at: Instant;
  ends_at: Instant;
  scope: "budget_citoyen" | "chosen";
  /** scope budget_citoyen: the label's year */
  budget_citoyen_year: number | null;
  /** the agreement's terms, shown to the holder who accepts them (Markdown) */
  terms_md: string;
  /** running totals of its matches (the row every reservation locks) */
  reserved_cents: ColumnType<number, number | undefined, number>;
  confirmed_cents: ColumnType<number, number | undefined, number>;
  /** closed early: no new match from then on */
  closed_at: Instant | null;
  created_by_user_id: number | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface MatchingFundCampaignsTable {
  fund_id: number;
  campaign_id: number;
  added_at: Instant;
  /** scope chosen: the holder accepted the terms */
  accepted_at: Instant | null;
  accepted_by_user_id: number | null;
  reserved_cents: ColumnType<number, number | undefined, number>;
  confirmed_cents: ColumnType<number, number | undefined, number>;
}

export type MatchStatus = "reserved" | "confirmed" | "released";

export interface MatchesTable {
  id: Generated<number>;
  fund_id: number;
  campaign_id: number;
  contribution_id: number;
  /** « user:<id> » or « email:<lower-case address> » */
  citizen_key: string;
  amount_cents: number;
  status: MatchStatus;
  reserved_at: Instant;
  confirmed_at: Instant | null;
  released_at: Instant | null;
  release_reason: string | null;
}

export interface MatchingEntriesTable {
  id: Generated<number>;
  fund_id: number;
  campaign_id: number;
  match_id: number;
  kind: MatchStatus;
  /** always positive; the kind says the direction */
  amount_cents: number;
  at: Instant;
}

export type MatchingFundAuditAction =
  | "created"
  | "rules_changed"
  | "closed"
  | "funds_added"
  | "campaign_added"
  | "campaign_removed"
  | "terms_accepted";

/** What staff (and the holder accepting the terms) did to a fund, with who and when. */
export interface MatchingFundAuditTable {
  id: Generated<number>;
  fund_id: number;
  campaign_id: number | null;
  action: MatchingFundAuditAction;
  actor_user_id: number | null;
  /** human-readable detail, in French (« 5 000 € ajoutés », the campaign's title…) */
  detail: string | null;
  at: Instant;
}

export interface DB {
  platform_settings: PlatformSettingsTable;
  receipt_profiles: ReceiptProfilesTable;
  receipt_requests: ReceiptRequestsTable;
  receipt_counters: ReceiptCountersTable;
  receipts: ReceiptsTable;
  territories: TerritoriesTable;
  themes: ThemesTable;
  users: UsersTable;
  organizations: OrganizationsTable;
  campaigns: CampaignsTable;
  campaign_fund_lines: CampaignFundLinesTable;
  rewards: RewardsTable;
  contributions: ContributionsTable;
  campaign_transitions: CampaignTransitionsTable;
  ledger_entries: LedgerEntriesTable;
  stripe_events: StripeEventsTable;
  email_outbox: EmailOutboxTable;
  payouts: PayoutsTable;
  settlement_leases: SettlementLeasesTable;
  sign_in_requests: SignInRequestsTable;
  sign_in_failures: SignInFailuresTable;
  page_versions: PageVersionsTable;
  contact_messages: ContactMessagesTable;
  sessions: SessionsTable;
  email_change_requests: EmailChangeRequestsTable;
  campaign_news: CampaignNewsTable;
  news_subscriptions: NewsSubscriptionsTable;
  figure_campaign_citizens: FigureCampaignCitizensTable;
  campaign_tallies: CampaignTalliesTable;
  campaign_audit: CampaignAuditTable;
  figure_campaign_years: FigureCampaignYearsTable;
  figure_citizens: FigureCitizensTable;
  figure_periods: FigurePeriodsTable;
  matching_funds: MatchingFundsTable;
  matching_fund_campaigns: MatchingFundCampaignsTable;
  matches: MatchesTable;
  matching_entries: MatchingEntriesTable;
  matching_fund_audit: MatchingFundAuditTable;
}

export type Campaign = Selectable<CampaignsTable>;
export type NewCampaign = Insertable<CampaignsTable>;
export type CampaignUpdate = Updateable<CampaignsTable>;
export type Reward = Selectable<RewardsTable>;
export type Contribution = Selectable<ContributionsTable>;
