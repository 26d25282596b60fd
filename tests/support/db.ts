/**
 * Throwaway databases for tests: a real SQLite file in a temporary folder — or, under
 * `npm run test:pg` (TEST_DATABASE_URL set), a fresh PostgreSQL database on that server,
 * dropped afterwards. Either way `file` is what db/connection.ts's openDatabase and the
 * server's DATABASE_PATH accept.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import SQLite from "better-sqlite3";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import type { Database } from "#db/connection";

/** The PostgreSQL server the suite runs against (npm run test:pg), or undefined for SQLite. */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL || undefined;
export const onPostgres = TEST_PG_URL !== undefined;

function psql(server: string, command: string): void {
  execFileSync("psql", [server, "-v", "ON_ERROR_STOP=1", "-q", "-c", command], {
    stdio: ["ignore", "ignore", "pipe"],
  });
}

/**
 * `server` chooses where: a PostgreSQL URL (a role that may CREATE DATABASE; the new database
 * is made on that server), or null for a SQLite file. By default TEST_DATABASE_URL, else SQLite
 * — the benchmarks pass it explicitly (`--db sqlite|pg`).
 */
export function tempDatabasePath(
  label = "test",
  server: string | null = TEST_PG_URL ?? null,
): { file: string; cleanup: () => void } {
  return server ? pgDatabase(server, label) : sqliteFile(label);
}

/**
 * A throwaway copy of a test database (`file` from tempDatabasePath), which no connection may
 * have open: the file copied, or on PostgreSQL a new database made with it as template.
 */
export function tempDatabaseCopy(file: string, label = "copy"): { file: string; cleanup: () => void } {
  if (/^postgres(ql)?:\/\//i.test(file))
    return pgDatabase(TEST_PG_URL!, label, decodeURIComponent(new URL(file).pathname.slice(1)));
  const copy = sqliteFile(label);
  fs.copyFileSync(file, copy.file);
  return copy;
}

function pgDatabase(server: string, label: string, template?: string): { file: string; cleanup: () => void } {
  const name = `propulsons_${label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, 30)}_${crypto.randomBytes(5).toString("hex")}`;
  psql(server, `create database "${name}"${template ? ` template "${template}"` : ""}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { file: url.toString(), cleanup: () => dropPgDatabase(server, name) };
}

/**
 * A plain DROP DATABASE first: it stops an autovacuum worker busy in that database and waits up
 * to 5 s for closed connections' backends to exit. WITH (FORCE) alone fails when the worker is
 * there (« must be a member of the role whose process is being terminated »: it runs as no role);
 * it is kept for connections still open, e.g. a killed child process's.
 */
function dropPgDatabase(server: string, name: string): void {
  try {
    psql(server, `drop database if exists "${name}"`);
    return;
  } catch {
    // still in use: end those sessions
  }
  for (let attempt = 1; ; attempt++) {
    try {
      psql(server, `drop database if exists "${name}" with (force)`);
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

function sqliteFile(label: string): { file: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `propulsons-${label}-`));
  return {
    file: path.join(dir, "propulsons.sqlite"),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A fixed "now" for seeded tests: live campaigns are placed relative to it. */
export const SEED_NOW = new Date("2026-11-10T10:00:00.000Z");

/** A separate connection to a server's database file, as another process would open it. */
export function withDatabaseFile<T>(file: string, fn: (db: SQLite.Database) => T): T {
  const db = new SQLite(file);
  db.pragma("busy_timeout = 5000");
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/**
 * Make every insert into `table` fail with `message` (a trigger, on either dialect), to prove
 * that a change and its companion rows are one transaction. Returns the function that repairs it.
 */
export async function breakInserts(
  database: Database,
  table: string,
  message: string,
): Promise<() => Promise<void>> {
  const run = (statement: string) => sql.raw(statement).execute(database.db);
  const name = `break_${table}`;
  if (database.dialect === "postgres") {
    await run(
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$`,
    );
    await run(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`);
    return async () => {
      await run(`DROP TRIGGER ${name} ON ${table}`);
      await run(`DROP FUNCTION ${name}()`);
    };
  }
  await run(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, '${message}'); END`);
  return async () => {
    await run(`DROP TRIGGER ${name}`);
  };
}
