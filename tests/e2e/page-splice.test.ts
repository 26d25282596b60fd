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
  euros,
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
});
