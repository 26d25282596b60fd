import { describe, expect, it } from "vitest";
import {
  addDays,
  endOfDayInParis,
  parisCalendarDate,
  parisYear,
  startOfDayInParis,
  timeLeft,
} from "~/domain/time";

describe("end of day in Europe/Paris", () => {
  it.each([
    // winter (UTC+1)
    ["2026-01-15", "2026-01-15T22:59:59.000Z"],
    // day before the spring change: still UTC+1
    ["2026-03-28", "2026-03-28T22:59:59.000Z"],
    // last Sunday of March 2026: clocks go forward at 02:00, evening is UTC+2
    ["2026-03-29", "2026-03-29T21:59:59.000Z"],
    ["2026-03-31", "2026-03-31T21:59:59.000Z"],
    // last Sunday of October 2026: clocks go back at 03:00, evening is UTC+1
    ["2026-10-24", "2026-10-24T21:59:59.000Z"],
    ["2026-10-25", "2026-10-25T22:59:59.000Z"],
    ["2024-12-31", "2024-12-31T22:59:59.000Z"],
  ])("%s ends at %s", (date, instant) => {
    expect(endOfDayInParis(date).toISOString()).toBe(instant);
  });

  it("start of day too", () => {
    expect(startOfDayInParis("2026-03-29").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(startOfDayInParis("2026-07-01").toISOString()).toBe("2026-06-30T22:00:00.000Z");
  });

  it("refuses malformed dates", () => {
    expect(() => endOfDayInParis("31/03/2026")).toThrow(RangeError);
    expect(() => endOfDayInParis("2026-02-30")).toThrow(RangeError);
  });

  it("calendar dates and years are read in Paris", () => {
    // 23:30 UTC on 31 December is already New Year in Paris
    expect(parisCalendarDate(new Date("2024-12-31T23:30:00Z"))).toBe("2025-01-01");
    expect(parisYear(new Date("2024-12-31T23:30:00Z"))).toBe(2025);
    expect(parisYear(new Date("2024-12-31T22:59:59Z"))).toBe(2024);
    expect(addDays("2026-03-28", 2)).toBe("2026-03-30");
  });
});

describe("time left", () => {
  const startsAt = new Date("2026-03-01T00:00:00Z");
  const endsAt = endOfDayInParis("2026-03-31");
  it.each([
    ["2026-03-19T09:00:00Z", "J-12"],
    ["2026-03-30T21:59:00Z", "J-1"], // 23:59 Paris on the 30th
    ["2026-03-30T22:00:00Z", "Dernières heures"], // midnight Paris, last day
    ["2026-03-31T21:59:58Z", "Dernières heures"],
    ["2026-03-31T21:59:59Z", "Terminée"],
    ["2026-02-20T12:00:00Z", "Bientôt"],
  ])("at %s: %s", (now, label) => {
    expect(timeLeft(new Date(now), startsAt, endsAt).label).toBe(label);
  });
});
