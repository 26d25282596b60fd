import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { clearedSessionCookie, requireFreshSignIn, requireUser } from "~/auth.server";
import { deleteAccount, deletionBlockers } from "~/account/rights.server";
import { isFreshSignIn } from "~/account/sessions.server";
import { Checkbox, ErrorSummary } from "~/components/form";
import { config } from "~/config.server";
import { database } from "~/db.server";
import { field, readForm } from "~/forms.server";
import { retentionPeriods } from "~/retention.server";

export const meta: MetaFunction = () => [{ title: "Supprimer mon compte — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = database().db;
  return {
    email: user.email,
    blockers: await deletionBlockers(db, user.id),
    fresh: await isFreshSignIn(request),
    freshMinutes: config().freshSignInMs / 60_000,
    accountingYears: retentionPeriods().accountingYears,
    receiptYears: retentionPeriods().receiptYears,
  };
}

type ActionData = { deleted: true } | { deleted: false; error?: string; blockers?: string[] };

/**
 * Once the account is deleted, this page's loader would send the signed-out visitor to the
 * sign-in page before « Compte supprimé » shows: only the layout (signed out now) is read again.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  (actionResult as ActionData | undefined)?.deleted ? false : defaultShouldRevalidate;

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  const form = await readForm(request);
  await requireFreshSignIn(request);
  const user = await requireUser(request);
  if (field(form, "confirmer") !== "oui")
    return data<ActionData>(
      { deleted: false, error: "Cochez la case pour confirmer la suppression de votre compte." },
      { status: 400 },
    );
  const r = await deleteAccount(database().db, user.id);
  if (!r.ok) return data<ActionData>({ deleted: false, blockers: r.reasons }, { status: 409 });
  return data<ActionData>({ deleted: true }, { headers: { "Set-Cookie": clearedSessionCookie() } });
}

export default function DeleteAccount() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.deleted)
    return (
      <div className="container page prose-page">
        <h1>Compte supprimé</h1>
        <p className="outcome" role="status">
          Votre compte est supprimé et vous êtes déconnecté. Votre nom, votre adresse et vos messages sont
          effacés.
        </p>
        <p>
          Les montants et dates de vos paiements restent, sans votre nom, dans la comptabilité, et vos reçus
          fiscaux pendant {loaded.receiptYears}&nbsp;ans après leur délivrance, comme la loi l’impose.
        </p>
        <p>
          <Link to="/">Retour à l’accueil</Link>
        </p>
      </div>
    );
  const blockers = result?.blockers ?? loaded.blockers;
  return (
    <div className="container page prose-page">
      <h1>Supprimer mon compte</h1>
      <p>Supprimer le compte {loaded.email}&nbsp;:</p>
      <ul>
        <li>
          efface votre nom, votre adresse électronique, vos sessions, vos abonnements et vos messages&#x202f;;
        </li>
        <li>
          garde, sans votre nom, les montants, dates et identifiants de vos paiements (obligations
          comptables)&#x202f;;
        </li>
        <li>
          garde vos reçus fiscaux pendant {loaded.receiptYears}&nbsp;ans après leur délivrance et leurs
          demandes pendant {loaded.accountingYears}&nbsp;ans, puis efface votre nom et votre adresse&#x202f;;
        </li>
        <li>garde vos structures et leurs campagnes publiées, sans lien vers vous.</li>
      </ul>
      <p>
        C’est définitif. Pensez à <a href="/mon-compte/donnees.json">télécharger vos données</a> avant.
      </p>
      {blockers.length > 0 ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <h2>Vous ne pouvez pas encore supprimer votre compte</h2>
          <ul>
            {blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </div>
      ) : !loaded.fresh ? (
        <>
          <p>
            Pour supprimer votre compte, confirmez d’abord votre identité avec un nouveau code (votre
            connexion date de plus de {loaded.freshMinutes}&nbsp;minutes).
          </p>
          <p>
            <Link className="button" to="/connexion?retour=%2Fmon-compte%2Fsuppression&confirmer=1">
              Confirmer mon identité
            </Link>
          </p>
        </>
      ) : (
        <Form method="post" noValidate>
          <ErrorSummary entries={result?.error ? [{ target: "sup-confirmer", message: result.error }] : []} />
          <Checkbox
            id="sup-confirmer"
            name="confirmer"
            value="oui"
            label="Je confirme vouloir supprimer mon compte, définitivement."
          />
          <button type="submit" className="button button--danger">
            Supprimer mon compte
          </button>
        </Form>
      )}
      <p>
        <Link to="/mon-compte">Retour à mon compte</Link>
      </p>
    </div>
  );
}
