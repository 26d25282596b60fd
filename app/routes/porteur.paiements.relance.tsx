/** Stripe's onboarding link expired or was already used: make a new one and go back there. */
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { onboardingLink } from "~/holder/onboarding.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const structure = Number(new URL(request.url).searchParams.get("structure"));
  const url = Number.isSafeInteger(structure)
    ? await onboardingLink(database().db, user.id, structure)
    : null;
  if (!url) throw new Response("Structure introuvable.", { status: 404 });
  return redirect(url);
}
