/**
 * The few column definitions that differ between SQLite and PostgreSQL, for the migrations.
 * SQLite's output is exactly what the migrations wrote before PostgreSQL was supported.
 */
import { PostgresAdapter, type ColumnDefinitionBuilder, type Kysely } from "kysely";

/* eslint-disable @typescript-eslint/no-explicit-any */

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An auto-incremented integer primary key: `integer primary key autoincrement` / `serial primary key`. */
export function autoId(
  db: Kysely<any>,
): ["integer" | "serial", (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  return isPostgres(db)
    ? ["serial", (c) => c.primaryKey()]
    : ["integer", (c) => c.primaryKey().autoIncrement()];
}
