import { describe, expect, it } from "vitest";

describe("contributions per day (holder dashboard)", () => {
  it("groups by calendar day in Europe/Paris and fills the days without contributions", async () => {
    const { perDay } = await import("~/holder/dashboard.server");
    expect(
      perDay([
        { paidAt: "2026-03-28T22:59:00Z", amountCents: 1000 }, // 23:59 in Paris on the 28th
        { paidAt: "2026-03-28T23:01:00Z", amountCents: 500 }, // already the 29th in Paris
        { paidAt: "2026-03-31T10:00:00Z", amountCents: 2500 },
      ]),
    ).toEqual([
      { day: "2026-03-28", count: 1, cents: 1000 },
      { day: "2026-03-29", count: 1, cents: 500 },
      { day: "2026-03-30", count: 0, cents: 0 },
      { day: "2026-03-31", count: 1, cents: 2500 },
    ]);
    expect(perDay([])).toEqual([]);
  });
});
