/**
 * Who publishes, hosts and processes payments for the platform: the values the legal pages
 * (mentions légales, CGU, confidentialité) and the footer print (docs/decisions/022-legal-pages.md).
 *
 * Outside production every value has a demonstration default that says « (exemple) », so that
 * nobody takes it for the real publisher. In production (PROPULSONS_ENV=production) the legal
 * identity must be set: a missing value makes the start fail (LegalConfigError), never a page
 * that prints an example as if it were true. Only PAYMENT_PROVIDER has a real default: Stripe
 * is the payment processor the code talks to.
 */
import { z } from "zod";

const text = (max: number) => z.string().trim().min(1).max(max).optional();

const schema = z.object({
  PROPULSONS_ENV: z.string().optional(),
  /** the legal person that publishes the platform (« éditeur ») */
  PUBLISHER_NAME: text(200),
  PUBLISHER_ADDRESS: text(300),
  /** the person legally responsible for what is published (« directeur de la publication ») */
  PUBLICATION_DIRECTOR: text(200),
  HOST_NAME: text(200),
  HOST_ADDRESS: text(300),
  /** the platform's registration as intermédiaire en financement participatif (IFP) at the ORIAS */
  ORIAS_NUMBER: z
    .string()
    .trim()
    .regex(/^\d{8}$/, "ORIAS_NUMBER is the 8-digit ORIAS registration number")
    .optional(),
  /** who processes the payments, as the footer and the CGU name it */
  PAYMENT_PROVIDER: text(300),
});

export const DEFAULT_PAYMENT_PROVIDER =
  "Stripe Payments Europe, Ltd., établissement de monnaie électronique agréé par la Banque centrale d’Irlande";

/** Demonstration values: each one says it is an example. */
export const LEGAL_EXAMPLES = {
  publisherName: "Département du Pas-de-Calais (exemple)",
  publisherAddress: "Hôtel du Département, rue Ferdinand-Buisson, 62018 Arras Cedex (exemple)",
  publicationDirector: "Prénom Nom, directeur ou directrice de la publication (exemple)",
  hostName: "Hébergeur de la plateforme (exemple)",
  hostAddress: "Adresse de l’hébergeur (exemple)",
  oriasNumber: "00000000 (exemple)",
} as const;

/** The settings production requires, in the order the error names them. */
export const REQUIRED_IN_PRODUCTION = [
  "PUBLISHER_NAME",
  "PUBLISHER_ADDRESS",
  "PUBLICATION_DIRECTOR",
  "HOST_NAME",
  "HOST_ADDRESS",
  "ORIAS_NUMBER",
] as const;

export interface LegalConfig {
  publisherName: string;
  publisherAddress: string;
  publicationDirector: string;
  hostName: string;
  hostAddress: string;
  /** « 00000000 (exemple) » outside production when unset */
  oriasNumber: string;
  paymentProvider: string;
  /** true when at least one printed value is an example (never in production) */
  examples: boolean;
}

export class LegalConfigError extends Error {
  override name = "LegalConfigError";
}

/** Read and check the legal settings; throws LegalConfigError on a bad or (in production) missing value. */
export function readLegalConfig(env: Record<string, string | undefined> = process.env): LegalConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.path.join(".")}: ${i.message}`);
    throw new LegalConfigError(`Invalid legal configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (e.PROPULSONS_ENV === "production") {
    const missing = REQUIRED_IN_PRODUCTION.filter((k) => !e[k]);
    if (missing.length > 0)
      throw new LegalConfigError(
        `PROPULSONS_ENV=production needs the platform's legal identity (mentions légales, ORIAS); missing: ${missing.join(", ")}. Refusing to start with example values.`,
      );
  }
  const examples = REQUIRED_IN_PRODUCTION.some((k) => !e[k]);
  return {
    publisherName: e.PUBLISHER_NAME ?? LEGAL_EXAMPLES.publisherName,
    publisherAddress: e.PUBLISHER_ADDRESS ?? LEGAL_EXAMPLES.publisherAddress,
    publicationDirector: e.PUBLICATION_DIRECTOR ?? LEGAL_EXAMPLES.publicationDirector,
    hostName: e.HOST_NAME ?? LEGAL_EXAMPLES.hostName,
    hostAddress: e.HOST_ADDRESS ?? LEGAL_EXAMPLES.hostAddress,
    oriasNumber: e.ORIAS_NUMBER ?? LEGAL_EXAMPLES.oriasNumber,
    paymentProvider: e.PAYMENT_PROVIDER ?? DEFAULT_PAYMENT_PROVIDER,
    examples,
  };
}

let cached: LegalConfig | undefined;

/** The legal settings of this process (read once). */
export function legalConfig(): LegalConfig {
  cached ??= readLegalConfig();
  return cached;
}
