/**
 * Start-up: configuration, database (created, migrated and seeded on first
 * start; kept as it is afterwards) and the page cache.
 */
import { config, type Config } from "./config.server";
import { initDatabase } from "./db.server";
import { PageCache } from "./page-cache.server";
import type { Database } from "#db/connection";

export interface Platform {
  config: Config;
  database: Database;
  pageCache: PageCache | null;
}

export async function boot(): Promise<Platform> {
  const cfg = config();
  const database = await initDatabase({ path: cfg.databasePath, seed: cfg.seedDemoData });
  const totalChanges = database.sqlite.prepare("SELECT total_changes()").pluck();
  const pageCache = cfg.pageCache
    ? new PageCache({
        ttlMs: cfg.pageCacheTtlMs,
        version: () => `${database.sqlite.pragma("data_version", { simple: true })}:${totalChanges.get()}`,
      })
    : null;
  return { config: cfg, database, pageCache };
}
