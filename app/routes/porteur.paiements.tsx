/** POST: send the holder to Stripe's onboarding for one of their structures. */
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { readForm } from "~/forms.server";
import { onboardingLink } from "~/holder/onboarding.server";

export async function loader() {
  return redirect("/porteur");
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const structure = Number((await readForm(request)).get("structure"));
  const url = Number.isSafeInteger(structure)
    ? await onboardingLink(database().db, user.id, structure)
    : null;
  if (!url) throw new Response("Structure introuvable.", { status: 404 });
  return redirect(url, 303);
}
