/**
 * The Content-Security-Policy in a real Chromium: every page hydrates with its nonce and
 * reports no violation (the campaign page, a contribution through the demo checkout, the
 * thank-you page), and a script without the nonce is blocked.
 */
import SQLite from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../support/server";
import { launchBrowser, pageHelpers, startServerWithOutbox, waitForHydration } from "../support/e2e";

let server: RunningServer;
let browser: Browser;
let cleanup: () => void = () => {};
let liveSlug = "";
const { url, withPage } = pageHelpers({ server: () => server, browser: () => browser });

beforeAll(async () => {
  const started = await startServerWithOutbox("e2e-csp");
  server = started.server;
  cleanup = started.cleanup;
  const db = new SQLite(started.databaseFile, { readonly: true });
  liveSlug = (
    db.prepare("select slug from campaigns where status = 'live' order by ends_at desc limit 1").get() as {
      slug: string;
    }
  ).slug;
  db.close();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  cleanup();
});

/** Record CSP violations (events and console messages) from the first script on. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) seen.push(m.text());
  });
  await page.exposeFunction("__cspViolation", (text: string) => seen.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { __cspViolation: (t: string) => void }).__cspViolation(
        `${e.violatedDirective} ${e.blockedURI} ${e.sample}`,
      ),
    );
  });
  return seen;
}

describe("Content-Security-Policy with a nonce", () => {
  it("public pages hydrate without any violation", async () => {
    await withPage({}, async (page) => {
      const violations = await watchViolations(page);
      for (const p of [
        "/",
        "/campagnes",
        `/campagnes/${liveSlug}`,
        "/connexion",
        "/rapport-annuel",
        "/nope",
      ]) {
        await page.goto(url(p));
        await waitForHydration(page);
      }
      // Client-side navigation works (hydrated): the list, then back to a campaign.
      await page.getByRole("navigation", { name: "Navigation principale" }).getByText("Les projets").click();
      await page.waitForURL((u) => u.pathname === "/campagnes");
      expect(violations).toEqual([]);
    });
  });

  it("a contribution through the demo checkout: no violation on the way", async () => {
    await withPage({}, async (page) => {
      const violations = await watchViolations(page);
      await page.goto(url(`/campagnes/${liveSlug}`));
      await waitForHydration(page);
      const form = page.locator("section#contribuer");
      await form.getByLabel("Montant en euros").fill("12");
      await form.getByLabel("Adresse électronique").fill("csp.test@example.org");
      await form.getByLabel("Nom affiché sur la page du projet").fill("Test CSP");
      await page.getByRole("button", { name: "Continuer vers le paiement sécurisé" }).click();
      await page.waitForURL((u) => /^\/demo\/checkout\/cs_test_/.test(u.pathname));
      await waitForHydration(page);
      await page.getByRole("button", { name: /^Payer 12\s€ \(carte de test/ }).click();
      await page.waitForURL((u) => u.pathname === "/contribution/merci");
      await page.getByRole("heading", { level: 1, name: "Merci pour votre contribution\u202f!" }).waitFor();
      expect(violations).toEqual([]);
    });
  });

  it("a script without the nonce does not run", async () => {
    await withPage({}, async (page) => {
      const violations = await watchViolations(page);
      await page.goto(url(`/campagnes/${liveSlug}`));
      await waitForHydration(page);
      const ran = await page.evaluate(async () => {
        const script = document.createElement("script");
        script.textContent = "window.__injected = true;";
        document.body.append(script);
        await new Promise((r) => setTimeout(r, 100));
        return (window as unknown as { __injected?: boolean }).__injected === true;
      });
      expect(ran).toBe(false);
      await expect.poll(() => violations.length).toBeGreaterThan(0);
      expect(violations.join("\n")).toMatch(/script-src/);
    });
  });
});
