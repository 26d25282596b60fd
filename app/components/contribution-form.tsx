import { Form, useLocation, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { formatEuros, formatInteger } from "~/domain/format";
import { parseEurosToCents } from "~/domain/money";
import { RECEIPT_COUNTRIES, reductionSentence, type ReceiptOffer } from "~/domain/receipt-forms";
import type { MatchingOffer } from "~/domain/matching-text";
import { Checkbox, describedBy, ErrorSummary, Field, FieldError, Select, TextArea } from "./form";
import { MatchingQuote } from "./matching-offer";

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
    recu?: boolean;
    recu_prenom?: string;
    recu_nom?: string;
    recu_rue?: string;
    recu_code_postal?: string;
    recu_ville?: string;
    recu_pays?: string;
  };
  errors?: Partial<Record<FormField, string>>;
  formError?: string;
}

type ReceiptField = "recu_prenom" | "recu_nom" | "recu_rue" | "recu_code_postal" | "recu_ville" | "recu_pays";
type FormField = "montant" | "contrepartie" | "email" | "nom" | "message" | ReceiptField;

const FIELD_LABELS: Record<FormField, string> = {
  contrepartie: "Contrepartie",
  montant: "Montant",
  email: "Adresse électronique",
  nom: "Nom affiché",
  message: "Message de soutien",
  recu_prenom: "Prénom",
  recu_nom: "Nom de famille",
  recu_rue: "Adresse",
  recu_code_postal: "Code postal",
  recu_ville: "Commune",
  recu_pays: "Pays",
};

/** The example shown before an amount is typed (and without JavaScript). */
const EXAMPLE_CENTS = 100_00;

/**
 * « Je souhaite un reçu fiscal »: the donor's name and address, and what the gift costs after the
 * tax reduction — computed live as the amount or the reward changes, an example until then.
 */
function ReceiptRequest({
  offer,
  amountCents,
  rewardValueCents,
  v,
  errors,
}: {
  offer: ReceiptOffer;
  amountCents: number | null;
  rewardValueCents: number;
  v: ContributionFormState["values"];
  errors: Partial<Record<FormField, string>>;
}) {
  const figure =
    amountCents !== null && amountCents > 0
      ? reductionSentence(amountCents, rewardValueCents, offer.taxStatus, offer.helpCeilingCents)
      : null;
  const example = reductionSentence(EXAMPLE_CENTS, 0, offer.taxStatus, offer.helpCeilingCents);
  return (
    <fieldset className="receipt-request">
      <legend>Reçu fiscal</legend>
      <p className="hint" id="c-recu-rule">
        Cette structure peut émettre des reçus fiscaux&nbsp;: votre don ouvre droit à une réduction de votre
        impôt sur le revenu. Le montant déductible est votre don moins la valeur de la contrepartie choisie.
      </p>
      <p className="receipt-preview" aria-live="polite" id="c-recu-preview">
        {figure ? (
          <>
            <strong>{figure.headline}</strong> {figure.detail}
          </>
        ) : (
          <>Par exemple&nbsp;: {example.headline.charAt(0).toLowerCase() + example.headline.slice(1)}</>
        )}
      </p>
      <Checkbox
        id="c-recu"
        name="recu"
        label="Je souhaite un reçu fiscal"
        defaultChecked={v?.recu ?? false}
        hint="Il vous sera envoyé par courriel quand la campagne aura réussi. Les champs ci-dessous sont alors obligatoires&nbsp;: ils figurent sur le reçu."
      />
      <p className="hint">
        Les reçus sont délivrés aux particuliers seulement. Une entreprise ne peut pas obtenir de reçu par
        Propulsons (le reçu des entreprises, Cerfa 16216, n’est pas proposé)&nbsp;: ne demandez pas de reçu au
        nom d’une société.
      </p>
      <div className="receipt-request__fields">
        <Field
          id="c-recu_prenom"
          name="recu_prenom"
          label="Prénom"
          autoComplete="given-name"
          maxLength={60}
          defaultValue={v?.recu_prenom ?? ""}
          error={errors.recu_prenom}
        />
        <Field
          id="c-recu_nom"
          name="recu_nom"
          label="Nom de famille"
          autoComplete="family-name"
          maxLength={60}
          defaultValue={v?.recu_nom ?? ""}
          error={errors.recu_nom}
        />
        <Field
          id="c-recu_rue"
          name="recu_rue"
          label="Adresse (numéro et voie)"
          autoComplete="street-address"
          maxLength={120}
          defaultValue={v?.recu_rue ?? ""}
          error={errors.recu_rue}
        />
        <Field
          id="c-recu_code_postal"
          name="recu_code_postal"
          label="Code postal"
          autoComplete="postal-code"
          maxLength={12}
          defaultValue={v?.recu_code_postal ?? ""}
          error={errors.recu_code_postal}
          hint="5 chiffres pour une adresse en France."
        />
        <Field
          id="c-recu_ville"
          name="recu_ville"
          label="Commune"
          autoComplete="address-level2"
          maxLength={80}
          defaultValue={v?.recu_ville ?? ""}
          error={errors.recu_ville}
        />
        <Select
          id="c-recu_pays"
          name="recu_pays"
          label="Pays"
          autoComplete="country-name"
          defaultValue={v?.recu_pays ?? "France"}
          error={errors.recu_pays}
        >
          {RECEIPT_COUNTRIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </Select>
      </div>
    </fieldset>
  );
}

/** The contribution form: a plain POST form, so it works without JavaScript. */
export function ContributionForm({
  rewards,
  minCents,
  maxCents,
  state,
  defaultEmail = null,
  receiptOffer = null,
  matching = null,
}: {
  defaultEmail?: string | null;
  receiptOffer?: ReceiptOffer | null;
  /** the abondement a contribution made now would get */
  matching?: MatchingOffer | null;
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
  // The amount and reward as typed, for the live tax-reduction figure.
  const [typed, setTyped] = useState({ montant: v?.montant ?? "", contrepartie: v?.contrepartie ?? "" });
  const chosen = rewards.find((r) => String(r.id) === typed.contrepartie);
  const typedCents =
    typed.montant.trim() === "" ? (chosen?.minimumCents ?? null) : parseEurosToCents(typed.montant);
  const rewardValueCents = chosen && receiptOffer ? (receiptOffer.rewardValues[String(chosen.id)] ?? 0) : 0;
  // In the order of the fields on the page.
  const summary = (
    [
      "contrepartie",
      "montant",
      "recu_prenom",
      "recu_nom",
      "recu_rue",
      "recu_code_postal",
      "recu_ville",
      "recu_pays",
      "email",
      "nom",
      "message",
    ] as const
  )
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
        onChange={(e) => {
          const target = e.target as HTMLInputElement;
          if (target.name === "montant" || target.name === "contrepartie")
            setTyped((t) => ({ ...t, [target.name]: target.value }));
        }}
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
        {matching ? <MatchingQuote offer={matching} amountCents={typedCents} /> : null}
        {receiptOffer ? (
          <ReceiptRequest
            offer={receiptOffer}
            amountCents={typedCents}
            rewardValueCents={rewardValueCents}
            v={v}
            errors={errors}
          />
        ) : null}
        <Field
          id="c-email"
          label="Adresse électronique"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={v?.email ?? defaultEmail ?? ""}
          error={errors.email}
          hint="Pour vous envoyer votre reçu. Elle n’est jamais affichée."
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
          hint="Votre nom est remplacé par «&nbsp;Anonyme&nbsp;» sur la page publique. Si vous choisissez une contrepartie, le porteur de projet voit votre nom et votre adresse pour pouvoir vous la remettre."
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
          Paiement par carte bancaire avec Stripe (3-D Secure). Si l’objectif n’est pas atteint, vous êtes
          intégralement remboursé.
        </p>
      </Form>
    </section>
  );
}
