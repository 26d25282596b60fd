/**
 * The « Je souhaite un reçu fiscal » part of the contribution form: the donor's full name and
 * postal address, required when the box is ticked; a French postal code for France. Receipts are
 * for individuals only (Cerfa 11580*05): a company's receipt (Cerfa 16216) is not offered.
 */
import { z } from "zod";
import { field } from "~/forms.server";
import { isFrenchPostalCode, isReceiptCountry, normalizePostalCode } from "~/domain/receipt-forms";

export interface ReceiptRequestValues {
  recu: boolean;
  recu_prenom: string;
  recu_nom: string;
  recu_rue: string;
  recu_code_postal: string;
  recu_ville: string;
  recu_pays: string;
}

export type ReceiptRequestField = Exclude<keyof ReceiptRequestValues, "recu">;
export type ReceiptRequestErrors = Partial<Record<ReceiptRequestField, string>>;

export const RECEIPT_REQUEST_FIELDS: ReceiptRequestField[] = [
  "recu_prenom",
  "recu_nom",
  "recu_rue",
  "recu_code_postal",
  "recu_ville",
  "recu_pays",
];

export interface ValidReceiptRequest {
  firstName: string;
  lastName: string;
  street: string;
  postalCode: string;
  town: string;
  country: string;
}

const text = (max: number, missing: string) =>
  z.string().trim().min(1, missing).max(max, `${max} caractères au plus.`);

const schema = z.object({
  recu_prenom: text(60, "Indiquez votre prénom, tel qu’il figurera sur le reçu fiscal."),
  recu_nom: text(60, "Indiquez votre nom de famille, tel qu’il figurera sur le reçu fiscal."),
  recu_rue: text(120, "Indiquez votre adresse (numéro et voie)."),
  recu_code_postal: text(12, "Indiquez votre code postal."),
  recu_ville: text(80, "Indiquez votre commune."),
  recu_pays: z.string().refine(isReceiptCountry, "Choisissez votre pays."),
});

export function readReceiptRequest(form: FormData): ReceiptRequestValues {
  return {
    recu: field(form, "recu") === "on",
    recu_prenom: field(form, "recu_prenom"),
    recu_nom: field(form, "recu_nom"),
    recu_rue: field(form, "recu_rue"),
    recu_code_postal: field(form, "recu_code_postal"),
    recu_ville: field(form, "recu_ville"),
    recu_pays: field(form, "recu_pays") || "France",
  };
}

/** null when no receipt is asked for; the fields' errors otherwise, or the request. */
export function validateReceiptRequest(
  values: ReceiptRequestValues,
): { ok: true; data: ValidReceiptRequest | null } | { ok: false; errors: ReceiptRequestErrors } {
  if (!values.recu) return { ok: true, data: null };
  const errors: ReceiptRequestErrors = {};
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[issue.path[0] as ReceiptRequestField] ??= issue.message;
  }
  const postal = normalizePostalCode(values.recu_code_postal);
  if (values.recu_pays === "France" && postal !== "" && !isFrenchPostalCode(postal))
    errors.recu_code_postal =
      "Code postal invalide\u00a0: 5 chiffres pour une adresse en France (exemple\u00a0: 62300).";
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  const d = parsed.data;
  return {
    ok: true,
    data: {
      firstName: d.recu_prenom,
      lastName: d.recu_nom,
      street: d.recu_rue,
      postalCode: values.recu_pays === "France" ? postal : d.recu_code_postal,
      town: d.recu_ville,
      country: d.recu_pays,
    },
  };
}
