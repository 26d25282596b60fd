/** Sign an event like Stripe does and post it to a webhook endpoint. */
import Stripe from "stripe";
import type { MockEvent } from "./stripe-api.server";

// Only the webhooks helper is used; no API call goes through this instance.
const signer = new Stripe("sk_test_signing_only");

export function signPayload(payload: string, secret: string, timestamp?: number): string {
  return signer.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

export async function deliverEvent(event: MockEvent, endpoint: string, secret: string): Promise<Response> {
  const payload = JSON.stringify(event);
  return fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signPayload(payload, secret) },
    body: payload,
  });
}
