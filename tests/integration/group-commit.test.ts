/**
 * Group commit (db/group-commit.ts) on a real SQLite file: transactions that arrive together share
 * one commit, none is answered before the commit that holds it (a second connection, as another
 * process would open it, sees its row when its promise resolves), a failure rolls back only its
 * own transaction, a batch SQLite ends by itself (disk full) is answered as failed entirely, and
 * each transaction runs in its caller's async context. SQLite only: on PostgreSQL `transact` is a
 * plain transaction.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseUnavailableError } from "#db/database-errors";
import { MAX_JOBS } from "#db/group-commit";
import { openDatabase, type Database } from "#db/connection";
import { tempDatabasePath } from "../support/db";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const context = new AsyncLocalStorage<string>();

async function open(onUnavailable?: (e: DatabaseUnavailableError) => void): Promise<Database> {
  const tmp = tempDatabasePath("group-commit", null);
  const database = openDatabase(tmp.file, { onUnavailable });
  cleanups.push(tmp.cleanup, () => database.close());
  await sql`create table notes (id integer primary key, label text not null unique, body blob)`.execute(
    database.db,
  );
  return database;
}

/** What another process sees: a connection of its own, opened now. */
function committedLabels(database: Database): string[] {
  const other = new SQLite(database.path, { readonly: true });
  try {
    return (other.prepare("select label from notes order by id").pluck().all() as string[]).sort();
  } finally {
    other.close();
  }
}

const insert = (label: string) => sql`insert into notes (label) values (${label})`;

describe("group commit", () => {
  it("shares one commit between the transactions of a turn, and answers each once it is durable", async () => {
    const database = await open();
    const before = database.groupCommit!.stats();
    const seenAtAnswer: string[][] = [];
    const labels = Array.from({ length: 10 }, (_, i) => `note ${i}`);
    await Promise.all(
      labels.map((label) =>
        database
          .transact(async (trx) => {
            await insert(label).execute(trx);
            return label;
          })
          .then((answered) => {
            expect(answered).toBe(label);
            seenAtAnswer.push(committedLabels(database));
          }),
      ),
    );
    const after = database.groupCommit!.stats();
    expect(after.transactions - before.transactions).toBe(10);
    expect(after.batches - before.batches).toBe(1);
    // The first answer already found all ten written by another connection: one commit.
    for (const seen of seenAtAnswer) expect(seen).toEqual([...labels].sort());
  });

  it("rolls a failing transaction back alone; the others of its batch are committed", async () => {
    const database = await open();
    const outcomes = await Promise.allSettled(
      ["a", "b", "c", "d"].map((label) =>
        database.transact(async (trx) => {
          await insert(label).execute(trx);
          if (label === "b") throw new Error("refusé : b");
          // c writes a duplicate of its own label: the unique index refuses it.
          if (label === "c") await insert("c").execute(trx);
          return label;
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error("refusé : b"));
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(committedLabels(database)).toEqual(["a", "d"]);
    expect(database.groupCommit!.stats().batches).toBe(1);
  });

  it("answers every transaction even when the batch's own statements fail: none is left waiting", async () => {
    const database = await open();
    const outcomes = await Promise.allSettled(
      ["a", "b"].map((label) =>
        database.transact(async (trx) => {
          await insert(label).execute(trx);
          // b ends the savepoint the batch gave it, then fails: the batch cannot roll back to it.
          if (label === "b") {
            await sql`release grouped`.execute(trx);
            throw new Error("refusé : b");
          }
          return label;
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error("refusé : b"));
    // The batch was rolled back whole: a, answered as failed, was not written either.
    expect(committedLabels(database)).toEqual([]);
  });

  it(`takes at most ${MAX_JOBS} transactions in a batch`, async () => {
    const database = await open();
    const n = MAX_JOBS * 3 + 1;
    await Promise.all(
      Array.from({ length: n }, (_, i) => database.transact((trx) => insert(`n${i}`).execute(trx))),
    );
    expect(database.groupCommit!.stats()).toEqual({ batches: 4, transactions: n });
    expect(committedLabels(database)).toHaveLength(n);
  });

  it("runs each transaction, and reports its failure, in its caller's async context", async () => {
    const reported: Array<string | undefined> = [];
    const database = await open(() => reported.push(context.getStore()));
    const seen = await Promise.all(
      ["r1", "r2", "r3"].map((request) =>
        context.run(request, () =>
          database.transact(async (trx) => {
            await insert(request).execute(trx);
            return context.getStore();
          }),
        ),
      ),
    );
    expect(seen).toEqual(["r1", "r2", "r3"]);
    expect(reported).toEqual([]);
  });

  it("answers every transaction of a batch as failed when the disk is full: none of them was written", async () => {
    const reported: Array<string | undefined> = [];
    const database = await open(() => reported.push(context.getStore()));
    const sqlite = database.sqlite!;
    sqlite.prepare("insert into notes (label) values ('kept')").run();
    // The file may not grow by one page, and every free page is taken (as in disk-full.test.ts).
    const pages = Number(sqlite.pragma("page_count", { simple: true }));
    sqlite.pragma(`max_page_count = ${pages}`);
    const fill = sqlite.prepare("insert into notes (label, body) values (?, zeroblob(?))");
    for (let i = 0; ; i++) {
      try {
        fill.run(`filler ${i}`, 512);
      } catch {
        break;
      }
    }
    const labelsBefore = committedLabels(database);
    const outcomes = await Promise.allSettled(
      ["small", "large"].map((label) =>
        context.run(label, () =>
          database.transact(async (trx) => {
            // A change that needs no new page, then one that needs many.
            if (label === "small")
              await sql`update notes set label = 'renamed' where label = 'kept'`.execute(trx);
            else await sql`insert into notes (label, body) values (${label}, zeroblob(200000))`.execute(trx);
            return label;
          }),
        ),
      ),
    );
    const large = outcomes[1] as PromiseRejectedResult;
    expect(large.status).toBe("rejected");
    expect(large.reason).toBeInstanceOf(DatabaseUnavailableError);
    expect((large.reason as DatabaseUnavailableError).problem).toBe("full");
    // SQLite rolled the whole transaction back: « small » was not written, and is not said to be.
    expect(sqlite.inTransaction).toBe(false);
    expect(outcomes[0]!.status).toBe("rejected");
    expect(committedLabels(database)).toEqual(labelsBefore);
    // Each request was told, in its own context, that the database is unavailable.
    expect(reported.sort()).toEqual(["large", "small"]);
  });
});
