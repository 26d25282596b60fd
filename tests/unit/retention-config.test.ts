/** Retention periods (app/retention.server.ts): defaults, settings, and a bad setting refused. */
import { describe, expect, it } from "vitest";
import { retentionPeriods as periodsOf } from "~/retention.server";

const retentionPeriods = (vars: Record<string, string>) => periodsOf({ NODE_ENV: "test", ...vars });

describe("retention periods", () => {
  it("default to the legal periods: receipts and accounting records 6 years", () => {
    expect(retentionPeriods({})).toEqual({
      accountingYears: 6,
      receiptYears: 6,
      inactiveAccountMonths: 36,
      contributorMonths: 36,
      securityDays: 180,
      contactMonths: 12,
    });
  });

  it("read RETENTION_RECEIPT_YEARS apart from RETENTION_ACCOUNTING_YEARS", () => {
    const p = retentionPeriods({ RETENTION_RECEIPT_YEARS: "10", RETENTION_ACCOUNTING_YEARS: "7" });
    expect([p.receiptYears, p.accountingYears]).toEqual([10, 7]);
  });

  it("refuse a receipt period that is not a whole number of years from 1 to 30", () => {
    for (const bad of ["0", "31", "six", "2.5"])
      expect(() => retentionPeriods({ RETENTION_RECEIPT_YEARS: bad }), bad).toThrow(
        /RETENTION_RECEIPT_YEARS/,
      );
  });
});
