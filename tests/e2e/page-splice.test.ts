/**
 * A campaign page brought up to date by splicing after a payment (docs/decisions/034-money-splicing.md)
 * in a real Chromium, at 390 px and 1366 px: the browser hydrates it without a mismatch (React
 * would log an error and render it again with the data it was given), it shows the new money and
 * the new contributor, and its form works: the abondement's quote follows the amount typed.
 */
import path from "node:path";
import { openDatabase, type Database } from "#db/connection";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectedCents } from "../../scripts/bench-common";
import {
  codeOf,
  euros,
  signInMessagesTo,
  launchBrowser,
  normalize,
  pageHelpers,
  RESULTS_DIR,
  startServerWithOutbox,
  waitForHydration,
} from "../support/e2e";
import type { RunningServer } from "../support/server";
import { payThroughForm } from "../support/webhooks";

const WIDTHS = [390, 1366] as const;

let server: RunningServer;
let browser: Browser;
let database: Database;
let cleanup: () => void = () => {};
let outboxFile = "";
let campaign: { id: number; slug: string };
const { url, withPage } = pageHelpers({
  server: () => server,
  browser: () => browser,
  defaultTimeout: 15_000,
});

beforeAll(async () => {
  const started = await startServerWithOutbox("e2e-page-splice");
  server = started.server;
  cleanup = started.cleanup;
  outboxFile = started.outboxFile;
  database = openDatabase(started.databaseFile);
  // A live campaign with an abondement: its form quotes what the Département adds.
  campaign = await database.db
    .selectFrom("campaigns as c")
    .innerJoin("matching_fund_campaigns as m", "m.campaign_id", "c.id")
    .where("c.status", "=", "live")
    .select(["c.id", "c.slug"])
    .orderBy("c.id")
    .executeTakeFirstOrThrow();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await database?.close();
  await server?.stop();
  cleanup();
});

/** Errors the page logs (a hydration mismatch is one) and uncaught exceptions. */
function watchErrors(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") seen.push(m.text());
  });
  page.on("pageerror", (e) => seen.push(e.message));
  return seen;
}

describe("a spliced campaign page in the browser", () => {
  for (const [n, width] of WIDTHS.entries()) {
    it(`at ${width} px: hydrates without a mismatch, shows the new money, and its form works`, async () => {
      const pagePath = `/campagnes/${campaign.slug}`;
      await fetch(url(pagePath)).then((r) => r.arrayBuffer());
      const before = collectedCents(await (await fetch(url(pagePath))).text());
      await payThroughForm(server.url, database.db, campaign, { n: 100 + n, cents: 3_700 });
      await withPage({}, async (page) => {
        await page.setViewportSize({ width, height: 900 });
        const errors = watchErrors(page);
        const response = await page.goto(url(pagePath));
        expect(response?.headers()["x-page-cache"]).toBe("spliced");
        await waitForHydration(page);
        expect(await page.locator(".panel__big").textContent()).toBe(euros(before + 3_700));
        expect(normalize(await page.locator("#contributors-title ~ *").first().textContent())).toContain(
          `Fraîcheur ${100 + n}`,
        );
        // The form reacts to typing: hydrated, with the spliced data (the abondement's quote).
        const quote = page.locator("#c-abondement");
        expect(normalize(await quote.textContent())).toContain("Par exemple");
        await page.locator("#c-montant").fill("20");
        await expect.poll(async () => normalize(await quote.textContent())).toContain("20 €");
        expect(normalize(await quote.textContent())).not.toContain("Par exemple");
        await page.screenshot({ path: path.join(RESULTS_DIR, `page-splice-${width}.png`), fullPage: false });
        expect(errors).toEqual([]);
      });
    });
  }

  it("signed in, at 390 px: the page is the cached one with their header and address, and it hydrates", async () => {
    const email = "citoyen.raccord@example.org";
    const pagePath = `/campagnes/${campaign.slug}`;
    await withPage({}, async (page) => {
      await page.setViewportSize({ width: 390, height: 900 });
      await page.goto(url("/connexion"));
      const known = signInMessagesTo(outboxFile, email).length;
      await page.getByLabel("Adresse électronique").fill(email);
      await page.getByRole("button", { name: "Recevoir mon lien de connexion" }).click();
      await page.getByRole("heading", { level: 1, name: "Saisissez votre code" }).waitFor();
      await expect
        .poll(() => signInMessagesTo(outboxFile, email).length, { timeout: 10_000 })
        .toBeGreaterThan(known);
      await page
        .getByLabel("Code reçu par courriel (6 chiffres)")
        .fill(codeOf(signInMessagesTo(outboxFile, email).at(-1)!));
      await page.getByRole("button", { name: "Me connecter" }).click();
      await page.waitForURL((u) => u.pathname === "/mon-compte");
      // The anonymous page stored (signing a new citizen up changed every page), then a payment.
      await fetch(url(pagePath)).then((r) => r.arrayBuffer());
      await payThroughForm(server.url, database.db, campaign, { n: 200, cents: 2_100 });
      const errors = watchErrors(page);
      const response = await page.goto(url(pagePath));
      expect(response?.headers()["x-page-cache"]).toBe("personal");
      await waitForHydration(page);
      expect(normalize(await page.locator("#contributors-title ~ *").first().textContent())).toContain(
        "Fraîcheur 200",
      );
      expect(await page.locator("#c-email").inputValue()).toBe(email);
      const nav = page.getByRole("navigation", { name: "Navigation principale" });
      await expect.poll(() => nav.getByRole("link", { name: "Mon compte" }).count()).toBe(1);
      expect(await nav.getByRole("link", { name: "Se connecter" }).count()).toBe(0);
      await page.screenshot({ path: path.join(RESULTS_DIR, "page-splice-signed-in-390.png") });
      // Client-side navigation from the personalized page: hydrated with the visitor's session.
      await nav.getByRole("link", { name: "Mon compte" }).click();
      await page.waitForURL((u) => u.pathname === "/mon-compte");
      expect(errors).toEqual([]);
    });
  });
});
