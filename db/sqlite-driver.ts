/**
 * Kysely's driver for better-sqlite3, rewritten so that another process holding SQLite's write
 * lock never freezes the event loop (DESIGN.md §5, docs/decisions/016-database-outages.md).
 *
 * better-sqlite3 is synchronous: with a `busy_timeout`, a statement that finds the write lock
 * taken sleeps inside SQLite — the whole process stops, every request waits. Here the busy
 * timeout is 0 and a statement or `begin immediate` that finds the lock taken gives the single
 * connection back (so reads go on: in WAL mode they never wait for a writer), waits
 * asynchronously with backoff, and tries again, up to `lockTimeoutMs`; then it throws
 * DatabaseUnavailableError("locked") and the request answers a French 503.
 *
 * Transactions begin IMMEDIATE: they take the write lock at their start. A deferred `begin` that
 * reads and then writes fails at once with « database is locked » (SQLITE_BUSY_SNAPSHOT, no
 * wait) when another process committed in between — seen with `npm run settle` refunding while
 * the server sent e-mails. Once a transaction holds the lock nothing in it waits for another
 * process, so retrying only outside transactions is enough.
 *
 * A rollback after SQLite already rolled the transaction back by itself (SQLITE_FULL, SQLITE_IOERR)
 * is skipped: the error that made it roll back is the one reported, not « cannot rollback - no
 * transaction is active ».
 */
import type SQLite from "better-sqlite3";
import type { CompiledQuery } from "kysely";
import { SelectQueryNode, SqliteDriver, type DatabaseConnection, type QueryResult } from "kysely";
import { DatabaseUnavailableError } from "./database-errors";

export interface SqliteDriverOptions {
  /** how long a statement or a transaction waits for another process's write lock */
  lockTimeoutMs: number;
}

/** One holder at a time of the single connection (as Kysely's own driver does). */
class Mutex {
  #held: Promise<void> | undefined;
  #release: (() => void) | undefined;

  async lock(): Promise<void> {
    while (this.#held) await this.#held;
    this.#held = new Promise((resolve) => (this.#release = resolve));
  }

  unlock(): void {
    const release = this.#release;
    this.#held = undefined;
    this.#release = undefined;
    release?.();
  }
}

const isBusy = (error: unknown) =>
  typeof (error as { code?: unknown })?.code === "string" &&
  (error as { code: string }).code.startsWith("SQLITE_BUSY");

class NonBlockingSqliteConnection implements DatabaseConnection {
  readonly #statements = new Map<string, SQLite.Statement>();

  constructor(
    readonly sqlite: SQLite.Database,
    private readonly mutex: Mutex,
    private readonly options: SqliteDriverOptions,
  ) {}

  /**
   * Kysely's SqliteDriver prepares every query anew, and preparing is a large part of a short
   * query's cost: prepared statements are kept by SQL text (bounded). Safe because better-sqlite3
   * runs each statement to completion synchronously.
   */
  #prepare(source: string): SQLite.Statement {
    let statement = this.#statements.get(source);
    if (!statement) {
      statement = this.sqlite.prepare(source);
      if (this.#statements.size >= 2000) this.#statements.clear();
      this.#statements.set(source, statement);
    }
    return statement;
  }

  #run(compiled: CompiledQuery): QueryResult<unknown> {
    const statement = this.#prepare(compiled.sql);
    const parameters = compiled.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return {
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
      rows: [],
    };
  }

  /**
   * Run `attempt`; while it fails because another process holds the lock (and no transaction of
   * ours is open), give the connection back, wait, take it again and retry, up to the timeout.
   */
  async withLockWait<T>(attempt: () => T): Promise<T> {
    const started = performance.now();
    let delay = 2;
    for (;;) {
      try {
        return attempt();
      } catch (error) {
        if (!isBusy(error) || this.sqlite.inTransaction) throw error;
        const waited = performance.now() - started;
        if (waited >= this.options.lockTimeoutMs) {
          throw new DatabaseUnavailableError(
            "locked",
            `SQLite database locked by another process for more than ${(waited / 1000).toFixed(1)} s (${(error as Error).message})`,
            { cause: error },
          );
        }
        // Another holder of our single connection may run meanwhile: this call holds nothing.
        this.mutex.unlock();
        try {
          await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())));
        } finally {
          await this.mutex.lock();
        }
        delay = Math.min(delay * 1.5, 50);
      }
    }
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return this.withLockWait(() => this.#run(compiled) as QueryResult<R>);
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiled.query)) throw new Error("SQLite streams only select queries");
    const statement = this.#prepare(compiled.sql);
    for (const row of statement.iterate(compiled.parameters)) yield { rows: [row as R] };
  }
}

export class NonBlockingSqliteDriver extends SqliteDriver {
  readonly #mutex = new Mutex();
  readonly #connection: NonBlockingSqliteConnection;

  constructor(sqlite: SQLite.Database, options: SqliteDriverOptions) {
    super({ database: sqlite });
    this.#connection = new NonBlockingSqliteConnection(sqlite, this.#mutex, options);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return this.#connection;
  }

  override async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  override async beginTransaction(): Promise<void> {
    await this.#connection.withLockWait(() => this.#connection.sqlite.exec("begin immediate"));
  }

  override async commitTransaction(): Promise<void> {
    this.#connection.sqlite.exec("commit");
  }

  override async rollbackTransaction(): Promise<void> {
    // SQLite ends the transaction by itself on some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM):
    // nothing is left to roll back, and the error that ended it is the one Kysely rethrows.
    if (!this.#connection.sqlite.inTransaction) return;
    this.#connection.sqlite.exec("rollback");
  }
}
