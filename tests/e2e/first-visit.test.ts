/**
 * A first visit on a phone and a laptop:
 * - the campaign page's keyboard order follows its visual order: from the top of the page, Tab
 *   reaches the contribution form's amount before any link of the story (390 and 1366 px), and
 *   on a wide screen the collection panel sits in its side column, next to the title;
 * - without JavaScript, a form's error is on the first screen of a phone (390 × 844) after the
 *   page comes back: the contribution form (a bad amount) and the sign-in form (a bad e-mail).
 */
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  launchBrowser,
  normalize,
  pageHelpers,
  startServerWithOutbox,
  waitForHydration,
} from "../support/e2e";
import type { RunningServer } from "../support/server";

let server: RunningServer;
let browser: Browser;
let cleanup: () => void = () => {};
let slug = "";
const STORY_LINK = "le site de l'association";

beforeAll(async () => {
  const started = await startServerWithOutbox("e2e-first-visit", { PAGE_CACHE: "off" });
  server = started.server;
  cleanup = started.cleanup;
  const db = new Database(started.databaseFile, { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  try {
    slug = db
      .prepare("select slug from campaigns where status = 'live' order by slug limit 1")
      .pluck()
      .get() as string;
    // A link in the story, the first thing to reach with Tab after the form.
    db.prepare("update campaigns set story_md = ? || story_md where slug = ?").run(
      `Voir [${STORY_LINK}](https://exemple.org/association).\n\n`,
      slug,
    );
  } finally {
    db.close();
  }
  expect(slug).not.toBe("");
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  cleanup();
});

const { url, withPage } = pageHelpers({
  server: () => server,
  browser: () => browser,
  defaultTimeout: 15_000,
});

interface Focused {
  id: string;
  text: string;
  inStory: boolean;
  inMain: boolean;
}

/** Tab from the top of the page until the amount field; every stop on the way. */
async function tabToAmount(page: Page): Promise<Focused[]> {
  const seen: Focused[] = [];
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const f = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      return {
        id: a?.id ?? "",
        text: (a?.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 50),
        inStory: Boolean(a?.closest("[aria-labelledby='story-title']")),
        inMain: Boolean(a?.closest(".campaign__main")),
      };
    });
    seen.push(f);
    if (f.id === "c-montant") return seen;
  }
  throw new Error(
    `the amount was not reached with Tab; focus went through:\n${JSON.stringify(seen, null, 1)}`,
  );
}

describe("campaign page: keyboard order is the visual order", () => {
  for (const width of [390, 1366]) {
    it(`at ${width} px, Tab reaches the contribution form's amount before the story's links`, async () => {
      await withPage({}, async (page) => {
        await page.setViewportSize({ width, height: 844 });
        await page.goto(url(`/campagnes/${slug}`));
        await waitForHydration(page);
        const stops = await tabToAmount(page);
        expect(stops[0]!.text).toBe("Aller au contenu");
        const early = stops.filter((s) => s.inStory || s.inMain);
        expect(early, "stops in the story before the amount").toEqual([]);
        // The story's link exists and comes after the form.
        const after: Focused[] = [];
        for (let i = 0; i < 40 && !after.some((s) => s.inStory); i++) {
          await page.keyboard.press("Tab");
          after.push(
            await page.evaluate(() => {
              const a = document.activeElement as HTMLElement | null;
              return {
                id: a?.id ?? "",
                text: (a?.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 50),
                inStory: Boolean(a?.closest("[aria-labelledby='story-title']")),
                inMain: Boolean(a?.closest(".campaign__main")),
              };
            }),
          );
        }
        expect(after.find((s) => s.inStory)?.text).toBe(STORY_LINK);

        // The layout: the panel beside the title on a wide screen, below the summary on a phone.
        const box = async (selector: string) => (await page.locator(selector).first().boundingBox())!;
        const title = await box(".campaign__header h1");
        const summary = await box(".campaign__summary");
        const aside = await box(".campaign__aside");
        const story = await box("#story-title");
        if (width === 1366) {
          expect(aside.x).toBeGreaterThan(title.x + title.width - 1);
          expect(aside.y).toBeLessThan(summary.y + summary.height);
          expect(story.x).toBeLessThan(aside.x);
        } else {
          expect(aside.y).toBeGreaterThanOrEqual(summary.y + summary.height);
          expect(story.y).toBeGreaterThan(aside.y + aside.height);
        }
      });
    });
  }
});

describe("without JavaScript, a form's error is on the first screen of a phone", () => {
  const phone = async (page: Page) => page.setViewportSize({ width: 390, height: 844 });

  async function expectOnFirstScreen(page: Page, selector: string): Promise<void> {
    const el = page.locator(selector).first();
    await el.waitFor();
    const b = (await el.boundingBox())!;
    const scrollY = await page.evaluate(() => window.scrollY);
    // boundingBox is relative to the viewport: the top-left of the box and its heading are on screen
    expect(b.y, `top of ${selector} (scrolled by ${scrollY} px)`).toBeGreaterThanOrEqual(0);
    expect(b.y + Math.min(b.height, 120)).toBeLessThanOrEqual(844);
  }

  it("the contribution form with a bad amount: its error summary shows at once", async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await phone(page);
      await page.goto(url(`/campagnes/${slug}`));
      const form = page.locator("#contribuer");
      await form.getByLabel("Montant en euros").fill("abc");
      await form.getByLabel("Adresse électronique").fill("contributrice@example.org");
      await form.getByLabel("Nom affiché sur la page du projet").fill("Contributrice");
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        form.getByRole("button", { name: "Continuer vers le paiement sécurisé" }).click(),
      ]);
      expect(res.status()).toBe(400);
      await page.waitForLoadState("load");
      const summary = page.locator("#contribuer .error-summary");
      expect(normalize(await summary.textContent())).toContain("Montant");
      await expectOnFirstScreen(page, "#contribuer .error-summary");
    });
  });

  it("the sign-in form with a bad e-mail: its error shows at once", async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await phone(page);
      await page.goto(url("/connexion"));
      await page.getByLabel("Adresse électronique").fill("prenom.nom@exemple");
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.getByRole("button", { name: "Recevoir mon lien de connexion" }).click(),
      ]);
      expect(res.status()).toBe(400);
      await page.waitForLoadState("load");
      expect(normalize(await page.locator("main [role=alert]").first().textContent())).toContain(
        "Adresse électronique invalide",
      );
      await expectOnFirstScreen(page, "main [role=alert]");
    });
  });
});

describe("with JavaScript, the error summary takes the focus", () => {
  it("the contribution form with a bad amount", async () => {
    await withPage({}, async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(url(`/campagnes/${slug}`));
      await waitForHydration(page);
      const form = page.locator("#contribuer");
      await form.getByLabel("Montant en euros").fill("abc");
      await form.getByRole("button", { name: "Continuer vers le paiement sécurisé" }).click();
      await page.locator("#contribuer .error-summary").waitFor();
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.classList.contains("error-summary") ?? false))
        .toBe(true);
      await expectOnFirstScreenJs(page);
    });
  });
});

async function expectOnFirstScreenJs(page: Page): Promise<void> {
  const b = (await page.locator("#contribuer .error-summary").boundingBox())!;
  expect(b.y).toBeGreaterThanOrEqual(0);
  expect(b.y).toBeLessThan(844);
}
