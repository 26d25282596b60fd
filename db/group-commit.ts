/**
 * Group commit on SQLite (docs/decisions/036-group-commit.md): transactions that arrive while one
 * is running share its commit. Each is its own savepoint inside one SQLite transaction, so a
 * failure rolls back that one alone, and none is answered before the commit that holds it.
 *
 * A payment writes about forty pages to the WAL at its commit (one per table and index it
 * touches: the contribution's indexes, the ledger, the outbox, the key figures, the tallies…);
 * payments of one batch write the pages they share once. The server has one connection, so the
 * transactions were already run one after the other: grouping changes when they commit, not
 * what each sees.
 *
 * Rules:
 * - a transaction's promise resolves only after the COMMIT that made it durable succeeded;
 * - a transaction that throws is rolled back to its savepoint and rejected; the others go on;
 * - if SQLite ended the whole transaction by itself (disk full, I/O error) or the COMMIT failed,
 *   every transaction of the batch is rejected with that error: none of them was written;
 * - a batch takes at most MAX_JOBS transactions and stops taking new ones after MAX_MS, so a
 *   reader waiting for the connection never waits long behind a batch;
 * - each transaction runs in the async context of its caller (AsyncResource.bind), so an
 *   unavailable database is reported to the request that met it.
 */
import { AsyncResource } from "node:async_hooks";
import { performance } from "node:perf_hooks";
import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "./schema";

/** Run `fn` in a write transaction; resolves once it is committed. */
export type Transact = <T>(fn: (trx: Transaction<DB>) => Promise<T>) => Promise<T>;

export const MAX_JOBS = 32;
export const MAX_MS = 5;

interface Job {
  run: (trx: Transaction<DB>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  /** its own statement failed (the driver has reported it, in this job's context) */
  reject: (error: unknown) => void;
  /** the batch failed: told to `onFailure` in the caller's async context, then rejected */
  fail: (error: unknown) => void;
}

export interface GroupCommit {
  transact: Transact;
  /** batches committed or failed, and transactions they ran (figures for tests and benchmarks) */
  stats(): { batches: number; transactions: number };
}

export function groupCommit(
  db: Kysely<DB>,
  options: {
    /** whether SQLite still has the batch's transaction open (it ends it by itself on some errors) */
    inTransaction: () => boolean;
    /** told, in the caller's context, of the error that rejects its transaction */
    onFailure?: (error: unknown) => void;
  },
): GroupCommit {
  const queue: Job[] = [];
  let running = false;
  let batches = 0;
  let transactions = 0;

  async function runBatch(): Promise<void> {
    const done: Array<{ job: Job; value: unknown }> = [];
    const started = performance.now();
    let taken = 0;
    /** the transaction taken from the queue and not yet answered nor done */
    let current: Job | null = null;
    try {
      await db.transaction().execute(async (trx) => {
        while (
          queue.length > 0 &&
          taken < MAX_JOBS &&
          (taken === 0 || performance.now() - started < MAX_MS)
        ) {
          const job = (current = queue.shift()!);
          taken++;
          await sql`savepoint grouped`.execute(trx);
          let value: unknown;
          try {
            value = await job.run(trx);
          } catch (error) {
            // Its writes are undone below, by its savepoint or with the whole batch.
            current = null;
            job.reject(error);
            // SQLite rolled the whole transaction back by itself: nothing of the batch remains.
            if (!options.inTransaction()) throw error;
            await sql`rollback to grouped`.execute(trx);
            await sql`release grouped`.execute(trx);
            continue;
          }
          current = null;
          // Done before its savepoint is released: if that fails, the batch fails with it.
          done.push({ job, value });
          await sql`release grouped`.execute(trx);
        }
      });
    } catch (error) {
      // (Set inside the callback, which TypeScript does not follow.)
      (current as Job | null)?.fail(error);
      for (const { job } of done) job.fail(error);
      // Not even begun (another process holds the lock past its timeout): so would every other.
      if (taken === 0) for (const job of queue.splice(0)) job.fail(error);
      return;
    } finally {
      batches++;
      transactions += taken;
    }
    for (const { job, value } of done) job.resolve(value);
  }

  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) await runBatch();
    } finally {
      running = false;
    }
  }

  const transact: Transact = <T>(fn: (trx: Transaction<DB>) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({
        run: AsyncResource.bind(fn),
        resolve: resolve as (value: unknown) => void,
        reject,
        fail: AsyncResource.bind((error: unknown) => {
          options.onFailure?.(error);
          reject(error);
        }),
      });
      // Begun after this turn of the event loop: the requests whose bodies arrived in the same
      // turn join it. (On SQLite a transaction never waits for I/O, so without this one would
      // run to its commit before the next request is even read.)
      if (!running) {
        running = true;
        setImmediate(() => void drain());
      }
    });

  return { transact, stats: () => ({ batches, transactions }) };
}
