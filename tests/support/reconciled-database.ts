/**
 * For integration suites that move money: a fresh, migrated database for every test (SQLite
 * file, or PostgreSQL under test:pg), the Stripe stand-in reset before it, and after it the
 * ledger invariant of docs/product-rules.md#money-rules checked for every campaign — paid − refunded = held + paid out
 * + commission — and every abondement envelope's balance, before the database is closed and dropped.
 */
import type { SetupServer } from "msw/node";
import { afterEach, beforeEach, expect } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { reconcile, reconcileFunds } from "~/settlement/reconcile.server";
import { stripeMock } from "~/demo/stripe-api.server";
import { tempDatabasePath } from "./db";

/** Registers the hooks; `opened` receives each test's database before the suite's own beforeEach hooks run. */
export function reconciledDatabasePerTest(
  label: string,
  server: SetupServer,
  opened: (database: Database) => void,
): void {
  let handle: Database;
  let drop: () => void;
  let n = 0;
  beforeEach(async () => {
    stripeMock.reset();
    const tmp = tempDatabasePath(`${label}-${++n}`);
    drop = tmp.cleanup;
    handle = openDatabase(tmp.file);
    await migrateToLatest(handle.db);
    opened(handle);
  });
  afterEach(async () => {
    server.resetHandlers();
    try {
      const balances = await reconcile(handle.db);
      expect(
        balances.filter((b) => b.problems.length > 0).map((b) => ({ slug: b.slug, problems: b.problems })),
      ).toEqual([]);
      // The abondement's envelopes balance too (docs/decisions/029-matching.md).
      const funds = await reconcileFunds(handle.db);
      expect(
        funds.filter((f) => f.problems.length > 0).map((f) => ({ fund: f.name, problems: f.problems })),
      ).toEqual([]);
    } finally {
      await handle.close();
      drop();
    }
  });
}
