/**
 * Demo mode only: the local page that stands in for Stripe Connect's hosted
 * onboarding. Finishing it sends a signed account.updated webhook to the platform.
 */
import {
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { config } from "~/config.server";
import { readForm } from "~/forms.server";
import { finishDemoOnboarding } from "~/payments/demo-onboarding.server";

export const meta: MetaFunction = () => [{ title: "Compte de paiement (démonstration) — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

/** Only addresses of this platform: never an open redirect. */
function ownUrl(request: Request, value: string | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.origin === new URL(config().publicUrl).origin || url.origin === new URL(request.url).origin
      ? url.href
      : null;
  } catch {
    return null;
  }
}

function read(request: Request, account: string | undefined) {
  if (!config().demoMode) throw new Response("Page introuvable.", { status: 404 });
  if (!account || !/^acct_[a-f0-9]{8,64}$/.test(account))
    throw new Response("Compte inconnu.", { status: 404 });
  const params = new URL(request.url).searchParams;
  const retour = ownUrl(request, params.get("retour"));
  const relance = ownUrl(request, params.get("relance"));
  if (!retour || !relance) throw new Response("Lien d’inscription invalide.", { status: 400 });
  return { account, retour, relance };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  return read(request, params.account);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { account, retour, relance } = read(request, params.account);
  const intent = (await readForm(request)).get("intent");
  if (intent === "expire") return redirect(relance);
  if (intent !== "finish") throw new Response("Action inconnue.", { status: 400 });
  await finishDemoOnboarding(account, new URL("/webhooks/stripe", request.url).href);
  return redirect(retour);
}

export default function DemoOnboarding() {
  const d = useLoaderData<typeof loader>();
  return (
    <div className="container page prose-page">
      <p className="demo-checkout__label">
        <strong>Mode démonstration — aucun paiement réel.</strong> Cette page remplace l’inscription Stripe
        Connect (identité, coordonnées bancaires).
      </p>
      <h1>Compte de paiement de votre structure</h1>
      <p>Compte Stripe&nbsp;: {d.account}</p>
      <Form method="post" className="demo-checkout__actions">
        <button type="submit" name="intent" value="finish" className="button">
          Terminer l’inscription (identité et coordonnées bancaires de test)
        </button>
        <button type="submit" name="intent" value="expire" className="button button--secondary">
          Simuler un lien expiré
        </button>
      </Form>
    </div>
  );
}
