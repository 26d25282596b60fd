/** The staff decision forms, validated with zod: one intent per submit button. */
import { z } from "zod";
import { field } from "~/forms.server";

const text = (what: string, max = 2000) =>
  z
    .string()
    .trim()
    .min(1, `${what} est obligatoire.`)
    .max(max, `${what} ne doit pas dépasser ${max} caractères.`);

const optionalText = (max = 2000) =>
  z
    .string()
    .trim()
    .max(max, `Le message ne doit pas dépasser ${max} caractères.`)
    .transform((v) => (v === "" ? null : v));

const isoDate = z
  .string()
  .trim()
  .transform((v) => (v === "" ? null : v))
  .refine(
    (v) =>
      v === null ||
      (/^\d{4}-\d{2}-\d{2}$/.test(v) &&
        !Number.isNaN(Date.parse(`${v}T12:00:00Z`)) &&
        new Date(`${v}T12:00:00Z`).toISOString().startsWith(v)),
    {
      message: "Indiquez une date valide (jj/mm/aaaa).",
    },
  );

const schema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve"), debut: isoDate, message: optionalText() }),
  z.object({ intent: z.literal("request_changes"), commentaire: text("Le commentaire au porteur") }),
  z.object({ intent: z.literal("reject"), motif: text("Le motif du refus") }),
  z.object({ intent: z.literal("cancel"), motif_annulation: text("Le motif de l’annulation") }),
  z.object({
    intent: z.literal("label"),
    annee: z
      .string()
      .trim()
      .regex(/^\d{4}$/, "Indiquez l’année du Budget Citoyen sur 4 chiffres (par exemple 2025).")
      .transform(Number),
  }),
  z.object({ intent: z.literal("unlabel") }),
  z.object({ intent: z.literal("feature") }),
  z.object({ intent: z.literal("unfeature") }),
]);

export type Decision = z.infer<typeof schema>;

const FIELDS = ["intent", "debut", "message", "commentaire", "motif", "motif_annulation", "annee"] as const;

export type DecisionParse =
  | { ok: true; decision: Decision }
  | { ok: false; intent: string; values: Record<string, string>; errors: Record<string, string> };

export function parseDecision(form: FormData): DecisionParse {
  const values = Object.fromEntries(FIELDS.map((f) => [f, field(form, f)])) as Record<
    (typeof FIELDS)[number],
    string
  >;
  // Absent fields read as "" so that each gets its own French message.
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, decision: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? "intent");
    errors[key] ??= key === "intent" ? "Action inconnue." : issue.message;
  }
  return { ok: false, intent: values.intent, values, errors };
}
