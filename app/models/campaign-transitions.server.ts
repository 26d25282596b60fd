/**
 * Applying a state-machine event to a stored campaign: the pure machine decides,
 * this module writes the new status and the transition row in one transaction.
 */
import type { Kysely, Transaction } from "kysely";
import { campaignMoney } from "~/payments/campaign-money.server";
import type { DB } from "#db/schema";
import { config } from "~/config.server";
import { enqueueEmail } from "~/email.server";
import {
  STATE_LABELS,
  transition,
  type Actor,
  type CampaignEvent,
  type CampaignState,
  type TransitionContext,
} from "~/domain/campaign-machine";

/** Events the holder is e-mailed about here (funded and failed have their own messages). */
const HOLDER_NOTIFIED = {
  submit: 1,
  resubmit: 1,
  request_changes: 1,
  approve: 1,
  reject: 1,
  start: 1,
  cancel: 1,
} as const;

export interface ApplyEventInput {
  campaignId: number;
  event: CampaignEvent;
  actor: Actor;
  actorUserId?: number | null;
  reason?: string | null;
  now?: Date;
  /** facts only the caller knows (content completeness, grace period over) */
  context?: Pick<TransitionContext, "hasRequiredContent" | "graceOver">;
}

export class CampaignNotFoundError extends Error {
  override name = "CampaignNotFoundError";
}

/** Another writer changed the campaign's status between our read and our write. */
export class ConcurrentTransitionError extends Error {
  override name = "ConcurrentTransitionError";
}

export interface AppliedTransition {
  from: CampaignState;
  to: CampaignState;
  at: string;
}

async function applyInTransaction(trx: Transaction<DB>, input: ApplyEventInput): Promise<AppliedTransition> {
  const now = input.now ?? new Date();
  const campaign = await trx
    .selectFrom("campaigns")
    .select(["id", "status", "starts_at", "ends_at", "goal_cents"])
    .where("id", "=", input.campaignId)
    .executeTakeFirst();
  if (!campaign) throw new CampaignNotFoundError(`campaign ${input.campaignId} not found`);

  // Money the campaign holds now (one meaning of « collecté », campaign-money.server.ts): a
  // contribution refunded before settlement does not count towards the goal.
  const money = await campaignMoney(trx, campaign.id);

  const to = transition(campaign.status, input.event, {
    actor: input.actor,
    now,
    reason: input.reason ?? null,
    startsAt: new Date(campaign.starts_at),
    endsAt: new Date(campaign.ends_at),
    goalCents: campaign.goal_cents,
    paidTotalCents: money.collectedCents,
    matchedCents: money.matchedCents,
    inFlightCount: money.inFlightCount,
    ...input.context,
  });

  const at = now.toISOString();
  const updated = await trx
    .updateTable("campaigns")
    .set({ status: to, updated_at: at })
    .where("id", "=", campaign.id)
    .where("status", "=", campaign.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw new ConcurrentTransitionError(`campaign ${campaign.id} changed while applying ${input.event}`);
  }
  const recorded = await trx
    .insertInto("campaign_transitions")
    .values({
      campaign_id: campaign.id,
      from_status: campaign.status,
      to_status: to,
      event: input.event,
      actor_user_id: input.actorUserId ?? null,
      actor_role: input.actor,
      reason: input.reason?.trim() || null,
      at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (input.event in HOLDER_NOTIFIED) {
    // The holder hears of every change of their campaign, in the same transaction.
    const holder = await trx
      .selectFrom("campaigns as c")
      .innerJoin("organizations as o", "o.id", "c.organization_id")
      .innerJoin("users as u", "u.id", "o.owner_user_id")
      .select(["u.email", "c.title"])
      .where("c.id", "=", campaign.id)
      .executeTakeFirstOrThrow();
    await enqueueEmail(trx, {
      kind: "campaign_status_holder",
      to: holder.email,
      idempotencyKey: `status:${campaign.id}:${recorded.id}`,
      now,
      data: {
        campaignTitle: holder.title,
        editorUrl: `${config().publicUrl}/porteur/campagnes/${campaign.id}`,
        statusLabel: STATE_LABELS[to],
        event: input.event as keyof typeof HOLDER_NOTIFIED,
        reason: input.reason?.trim() || null,
      },
    });
  }
  return { from: campaign.status, to, at };
}

/**
 * Apply an event. Pass a transaction to take part in a larger one (the status
 * change, the transition row and the caller's own writes then commit together).
 */
export async function applyCampaignEvent(
  db: Kysely<DB> | Transaction<DB>,
  input: ApplyEventInput,
): Promise<AppliedTransition> {
  if (db.isTransaction) return applyInTransaction(db as Transaction<DB>, input);
  return db.transaction().execute((trx) => applyInTransaction(trx, input));
}

export async function campaignHistory(db: Kysely<DB>, campaignId: number) {
  return db
    .selectFrom("campaign_transitions")
    .selectAll()
    .where("campaign_id", "=", campaignId)
    .orderBy("at")
    .orderBy("id")
    .execute();
}
