import { readForm } from "~/forms.server";
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { clearedSessionCookie, revokeSessions } from "~/auth.server";
import { field } from "~/auth-forms.server";

export async function loader() {
  return redirect("/");
}

/** Sign out here (the session is revoked server-side), or everywhere. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  await revokeSessions(request, field(form, "partout") === "oui" ? "all" : "this");
  return redirect("/", { headers: { "Set-Cookie": clearedSessionCookie() } });
}
