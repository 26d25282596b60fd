/**
 * The legal forms a structure may declare: one list for the structure form (browser), its
 * validation (server), the campaign page and the back offices. `label` is the name shown
 * everywhere; `detail` spells out an acronym or a condition where the holder chooses.
 */
import type { LegalForm } from "#db/schema";

export const LEGAL_FORMS: Record<LegalForm, { label: string; detail?: string }> = {
  association: { label: "Association" },
  scic: { label: "SCIC", detail: "société coopérative d’intérêt collectif" },
  scop: { label: "SCOP", detail: "société coopérative et participative" },
  entreprise_ess: { label: "Entreprise de l’ESS" },
  collectif: { label: "Collectif citoyen", detail: "sans personnalité morale" },
};

export const LEGAL_FORM_KEYS = Object.keys(LEGAL_FORMS) as [LegalForm, ...LegalForm[]];

export function isLegalForm(value: string): value is LegalForm {
  return Object.hasOwn(LEGAL_FORMS, value);
}

/** The short name: « SCOP », for « Porté par … (SCOP, Arras) ». An unknown key is shown as it is. */
export function legalFormLabel(key: string): string {
  return isLegalForm(key) ? LEGAL_FORMS[key].label : key;
}

/** The full name: « SCOP (société coopérative et participative) », for the choice and the lists. */
export function legalFormName(key: string): string {
  if (!isLegalForm(key)) return key;
  const { label, detail } = LEGAL_FORMS[key];
  return detail ? `${label} (${detail})` : label;
}
