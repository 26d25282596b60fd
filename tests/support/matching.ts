/**
 * Building abondement funds and the campaigns they apply to, directly in a test database
 * (the staff pages that create funds are helper D's; these tests exercise the money path).
 */
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";

const DAY = 24 * 3600 * 1000;

export interface TestFundOptions {
  name?: string;
  envelopeCents: number;
  ratioBps?: number;
  capPerCampaignCents?: number | null;
  capPerContributionCents?: number | null;
  matchesPerCitizen?: number | null;
  startsAt?: Date;
  endsAt?: Date;
  scope?: "budget_citoyen" | "chosen";
  budgetCitoyenYear?: number | null;
  /** scope « chosen »: campaigns chosen, and whether their holder accepted the terms */
  campaigns?: Array<{ id: number; accepted: boolean }>;
  closedAt?: Date | null;
}

export async function makeFund(db: Kysely<DB>, o: TestFundOptions): Promise<number> {
  const created = new Date(Date.now() - 30 * DAY).toISOString();
  const fund = await db
    .insertInto("matching_funds")
    .values({
      name: o.name ?? "Abondement Budget Citoyen",
      envelope_cents: o.envelopeCents,
      ratio_bps: o.ratioBps ?? 10_000,
      cap_per_campaign_cents: o.capPerCampaignCents ?? null,
      cap_per_contribution_cents: o.capPerContributionCents ?? null,
      matches_per_citizen: o.matchesPerCitizen ?? null,
      starts_at: (o.startsAt ?? new Date(Date.now() - 20 * DAY)).toISOString(),
      ends_at: (o.endsAt ?? new Date(Date.now() + 60 * DAY)).toISOString(),
      scope: o.scope ?? "chosen",
      budget_citoyen_year: o.budgetCitoyenYear ?? null,
      terms_md: "Le Département abonde chaque contribution.",
      closed_at: o.closedAt ? o.closedAt.toISOString() : null,
      created_at: created,
      updated_at: created,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const c of o.campaigns ?? []) {
    await db
      .insertInto("matching_fund_campaigns")
      .values({
        fund_id: fund.id,
        campaign_id: c.id,
        added_at: created,
        accepted_at: c.accepted ? created : null,
      })
      .execute();
  }
  return fund.id;
}

export interface TestMatchCampaign {
  id: number;
  slug: string;
  endsAt: Date;
  holderEmail: string;
}

let counter = 0;

/** A live campaign of a structure with a working Stripe account, ending at endsAt. */
export async function makeLiveCampaign(
  db: Kysely<DB>,
  o: { goalCents: number; endsAt: Date; budgetCitoyenYear?: number | null; label?: string },
): Promise<TestMatchCampaign> {
  const n = `${o.label ?? "abondement"}-${++counter}-${Math.random().toString(36).slice(2, 7)}`;
  const created = new Date(Date.now() - 60 * DAY).toISOString();
  const holderEmail = `porteur-${n}@example.org`;
  const user = await db
    .insertInto("users")
    .values({ email: holderEmail, display_name: `Porteur ${n}`, role: "holder", created_at: created })
    .returning("id")
    .executeTakeFirstOrThrow();
  const org = await db
    .insertInto("organizations")
    .values({
      owner_user_id: user.id,
      name: `Association ${n}`,
      legal_form: "association",
      registration_number: null,
      town: "Arras",
      territory_id: 1,
      stripe_account_id: `acct_test_${n.replace(/-/g, "_")}`,
      stripe_payouts_enabled: 1,
      created_at: created,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const slug = `campagne-${n}`;
  const campaign = await db
    .insertInto("campaigns")
    .values({
      organization_id: org.id,
      slug,
      title: `Campagne ${n}`,
      summary: "Résumé",
      story_md: "Histoire",
      goal_cents: o.goalCents,
      starts_at: new Date(Date.now() - 10 * DAY).toISOString(),
      ends_at: o.endsAt.toISOString(),
      territory_id: 1,
      theme_id: 1,
      budget_citoyen_year: o.budgetCitoyenYear ?? null,
      expected_results_md: "-",
      timetable_md: "-",
      image_path: null,
      status: "live",
      created_at: created,
      updated_at: created,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: campaign.id, slug, endsAt: o.endsAt, holderEmail };
}
