/**
 * The link from the sign-in e-mail. Opening it only shows a button: the token
 * is consumed by the POST, so a mail client that prefetches links cannot use it up.
 */
import { readForm } from "~/forms.server";
import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { field } from "~/auth-forms.server";
import { completeSignIn, verifySignInLink } from "~/auth.server";
import { database } from "~/db.server";

export const meta: MetaFunction = () => [{ title: "Connexion — Propulsons" }];
// The token is in this page's URL: never send it to another site (same-origin only;
// « no-referrer » would make browsers send « Origin: null » with the form, refused as cross-site).
export const headers: HeadersFunction = () => ({
  "Cache-Control": "private, no-store",
  "Referrer-Policy": "same-origin",
});

export async function loader({ request }: LoaderFunctionArgs) {
  return { jeton: new URL(request.url).searchParams.get("jeton") ?? "" };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const result = await verifySignInLink(database().db, field(form, "jeton"));
  if (!result.ok) return data({ error: result.message }, { status: 400 });
  return completeSignIn(request, database().db, result.userId, "/mon-compte");
}

export default function VerifyLink() {
  const { jeton } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="container page prose-page">
      <h1>Connexion à Propulsons</h1>
      {result?.error ? (
        <p className="form-error" role="alert">
          {result.error} <Link to="/connexion">Demander un nouveau lien</Link>
        </p>
      ) : null}
      <Form method="post">
        <input type="hidden" name="jeton" value={jeton} />
        <button type="submit" className="button">
          Me connecter
        </button>
      </Form>
    </div>
  );
}
