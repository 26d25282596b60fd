import { describe, expect, it } from "vitest";
import { MoneyError } from "~/domain/money";
import {
  checkReward,
  DEFAULT_HELP_CEILING_CENTS,
  DEFAULT_REWARD_YEARLY_CAP_CENTS,
  deductibleCents,
  TAX_STATUS_KEYS,
  taxReduction,
} from "~/domain/tax-receipts";

describe("reward checks (25 % of the minimum, yearly cap)", () => {
  it("flags a reward worth more than a quarter of its minimum, not one worth exactly a quarter", () => {
    expect(checkReward(25_00, 100_00, DEFAULT_REWARD_YEARLY_CAP_CENTS)).toEqual({
      overQuarter: false,
      overCap: false,
    });
    expect(checkReward(25_01, 100_00, DEFAULT_REWARD_YEARLY_CAP_CENTS).overQuarter).toBe(true);
    expect(checkReward(0, 1, DEFAULT_REWARD_YEARLY_CAP_CENTS).overQuarter).toBe(false);
  });

  it("flags a reward worth more than the yearly cap even when it is under a quarter", () => {
    expect(checkReward(73_00, 1_000_00, 73_00).overCap).toBe(false);
    expect(checkReward(73_01, 1_000_00, 73_00)).toEqual({ overQuarter: false, overCap: true });
    expect(checkReward(80_00, 1_000_00, 100_00).overCap).toBe(false);
  });

  it("refuses fractional or negative values", () => {
    expect(() => checkReward(1.5, 100, 7300)).toThrow(MoneyError);
    expect(() => checkReward(-1, 100, 7300)).toThrow(MoneyError);
  });
});

describe("deductible amount", () => {
  it("is the gift less the reward's value, never negative", () => {
    expect(deductibleCents(100_00, 0)).toBe(100_00);
    expect(deductibleCents(100_00, 15_00)).toBe(85_00);
    expect(deductibleCents(10_00, 15_00)).toBe(0);
  });
});

describe("tax reduction", () => {
  it("is 66 % for a body of general interest: a 100 € gift costs 34 €", () => {
    expect(taxReduction(100_00, 0, "interet_general")).toEqual({
      deductibleCents: 100_00,
      reductionCents: 66_00,
      netCostCents: 34_00,
      ratePercent: 66,
      withinCeilingRatePercent: null,
    });
  });

  it("applies to the deductible amount when a reward reduces it", () => {
    const r = taxReduction(100_00, 20_00, "utilite_publique");
    expect(r.deductibleCents).toBe(80_00);
    expect(r.reductionCents).toBe(52_80);
    expect(r.netCostCents).toBe(47_20);
  });

  it("is 75 % within the ceiling and 66 % above it for help to people in difficulty", () => {
    expect(taxReduction(100_00, 0, "aide_personnes").reductionCents).toBe(75_00);
    // 1 000 € at 75 % + 200 € at 66 %
    expect(taxReduction(1_200_00, 0, "aide_personnes", DEFAULT_HELP_CEILING_CENTS).reductionCents).toBe(
      750_00 + 132_00,
    );
  });

  it("rounds the reduction down to the cent, so it is never overstated", () => {
    expect(taxReduction(1_01, 0, "interet_general").reductionCents).toBe(66); // 66.66 cents
    expect(taxReduction(3, 0, "aide_personnes").reductionCents).toBe(2); // 2.25 cents
  });

  it("holds for every status: reduction ≤ deductible ≤ amount, cost = amount − reduction", () => {
    for (const status of TAX_STATUS_KEYS) {
      for (const [amount, value] of [
        [1, 0],
        [99_99, 10_00],
        [5_000_00, 0],
        [20_00, 25_00],
      ] as const) {
        const r = taxReduction(amount, value, status);
        expect(r.reductionCents).toBeLessThanOrEqual(r.deductibleCents);
        expect(r.deductibleCents).toBeLessThanOrEqual(amount);
        expect(r.netCostCents).toBe(amount - r.reductionCents);
      }
    }
  });
});
