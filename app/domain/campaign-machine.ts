/**
 * The campaign lifecycle (docs/product-rules.md#campaign-lifecycle) as one pure table:
 * (state, event) → next state, with the actor allowed and a guard.
 * No I/O here: app/models/campaign-transitions.server.ts stores transitions.
 */
import { NBSP } from "~/domain/typography";

export const CAMPAIGN_STATES = [
  "draft",
  "submitted",
  "changes_requested",
  "approved",
  "rejected",
  "live",
  "settling",
  "funded",
  "failed",
  "cancelled",
] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

export const CAMPAIGN_EVENTS = [
  "submit",
  "request_changes",
  "resubmit",
  "approve",
  "reject",
  "start",
  "deadline",
  "settle_funded",
  "settle_failed",
  "cancel",
] as const;
export type CampaignEvent = (typeof CAMPAIGN_EVENTS)[number];

export type Actor = "holder" | "staff" | "system";

/** States a citizen can see on the public site. */
export const PUBLIC_STATES: readonly CampaignState[] = ["live", "settling", "funded", "failed"];

/** French labels, for the interface. */
export const STATE_LABELS: Record<CampaignState, string> = {
  draft: "Brouillon",
  submitted: "En attente de validation",
  changes_requested: "Modifications demandées",
  approved: "Validée",
  rejected: "Refusée",
  live: "En cours",
  settling: "En cours de clôture",
  funded: "Réussie",
  failed: "Non financée",
  cancelled: "Annulée",
};

export const EVENT_LABELS: Record<CampaignEvent, string> = {
  submit: "soumettre pour validation",
  request_changes: "demander des modifications",
  resubmit: "soumettre à nouveau",
  approve: "valider",
  reject: "refuser",
  start: "mettre en ligne",
  deadline: "clore la collecte",
  settle_funded: "déclarer réussie",
  settle_failed: "déclarer non financée",
  cancel: "annuler",
};

/** What a guard may look at. Every field is optional; a guard that needs one and lacks it refuses. */
export interface TransitionContext {
  actor: Actor;
  now: Date;
  reason?: string | null;
  /** submit / resubmit: the campaign holds everything a review needs */
  hasRequiredContent?: boolean;
  startsAt?: Date;
  endsAt?: Date;
  goalCents?: number;
  /** sum of paid contributions */
  paidTotalCents?: number;
  /** abondement reserved for the campaign: counts towards the goal with paidTotalCents */
  matchedCents?: number;
  /** contributions whose payment is still in flight (checkout open, asynchronous payment) */
  inFlightCount?: number;
  /** the grace period for in-flight payments is over */
  graceOver?: boolean;
}

interface Rule {
  to: CampaignState;
  actor: Actor;
  /** returns a French explanation when the guard refuses, null when it passes */
  guard?: (ctx: TransitionContext) => string | null;
}

const reasonRequired = (what: string) => (ctx: TransitionContext) =>
  ctx.reason && ctx.reason.trim().length > 0 ? null : `${what} est obligatoire.`;

const contentRequired = (ctx: TransitionContext) =>
  ctx.hasRequiredContent
    ? null
    : "La campagne n’est pas complète\u00a0: des informations obligatoires manquent.";

const settledNothingInFlight = (ctx: TransitionContext): string | null => {
  if ((ctx.inFlightCount ?? 0) > 0 && !ctx.graceOver) {
    return "Des paiements sont encore en cours\u00a0: la campagne attend leur issue (délai de grâce).";
  }
  return null;
};

function moneyKnown(
  ctx: TransitionContext,
): ctx is TransitionContext & { paidTotalCents: number; goalCents: number } {
  return typeof ctx.paidTotalCents === "number" && typeof ctx.goalCents === "number";
}

/** Citizens' money and the abondement both count towards the goal (DESIGN §11). */
function towardsGoal(ctx: TransitionContext & { paidTotalCents: number }): number {
  return ctx.paidTotalCents + (ctx.matchedCents ?? 0);
}

const TABLE: Partial<Record<CampaignState, Partial<Record<CampaignEvent, Rule>>>> = {
  draft: {
    submit: { to: "submitted", actor: "holder", guard: contentRequired },
  },
  submitted: {
    request_changes: { to: "changes_requested", actor: "staff", guard: reasonRequired("Un commentaire") },
    approve: { to: "approved", actor: "staff" },
    reject: { to: "rejected", actor: "staff", guard: reasonRequired("Le motif du refus") },
  },
  changes_requested: {
    resubmit: { to: "submitted", actor: "holder", guard: contentRequired },
  },
  approved: {
    start: {
      to: "live",
      actor: "system",
      guard: (ctx) =>
        ctx.startsAt && ctx.now.getTime() >= ctx.startsAt.getTime()
          ? null
          : "La date de mise en ligne n’est pas encore atteinte.",
    },
    cancel: { to: "cancelled", actor: "staff", guard: reasonRequired("Le motif de l’annulation") },
  },
  live: {
    deadline: {
      to: "settling",
      actor: "system",
      guard: (ctx) =>
        ctx.endsAt && ctx.now.getTime() >= ctx.endsAt.getTime()
          ? null
          : "La date de fin n’est pas encore passée.",
    },
    cancel: { to: "cancelled", actor: "staff", guard: reasonRequired("Le motif de l’annulation") },
  },
  settling: {
    settle_funded: {
      to: "funded",
      actor: "system",
      guard: (ctx) => {
        if (!moneyKnown(ctx)) return "Le montant collecté est inconnu.";
        if (towardsGoal(ctx) < ctx.goalCents) return "L’objectif n’est pas atteint.";
        return settledNothingInFlight(ctx);
      },
    },
    settle_failed: {
      to: "failed",
      actor: "system",
      guard: (ctx) => {
        if (!moneyKnown(ctx)) return "Le montant collecté est inconnu.";
        if (towardsGoal(ctx) >= ctx.goalCents) return "L’objectif est atteint.";
        return settledNothingInFlight(ctx);
      },
    },
  },
};

export type TransitionRefusal = "not_allowed" | "wrong_actor" | "guard";

/** A refused event. Names the state and the event; `message` is French, for the interface. */
export class TransitionError extends Error {
  override name = "TransitionError";
  constructor(
    readonly state: CampaignState,
    readonly event: CampaignEvent,
    readonly refusal: TransitionRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** Is there a rule for this pair at all (ignoring actor and guard)? */
export function isAllowed(state: CampaignState, event: CampaignEvent): boolean {
  return TABLE[state]?.[event] !== undefined;
}

/** The actor an allowed pair requires, or undefined. */
export function actorOf(state: CampaignState, event: CampaignEvent): Actor | undefined {
  return TABLE[state]?.[event]?.actor;
}

/**
 * Decide a transition. Returns the next state or throws a TransitionError that
 * names the state and the event.
 */
export function transition(
  state: CampaignState,
  event: CampaignEvent,
  ctx: TransitionContext,
): CampaignState {
  const rule = TABLE[state]?.[event];
  if (!rule) {
    throw new TransitionError(
      state,
      event,
      "not_allowed",
      `Action impossible${NBSP}: «${NBSP}${EVENT_LABELS[event]}${NBSP}» n’est pas permis pour une campagne à l’état «${NBSP}${STATE_LABELS[state]}${NBSP}» (${state} → ${event}).`,
    );
  }
  if (rule.actor !== ctx.actor) {
    throw new TransitionError(
      state,
      event,
      "wrong_actor",
      `Action réservée${NBSP}: «${NBSP}${EVENT_LABELS[event]}${NBSP}» ne peut pas être fait par ce rôle (${ctx.actor}) à l’état «${NBSP}${STATE_LABELS[state]}${NBSP}».`,
    );
  }
  const refusal = rule.guard?.(ctx) ?? null;
  if (refusal !== null) {
    throw new TransitionError(state, event, "guard", refusal);
  }
  return rule.to;
}

/** States in which the holder may edit everything: those from which they (re)submit the campaign. */
export const EDITABLE_STATES: readonly CampaignState[] = ["draft", "changes_requested"];

/** After approval only the story may change (goal, dates and rewards are frozen). */
export const STORY_ONLY_STATES: readonly CampaignState[] = [
  "approved",
  "live",
  "settling",
  "funded",
  "failed",
];

/** States in which the Budget Citoyen label may still change (it is read at settlement). */
export const LABEL_EDITABLE_STATES: readonly CampaignState[] = [
  "draft",
  "submitted",
  "changes_requested",
  "approved",
  "live",
];

/** States in which a campaign may be featured on the home page. */
export const FEATURABLE_STATES: readonly CampaignState[] = ["approved", "live"];

/** What the holder's editor allows in a state. */
export function holderEditing(state: CampaignState): { editable: boolean; storyOnly: boolean } {
  return { editable: EDITABLE_STATES.includes(state), storyOnly: STORY_ONLY_STATES.includes(state) };
}

/** The decisions the staff review page offers for a campaign in `state`. */
export interface StaffActions {
  /** approve, request changes or reject */
  review: boolean;
  label: boolean;
  feature: boolean;
  unfeature: boolean;
  cancel: boolean;
}

export function staffActions(state: CampaignState, featured: boolean): StaffActions {
  const byStaff = (event: CampaignEvent) => actorOf(state, event) === "staff";
  return {
    review: byStaff("approve") && byStaff("request_changes") && byStaff("reject"),
    label: LABEL_EDITABLE_STATES.includes(state),
    feature: FEATURABLE_STATES.includes(state) && !featured,
    unfeature: featured,
    cancel: byStaff("cancel"),
  };
}
