/** « Contact »: a form that reaches the platform's team (app/legal/contact.server.ts). Works without JavaScript. */
import { data, type ActionFunctionArgs, type HeadersFunction, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorSummary, Field, Select, TextArea, type SummaryEntry } from "~/components/form";
import { config } from "~/config.server";
import { database } from "~/db.server";
import { kickEmailDelivery } from "~/email.server";
import { readForm } from "~/forms.server";
import { formatInteger } from "~/domain/format";
import { CONTACT_SUBJECTS, HONEYPOT_FIELD, MESSAGE_MAX, type ContactField } from "~/legal/contact";
import { submitContact } from "~/legal/contact.server";

export const meta: MetaFunction = () => [{ title: "Contact — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export function loader() {
  return { contactEmail: config().contactEmail, subjects: Object.entries(CONTACT_SUBJECTS) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const result = await submitContact(database().db, form, { ip: context.clientIp ?? "inconnue" });
  if (!result.ok) return data(result, { status: result.status });
  kickEmailDelivery();
  return result;
}

const LABELS: Record<ContactField, string> = {
  name: "Votre nom",
  email: "Votre adresse électronique",
  subject: "Objet",
  message: "Votre message",
};
const IDS: Record<ContactField, string> = {
  name: "k-nom",
  email: "k-email",
  subject: "k-objet",
  message: "k-message",
};

export default function Contact() {
  const { contactEmail, subjects } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (result?.ok) {
    return (
      <div className="container page prose-page">
        <h1>Message reçu</h1>
        <p className="outcome" role="status">
          Votre message a bien été reçu et enregistré (référence contact n°&nbsp;{result.reference}). L’équipe
          de la plateforme le lira et vous répondra à l’adresse <strong>{result.email}</strong>.
        </p>
        <p>
          <Link to="/">Revenir à l’accueil</Link>
        </p>
      </div>
    );
  }
  const errors = result?.errors ?? {};
  const values = result?.values;
  const entries: SummaryEntry[] = (Object.keys(LABELS) as ContactField[]).flatMap((k) =>
    errors[k] ? [{ target: IDS[k], label: LABELS[k], message: errors[k] }] : [],
  );
  return (
    <div className="container page prose-page">
      <h1>Contact</h1>
      <p>
        Une question sur une contribution, un projet, vos données personnelles ou l’accessibilité du
        site&#x202f;? Écrivez à l’équipe de la plateforme avec ce formulaire, ou par courriel à{" "}
        <a href={`mailto:${contactEmail}`}>{contactEmail}</a>. Pour une contribution, indiquez sa référence
        (PRP-…) si vous l’avez.
      </p>
      <ErrorSummary entries={entries} message={result?.message} />
      <Form method="post" className="stack" noValidate>
        <Field
          id={IDS.name}
          name="name"
          label={LABELS.name}
          autoComplete="name"
          maxLength={100}
          required
          defaultValue={values?.name ?? ""}
          error={errors.name}
        />
        <Field
          id={IDS.email}
          name="email"
          type="email"
          label={LABELS.email}
          hint="Pour vous répondre. Elle n’est utilisée pour rien d’autre."
          autoComplete="email"
          required
          defaultValue={values?.email ?? ""}
          error={errors.email}
        />
        <Select
          id={IDS.subject}
          name="subject"
          label={LABELS.subject}
          required
          defaultValue={values?.subject ?? ""}
          error={errors.subject}
        >
          <option value="">Choisissez l’objet</option>
          {subjects.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
        <TextArea
          id={IDS.message}
          name="message"
          label={LABELS.message}
          hint={`${formatInteger(MESSAGE_MAX)}\u00a0caractères au plus.`}
          rows={8}
          maxLength={MESSAGE_MAX}
          required
          defaultValue={values?.message ?? ""}
          error={errors.message}
        />
        <div className="visually-hidden" aria-hidden="true">
          <label htmlFor="k-site">Ne pas remplir</label>
          <input id="k-site" name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" />
        </div>
        <p className="hint">
          Votre message est conservé le temps d’y répondre, puis supprimé (voir la{" "}
          <Link to="/confidentialite">politique de confidentialité</Link>).
        </p>
        <button type="submit" className="button" disabled={busy}>
          Envoyer le message
        </button>
      </Form>
    </div>
  );
}
