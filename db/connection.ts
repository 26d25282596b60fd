/**
 * The one place that opens the database. SQLite (better-sqlite3, WAL) by
 * default — a file under data/ unless DATABASE_PATH says otherwise (":memory:"
 * for throwaway databases in tests) — or PostgreSQL when given a postgres:// URL
 * (DATABASE_URL). Dialect-specific code lives here (with sqlite-driver.ts and
 * database-errors.ts) and nowhere else; see docs/decisions/012-postgresql.md.
 *
 * Either way the database may go away for a while — PostgreSQL restarting, another process
 * holding SQLite's write lock, a full disk: such errors are thrown as DatabaseUnavailableError
 * (database-errors.ts) and reported to `onUnavailable`, the process stays up, and the next
 * query reconnects by itself (docs/decisions/016-database-outages.md).
 */
import fs from "node:fs";
import path from "node:path";
import { inspect } from "node:util";
import SQLite from "better-sqlite3";
import {
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  sql,
  type DatabaseConnection,
  type Driver,
  type MigrationProvider,
  type Transaction,
} from "kysely";
import pg from "pg";
import type { DB } from "./schema";
import { migrations } from "./migrations/index";
import { databaseProblem, DatabaseUnavailableError, describeDatabaseError } from "./database-errors";
import { NonBlockingSqliteDriver } from "./sqlite-driver";

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

export interface OpenOptions {
  /** PostgreSQL: connections in the pool (10) */
  poolSize?: number;
  /** SQLite: how long a write waits for another process's write lock before failing (10 s) */
  lockTimeoutMs?: number;
  /** PostgreSQL: how long to wait for a new connection before failing (5 s) */
  connectTimeoutMs?: number;
  /** told of every DatabaseUnavailableError, in the async context of the query that met it */
  onUnavailable?: (error: DatabaseUnavailableError) => void;
}

/** Open SQLite (a path) or PostgreSQL (a postgres:// URL). */
export function openDatabase(target: string, options: OpenOptions = {}): Database {
  return isPostgresUrl(target) ? openPostgres(target, options) : openSqlite(target, options);
}

/**
 * Wraps a dialect's driver: an error meaning « the database is unavailable » is thrown as
 * DatabaseUnavailableError (the driver's error as its cause) and reported to `onUnavailable`; and
 * when a rollback fails after an error (the connection is gone, the transaction already ended),
 * the error that caused the rollback is the one thrown — the failed rollback is only logged.
 */
class GuardedDriver implements Driver {
  /** the last error each connection met, since its transaction began */
  readonly #lastError = new WeakMap<DatabaseConnection, unknown>();
  readonly #wrapped = new WeakSet<DatabaseConnection>();
  readonly #reported = new WeakSet<DatabaseUnavailableError>();

  constructor(
    private readonly inner: Driver,
    private readonly onUnavailable?: (error: DatabaseUnavailableError) => void,
  ) {}

  #translate(error: unknown, connection?: DatabaseConnection): unknown {
    let out = error;
    if (!(error instanceof DatabaseUnavailableError)) {
      const problem = databaseProblem(error);
      if (problem) {
        const what = {
          connection: "Database connection unavailable",
          locked: "Database locked",
          full: "Database disk full",
        }[problem];
        out = new DatabaseUnavailableError(problem, `${what} (${describeDatabaseError(error)})`, {
          cause: error,
        });
      }
    }
    if (out instanceof DatabaseUnavailableError && !this.#reported.has(out)) {
      this.#reported.add(out);
      this.onUnavailable?.(out);
    }
    if (connection) this.#lastError.set(connection, out);
    return out;
  }

  async #guard<T>(run: () => Promise<T>, connection?: DatabaseConnection): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.#translate(error, connection);
    }
  }

  init(): Promise<void> {
    return this.#guard(() => this.inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.#guard(() => this.inner.acquireConnection());
    if (!this.#wrapped.has(connection)) {
      this.#wrapped.add(connection);
      const execute = connection.executeQuery.bind(connection);
      connection.executeQuery = (query) => this.#guard(() => execute(query), connection);
    }
    return connection;
  }

  beginTransaction(...args: Parameters<Driver["beginTransaction"]>): Promise<void> {
    this.#lastError.delete(args[0]);
    return this.#guard(() => this.inner.beginTransaction(...args), args[0]);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#guard(() => this.inner.commitTransaction(connection), connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const cause = this.#lastError.get(connection);
    try {
      await this.inner.rollbackTransaction(connection);
    } catch (error) {
      if (cause === undefined) throw this.#translate(error, connection);
      console.error(
        `Base de données : l'annulation de la transaction a échoué (${describeDatabaseError(error)}) ` +
          `après l'erreur qui l'a provoquée : ${describeDatabaseError(cause)}`,
      );
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the caller's error, passed on as it came.
      throw cause;
    }
  }

  savepoint(...args: Parameters<NonNullable<Driver["savepoint"]>>): Promise<void> {
    return this.#guard(() => this.inner.savepoint!(...args), args[0]);
  }

  rollbackToSavepoint(...args: Parameters<NonNullable<Driver["rollbackToSavepoint"]>>): Promise<void> {
    return this.#guard(() => this.inner.rollbackToSavepoint!(...args), args[0]);
  }

  releaseSavepoint(...args: Parameters<NonNullable<Driver["releaseSavepoint"]>>): Promise<void> {
    return this.#guard(() => this.inner.releaseSavepoint!(...args), args[0]);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

class GuardedSqliteDialect extends SqliteDialect {
  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly options: OpenOptions,
  ) {
    super({ database: sqlite });
  }
  override createDriver(): Driver {
    return new GuardedDriver(
      new NonBlockingSqliteDriver(this.sqlite, { lockTimeoutMs: this.options.lockTimeoutMs ?? 10_000 }),
      this.options.onUnavailable,
    );
  }
}

class GuardedPostgresDialect extends PostgresDialect {
  constructor(
    pool: pg.Pool,
    private readonly onUnavailable?: (error: DatabaseUnavailableError) => void,
  ) {
    super({ pool });
  }
  override createDriver(): Driver {
    return new GuardedDriver(super.createDriver(), this.onUnavailable);
  }
}

function openSqlite(filePath: string, options: OpenOptions): Database {
  if (filePath !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  const sqlite = new SQLite(filePath);
  // Opening may wait a little for another process (switching to WAL takes a lock); from then
  // on nothing waits inside SQLite, which would stop the whole process: the driver waits
  // asynchronously instead (sqlite-driver.ts).
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 0");
  const db = new Kysely<DB>({ dialect: new GuardedSqliteDialect(sqlite, options) });
  const totalChanges = sqlite.prepare("SELECT total_changes()").pluck();
  return {
    db,
    dialect: "sqlite",
    sqlite,
    path: filePath,
    // data_version moves when another connection commits; total_changes() when this one writes.
    dataVersion: () =>
      `${Number(sqlite.pragma("data_version", { simple: true }))}:${Number(totalChanges.get())}`,
    async close() {
      await db.destroy();
    },
  };
}

// Counts and sums come back from PostgreSQL as int8 / numeric strings; every amount here is
// integer cents far below 2^53, so they are read as numbers, as SQLite returns them.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

function openPostgres(url: string, options: OpenOptions): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // A server that does not answer fails the request (503) instead of holding it forever.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    // Dead connections (a cut network) are noticed by the operating system.
    keepAlive: true,
  });
  // A connection lost while idle in the pool (PostgreSQL restarting, pg_terminate_backend, a
  // failover) is an 'error' event: without a listener Node ends the process. The pool drops the
  // broken client and the next query opens a new connection. The same for a client checked out
  // between two queries (inside a transaction, say): the error reaches the waiting query or the
  // next one, and the pool drops the client on release. One log line per 10 s at most.
  const lost = throttledLog(10_000);
  pool.on("error", (error) => {
    lost(
      `PostgreSQL : connexion perdue (${describeDatabaseError(error)}) ; une nouvelle sera ouverte à la prochaine requête.`,
    );
  });
  pool.on("connect", (client) => {
    client.on("error", (error) => {
      lost(`PostgreSQL : connexion perdue en cours d'utilisation (${describeDatabaseError(error)}).`);
    });
  });
  const db = new Kysely<DB>({ dialect: new GuardedPostgresDialect(pool, options.onUnavailable) });
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

/** console.error, at most once per `everyMs` (saying how many lines it left out meanwhile). */
function throttledLog(everyMs: number): (line: string) => void {
  let last = 0;
  let left = 0;
  return (line) => {
    const now = Date.now();
    if (now - last < everyMs) {
      left++;
      return;
    }
    console.error(left > 0 ? `${line} (et ${left} autres messages de ce type depuis le précédent)` : line);
    last = now;
    left = 0;
  };
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
  if (error !== undefined) {
    const where = failed ? ` (migration ${failed.migrationName})` : "";
    throw new Error(
      `Database migration failed${where}: ${error instanceof Error ? error.message : inspect(error)}`,
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

/**
 * Whether a read that precedes a write on the same row must lock it (`select … for update`):
 * on PostgreSQL, where concurrent transactions run side by side; not on SQLite, whose write
 * transactions begin IMMEDIATE and so run one at a time (and which has no `for update`).
 */
export function needsRowLocks(db: Kysely<DB> | Transaction<DB>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
