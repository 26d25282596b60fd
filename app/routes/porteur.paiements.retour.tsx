/** Back from Stripe's onboarding: record whether the account can now receive transfers. */
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { refreshAccountState } from "~/holder/onboarding.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const structure = Number(new URL(request.url).searchParams.get("structure"));
  const state = Number.isSafeInteger(structure)
    ? await refreshAccountState(database().db, user.id, structure)
    : null;
  if (!state) throw new Response("Structure introuvable.", { status: 404 });
  return redirect(`/porteur?paiements=${state === "ready" ? "pret" : "en-cours"}`);
}
