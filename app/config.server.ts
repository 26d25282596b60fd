/**
 * Configuration, read once from the environment and validated with zod.
 * Secrets come only from the environment and are never logged.
 */
import { z } from "zod";
import type { ContributionBounds } from "~/domain/money";

const flag = (fallback: boolean) =>
  z
    .enum(["1", "0", "true", "false", "on", "off", "yes", "no"])
    .optional()
    .transform((v) => (v === undefined ? fallback : ["1", "true", "on", "yes"].includes(v)));

export const LOG_FORMATS = ["json", "pretty"] as const;
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export interface LogSettings {
  format: (typeof LOG_FORMATS)[number];
  level: (typeof LOG_LEVELS)[number];
}

/**
 * LOG_FORMAT / LOG_LEVEL alone, never throwing: the logger must work to report a configuration
 * that does not (readConfig refuses the same bad values at start). JSON lines by default, French
 * human-readable lines in development.
 */
export function logSettings(env: NodeJS.ProcessEnv = process.env): LogSettings {
  const format = LOG_FORMATS.find((f) => f === env.LOG_FORMAT);
  const level = LOG_LEVELS.find((l) => l === env.LOG_LEVEL) ?? "info";
  const development = (env.PROPULSONS_ENV ?? "development") === "development";
  return { format: format ?? (development ? "pretty" : "json"), level };
}

const schema = z.object({
  PROPULSONS_ENV: z.enum(["production", "development", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().optional(),
  DATABASE_PATH: z.string().min(1).default("data/propulsons.sqlite"),
  /** postgres://user:password@host:5432/name — PostgreSQL instead of the SQLite file */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//i, "DATABASE_URL must be a postgres:// URL (SQLite uses DATABASE_PATH).")
    .optional(),
  /** SQLite: how long a write waits for another process's write lock before answering 503 */
  DATABASE_LOCK_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(600).default(10),
  SEED_DEMO_DATA: z.string().optional(),
  PAGE_CACHE: flag(true),
  PAGE_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  CONTRIBUTION_MIN_EUROS: z.coerce.number().int().min(1).max(1_000_000).default(1),
  CONTRIBUTION_MAX_EUROS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  CHECKOUT_EXPIRY_MINUTES: z.coerce
    .number()
    .int()
    .min(30)
    .max(24 * 60)
    .default(30),
  CAMPAIGN_MIN_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  CAMPAIGN_MAX_DAYS: z.coerce.number().int().min(1).max(365).default(90),
  UPLOADS_DIR: z.string().min(1).default("data/uploads"),
  /** where uploads live: the local folder UPLOADS_DIR, or an S3-compatible bucket (S3_*) */
  STORAGE: z.enum(["local", "s3"]).default("local"),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().min(1).default("fr-par"),
  S3_BUCKET: z.string().min(1).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).optional(),
  EMAIL_RATE_PER_SECOND: z.coerce.number().min(0.1).max(1000).optional(),
  SETTLE_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  SETTLE_GRACE_DAYS: z.coerce.number().min(0).max(60).default(5),
  REFUND_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
  REFUND_RATE_PER_SECOND: z.coerce.number().min(0.1).max(1000).default(24),
  REFUND_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  RESEND_API_KEY: z.string().min(1).optional(),
  EMAIL_FROM: z.string().min(1).optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** where a contributor writes when something went wrong with their money (a refund that failed) */
  CONTACT_EMAIL: z.email().optional(),
  EMAIL_WORKER_INTERVAL_SECONDS: z.coerce.number().positive().max(3600).default(10),
  DEMO_OUTBOX_PATH: z.string().min(1).default("data/demo-outbox.jsonl"),
  /** sign-in (docs/decisions/015): a citizen's session, a staff session, a fresh sign-in */
  SESSION_DAYS: z.coerce.number().int().min(1).max(400).default(30),
  STAFF_SESSION_HOURS: z.coerce.number().min(0.25).max(72).default(12),
  FRESH_SIGN_IN_MINUTES: z.coerce.number().int().min(1).max(120).default(15),
  LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  /** Bearer token that opens /metrics in production (without it, /metrics is a 404 there) */
  METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN must be at least 16 characters.").optional(),
});

export interface S3Settings {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface Config {
  env: "production" | "development" | "test";
  port: number;
  host: string | undefined;
  databasePath: string;
  databaseLockTimeoutMs: number;
  seedDemoData: boolean;
  pageCache: boolean;
  pageCacheTtlMs: number;
  contributionMinCents: number;
  contributionMaxCents: number;
  /** Stripe Checkout sessions expire after this (Stripe's minimum is 30 minutes) */
  checkoutExpiryMinutes: number;
  /** allowed duration of a campaign, in days from today (the end date a holder may pick) */
  campaignMinDays: number;
  campaignMaxDays: number;
  /** where uploaded images are stored (re-encoded, under names the platform chooses) */
  uploadsDir: string;
  /** S3-compatible storage for uploads (STORAGE=s3), else null: the local folder */
  s3: S3Settings | null;
  /** reverse-proxy hops in front of the server (Express `trust proxy`) */
  trustProxyHops: number;
  /** e-mails sent per second at most (Resend's default API limit is 2 requests/s) */
  emailRatePerSecond: number;
  /** the settlement job's period inside the server; 0 = off (use `npm run settle` from cron) */
  settleIntervalMs: number;
  /** how long a settling campaign waits for payments in flight */
  settleGraceMs: number;
  refundConcurrency: number;
  refundRatePerSecond: number;
  refundMaxAttempts: number;
  stripeSecretKey: string | undefined;
  stripeWebhookSecret: string | undefined;
  /** no Stripe key: payments are simulated and every page says so */
  demoMode: boolean;
  /**
   * absolute base URL of this process, without trailing slash: PUBLIC_URL, else
   * http://localhost:$PORT. E-mail links use `publicUrl(db)` (app/public-url.server.ts)
   * instead, which is right in every process (a CLI has no PORT of its own).
   */
  publicUrl: string;
  /** PUBLIC_URL as set (without trailing slash), null when unset (never in production) */
  publicUrlSetting: string | null;
  /** where a contributor writes when a refund failed (CONTACT_EMAIL) */
  contactEmail: string;
  /** sender of every email: "Name <address>" */
  emailFrom: string;
  /** period of the in-process email delivery loop */
  emailWorkerIntervalMs: number;
  /** JSONL file where the mocked Resend API keeps messages (demo mode and tests) */
  demoOutboxPath: string;
  /** how long a citizen's (or holder's) session lasts from sign-in (SESSION_DAYS) */
  sessionMs: number;
  /** how long a staff session lasts from sign-in, whatever happens meanwhile (STAFF_SESSION_HOURS) */
  staffSessionMs: number;
  /** an action that moves money needs a sign-in at most this old (FRESH_SIGN_IN_MINUTES) */
  freshSignInMs: number;
  /** Bearer token for /metrics (production: required to read it; null = /metrics is a 404 there) */
  metricsToken: string | null;
}

export const DEFAULT_EMAIL_FROM = "Propulsons <ne-pas-repondre@propulsons.example>";
export const DEFAULT_CONTACT_EMAIL = "contact@propulsons.example";

/**
 * How long after its checkout expired a pending contribution is taken as abandoned by
 * the settlement (`closeStalePending` in app/settlement/settle.server.ts).
 */
export const STALE_PENDING_AFTER_EXPIRY_MINUTES = 60;

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const production = e.PROPULSONS_ENV === "production";
  if (production) {
    // A production deployment never fakes a payment nor swallows an email, and never guesses
    // its own address (links in e-mails) nor whom contributors write to.
    const missing = (
      [
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "RESEND_API_KEY",
        "EMAIL_FROM",
        "PUBLIC_URL",
        "CONTACT_EMAIL",
      ] as const
    ).filter((k) => !e[k]);
    if (missing.length > 0) {
      throw new ConfigError(
        `PROPULSONS_ENV=production needs real keys; missing: ${missing.join(", ")}. Refusing to start with demo defaults.`,
      );
    }
  }
  // The settlement waits for pending contributions until the grace ends; a pending one is
  // closed as abandoned only an hour after its checkout expired. A shorter grace would
  // decide a campaign while a checkout opened just before its deadline may still be paid.
  const minGraceMinutes = e.CHECKOUT_EXPIRY_MINUTES + STALE_PENDING_AFTER_EXPIRY_MINUTES;
  if (e.SETTLE_GRACE_DAYS * 24 * 60 < minGraceMinutes) {
    throw new ConfigError(
      `SETTLE_GRACE_DAYS (${e.SETTLE_GRACE_DAYS}) must be at least CHECKOUT_EXPIRY_MINUTES (${e.CHECKOUT_EXPIRY_MINUTES}) + ` +
        `${STALE_PENDING_AFTER_EXPIRY_MINUTES} minutes, so that a checkout opened before a deadline can finish: ` +
        `at least ${minGraceMinutes} minutes = ${+(minGraceMinutes / (24 * 60)).toFixed(4)} days.`,
    );
  }
  if (e.CONTRIBUTION_MIN_EUROS > e.CONTRIBUTION_MAX_EUROS) {
    throw new ConfigError("CONTRIBUTION_MIN_EUROS must not exceed CONTRIBUTION_MAX_EUROS.");
  }
  if (
    e.STORAGE === "s3" &&
    (!e.S3_ENDPOINT || !e.S3_BUCKET || !e.S3_ACCESS_KEY_ID || !e.S3_SECRET_ACCESS_KEY)
  ) {
    throw new ConfigError(
      "STORAGE=s3 needs S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY.",
    );
  }
  if (e.CAMPAIGN_MIN_DAYS > e.CAMPAIGN_MAX_DAYS)
    throw new ConfigError("CAMPAIGN_MIN_DAYS must not exceed CAMPAIGN_MAX_DAYS.");
  if (e.STRIPE_SECRET_KEY && !e.STRIPE_WEBHOOK_SECRET) {
    // Real payments whose webhooks could not be verified would never be recorded.
    throw new ConfigError("STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is missing.");
  }
  const seedFlag =
    e.SEED_DEMO_DATA === undefined ? undefined : ["1", "true", "on", "yes"].includes(e.SEED_DEMO_DATA);
  return {
    env: e.PROPULSONS_ENV,
    port: e.PORT,
    host: e.HOST,
    // A postgres:// URL or a SQLite file path: db/connection.ts opens either.
    databasePath: e.DATABASE_URL ?? e.DATABASE_PATH,
    databaseLockTimeoutMs: e.DATABASE_LOCK_TIMEOUT_SECONDS * 1000,
    seedDemoData: seedFlag ?? !production,
    pageCache: e.PAGE_CACHE,
    pageCacheTtlMs: e.PAGE_CACHE_TTL_SECONDS * 1000,
    demoMode: !e.STRIPE_SECRET_KEY,
    contributionMinCents: e.CONTRIBUTION_MIN_EUROS * 100,
    contributionMaxCents: e.CONTRIBUTION_MAX_EUROS * 100,
    checkoutExpiryMinutes: e.CHECKOUT_EXPIRY_MINUTES,
    campaignMinDays: e.CAMPAIGN_MIN_DAYS,
    campaignMaxDays: e.CAMPAIGN_MAX_DAYS,
    uploadsDir: e.UPLOADS_DIR,
    s3:
      e.STORAGE === "s3"
        ? {
            endpoint: e.S3_ENDPOINT!,
            region: e.S3_REGION,
            bucket: e.S3_BUCKET!,
            accessKeyId: e.S3_ACCESS_KEY_ID!,
            secretAccessKey: e.S3_SECRET_ACCESS_KEY!,
          }
        : null,
    trustProxyHops: e.TRUST_PROXY ?? (production ? 1 : 0),
    emailRatePerSecond: e.EMAIL_RATE_PER_SECOND ?? (e.RESEND_API_KEY ? 2 : 10),
    settleIntervalMs: e.SETTLE_INTERVAL_SECONDS * 1000,
    settleGraceMs: Math.round(e.SETTLE_GRACE_DAYS * 24 * 3600 * 1000),
    refundConcurrency: e.REFUND_CONCURRENCY,
    refundRatePerSecond: e.REFUND_RATE_PER_SECOND,
    refundMaxAttempts: e.REFUND_MAX_ATTEMPTS,
    stripeSecretKey: e.STRIPE_SECRET_KEY,
    stripeWebhookSecret: e.STRIPE_WEBHOOK_SECRET,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    publicUrlSetting: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/+$/, "") : null,
    contactEmail: e.CONTACT_EMAIL ?? DEFAULT_CONTACT_EMAIL,
    emailFrom: e.EMAIL_FROM ?? DEFAULT_EMAIL_FROM,
    emailWorkerIntervalMs: Math.round(e.EMAIL_WORKER_INTERVAL_SECONDS * 1000),
    demoOutboxPath: e.DEMO_OUTBOX_PATH,
    sessionMs: e.SESSION_DAYS * 86_400_000,
    staffSessionMs: Math.round(e.STAFF_SESSION_HOURS * 3600_000),
    freshSignInMs: e.FRESH_SIGN_IN_MINUTES * 60_000,
    metricsToken: e.METRICS_TOKEN ?? null,
  };
}

let current: Config | undefined;

/** The bounds of one contribution, from the configuration. */
export function contributionBounds(cfg: Config = config()): ContributionBounds {
  return { minCents: cfg.contributionMinCents, maxCents: cfg.contributionMaxCents };
}

export function config(): Config {
  current ??= readConfig();
  return current;
}
