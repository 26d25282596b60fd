/**
 * Tax-receipt settings (docs/product-rules.md « Tax receipts »), read from the environment:
 * the yearly cap on a reward's value per donor (BOFiP tolerance, 73 € in 2026) and the yearly
 * ceiling of the 75 % rate for bodies that help people in difficulty (1 000 €).
 */
import { z } from "zod";

const schema = z.object({
  RECEIPT_REWARD_CAP_EUROS: z.coerce.number().int().min(0).max(10_000).default(73),
  RECEIPT_HELP_CEILING_EUROS: z.coerce.number().int().min(0).max(100_000).default(1_000),
});

export interface ReceiptSettings {
  rewardYearlyCapCents: number;
  helpCeilingCents: number;
}

export function receiptSettings(env: NodeJS.ProcessEnv = process.env): ReceiptSettings {
  const v = schema.parse(env);
  return {
    rewardYearlyCapCents: v.RECEIPT_REWARD_CAP_EUROS * 100,
    helpCeilingCents: v.RECEIPT_HELP_CEILING_EUROS * 100,
  };
}
