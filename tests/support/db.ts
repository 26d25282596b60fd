/** Throwaway SQLite databases for tests: a real file in a temporary folder. */
import fs from "node:fs";
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
