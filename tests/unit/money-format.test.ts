import { describe, expect, it } from "vitest";
import { formatBps, formatEuros, formatInteger, formatPercent } from "~/domain/format";
import {
  commissionBpsFor,
  commissionCents,
  MoneyError,
  percentOfGoal,
  settlementSplit,
} from "~/domain/money";

const NNBSP = "\u202f"; // narrow no-break space: French digit grouping
const NBSP = "\u00a0";

describe("formatEuros", () => {
  it.each([
    [313_500, `3${NNBSP}135${NBSP}€`],
    [5_693_800, `56${NNBSP}938${NBSP}€`],
    [35_794_600, `357${NNBSP}946${NBSP}€`],
    [100, `1${NBSP}€`],
    [1050, `10,50${NBSP}€`],
    [1, `0,01${NBSP}€`],
    [0, `0${NBSP}€`],
    [-2500, `−25${NBSP}€`],
  ])("%i cents → %s", (cents, text) => {
    expect(formatEuros(cents)).toBe(text);
  });

  it("refuses anything but integer cents", () => {
    expect(() => formatEuros(10.5)).toThrow(MoneyError);
    expect(() => formatEuros(Number.NaN)).toThrow(MoneyError);
  });

  it("formats integers, percentages and basis points the French way", () => {
    expect(formatInteger(5852)).toBe(`5${NNBSP}852`);
    expect(formatPercent(104)).toBe(`104${NBSP}%`);
    expect(formatBps(300)).toBe(`3${NBSP}%`);
    expect(formatBps(0)).toBe(`0${NBSP}%`);
    expect(formatBps(250)).toBe(`2,5${NBSP}%`);
  });
});

describe("commission", () => {
  it("is 3 % rounded half up to the cent", () => {
    expect(commissionCents(313_500, 300)).toBe(9_405);
    expect(commissionCents(50, 300)).toBe(2); // 1.5 cents → 2
    expect(commissionCents(49, 300)).toBe(1); // 1.47 → 1
    expect(commissionCents(16, 300)).toBe(0); // 0.48 → 0
    expect(commissionCents(17, 300)).toBe(1); // 0.51 → 1
    expect(commissionCents(0, 300)).toBe(0);
  });

  it("is 0 % for a Budget Citoyen campaign", () => {
    expect(commissionBpsFor({ budgetCitoyenYear: 2025 })).toBe(0);
    expect(commissionBpsFor({ budgetCitoyenYear: null })).toBe(300);
    expect(settlementSplit(1_073_000, 0)).toEqual({ commissionCents: 0, payoutCents: 1_073_000 });
  });

  it("commission + payout = total, to the cent, for many totals", () => {
    for (let total = 0; total < 20_000; total += 7) {
      const { commissionCents: c, payoutCents: p } = settlementSplit(total, 300);
      expect(c + p).toBe(total);
      expect(Number.isInteger(c)).toBe(true);
      // half up: |c - exact| ≤ 0.5 cent
      expect(Math.abs(c - (total * 300) / 10_000)).toBeLessThanOrEqual(0.5);
    }
  });

  it("stays exact on large totals (no float)", () => {
    expect(commissionCents(900_719_925_474_099, 300)).toBe(27_021_597_764_223);
  });

  it("refuses floats and out-of-range rates", () => {
    expect(() => commissionCents(10.5, 300)).toThrow(MoneyError);
    expect(() => commissionCents(1000, 10_001)).toThrow(MoneyError);
    expect(() => commissionCents(-1, 300)).toThrow(MoneyError);
  });

  it("percentage of goal rounds down so 100 % means reached", () => {
    expect(percentOfGoal(99_999, 100_000)).toBe(99);
    expect(percentOfGoal(100_000, 100_000)).toBe(100);
    expect(percentOfGoal(313_500, 300_000)).toBe(104);
    expect(percentOfGoal(0, 100_000)).toBe(0);
  });
});
