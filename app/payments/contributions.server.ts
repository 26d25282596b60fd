/**
 * Opening a contribution: validate against the campaign, hold a reward unit,
 * write the pending contribution, then open the Stripe Checkout Session.
 * Payment state only changes from the webhook (webhooks.server.ts).
 */
import { sql, type Kysely } from "kysely";
import type { DB } from "#db/schema";
import { config, contributionBounds } from "~/config.server";
import { formatEuros } from "~/domain/format";
import { logger } from "~/logger.server";
import type { ContributionFieldErrors, ValidContribution } from "./contribution-form.server";
import { closeUnpaid } from "./contribution-moves.server";
import { createCheckoutSession } from "./stripe.server";
import { outOfBoundsMessage } from "~/domain/money";
import type { ValidReceiptRequest } from "~/receipts-forms/request-form.server";
import { verifiedTaxStatus } from "~/receipts-forms/offer.server";
import { campaignKey, touch } from "#db/page-versions";

export type StartResult =
  | { ok: true; checkoutUrl: string; contributionId: number }
  | { ok: false; status: 400 | 404 | 409 | 502; formError?: string; fieldErrors?: ContributionFieldErrors };

export async function startContribution(
  db: Kysely<DB>,
  campaignSlug: string,
  input: ValidContribution,
  options: { now?: Date; receiptRequest?: ValidReceiptRequest | null } = {},
): Promise<StartResult> {
  const now = options.now ?? new Date();
  const cfg = config();
  const campaign = await db
    .selectFrom("campaigns")
    .select(["id", "slug", "title", "status", "starts_at", "ends_at", "organization_id"])
    .where("slug", "=", campaignSlug)
    .executeTakeFirst();
  if (!campaign) return { ok: false, status: 404, formError: "Projet introuvable." };
  const nowIso = now.toISOString();
  if (campaign.status !== "live" || nowIso < campaign.starts_at || nowIso >= campaign.ends_at) {
    return {
      ok: false,
      status: 409,
      formError:
        "Cette campagne ne reçoit plus de contributions : sa collecte est terminée ou n'a pas commencé.",
    };
  }

  let reward: { id: number; title: string; minimum_cents: number; stock: number | null } | undefined;
  if (input.rewardId !== null) {
    reward = await db
      .selectFrom("rewards")
      .select(["id", "title", "minimum_cents", "stock"])
      .where("id", "=", input.rewardId)
      .where("campaign_id", "=", campaign.id)
      .executeTakeFirst();
    if (!reward)
      return {
        ok: false,
        status: 400,
        fieldErrors: { contrepartie: "Cette contrepartie n'existe pas pour ce projet." },
      };
  }
  const amountCents = input.amountCents ?? reward?.minimum_cents ?? null;
  if (amountCents === null) {
    return { ok: false, status: 400, fieldErrors: { montant: "Indiquez le montant de votre contribution." } };
  }
  const outOfBounds = outOfBoundsMessage(amountCents, contributionBounds(cfg));
  if (outOfBounds) return { ok: false, status: 400, fieldErrors: { montant: outOfBounds } };
  if (reward && amountCents < reward.minimum_cents) {
    return {
      ok: false,
      status: 400,
      fieldErrors: {
        montant: `La contrepartie « ${reward.title} » demande une contribution d'au moins ${formatEuros(reward.minimum_cents)}.`,
      },
    };
  }

  // Hold a unit (if the reward has a stock) and write the pending row, atomically.
  // The conditional UPDATE and the CHECK (held + sold <= stock) make overselling impossible.
  // A tax-receipt request is written with its contribution, only while the structure's
  // declaration is verified (checked in the same transaction).
  const receiptRequest = options.receiptRequest ?? null;
  const pending = await db.transaction().execute(async (trx) => {
    if (receiptRequest && (await verifiedTaxStatus(trx, campaign.id)) === null) return "no_receipt" as const;
    let holds = false;
    if (reward && reward.stock !== null) {
      const held = await trx
        .updateTable("rewards")
        .set({ held: sql`held + 1` })
        .where("id", "=", reward.id)
        .where(sql<boolean>`held + sold < stock`)
        .executeTakeFirst();
      if (Number(held.numUpdatedRows) !== 1) return null;
      holds = true;
    }
    const inserted = await trx
      .insertInto("contributions")
      .values({
        campaign_id: campaign.id,
        user_id: null,
        email: input.email,
        public_name: input.publicName,
        amount_cents: amountCents,
        reward_id: reward?.id ?? null,
        anonymous: input.anonymous ? 1 : 0,
        hide_amount: input.hideAmount ? 1 : 0,
        message: input.message,
        status: "pending",
        reward_hold: holds ? 1 : 0,
        created_at: nowIso,
        updated_at: nowIso,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (receiptRequest) {
      await trx
        .insertInto("receipt_requests")
        .values({
          contribution_id: inserted.id,
          first_name: receiptRequest.firstName,
          last_name: receiptRequest.lastName,
          street: receiptRequest.street,
          postal_code: receiptRequest.postalCode,
          town: receiptRequest.town,
          country: receiptRequest.country,
          created_at: nowIso,
        })
        .execute();
    }
    // A held unit shows in the reward's « restants »: this campaign's page changes, no other.
    await touch(trx, [campaignKey(campaign.id)]);
    return inserted;
  });
  if (pending === "no_receipt") {
    return {
      ok: false,
      status: 409,
      formError:
        "Cette structure ne peut pas (ou plus) émettre de reçus fiscaux par Propulsons\u00a0: décochez «\u00a0Je souhaite un reçu fiscal\u00a0» pour contribuer sans reçu. Aucun paiement n’a été effectué.",
    };
  }
  if (!pending) {
    return {
      ok: false,
      status: 409,
      fieldErrors: {
        contrepartie: `La contrepartie « ${reward!.title} » est épuisée. Choisissez-en une autre ou contribuez sans contrepartie.`,
      },
    };
  }

  try {
    const session = await createCheckoutSession({
      contributionId: pending.id,
      campaignId: campaign.id,
      campaignTitle: campaign.title,
      campaignSlug: campaign.slug,
      amountCents,
      email: input.email,
      rewardTitle: reward?.title ?? null,
      now,
    });
    // Declared like the row it completes: a lone write would invalidate every cached page.
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable("contributions")
        .set({
          stripe_checkout_session_id: session.id,
          checkout_expires_at: session.expiresAt.toISOString(),
          updated_at: nowIso,
        })
        .where("id", "=", pending.id)
        .execute();
      await touch(trx, [campaignKey(campaign.id)]);
    });
    return { ok: true, checkoutUrl: session.url, contributionId: pending.id };
  } catch (error) {
    // No session: nobody can pay this contribution. Release its hold and close it.
    logger().error(
      { contributionId: pending.id, err: error },
      `Stripe n'a pas ouvert la session de paiement de la contribution ${pending.id}.`,
    );
    await closeUnpaid(db, pending.id, "failed", now);
    return {
      ok: false,
      status: 502,
      formError:
        "Le service de paiement ne répond pas pour le moment. Aucun paiement n'a été effectué ; merci de réessayer dans quelques instants.",
    };
  }
}
