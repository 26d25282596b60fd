/**
 * Getting paid: the holder connects a Stripe Connect Express account from the
 * holder space. Stripe hosts the onboarding (identity, bank details); the account
 * is ready when it can receive transfers (account.updated webhook, or checked on return).
 */
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { config } from "~/config.server";
import {
  accountCanReceiveTransfers,
  createExpressAccount,
  createOnboardingLink,
} from "~/payments/stripe.server";

async function ownStructure(db: Kysely<DB>, userId: number, organizationId: number) {
  return db
    .selectFrom("organizations as o")
    .innerJoin("users as u", "u.id", "o.owner_user_id")
    .select(["o.id", "o.legal_form", "o.stripe_account_id", "o.stripe_payouts_enabled", "u.email"])
    .where("o.id", "=", organizationId)
    .where("o.owner_user_id", "=", userId)
    .executeTakeFirst();
}

function urls(organizationId: number) {
  const base = config().publicUrl;
  return {
    returnUrl: `${base}/porteur/paiements/retour?structure=${organizationId}`,
    refreshUrl: `${base}/porteur/paiements/relance?structure=${organizationId}`,
  };
}

/** The URL to send the holder to (a new Stripe onboarding link), or null when the structure is not theirs. */
export async function onboardingLink(
  db: Kysely<DB>,
  userId: number,
  organizationId: number,
): Promise<string | null> {
  const org = await ownStructure(db, userId, organizationId);
  if (!org) return null;
  let account = org.stripe_account_id;
  if (!account) {
    account = await createExpressAccount({
      organizationId: org.id,
      email: org.email,
      legalForm: org.legal_form,
    });
    await db
      .updateTable("organizations")
      .set({ stripe_account_id: account, stripe_payouts_enabled: 0 })
      .where("id", "=", org.id)
      .execute();
  }
  return createOnboardingLink({ accountId: account, ...urls(org.id) });
}

/** Back from Stripe: read the account's state now (the webhook may not have arrived yet). */
export async function refreshAccountState(
  db: Kysely<DB>,
  userId: number,
  organizationId: number,
): Promise<"ready" | "pending" | null> {
  const org = await ownStructure(db, userId, organizationId);
  if (!org?.stripe_account_id) return null;
  const ready = await accountCanReceiveTransfers(org.stripe_account_id);
  await db
    .updateTable("organizations")
    .set({ stripe_payouts_enabled: ready ? 1 : 0 })
    .where("id", "=", org.id)
    .execute();
  return ready ? "ready" : "pending";
}
