import { NBSP } from "~/domain/typography";
import { readForm } from "~/forms.server";
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { codeSchema, emailSchema, field } from "~/auth-forms.server";
import {
  completeSignIn,
  getSessionUser,
  requestSignIn,
  safeReturnPath,
  verifySignInCode,
} from "~/auth.server";
import { config } from "~/config.server";
import { database } from "~/db.server";
import { Field } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Se connecter — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

const signInAge = (minutes: number) =>
  minutes === 1 ? "plus d’une minute" : `plus de ${minutes}\u00a0minutes`;

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const retour = safeReturnPath(params.get("retour"));
  const user = await getSessionUser(request);
  // « confirmer »: an action that moves money asked for a fresh sign-in (requireFreshSignIn).
  if (user && params.has("confirmer"))
    return {
      retour,
      confirm: { email: user.email, age: signInAge(config().freshSignInMs / 60_000) },
    };
  if (user) throw redirect(retour);
  return { retour, confirm: null };
}

type ActionData =
  | { step: "email"; email: string; error: string }
  | { step: "code"; email: string; error?: string; sent: boolean };

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const retour = safeReturnPath(field(form, "retour"));
  const rawEmail = field(form, "email");
  const email = emailSchema.safeParse(rawEmail);
  if (!email.success) {
    return data<ActionData>(
      { step: "email", email: rawEmail, error: email.error.issues[0]?.message ?? "Adresse invalide." },
      { status: 400 },
    );
  }
  const db = database().db;
  if (field(form, "intent") === "code") {
    const code = codeSchema.safeParse(field(form, "code"));
    if (!code.success) {
      return data<ActionData>(
        { step: "code", email: email.data, sent: false, error: code.error.issues[0]?.message },
        { status: 400 },
      );
    }
    const result = await verifySignInCode(db, {
      email: email.data,
      code: code.data,
      ip: context.clientIp ?? "inconnue",
    });
    if (!result.ok)
      return data<ActionData>(
        { step: "code", email: email.data, sent: false, error: result.message },
        { status: "status" in result ? result.status : 400 },
      );
    return completeSignIn(request, db, result.userId, retour);
  }
  const sent = await requestSignIn(db, { email: email.data, ip: context.clientIp ?? "inconnue" });
  if (!sent.ok)
    return data<ActionData>({ step: "email", email: email.data, error: sent.message }, { status: 429 });
  return data<ActionData>({ step: "code", email: email.data, sent: true });
}

export default function SignInPage() {
  const { retour, confirm } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (result?.step === "code") {
    return (
      <div className="container page prose-page">
        <h1>Saisissez votre code</h1>
        {result.sent ? (
          <p className="outcome" role="status">
            Si l’adresse <strong>{result.email}</strong> est correcte, un courriel vient de lui être envoyé
            avec un lien de connexion et un code à 6 chiffres, valables 15 minutes.
          </p>
        ) : null}
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="code" />
          <input type="hidden" name="email" value={result.email} />
          <input type="hidden" name="retour" value={retour} />
          <Field
            id="code"
            name="code"
            label="Code reçu par courriel (6 chiffres)"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            required
            error={result.error}
            errorAlert
          />
          <button type="submit" className="button" disabled={busy}>
            Me connecter
          </button>
        </Form>
        <p>Vous pouvez aussi cliquer sur le lien du courriel.</p>
      </div>
    );
  }
  return (
    <div className="container page prose-page">
      {confirm ? (
        <>
          <h1>Confirmez votre identité</h1>
          <p className="outcome" role="status">
            {`Votre connexion date d’il y a ${confirm.age}. Avant une action qui engage de l’argent, comme annuler une campagne, confirmez votre identité avec un nouveau code${NBSP}: vous reviendrez ensuite à la page que vous quittez, où vous pourrez refaire votre demande.`}
          </p>
        </>
      ) : (
        <>
          <h1>Se connecter</h1>
          <p>
            Pas de mot de passe&nbsp;: indiquez votre adresse électronique, nous vous envoyons un lien et un
            code de connexion. Le compte est créé à la première connexion.
          </p>
        </>
      )}
      <Form method="post" className="stack">
        <input type="hidden" name="retour" value={retour} />
        <Field
          id="email"
          name="email"
          label="Adresse électronique"
          type="email"
          autoComplete="email"
          required
          defaultValue={result?.email ?? confirm?.email ?? ""}
          error={result?.error}
          errorAlert
        />
        <button type="submit" className="button" disabled={busy}>
          Recevoir mon lien de connexion
        </button>
      </Form>
    </div>
  );
}
