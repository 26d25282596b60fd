/**
 * A Stripe event delivered to a running server as Stripe sends it: POST /webhooks/stripe, its
 * JSON signed with the demo secret. Returns the answer's status and text.
 */
import type { makeEvent } from "~/demo/stripe-api.server";
import { signPayload } from "~/demo/stripe-webhooks.server";
import { DEMO_WEBHOOK_SECRET } from "~/payments/stripe.server";

export async function postEvent(
  url: string,
  event: ReturnType<typeof makeEvent>,
): Promise<{ status: number; body: string }> {
  const payload = JSON.stringify(event);
  const res = await fetch(`${url}/webhooks/stripe`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "stripe-signature": signPayload(payload, DEMO_WEBHOOK_SECRET),
    },
    body: payload,
  });
  return { status: res.status, body: await res.text() };
}
