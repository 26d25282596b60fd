/**
 * The contribution form, validated with zod on the server. French messages;
 * the values typed are sent back with the errors so nothing is lost.
 */
import { z } from "zod";
import { field } from "~/forms.server";

import { outOfBoundsMessage, parseEurosToCents, type ContributionBounds } from "~/domain/money";

export interface ContributionFormValues {
  montant: string;
  contrepartie: string;
  email: string;
  nom: string;
  anonyme: boolean;
  masquer: boolean;
  message: string;
}

export type ContributionFieldErrors = Partial<Record<keyof ContributionFormValues, string>>;

export interface ValidContribution {
  amountCents: number | null;
  rewardId: number | null;
  email: string;
  publicName: string;
  anonymous: boolean;
  hideAmount: boolean;
  message: string | null;
}

export { parseEurosToCents } from "~/domain/money";

const text = (max: number) => z.string().trim().max(max);

const schema = z.object({
  montant: z.string().trim().max(20, "Montant invalide."),
  contrepartie: z
    .string()
    .trim()
    .regex(/^\d{0,9}$/, "Contrepartie inconnue."),
  email: z
    .string()
    .trim()
    .min(1, "Indiquez votre adresse électronique, pour recevoir votre reçu.")
    .max(254, "Adresse électronique trop longue.")
    .pipe(z.email({ error: "Adresse électronique invalide (exemple : prenom.nom@exemple.fr)." })),
  nom: text(60).pipe(z.string().min(1, "Indiquez le nom à afficher (ou cochez « apparaître anonymement »).")),
  anonyme: z.boolean(),
  masquer: z.boolean(),
  message: text(500),
});

export function readContributionForm(form: FormData): ContributionFormValues {
  return {
    montant: field(form, "montant"),
    contrepartie: field(form, "contrepartie"),
    email: field(form, "email"),
    nom: field(form, "nom"),
    anonyme: field(form, "anonyme") === "on",
    masquer: field(form, "masquer") === "on",
    message: field(form, "message"),
  };
}

export function validateContributionForm(
  values: ContributionFormValues,
  bounds: ContributionBounds,
): { ok: true; data: ValidContribution } | { ok: false; errors: ContributionFieldErrors } {
  const errors: ContributionFieldErrors = {};
  // Anonymous contributors may leave the name empty: they appear as « Anonyme ».
  const parsed = schema.safeParse({
    ...values,
    nom: values.anonyme && values.nom.trim() === "" ? "Anonyme" : values.nom,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof ContributionFormValues;
      errors[field] ??= issue.message;
    }
  }
  let amountCents: number | null = null;
  if (values.montant.trim() !== "") {
    amountCents = parseEurosToCents(values.montant);
    if (amountCents === null) {
      errors.montant =
        "Montant invalide : indiquez un nombre d'euros, avec au plus deux décimales (exemple : 25 ou 25,50).";
    } else {
      const outOfBounds = outOfBoundsMessage(amountCents, bounds);
      if (outOfBounds) errors.montant = outOfBounds;
    }
  } else if (values.contrepartie === "") {
    errors.montant = "Indiquez le montant de votre contribution, ou choisissez une contrepartie.";
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  const d = parsed.data;
  return {
    ok: true,
    data: {
      amountCents,
      rewardId: d.contrepartie === "" ? null : Number(d.contrepartie),
      email: d.email.toLowerCase(),
      publicName: d.nom,
      anonymous: d.anonyme,
      hideAmount: d.masquer,
      message: d.message === "" ? null : d.message,
    },
  };
}
