/**
 * Tax-receipt forms, the pure part (docs/product-rules.md « Tax receipts »): the French checks of a
 * structure’s declaration (SIREN, RNA, postal code), the mandate text the holder accepts, and the
 * sentence that tells a donor what their gift costs after the tax reduction. Shared by the
 * browser (live preview) and the server (validation); no I/O.
 */
import { NBSP, NNBSP } from "~/domain/typography";
import { formatEuros } from "./format";
import { isValidRna, normalizeRegistration } from "./registration";
import { TAX_STATUSES, taxReduction, type TaxStatus } from "./tax-receipts";

export { isValidRna };

/** What the contribution form needs to offer a tax receipt on a campaign (structure verified). */
export interface ReceiptOffer {
  taxStatus: TaxStatus;
  helpCeilingCents: number;
  /** reward id → its value in cents */
  rewardValues: Record<string, number>;
}

/** SIREN: 9 digits whose Luhn checksum is valid (La Poste, 356 000 000, is the known exception). */
export function isValidSiren(value: string): boolean {
  const v = normalizeRegistration(value);
  if (!/^\d{9}$/.test(v)) return false;
  if (v === "356000000") return true;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(v[8 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A French postal code: 5 digits, from 01000 (Ain) to 98999 (Monaco and overseas); never below 01000. */
export function isFrenchPostalCode(value: string): boolean {
  const v = value.replace(/\s/g, "");
  return /^\d{5}$/.test(v) && !v.startsWith("00") && Number(v.slice(0, 2)) <= 98;
}

export function normalizePostalCode(value: string): string {
  return value.replace(/\s/g, "");
}

/** Countries a receipt may be addressed to: France first (the default), then the neighbours. */
export const RECEIPT_COUNTRIES = [
  "France",
  "Allemagne",
  "Belgique",
  "Espagne",
  "Italie",
  "Luxembourg",
  "Monaco",
  "Pays-Bas",
  "Portugal",
  "Royaume-Uni",
  "Suisse",
] as const;

export function isReceiptCountry(value: string): boolean {
  return (RECEIPT_COUNTRIES as readonly string[]).includes(value);
}

/**
 * The mandate the holder gives, word for word: it is stored with the declaration (mandate_text),
 * so that what was accepted stays known even if this text changes later.
 */
export function mandateText(structureName: string): string {
  return [
    `Je donne mandat à Propulsons d’émettre au nom de la structure «${NBSP}${structureName}${NBSP}» les reçus fiscaux (Cerfa 11580*05) des dons reçus par ses campagnes.`,
    "Un reçu n’est émis qu’au donateur qui l’a demandé en contribuant, avec son nom et son adresse, et seulement lorsque la campagne a réussi et que son paiement est définitif\u202f; il est numéroté dans l’ordre, par année, au nom de la structure, et signé de la signature enregistrée ici.",
    "Les reçus reprennent les informations déclarées sur cette page (statut, article du code général des impôts, objet, adresse, SIREN ou RNA, signataire) et celles du don (montant, date, mode de paiement, valeur de la contrepartie déduite). Un reçu dont le paiement est remboursé ou contesté est annulé, jamais supprimé.",
    "La structure reste seule responsable de son éligibilité au régime des dons (articles 200 et 238 bis du code général des impôts) et de l’exactitude des informations déclarées\u202f; elle conserve ses obligations déclaratives, notamment celle de l’article 222 bis.",
    "Je peux révoquer ce mandat à tout moment en écrivant à l’équipe de Propulsons\u00a0: aucun reçu ne sera plus émis à partir de la révocation\u202f; les reçus déjà émis restent valables.",
    "Je certifie avoir le pouvoir d’engager la structure.",
  ].join("\n\n");
}

/**
 * « Votre don de 100 € vous coûte 34 € après réduction d’impôt » and the detail, for a gift of
 * `amountCents` with a reward worth `rewardValueCents`, at the structure’s status.
 */
export function reductionSentence(
  amountCents: number,
  rewardValueCents: number,
  status: TaxStatus,
  helpCeilingCents: number,
): { headline: string; detail: string } {
  const r = taxReduction(amountCents, rewardValueCents, status, helpCeilingCents);
  const rate =
    r.withinCeilingRatePercent !== null
      ? `${r.withinCeilingRatePercent}\u00a0% jusqu’à ${formatEuros(helpCeilingCents)} de dons dans l’année, ${r.ratePercent}\u00a0% au-delà`
      : `${r.ratePercent}\u00a0%`;
  const headline = `Votre don de ${formatEuros(amountCents)} vous coûte ${formatEuros(r.netCostCents)} après réduction d’impôt.`;
  const detail =
    rewardValueCents > 0
      ? `Montant déductible${NBSP}: ${formatEuros(r.deductibleCents)} (votre don moins la valeur de la contrepartie, ${formatEuros(Math.min(rewardValueCents, amountCents))})${NNBSP}; réduction d’impôt de ${rate}${NBSP}: ${formatEuros(r.reductionCents)}.`
      : `Montant déductible${NBSP}: ${formatEuros(r.deductibleCents)}${NNBSP}; réduction d’impôt de ${rate}${NBSP}: ${formatEuros(r.reductionCents)}.`;
  return { headline, detail };
}

/** The label of a status, or the key itself when unknown. */
export function taxStatusLabel(key: string): string {
  return Object.hasOwn(TAX_STATUSES, key) ? TAX_STATUSES[key as TaxStatus].label : key;
}
