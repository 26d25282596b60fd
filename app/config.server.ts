/**
 * Configuration, read once from the environment and validated with zod.
 * Secrets come only from the environment and are never logged.
 */
import { z } from "zod";

const flag = (fallback: boolean) =>
  z
    .enum(["1", "0", "true", "false", "on", "off", "yes", "no"])
    .optional()
    .transform((v) => (v === undefined ? fallback : ["1", "true", "on", "yes"].includes(v)));

const schema = z.object({
  PROPULSONS_ENV: z.enum(["production", "development", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().optional(),
  DATABASE_PATH: z.string().min(1).default("data/propulsons.sqlite"),
  SEED_DEMO_DATA: z.string().optional(),
  PAGE_CACHE: flag(true),
  PAGE_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  RESEND_API_KEY: z.string().min(1).optional(),
  EMAIL_FROM: z.string().min(1).optional(),
});

export interface Config {
  env: "production" | "development" | "test";
  port: number;
  host: string | undefined;
  databasePath: string;
  seedDemoData: boolean;
  pageCache: boolean;
  pageCacheTtlMs: number;
  /** no Stripe key: payments are simulated and every page says so */
  demoMode: boolean;
}

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
    // A production deployment never fakes a payment nor swallows an email.
    const missing = (["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "RESEND_API_KEY", "EMAIL_FROM"] as const).filter(
      (k) => !e[k],
    );
    if (missing.length > 0) {
      throw new ConfigError(
        `PROPULSONS_ENV=production needs real keys; missing: ${missing.join(", ")}. Refusing to start in demo mode.`,
      );
    }
  }
  const seedFlag = e.SEED_DEMO_DATA === undefined ? undefined : ["1", "true", "on", "yes"].includes(e.SEED_DEMO_DATA);
  return {
    env: e.PROPULSONS_ENV,
    port: e.PORT,
    host: e.HOST,
    databasePath: e.DATABASE_PATH,
    seedDemoData: seedFlag ?? !production,
    pageCache: e.PAGE_CACHE,
    pageCacheTtlMs: e.PAGE_CACHE_TTL_SECONDS * 1000,
    demoMode: !e.STRIPE_SECRET_KEY,
  };
}

let current: Config | undefined;

export function config(): Config {
  current ??= readConfig();
  return current;
}
