/**
 * Demo mode only: what the local stand-in for Stripe's hosted Checkout can do.
 * The `.server` suffix keeps the mock (and node:crypto) out of the browser bundle.
 */
import {
  completeCheckoutAsync,
  declineCheckout,
  expireCheckout,
  payCheckout,
  type MockEvent,
} from "~/demo/stripe-api.server";
import { deliverEvent } from "~/demo/stripe-webhooks.server";
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { logger } from "~/logger.server";
import { webhookSecret } from "./stripe.server";

export type DemoIntent = "pay" | "pay_async" | "decline" | "cancel";

const ACTIONS: Record<DemoIntent, (sessionId: string) => MockEvent[]> = {
  pay: payCheckout,
  pay_async: completeCheckoutAsync,
  decline: declineCheckout,
  cancel: expireCheckout,
};

export function isDemoIntent(value: unknown): value is DemoIntent {
  return typeof value === "string" && value in ACTIONS;
}

/** Apply the citizen's choice to the mocked session and deliver the resulting events, signed, to our webhook endpoint. */
export async function runDemoCheckout(
  sessionId: string,
  intent: DemoIntent,
  webhookUrl: string,
): Promise<void> {
  for (const event of ACTIONS[intent](sessionId)) {
    const res = await deliverEvent(event, webhookUrl, webhookSecret());
    if (!res.ok)
      logger().error({ type: event.type, status: res.status }, "Démonstration : le webhook a été refusé.");
  }
}

/** The campaign and the address of the contribution a demo checkout session pays, if it exists. */
export async function demoCheckoutContribution(
  db: Kysely<DB>,
  contributionId: number,
): Promise<{ title: string; slug: string; email: string } | undefined> {
  if (!Number.isSafeInteger(contributionId)) return undefined;
  return db
    .selectFrom("contributions as k")
    .innerJoin("campaigns as c", "c.id", "k.campaign_id")
    .select(["c.title", "c.slug", "k.email"])
    .where("k.id", "=", contributionId)
    .executeTakeFirst();
}
