/**
 * A Stripe event delivered to a running server as Stripe sends it: POST /webhooks/stripe, its
 * JSON signed with the demo secret. Returns the answer's status and text.
 */
import crypto from "node:crypto";
import type { Kysely } from "kysely";
import { expect } from "vitest";
import type { DB } from "#db/schema";
import { makeEvent } from "~/demo/stripe-api.server";
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

/**
 * A citizen gives through a running server: the campaign page's form (its POST, which opens a
 * demo checkout), then the payment's signed webhook, answered « processed ». `db` reads the
 * contribution the form recorded.
 */
export async function payThroughForm(
  url: string,
  db: Kysely<DB>,
  campaign: { slug: string; id: number },
  payment: { n: number; cents: number; reward?: number },
): Promise<void> {
  const { n, cents } = payment;
  const res = await fetch(`${url}/campagnes/${campaign.slug}`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({
      montant: `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, "0")}`,
      contrepartie: payment.reward === undefined ? "" : String(payment.reward),
      email: `fraicheur${n}@example.org`,
      nom: `Fraîcheur ${n}`,
    }),
  });
  await res.arrayBuffer();
  expect(res.status).toBe(303);
  const sessionId = /\/demo\/checkout\/(cs_test_[a-f0-9]+)$/.exec(res.headers.get("location") ?? "")![1]!;
  const k = await db
    .selectFrom("contributions")
    .select("id")
    .where("stripe_checkout_session_id", "=", sessionId)
    .executeTakeFirstOrThrow();
  const now = Math.floor(Date.now() / 1000);
  const event = makeEvent(
    "checkout.session.completed",
    {
      id: sessionId,
      object: "checkout.session",
      status: "complete",
      payment_status: "paid",
      amount_total: cents,
      currency: "eur",
      client_reference_id: String(k.id),
      metadata: { contribution_id: String(k.id), campaign_id: String(campaign.id) },
      payment_intent: `pi_${crypto.randomBytes(12).toString("hex")}`,
      mode: "payment",
      livemode: false,
      created: now - 60,
      expires_at: now + 1800,
    },
    now,
  );
  const answer = await postEvent(url, event);
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toMatchObject({ received: true, outcome: "processed" });
}
