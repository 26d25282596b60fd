/**
 * The campaign editor's form (server only): zod checks every field with French
 * messages. A draft may be saved incomplete — empty fields are allowed, wrong
 * ones are not — and submitting requires everything (`missingContent`).
 */
import { NBSP } from "~/domain/typography";
import { z } from "zod";
import { config } from "~/config.server";
import { field } from "~/forms.server";
import { formatEuros } from "~/domain/format";
import { parseEurosToCents } from "~/domain/money";
import { addDays, parisCalendarDate } from "~/domain/time";

export const FUND_ROWS = 6;
export const REWARD_ROWS = 5;
/** Allowed durations (CAMPAIGN_MIN_DAYS / CAMPAIGN_MAX_DAYS, 7 and 90 by default). */
export function durationBounds(): { min: number; max: number } {
  return { min: config().campaignMinDays, max: config().campaignMaxDays };
}

export interface FundRow {
  libelle: string;
  montant: string;
}
export interface RewardRow {
  titre: string;
  description: string;
  minimum: string;
  stock: string;
  /** the reward's value in euros (tax receipts); empty = 0 */
  valeur?: string;
}
export interface CampaignValues {
  titre: string;
  resume: string;
  histoire: string;
  objectif: string;
  fin: string;
  territoire: string;
  theme: string;
  resultats: string;
  calendrier: string;
  postes: FundRow[];
  contreparties: RewardRow[];
}

export type CampaignErrors = Record<string, string>;

export interface CampaignData {
  title: string;
  summary: string;
  storyMd: string;
  goalCents: number;
  endDate: string;
  territory: string | null;
  theme: string | null;
  expectedResultsMd: string;
  timetableMd: string;
  fundLines: Array<{ label: string; amountCents: number }>;
  rewards: Array<{
    title: string;
    description: string;
    minimumCents: number;
    stock: number | null;
    valueCents?: number;
  }>;
}

export function readCampaignForm(form: FormData): CampaignValues {
  return {
    titre: field(form, "titre"),
    resume: field(form, "resume"),
    histoire: field(form, "histoire"),
    objectif: field(form, "objectif"),
    fin: field(form, "fin"),
    territoire: field(form, "territoire"),
    theme: field(form, "theme"),
    resultats: field(form, "resultats"),
    calendrier: field(form, "calendrier"),
    postes: Array.from({ length: FUND_ROWS }, (_, i) => ({
      libelle: field(form, `poste_${i}_libelle`),
      montant: field(form, `poste_${i}_montant`),
    })),
    contreparties: Array.from({ length: REWARD_ROWS }, (_, i) => ({
      titre: field(form, `cp_${i}_titre`),
      description: field(form, `cp_${i}_description`),
      minimum: field(form, `cp_${i}_minimum`),
      stock: field(form, `cp_${i}_stock`),
      valeur: field(form, `cp_${i}_valeur`),
    })),
  };
}

const optionalText = (min: number, max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what}${NBSP}: ${max} caractères au plus.`)
    .refine((v) => v === "" || v.length >= min, `${what}${NBSP}: ${min} caractères au moins.`);

/** Whole euros within bounds, or a French message. */
const wholeEuros = (value: string, min: number, max: number, what: string): number | string => {
  const cents = parseEurosToCents(value);
  if (cents === null || cents % 100 !== 0) return `${what}${NBSP}: un nombre entier d’euros est attendu.`;
  const n = cents / 100;
  if (n < min || n > max) return `${what}${NBSP}: entre ${min} € et ${max.toLocaleString("fr-FR")} €.`;
  return n;
};

/** A reward's value in cents (empty = 0), or null when it is not 0 to 10 000 € with two decimals at most. */
function rewardValueCents(value: string): number | null {
  if (value.trim() === "") return 0;
  const cents = parseEurosToCents(value);
  return cents === null || cents > 10_000_00 ? null : cents;
}

export function validateCampaign(
  values: CampaignValues,
  known: { territories: Set<string>; themes: Set<string> },
  now = new Date(),
): { ok: true; data: CampaignData } | { ok: false; errors: CampaignErrors } {
  const errors: CampaignErrors = {};
  const texts = z
    .object({
      titre: z
        .string()
        .trim()
        .min(5, "Titre\u00a0: 5 caractères au moins.")
        .max(120, "Titre\u00a0: 120 caractères au plus."),
      resume: optionalText(20, 300, "Résumé"),
      histoire: optionalText(50, 20_000, "Présentation du projet"),
      resultats: optionalText(10, 3000, "Résultats attendus"),
      calendrier: optionalText(10, 3000, "Calendrier"),
    })
    .safeParse(values);
  if (!texts.success) for (const issue of texts.error.issues) errors[String(issue.path[0])] ??= issue.message;

  const goal = wholeEuros(values.objectif, 100, 1_000_000, "Objectif");
  if (typeof goal === "string") errors.objectif = goal;

  const today = parisCalendarDate(now);
  const { min: MIN_DAYS, max: MAX_DAYS } = durationBounds();
  const earliest = addDays(today, MIN_DAYS);
  const latest = addDays(today, MAX_DAYS);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(values.fin) ||
    Number.isNaN(new Date(`${values.fin}T12:00:00Z`).getTime())
  ) {
    errors.fin = "Date de fin invalide.";
  } else if (values.fin < earliest || values.fin > latest) {
    errors.fin = `La collecte dure de ${MIN_DAYS} à ${MAX_DAYS} jours${NBSP}: choisissez une date de fin entre le ${earliest.split("-").reverse().join("/")} et le ${latest.split("-").reverse().join("/")}.`;
  }
  if (values.territoire && !known.territories.has(values.territoire))
    errors.territoire = "Territoire inconnu.";
  if (values.theme && !known.themes.has(values.theme)) errors.theme = "Thème inconnu.";

  const fundLines: CampaignData["fundLines"] = [];
  values.postes.forEach((row, i) => {
    const label = row.libelle.trim();
    if (label === "" && row.montant.trim() === "") return;
    if (label.length < 3 || label.length > 120)
      errors[`poste_${i}_libelle`] = `Poste ${i + 1}${NBSP}: un libellé de 3 à 120 caractères.`;
    const amount = wholeEuros(row.montant, 1, 1_000_000, `Poste ${i + 1}`);
    if (typeof amount === "string") errors[`poste_${i}_montant`] = amount;
    else fundLines.push({ label, amountCents: amount * 100 });
  });
  if (
    typeof goal === "number" &&
    fundLines.length > 0 &&
    !Object.keys(errors).some((k) => k.startsWith("poste_"))
  ) {
    const total = fundLines.reduce((s, l) => s + l.amountCents, 0);
    if (total !== goal * 100)
      errors.postes = `Le total des postes (${formatEuros(total)}) doit être égal à l’objectif (${formatEuros(goal * 100)}).`;
  }

  const rewards: CampaignData["rewards"] = [];
  values.contreparties.forEach((row, i) => {
    if ([row.titre, row.description, row.minimum, row.stock, row.valeur ?? ""].every((v) => v.trim() === ""))
      return;
    const title = row.titre.trim();
    const description = row.description.trim();
    if (title.length < 3 || title.length > 80)
      errors[`cp_${i}_titre`] = `Contrepartie ${i + 1}${NBSP}: un titre de 3 à 80 caractères.`;
    if (description.length < 5 || description.length > 500)
      errors[`cp_${i}_description`] = `Contrepartie ${i + 1}${NBSP}: une description de 5 à 500 caractères.`;
    const minimum = wholeEuros(row.minimum, 1, 10_000, `Contrepartie ${i + 1}, montant minimum`);
    if (typeof minimum === "string") errors[`cp_${i}_minimum`] = minimum;
    let stock: number | null = null;
    if (row.stock.trim() !== "") {
      const s = wholeEuros(row.stock, 1, 100_000, `Contrepartie ${i + 1}, stock`);
      if (typeof s === "string")
        errors[`cp_${i}_stock`] =
          `Contrepartie ${i + 1}${NBSP}: stock invalide (laissez vide pour un stock illimité).`;
      else stock = s;
    }
    const valueCents = rewardValueCents(row.valeur ?? "");
    if (valueCents === null)
      errors[`cp_${i}_valeur`] =
        `Contrepartie ${i + 1}${NBSP}: valeur invalide, un nombre d’euros entre 0 et 10\u00a0000 (exemple${NBSP}: 12,50).`;
    if (typeof minimum === "number")
      rewards.push({ title, description, minimumCents: minimum * 100, stock, valueCents: valueCents ?? 0 });
  });

  if (Object.keys(errors).length > 0 || !texts.success || typeof goal !== "number")
    return { ok: false, errors };
  return {
    ok: true,
    data: {
      title: texts.data.titre,
      summary: texts.data.resume,
      storyMd: texts.data.histoire,
      goalCents: goal * 100,
      endDate: values.fin,
      territory: values.territoire || null,
      theme: values.theme || null,
      expectedResultsMd: texts.data.resultats,
      timetableMd: texts.data.calendrier,
      fundLines,
      rewards,
    },
  };
}

/** What a campaign still lacks before it can be submitted, in French (empty: complete). */
export function missingContent(c: {
  summary: string;
  storyMd: string;
  expectedResultsMd: string;
  timetableMd: string;
  fundLinesTotalCents: number;
  fundLinesCount: number;
  goalCents: number;
  /** the stored picture's name, null when there is none */
  imagePath: string | null;
  imageAlt: string | null;
}): string[] {
  const missing: string[] = [];
  if (c.summary.trim() === "") missing.push("le résumé");
  if (c.storyMd.trim() === "") missing.push("la présentation du projet");
  if (c.fundLinesCount === 0) missing.push("l’utilisation des fonds, poste par poste");
  else if (c.fundLinesTotalCents !== c.goalCents) missing.push("des postes dont le total égale l’objectif");
  if (c.expectedResultsMd.trim() === "") missing.push("les résultats attendus");
  if (c.timetableMd.trim() === "") missing.push("le calendrier");
  // Every public campaign has a picture, and its text alternative (cards, page, sharing).
  if (!c.imagePath) missing.push("l’image du projet et sa description");
  else if ((c.imageAlt ?? "").trim() === "") missing.push("la description de l’image");
  return missing;
}
