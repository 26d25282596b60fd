import { Form, useLocation, useNavigation } from "@remix-run/react";
import { formatEuros, formatInteger } from "~/domain/format";
import { Checkbox, describedBy, ErrorSummary, Field, FieldError, TextArea } from "./form";

export interface FormReward {
  id: number;
  title: string;
  minimumCents: number;
  remaining: number | null;
}

export interface ContributionFormState {
  values?: {
    montant: string;
    contrepartie: string;
    email: string;
    nom: string;
    anonyme: boolean;
    masquer: boolean;
    message: string;
  };
  errors?: Partial<Record<"montant" | "contrepartie" | "email" | "nom" | "message", string>>;
  formError?: string;
}

const FIELD_LABELS: Record<string, string> = {
  contrepartie: "Contrepartie",
  montant: "Montant",
  email: "Adresse électronique",
  nom: "Nom affiché",
  message: "Message de soutien",
};

/** The contribution form: a plain POST form, so it works without JavaScript. */
export function ContributionForm({
  rewards,
  minCents,
  maxCents,
  state,
  defaultEmail = null,
}: {
  defaultEmail?: string | null;
  rewards: FormReward[];
  minCents: number;
  maxCents: number;
  state: ContributionFormState | undefined;
}) {
  const navigation = useNavigation();
  const location = useLocation();
  const busy = navigation.state === "submitting";
  const v = state?.values;
  const errors = state?.errors ?? {};
  // In the order of the fields on the page.
  const summary = (["contrepartie", "montant", "email", "nom", "message"] as const)
    .filter((field) => Boolean(errors[field]))
    .map((field) => ({ target: `c-${field}`, label: FIELD_LABELS[field], message: errors[field]! }));

  return (
    <section className="contribute" id="contribuer" aria-labelledby="contribute-title">
      <h2 id="contribute-title">Contribuer</h2>
      {state?.formError ? (
        <p className="form-error" role="alert">
          {state.formError}
        </p>
      ) : null}
      <ErrorSummary entries={summary} heading="h3" />
      {/* The answer opens at #contribuer: without JavaScript its error summary is on the first screen. */}
      <Form
        method="post"
        action={`${location.pathname}${location.search}#contribuer`}
        noValidate
        preventScrollReset={false}
      >
        {rewards.length > 0 ? (
          <fieldset aria-describedby={describedBy("c-contrepartie", { error: errors.contrepartie })}>
            <legend id="c-contrepartie">Contrepartie</legend>
            <div className="choice">
              <input
                type="radio"
                id="c-reward-none"
                name="contrepartie"
                value=""
                defaultChecked={!v || v.contrepartie === ""}
              />
              <label htmlFor="c-reward-none">Sans contrepartie</label>
            </div>
            {rewards.map((r) => {
              const soldOut = r.remaining === 0;
              return (
                <div className="choice" key={r.id}>
                  <input
                    type="radio"
                    id={`c-reward-${r.id}`}
                    name="contrepartie"
                    value={String(r.id)}
                    disabled={soldOut}
                    defaultChecked={v?.contrepartie === String(r.id)}
                  />
                  <label htmlFor={`c-reward-${r.id}`}>
                    {r.title} — à partir de {formatEuros(r.minimumCents)}
                    {soldOut
                      ? " (épuisé)"
                      : r.remaining !== null
                        ? ` (${formatInteger(r.remaining)} restant${r.remaining > 1 ? "s" : ""})`
                        : ""}
                  </label>
                </div>
              );
            })}
            <FieldError id="c-contrepartie" message={errors.contrepartie} />
          </fieldset>
        ) : null}

        <Field
          id="c-montant"
          label="Montant en euros"
          name="montant"
          type="text"
          inputMode="decimal"
          autoComplete="off"
          defaultValue={v?.montant ?? ""}
          error={errors.montant}
          hint={
            <>
              Entre {formatEuros(minCents)} et {formatEuros(maxCents)}. Avec une contrepartie, au moins son
              montant minimum (laissez vide pour le montant minimum).
            </>
          }
        />
        <Field
          id="c-email"
          label="Adresse électronique"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={v?.email ?? defaultEmail ?? ""}
          error={errors.email}
          hint="Pour vous envoyer votre reçu. Elle n'est jamais affichée."
        />
        <Field
          id="c-nom"
          label="Nom affiché sur la page du projet"
          name="nom"
          type="text"
          autoComplete="name"
          maxLength={60}
          defaultValue={v?.nom ?? ""}
          error={errors.nom}
        />
        <Checkbox
          id="c-anonyme"
          name="anonyme"
          label="Apparaître anonymement"
          defaultChecked={v?.anonyme ?? false}
          hint="Votre nom est remplacé par « Anonyme » sur la page publique. Si vous choisissez une contrepartie, le porteur de projet voit votre nom et votre adresse pour pouvoir vous la remettre."
        />
        <Checkbox
          id="c-masquer"
          name="masquer"
          label="Masquer le montant de ma contribution"
          defaultChecked={v?.masquer ?? false}
        />
        <TextArea
          id="c-message"
          label="Message de soutien (facultatif)"
          name="message"
          rows={3}
          maxLength={500}
          defaultValue={v?.message ?? ""}
          error={errors.message}
          hint="500 caractères au plus, affiché publiquement."
        />

        <button type="submit" className="button" disabled={busy}>
          {busy ? "Redirection vers le paiement…" : "Continuer vers le paiement sécurisé"}
        </button>
        <p className="hint">
          Paiement par carte bancaire avec Stripe (3-D Secure). Si l'objectif n'est pas atteint, vous êtes
          intégralement remboursé.
        </p>
      </Form>
    </section>
  );
}
