/**
 * Sharing in a real browser, at 390 and 1 366 px: the share links of the campaign
 * page and of the thank-you page (their URLs encoded, new windows announced, no
 * third-party script), « Copier le lien » with JavaScript and the read-only address
 * without; the pictures on the cards; « Proposer un projet » from the header, axe-clean.
 */
import path from "node:path";
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCampaigns } from "#db/seed/campaigns";
import { chromiumAvailable } from "../support/browser";
import {
  axeChecker,
  launchBrowser,
  mainNav,
  normalize,
  pageHelpers,
  RESULTS_DIR,
  startServerWithOutbox,
  waitForHydration,
} from "../support/e2e";
import type { RunningServer } from "../support/server";

let server: RunningServer;
let browser: Browser;
let cleanup = () => {};
let sqlite: Database.Database;

const WIDTHS = [390, 1366] as const;
const expectNoAxeViolations = axeChecker("sharing");
const { url, withPage } = pageHelpers({
  server: () => server,
  browser: () => browser,
  defaultTimeout: 15_000,
});

beforeAll(async () => {
  const started = await startServerWithOutbox("e2e-sharing");
  server = started.server;
  cleanup = started.cleanup;
  sqlite = new Database(started.databaseFile, { readonly: true, fileMustExist: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  sqlite?.close();
  await server?.stop();
  cleanup();
});

/** A live campaign of the demo, not in its last days. */
function liveCampaign() {
  const row = sqlite
    .prepare("select slug, title from campaigns where status = 'live' order by ends_at desc limit 1")
    .get() as { slug: string; title: string };
  return row;
}

async function shot(page: Page, name: string, width: number) {
  await page.screenshot({ path: path.join(RESULTS_DIR, `sharing-${name}-${width}.png`), fullPage: true });
}

/** The share links of `section`: name → href, with their target and rel. */
async function shareLinks(page: Page, sectionName: string) {
  const section = page.getByRole("region", { name: sectionName });
  await section.waitFor();
  const links = await section.getByRole("link").all();
  const out: Array<{ name: string; href: string; target: string | null; rel: string | null }> = [];
  for (const link of links) {
    out.push({
      name: normalize(await link.textContent()),
      href: (await link.getAttribute("href")) ?? "",
      target: await link.getAttribute("target"),
      rel: await link.getAttribute("rel"),
    });
  }
  return { section, links: out };
}

function expectLinksFor(
  links: Array<{ name: string; href: string; target: string | null; rel: string | null }>,
  pageUrl: string,
  title: string,
) {
  const u = encodeURIComponent(pageUrl);
  const text = encodeURIComponent(`${title} — un projet à soutenir sur Propulsons`);
  expect(links).toEqual([
    {
      name: "Envoyer par courriel",
      href: `mailto:?subject=${text}&body=${encodeURIComponent(`${title}\n\n${pageUrl}`)}`,
      target: null,
      rel: null,
    },
    {
      name: "Partager sur Facebook (nouvelle fenêtre)",
      href: `https://www.facebook.com/sharer/sharer.php?u=${u}`,
      target: "_blank",
      rel: "noopener noreferrer",
    },
    {
      name: "Partager sur LinkedIn (nouvelle fenêtre)",
      href: `https://www.linkedin.com/sharing/share-offsite/?url=${u}`,
      target: "_blank",
      rel: "noopener noreferrer",
    },
    {
      name: "Partager sur WhatsApp (nouvelle fenêtre)",
      href: `https://wa.me/?text=${encodeURIComponent(`${title} — un projet à soutenir sur Propulsons ${pageUrl}`)}`,
      target: "_blank",
      rel: "noopener noreferrer",
    },
    {
      name: "Partager sur X (nouvelle fenêtre)",
      href: `https://x.com/intent/post?text=${text}&url=${u}`,
      target: "_blank",
      rel: "noopener noreferrer",
    },
  ]);
  // The encoded address really is the page's: no raw « : » or « / » left in a parameter.
  for (const l of links.slice(1)) expect(l.href).not.toContain(`=${pageUrl}`);
}

/** Only our own origin is asked for anything (no third-party script, image or tracker). */
function watchOrigins(page: Page): Set<string> {
  const origins = new Set<string>();
  page.on("request", (r) => origins.add(new URL(r.url()).origin));
  return origins;
}

describe.skipIf(!chromiumAvailable())("sharing", () => {
  for (const width of WIDTHS) {
    it(`campaign page: share links, copy button, picture — ${width} px`, async () => {
      const c = liveCampaign();
      const pageUrl = url(`/campagnes/${c.slug}`);
      await withPage({}, async (page, context) => {
        await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
        await page.setViewportSize({ width, height: 900 });
        const origins = watchOrigins(page);
        await page.goto(pageUrl);
        await waitForHydration(page);
        const { section, links } = await shareLinks(page, "Partager ce projet");
        expectLinksFor(links, pageUrl, c.title);
        expect(await section.getByLabel("Adresse du projet").inputValue()).toBe(pageUrl);
        await section.getByRole("button", { name: "Copier le lien" }).click();
        await section.getByRole("status").getByText("Lien copié.").waitFor();
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(pageUrl);
        // The campaign's picture, large, loaded, with its text alternative.
        const picture = page.locator("img.campaign__image");
        expect(await picture.getAttribute("alt")).toMatch(/^Illustration du projet/);
        expect(await picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(
          1200,
        );
        // Nothing wider than the screen.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await shot(page, "campagne", width);
        await expectNoAxeViolations(page, `campagne-${width}`);
        expect([...origins]).toEqual([server.url]);
      });
    });

    it(`cards show the campaigns' pictures — ${width} px`, async () => {
      await withPage({}, async (page) => {
        await page.setViewportSize({ width, height: 900 });
        for (const [p, name] of [
          ["/", "accueil"],
          ["/campagnes", "liste"],
        ] as const) {
          await page.goto(url(p));
          const cards = page.locator("article.card");
          expect(await cards.count()).toBeGreaterThan(0);
          for (const card of await cards.all()) {
            const img = card.locator("img.card__image");
            await img.scrollIntoViewIfNeeded();
            await expect
              .poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0))
              .toBe(true);
            const title = normalize(await card.locator(".card__title").textContent());
            expect(await img.getAttribute("alt")).toContain(title);
          }
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
          await shot(page, name, width);
        }
      });
    });

    it(`« Proposer un projet »: from the header and the home page, axe-clean — ${width} px`, async () => {
      await withPage({}, async (page) => {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(url("/"));
        const block = page.getByRole("region", { name: /Vous portez un projet solidaire/ });
        expect(await block.getByRole("link", { name: "Proposer un projet" }).getAttribute("href")).toBe(
          "/proposer-un-projet",
        );
        await mainNav(page).getByRole("link", { name: "Proposer un projet" }).click();
        await page.waitForURL((u) => u.pathname === "/proposer-un-projet");
        await page.getByRole("heading", { level: 1, name: "Proposer un projet" }).waitFor();
        expect(await page.title()).toBe("Proposer un projet — Propulsons");
        const main = normalize(await page.locator("main").textContent());
        expect(main).toContain("3 % du montant collecté");
        expect(main).toContain("0 % pour les projets labellisés Budget Citoyen");
        for (const step of ["Créer", "Soumettre", "Relecture", "Publication"])
          expect(await page.locator("ol.steps > li > strong").allTextContents()).toContain(step);
        expect(
          await page.getByRole("link", { name: "critères de sélection publics" }).getAttribute("href"),
        ).toBe("/criteres-de-selection");
        expect(
          await page
            .getByRole("link", { name: "Se connecter et créer mon espace porteur" })
            .getAttribute("href"),
        ).toBe("/connexion?retour=%2Fporteur");
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await shot(page, "proposer", width);
        await expectNoAxeViolations(page, `proposer-${width}`);
      });
    });

    it(`thank-you page: share links for the campaign — ${width} px`, async () => {
      const c = liveCampaign();
      const pageUrl = url(`/campagnes/${c.slug}`);
      await withPage({}, async (page) => {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${pageUrl}#contribuer`);
        const form = page.locator("section#contribuer");
        await form.getByLabel("Montant en euros").fill("20");
        await form.getByLabel("Adresse électronique").fill(`partage.${width}@example.org`);
        await form.getByLabel("Nom affiché sur la page du projet").fill("Dominique Partage");
        await page.getByRole("button", { name: "Continuer vers le paiement sécurisé" }).click();
        await page.waitForURL((u) => u.pathname.startsWith("/demo/checkout/"));
        await page.getByRole("button", { name: /^Payer .* \(carte de test acceptée\)$/ }).click();
        await page.waitForURL((u) => u.pathname === "/contribution/merci");
        await page.getByRole("heading", { level: 1, name: "Merci pour votre contribution\u202f!" }).waitFor();
        const { links } = await shareLinks(page, "Faites connaître le projet autour de vous");
        expectLinksFor(links, pageUrl, c.title);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await shot(page, "merci", width);
        await expectNoAxeViolations(page, `merci-${width}`);
      });
    });
  }

  it("without JavaScript: the address in a read-only field, no copy button, the same links", async () => {
    const c = liveCampaign();
    const pageUrl = url(`/campagnes/${c.slug}`);
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(pageUrl);
      const { section, links } = await shareLinks(page, "Partager ce projet");
      expectLinksFor(links, pageUrl, c.title);
      const field = section.getByLabel("Adresse du projet");
      expect(await field.inputValue()).toBe(pageUrl);
      expect(await field.getAttribute("readonly")).not.toBeNull();
      expect(await section.getByRole("button").count()).toBe(0);
    });
  });

  it("the demo's pictures are those of the seed", () => {
    const n = sqlite
      .prepare(
        `select count(*) from campaigns where image_path is not null and slug in (${seedCampaigns.map(() => "?").join(",")})`,
      )
      .pluck()
      .get(...seedCampaigns.map((c) => c.slug));
    expect(n).toBe(seedCampaigns.length);
  });
});
