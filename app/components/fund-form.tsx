/**
 * The staff's form of an abondement fund (create, and change its rules while nothing was matched).
 * Plain POST form (works without JavaScript); ids « a-<field> » (docs/decisions/021).
 */
import { Form } from "@remix-run/react";
import { ErrorSummary, Field, FieldError, TextArea, describedBy } from "./form";

type FundField =
  | "nom"
  | "enveloppe"
  | "ratio"
  | "plafond_campagne"
  | "plafond_contribution"
  | "par_citoyen"
  | "debut"
  | "fin"
  | "perimetre"
  | "annee"
  | "conditions";

export type FundFormValues = Record<FundField, string>;

const LABELS: Record<FundField, string> = {
  nom: "Nom du fonds",
  enveloppe: "Enveloppe",
  ratio: "Abondement pour 1 € donné",
  plafond_campagne: "Plafond par campagne",
  plafond_contribution: "Plafond par contribution",
  par_citoyen: "Contributions abondées par personne",
  debut: "Date d’ouverture",
  fin: "Date de clôture",
  perimetre: "Périmètre",
  annee: "Année du Budget Citoyen",
  conditions: "Conditions pour le porteur",
};

const ORDER: FundField[] = [
  "nom",
  "enveloppe",
  "ratio",
  "plafond_campagne",
  "plafond_contribution",
  "par_citoyen",
  "debut",
  "fin",
  "perimetre",
  "annee",
  "conditions",
];

export const EMPTY_FUND_VALUES: FundFormValues = {
  nom: "",
  enveloppe: "",
  ratio: "1",
  plafond_campagne: "",
  plafond_contribution: "",
  par_citoyen: "",
  debut: "",
  fin: "",
  perimetre: "budget_citoyen",
  annee: "",
  conditions: "",
};

export function FundForm({
  values,
  errors = {},
  message,
  intent,
  submitLabel,
  updatedAt,
}: {
  values: FundFormValues;
  errors?: Partial<Record<FundField, string>>;
  /** a refusal that concerns no field (409) */
  message?: string;
  intent: "create" | "update";
  submitLabel: string;
  updatedAt?: string;
}) {
  const summary = ORDER.filter((f) => errors[f]).map((f) => ({
    target: `a-${f}`,
    label: LABELS[f],
    message: errors[f]!,
  }));
  return (
    <Form method="post" className="stack fund-form" noValidate>
      <ErrorSummary entries={summary} message={summary.length === 0 ? message : undefined} />
      <input type="hidden" name="intent" value={intent} />
      {updatedAt ? <input type="hidden" name="updated_at" value={updatedAt} /> : null}
      <Field
        id="a-nom"
        name="nom"
        label={LABELS.nom}
        defaultValue={values.nom}
        maxLength={120}
        error={errors.nom}
        hint="Par exemple «&nbsp;Fonds d’abondement Budget Citoyen 2027&nbsp;». Il est montré aux citoyens et aux porteurs."
      />
      <Field
        id="a-enveloppe"
        name="enveloppe"
        label="Enveloppe (en euros)"
        inputMode="decimal"
        defaultValue={values.enveloppe}
        error={errors.enveloppe}
        hint="Le total que le Département peut ajouter, toutes campagnes comprises. Il n’est jamais dépassé."
      />
      <Field
        id="a-ratio"
        name="ratio"
        label="Abondement pour 1 € donné (en euros)"
        inputMode="decimal"
        defaultValue={values.ratio}
        error={errors.ratio}
        hint="1 pour doubler chaque contribution (1 € pour 1 €), 0,50 pour ajouter 0,50 € par euro donné."
      />
      <Field
        id="a-plafond_campagne"
        name="plafond_campagne"
        label="Plafond par campagne (en euros, facultatif)"
        inputMode="decimal"
        defaultValue={values.plafond_campagne}
        error={errors.plafond_campagne}
        hint="Ce que le fonds peut ajouter au plus à une même campagne. Vide&nbsp;: pas de plafond."
      />
      <Field
        id="a-plafond_contribution"
        name="plafond_contribution"
        label="Plafond par contribution (en euros, facultatif)"
        inputMode="decimal"
        defaultValue={values.plafond_contribution}
        error={errors.plafond_contribution}
        hint="Ce qu’une contribution peut recevoir au plus. Vide&nbsp;: pas de plafond."
      />
      <Field
        id="a-par_citoyen"
        name="par_citoyen"
        label="Contributions abondées par personne et par campagne (facultatif)"
        inputMode="numeric"
        defaultValue={values.par_citoyen}
        error={errors.par_citoyen}
        hint="Par exemple 1&nbsp;: seule la première contribution d’une personne à une campagne est abondée. Vide&nbsp;: toutes."
      />
      <Field
        id="a-debut"
        name="debut"
        type="date"
        label="Date d’ouverture"
        defaultValue={values.debut}
        error={errors.debut}
        hint="À 0 h, heure de Paris."
      />
      <Field
        id="a-fin"
        name="fin"
        type="date"
        label="Date de clôture"
        defaultValue={values.fin}
        error={errors.fin}
        hint="Jusqu’à 23 h 59, heure de Paris. Les contributions payées ensuite ne sont plus abondées."
      />
      <fieldset aria-describedby={describedBy("a-perimetre", { error: errors.perimetre })}>
        <legend id="a-perimetre">Périmètre</legend>
        <div className="choice">
          <input
            type="radio"
            id="a-perimetre-bc"
            name="perimetre"
            value="budget_citoyen"
            defaultChecked={values.perimetre !== "chosen"}
          />
          <label htmlFor="a-perimetre-bc">Toutes les campagnes labellisées Budget Citoyen d’une année</label>
        </div>
        <div className="choice">
          <input
            type="radio"
            id="a-perimetre-chosen"
            name="perimetre"
            value="chosen"
            defaultChecked={values.perimetre === "chosen"}
          />
          <label htmlFor="a-perimetre-chosen">
            Des campagnes choisies une à une (leur porteur accepte les conditions avant tout abondement)
          </label>
        </div>
        <FieldError id="a-perimetre" message={errors.perimetre} />
      </fieldset>
      <Field
        id="a-annee"
        name="annee"
        label="Année du Budget Citoyen"
        inputMode="numeric"
        maxLength={4}
        defaultValue={values.annee}
        error={errors.annee}
        hint="Pour le périmètre Budget Citoyen seulement, par exemple 2027."
      />
      <TextArea
        id="a-conditions"
        name="conditions"
        label="Conditions pour le porteur"
        rows={6}
        maxLength={5000}
        defaultValue={values.conditions}
        error={errors.conditions}
        hint="Les termes de la convention, montrés au porteur (Markdown). Pour les campagnes choisies, il les accepte avant tout abondement."
      />
      <button type="submit" className="button">
        {submitLabel}
      </button>
    </Form>
  );
}
