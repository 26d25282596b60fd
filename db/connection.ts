/**
 * The one place that opens the database. SQLite (better-sqlite3, WAL) by
 * default; the file lives under data/ unless DATABASE_PATH says otherwise
 * (":memory:" for throwaway databases in tests).
 */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect, type MigrationProvider } from "kysely";
import type { DB } from "./schema";
import { migrations } from "./migrations/index";

export interface Database {
  db: Kysely<DB>;
  /** the underlying better-sqlite3 handle (change detection for the page cache, benchmarks) */
  sqlite: SQLite.Database;
  path: string;
  close(): Promise<void>;
}

export function openDatabase(filePath: string): Database {
  if (filePath !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  const sqlite = new SQLite(filePath);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    sqlite,
    path: filePath,
    async close() {
      await db.destroy();
    },
  };
}

/**
 * Kysely's SQLite driver prepares every query anew; preparing is a large part of
 * a short query's cost. This wrapper keeps prepared statements by SQL text
 * (bounded), which is safe because better-sqlite3 runs each statement to
 * completion synchronously.
 */
function withStatementCache(sqlite: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      statement = sqlite.prepare(source);
      if (cache.size >= 2000) cache.clear();
      cache.set(source, statement);
    }
    return statement;
  };
  return new Proxy(sqlite, {
    get(target, property) {
      if (property === "prepare") return prepare;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const provider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};

/** Bring the schema up to date. Throws (with the failing migration's name) on error. */
export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    const where = failed ? ` (migration ${failed.migrationName})` : "";
    throw new Error(`Database migration failed${where}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
