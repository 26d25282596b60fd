/**
 * The one place that talks to Stripe. In demo mode (no STRIPE_SECRET_KEY) the
 * same SDK calls go to the msw stand-in of app/demo/stripe-api.server.ts, and webhooks
 * are signed with a fixed demo secret: the production code path runs unchanged.
 */
import Stripe from "stripe";
import { config } from "~/config.server";
import { campaignPath } from "~/domain/paths";

export const DEMO_SECRET_KEY = "sk_test_demo_not_a_real_key";
export const DEMO_WEBHOOK_SECRET = "whsec_demo_propulsons_not_a_real_secret";

let client: Stripe | undefined;

export function stripe(): Stripe {
  client ??= new Stripe(config().stripeSecretKey ?? DEMO_SECRET_KEY, {
    // stripe-node retries network errors and 5xx (never 429) with the same idempotency key.
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: "Propulsons" },
  });
  return client;
}

export function webhookSecret(): string {
  return config().stripeWebhookSecret ?? DEMO_WEBHOOK_SECRET;
}

export class WebhookSignatureError extends Error {
  override name = "WebhookSignatureError";
}

/** Stripe's tolerance for a signature's age (its SDK's default, which it documents). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
/** How far ahead of our clock a signature may be dated: clock skew, nothing more. */
export const WEBHOOK_MAX_FUTURE_SECONDS = 60;

/**
 * The one timestamp of a Stripe-Signature header (`t=…`), or an error. Stripe's SDK checks that
 * it is not older than its tolerance but accepts any date in the future, and with several `t=`
 * it keeps the last: a header with more than one is refused here.
 */
export function signatureTimestamp(signature: string, nowSeconds: number): number {
  const stamps = signature
    .split(",")
    .map((part) => part.trim().split("="))
    .filter(([key]) => key === "t");
  if (stamps.length !== 1) throw new WebhookSignatureError("expected exactly one timestamp (t=)");
  const t = Number(stamps[0]![1]);
  if (!Number.isSafeInteger(t)) throw new WebhookSignatureError("timestamp is not a number");
  if (t > nowSeconds + WEBHOOK_MAX_FUTURE_SECONDS) throw new WebhookSignatureError("timestamp in the future");
  if (t < nowSeconds - WEBHOOK_TOLERANCE_SECONDS)
    throw new WebhookSignatureError("timestamp outside the tolerance zone");
  return t;
}

/**
 * Verify a webhook's signature on its raw body and parse it: signed with our secret, dated
 * within the last five minutes and not more than a minute ahead of our clock.
 */
export function verifyWebhook(rawBody: string, signature: string | null, now = new Date()): Stripe.Event {
  if (!signature) throw new WebhookSignatureError("missing Stripe-Signature header");
  let event: Stripe.Event;
  try {
    event = stripe().webhooks.constructEvent(
      rawBody,
      signature,
      webhookSecret(),
      WEBHOOK_TOLERANCE_SECONDS,
      undefined,
      now.getTime(),
    );
  } catch (error) {
    throw new WebhookSignatureError(error instanceof Error ? error.message : "invalid signature");
  }
  signatureTimestamp(signature, Math.floor(now.getTime() / 1000));
  return event;
}

export interface CheckoutInput {
  contributionId: number;
  campaignId: number;
  campaignTitle: string;
  campaignSlug: string;
  amountCents: number;
  email: string;
  rewardTitle: string | null;
  now: Date;
}

/**
 * Open a Checkout Session for a pending contribution. The idempotency key is
 * derived from the contribution id: a retry (ours or stripe-node's) returns the
 * same session and never creates a second one.
 */
export async function createCheckoutSession(
  input: CheckoutInput,
): Promise<{ id: string; url: string; expiresAt: Date }> {
  const cfg = config();
  const metadata = { contribution_id: String(input.contributionId), campaign_id: String(input.campaignId) };
  // From the moment Stripe is asked, not the request's start: a request that waited for the
  // database (another process's lock) would otherwise ask for less than Stripe's 30-minute minimum.
  const askedAt = Math.max(input.now.getTime(), Date.now());
  const expiresAt = Math.floor(askedAt / 1000) + cfg.checkoutExpiryMinutes * 60;
  const session = await stripe().checkout.sessions.create(
    {
      mode: "payment",
      locale: "fr",
      customer_email: input.email,
      client_reference_id: String(input.contributionId),
      metadata,
      payment_intent_data: { metadata, transfer_group: `campaign_${input.campaignId}` },
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: "eur",
            unit_amount: input.amountCents,
            product_data: {
              name: `Contribution à « ${input.campaignTitle} »`,
              ...(input.rewardTitle ? { description: `Contrepartie : ${input.rewardTitle}` } : {}),
            },
          },
        },
      ],
      expires_at: expiresAt,
      success_url: `${cfg.publicUrl}/contribution/merci?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${cfg.publicUrl}${campaignPath(input.campaignSlug)}?paiement=annule#contribuer`,
    },
    { idempotencyKey: `checkout:${input.contributionId}` },
  );
  if (!session.url) throw new Error(`Checkout session ${session.id} has no URL`);
  return { id: session.id, url: session.url, expiresAt: new Date(session.expires_at * 1000) };
}

/** A Stripe call that failed, with what the caller needs to decide whether to retry. */
export class StripeCallError extends Error {
  override name = "StripeCallError";
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

function asCallError(error: unknown): StripeCallError {
  const e = error as { message?: string; statusCode?: number; code?: string; raw?: { code?: string } };
  return new StripeCallError(e.message ?? String(error), e.statusCode, e.code ?? e.raw?.code);
}

/**
 * Refund one contribution in full. Idempotency key `refund:<contribution id>`:
 * a retry after a crash or a timeout returns the refund already made.
 * No automatic retry here: the refund queue paces and retries (429 included).
 */
export async function createRefund(input: {
  contributionId: number;
  campaignId: number;
  paymentIntentId: string;
  amountCents: number;
}): Promise<{ id: string; status: string }> {
  try {
    const refund = await stripe().refunds.create(
      {
        payment_intent: input.paymentIntentId,
        amount: input.amountCents,
        metadata: { contribution_id: String(input.contributionId), campaign_id: String(input.campaignId) },
      },
      { idempotencyKey: `refund:${input.contributionId}`, maxNetworkRetries: 0 },
    );
    return { id: refund.id, status: refund.status ?? "pending" };
  } catch (error) {
    throw asCallError(error);
  }
}

/** A Checkout Session as Stripe knows it now; null when Stripe does not know it (404). */
export async function retrieveCheckoutSession(sessionId: string): Promise<{ status: string | null } | null> {
  try {
    const session = await stripe().checkout.sessions.retrieve(sessionId);
    return { status: session.status };
  } catch (error) {
    const e = asCallError(error);
    if (e.status === 404) return null;
    throw e;
  }
}

/**
 * Close an open Checkout Session so that nobody can pay it any more (a cancelled
 * campaign). Answers the session's status afterwards: "expired", or "complete" when
 * the citizen paid first (the webhook brings that payment, and it is refunded).
 */
export async function expireCheckoutSession(sessionId: string): Promise<"expired" | "complete" | "gone"> {
  try {
    const session = await stripe().checkout.sessions.expire(
      sessionId,
      {},
      { idempotencyKey: `expire:${sessionId}` },
    );
    return session.status === "complete" ? "complete" : "expired";
  } catch (error) {
    const e = asCallError(error);
    if (e.status === 404) return "gone";
    if (e.status === 400) {
      // Not open any more: say what it is.
      const now = await retrieveCheckoutSession(sessionId);
      if (!now) return "gone";
      return now.status === "complete" ? "complete" : "expired";
    }
    throw e;
  }
}

/** Pay a holder: one Stripe Transfer to their connected account. */
export async function createTransfer(input: {
  payoutId: number;
  campaignId: number;
  destination: string;
  amountCents: number;
  idempotencyKey: string;
}): Promise<{ id: string }> {
  try {
    const transfer = await stripe().transfers.create(
      {
        amount: input.amountCents,
        currency: "eur",
        destination: input.destination,
        transfer_group: `campaign_${input.campaignId}`,
        metadata: { payout_id: String(input.payoutId), campaign_id: String(input.campaignId) },
      },
      { idempotencyKey: input.idempotencyKey },
    );
    return { id: transfer.id };
  } catch (error) {
    throw asCallError(error);
  }
}

/** Can this connected account receive transfers now? */
export async function accountCanReceiveTransfers(accountId: string): Promise<boolean> {
  try {
    const account = await stripe().accounts.retrieve(accountId);
    return Boolean(account.payouts_enabled) && account.capabilities?.transfers === "active";
  } catch (error) {
    const e = asCallError(error);
    if (e.status === 404) return false;
    throw e;
  }
}

/** Create the holder's Stripe Connect Express account (once per structure: idempotency key). */
export async function createExpressAccount(input: {
  organizationId: number;
  email: string;
  legalForm: string;
}): Promise<string> {
  try {
    const account = await stripe().accounts.create(
      {
        type: "express",
        country: "FR",
        email: input.email,
        business_type:
          input.legalForm === "collectif"
            ? "individual"
            : input.legalForm === "association"
              ? "non_profit"
              : "company",
        capabilities: { transfers: { requested: true } },
        metadata: { organization_id: String(input.organizationId) },
      },
      { idempotencyKey: `account:${input.organizationId}` },
    );
    return account.id;
  } catch (error) {
    throw asCallError(error);
  }
}

/** A fresh onboarding link (they expire after a few minutes: a new one is made each time). */
export async function createOnboardingLink(input: {
  accountId: string;
  returnUrl: string;
  refreshUrl: string;
}): Promise<string> {
  try {
    const link = await stripe().accountLinks.create({
      account: input.accountId,
      type: "account_onboarding",
      return_url: input.returnUrl,
      refresh_url: input.refreshUrl,
    });
    return link.url;
  } catch (error) {
    throw asCallError(error);
  }
}
