/** Demo mode only: finishing the stand-in for Stripe's hosted onboarding sends the account.updated webhook. */
import { completeOnboarding } from "~/demo/stripe-api.server";
import { deliverEvent } from "~/demo/stripe-webhooks.server";
import { logger } from "~/logger.server";
import { webhookSecret } from "./stripe.server";

export async function finishDemoOnboarding(accountId: string, webhookUrl: string): Promise<void> {
  for (const event of completeOnboarding(accountId)) {
    const res = await deliverEvent(event, webhookUrl, webhookSecret());
    if (!res.ok)
      logger().error({ type: event.type, status: res.status }, "Démonstration : le webhook a été refusé.");
  }
}
