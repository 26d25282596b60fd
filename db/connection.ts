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
import { groupCommit, type GroupCommit, type Transact } from "./group-commit";
import { startBackgroundCheckpoints, type BackgroundCheckpoints } from "./sqlite-checkpoints";
import {
  CompiledQuery,
  DeleteQueryNode,
  InsertQueryNode,
  Kysely,
  Migrator,
  RawNode,
  SelectQueryNode,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  TableNode,
  UpdateQueryNode,
  sql,
  type DatabaseConnection,
  type Driver,
  type MigrationProvider,
  type QueryResult,
  type Transaction,
} from "kysely";
import pg from "pg";
import type { DB } from "./schema";
import { migrations } from "./migrations/index";
import { databaseProblem, DatabaseUnavailableError, describeDatabaseError } from "./database-errors";
import { NonBlockingSqliteDriver } from "./sqlite-driver";
import {
  GLOBAL_KEY,
  PAGE_VERSIONS_TABLE,
  PRIVATE_TABLES,
  bumpStatement,
  type VersionTable,
} from "./page-versions";

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
  /**
   * The page cache's stamp for a page that depends on `keys` (null: on every key), read now
   * (db/page-versions.ts). SQLite: synchronous, with data_version (a commit by another
   * process invalidates every page). PostgreSQL: one query, shared by the calls that arrive
   * while the previous one is in flight (each call's query starts after the call).
   */
  pageStamp(keys: readonly string[] | null): string | Promise<string>;
  /** Every key's version, as one snapshot, with the stamp prefix (SQLite's data_version). */
  pageVersions(): PageVersionSnapshot | Promise<PageVersionSnapshot>;
  /**
   * Run `fn` on reads that all see one state of the database, given the page versions of that
   * state: a page built from them is stamped with exactly what it shows (a splice,
   * app/page-splice.server.ts). SQLite: the process's one connection is held for `fn`, so no
   * transaction of this process commits meanwhile (another process's commit moves the prefix,
   * read first). PostgreSQL: one read-only, repeatable-read transaction on one connection.
   */
  readConsistently<T>(fn: (db: Kysely<DB>, snapshot: PageVersionSnapshot) => Promise<T>): Promise<T>;
  /**
   * A write transaction that may share its commit with others running at the same time
   * (SQLite: group commit, db/group-commit.ts; PostgreSQL: a plain transaction). Resolves once
   * committed. For the busiest writes (Stripe's webhooks).
   */
  transact: Transact;
  /** SQLite: how many transactions `transact` grouped into how many commits */
  groupCommit: GroupCommit | null;
  /** SQLite opened with `backgroundCheckpoints`: the thread that copies the WAL back */
  checkpoints: BackgroundCheckpoints | null;
  close(): Promise<void>;
}

export interface PageVersionSnapshot {
  prefix: string;
  table: VersionTable;
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
  /**
   * SQLite file: copy the WAL back on a thread of its own, not inside a commit (the server;
   * db/sqlite-checkpoints.ts). Scripts and tests keep SQLite's automatic checkpoints.
   */
  backgroundCheckpoints?: boolean;
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
  /** each connection's executeQuery before wrapping (the driver's own statements) */
  readonly #raw = new WeakMap<DatabaseConnection, (query: CompiledQuery) => Promise<QueryResult<unknown>>>();
  /** the open transaction of each connection: did it write, which page keys did it declare */
  readonly #tx = new WeakMap<DatabaseConnection, { wrote: boolean; keys: Set<string> | null }>();
  /** page_versions exists (checked until it does: before migration 0018 nothing is bumped) */
  #versioned = false;
  /** connections whose open transaction has run its bump (SQLite: visible before the commit) */
  readonly #bumped = new WeakSet<DatabaseConnection>();

  constructor(
    private readonly inner: Driver,
    private readonly dialect: Dialect,
    private readonly onUnavailable?: (error: DatabaseUnavailableError) => void,
    /**
     * SQLite: counts transactions rolled back after their bump. On SQLite's single connection a
     * render sees the transaction's uncommitted bump; after a rollback the same version number
     * would come again with other data. The epoch is part of the stamp, so it never matches.
     * A lone write outside a transaction moves it too (#execute).
     */
    private readonly epoch: { rollbacksAfterBump: number } = { rollbacksAfterBump: 0 },
  ) {}

  async #hasVersions(connection: DatabaseConnection): Promise<boolean> {
    if (this.#versioned) return true;
    const raw = this.#raw.get(connection)!;
    const check =
      this.dialect === "postgres"
        ? CompiledQuery.raw(`select to_regclass('${PAGE_VERSIONS_TABLE}') is not null as ok`)
        : CompiledQuery.raw(
            `select count(*) > 0 as ok from sqlite_master where name = '${PAGE_VERSIONS_TABLE}'`,
          );
    const result = await raw(check);
    this.#versioned = Boolean((result.rows[0] as { ok?: unknown } | undefined)?.ok);
    return this.#versioned;
  }

  /** Bump `keys` (sorted) on this connection, in its open transaction. */
  async #bump(connection: DatabaseConnection, keys: Iterable<string>): Promise<void> {
    const sorted = [...keys].sort();
    if (sorted.length === 0 || !(await this.#hasVersions(connection))) return;
    this.#bumped.add(connection);
    await this.#raw.get(connection)!(CompiledQuery.raw(bumpStatement(sorted, this.dialect), sorted));
  }

  /**
   * Every statement passes here. A declaration (touch: an insert into page_versions) inside a
   * transaction is kept for the commit; a write outside any transaction runs in one with the
   * bump of `global`, so that no write reaches the database without invalidating some page.
   */
  async #execute(connection: DatabaseConnection, query: CompiledQuery): Promise<QueryResult<unknown>> {
    const raw = this.#raw.get(connection)!;
    const kind = statementKind(query);
    const tx = this.#tx.get(connection);
    if (kind === "touch" && tx) {
      tx.keys ??= new Set();
      for (const p of query.parameters) if (typeof p === "string") tx.keys.add(p);
      return { rows: [], numAffectedRows: BigInt(tx.keys.size) };
    }
    if (kind === "write") {
      if (tx) {
        const result = await raw(query);
        if (changedRows(query, result)) tx.wrote = true;
        return result;
      }
      if (this.dialect === "sqlite") {
        // SQLite: no transaction around a lone statement. Its single connection is given back
        // while `begin immediate` waits for another process's lock, so a transaction of this
        // process could begin meanwhile and ours would nest. The process-local epoch, part of
        // every stamp, moves instead: every page of this process is invalidated at once, and
        // other processes see the commit through data_version.
        const result = await raw(query);
        if (changedRows(query, result)) this.epoch.rollbacksAfterBump++;
        return result;
      }
      if (await this.#hasVersions(connection)) {
        await this.inner.beginTransaction(connection, {});
        try {
          const result = await raw(query);
          if (changedRows(query, result)) await this.#bump(connection, [GLOBAL_KEY]);
          await this.inner.commitTransaction(connection);
          this.#bumped.delete(connection);
          return result;
        } catch (error) {
          if (this.#bumped.has(connection)) this.epoch.rollbacksAfterBump++;
          this.#bumped.delete(connection);
          await this.inner.rollbackTransaction(connection).catch(() => undefined);
          throw error;
        }
      }
    }
    return raw(query);
  }

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
      this.#raw.set(connection, connection.executeQuery.bind(connection));
      connection.executeQuery = <R>(query: CompiledQuery) =>
        this.#guard(() => this.#execute(connection, query), connection) as Promise<QueryResult<R>>;
    }
    return connection;
  }

  beginTransaction(...args: Parameters<Driver["beginTransaction"]>): Promise<void> {
    this.#lastError.delete(args[0]);
    this.#tx.set(args[0], { wrote: false, keys: null });
    return this.#guard(() => this.inner.beginTransaction(...args), args[0]);
  }

  /** The transaction's page keys are bumped last, just before the commit (one statement). */
  commitTransaction(connection: DatabaseConnection): Promise<void> {
    const tx = this.#tx.get(connection);
    const keys = tx?.keys ?? (tx?.wrote ? [GLOBAL_KEY] : null);
    return this.#guard(async () => {
      if (keys) await this.#bump(connection, keys);
      this.#tx.delete(connection);
      await this.inner.commitTransaction(connection);
      this.#bumped.delete(connection);
    }, connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    this.#tx.delete(connection);
    if (this.#bumped.has(connection)) this.epoch.rollbacksAfterBump++;
    this.#bumped.delete(connection);
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

/**
 * What a statement does, for the page versions: `touch` (a declaration, db/page-versions.ts),
 * `read` (reads, and writes to PRIVATE_TABLES only), `control` (transaction statements the
 * drivers send themselves) or `write` — anything else, raw SQL included, so that an unknown
 * statement counts as a write.
 */
function statementKind(query: CompiledQuery): "touch" | "read" | "control" | "write" {
  const node = query.query;
  if (SelectQueryNode.is(node)) return "read";
  if (InsertQueryNode.is(node)) {
    const table = node.into?.table.identifier.name;
    if (table === PAGE_VERSIONS_TABLE) return "touch";
    return table !== undefined && PRIVATE_TABLES.has(table) && !node.returning ? "read" : "write";
  }
  if (UpdateQueryNode.is(node) || DeleteQueryNode.is(node)) {
    const target = UpdateQueryNode.is(node) ? node.table : node.from.froms[0];
    const table = target && TableNode.is(target) ? target.table.identifier.name : undefined;
    // A write joined with others (update … from, delete … using) counts, whatever its table.
    const joined = UpdateQueryNode.is(node) ? node.from !== undefined : node.using !== undefined;
    return table !== undefined && PRIVATE_TABLES.has(table) && !joined ? "read" : "write";
  }
  if (node === undefined || RawNode.is(node)) {
    const text = query.sql.trimStart().slice(0, 40).toLowerCase();
    if (/^(begin|commit|rollback|savepoint|release|start transaction|set transaction)\b/.test(text))
      return "control";
    if (/^(select|pragma|explain|show)\b/.test(text)) return "read";
    if (/^(with|values)\b/.test(text) && !/\b(insert|update|delete)\b/i.test(query.sql)) return "read";
  }
  return "write";
}

/** Whether a write changed something: false only for an insert, update or delete of no row. */
function changedRows(query: CompiledQuery, result: QueryResult<unknown>): boolean {
  const node = query.query;
  const dml = InsertQueryNode.is(node) || UpdateQueryNode.is(node) || DeleteQueryNode.is(node);
  return !(dml && result.numAffectedRows === 0n);
}

class GuardedSqliteDialect extends SqliteDialect {
  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly options: OpenOptions,
    private readonly epoch: { rollbacksAfterBump: number },
  ) {
    super({ database: sqlite });
  }
  override createDriver(): Driver {
    return new GuardedDriver(
      new NonBlockingSqliteDriver(this.sqlite, { lockTimeoutMs: this.options.lockTimeoutMs ?? 10_000 }),
      "sqlite",
      this.options.onUnavailable,
      this.epoch,
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
    return new GuardedDriver(super.createDriver(), "postgres", this.onUnavailable);
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
  // Savepoints' journals (a grouped commit's, db/group-commit.ts) and sorts stay in memory, not in
  // a temporary file: that file cost a grouped payment more than the commit it shared.
  sqlite.pragma("temp_store = MEMORY");
  sqlite.pragma("busy_timeout = 0");
  const checkpoints =
    options.backgroundCheckpoints && filePath !== ":memory:"
      ? startBackgroundCheckpoints(sqlite, filePath, {
          onFailure: (message) => console.error(`${message} ; SQLite reprend ses checkpoints automatiques.`),
        })
      : null;
  const epoch = { rollbacksAfterBump: 0 };
  const db = new Kysely<DB>({ dialect: new GuardedSqliteDialect(sqlite, options, epoch) });
  const grouped = groupCommit(db, {
    inTransaction: () => sqlite.inTransaction,
    onFailure: (error) => {
      if (error instanceof DatabaseUnavailableError) options.onUnavailable?.(error);
    },
  });
  const totalChanges = sqlite.prepare("SELECT total_changes()").pluck();
  // Prepared once: read at every page-cache hit (`pragma()` prepares its statement at each call).
  const dataVersion = sqlite.prepare("PRAGMA data_version").pluck();
  // Page versions: read in-process, synchronously (prepared once the table exists).
  let versions: { sum: SQLite.Statement; one: SQLite.Statement; all: SQLite.Statement } | null = null;
  const versionStatements = () =>
    (versions ??= {
      sum: sqlite.prepare("SELECT coalesce(sum(version), 0) FROM page_versions").pluck(),
      one: sqlite.prepare("SELECT version FROM page_versions WHERE key = ?").pluck(),
      all: sqlite.prepare("SELECT key, version FROM page_versions").raw(),
    });
  // Another process's commit (npm run settle) moves data_version: every page is invalidated.
  const prefix = () => `${Number(dataVersion.get())}.${epoch.rollbacksAfterBump}`;
  const pageVersions = (): PageVersionSnapshot => {
    const rows = versionStatements().all.all() as Array<[string, number]>;
    return { prefix: prefix(), table: new Map(rows.map(([k, v]) => [k, Number(v)])) };
  };
  return {
    db,
    dialect: "sqlite",
    sqlite,
    path: filePath,
    // data_version moves when another connection commits; total_changes() when this one writes.
    dataVersion: () => `${Number(dataVersion.get())}:${Number(totalChanges.get())}`,
    pageStamp(keys) {
      const s = versionStatements();
      if (keys === null) return `${prefix()}/*${Number(s.sum.get())}`;
      return `${prefix()}/${keys.map((k) => Number(s.one.get(k) ?? 0)).join(",")}`;
    },
    pageVersions,
    readConsistently: (fn) => db.connection().execute((held) => fn(held, pageVersions())),
    transact: grouped.transact,
    groupCommit: grouped,
    checkpoints,
    async close() {
      await checkpoints?.stop();
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
    pageStamp: batchedPageStamps(pool),
    pageVersions: () => postgresPageVersions(db),
    transact: (fn) => db.transaction().execute(fn),
    groupCommit: null,
    checkpoints: null,
    readConsistently: (fn) =>
      db
        .transaction()
        .setIsolationLevel("repeatable read")
        .setAccessMode("read only")
        .execute(async (trx) => fn(trx, await postgresPageVersions(trx))),
    async close() {
      await db.destroy();
    },
  };
}

async function postgresPageVersions(db: Kysely<DB>): Promise<PageVersionSnapshot> {
  const rows = await db.selectFrom("page_versions").select(["key", "version"]).execute();
  return { prefix: "", table: new Map(rows.map((r) => [r.key, Number(r.version)])) };
}

/**
 * PostgreSQL page stamps: the calls of one tick share one query, and up to STAMP_QUERIES_IN_FLIGHT
 * queries run at once (a call that arrives while they all run waits for the first to end). Every
 * call is answered by a query that started after it, so it sees every commit that came before it
 * (on any server); N concurrent cache hits cost a few round trips, not N, and a hit waits for about
 * one round trip, not for the one in flight to end and then its own.
 */
const STAMP_QUERIES_IN_FLIGHT = 3;
const STAMPS = {
  name: "propulsons_page_stamps",
  text: "select key, version from page_versions where key = any($1::text[])",
};
const STAMPS_AND_SUM = {
  name: "propulsons_page_stamps_sum",
  text: `${STAMPS.text} union all select '*', coalesce(sum(version), 0) from page_versions`,
};

function batchedPageStamps(pool: pg.Pool): (keys: readonly string[] | null) => Promise<string> {
  type Waiter = {
    keys: readonly string[] | null;
    resolve: (s: string) => void;
    reject: (e: unknown) => void;
  };
  let waiting: Waiter[] = [];
  let inFlight = 0;
  let scheduled = false;
  async function run(batch: Waiter[]): Promise<void> {
    try {
      const keys = [...new Set(batch.flatMap((w) => w.keys ?? []))];
      const all = batch.some((w) => w.keys === null);
      // Named statements: each connection parses and plans them once, not at every hit.
      const r = await pool.query<{ key: string; version: number }>(all ? STAMPS_AND_SUM : STAMPS, [keys]);
      const found = new Map(r.rows.map((row) => [row.key, Number(row.version)]));
      for (const w of batch)
        w.resolve(
          w.keys === null ? `/*${found.get("*") ?? 0}` : `/${w.keys.map((k) => found.get(k) ?? 0).join(",")}`,
        );
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
  function flush(): void {
    scheduled = false;
    if (waiting.length === 0 || inFlight >= STAMP_QUERIES_IN_FLIGHT) return;
    const batch = waiting;
    waiting = [];
    inFlight++;
    void run(batch).finally(() => {
      inFlight--;
      flush();
    });
  }
  return (keys) =>
    new Promise<string>((resolve, reject) => {
      waiting.push({ keys, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        // The calls of this tick (the hits parsed from one read of the sockets) share the query.
        setImmediate(flush);
      }
    });
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
  return isPostgres(db);
}

/**
 * Whether the database is PostgreSQL, where each statement is a round trip (and, on this kind of
 * machine, a costly system call): the money path folds its independent writes into one statement
 * there. SQLite runs in process, where the plain statements are the cheaper form.
 */
export function isPostgres(db: Kysely<DB> | Transaction<DB>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
