import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { confirmEmailChange, pendingEmailChange, requestEmailChange } from "~/account/rights.server";
import { Field } from "~/components/form";
import { database } from "~/db.server";
import { field, readForm } from "~/forms.server";

export const meta: MetaFunction = () => [{ title: "Changer d’adresse électronique — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { email: user.email, pending: await pendingEmailChange(database().db, user.id) };
}

type ActionData =
  | { step: "email"; value: string; error: string }
  | { step: "code"; sentTo?: string; error?: string }
  | { step: "done"; email: string };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const db = database().db;
  if (field(form, "intent") === "code") {
    const r = await confirmEmailChange(db, { userId: user.id, code: field(form, "code") });
    if (!r.ok) return data<ActionData>({ step: "code", error: r.message }, { status: r.status });
    return data<ActionData>({ step: "done", email: r.newEmail });
  }
  const value = field(form, "email");
  const r = await requestEmailChange(db, { userId: user.id, email: value });
  if (!r.ok) return data<ActionData>({ step: "email", value, error: r.message }, { status: r.status });
  return data<ActionData>({ step: "code", sentTo: r.newEmail });
}

export default function ChangeEmail() {
  const { email, pending } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.step === "done")
    return (
      <div className="container page prose-page">
        <h1>Changer d’adresse électronique</h1>
        <p className="outcome" role="status">
          Votre compte utilise désormais l’adresse <strong>{result.email}</strong>. L’ancienne adresse a été
          prévenue.
        </p>
        <p>
          <Link to="/mon-compte">Retour à mon compte</Link>
        </p>
      </div>
    );
  const waitingFor = result?.step === "code" ? (result.sentTo ?? pending?.newEmail) : pending?.newEmail;
  return (
    <div className="container page prose-page">
      <h1>Changer d’adresse électronique</h1>
      <p>
        Adresse actuelle&nbsp;: <strong>{email}</strong>. Elle reste celle de votre compte tant que la
        nouvelle n’est pas confirmée.
      </p>
      {waitingFor && result?.step !== "email" ? (
        <>
          <h2>Saisir le code</h2>
          {result?.step === "code" && result.sentTo ? (
            <p className="outcome" role="status">
              Si cette adresse peut être utilisée, un code vient d’être envoyé à{" "}
              <strong>{result.sentTo}</strong>.
            </p>
          ) : (
            <p>
              Un code a été envoyé à <strong>{waitingFor}</strong>.
            </p>
          )}
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="code" />
            <Field
              id="ad-code"
              name="code"
              label="Code reçu à la nouvelle adresse"
              hint="6 chiffres, valables 30 minutes."
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              required
              error={result?.step === "code" ? result.error : undefined}
              errorAlert
            />
            <button type="submit" className="button">
              Confirmer la nouvelle adresse
            </button>
          </Form>
          <h2>Une autre adresse</h2>
        </>
      ) : null}
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="email" />
        <Field
          id="ad-email"
          name="email"
          type="email"
          label="Nouvelle adresse électronique"
          hint="Format attendu&nbsp;: prenom.nom@exemple.fr"
          autoComplete="email"
          required
          defaultValue={result?.step === "email" ? result.value : ""}
          error={result?.step === "email" ? result.error : undefined}
          errorAlert
        />
        <button type="submit" className="button">
          Recevoir un code à cette adresse
        </button>
      </Form>
      <p>
        <Link to="/mon-compte">Retour à mon compte</Link>
      </p>
    </div>
  );
}
