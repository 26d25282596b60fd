/**
 * Tax-receipt rules (docs/product-rules.md « Tax receipts »): which statuses may issue a receipt
 * under article 200 of the CGI and at what rate, how a reward reduces the deductible amount, and
 * the reward checks shown to the holder. Pure: integer cents, no I/O. The settings (yearly cap,
 * ceiling of the 75 % rate) are passed in by the caller, which reads them from the configuration.
 */
import { assertCents, MoneyError } from "./money";

export type TaxStatus = "utilite_publique" | "interet_general" | "aide_personnes";

export interface TaxStatusRule {
  /** the box ticked on Cerfa 11580*05 */
  label: string;
  /** the CGI article printed on the receipt */
  cgiArticle: string;
  /** income-tax reduction, in percent of the deductible amount */
  ratePercent: number;
  /** 75 % applies only within a yearly ceiling per donor; above it, 66 % */
  withinCeilingRatePercent?: number;
}

export const TAX_STATUSES: Record<TaxStatus, TaxStatusRule> = {
  utilite_publique: {
    label: "Association ou fondation reconnue d’utilité publique",
    cgiArticle: "200-1-a",
    ratePercent: 66,
  },
  interet_general: {
    label: "Œuvre ou organisme d’intérêt général",
    cgiArticle: "200-1-b",
    ratePercent: 66,
  },
  aide_personnes: {
    label:
      "Organisme sans but lucratif qui fournit gratuitement des repas, des soins ou un logement à des personnes en difficulté",
    cgiArticle: "200-1 ter",
    ratePercent: 66,
    withinCeilingRatePercent: 75,
  },
};

export const TAX_STATUS_KEYS = Object.keys(TAX_STATUSES) as [TaxStatus, ...TaxStatus[]];

export function isTaxStatus(value: string): value is TaxStatus {
  return Object.hasOwn(TAX_STATUSES, value);
}

/** Default settings: the yearly cap on rewards per donor (BOFiP tolerance) and the 75 % ceiling. */
export const DEFAULT_REWARD_YEARLY_CAP_CENTS = 73_00;
export const DEFAULT_HELP_CEILING_CENTS = 1_000_00;

export interface RewardCheck {
  /** the reward is worth more than 25 % of its minimum contribution */
  overQuarter: boolean;
  /** the reward is worth more than the yearly cap per donor */
  overCap: boolean;
}

/** The two checks the holder sees for a reward of `valueCents` given from `minimumCents`. */
export function checkReward(valueCents: number, minimumCents: number, yearlyCapCents: number): RewardCheck {
  assertCents(valueCents, "reward value");
  assertCents(minimumCents, "reward minimum");
  assertCents(yearlyCapCents, "yearly cap");
  if (valueCents < 0) throw new MoneyError("reward value must not be negative");
  // value > 25 % of minimum ⇔ 4 × value > minimum, in integers.
  return { overQuarter: valueCents * 4 > minimumCents, overCap: valueCents > yearlyCapCents };
}

/**
 * The deductible amount of a gift: the gift less the value of the reward the donor receives,
 * never below zero. The platform always deducts the reward's value, even within the BOFiP
 * tolerance, so that a receipt never states more than the donor may claim.
 */
export function deductibleCents(amountCents: number, rewardValueCents: number): number {
  assertCents(amountCents, "amount");
  assertCents(rewardValueCents, "reward value");
  if (amountCents < 0 || rewardValueCents < 0) throw new MoneyError("amounts must not be negative");
  return Math.max(0, amountCents - rewardValueCents);
}

export interface TaxReduction {
  deductibleCents: number;
  /** the reduction of income tax, rounded down to the cent (never overstated) */
  reductionCents: number;
  /** what the gift costs the donor after the reduction: amount − reduction */
  netCostCents: number;
  /** the rate applied to the whole deductible amount, or the two rates when it straddles the ceiling */
  ratePercent: number;
  withinCeilingRatePercent: number | null;
}

/**
 * The tax reduction for one gift, counted alone (the donor's other gifts of the year, and the
 * limit of 20 % of taxable income, are theirs to count): 66 %, or 75 % up to `helpCeilingCents`
 * then 66 % for the bodies that help people in difficulty.
 */
export function taxReduction(
  amountCents: number,
  rewardValueCents: number,
  status: TaxStatus,
  helpCeilingCents: number = DEFAULT_HELP_CEILING_CENTS,
): TaxReduction {
  assertCents(helpCeilingCents, "help ceiling");
  const deductible = deductibleCents(amountCents, rewardValueCents);
  const rule = TAX_STATUSES[status];
  const high = rule.withinCeilingRatePercent;
  let hundredths: number;
  if (high === undefined) {
    hundredths = deductible * rule.ratePercent;
  } else {
    const within = Math.min(deductible, helpCeilingCents);
    hundredths = within * high + (deductible - within) * rule.ratePercent;
  }
  const reduction = Math.floor(hundredths / 100);
  return {
    deductibleCents: deductible,
    reductionCents: reduction,
    netCostCents: amountCents - reduction,
    ratePercent: rule.ratePercent,
    withinCeilingRatePercent: high ?? null,
  };
}
