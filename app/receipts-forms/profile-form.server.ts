/**
 * The structure's tax-receipt declaration form (/porteur/structure/recus-fiscaux), validated on the
 * server with zod; French messages; the values typed come back with the errors.
 */
import { z } from "zod";
import { field } from "~/forms.server";
import { isFrenchPostalCode, isValidRna, isValidSiren, normalizePostalCode } from "~/domain/receipt-forms";
import { normalizeRegistration } from "~/domain/registration";
import { TAX_STATUS_KEYS, TAX_STATUSES, type TaxStatus } from "~/domain/tax-receipts";

export interface ProfileValues {
  statut: string;
  article: string;
  objet: string;
  rue: string;
  code_postal: string;
  ville: string;
  siren: string;
  rna: string;
  signataire: string;
  qualite: string;
  mandat: boolean;
}

export type ProfileField = keyof ProfileValues | "signature";
export type ProfileErrors = Partial<Record<ProfileField, string>>;

export interface ValidProfile {
  taxStatus: TaxStatus;
  cgiArticle: string;
  object: string;
  street: string;
  postalCode: string;
  town: string;
  siren: string | null;
  rna: string | null;
  signerName: string;
  signerRole: string;
}

const text = (min: number, max: number, missing: string) =>
  z.string().trim().min(min, missing).max(max, `${max} caractères au plus.`);

const schema = z.object({
  statut: z.enum(TAX_STATUS_KEYS, { error: "Choisissez le statut de la structure." }),
  article: text(1, 40, "Indiquez l’article du code général des impôts (par exemple 200-1-b)."),
  objet: text(
    10,
    600,
    "Décrivez l’objet de la structure (10 caractères au moins), tel qu’il figure dans ses statuts.",
  ),
  rue: text(3, 120, "Indiquez le numéro et la voie du siège."),
  code_postal: z.string().trim(),
  ville: text(2, 80, "Indiquez la commune du siège."),
  siren: z.string().trim().max(20, "Numéro trop long."),
  rna: z.string().trim().max(20, "Numéro trop long."),
  signataire: text(3, 80, "Indiquez le nom de la personne qui signe les reçus."),
  qualite: text(2, 80, "Indiquez sa qualité (par exemple présidente, trésorier)."),
  mandat: z.literal(true, {
    error: "Cochez la case pour donner mandat à Propulsons\u00a0: sans mandat, aucun reçu ne peut être émis.",
  }),
});

export function readProfileForm(form: FormData): ProfileValues {
  return {
    statut: field(form, "statut"),
    article: field(form, "article"),
    objet: field(form, "objet"),
    rue: field(form, "rue"),
    code_postal: field(form, "code_postal"),
    ville: field(form, "ville"),
    siren: field(form, "siren"),
    rna: field(form, "rna"),
    signataire: field(form, "signataire"),
    qualite: field(form, "qualite"),
    mandat: field(form, "mandat") === "on",
  };
}

export function validateProfile(
  values: ProfileValues,
): { ok: true; data: ValidProfile } | { ok: false; errors: ProfileErrors } {
  const errors: ProfileErrors = {};
  // An empty article takes the status's default.
  const statusDefault = Object.hasOwn(TAX_STATUSES, values.statut)
    ? TAX_STATUSES[values.statut as TaxStatus].cgiArticle
    : "";
  const parsed = schema.safeParse({ ...values, article: values.article.trim() || statusDefault });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[issue.path[0] as ProfileField] ??= issue.message;
  }
  const postal = normalizePostalCode(values.code_postal);
  if (!isFrenchPostalCode(postal))
    errors.code_postal = "Code postal invalide\u00a0: 5 chiffres (exemple\u00a0: 62300).";
  const siren = normalizeRegistration(values.siren);
  const rna = normalizeRegistration(values.rna);
  if (siren !== "" && !isValidSiren(siren))
    errors.siren = "Numéro SIREN invalide\u00a0: 9 chiffres (le contrôle de validité ne passe pas).";
  if (rna !== "" && !isValidRna(rna))
    errors.rna =
      "Numéro RNA invalide\u00a0: «\u00a0W\u00a0» suivi de 9 caractères (exemple\u00a0: W623001234).";
  if (siren === "" && rna === "")
    errors.siren = "Indiquez le SIREN de la structure, ou son numéro RNA si elle n’a pas de SIREN.";
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  const d = parsed.data;
  return {
    ok: true,
    data: {
      taxStatus: d.statut,
      cgiArticle: d.article,
      object: d.objet,
      street: d.rue,
      postalCode: postal,
      town: d.ville,
      siren: siren === "" ? null : siren,
      rna: rna === "" ? null : rna,
      signerName: d.signataire,
      signerRole: d.qualite,
    },
  };
}
