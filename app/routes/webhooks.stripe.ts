/**
 * POST /webhooks/stripe — Stripe's webhook endpoint. The signature is checked on
 * the raw body; anything unsigned or forged is a 400. The server read the body within
 * MAX_WEBHOOK_BYTES (app/body-limit.server.ts) before this runs. A failure while applying
 * the event is a 500, so Stripe delivers it again (nothing was half written).
 */
import { NBSP } from "~/domain/typography";
import type { ActionFunctionArgs } from "@remix-run/node";
import { database } from "~/db.server";
import { kickEmailDelivery } from "~/email.server";
import { jobLogger } from "~/logger.server";
import { recordWebhook } from "~/metrics.server";
import { verifyWebhook, WebhookSignatureError } from "~/payments/stripe.server";
import { processStripeEvent } from "~/payments/webhooks.server";

const log = () => jobLogger("webhooks");
const SAID = { processed: "appliquée", duplicate: "déjà reçue", ignored: "sans effet" } as const;

export async function loader() {
  return new Response(
    "Méthode non autorisée\u00a0: ce point d’accès reçoit les notifications de Stripe (POST).",
    {
      status: 405,
      headers: { Allow: "POST" },
    },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return loader();
  const raw = await request.text();
  let event;
  try {
    event = verifyWebhook(raw, request.headers.get("stripe-signature"));
  } catch (error) {
    const reason = error instanceof WebhookSignatureError ? error.message : "invalid payload";
    recordWebhook(undefined, "invalid_signature");
    log().warn({ reason }, "Notification Stripe refusée : signature invalide.");
    return new Response(`Signature invalide${NBSP}: ${reason}`, { status: 400 });
  }
  try {
    const outcome = await processStripeEvent(database().db, event);
    if (outcome === "processed") kickEmailDelivery();
    recordWebhook(event.type, outcome);
    log().info(
      { eventId: event.id, type: event.type, outcome },
      `Notification Stripe ${event.type} ${SAID[outcome]}.`,
    );
    return Response.json({ received: true, outcome }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    recordWebhook(event.type, "failed");
    log().error(
      { eventId: event.id, type: event.type, err: error },
      `Notification Stripe ${event.type} non appliquée ; Stripe la renverra.`,
    );
    return new Response("Erreur lors du traitement de la notification\u202f; elle sera renvoyée.", {
      status: 500,
    });
  }
}
