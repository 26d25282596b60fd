/**
 * Read models for the public pages: the campaign list with its filters, one
 * campaign's page, the home page. Totals are always derived from the contributions
 * (app/payments/campaign-money.server.ts), never from a counter: « collecté » is
 * money paid and not refunded (the progress bar, the holder's figures and the
 * settlement decision count the same), and what was refunded is shown apart.
 */
import { sql, type ExpressionBuilder, type Kysely } from "kysely";
import type { DB } from "#db/schema";
import { CAMPAIGN_STATES, PUBLIC_STATES, type CampaignState } from "~/domain/campaign-machine";
import { COLLECTED_STATUSES, RECEIVED_STATUSES } from "~/domain/contribution-status";
import { commissionBpsFor, percentOfGoal } from "~/domain/money";
import { matchedCentsSql } from "~/matching/funds.server";
import { collectedCentsSql, statusIn } from "~/payments/campaign-money.server";

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
  return db
    .selectFrom("campaigns as c")
    .innerJoin("territories as t", "t.id", "c.territory_id")
    .innerJoin("themes as th", "th.id", "c.theme_id")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
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
      sql<number>`(select ${collectedCentsSql("k")} from contributions k where k.campaign_id = c.id)`.as(
        "collected_cents",
      ),
      sql<number>`(select count(distinct k.email) from contributions k where k.campaign_id = c.id and ${statusIn(COLLECTED_STATUSES, "k")})`.as(
        "contributors_count",
      ),
      matchedCentsSql(sql.ref("c.id")).as("matched_cents"),
    ]);
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
 * Where the refunds of a failed or cancelled campaign stand, over every contribution
 * whose money arrived. Only a refund Stripe accepted is « remboursée ».
 */
export interface RefundState {
  /** contributions whose money arrived at some point: the « sur N » */
  receivedCount: number;
  /** refunds Stripe accepted */
  refundedCount: number;
  refundedCents: number;
  /** refunds decided and not yet accepted: paid ones waiting for their turn, and those asked of Stripe */
  underWayCount: number;
  /** refunds that failed: the team contacts the contributor */
  failedCount: number;
  /** paid ones whose bank contests the payment: the refund waits for the dispute's end */
  disputedCount: number;
  /** money the contributor's bank took back (dispute lost): given back, but not by the platform */
  bankReturnedCount: number;
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
    ])
    .select((eb) => isPublicPage(eb).as("is_public"))
    .where("c.slug", "=", slug)
    .where((eb) => (options.includeUnpublished ? eb("c.status", "in", CAMPAIGN_STATES) : isPublicPage(eb)))
    .executeTakeFirst();
  if (!row) return null;

  const received = () =>
    db.selectFrom("contributions").where("campaign_id", "=", row.id).where("status", "in", RECEIVED_STATUSES);
  const [fundLines, rewards, contributions, people, refunds, commission, cancellation] = await Promise.all([
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
    // Distinct addresses from a subquery: SQLite then reads them in the order of the index
    // contributions_campaign_email instead of sorting them (docs/decisions/032-launch-spike.md).
    db
      .selectFrom(received().select("email").distinct().as("d"))
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
    refundState(db, row.id),
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
    refunds,
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
    // The received contributions, counted by refundState's scan (the same rows): one scan less.
    contributionsTotal: refunds.receivedCount,
    supportersCount: Number(people.n),
  };
}

/** Where the refunds of a campaign stand (meaningful once it failed or was cancelled). */
export async function refundState(db: Kysely<DB>, campaignId: number): Promise<RefundState> {
  const rows = await db
    .selectFrom("contributions")
    .select([
      "status",
      "dispute_status",
      (eb) => eb.fn.countAll<number>().as("n"),
      sql<number>`coalesce(sum(amount_cents), 0)`.as("cents"),
    ])
    .where("campaign_id", "=", campaignId)
    .where("status", "in", RECEIVED_STATUSES)
    .groupBy(["status", "dispute_status"])
    .execute();
  const state: RefundState = {
    receivedCount: 0,
    refundedCount: 0,
    refundedCents: 0,
    underWayCount: 0,
    failedCount: 0,
    disputedCount: 0,
    bankReturnedCount: 0,
  };
  for (const r of rows) {
    const n = Number(r.n);
    state.receivedCount += n;
    if (r.status === "refunded") {
      state.refundedCount += n;
      state.refundedCents += Number(r.cents);
    } else if (r.status === "refund_failed") state.failedCount += n;
    else if (r.status === "refunding") state.underWayCount += n;
    else if (r.dispute_status === "lost") state.bankReturnedCount += n;
    else if (r.dispute_status === "open") state.disputedCount += n;
    else state.underWayCount += n; // paid: the settlement pass refunds it
  }
  return state;
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
