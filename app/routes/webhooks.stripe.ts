/**
 * /webhooks/stripe — Stripe's webhook endpoint (app/payments/webhook-endpoint.server.ts). The
 * HTTP server answers its POSTs itself, outside Remix (app/server.ts); this route answers the
 * other methods with a 405, and a POST that reaches it (tests calling the action) the same way.
 * The server read the body within MAX_WEBHOOK_BYTES (app/body-limit.server.ts) before either runs.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { answerStripeWebhook } from "~/payments/webhook-endpoint.server";

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
  return answerStripeWebhook(await request.text(), request.headers.get("stripe-signature"));
}
