/**
 * Demo data: the ten funded campaigns of Propulsons!' 2024 activity report
 * (56 938 € from 686 contributors), live campaigns and one failed campaign.
 * Deterministic for a given `now`. Idempotent: does nothing when campaigns exist.
 */
import type { Kysely, Transaction } from "kysely";
import type { CampaignEvent, CampaignState, TransitionContext } from "../../app/domain/campaign-machine";
import { transition } from "../../app/domain/campaign-machine";
import { commissionBpsFor, settlementSplit } from "../../app/domain/money";
import { addDays, endOfDayInParis, parisCalendarDate, startOfDayInParis } from "../../app/domain/time";
import { rebuildFigureAggregates } from "../../app/models/figures.server";
import { serializeOn } from "../connection";
import type { DB, LedgerKind } from "../schema";
import { seedCampaigns } from "./campaigns";
import { seedMatching } from "./matching";
import { person, type Person } from "./people";
import { createRandom, type Random } from "./random";
import type { SeedCampaign } from "./types";

/** The demo's staff account. */
export const DEMO_STAFF_EMAIL = "camille.moreau@example.org";

const TYPICAL_EUROS = [5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 80, 100, 120, 150, 200, 250, 300, 500];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SeedResult {
  seeded: boolean;
  campaigns: number;
  contributions: number;
}

/**
 * Amounts in whole euros, one per slot, each ≥ its slot's minimum, summing exactly to `total`.
 * Mostly « round » amounts, as people give.
 */
export function splitAmounts(total: number, minimums: number[], random: Random): number[] {
  const n = minimums.length;
  if (n === 0) throw new Error("no contribution to split into");
  const floorSum = minimums.reduce((a, b) => a + b, 0);
  if (floorSum > total) throw new Error(`minimums (${floorSum} €) exceed the total (${total} €)`);
  const average = total / n;
  const amounts = minimums.map((min) => {
    const candidates = TYPICAL_EUROS.filter((v) => v >= min && v <= Math.max(min, average * 2.5));
    return candidates.length > 0 ? random.pick(candidates) : min;
  });
  let sum = amounts.reduce((a, b) => a + b, 0);
  for (let guard = 0; sum !== total && guard < 100_000; guard++) {
    const i = random.int(0, n - 1);
    const current = amounts[i]!;
    if (sum < total) {
      const up = TYPICAL_EUROS.find((v) => v > current) ?? current + 50;
      const step = Math.min(up - current, total - sum);
      amounts[i] = current + step;
      sum += step;
    } else {
      const down = [...TYPICAL_EUROS].reverse().find((v) => v < current) ?? minimums[i]!;
      const target = Math.max(down, minimums[i]!, current - (sum - total));
      sum -= current - target;
      amounts[i] = target;
    }
  }
  if (sum !== total) throw new Error("could not split the total");
  return amounts;
}

/** A boolean column's value (SQLite stores 0 or 1). */
function bool(yes: boolean): 0 | 1 {
  return yes ? 1 : 0;
}

function iso(date: Date): string {
  return date.toISOString();
}

interface Dates {
  startsAt: Date;
  endsAt: Date;
}

function campaignDates(c: SeedCampaign, now: Date): Dates {
  if (c.dates.kind === "fixed") {
    return { startsAt: startOfDayInParis(c.dates.startDate), endsAt: endOfDayInParis(c.dates.endDate) };
  }
  const today = parisCalendarDate(now);
  return {
    startsAt: startOfDayInParis(addDays(today, c.dates.startOffsetDays)),
    endsAt: endOfDayInParis(addDays(today, c.dates.endOffsetDays)),
  };
}

export async function seedDatabase(db: Kysely<DB>, options: { now?: Date } = {}): Promise<SeedResult> {
  const now = options.now ?? new Date();
  const existing = await db
    .selectFrom("campaigns")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) return { seeded: false, campaigns: 0, contributions: 0 };

  return db.transaction().execute(async (trx) => {
    // Several servers may boot at once on an empty database: one seeds, the others wait for it
    // (a lock on PostgreSQL; SQLite has one writer) and find the campaigns there.
    await serializeOn(trx, "seed-demo-data");
    const again = await trx
      .selectFrom("campaigns")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    if (Number(again.n) > 0) return { seeded: false, campaigns: 0, contributions: 0 };
    const random = createRandom(20151116);
    const territories = new Map(
      (await trx.selectFrom("territories").select(["id", "slug"]).execute()).map((t) => [t.slug, t.id]),
    );
    const themes = new Map(
      (await trx.selectFrom("themes").select(["id", "slug"]).execute()).map((t) => [t.slug, t.id]),
    );

    // Contributor identities. The 2024 campaigns take one new identity per contribution
    // (686 distinct citizens in 2024); later campaigns mix returning and new contributors.
    const people: Person[] = [];
    const newPerson = () => {
      const p = person(people.length + 1, random);
      people.push(p);
      return p;
    };

    let contributionsCount = 0;
    const liveCampaigns = seedCampaigns.filter((c) => c.outcome === "live" && c.dates.kind === "relative");
    const withoutAccount = liveCampaigns.reduce<SeedCampaign | undefined>(
      (last, c) =>
        !last ||
        (c.dates.kind === "relative" &&
          last.dates.kind === "relative" &&
          c.dates.endOffsetDays > last.dates.endOffsetDays)
          ? c
          : last,
      undefined,
    )?.slug;
    for (const c of seedCampaigns) {
      const territoryId = territories.get(c.territory);
      const themeId = themes.get(c.theme);
      const orgTerritoryId = territories.get(c.organization.territory);
      if (!territoryId || !themeId || !orgTerritoryId)
        throw new Error(`unknown territory or theme in ${c.slug}`);
      const { startsAt, endsAt } = campaignDates(c, now);
      const createdAt =
        c.outcome === "submitted"
          ? new Date(now.getTime() - 3 * DAY)
          : new Date(startsAt.getTime() - 30 * DAY);

      const holder = await trx
        .insertInto("users")
        .values({
          email: c.organization.holder.email,
          display_name: c.organization.holder.displayName,
          role: "holder",
          created_at: iso(createdAt),
        })
        .onConflict((oc) => oc.column("email").doUpdateSet({ role: "holder" }))
        .returning("id")
        .executeTakeFirstOrThrow();
      const org = await trx
        .insertInto("organizations")
        .values({
          owner_user_id: holder.id,
          name: c.organization.name,
          legal_form: c.organization.legalForm,
          registration_number: c.organization.registrationNumber,
          town: c.organization.town,
          territory_id: orgTerritoryId,
          // Demo Stripe Connect accounts, ready to receive transfers — except for one running
          // campaign, whose holder has not finished onboarding (« virement en attente » once funded).
          stripe_account_id:
            c.slug === withoutAccount ? null : `acct_demo_${c.slug.replace(/[^a-z0-9]/g, "").slice(0, 16)}`,
          stripe_payouts_enabled: c.slug === withoutAccount ? 0 : 1,
          created_at: iso(createdAt),
        })
        .returning("id")
        .executeTakeFirstOrThrow();

      const finalState: CampaignState = c.outcome;
      const campaign = await trx
        .insertInto("campaigns")
        .values({
          organization_id: org.id,
          slug: c.slug,
          title: c.title,
          summary: c.summary,
          story_md: c.story,
          goal_cents: c.goalEuros * 100,
          starts_at: iso(startsAt),
          ends_at: iso(endsAt),
          territory_id: territoryId,
          theme_id: themeId,
          budget_citoyen_year: c.budgetCitoyenYear,
          expected_results_md: c.expectedResults,
          timetable_md: c.timetable,
          image_path: null,
          status: finalState,
          featured: 0,
          created_at: iso(createdAt),
          updated_at: iso(
            c.outcome === "live"
              ? startsAt
              : c.outcome === "submitted"
                ? now
                : new Date(endsAt.getTime() + HOUR),
          ),
        })
        .returning("id")
        .executeTakeFirstOrThrow();

      if (c.fundLines.length > 0) {
        await trx
          .insertInto("campaign_fund_lines")
          .values(
            c.fundLines.map((l, i) => ({
              campaign_id: campaign.id,
              position: i + 1,
              label: l.label,
              amount_cents: l.euros * 100,
            })),
          )
          .execute();
      }

      const rewardIds: Array<{ id: number; minimum: number; taken: number }> = [];
      for (const [i, r] of c.rewards.entries()) {
        const row = await trx
          .insertInto("rewards")
          .values({
            campaign_id: campaign.id,
            position: i + 1,
            title: r.title,
            description: r.description,
            minimum_cents: r.minimumEuros * 100,
            stock: r.stock,
            held: 0,
            sold: r.taken,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        rewardIds.push({ id: row.id, minimum: r.minimumEuros, taken: r.taken });
      }

      if (c.outcome === "submitted") {
        // Waiting for the staff's review: no contribution yet.
        await writeHistory(trx, campaign.id, c, { startsAt, endsAt, createdAt, totalCents: 0 });
        continue;
      }

      // Contributions: reward slots first, then free amounts.
      const slots: Array<{ rewardId: number | null; minimum: number }> = [];
      for (const r of rewardIds)
        for (let k = 0; k < r.taken; k++) slots.push({ rewardId: r.id, minimum: r.minimum });
      while (slots.length < c.contributionsCount) slots.push({ rewardId: null, minimum: 5 });
      const amounts = splitAmounts(
        c.collectedEuros,
        slots.map((s) => s.minimum),
        random,
      );
      const paidUntil =
        c.outcome === "live" ? Math.min(now.getTime() - HOUR, endsAt.getTime()) : endsAt.getTime();
      const span = Math.max(paidUntil - startsAt.getTime(), HOUR);
      const messages = [...c.supportMessages];
      const rows = slots.map((slot, i) => {
        const who =
          c.dates.kind === "fixed" && startsAt.getUTCFullYear() === 2024
            ? newPerson()
            : people.length > 0 && random.chance(0.3)
              ? random.pick(people)
              : newPerson();
        const paidAt = new Date(startsAt.getTime() + Math.floor(random.next() * span));
        const message = messages.length > 0 && random.chance(0.25) ? messages.shift()! : null;
        return {
          campaign_id: campaign.id,
          user_id: null,
          email: who.email,
          public_name: who.publicName,
          amount_cents: amounts[i]! * 100,
          reward_id: slot.rewardId,
          anonymous: bool(random.chance(0.1)),
          hide_amount: bool(random.chance(0.08)),
          message,
          status: c.outcome === "failed" ? ("refunded" as const) : ("paid" as const),
          stripe_checkout_session_id: null,
          stripe_payment_intent_id: `pi_seed_${campaign.id}_${i}`,
          stripe_refund_id: null,
          created_at: iso(new Date(paidAt.getTime() - 5 * 60_000)),
          paid_at: iso(paidAt),
          updated_at: iso(c.outcome === "failed" ? new Date(endsAt.getTime() + 2 * HOUR) : paidAt),
        };
      });
      // Messages not placed at random go to the last contributors, so every seeded message shows.
      for (let i = 0; messages.length > 0 && i < rows.length; i++) {
        const row = rows[rows.length - 1 - i]!;
        if (row.message === null) row.message = messages.shift()!;
      }
      const ledger: Array<{
        campaign_id: number;
        contribution_id: number | null;
        kind: LedgerKind;
        amount_cents: number;
        at: string;
      }> = [];
      for (let i = 0; i < rows.length; i += 200) {
        const batch = rows.slice(i, i + 200);
        const inserted = await trx
          .insertInto("contributions")
          .values(batch)
          .returning(["id", "amount_cents", "paid_at"])
          .execute();
        for (const row of inserted) {
          ledger.push({
            campaign_id: campaign.id,
            contribution_id: row.id,
            kind: "contribution_paid",
            amount_cents: row.amount_cents,
            at: row.paid_at!,
          });
          if (c.outcome === "failed") {
            ledger.push({
              campaign_id: campaign.id,
              contribution_id: row.id,
              kind: "refund",
              amount_cents: row.amount_cents,
              at: iso(new Date(endsAt.getTime() + 2 * HOUR)),
            });
          }
        }
      }
      contributionsCount += rows.length;
      const totalCents = c.collectedEuros * 100;
      if (c.outcome === "funded") {
        const split = settlementSplit(
          totalCents,
          commissionBpsFor({ budgetCitoyenYear: c.budgetCitoyenYear }),
        );
        const at = iso(new Date(endsAt.getTime() + HOUR));
        ledger.push({
          campaign_id: campaign.id,
          contribution_id: null,
          kind: "commission",
          amount_cents: split.commissionCents,
          at,
        });
        ledger.push({
          campaign_id: campaign.id,
          contribution_id: null,
          kind: "payout",
          amount_cents: split.payoutCents,
          at,
        });
        const payout = await trx
          .insertInto("payouts")
          .values({
            campaign_id: campaign.id,
            kind: "main",
            gross_cents: totalCents,
            commission_bps: commissionBpsFor({ budgetCitoyenYear: c.budgetCitoyenYear }),
            commission_cents: split.commissionCents,
            amount_cents: split.payoutCents,
            status: "paid",
            idempotency_key: `payout:${campaign.id}`,
            stripe_transfer_id: `tr_seed_${campaign.id}`,
            created_at: at,
            updated_at: at,
            paid_at: at,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await trx
          .updateTable("contributions")
          .set({ payout_id: payout.id })
          .where("campaign_id", "=", campaign.id)
          .execute();
      }
      for (let i = 0; i < ledger.length; i += 200) {
        await trx
          .insertInto("ledger_entries")
          .values(ledger.slice(i, i + 200))
          .execute();
      }

      await writeHistory(trx, campaign.id, c, { startsAt, endsAt, createdAt, totalCents });
    }
    // A Département agent for the demo's back office (/gestion): sign in with this address and
    // read the code in the demo outbox. A real deployment adds its staff with `npm run staff:add`.
    await trx
      .insertInto("users")
      .values({
        email: DEMO_STAFF_EMAIL,
        display_name: "Camille Moreau (équipe du Département, démo)",
        role: "staff",
        created_at: iso(new Date(now.getTime() - 400 * DAY)),
      })
      .onConflict((oc) => oc.column("email").doUpdateSet({ role: "staff" }))
      .returning("id")
      .executeTakeFirstOrThrow()
      .then((staff) => seedMatching(trx, now, staff.id));
    // The seed writes contributions in bulk, not through the webhook: count them once, at the end.
    await rebuildFigureAggregates(trx);
    return { seeded: true, campaigns: seedCampaigns.length, contributions: contributionsCount };
  });
}

/** The campaign's past transitions, decided by the real state machine. */
async function writeHistory(
  trx: Transaction<DB>,
  campaignId: number,
  c: SeedCampaign,
  t: Dates & { createdAt: Date; totalCents: number },
): Promise<void> {
  const steps: Array<{ event: CampaignEvent; at: Date; ctx: Omit<TransitionContext, "now"> }> =
    c.outcome === "submitted"
      ? [
          {
            event: "submit",
            at: new Date(t.createdAt.getTime() + DAY),
            ctx: { actor: "holder", hasRequiredContent: true },
          },
        ]
      : [
          {
            event: "submit",
            at: new Date(t.createdAt.getTime() + 10 * DAY),
            ctx: { actor: "holder", hasRequiredContent: true },
          },
          { event: "approve", at: new Date(t.createdAt.getTime() + 15 * DAY), ctx: { actor: "staff" } },
          { event: "start", at: t.startsAt, ctx: { actor: "system", startsAt: t.startsAt } },
        ];
  if (c.outcome === "funded" || c.outcome === "failed") {
    steps.push({
      event: "deadline",
      at: new Date(t.endsAt.getTime() + 60_000),
      ctx: { actor: "system", endsAt: t.endsAt },
    });
    steps.push({
      event: c.outcome === "funded" ? "settle_funded" : "settle_failed",
      at: new Date(t.endsAt.getTime() + HOUR),
      ctx: { actor: "system", goalCents: c.goalEuros * 100, paidTotalCents: t.totalCents, inFlightCount: 0 },
    });
  }
  let state: CampaignState = "draft";
  const rows: Array<{
    campaign_id: number;
    from_status: CampaignState | null;
    to_status: CampaignState;
    event: CampaignEvent | "create";
    actor_user_id: null;
    actor_role: string;
    reason: null;
    at: string;
  }> = [
    {
      campaign_id: campaignId,
      from_status: null,
      to_status: "draft",
      event: "create",
      actor_user_id: null,
      actor_role: "holder",
      reason: null,
      at: iso(t.createdAt),
    },
  ];
  for (const step of steps) {
    const next = transition(state, step.event, { ...step.ctx, now: step.at });
    rows.push({
      campaign_id: campaignId,
      from_status: state,
      to_status: next,
      event: step.event,
      actor_user_id: null,
      actor_role: step.ctx.actor,
      reason: null,
      at: iso(step.at),
    });
    state = next;
  }
  const expected: CampaignState = c.outcome;
  if (state !== expected) throw new Error(`seed history of ${c.slug} ends in ${state}, expected ${expected}`);
  await trx.insertInto("campaign_transitions").values(rows).execute();
}
