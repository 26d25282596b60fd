/**
 * The campaign search in a real browser without JavaScript, at 390 px: the GET form, the
 * canonical redirect, accents, the empty result and its way out, a sort; axe on each state.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDatabasePath } from "../support/db";
import { axeChecker, launchBrowser, pageHelpers } from "../support/e2e";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let browser: Browser;
let cleanupDatabase: () => void = () => {};

beforeAll(async () => {
  const tmp = tempDatabasePath("e2e-search");
  cleanupDatabase = tmp.cleanup;
  server = await startServer({ DATABASE_PATH: tmp.file });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  cleanupDatabase();
});

const { url, withPage } = pageHelpers({ server: () => server, browser: () => browser });
const axe = axeChecker("search");

async function resultsCount(page: Page): Promise<string> {
  return ((await page.locator(".results-count").textContent()) ?? "").trim();
}

async function cardTitles(page: Page): Promise<string[]> {
  return (await page.locator("article.card .card__title a").allTextContents()).map((t) => t.trim());
}

describe("campaign search without JavaScript, at 390 px", () => {
  it("searches, sorts, says when nothing matches and clears the search", async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(url("/campagnes"));
      expect(await page.evaluate(() => "__remixRouter" in window)).toBe(false);

      // Accents and case do not matter; the untouched selects do not end up in the URL.
      await page.getByRole("searchbox", { name: "Rechercher" }).fill("HERBORISTERIE");
      await page.getByRole("button", { name: "Rechercher" }).click();
      await page.waitForURL((u) => u.searchParams.get("q") === "HERBORISTERIE");
      expect(new URL(page.url()).search).toBe("?q=HERBORISTERIE");
      expect(await cardTitles(page)).toEqual([
        "Herboristerie Notre-Dame : des plantes locales au cœur de Boulogne",
      ]);
      expect(await resultsCount(page)).toBe("1 projet trouvé pour «\u00a0HERBORISTERIE\u00a0»");
      expect(await page.locator('link[rel="canonical"]').getAttribute("href")).toMatch(
        /\/campagnes\?q=HERBORISTERIE$/,
      );

      // A town, without its accent; then sorted.
      await page.getByRole("searchbox", { name: "Rechercher" }).fill("boulogne");
      await page.getByLabel("Trier par").selectOption({ label: "Les plus récentes" });
      await page.getByRole("button", { name: "Rechercher" }).click();
      await page.waitForURL((u) => u.searchParams.get("tri") === "recentes");
      expect(new URL(page.url()).search).toBe("?q=boulogne&tri=recentes");
      const titles = await cardTitles(page);
      expect(titles.length).toBeGreaterThanOrEqual(3);
      expect(titles.some((t) => t.includes("La Salamandre"))).toBe(true);
      expect(await page.getByLabel("Trier par").inputValue()).toBe("recentes");

      // Nothing found: said in French, with a way out.
      await page.getByRole("searchbox", { name: "Rechercher" }).fill('zzzz "NEAR* :&|!');
      await page.getByRole("button", { name: "Rechercher" }).click();
      await page.waitForURL((u) => (u.searchParams.get("q") ?? "").startsWith("zzzz"));
      expect(await page.locator(".empty-results").textContent()).toContain("Aucun projet ne correspond à");
      await page.getByRole("link", { name: "Effacer la recherche" }).first().click();
      await page.waitForURL((u) => !u.searchParams.has("q"));
      expect(new URL(page.url()).search).toBe("?tri=recentes");
      expect(await page.getByRole("searchbox", { name: "Rechercher" }).inputValue()).toBe("");
      expect(await page.locator("article.card").count()).toBeGreaterThan(0);

      // The page is no wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    });
  });

  it("has no axe violation: the list, a result, no result (axe needs the page's JavaScript)", async () => {
    await withPage({}, async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      for (const [name, path] of [
        ["liste", "/campagnes"],
        ["resultat", "/campagnes?q=herboristerie"],
        ["tri", "/campagnes?q=boulogne&tri=objectif"],
        ["aucun-resultat", "/campagnes?q=zzzz&statut=en-cours"],
        ["trop-longue", `/campagnes?q=${"verre+".repeat(60)}`],
      ] as const) {
        const res = await page.goto(url(path));
        expect(res?.status(), path).toBe(200);
        await axe(page, name);
      }
      expect(await page.locator(".search-notice").textContent()).toContain("200");
    });
  });
});
