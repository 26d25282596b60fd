/** Shared by the command-line scripts: open the configured database, migrated. */
import { config } from "../app/config.server";
import { migrateToLatest, openDatabase, type Database } from "../db/connection";

export async function openConfiguredDatabase(): Promise<Database> {
  const database = openDatabase(config().databasePath);
  await migrateToLatest(database.db);
  return database;
}

/** `--name value` or `--name=value` from argv. */
export function option(name: string): string | undefined {
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${name}`) return argv[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

export function positional(): string[] {
  const argv = process.argv.slice(2);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i]!.startsWith("--")) {
      if (!argv[i]!.includes("=")) i++;
      continue;
    }
    out.push(argv[i]!);
  }
  return out;
}

export function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
