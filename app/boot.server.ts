/**
 * Start-up: configuration, database (created, migrated and seeded on first
 * start; kept as it is afterwards), the public address recorded for the other
 * processes, and the page cache.
 */
import { config, type Config } from "./config.server";
import { initDatabase } from "./db.server";
import { legalConfig } from "./legal/config.server";
import { receiptSettings } from "./receipts/settings.server";
import { retentionPeriods } from "./retention.server";
import { startEmailWorker } from "./email.server";
import { PageCache } from "./page-cache.server";
import { recordPublicUrl } from "./public-url.server";
import { startSettlementJob } from "./settlement/settle.server";
import type { Database } from "#db/connection";

export interface Platform {
  config: Config;
  database: Database;
  pageCache: PageCache | null;
}

export async function boot(): Promise<Platform> {
  const cfg = config();
  // The legal identity printed on every page: in production a missing one stops the start here.
  legalConfig();
  // The retention periods and the tax-receipt settings: a bad value stops the start, not a page later.
  retentionPeriods();
  receiptSettings();
  if (cfg.demoMode || !process.env.RESEND_API_KEY) {
    // Without keys, msw answers the Stripe and/or Resend APIs (app/demo): same code path, no network.
    const { startMockServer } = await import("~/demo/index.server");
    startMockServer({ stripe: cfg.demoMode, resend: !process.env.RESEND_API_KEY });
  }
  const database = await initDatabase({
    path: cfg.databasePath,
    seed: cfg.seedDemoData,
    lockTimeoutMs: cfg.databaseLockTimeoutMs,
  });
  // The address this server serves, for the e-mails that `npm run settle` and the other commands build.
  await recordPublicUrl(database.db, cfg.publicUrl);
  startEmailWorker(database.db, { intervalMs: cfg.emailWorkerIntervalMs });
  // Campaigns go live, close and settle by themselves (SETTLE_INTERVAL_SECONDS=0 turns it off).
  startSettlementJob(database.db, cfg.settleIntervalMs);
  const pageCache = cfg.pageCache
    ? new PageCache({
        ttlMs: cfg.pageCacheTtlMs,
        version: (keys) => database.pageStamp(keys),
        versions: () => database.pageVersions(),
      })
    : null;
  return { config: cfg, database, pageCache };
}
