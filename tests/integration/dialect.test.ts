/**
 * The suite runs where it says it runs: every test database comes from tempDatabasePath, which
 * gives PostgreSQL exactly when TEST_DATABASE_URL is set (`npm run test:pg`), else SQLite.
 */
import { sql } from "kysely";
import { expect, it } from "vitest";
import { openDatabase } from "#db/connection";
import { TEST_PG_URL, tempDatabaseCopy, tempDatabasePath } from "../support/db";

it(`opens ${TEST_PG_URL ? "PostgreSQL, as TEST_DATABASE_URL is set" : "SQLite, as TEST_DATABASE_URL is not set"}`, async () => {
  const tmp = tempDatabasePath("dialect");
  const copies: Array<() => void> = [];
  try {
    const database = openDatabase(tmp.file);
    try {
      expect(database.dialect).toBe(TEST_PG_URL ? "postgres" : "sqlite");
      expect(database.sqlite === null).toBe(Boolean(TEST_PG_URL));
      // Not just the label: ask the server itself.
      const query = TEST_PG_URL
        ? sql<{ v: string }>`select version() as v`
        : sql<{ v: string }>`select 'SQLite ' || sqlite_version() as v`;
      expect((await query.execute(database.db)).rows[0]!.v).toMatch(
        TEST_PG_URL ? /^PostgreSQL / : /^SQLite /,
      );
      await sql`create table t (n integer)`.execute(database.db);
      await sql`insert into t values (42)`.execute(database.db);
    } finally {
      await database.close();
    }
    // A copy (the settlement crash test's calibration) is a database of the same kind, with the same rows.
    const copy = tempDatabaseCopy(tmp.file, "dialect-copy");
    copies.push(copy.cleanup);
    const copied = openDatabase(copy.file);
    try {
      expect(copied.dialect).toBe(TEST_PG_URL ? "postgres" : "sqlite");
      expect((await sql<{ n: number }>`select n from t`.execute(copied.db)).rows).toEqual([{ n: 42 }]);
    } finally {
      await copied.close();
    }
  } finally {
    for (const cleanup of copies) cleanup();
    tmp.cleanup();
  }
});
