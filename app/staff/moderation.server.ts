/**
 * The Département staff's decisions on campaigns: review (approve with an optional
 * publication date, request changes, reject), the Budget Citoyen label, featuring
 * on the home page, cancellation. Every decision is one state-machine event or one
 * audit row, written in the same transaction as the change it records.
 */
import { NBSP } from "~/domain/typography";
import { sql, type Kysely, type Transaction } from "kysely";
import type { CampaignAuditAction, DB } from "#db/schema";
import { config } from "~/config.server";
import {
  EVENT_LABELS,
  FEATURABLE_STATES,
  LABEL_EDITABLE_STATES,
  STATE_LABELS,
  transition,
  TransitionError,
  type CampaignEvent,
  type CampaignState,
} from "~/domain/campaign-machine";
import { formatDate } from "~/domain/format";
import { calendarDaysBetween, parisCalendarDate, parisYear, startOfDayInParis } from "~/domain/time";
import { applyCampaignEvent, ConcurrentTransitionError } from "~/models/campaign-transitions.server";
import { cancelCampaign } from "~/settlement/cancel.server";

export type StaffResult =
  { ok: true; message: string } | { ok: false; status: 400 | 404 | 409; message: string };

/** Years a label may carry: from the platform's first year to next year. */
export const LABEL_FIRST_YEAR = 2015;

function refusal(error: unknown): StaffResult {
  // A guard on a staff event only ever asks for the reason (comment, motive): missing input, not a conflict.
  if (error instanceof TransitionError)
    return { ok: false, status: error.refusal === "guard" ? 400 : 409, message: error.message };
  if (error instanceof ConcurrentTransitionError) {
    return {
      ok: false,
      status: 409,
      message: "La campagne vient de changer d’état\u00a0: rechargez la page et recommencez.",
    };
  }
  throw error;
}

async function audit(
  trx: Transaction<DB>,
  campaignId: number,
  action: CampaignAuditAction,
  actorUserId: number,
  detail: string | null,
  at: string,
) {
  await trx
    .insertInto("campaign_audit")
    .values({ campaign_id: campaignId, action, actor_user_id: actorUserId, detail, at })
    .execute();
}

/** Submitted campaigns, the longest-waiting first (by their latest submission). */
export async function moderationQueue(db: Kysely<DB>) {
  const rows = await db
    .selectFrom("campaigns as c")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .innerJoin("territories as t", "t.id", "c.territory_id")
    .select([
      "c.id",
      "c.title",
      "c.goal_cents",
      "c.ends_at",
      "c.budget_citoyen_year",
      "o.name as organization",
      "t.name as territory",
      (eb) =>
        eb
          .selectFrom("campaign_transitions as x")
          .select(sql<string>`max(x.at)`.as("at"))
          .whereRef("x.campaign_id", "=", "c.id")
          .where("x.event", "in", ["submit", "resubmit"])
          .as("submitted_at"),
      (eb) =>
        eb
          .selectFrom("campaign_transitions as x")
          .select(sql<number>`count(*)`.as("n"))
          .whereRef("x.campaign_id", "=", "c.id")
          .where("x.event", "=", "request_changes")
          .as("changes_requested"),
    ])
    .where("c.status", "=", "submitted")
    .execute();
  return rows
    .map((r) => ({
      ...r,
      submitted_at: r.submitted_at ?? "",
      changes_requested: Number(r.changes_requested ?? 0),
    }))
    .sort((a, b) =>
      a.submitted_at < b.submitted_at ? -1 : a.submitted_at > b.submitted_at ? 1 : a.id - b.id,
    );
}

/** How many campaigns wait for a decision (the staff nav shows it on every page). */
export async function moderationCount(db: Kysely<DB>): Promise<number> {
  const r = await db
    .selectFrom("campaigns")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "=", "submitted")
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Every campaign, for the staff list, newest first; optionally of one state. */
export async function staffCampaignList(db: Kysely<DB>, status: CampaignState | null) {
  let q = db
    .selectFrom("campaigns as c")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .select([
      "c.id",
      "c.slug",
      "c.title",
      "c.status",
      "c.starts_at",
      "c.ends_at",
      "c.budget_citoyen_year",
      "c.featured",
      "o.name as organization",
    ])
    .orderBy("c.updated_at", "desc")
    .orderBy("c.id", "desc");
  if (status) q = q.where("c.status", "=", status);
  return q.execute();
}

export interface HistoryEntry {
  at: string;
  what: string;
  who: string;
  reason: string | null;
}

function actorLabel(role: string, name: string | null, email: string | null): string {
  if (role === "system") return "Plateforme (automatique)";
  const who = name && email ? `${name} (${email})` : (email ?? name);
  const as = role === "staff" ? "Équipe du Département" : role === "holder" ? "Porteur de projet" : role;
  return who ? `${as} — ${who}` : as;
}

const AUDIT_LABELS: Record<CampaignAuditAction, string> = {
  label_set: "Label Budget Citoyen attribué",
  label_removed: "Label Budget Citoyen retiré",
  featured: "Mise en avant sur l’accueil",
  unfeatured: "Retrait de la mise en avant",
  start_date_set: "Date de mise en ligne fixée",
};

/** The campaign's whole history: state changes and staff actions, oldest first. */
export async function reviewHistory(db: Kysely<DB>, campaignId: number): Promise<HistoryEntry[]> {
  const [transitions, audits] = await Promise.all([
    db
      .selectFrom("campaign_transitions as x")
      .leftJoin("users as u", "u.id", "x.actor_user_id")
      .select([
        "x.id",
        "x.event",
        "x.to_status",
        "x.actor_role",
        "x.reason",
        "x.at",
        "u.display_name",
        "u.email",
      ])
      .where("x.campaign_id", "=", campaignId)
      .execute(),
    db
      .selectFrom("campaign_audit as a")
      .leftJoin("users as u", "u.id", "a.actor_user_id")
      .select(["a.id", "a.action", "a.detail", "a.at", "u.display_name", "u.email"])
      .where("a.campaign_id", "=", campaignId)
      .execute(),
  ]);
  const entries = [
    ...transitions.map((t) => ({
      at: t.at,
      order: 0,
      id: t.id,
      what:
        t.event === "create"
          ? "Création du brouillon"
          : `${capitalise(EVENT_LABELS[t.event])} → ${STATE_LABELS[t.to_status]}`,
      who: actorLabel(t.actor_role, t.display_name, t.email),
      reason: t.reason,
    })),
    ...audits.map((a) => ({
      at: a.at,
      order: 1,
      id: a.id,
      what: a.detail ? `${AUDIT_LABELS[a.action]}${NBSP}: ${a.detail}` : AUDIT_LABELS[a.action],
      who: actorLabel("staff", a.display_name, a.email),
      reason: null,
    })),
  ];
  entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order || a.id - b.id));
  return entries.map(({ at, what, who, reason }) => ({ at, what, who, reason }));
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** What staff need to review a campaign besides its public content. */
export async function reviewFacts(db: Kysely<DB>, campaignId: number) {
  return db
    .selectFrom("campaigns as c")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .innerJoin("users as u", "u.id", "o.owner_user_id")
    .select([
      "c.id",
      "c.slug",
      "c.title",
      "c.status",
      "c.starts_at",
      "c.ends_at",
      "c.goal_cents",
      "c.budget_citoyen_year",
      "c.featured",
      "c.created_at",
      "o.name as organization",
      "o.legal_form",
      "o.registration_number",
      "o.town",
      "o.created_at as organization_created_at",
      "o.stripe_account_id",
      "o.stripe_payouts_enabled",
      "u.display_name as holder_name",
      "u.email as holder_email",
      "o.id as organization_id",
    ])
    .where("c.id", "=", campaignId)
    .executeTakeFirst();
}

/** The structure's other campaigns (its track record on the platform). */
export async function structureCampaigns(db: Kysely<DB>, organizationId: number, exceptId: number) {
  return db
    .selectFrom("campaigns")
    .select(["id", "title", "status", "ends_at"])
    .where("organization_id", "=", organizationId)
    .where("id", "<>", exceptId)
    .orderBy("created_at", "desc")
    .execute();
}

// ---------------------------------------------------------------------------
// Decisions

export interface StaffActor {
  userId: number;
  now?: Date;
}

/**
 * Approve. Without a date the campaign goes live at the next settlement pass (within a minute);
 * with one, at 00:00 Europe/Paris that day. The end date chosen by the holder stays: the
 * campaign must still last at least CAMPAIGN_MIN_DAYS from its start.
 */
export async function approve(
  db: Kysely<DB>,
  campaignId: number,
  input: StaffActor & { startDate: string | null; message: string | null },
): Promise<StaffResult> {
  const now = input.now ?? new Date();
  const c = await db
    .selectFrom("campaigns")
    .select(["id", "status", "ends_at"])
    .where("id", "=", campaignId)
    .executeTakeFirst();
  if (!c) return { ok: false, status: 404, message: "Campagne introuvable." };
  // A campaign that cannot be approved (rejected, already live…) is a 409 whatever its dates say.
  try {
    transition(c.status, "approve", { actor: "staff", now });
  } catch (error) {
    return refusal(error);
  }
  const today = parisCalendarDate(now);
  const startDate = input.startDate ?? today;
  if (startDate < today)
    return { ok: false, status: 400, message: "La date de mise en ligne ne peut pas être passée." };
  const endDate = parisCalendarDate(new Date(c.ends_at));
  const days = calendarDaysBetween(startDate, endDate);
  const min = config().campaignMinDays;
  if (days < min) {
    return {
      ok: false,
      status: 400,
      message: `La collecte doit durer au moins ${min} jours${NBSP}: la date de fin choisie par le porteur est le ${formatDate(c.ends_at)}. Choisissez une mise en ligne plus tôt, ou demandez des modifications au porteur pour qu’il repousse sa date de fin.`,
    };
  }
  const startsAt = input.startDate ? startOfDayInParis(startDate) : now;
  try {
    await db.transaction().execute(async (trx) => {
      await applyCampaignEvent(trx, {
        campaignId,
        event: "approve",
        actor: "staff",
        actorUserId: input.userId,
        reason: input.message,
        now,
      });
      await trx
        .updateTable("campaigns")
        .set({ starts_at: startsAt.toISOString() })
        .where("id", "=", campaignId)
        .execute();
      if (input.startDate)
        await audit(trx, campaignId, "start_date_set", input.userId, formatDate(startsAt), now.toISOString());
    });
  } catch (error) {
    return refusal(error);
  }
  return {
    ok: true,
    message: input.startDate
      ? `Campagne validée${NBSP}: elle sera mise en ligne le ${formatDate(startsAt)}.`
      : "Campagne validée\u00a0: elle sera mise en ligne dans la minute.",
  };
}

export async function requestChanges(
  db: Kysely<DB>,
  campaignId: number,
  input: StaffActor & { comment: string },
): Promise<StaffResult> {
  return decide(
    db,
    campaignId,
    "request_changes",
    input.comment,
    input,
    "Modifications demandées\u00a0: le porteur a reçu votre commentaire par courriel.",
  );
}

export async function reject(
  db: Kysely<DB>,
  campaignId: number,
  input: StaffActor & { reason: string },
): Promise<StaffResult> {
  return decide(
    db,
    campaignId,
    "reject",
    input.reason,
    input,
    "Campagne refusée\u00a0: le porteur a reçu le motif par courriel.",
  );
}

async function decide(
  db: Kysely<DB>,
  campaignId: number,
  event: CampaignEvent,
  reason: string,
  input: StaffActor,
  done: string,
): Promise<StaffResult> {
  const exists = await db
    .selectFrom("campaigns")
    .select("id")
    .where("id", "=", campaignId)
    .executeTakeFirst();
  if (!exists) return { ok: false, status: 404, message: "Campagne introuvable." };
  try {
    await applyCampaignEvent(db, {
      campaignId,
      event,
      actor: "staff",
      actorUserId: input.userId,
      reason,
      now: input.now,
    });
  } catch (error) {
    return refusal(error);
  }
  return { ok: true, message: done };
}

/** Cancel an approved or live campaign: every paid contribution is then refunded by the settlement pass. */
export async function cancel(
  db: Kysely<DB>,
  campaignId: number,
  input: StaffActor & { reason: string },
): Promise<StaffResult> {
  const exists = await db
    .selectFrom("campaigns")
    .select("id")
    .where("id", "=", campaignId)
    .executeTakeFirst();
  if (!exists) return { ok: false, status: 404, message: "Campagne introuvable." };
  let expired: number;
  try {
    expired = (
      await cancelCampaign(db, campaignId, {
        reason: input.reason,
        actorUserId: input.userId,
        now: input.now,
      })
    ).checkoutsExpired;
  } catch (error) {
    return refusal(error);
  }
  const closed =
    expired === 0
      ? ""
      : expired === 1
        ? " Le paiement qui était en cours a été clos."
        : ` Les ${expired} paiements qui étaient en cours ont été clos.`;
  return {
    ok: true,
    message: `Campagne annulée${NBSP}: chaque contributeur va recevoir un courriel et sera remboursé automatiquement.${closed}`,
  };
}

export function labelYearBounds(now: Date): { min: number; max: number } {
  return { min: LABEL_FIRST_YEAR, max: parisYear(now) + 1 };
}

/** Set (year) or remove (null) the Budget Citoyen label. The commission follows (0 % when labelled at settlement). */
export async function setLabel(
  db: Kysely<DB>,
  campaignId: number,
  input: StaffActor & { year: number | null },
): Promise<StaffResult> {
  const now = input.now ?? new Date();
  const { min, max } = labelYearBounds(now);
  if (input.year !== null && (!Number.isInteger(input.year) || input.year < min || input.year > max)) {
    return { ok: false, status: 400, message: `L’année du label doit être comprise entre ${min} et ${max}.` };
  }
  return db.transaction().execute(async (trx): Promise<StaffResult> => {
    const c = await trx
      .selectFrom("campaigns")
      .select(["status", "budget_citoyen_year"])
      .where("id", "=", campaignId)
      .executeTakeFirst();
    if (!c) return { ok: false, status: 404, message: "Campagne introuvable." };
    if (!LABEL_EDITABLE_STATES.includes(c.status)) {
      return {
        ok: false,
        status: 409,
        message: `Le label ne peut plus changer${NBSP}: la campagne est «${NBSP}${STATE_LABELS[c.status]}${NBSP}» (il est lu au moment du solde).`,
      };
    }
    if (c.budget_citoyen_year === input.year)
      return { ok: true, message: "Aucun changement\u00a0: le label était déjà dans cet état." };
    const updated = await trx
      .updateTable("campaigns")
      .set({ budget_citoyen_year: input.year, updated_at: now.toISOString() })
      .where("id", "=", campaignId)
      .where("status", "in", LABEL_EDITABLE_STATES)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      return {
        ok: false,
        status: 409,
        message: "La campagne vient de changer d’état\u00a0: rechargez la page.",
      };
    if (input.year === null) {
      await audit(
        trx,
        campaignId,
        "label_removed",
        input.userId,
        `était Budget Citoyen ${c.budget_citoyen_year}`,
        now.toISOString(),
      );
      return { ok: true, message: "Label Budget Citoyen retiré\u00a0: la commission de 3 % s’appliquera." };
    }
    await audit(
      trx,
      campaignId,
      "label_set",
      input.userId,
      `Budget Citoyen ${input.year}`,
      now.toISOString(),
    );
    return {
      ok: true,
      message: `Label «${NBSP}Budget Citoyen ${input.year}${NBSP}» attribué${NBSP}: aucune commission ne sera prélevée.`,
    };
  });
}

/** Feature (or stop featuring) a campaign on the home page. */
export async function setFeatured(
  db: Kysely<DB>,
  campaignId: number,
  input: StaffActor & { featured: boolean },
): Promise<StaffResult> {
  const now = input.now ?? new Date();
  return db.transaction().execute(async (trx): Promise<StaffResult> => {
    const c = await trx
      .selectFrom("campaigns")
      .select(["status", "featured"])
      .where("id", "=", campaignId)
      .executeTakeFirst();
    if (!c) return { ok: false, status: 404, message: "Campagne introuvable." };
    if (input.featured && !FEATURABLE_STATES.includes(c.status)) {
      return {
        ok: false,
        status: 409,
        message: "Seule une campagne validée ou en cours peut être mise en avant.",
      };
    }
    if ((c.featured === 1) === input.featured) return { ok: true, message: "Aucun changement." };
    await trx
      .updateTable("campaigns")
      .set({ featured: input.featured ? 1 : 0, updated_at: now.toISOString() })
      .where("id", "=", campaignId)
      .execute();
    await audit(
      trx,
      campaignId,
      input.featured ? "featured" : "unfeatured",
      input.userId,
      null,
      now.toISOString(),
    );
    return {
      ok: true,
      message: input.featured
        ? "La campagne est mise en avant sur la page d’accueil."
        : "La campagne n’est plus mise en avant.",
    };
  });
}
