/**
 * Read models for the public pages: the campaign list with its filters, one
 * campaign's page, the home page. Their totals are the campaign's tallies
 * (app/models/campaign-tallies.server.ts), kept by the database in the statement that
 * writes each contribution, with the same sets as the sums of
 * app/payments/campaign-money.server.ts: « collecté » is money paid and not refunded
 * (the progress bar, the holder's figures and the settlement decision count the same),
 * and what was refunded is shown apart.
 */
import { sql, type ExpressionBuilder, type Kysely } from "kysely";
import type { DB } from "#db/schema";
import { CAMPAIGN_STATES, PUBLIC_STATES, type CampaignState } from "~/domain/campaign-machine";
import { RECEIVED_STATUSES } from "~/domain/contribution-status";
import { commissionBpsFor, percentOfGoal } from "~/domain/money";
import { matchedCentsSql } from "~/matching/funds.server";
import { talliesFrom, type RefundState } from "./campaign-tallies.server";

export type { RefundState };

export const PAGE_SIZE = 9;

/** Public status filter values, as they appear in URLs. */
export const STATUS_FILTERS = {
  "en-cours": ["live", "settling"],
  reussies: ["funded"],
  "non-financees": ["failed"],
} as const satisfies Record<string, readonly CampaignState[]>;
export type StatusFilter = keyof typeof STATUS_FILTERS;

export interface CampaignFilters {
  territory?: string;
  theme?: string;
  status?: StatusFilter;
  budgetCitoyen?: boolean;
  page: number;
}

export interface CampaignCard {
  id: number;
  slug: string;
  title: string;
  summary: string;
  status: CampaignState;
  goalCents: number;
  /** citizens' money: paid and not refunded */
  collectedCents: number;
  /** the Département's abondement, reserved or confirmed (never part of collectedCents) */
  matchedCents: number;
  /** of the goal, counting both (the settlement counts both) */
  percent: number;
  contributorsCount: number;
  startsAt: string;
  endsAt: string;
  territoryName: string;
  themeName: string;
  organizationName: string;
  town: string;
  budgetCitoyenYear: number | null;
  /** the campaign's picture (required at submission; older campaigns may have none) */
  image: { src: string; alt: string } | null;
}

/** The public address of a stored campaign picture, with its text alternative. */
function campaignImage(path: string | null, alt: string | null): { src: string; alt: string } | null {
  return path ? { src: `/images/campagnes/${path}`, alt: alt ?? "" } : null;
}

/**
 * Whose page a citizen may open: the public states, and a campaign cancelled after it
 * went live (its page is linked from e-mails, receipts and « Mes contributions »). One
 * cancelled before going live was never public and stays hidden.
 */
export function isPublicPage(eb: ExpressionBuilder<DB & { c: DB["campaigns"] }, "c">) {
  return eb.or([
    eb("c.status", "in", PUBLIC_STATES),
    eb.and([
      eb("c.status", "=", "cancelled"),
      eb.exists(
        eb
          .selectFrom("campaign_transitions as x")
          .select("x.id")
          .whereRef("x.campaign_id", "=", "c.id")
          .where("x.event", "=", "start"),
      ),
    ]),
  ]);
}

/** The cards' columns (the list, the home page); app/search/list.server.ts filters and sorts it. */
export function cardQuery(db: Kysely<DB>) {
  return (
    db
      .selectFrom("campaigns as c")
      .innerJoin("territories as t", "t.id", "c.territory_id")
      .innerJoin("themes as th", "th.id", "c.theme_id")
      .innerJoin("organizations as o", "o.id", "c.organization_id")
      // The campaign's maintained tallies (docs/decisions/033-campaign-tallies.md).
      .leftJoin("campaign_tallies as ct", "ct.campaign_id", "c.id")
      .select([
        "c.id",
        "c.slug",
        "c.title",
        "c.summary",
        "c.status",
        "c.goal_cents",
        "c.starts_at",
        "c.ends_at",
        "c.budget_citoyen_year",
        "c.image_path",
        "c.image_alt",
        "t.name as territory_name",
        "th.name as theme_name",
        "o.name as organization_name",
        "o.town",
        "ct.collected_cents",
        "ct.contributors as contributors_count",
        matchedCentsSql(sql.ref("c.id")).as("matched_cents"),
      ])
  );
}

export type CardRow = Awaited<ReturnType<ReturnType<typeof cardQuery>["execute"]>>[number];

export function toCard(row: CardRow): CampaignCard {
  const collectedCents = Number(row.collected_cents);
  const matchedCents = Number(row.matched_cents);
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    status: row.status,
    goalCents: row.goal_cents,
    collectedCents,
    matchedCents,
    percent: percentOfGoal(collectedCents + matchedCents, row.goal_cents),
    contributorsCount: Number(row.contributors_count),
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    territoryName: row.territory_name,
    themeName: row.theme_name,
    organizationName: row.organization_name,
    town: row.town,
    budgetCitoyenYear: row.budget_citoyen_year,
    image: campaignImage(row.image_path, row.image_alt),
  };
}

export async function listTerritories(db: Kysely<DB>) {
  return db.selectFrom("territories").select(["slug", "name"]).orderBy("position").execute();
}

export async function listThemes(db: Kysely<DB>) {
  return db.selectFrom("themes").select(["slug", "name"]).orderBy("position").execute();
}

export interface CampaignList {
  items: CampaignCard[];
  total: number;
  page: number;
  pageCount: number;
}

export interface PublicContribution {
  id: number;
  name: string;
  anonymous: boolean;
  /** null when the contributor chose to hide it */
  amountCents: number | null;
  message: string | null;
  paidAt: string;
  rewardTitle: string | null;
}

/**
 * The commission of a campaign. Once it is settled (funded), what was recorded on its
 * payouts (never recomputed: a later change of rate must not rewrite history); before
 * that, the rate that will apply.
 */
export interface CampaignCommission {
  bps: number;
  /** true when read from the campaign's payouts */
  recorded: boolean;
  /** the commission recorded on the payouts (main + supplementary); null before */
  cents: number | null;
  /** paid to the holder (payouts whose transfer was made) */
  paidOutCents: number;
  /** to be paid to the holder (payouts not transferred yet) */
  toPayCents: number;
}

export interface CampaignCancellation {
  at: string;
  reason: string | null;
}

export interface CampaignPage extends CampaignCard {
  /** citizens may open this page (public state, or cancelled after going live) */
  isPublic: boolean;
  storyMd: string;
  image: { src: string; alt: string } | null;
  expectedResultsMd: string;
  timetableMd: string;
  /** the rate of the commission: recorded at the payout once settled, else the one that will apply */
  commissionBps: number;
  commission: CampaignCommission;
  /** the cancellation (date and the reason staff gave), when the campaign was cancelled */
  cancellation: CampaignCancellation | null;
  refunds: RefundState;
  organization: { name: string; legalForm: string; town: string; registrationNumber: string | null };
  fundLines: Array<{ label: string; amountCents: number }>;
  rewards: Array<{
    id: number;
    title: string;
    description: string;
    minimumCents: number;
    stock: number | null;
    /** units still available (null = unlimited) */
    remaining: number | null;
  }>;
  /** the public list: every contribution whose money arrived, refunded since or not (who supported it) */
  contributions: PublicContribution[];
  contributionsShown: number;
  /** all of them (a contributor may have given twice) */
  contributionsTotal: number;
  /** distinct people among them (the heading of the list; contributorsCount counts collected ones) */
  supportersCount: number;
}

export const CONTRIBUTORS_SHOWN = 30;

/**
 * One public campaign by slug, or null when it does not exist or is not public.
 * `includeUnpublished` is for the holder's preview (the caller checks ownership).
 */
export async function getCampaignPage(
  db: Kysely<DB>,
  slug: string,
  options: { includeUnpublished?: boolean } = {},
): Promise<CampaignPage | null> {
  const row = await cardQuery(db)
    .select([
      "c.story_md",
      "c.expected_results_md",
      "c.timetable_md",
      "o.legal_form",
      "o.registration_number",
      // The rest of the tallies, read with the card's in the same row.
      "ct.collected_count",
      "ct.supporters",
      "ct.received_count",
      "ct.refunded_count",
      "ct.refunded_cents",
      "ct.refunding_count",
      "ct.refund_failed_count",
      "ct.disputed_count",
      "ct.bank_returned_count",
    ])
    .select((eb) => isPublicPage(eb).as("is_public"))
    .where("c.slug", "=", slug)
    .where((eb) => (options.includeUnpublished ? eb("c.status", "in", CAMPAIGN_STATES) : isPublicPage(eb)))
    .executeTakeFirst();
  if (!row) return null;

  const tallies = talliesFrom({ ...row, contributors: row.contributors_count });
  const [fundLines, rewards, contributions, commission, cancellation] = await Promise.all([
    db
      .selectFrom("campaign_fund_lines")
      .select(["label", "amount_cents"])
      .where("campaign_id", "=", row.id)
      .orderBy("position")
      .execute(),
    db
      .selectFrom("rewards")
      .select(["id", "title", "description", "minimum_cents", "stock", "held", "sold"])
      .where("campaign_id", "=", row.id)
      .orderBy("position")
      .execute(),
    publicContributions(db, row.id, { limit: CONTRIBUTORS_SHOWN, offset: 0 }),
    campaignCommission(db, { id: row.id, status: row.status, budgetCitoyenYear: row.budget_citoyen_year }),
    row.status === "cancelled" ? cancellationOf(db, row.id) : Promise.resolve(null),
  ]);

  const card = toCard(row);
  return {
    ...card,
    isPublic: Boolean(Number(row.is_public)),
    storyMd: row.story_md,
    expectedResultsMd: row.expected_results_md,
    timetableMd: row.timetable_md,
    commissionBps: commission.bps,
    commission,
    cancellation,
    refunds: tallies.refunds,
    organization: {
      name: row.organization_name,
      legalForm: row.legal_form,
      town: row.town,
      registrationNumber: row.registration_number,
    },
    fundLines: fundLines.map((l) => ({ label: l.label, amountCents: l.amount_cents })),
    rewards: rewards.map((r) => ({
      id: r.id,
      title: r.title,
      description: r.description,
      minimumCents: r.minimum_cents,
      stock: r.stock,
      remaining: r.stock === null ? null : Math.max(0, r.stock - r.held - r.sold),
    })),
    contributions,
    contributionsShown: contributions.length,
    contributionsTotal: tallies.refunds.receivedCount,
    supportersCount: tallies.supportersCount,
  };
}

/**
 * A campaign's commission: for a funded one, read from its payouts (the sum of what was
 * recorded, the rate of the main payout); otherwise the rate that will apply.
 */
export async function campaignCommission(
  db: Kysely<DB>,
  c: { id: number; status: CampaignState; budgetCitoyenYear: number | null },
): Promise<CampaignCommission> {
  const upcoming: CampaignCommission = {
    bps: commissionBpsFor({ budgetCitoyenYear: c.budgetCitoyenYear }),
    recorded: false,
    cents: null,
    paidOutCents: 0,
    toPayCents: 0,
  };
  if (c.status !== "funded") return upcoming;
  const payouts = await db
    .selectFrom("payouts")
    .select(["kind", "commission_bps", "commission_cents", "amount_cents", "status"])
    .where("campaign_id", "=", c.id)
    .orderBy("id")
    .execute();
  const main = payouts.find((p) => p.kind === "main");
  if (!main) return upcoming;
  return {
    bps: main.commission_bps,
    recorded: true,
    cents: payouts.reduce((sum, p) => sum + p.commission_cents, 0),
    paidOutCents: payouts.filter((p) => p.status === "paid").reduce((sum, p) => sum + p.amount_cents, 0),
    toPayCents: payouts.filter((p) => p.status !== "paid").reduce((sum, p) => sum + p.amount_cents, 0),
  };
}

/** The rates recorded at the main payout of funded campaigns, by campaign (for lists and exports). */
export async function recordedCommissionRates(db: Kysely<DB>): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom("payouts")
    .select(["campaign_id", "commission_bps"])
    .where("kind", "=", "main")
    .execute();
  return new Map(rows.map((r) => [r.campaign_id, r.commission_bps]));
}

/** When and why the campaign was cancelled: its latest `cancel` transition. */
async function cancellationOf(db: Kysely<DB>, campaignId: number): Promise<CampaignCancellation | null> {
  const row = await db
    .selectFrom("campaign_transitions")
    .select(["at", "reason"])
    .where("campaign_id", "=", campaignId)
    .where("event", "=", "cancel")
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .executeTakeFirst();
  return row ? { at: row.at, reason: row.reason } : null;
}

/** Running campaigns for the home page: featured first, then ending soonest. */
export async function liveCampaigns(db: Kysely<DB>, limit: number): Promise<CampaignCard[]> {
  const rows = await cardQuery(db)
    .where("c.status", "=", "live")
    .orderBy("c.featured", "desc")
    .orderBy("c.ends_at", "asc")
    .limit(limit)
    .execute();
  return rows.map(toCard);
}

/** The latest successful campaigns. */
export async function recentSuccesses(db: Kysely<DB>, limit: number): Promise<CampaignCard[]> {
  const rows = await cardQuery(db)
    .where("c.status", "=", "funded")
    .orderBy("c.ends_at", "desc")
    .limit(limit)
    .execute();
  return rows.map(toCard);
}

/**
 * Contributions as the public may see them, newest first: every one whose money
 * arrived (refunded since or not: these people supported the project). Never an
 * email address: only what the contributor agreed to show.
 */
export async function publicContributions(
  db: Kysely<DB>,
  campaignId: number,
  range: { limit: number; offset: number },
): Promise<PublicContribution[]> {
  const rows = await db
    .selectFrom("contributions as k")
    .leftJoin("rewards as r", "r.id", "k.reward_id")
    .select([
      "k.id",
      "k.public_name",
      "k.anonymous",
      "k.hide_amount",
      "k.amount_cents",
      "k.message",
      "k.paid_at",
      "r.title as reward_title",
    ])
    .where("k.campaign_id", "=", campaignId)
    .where("k.status", "in", RECEIVED_STATUSES)
    .orderBy("k.paid_at", "desc")
    .orderBy("k.id", "desc")
    .limit(range.limit)
    .offset(range.offset)
    .execute();
  return rows.map((k) => ({
    id: k.id,
    name: k.anonymous ? "Anonyme" : k.public_name,
    anonymous: k.anonymous === 1,
    amountCents: k.hide_amount ? null : k.amount_cents,
    message: k.message,
    paidAt: k.paid_at!,
    rewardTitle: k.reward_title,
  }));
}

export const CONTRIBUTIONS_PAGE_SIZE = 50;

/** The full public list of a campaign's contributions, paginated. */
export async function contributionsPage(db: Kysely<DB>, slug: string, page: number) {
  const campaign = await db
    .selectFrom("campaigns as c")
    .select(["c.id", "c.slug", "c.title"])
    .where("c.slug", "=", slug)
    .where(isPublicPage)
    .executeTakeFirst();
  if (!campaign) return null;
  const { n } = await db
    .selectFrom("contributions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("campaign_id", "=", campaign.id)
    .where("status", "in", RECEIVED_STATUSES)
    .executeTakeFirstOrThrow();
  const total = Number(n);
  const pageCount = Math.max(1, Math.ceil(total / CONTRIBUTIONS_PAGE_SIZE));
  const items = await publicContributions(db, campaign.id, {
    limit: CONTRIBUTIONS_PAGE_SIZE,
    offset: (page - 1) * CONTRIBUTIONS_PAGE_SIZE,
  });
  return { campaign: { slug: campaign.slug, title: campaign.title }, items, total, page, pageCount };
}
