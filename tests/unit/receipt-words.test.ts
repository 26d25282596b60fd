import { describe, expect, it } from "vitest";
import { amountInWords, numberInWords } from "~/receipts/amount-words";

describe("numberInWords (French, 1990 rules)", () => {
  it.each([
    [0, "zéro"],
    [1, "un"],
    [16, "seize"],
    [17, "dix-sept"],
    [21, "vingt et un"],
    [22, "vingt-deux"],
    [70, "soixante-dix"],
    [71, "soixante et onze"],
    [77, "soixante-dix-sept"],
    [80, "quatre-vingts"],
    [81, "quatre-vingt-un"],
    [90, "quatre-vingt-dix"],
    [91, "quatre-vingt-onze"],
    [99, "quatre-vingt-dix-neuf"],
    [100, "cent"],
    [101, "cent un"],
    [180, "cent quatre-vingts"],
    [200, "deux cents"],
    [201, "deux cent un"],
    [280, "deux cent quatre-vingts"],
    [1000, "mille"],
    [1001, "mille un"],
    [1234, "mille deux cent trente-quatre"],
    [2000, "deux mille"],
    [21_000, "vingt et un mille"],
    [80_000, "quatre-vingt mille"],
    [200_000, "deux cent mille"],
    [999_999, "neuf cent quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf"],
    [1_000_000, "un million"],
    [2_000_000, "deux millions"],
  ])("%i → %s", (value, words) => {
    expect(numberInWords(value)).toBe(words);
  });

  it("refuses what is not a whole non-negative number", () => {
    expect(() => numberInWords(-1)).toThrow(RangeError);
    expect(() => numberInWords(1.5)).toThrow(RangeError);
  });
});

describe("amountInWords (cents → euros and centimes)", () => {
  it.each([
    [0, "zéro euro"],
    [1, "un centime"],
    [50, "cinquante centimes"],
    [100, "un euro"],
    [150, "un euro et cinquante centimes"],
    [200, "deux euros"],
    [2_100, "vingt et un euros"],
    [7_100, "soixante et onze euros"],
    [8_000, "quatre-vingts euros"],
    [8_100, "quatre-vingt-un euros"],
    [9_100, "quatre-vingt-onze euros"],
    [10_000, "cent euros"],
    [10_100, "cent un euros"],
    [20_000, "deux cents euros"],
    [100_000, "mille euros"],
    [100_100, "mille un euros"],
    [123_456, "mille deux cent trente-quatre euros et cinquante-six centimes"],
    [8_000_080, "quatre-vingt mille euros et quatre-vingts centimes"],
    [100_000_000, "un million d’euros"],
    [100_000_001, "un million d’euros et un centime"],
    [200_000_000, "deux millions d’euros"],
    [100_020_000, "un million deux cents euros"],
  ])("%i cents → %s", (cents, words) => {
    expect(amountInWords(cents)).toBe(words);
  });

  it("writes every amount from 0 to 1 000 000 € with the right shape", () => {
    // Every whole euro amount plus a rotating cent part: the words always read back the same
    // structure, « … euros [et … centimes] » (or the singular), never a double space nor a stray hyphen.
    for (let whole = 0; whole <= 1_000_000; whole += whole < 2_000 ? 1 : 997) {
      const rest = whole % 100;
      const text = amountInWords(whole * 100 + rest);
      expect(text).not.toMatch(/\s{2}|^-|-$| -|- /);
      if (rest === 0) expect(text).toMatch(whole === 1_000_000 ? /d’euros$/ : /euros?$/);
      else expect(text).toMatch(/ centimes?$/);
      if (whole >= 2 && whole !== 1_000_000) expect(text).toContain(" euros");
      // « cents » takes an s only when nothing follows it; « vingts » only in quatre-vingts at the end.
      expect(text).not.toMatch(/cents (?!euros|centimes|d’)/);
      expect(text).not.toMatch(/vingts (?!euros|centimes|d’)/);
      expect(text).not.toMatch(/milles/);
    }
  });

  it("refuses negative or fractional cents", () => {
    expect(() => amountInWords(-100)).toThrow(RangeError);
    expect(() => amountInWords(10.5)).toThrow(RangeError);
  });
});
