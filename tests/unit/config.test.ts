/**
 * readConfig: what production refuses to start without, the settlement grace's floor,
 * the contact address and the public URL as set.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_CONTACT_EMAIL, readConfig as readConfigFrom } from "~/config.server";

const readConfig = (env: Record<string, string>) => readConfigFrom(env as NodeJS.ProcessEnv);

const PRODUCTION = {
  PROPULSONS_ENV: "production",
  STRIPE_SECRET_KEY: "sk_live_x",
  STRIPE_WEBHOOK_SECRET: "whsec_x",
  RESEND_API_KEY: "re_x",
  EMAIL_FROM: "Propulsons <ne-pas-repondre@propulsons.fr>",
  PUBLIC_URL: "https://propulsons.fr/",
  CONTACT_EMAIL: "contact@propulsons.fr",
};

function without(env: Record<string, string>, ...keys: string[]): Record<string, string> {
  const copy = { ...env };
  for (const k of keys) delete copy[k];
  return copy;
}

describe("production", () => {
  it("starts with every key and setting", () => {
    const cfg = readConfig(PRODUCTION);
    expect(cfg.env).toBe("production");
    expect(cfg.publicUrl).toBe("https://propulsons.fr");
    expect(cfg.publicUrlSetting).toBe("https://propulsons.fr");
    expect(cfg.contactEmail).toBe("contact@propulsons.fr");
  });

  it("refuses to start without PUBLIC_URL", () => {
    expect(() => readConfig(without(PRODUCTION, "PUBLIC_URL"))).toThrow(ConfigError);
    expect(() => readConfig(without(PRODUCTION, "PUBLIC_URL"))).toThrow(
      "PROPULSONS_ENV=production needs real keys; missing: PUBLIC_URL. Refusing to start with demo defaults.",
    );
  });

  it("refuses to start without CONTACT_EMAIL", () => {
    expect(() => readConfig(without(PRODUCTION, "CONTACT_EMAIL"))).toThrow("missing: CONTACT_EMAIL.");
  });

  it("names every missing key at once", () => {
    expect(() => readConfig({ PROPULSONS_ENV: "production" })).toThrow(
      "missing: STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, RESEND_API_KEY, EMAIL_FROM, PUBLIC_URL, CONTACT_EMAIL.",
    );
  });
});

describe("CONTACT_EMAIL", () => {
  it("defaults to the example address outside production", () => {
    expect(readConfig({}).contactEmail).toBe(DEFAULT_CONTACT_EMAIL);
    expect(DEFAULT_CONTACT_EMAIL).toBe("contact@propulsons.example");
  });

  it("must be an e-mail address", () => {
    expect(readConfig({ CONTACT_EMAIL: "aide@propulsons.fr" }).contactEmail).toBe("aide@propulsons.fr");
    expect(() => readConfig({ CONTACT_EMAIL: "pas une adresse" })).toThrow(/CONTACT_EMAIL/);
  });
});

describe("PUBLIC_URL outside production", () => {
  it("is unset by default: this process's address is a fallback, not a setting", () => {
    const cfg = readConfig({ PORT: "4000" });
    expect(cfg.publicUrl).toBe("http://localhost:4000");
    expect(cfg.publicUrlSetting).toBeNull();
  });
});

describe("SETTLE_GRACE_DAYS", () => {
  it("defaults to 5 days", () => {
    expect(readConfig({}).settleGraceMs).toBe(5 * 24 * 3600 * 1000);
  });

  it("accepts exactly the checkout's expiry plus one hour (30 + 60 minutes by default)", () => {
    expect(readConfig({ SETTLE_GRACE_DAYS: String(90 / 1440) }).settleGraceMs).toBe(90 * 60_000);
  });

  it("refuses less than that, naming both settings", () => {
    expect(() => readConfig({ SETTLE_GRACE_DAYS: "0" })).toThrow(ConfigError);
    expect(() => readConfig({ SETTLE_GRACE_DAYS: "0.05" })).toThrow(
      /SETTLE_GRACE_DAYS \(0\.05\) must be at least CHECKOUT_EXPIRY_MINUTES \(30\) \+ 60 minutes.*at least 90 minutes = 0\.0625 days/,
    );
  });

  it("follows CHECKOUT_EXPIRY_MINUTES", () => {
    const env = { CHECKOUT_EXPIRY_MINUTES: String(24 * 60) };
    expect(() => readConfig({ ...env, SETTLE_GRACE_DAYS: "1" })).toThrow(/CHECKOUT_EXPIRY_MINUTES \(1440\)/);
    expect(readConfig({ ...env, SETTLE_GRACE_DAYS: "1.05" }).settleGraceMs).toBe(
      Math.round(1.05 * 24 * 3600 * 1000),
    );
  });
});
