/**
 * The one place that opens the database. SQLite (better-sqlite3, WAL) by
 * default — a file under data/ unless DATABASE_PATH says otherwise (":memory:"
 * for throwaway databases in tests) — or PostgreSQL when given a postgres:// URL
 * (DATABASE_URL). Dialect-specific code lives here and nowhere else; see
 * docs/decisions/012-postgresql.md.
 */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Driver,
  type MigrationProvider,
  type Transaction,
} from "kysely";
import pg from "pg";
import type { DB } from "./schema";
import { migrations } from "./migrations/index";

export type Dialect = "sqlite" | "postgres";

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** the better-sqlite3 handle (SQLite only: benchmarks, tests that write behind the app's back) */
  sqlite: SQLite.Database | null;
  /** the file path, or the URL without its password */
  path: string;
  /**
   * A stamp that changes whenever any connection commits a write (the page cache's freshness
   * check): SQLite's data_version + total_changes(), PostgreSQL's current snapshot.
   */
  dataVersion(): string | Promise<string>;
  close(): Promise<void>;
}

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** Open SQLite (a path) or PostgreSQL (a postgres:// URL). */
export function openDatabase(target: string, options: { poolSize?: number } = {}): Database {
  return isPostgresUrl(target) ? openPostgres(target, options.poolSize ?? 10) : openSqlite(target);
}

/**
 * SQLite transactions begin IMMEDIATE: they take the write lock at their start, waiting for it
 * (busy_timeout) while another process writes. A deferred `begin` that reads and then writes
 * fails at once with « database is locked » (SQLITE_BUSY_SNAPSHOT, no wait) when another process
 * committed in between — seen with `npm run settle` refunding while the server sent e-mails.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw("begin immediate"));
    };
    return driver;
  }
}

function openSqlite(filePath: string): Database {
  if (filePath !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  const sqlite = new SQLite(filePath);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<DB>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
  });
  const totalChanges = sqlite.prepare("SELECT total_changes()").pluck();
  return {
    db,
    dialect: "sqlite",
    sqlite,
    path: filePath,
    // data_version moves when another connection commits; total_changes() when this one writes.
    dataVersion: () => `${sqlite.pragma("data_version", { simple: true })}:${totalChanges.get()}`,
    async close() {
      await db.destroy();
    },
  };
}

// Counts and sums come back from PostgreSQL as int8 / numeric strings; every amount here is
// integer cents far below 2^53, so they are read as numbers, as SQLite returns them.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

function openPostgres(url: string, poolSize: number): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: "postgres",
    sqlite: null,
    path: url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@"),
    // The current snapshot (xmin:xmax:running xids) changes whenever any transaction that wrote
    // ends, on any server, and two equal snapshots see exactly the same committed rows. Not the WAL
    // position: it moves when the commit record is written, before the commit becomes visible
    // (fsync, synchronous replicas), so a page rendered in between would be stored stale under the
    // new position; it also moves with checkpoints and vacuum. Reading it is one round trip.
    dataVersion: async () => {
      const r = await sql<{ snapshot: string }>`select pg_current_snapshot()::text as snapshot`.execute(db);
      return r.rows[0]!.snapshot;
    },
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
    throw new Error(
      `Database migration failed${where}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/**
 * Make the rest of a transaction run one at a time for `key`, across every connection and server:
 * for read-then-write rules such as « at most 5 sign-in requests per address ». PostgreSQL takes a
 * transaction-scoped advisory lock; SQLite needs nothing, as it runs one write transaction at a time.
 */
export async function serializeOn(trx: Transaction<DB>, key: string): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
}
