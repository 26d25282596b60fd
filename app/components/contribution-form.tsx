import { Form, useNavigation } from "@remix-run/react";
import { formatEuros, formatInteger } from "~/domain/format";

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
  const busy = navigation.state === "submitting";
  const v = state?.values;
  const errors = state?.errors ?? {};
  // In the order of the fields on the page.
  const errorEntries = (["contrepartie", "montant", "email", "nom", "message"] as const)
    .filter((field) => Boolean(errors[field]))
    .map((field) => [field, errors[field]!] as const);
  const err = (field: keyof typeof errors) =>
    errors[field] ? (
      <p className="field-error" id={`c-${field}-error`}>
        {errors[field]}
      </p>
    ) : null;
  const describedBy = (field: keyof typeof errors, hint?: string) =>
    [hint, errors[field] ? `c-${field}-error` : undefined].filter(Boolean).join(" ") || undefined;

  return (
    <section className="contribute" id="contribuer" aria-labelledby="contribute-title">
      <h2 id="contribute-title">Contribuer</h2>
      {state?.formError ? (
        <p className="form-error" role="alert">
          {state.formError}
        </p>
      ) : null}
      {errorEntries.length > 0 ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <h3>
            Le formulaire contient{" "}
            {errorEntries.length === 1 ? "une erreur" : `${formatInteger(errorEntries.length)} erreurs`}
          </h3>
          <ul>
            {errorEntries.map(([field, message]) => (
              <li key={field}>
                <a href={`#c-${field}`}>
                  {FIELD_LABELS[field]} : {message}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" noValidate preventScrollReset={false}>
        {rewards.length > 0 ? (
          <fieldset aria-describedby={errors.contrepartie ? "c-contrepartie-error" : undefined}>
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
            {err("contrepartie")}
          </fieldset>
        ) : null}

        <div className="field">
          <label htmlFor="c-montant">Montant en euros</label>
          <input
            id="c-montant"
            name="montant"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            defaultValue={v?.montant ?? ""}
            aria-invalid={errors.montant ? true : undefined}
            aria-describedby={describedBy("montant", "c-montant-hint")}
          />
          <p className="hint" id="c-montant-hint">
            Entre {formatEuros(minCents)} et {formatEuros(maxCents)}. Avec une contrepartie, au moins son
            montant minimum (laissez vide pour le montant minimum).
          </p>
          {err("montant")}
        </div>

        <div className="field">
          <label htmlFor="c-email">Adresse électronique</label>
          <input
            id="c-email"
            name="email"
            type="email"
            autoComplete="email"
            required
            defaultValue={v?.email ?? defaultEmail ?? ""}
            aria-invalid={errors.email ? true : undefined}
            aria-describedby={describedBy("email", "c-email-hint")}
          />
          <p className="hint" id="c-email-hint">
            Pour vous envoyer votre reçu. Elle n'est jamais affichée.
          </p>
          {err("email")}
        </div>

        <div className="field">
          <label htmlFor="c-nom">Nom affiché sur la page du projet</label>
          <input
            id="c-nom"
            name="nom"
            type="text"
            autoComplete="name"
            maxLength={60}
            defaultValue={v?.nom ?? ""}
            aria-invalid={errors.nom ? true : undefined}
            aria-describedby={describedBy("nom")}
          />
          {err("nom")}
        </div>

        <div className="choice">
          <input
            id="c-anonyme"
            name="anonyme"
            type="checkbox"
            defaultChecked={v?.anonyme ?? false}
            aria-describedby="c-anonyme-hint"
          />
          <div>
            <label htmlFor="c-anonyme">Apparaître anonymement</label>
            <p className="hint" id="c-anonyme-hint">
              Votre nom est remplacé par « Anonyme » sur la page publique. Si vous choisissez une
              contrepartie, le porteur de projet voit votre nom et votre adresse pour pouvoir vous la
              remettre.
            </p>
          </div>
        </div>
        <div className="choice">
          <input id="c-masquer" name="masquer" type="checkbox" defaultChecked={v?.masquer ?? false} />
          <label htmlFor="c-masquer">Masquer le montant de ma contribution</label>
        </div>

        <div className="field">
          <label htmlFor="c-message">Message de soutien (facultatif)</label>
          <textarea
            id="c-message"
            name="message"
            rows={3}
            maxLength={500}
            defaultValue={v?.message ?? ""}
            aria-invalid={errors.message ? true : undefined}
            aria-describedby={describedBy("message", "c-message-hint")}
          />
          <p className="hint" id="c-message-hint">
            500 caractères au plus, affiché publiquement.
          </p>
          {err("message")}
        </div>

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
