/**
 * Demo mode only: the local page that stands in for Stripe's hosted Checkout.
 * Paying here makes the Stripe stand-in (app/demo/stripe-api.server.ts) build the events
 * Stripe would send, and posts them, signed, to the platform's real webhook
 * endpoint: the production webhook code runs.
 */
import { readForm } from "~/forms.server";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, redirect, useActionData, useLoaderData } from "@remix-run/react";
import { config } from "~/config.server";
import { database } from "~/db.server";
import { formatEuros } from "~/domain/format";
import { demoCheckoutContribution, isDemoIntent, runDemoCheckout } from "~/payments/demo-checkout.server";
import { stripe } from "~/payments/stripe.server";
import { requestedReceiptFigure } from "~/receipts-forms/offer.server";
import { checkoutQuote } from "~/matching/offer.server";
import { ALL_OR_NOTHING_MATCH, quoteSentence } from "~/domain/matching-text";

export const meta: MetaFunction = () => [{ title: "Paiement (démonstration) — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

function demoOnly() {
  if (!config().demoMode) throw new Response("Page introuvable.", { status: 404 });
}

async function loadSession(id: string) {
  if (!/^cs_test_[a-f0-9]{1,64}$/.test(id))
    throw new Response("Session de paiement introuvable.", { status: 404 });
  try {
    return await stripe().checkout.sessions.retrieve(id);
  } catch {
    throw new Response("Session de paiement introuvable ou expirée.", { status: 404 });
  }
}

export async function loader({ params }: LoaderFunctionArgs) {
  demoOnly();
  const session = await loadSession(params.id ?? "");
  const contributionId = Number(session.client_reference_id);
  const row = await demoCheckoutContribution(database().db, contributionId);
  return {
    id: session.id,
    status: session.status,
    amountCents: session.amount_total ?? 0,
    campaignTitle: row?.title ?? "",
    email: session.customer_email ?? row?.email ?? "",
    cancelUrl: session.cancel_url ?? "/",
    taxReceipt: await requestedReceiptFigure(database().db, contributionId),
    // Said before paying, for this amount and this person; the reservation at payment decides.
    matching:
      session.status === "open"
        ? await checkoutQuote(database().db, contributionId).then((q) =>
            q ? { sentence: quoteSentence(q.quote, q.offer), matched: q.quote.amountCents > 0 } : null,
          )
        : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  demoOnly();
  const session = await loadSession(params.id ?? "");
  if (session.status !== "open") {
    return { error: "Cette session de paiement n’est plus ouverte." };
  }
  const intent = (await readForm(request)).get("intent");
  if (!isDemoIntent(intent)) return { error: "Action inconnue." };
  await runDemoCheckout(session.id, intent, new URL("/webhooks/stripe", request.url).href);
  if (intent === "decline")
    return {
      error: "Votre carte a été refusée (carte de test). Essayez à nouveau ou abandonnez le paiement.",
    };
  if (intent === "cancel") return redirect(session.cancel_url ?? "/");
  return redirect((session.success_url ?? "/").replace("{CHECKOUT_SESSION_ID}", session.id));
}

export default function DemoCheckout() {
  const s = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="container page prose-page">
      <p className="demo-checkout__label">
        <strong>Mode démonstration — aucun paiement réel.</strong> Cette page remplace la page de paiement de
        Stripe.
      </p>
      <h1>Paiement de votre contribution</h1>
      <dl className="panel panel__figures">
        <div>
          <dt>Projet</dt>
          <dd>{s.campaignTitle}</dd>
        </div>
        <div>
          <dt>Montant</dt>
          <dd>{formatEuros(s.amountCents)}</dd>
        </div>
        <div>
          <dt>Reçu envoyé à</dt>
          <dd>{s.email}</dd>
        </div>
      </dl>
      {s.taxReceipt ? (
        <p className="receipt-preview">
          Vous avez demandé un reçu fiscal. <strong>{s.taxReceipt.headline}</strong> {s.taxReceipt.detail}
        </p>
      ) : null}
      {s.matching?.sentence ? (
        <div className="matching-offer" id="abondement">
          <p className="matching-quote">{s.matching.sentence}</p>
          {s.matching.matched ? <p className="hint">{ALL_OR_NOTHING_MATCH}</p> : null}
        </div>
      ) : null}
      {actionData?.error ? (
        <p className="form-error" role="alert">
          {actionData.error}
        </p>
      ) : null}
      {s.status === "open" ? (
        <Form method="post" className="demo-checkout__actions">
          <button type="submit" name="intent" value="pay" className="button">
            Payer {formatEuros(s.amountCents)} (carte de test acceptée)
          </button>
          <button type="submit" name="intent" value="pay_async" className="button button--secondary">
            Payer par prélèvement (confirmation différée)
          </button>
          <button type="submit" name="intent" value="decline" className="button button--secondary">
            Simuler une carte refusée
          </button>
          <button type="submit" name="intent" value="cancel" className="button button--secondary">
            Abandonner le paiement
          </button>
        </Form>
      ) : (
        <p>
          Cette session de paiement est terminée. <a href={s.cancelUrl}>Revenir au projet</a>.
        </p>
      )}
    </div>
  );
}
