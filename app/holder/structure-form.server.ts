/** The holder's structure form, validated with zod (server only), French messages. */
import { z } from "zod";
import { field } from "~/forms.server";
import { isValidRna, isValidSiret, normalizeRegistration } from "~/domain/registration";
import { LEGAL_FORM_KEYS } from "~/domain/legal-forms";
import type { LegalForm } from "#db/schema";

export interface StructureValues {
  nom: string;
  forme: string;
  numero: string;
  commune: string;
  territoire: string;
}

export type StructureErrors = Partial<Record<keyof StructureValues, string>>;

const schema = z.object({
  nom: z.string().trim().min(2, "Indiquez le nom de la structure.").max(120, "120 caractères au plus."),
  forme: z.enum(LEGAL_FORM_KEYS, {
    error: "Choisissez la forme juridique.",
  }),
  numero: z.string().trim().max(30, "Numéro trop long."),
  commune: z.string().trim().min(2, "Indiquez la commune.").max(80, "80 caractères au plus."),
  territoire: z.string().trim().min(1, "Choisissez le territoire."),
});

export function readStructureForm(form: FormData): StructureValues {
  return {
    nom: field(form, "nom"),
    forme: field(form, "forme"),
    numero: field(form, "numero"),
    commune: field(form, "commune"),
    territoire: field(form, "territoire"),
  };
}

export function validateStructure(
  values: StructureValues,
  territories: Set<string>,
):
  | {
      ok: true;
      data: {
        name: string;
        legalForm: LegalForm;
        registrationNumber: string | null;
        town: string;
        territory: string;
      };
    }
  | { ok: false; errors: StructureErrors } {
  const errors: StructureErrors = {};
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[issue.path[0] as keyof StructureValues] ??= issue.message;
  }
  if (values.territoire && !territories.has(values.territoire)) errors.territoire = "Territoire inconnu.";
  const numero = normalizeRegistration(values.numero);
  if (parsed.success) {
    const form = parsed.data.forme;
    if (form === "association") {
      if (!isValidRna(numero) && !isValidSiret(numero)) {
        errors.numero =
          "Numéro RNA invalide\u00a0: «\u00a0W\u00a0» suivi de 9 caractères (exemple\u00a0: W623001234), ou SIRET de l’association.";
      }
    } else if (form === "collectif") {
      if (numero !== "" && !isValidSiret(numero) && !isValidRna(numero))
        errors.numero = "Numéro invalide (facultatif pour un collectif).";
    } else if (!isValidSiret(numero)) {
      errors.numero = "Numéro SIRET invalide\u00a0: 14 chiffres (le contrôle de validité ne passe pas).";
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  const d = parsed.data;
  return {
    ok: true,
    data: {
      name: d.nom,
      legalForm: d.forme,
      registrationNumber: numero === "" ? null : numero,
      town: d.commune,
      territory: d.territoire,
    },
  };
}
