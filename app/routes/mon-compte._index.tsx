import { NBSP } from "~/domain/typography";
import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser, sessionIdHash } from "~/auth.server";
import { activeSessions, changeDisplayName, closeSessions } from "~/account/rights.server";
import { Field } from "~/components/form";
import { database } from "~/db.server";
import { countOf, formatDateTime } from "~/domain/format";
import { field, readForm } from "~/forms.server";

export const meta: MetaFunction = () => [{ title: "Mon compte — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sessions = await activeSessions(database().db, user.id, sessionIdHash(request));
  return { user, sessions };
}

type ActionData = { form: "name"; error?: string; done?: string } | { form: "sessions"; done: string };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const db = database().db;
  const intent = field(form, "intent");
  if (intent === "name") {
    const r = await changeDisplayName(db, user.id, field(form, "nom"));
    if (!r.ok) return data<ActionData>({ form: "name", error: r.message }, { status: 400 });
    return data<ActionData>({
      form: "name",
      done: `Votre nom affiché est désormais «${NBSP}${r.name}${NBSP}».`,
    });
  }
  if (intent === "close-session") {
    const current = sessionIdHash(request);
    const target = field(form, "session");
    if (!target || target === current)
      throw new Response("Pour fermer cette session, utilisez «\u00a0Me déconnecter\u00a0».", {
        status: 400,
      });
    const n = await closeSessions(db, user.id, { one: target });
    return data<ActionData>({
      form: "sessions",
      done: n === 1 ? "La session est fermée." : "Cette session était déjà fermée.",
    });
  }
  if (intent === "close-others") {
    const n = await closeSessions(db, user.id, { allBut: sessionIdHash(request) });
    return data<ActionData>({
      form: "sessions",
      done:
        n === 0
          ? "Aucune autre session n’était ouverte."
          : `${countOf(n, "session fermée", "sessions fermées")}.`,
    });
  }
  throw new Response("Action inconnue.", { status: 400 });
}

export default function Account() {
  const { user, sessions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nameResult = result?.form === "name" ? result : undefined;
  const sessionsResult = result?.form === "sessions" ? result : undefined;
  const others = sessions.filter((s) => !s.current).length;
  return (
    <div className="container page prose-page">
      <h1>Mon compte</h1>
      <p>
        Vous êtes connecté avec l’adresse <strong>{user.email}</strong>.
      </p>
      <ul>
        <li>
          <Link to="/mon-compte/contributions">Mes contributions</Link>
        </li>
        <li>
          <Link to="/porteur">Espace porteur de projet</Link>&nbsp;: déclarer sa structure, suivre ses
          campagnes
        </li>
      </ul>

      <h2 id="nom">Nom affiché</h2>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="name" />
        <Field
          id="a-nom"
          name="nom"
          label="Nom affiché"
          hint="Il apparaît dans votre espace et, si vous le choisissez, sur les campagnes que vous soutenez."
          defaultValue={user.displayName}
          autoComplete="name"
          maxLength={80}
          required
          error={nameResult?.error}
          errorAlert
        />
        <button type="submit" className="button">
          Enregistrer le nom
        </button>
        {nameResult?.done ? (
          <p role="status" className="outcome">
            {nameResult.done}
          </p>
        ) : null}
      </Form>

      <h2>Adresse électronique</h2>
      <p>
        <Link to="/mon-compte/adresse">Changer d’adresse électronique</Link>&nbsp;: un code est envoyé à la
        nouvelle adresse, qui ne remplace l’ancienne qu’une fois le code saisi.
      </p>

      <h2 id="sessions">Sessions ouvertes</h2>
      {sessionsResult ? (
        <p role="status" className="outcome">
          {sessionsResult.done}
        </p>
      ) : null}
      <ul className="session-list">
        {sessions.map((s) => (
          <li key={s.idHash}>
            <strong>{s.device}</strong>
            {s.current ? " (cette session)" : null}
            <br />
            Ouverte le {formatDateTime(s.createdAt)}, dernière utilisation le {formatDateTime(s.lastUsedAt)}
            {s.current ? null : (
              <Form method="post">
                <input type="hidden" name="intent" value="close-session" />
                <input type="hidden" name="session" value={s.idHash} />
                <button type="submit" className="button button--secondary">
                  Fermer cette session<span className="visually-hidden"> ({s.device})</span>
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
      {others > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="close-others" />
          <button type="submit" className="button button--secondary">
            Fermer toutes les autres sessions
          </button>
        </Form>
      ) : null}
      <p>
        Vous pouvez aussi fermer toutes vos sessions, celle-ci comprise (par exemple après avoir utilisé un
        ordinateur partagé).
      </p>
      <Form method="post" action="/deconnexion">
        <input type="hidden" name="partout" value="oui" />
        <button type="submit" className="button button--secondary">
          Me déconnecter de tous mes appareils
        </button>
      </Form>

      <h2>Mes données</h2>
      <p>
        <a href="/mon-compte/donnees.json" download>
          Télécharger mes données
        </a>{" "}
        &nbsp;: un fichier JSON de tout ce que Propulsons détient sur vous (compte, sessions, contributions,
        reçus, structures et campagnes, abonnements, courriels envoyés).
      </p>
      <p>
        <Link to="/mon-compte/suppression">Supprimer mon compte</Link>
      </p>
    </div>
  );
}
