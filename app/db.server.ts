/**
 * The application's database handle: opened, migrated and (outside production)
 * seeded once at boot; loaders and actions use `database()`.
 */
import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { seedDemoPictures } from "#db/seed/pictures";
import { seedDatabase } from "#db/seed/seed";
import { noteDatabaseUnavailable } from "./database-errors.server";

let current: Database | undefined;

export interface InitOptions {
  path: string;
  seed: boolean;
  now?: Date;
  /** SQLite: how long a write waits for another process's lock before the request answers 503 */
  lockTimeoutMs?: number;
}

export async function initDatabase(options: InitOptions): Promise<Database> {
  if (current) await current.close();
  // A database that goes away is reported on the request that met it (a French 503 page).
  const opened = openDatabase(options.path, {
    lockTimeoutMs: options.lockTimeoutMs,
    onUnavailable: noteDatabaseUnavailable,
    // The server's commits never wait for the WAL to be copied back (db/sqlite-checkpoints.ts).
    backgroundCheckpoints: true,
  });
  await migrateToLatest(opened.db);
  if (options.seed) {
    await seedDatabase(opened.db, { now: options.now });
    // Every demo campaign has its picture (drawn once, kept in the file storage).
    await seedDemoPictures(opened.db);
  }
  current = opened;
  return opened;
}

export function database(): Database {
  if (!current) throw new Error("database() called before initDatabase()");
  return current;
}

export async function closeDatabase(): Promise<void> {
  await current?.close();
  current = undefined;
}
