/** The sign-in forms, validated with zod (server only). */
import { z } from "zod";

export const emailSchema = z
  .string()
  .trim()
  .min(1, "Indiquez votre adresse électronique.")
  .max(254, "Adresse électronique trop longue.")
  .pipe(z.email({ error: "Adresse électronique invalide (exemple\u00a0: prenom.nom@exemple.fr)." }));

export const codeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "Le code compte 6 chiffres.");

export { field } from "./forms.server";
