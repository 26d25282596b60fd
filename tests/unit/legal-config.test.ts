/** app/legal/config.server.ts: examples that say so outside production, a refused start in production. */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_PAYMENT_PROVIDER,
  LegalConfigError,
  readLegalConfig,
  REQUIRED_IN_PRODUCTION,
} from "~/legal/config.server";

const REAL = {
  PUBLISHER_NAME: "Département du Pas-de-Calais",
  PUBLISHER_ADDRESS: "Hôtel du Département, rue Ferdinand-Buisson, 62018 Arras Cedex 9",
  PUBLICATION_DIRECTOR: "Jean Dupont",
  HOST_NAME: "OVH SAS",
  HOST_ADDRESS: "2 rue Kellermann, 59100 Roubaix",
  ORIAS_NUMBER: "12345678",
};

describe("legal configuration", () => {
  it("outside production, every unset value is an example that says « (exemple) »", () => {
    const c = readLegalConfig({});
    expect(c.examples).toBe(true);
    for (const v of [
      c.publisherName,
      c.publisherAddress,
      c.publicationDirector,
      c.hostName,
      c.hostAddress,
      c.oriasNumber,
    ])
      expect(v).toMatch(/\(exemple\)$/);
    expect(c.paymentProvider).toBe(DEFAULT_PAYMENT_PROVIDER);
  });

  it("uses the configured values, and says no example when all are set", () => {
    const c = readLegalConfig({ ...REAL, PAYMENT_PROVIDER: "Stripe Payments Europe, Ltd." });
    expect(c).toEqual({
      publisherName: REAL.PUBLISHER_NAME,
      publisherAddress: REAL.PUBLISHER_ADDRESS,
      publicationDirector: REAL.PUBLICATION_DIRECTOR,
      hostName: REAL.HOST_NAME,
      hostAddress: REAL.HOST_ADDRESS,
      oriasNumber: "12345678",
      paymentProvider: "Stripe Payments Europe, Ltd.",
      examples: false,
    });
  });

  it("in production, refuses to start without the legal identity and names what is missing", () => {
    expect(() => readLegalConfig({ PROPULSONS_ENV: "production" })).toThrow(LegalConfigError);
    expect(() =>
      readLegalConfig({
        PROPULSONS_ENV: "production",
        ...REAL,
        HOST_NAME: undefined,
        ORIAS_NUMBER: undefined,
      }),
    ).toThrow("missing: HOST_NAME, ORIAS_NUMBER");
    expect(readLegalConfig({ PROPULSONS_ENV: "production", ...REAL }).examples).toBe(false);
    expect(REQUIRED_IN_PRODUCTION).toHaveLength(6);
  });

  it("refuses an ORIAS number that is not 8 digits", () => {
    expect(() => readLegalConfig({ ORIAS_NUMBER: "12 34" })).toThrow(/ORIAS_NUMBER/);
  });
});
