/**
 * How long the platform keeps each kind of personal data (docs/product-rules.md « Legal frame »),
 * read from the environment with sensible defaults. The privacy policy prints these periods and
 * the scheduled purge applies them: one source for both.
 */
import { z } from "zod";

const schema = z.object({
  /** accounting records of payments and tax receipts: kept this long, then anonymised */
  RETENTION_ACCOUNTING_YEARS: z.coerce.number().int().min(1).max(30).default(6),
  /**
   * issued tax receipts (the duplicate the structure must be able to show the tax administration,
   * livre des procédures fiscales L102 B: six years from when the document was made): after this many
   * years from issue the donor's name and address are erased from the receipt and its PDF
   */
  RETENTION_RECEIPT_YEARS: z.coerce.number().int().min(1).max(30).default(6),
  /** an account nobody signed in to for this long is deleted (after its legal records are anonymised) */
  RETENTION_INACTIVE_ACCOUNT_MONTHS: z.coerce.number().int().min(1).max(120).default(36),
  /** a contributor without an account: their name, e-mail and message after the campaign ended */
  RETENTION_CONTRIBUTOR_MONTHS: z.coerce.number().int().min(1).max(120).default(36),
  /** sign-in codes, wrong-code records, closed sessions (security logs) */
  RETENTION_SECURITY_DAYS: z.coerce.number().int().min(1).max(400).default(180),
  /** messages sent through the contact form */
  RETENTION_CONTACT_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
});

export interface RetentionPeriods {
  accountingYears: number;
  receiptYears: number;
  inactiveAccountMonths: number;
  contributorMonths: number;
  securityDays: number;
  contactMonths: number;
}

/** The periods, or a ZodError naming the bad setting (the server refuses to start on it). */
export function retentionPeriods(env: NodeJS.ProcessEnv = process.env): RetentionPeriods {
  const v = schema.parse(env);
  return {
    accountingYears: v.RETENTION_ACCOUNTING_YEARS,
    receiptYears: v.RETENTION_RECEIPT_YEARS,
    inactiveAccountMonths: v.RETENTION_INACTIVE_ACCOUNT_MONTHS,
    contributorMonths: v.RETENTION_CONTRIBUTOR_MONTHS,
    securityDays: v.RETENTION_SECURITY_DAYS,
    contactMonths: v.RETENTION_CONTACT_MONTHS,
  };
}
