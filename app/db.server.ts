/**
 * The application's database handle: opened, migrated and (outside production)
 * seeded once at boot; loaders and actions use `database()`.
 */
import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { seedDatabase } from "#db/seed/seed";

let current: Database | undefined;

export interface InitOptions {
  path: string;
  seed: boolean;
  now?: Date;
}

export async function initDatabase(options: InitOptions): Promise<Database> {
  if (current) await current.close();
  const opened = openDatabase(options.path);
  await migrateToLatest(opened.db);
  if (options.seed) await seedDatabase(opened.db, { now: options.now });
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
