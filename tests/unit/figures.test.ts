/**
 * Key figures, the pure part (app/domain/figures.ts): which campaigns count as
 * launched / funded / failed / cancelled / in progress in a year (Europe/Paris)
 * or since launch, the success rate and the average contribution (half up).
 */
import { describe, expect, it } from "vitest";
import type { CampaignState } from "~/domain/campaign-machine";
import {
  fundedNetCents,
  averageCents,
  classify,
  countCampaigns,
  periodKey,
  periodLabel,
  successRatePercent,
  wasLaunched,
  withYears,
  type CampaignFacts,
  type Period,
} from "~/domain/figures";
import { endOfDayInParis, parisYear, startOfDayInParis } from "~/domain/time";

const year = (y: number): Period => ({ kind: "year", year: y });
const ALL: Period = { kind: "all" };

/** A campaign from Paris calendar dates, as holders pick them (start 00:00, end 23:59:59 Paris). */
function campaign(
  status: CampaignState,
  startDate: string,
  endDate: string,
  wentLive = status !== "draft" && status !== "approved",
): CampaignFacts {
  return {
    id: 1,
    status,
    startsAt: startOfDayInParis(startDate).toISOString(),
    endsAt: endOfDayInParis(endDate).toISOString(),
    wentLive,
  };
}

/** classify() for several periods at once, sorted, for readable expectations. */
function kinds(c: CampaignFacts, periods: Period[]): Record<string, string[]> {
  return Object.fromEntries(
    periods.map((p) => [p.kind === "all" ? "all" : String(p.year), [...classify(c, p)].sort()]),
  );
}

describe("the year of an instant, in Europe/Paris", () => {
  it("puts New Year's Eve after 23:00 UTC (midnight in Paris, winter time) in the next year", () => {
    expect(parisYear(new Date("2024-12-31T23:30:00Z"))).toBe(2025);
    expect(parisYear(new Date("2024-12-31T23:00:00.000Z"))).toBe(2025);
    expect(parisYear(new Date("2024-12-31T22:59:59Z"))).toBe(2024);
    expect(parisYear(new Date("2024-12-31T22:59:59.999Z"))).toBe(2024);
    expect(parisYear(new Date("2025-01-01T00:30:00Z"))).toBe(2025);
  });

  it("a campaign starting on 1 January (Paris) starts on 31 December in UTC", () => {
    expect(startOfDayInParis("2025-01-01").toISOString()).toBe("2024-12-31T23:00:00.000Z");
    expect(endOfDayInParis("2024-12-31").toISOString()).toBe("2024-12-31T22:59:59.000Z");
  });
});

describe("classify: a campaign across New Year (starts 2024-12-20, ends 2025-01-15)", () => {
  const periods = [year(2023), year(2024), year(2025), year(2026), ALL];

  it("funded: launched and in progress in 2024, funded in 2025", () => {
    expect(kinds(campaign("funded", "2024-12-20", "2025-01-15"), periods)).toEqual({
      "2023": [],
      "2024": ["inProgress", "launched"],
      "2025": ["funded"],
      "2026": [],
      all: ["funded", "launched"],
    });
  });

  it("failed: launched and in progress in 2024, failed in 2025", () => {
    expect(kinds(campaign("failed", "2024-12-20", "2025-01-15"), periods)).toEqual({
      "2023": [],
      "2024": ["inProgress", "launched"],
      "2025": ["failed"],
      "2026": [],
      all: ["failed", "launched"],
    });
  });

  it("still live (or settling): in progress in both years, and since launch", () => {
    for (const status of ["live", "settling"] as const) {
      expect(kinds(campaign(status, "2024-12-20", "2025-01-15"), periods), status).toEqual({
        "2023": [],
        "2024": ["inProgress", "launched"],
        "2025": ["inProgress"],
        "2026": [],
        all: ["inProgress", "launched"],
      });
    }
  });

  it("cancelled after going live: launched in 2024, cancelled in the year of its end date", () => {
    expect(kinds(campaign("cancelled", "2024-12-20", "2025-01-15", true), periods)).toEqual({
      "2023": [],
      "2024": ["inProgress", "launched"],
      "2025": ["cancelled"],
      "2026": [],
      all: ["cancelled", "launched"],
    });
  });

  it("cancelled before going live, or never published: counts nowhere", () => {
    for (const c of [
      campaign("cancelled", "2024-12-20", "2025-01-15", false),
      campaign("approved", "2024-12-20", "2025-01-15", false),
      campaign("draft", "2024-12-20", "2025-01-15", false),
      campaign("submitted", "2024-12-20", "2025-01-15", false),
      campaign("changes_requested", "2024-12-20", "2025-01-15", false),
      campaign("rejected", "2024-12-20", "2025-01-15", false),
    ]) {
      expect(wasLaunched(c), c.status).toBe(false);
      expect(kinds(c, periods), c.status).toEqual({
        "2023": [],
        "2024": [],
        "2025": [],
        "2026": [],
        all: [],
      });
    }
  });

  it("a campaign over several years is in progress in each year before the one it ends in", () => {
    expect(
      kinds(campaign("funded", "2023-11-01", "2025-02-01"), [year(2022), year(2023), year(2024), year(2025)]),
    ).toEqual({
      "2022": [],
      "2023": ["inProgress", "launched"],
      "2024": ["inProgress"],
      "2025": ["funded"],
    });
  });
});

describe("classify: Paris year boundaries", () => {
  it("a campaign starting on 1 January (Paris) is launched that year, not the year before in UTC", () => {
    const c = campaign("funded", "2025-01-01", "2025-02-15");
    expect(c.startsAt).toBe("2024-12-31T23:00:00.000Z");
    expect(kinds(c, [year(2024), year(2025)])).toEqual({ "2024": [], "2025": ["funded", "launched"] });
  });

  it("a campaign ending on 31 December (Paris) is decided that year, not the next one", () => {
    const c = campaign("funded", "2024-11-01", "2024-12-31");
    expect(c.endsAt).toBe("2024-12-31T22:59:59.000Z");
    expect(kinds(c, [year(2024), year(2025)])).toEqual({ "2024": ["funded", "launched"], "2025": [] });
  });

  it("raw instants either side of Paris midnight", () => {
    const base = { id: 7, wentLive: true };
    const late2024: CampaignFacts = {
      ...base,
      status: "failed",
      startsAt: "2024-06-01T00:00:00Z",
      endsAt: "2024-12-31T22:59:59Z",
    };
    const early2025: CampaignFacts = {
      ...base,
      status: "failed",
      startsAt: "2024-06-01T00:00:00Z",
      endsAt: "2024-12-31T23:30:00Z",
    };
    expect(classify(late2024, year(2024))).toContain("failed");
    expect(classify(late2024, year(2025))).toEqual([]);
    expect(classify(early2025, year(2024))).toEqual(["launched", "inProgress"]);
    expect(classify(early2025, year(2025))).toEqual(["failed"]);
  });

  it("a campaign still live at the end of its end year (settling across New Year) is in progress in its end year", () => {
    const c = campaign("settling", "2024-11-01", "2024-12-31");
    expect(kinds(c, [year(2024), year(2025), ALL])).toEqual({
      "2024": ["inProgress", "launched"],
      "2025": [],
      all: ["inProgress", "launched"],
    });
  });

  it("DST changes do not move a campaign from one year to another", () => {
    // ends on the last Sunday of March / October 2025 (clock changes), starts on 1 January
    const spring = campaign("funded", "2025-01-01", "2025-03-30");
    const autumn = campaign("failed", "2025-01-01", "2025-10-26");
    expect(spring.endsAt).toBe("2025-03-30T21:59:59.000Z");
    expect(autumn.endsAt).toBe("2025-10-26T22:59:59.000Z");
    expect(kinds(spring, [year(2024), year(2025)])).toEqual({ "2024": [], "2025": ["funded", "launched"] });
    expect(kinds(autumn, [year(2024), year(2025)])).toEqual({ "2024": [], "2025": ["failed", "launched"] });
  });
});

describe("countCampaigns", () => {
  const campaigns: CampaignFacts[] = [
    campaign("funded", "2024-12-20", "2025-01-15"),
    campaign("funded", "2024-02-01", "2024-03-31"),
    campaign("failed", "2024-05-01", "2024-06-30"),
    campaign("live", "2025-01-01", "2025-02-28"),
    campaign("cancelled", "2024-09-01", "2024-10-31", true),
    campaign("cancelled", "2024-09-01", "2024-10-31", false),
    campaign("approved", "2025-03-01", "2025-04-30", false),
  ].map((c, i) => ({ ...c, id: i + 1 }));

  it("adds up the classification of each campaign", () => {
    expect(countCampaigns(campaigns, year(2024))).toEqual({
      launched: 4,
      funded: 1,
      failed: 1,
      cancelled: 1,
      inProgress: 1,
    });
    expect(countCampaigns(campaigns, year(2025))).toEqual({
      launched: 1,
      funded: 1,
      failed: 0,
      cancelled: 0,
      inProgress: 1,
    });
    expect(countCampaigns(campaigns, ALL)).toEqual({
      launched: 5,
      funded: 2,
      failed: 1,
      cancelled: 1,
      inProgress: 1,
    });
    expect(countCampaigns([], ALL)).toEqual({
      launched: 0,
      funded: 0,
      failed: 0,
      cancelled: 0,
      inProgress: 0,
    });
  });
});

describe("successRatePercent: funded / (funded + failed), whole percent, half up", () => {
  it.each([
    [2, 1, 67],
    [1, 7, 13], // 12.5 → 13
    [3, 5, 38], // 37.5 → 38
    [7, 1, 88], // 87.5 → 88
    [1, 2, 33],
    [5, 1, 83],
    [10, 0, 100],
    [0, 4, 0],
    [1, 199, 1], // 0.5 → 1
    [199, 1, 100], // 99.5 → 100
    [10, 1, 91],
  ])("%i funded, %i failed → %i %", (funded, failed, expected) => {
    expect(successRatePercent(funded, failed)).toBe(expected);
  });

  it("is null when nothing was decided", () => {
    expect(successRatePercent(0, 0)).toBeNull();
  });
});

describe("averageCents: total / count in integer cents, half up", () => {
  it.each([
    [10, 4, 3], // 2.5 → 3
    [5, 2, 3], // 2.5 → 3
    [7, 2, 4], // 3.5 → 4
    [10, 3, 3], // 3.33 → 3
    [11, 3, 4], // 3.67 → 4
    [1, 2, 1], // 0.5 → 1
    [1, 3, 0],
    [2500, 1, 2500],
    [5_693_800, 686, 8300],
    [239_500, 35, 6843], // 6842.86
    [3_000_000_001, 2, 1_500_000_001], // large totals stay exact
  ])("%i cents over %i → %i", (total, count, expected) => {
    expect(averageCents(total, count)).toBe(expected);
  });

  it("is null without contributions", () => {
    expect(averageCents(0, 0)).toBeNull();
  });
});

describe("periods", () => {
  it("keys and labels", () => {
    expect(periodKey(ALL)).toBe(0);
    expect(periodKey(year(2024))).toBe(2024);
    expect(periodLabel(ALL)).toBe("depuis le lancement");
    expect(periodLabel(year(2024))).toBe("en 2024");
  });
});

describe("classify: a cancelled campaign counts in the year it was cancelled", () => {
  // Launched in November 2024, due to end in January 2025, cancelled on 10 December 2024 (Paris).
  const cancelled = {
    id: 9,
    status: "cancelled" as CampaignState,
    startsAt: startOfDayInParis("2024-11-04").toISOString(),
    endsAt: endOfDayInParis("2025-01-20").toISOString(),
    wentLive: true,
    cancelledAt: "2024-12-10T15:00:00.000Z",
  };

  it("is launched and cancelled in 2024, and not « en cours » at the end of 2024", () => {
    expect(classify(cancelled, { kind: "year", year: 2024 })).toEqual(["launched", "cancelled"]);
  });

  it("does not appear in 2025", () => {
    expect(classify(cancelled, { kind: "year", year: 2025 })).toEqual([]);
  });

  it("without its cancellation instant, falls back to the planned end date", () => {
    expect(classify({ ...cancelled, cancelledAt: null }, { kind: "year", year: 2025 })).toEqual([
      "cancelled",
    ]);
  });

  it("cancelled on 31 December at 23:30 UTC belongs to the next Paris year", () => {
    expect(withYears({ ...cancelled, cancelledAt: "2024-12-31T23:30:00.000Z" }).endYear).toBe(2025);
  });
});

describe("the home page's « collectés »: money the funded campaigns kept", () => {
  const campaigns = [
    { id: 1, status: "funded" as const },
    { id: 2, status: "failed" as const },
    { id: 3, status: "live" as const },
  ];
  const money = [
    // funded: 4 520,00 € received, 35,00 € given back after a dispute
    { campaignId: 1, collected: 452_000, refunded: 3_500 },
    // failed, every euro refunded
    { campaignId: 2, collected: 120_000, refunded: 120_000 },
    // still running
    { campaignId: 3, collected: 31_500, refunded: 0 },
  ];

  it("a funded (net of its refund), a failed-refunded and a live campaign: 4 485,00 €", () => {
    expect(fundedNetCents(campaigns, money)).toBe(448_500);
  });

  it("the live campaign counts once it is funded; a failed one with a refund still owed never counts", () => {
    const funded = campaigns.map((c) => (c.id === 3 ? { ...c, status: "funded" as const } : c));
    expect(fundedNetCents(funded, money)).toBe(480_000);
    const owed = money.map((m) => (m.campaignId === 2 ? { ...m, refunded: 0 } : m));
    expect(fundedNetCents(campaigns, owed)).toBe(448_500);
  });

  it("nothing funded: 0", () => {
    expect(fundedNetCents([{ id: 3, status: "live" }], money)).toBe(0);
  });
});
