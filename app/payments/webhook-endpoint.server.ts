/**
 * Stripe's webhook endpoint: the signature is checked on the raw body; anything unsigned or
 * forged is a 400. A failure while applying the event is a 500, so Stripe delivers it again
 * (nothing was half written). The HTTP server (app/server.ts) answers POST /webhooks/stripe with
 * this directly, outside Remix's routing (docs/decisions/032-launch-spike.md); the route module
 * app/routes/webhooks.stripe.ts answers the other methods and calls it too.
 */
import { NBSP } from "~/domain/typography";
import { database } from "~/db.server";
import { kickEmailDelivery } from "~/email.server";
import { jobLogger } from "~/logger.server";
import { recordWebhook } from "~/metrics.server";
import { verifyWebhook, WebhookSignatureError } from "~/payments/stripe.server";
import { processStripeEvent } from "~/payments/webhooks.server";

const log = () => jobLogger("webhooks");
const SAID = { processed: "appliquée", duplicate: "déjà reçue", ignored: "sans effet" } as const;

/** The answer to a delivery of `raw` signed `signature` (its Stripe-Signature header). */
export async function answerStripeWebhook(raw: string, signature: string | null): Promise<Response> {
  let event;
  try {
    event = verifyWebhook(raw, signature);
  } catch (error) {
    const reason = error instanceof WebhookSignatureError ? error.message : "invalid payload";
    recordWebhook(undefined, "invalid_signature");
    log().warn({ reason }, "Notification Stripe refusée : signature invalide.");
    return new Response(`Signature invalide${NBSP}: ${reason}`, { status: 400 });
  }
  try {
    // Resolved once committed: in a launch, deliveries that arrive together share one commit.
    const { db, transact } = database();
    const outcome = await processStripeEvent(db, event, { transact });
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
