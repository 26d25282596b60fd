/** Throwaway SQLite databases for tests: a real file in a temporary folder. */
import fs from "node:fs";
import SQLite from "better-sqlite3";
import os from "node:os";
import path from "node:path";

export function tempDatabasePath(label = "test"): { file: string; cleanup: () => void } {
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
