import { describe, expect, it } from "vitest";
import {
  campaignAvailable,
  citizenKey,
  fundOpen,
  quoteMatch,
  ratioLabel,
  ratioOf,
  rulesFrozen,
  type FundRules,
  type FundState,
} from "~/domain/matching";

const oneForOne: FundRules = {
  ratioBps: 10_000,
  capPerCampaignCents: null,
  capPerContributionCents: null,
  matchesPerCitizen: null,
};
const fresh: FundState = {
  envelopeCents: 100_000,
  committedCents: 0,
  campaignCommittedCents: 0,
  citizenMatches: 0,
};

describe("abondement rules", () => {
  it("applies the ratio, rounded down to the cent", () => {
    expect(ratioOf(2500, 10_000)).toBe(2500);
    expect(ratioOf(2500, 5_000)).toBe(1250);
    expect(ratioOf(333, 5_000)).toBe(166);
    expect(ratioOf(1, 5_000)).toBe(0);
    expect(() => ratioOf(1.5, 10_000)).toThrow(RangeError);
    expect(quoteMatch(2500, oneForOne, fresh)).toEqual({
      amountCents: 2500,
      fullCents: 2500,
      limitedBy: null,
    });
    expect(quoteMatch(1, { ...oneForOne, ratioBps: 5_000 }, fresh)).toEqual({
      amountCents: 0,
      fullCents: 0,
      limitedBy: null,
    });
  });

  it("caps per contribution, per campaign and by the envelope, matching partly what remains", () => {
    expect(quoteMatch(10_000, { ...oneForOne, capPerContributionCents: 5_000 }, fresh)).toEqual({
      amountCents: 5_000,
      fullCents: 10_000,
      limitedBy: "contribution_cap",
    });
    expect(
      quoteMatch(
        10_000,
        { ...oneForOne, capPerCampaignCents: 30_000 },
        { ...fresh, campaignCommittedCents: 26_000 },
      ),
    ).toEqual({ amountCents: 4_000, fullCents: 10_000, limitedBy: "campaign_cap" });
    expect(quoteMatch(10_000, oneForOne, { ...fresh, committedCents: 97_500 })).toEqual({
      amountCents: 2_500,
      fullCents: 10_000,
      limitedBy: "envelope",
    });
    // The tightest limit wins and is the one named.
    expect(
      quoteMatch(
        10_000,
        { ...oneForOne, capPerContributionCents: 6_000, capPerCampaignCents: 50_000 },
        { ...fresh, committedCents: 99_000, campaignCommittedCents: 45_000 },
      ),
    ).toEqual({ amountCents: 1_000, fullCents: 10_000, limitedBy: "envelope" });
    expect(quoteMatch(10_000, oneForOne, { ...fresh, committedCents: 100_000 })).toEqual({
      amountCents: 0,
      fullCents: 10_000,
      limitedBy: "envelope",
    });
  });

  it("matches a citizen's contributions only up to the fund's rule", () => {
    const once = { ...oneForOne, matchesPerCitizen: 1 };
    expect(quoteMatch(2_000, once, fresh).amountCents).toBe(2_000);
    expect(quoteMatch(2_000, once, { ...fresh, citizenMatches: 1 })).toEqual({
      amountCents: 0,
      fullCents: 2_000,
      limitedBy: "citizen",
    });
    expect(
      quoteMatch(2_000, { ...oneForOne, matchesPerCitizen: 3 }, { ...fresh, citizenMatches: 2 }).amountCents,
    ).toBe(2_000);
    expect(citizenKey({ userId: 12, email: "A@b.fr" })).toBe("user:12");
    expect(citizenKey({ userId: null, email: " Alice@Exemple.FR " })).toBe("email:alice@exemple.fr");
  });

  it("says what is left for a campaign, bounded by the envelope", () => {
    expect(campaignAvailable(oneForOne, { ...fresh, committedCents: 40_000 })).toBe(60_000);
    expect(
      campaignAvailable(
        { ...oneForOne, capPerCampaignCents: 25_000 },
        { ...fresh, campaignCommittedCents: 5_000 },
      ),
    ).toBe(20_000);
    expect(
      campaignAvailable(
        { ...oneForOne, capPerCampaignCents: 25_000 },
        { ...fresh, committedCents: 95_000, campaignCommittedCents: 5_000 },
      ),
    ).toBe(5_000);
    expect(
      campaignAvailable(
        { ...oneForOne, capPerCampaignCents: 25_000 },
        { ...fresh, campaignCommittedCents: 30_000 },
      ),
    ).toBe(0);
  });

  it("is open between its dates unless closed early, and freezes its rules once matches exist", () => {
    const f = { startsAt: "2027-01-01T00:00:00.000Z", endsAt: "2027-12-31T23:00:00.000Z", closedAt: null };
    expect(fundOpen(f, new Date("2026-12-31T23:59:59.000Z"))).toBe(false);
    expect(fundOpen(f, new Date("2027-06-01T00:00:00.000Z"))).toBe(true);
    expect(fundOpen(f, new Date("2027-12-31T23:00:00.000Z"))).toBe(false);
    expect(
      fundOpen({ ...f, closedAt: "2027-05-01T00:00:00.000Z" }, new Date("2027-06-01T00:00:00.000Z")),
    ).toBe(false);
    expect(rulesFrozen({ reservedCents: 0, confirmedCents: 0, hasMatches: false })).toBe(false);
    expect(rulesFrozen({ reservedCents: 0, confirmedCents: 0, hasMatches: true })).toBe(true);
    expect(rulesFrozen({ reservedCents: 500, confirmedCents: 0, hasMatches: false })).toBe(true);
  });

  it("names its ratio in French", () => {
    expect(ratioLabel(10_000)).toBe("1\u00a0€ pour 1\u00a0€");
    expect(ratioLabel(5_000)).toBe("0,50\u00a0€ pour 1\u00a0€");
    expect(ratioLabel(20_000)).toBe("2\u00a0€ pour 1\u00a0€");
  });
});
