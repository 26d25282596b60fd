/**
 * Browser tests of the public pages: the built server (build/index.js) on a
 * throwaway seeded database, driven by Debian's Chromium through playwright-core,
 * with and without JavaScript, plus axe-core accessibility checks (WCAG 2.1 A/AA).
 *
 * Screenshots of every axe-checked page land in test-results/ (git-ignored).
 */
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDatabasePath } from "../support/db";
import { expectNoAxeViolations, launchBrowser, pageHelpers, waitForHydration } from "../support/e2e";
import { startServer, type RunningServer } from "../support/server";

const PER_PAGE = 9;

let server: RunningServer;
let browser: Browser;
let cleanupDatabase: () => void = () => {};

/** Slugs looked up in the seeded database (read-only), never hard-coded. */
const slugs = {
  live: "",
  funded: "",
  failed: "",
  /** made in beforeAll: the seed has no cancelled campaign */
  cancelled: "e2e-campagne-annulee",
};
const CANCEL_REASON = "Le local prévu pour le projet a été vendu ; le porteur renonce.";
let failedTitle = "";

beforeAll(async () => {
  const tmp = tempDatabasePath("e2e");
  cleanupDatabase = tmp.cleanup;
  server = await startServer({ DATABASE_PATH: tmp.file, PAGE_CACHE: "off" });

  const sqlite = new Database(tmp.file, { readonly: true, fileMustExist: true });
  try {
    const one = (status: string) =>
      sqlite
        .prepare("select slug, title from campaigns where status = ? order by slug limit 1")
        .get(status) as { slug: string; title: string } | undefined;
    const live = one("live");
    const funded = one("funded");
    const failed = one("failed");
    if (!live || !funded || !failed)
      throw new Error("the seeded database lacks a live, funded or failed campaign");
    slugs.live = live.slug;
    slugs.funded = funded.slug;
    slugs.failed = failed.slug;
    failedTitle = failed.title;
  } finally {
    sqlite.close();
  }
  addCancelledCampaign(tmp.file);

  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  cleanupDatabase();
});

const { url, withPage } = pageHelpers({ server: () => server, browser: () => browser });

/**
 * A campaign cancelled by staff after it went live, with 3 contributions refunded, 1 being
 * refunded (asked of Stripe) and 1 whose refund failed. Not listed publicly, so the list
 * counts above do not move; nothing for the settlement pass to do on it.
 */
function addCancelledCampaign(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  try {
    db.transaction(() => {
      const source = db.prepare("select id from campaigns where slug = ?").get(slugs.failed) as {
        id: number;
      };
      const { id } = db
        .prepare(
          `insert into campaigns (organization_id, slug, title, summary, story_md, goal_cents, starts_at, ends_at, territory_id, theme_id,
             budget_citoyen_year, expected_results_md, timetable_md, image_path, image_alt, status, featured, created_at, updated_at)
           select organization_id, ?, 'Jardin partagé des Marais (annulée)', summary, story_md, goal_cents, starts_at, ends_at, territory_id, theme_id,
             null, expected_results_md, timetable_md, null, null, 'cancelled', 0, created_at, updated_at
           from campaigns where id = ? returning id`,
        )
        .get(slugs.cancelled, source.id) as { id: number };
      db.prepare(
        "insert into rewards (campaign_id, position, title, description, minimum_cents, stock) values (?, 1, 'Merci', 'Un grand merci.', 1000, null)",
      ).run(id);
      const transition = db.prepare(
        "insert into campaign_transitions (campaign_id, from_status, to_status, event, actor_user_id, actor_role, reason, at) values (?, ?, ?, ?, null, ?, ?, ?)",
      );
      transition.run(id, "approved", "live", "start", "system", null, "2025-09-01T08:00:00.000Z");
      transition.run(id, "live", "cancelled", "cancel", "staff", CANCEL_REASON, "2025-09-15T09:30:00.000Z");
      const contribution = db.prepare(
        `insert into contributions (campaign_id, user_id, email, public_name, amount_cents, reward_id, anonymous, hide_amount, message, status,
           stripe_checkout_session_id, stripe_payment_intent_id, stripe_refund_id, created_at, paid_at, updated_at)
         values (?, null, ?, ?, ?, null, 0, 0, null, ?, null, ?, ?, '2025-09-05T10:00:00.000Z', '2025-09-05T10:05:00.000Z', '2025-09-16T10:00:00.000Z')`,
      );
      const statuses = ["refunded", "refunded", "refunded", "refunding", "refund_failed"];
      statuses.forEach((status, i) =>
        contribution.run(
          id,
          `e2e.annulee.${i}@example.org`,
          `Personne ${i + 1}`,
          2_000 + i * 500,
          status,
          `pi_e2e_annulee_${i}`,
          status === "refund_failed" ? null : `re_e2e_annulee_${i}`,
        ),
      );
    })();
  } finally {
    db.close();
  }
}

/** The « N projets trouvés » text once loaded (not « Chargement des résultats… »). */
async function resultsCount(page: Page): Promise<string> {
  const count = page.locator(".results-count", { hasText: /trouvés?/ });
  await count.waitFor();
  return ((await count.textContent()) ?? "").replace(/[\u202f\u00a0]/g, " ").trim();
}

async function cardTitles(page: Page): Promise<string[]> {
  return (await page.locator("article.card .card__title a").allTextContents()).map((t) => t.trim());
}

async function cardTerritories(page: Page): Promise<string[]> {
  return (await page.locator("article.card .tag--territory").allTextContents()).map((t) => t.trim());
}

async function h1(page: Page): Promise<string> {
  return ((await page.locator("h1").first().textContent()) ?? "").trim();
}

/** Checks shared by every rendered campaign page. */
async function expectCampaignPage(page: Page, title: string): Promise<void> {
  await page.locator("h1", { hasText: title }).waitFor();
  expect(await page.locator("h1").count()).toBe(1);
  expect(await h1(page)).toBe(title);
  await expect(page.getByRole("heading", { level: 2, name: "Le projet" }).count()).resolves.toBe(1);
  await expect(
    page.getByRole("heading", { level: 2, name: "À quoi servira l’argent" }).count(),
  ).resolves.toBe(1);
  const fundsTable = page.locator('section[aria-labelledby="funds-title"] table');
  expect(await fundsTable.count()).toBe(1);
  expect(await fundsTable.locator("tbody tr").count()).toBeGreaterThan(0);
  expect(await fundsTable.locator("tfoot").textContent()).toMatch(/Total/);
  await expect(page.getByRole("heading", { level: 2, name: "Contreparties" }).count()).resolves.toBe(1);
  // The commission line: the rate while running or when funded (with the amounts), « aucune commission » when failed.
  expect(await page.locator(".panel__commission").textContent()).toMatch(
    /Commission de la plateforme\u00a0: \d+\s%|Aucune commission n’est prélevée\u00a0: la campagne n’a pas atteint son objectif\./,
  );
  const contributors = ((await page.locator("#contributors-title").textContent()) ?? "").replace(
    /[\u202f\u00a0]/g,
    " ",
  );
  expect(contributors).toMatch(/^\s*\d[\d ]* contributeurs?\s*$/);
}

describe("public pages with JavaScript", () => {
  it("home → list → territory filter → campaign page", async () => {
    await withPage({}, async (page) => {
      const res = await page.goto(url("/"));
      expect(res?.status()).toBe(200);
      await waitForHydration(page);

      expect(await page.locator("html").getAttribute("lang")).toBe("fr");
      expect(await page.locator("h1").count()).toBe(1);
      expect(await h1(page)).toBe("Propulsez les projets solidaires du Pas-de-Calais");
      const figures = page.locator("section.figures");
      expect(await figures.getByRole("heading", { level: 2 }).textContent()).toBe("Propulsons en chiffres");
      const figuresText = (await figures.textContent()) ?? "";
      expect(figuresText).toContain("projets propulsés");
      expect(figuresText).toContain("citoyens impliqués");
      expect(await page.locator(".figures__value").first().textContent()).toBe("10");
      const allLink = page.getByRole("link", { name: "Voir tous les projets", exact: true });
      expect(await allLink.getAttribute("href")).toBe("/campagnes");

      // Client-side navigation: a marker on window survives (no full reload).
      await page.evaluate(() => ((window as unknown as { __e2eMarker: string }).__e2eMarker = "spa"));
      await allLink.click();
      await page.waitForURL((u) => u.pathname === "/campagnes");
      expect(await resultsCount(page)).toBe("19 projets trouvés");
      expect(await h1(page)).toBe("Les projets");
      expect(await page.locator("article.card").count()).toBe(PER_PAGE);
      expect(await page.evaluate(() => (window as unknown as { __e2eMarker?: string }).__e2eMarker)).toBe(
        "spa",
      );
      expect(await page.locator('header nav a[aria-current="page"]').textContent()).toBe("Les projets");

      // Filter by territory.
      await page.getByLabel("Territoire", { exact: true }).selectOption({ label: "Boulonnais" });
      await page.getByRole("button", { name: "Rechercher" }).click();
      await page.waitForURL((u) => u.searchParams.get("territoire") === "boulonnais");
      const count = await resultsCount(page);
      await page.locator("article.card").first().waitFor();
      const territories = await cardTerritories(page);
      expect(territories.length).toBe(3);
      expect(territories.every((t) => t === "Boulonnais")).toBe(true);
      expect(count).toBe(`${territories.length} projets trouvés`);
      expect(await page.locator("nav.pagination").count()).toBe(0);
      const titles = await cardTitles(page);
      expect(titles.some((t) => t.includes("À la ligne"))).toBe(true);
      expect(titles.some((t) => t.includes("Herboristerie Notre-Dame"))).toBe(true);
      expect(titles.some((t) => t.includes("La Salamandre"))).toBe(true);
      expect(await page.getByLabel("Territoire", { exact: true }).inputValue()).toBe("boulonnais");
      expect(await page.evaluate(() => (window as unknown as { __e2eMarker?: string }).__e2eMarker)).toBe(
        "spa",
      );

      // Open a (funded) campaign.
      const title = titles.find((t) => t.includes("Herboristerie Notre-Dame"))!;
      await page.getByRole("link", { name: title, exact: true }).click();
      await page.waitForURL((u) => u.pathname.startsWith("/campagnes/"));
      await expectCampaignPage(page, title);
      await expect.poll(() => page.title(), { timeout: 5000 }).toBe(`${title} — Propulsons`);
      expect(await page.locator(".tag--territory").first().textContent()).toBe("Boulonnais");
      expect(await page.locator(".outcome--funded h2").textContent()).toBe("Campagne réussie");
      // 7 220 € collected: 3 % commission is 216,60 €, the holder receives 7 003,40 €.
      expect((await page.locator(".panel__commission").textContent())?.replace(/[\u202f\u00a0]/g, " ")).toBe(
        "Commission de la plateforme : 3 %, soit 216,60 € ; versés au porteur de projet : 7 003,40 €.",
      );
      expect(await page.evaluate(() => (window as unknown as { __e2eMarker?: string }).__e2eMarker)).toBe(
        "spa",
      );
    });
  });

  it("nav « Les projets » leads to the list", async () => {
    await withPage({}, async (page) => {
      await page.goto(url("/"));
      await waitForHydration(page);
      await page
        .getByRole("navigation", { name: "Navigation principale" })
        .getByRole("link", { name: "Les projets" })
        .click();
      await page.waitForURL((u) => u.pathname === "/campagnes");
      expect(await resultsCount(page)).toBe("19 projets trouvés");
    });
  });
});

describe("public pages without JavaScript", () => {
  it("filter form, pagination and campaign page work as plain HTML", async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(url("/"));
      // The app's scripts never ran: no client router.
      expect(await page.evaluate(() => "__remixRouter" in window)).toBe(false);
      expect(await h1(page)).toBe("Propulsez les projets solidaires du Pas-de-Calais");

      await page.getByRole("link", { name: "Voir tous les projets", exact: true }).click();
      await page.waitForURL((u) => u.pathname === "/campagnes");
      expect(await resultsCount(page)).toBe("19 projets trouvés");
      expect(await page.locator("article.card").count()).toBe(PER_PAGE);

      // Pagination: 19 campaigns, 9 per page → 3 pages.
      const pagination = page.getByRole("navigation", { name: "Pagination" });
      expect(await pagination.locator('[aria-current="page"]').textContent()).toBe("Page 1");
      const page1 = await cardTitles(page);
      await pagination.getByRole("link", { name: "Page suivante" }).click();
      await page.waitForURL((u) => u.searchParams.get("page") === "2");
      expect(await pagination.locator('[aria-current="page"]').textContent()).toBe("Page 2");
      expect(await page.locator("article.card").count()).toBe(PER_PAGE);
      const page2 = await cardTitles(page);
      expect(page2.filter((t) => page1.includes(t))).toEqual([]);
      await pagination.getByRole("link", { name: "Page suivante" }).click();
      await page.waitForURL((u) => u.searchParams.get("page") === "3");
      expect(await pagination.locator('[aria-current="page"]').textContent()).toBe("Page 3");
      expect(await page.locator("article.card").count()).toBe(1);
      const page3 = await cardTitles(page);
      expect(page3.filter((t) => page1.includes(t) || page2.includes(t))).toEqual([]);
      expect(new Set([...page1, ...page2, ...page3]).size).toBe(19);
      expect(await pagination.getByRole("link", { name: "Page suivante" }).count()).toBe(0);
      expect(await pagination.getByRole("link", { name: "Page précédente" }).count()).toBe(1);
      expect(await resultsCount(page)).toBe("19 projets trouvés");

      // The GET filter form.
      await page.getByLabel("Territoire", { exact: true }).selectOption({ label: "Boulonnais" });
      await page.getByRole("button", { name: "Rechercher" }).click();
      await page.waitForURL((u) => u.searchParams.get("territoire") === "boulonnais");
      expect(page.url()).toContain("territoire=boulonnais");
      const territories = await cardTerritories(page);
      expect(territories.length).toBe(3);
      expect(territories.every((t) => t === "Boulonnais")).toBe(true);
      expect(await resultsCount(page)).toBe(`${territories.length} projets trouvés`);
      expect(await page.getByLabel("Territoire", { exact: true }).inputValue()).toBe("boulonnais");

      // Campaign page.
      const title = (await cardTitles(page)).find((t) => t.includes("La Salamandre"))!;
      expect(title).toBeTruthy();
      await page.getByRole("link", { name: title, exact: true }).click();
      await page.waitForURL((u) => u.pathname.startsWith("/campagnes/"));
      await expectCampaignPage(page, title);
      expect(await page.locator(".outcome--funded h2").textContent()).toBe("Campagne réussie");
    });
  });
});

describe("list filters by status and label", () => {
  it("?statut=en-cours lists the 8 live campaigns", async () => {
    await withPage({}, async (page) => {
      const res = await page.goto(url("/campagnes?statut=en-cours"));
      expect(res?.status()).toBe(200);
      expect(await resultsCount(page)).toBe("8 projets trouvés");
      expect(await page.locator("article.card").count()).toBe(8);
      const states = (await page.locator("article.card .status").allTextContents()).map((s) => s.trim());
      expect(states.length).toBe(8);
      for (const s of states) expect(s).toMatch(/^(J-\d+|Dernières heures)$/);
    });
  });

  it("?label=budget-citoyen lists 2 campaigns, each with the badge", async () => {
    await withPage({}, async (page) => {
      const res = await page.goto(url("/campagnes?label=budget-citoyen"));
      expect(res?.status()).toBe(200);
      expect(await resultsCount(page)).toBe("2 projets trouvés");
      expect(await page.locator("article.card").count()).toBe(2);
      expect(await page.locator("article.card .badge--bc").count()).toBe(2);
      expect(await page.getByLabel("Labellisés Budget Citoyen").isChecked()).toBe(true);
    });
  });

  it("?statut=non-financees lists the failed campaign, whose page says everyone is refunded", async () => {
    await withPage({}, async (page) => {
      const res = await page.goto(url("/campagnes?statut=non-financees"));
      expect(res?.status()).toBe(200);
      expect(await resultsCount(page)).toBe("1 projet trouvé");
      expect(await page.locator("article.card").count()).toBe(1);
      expect((await page.locator("article.card .status").textContent())?.trim()).toBe("Non financée");
      const link = page.locator("article.card .card__title a");
      expect(await link.getAttribute("href")).toBe(`/campagnes/${slugs.failed}`);
      await link.click();
      await page.waitForURL((u) => u.pathname === `/campagnes/${slugs.failed}`);
      await expectCampaignPage(page, failedTitle);
      expect(await page.locator(".outcome--failed h2").textContent()).toBe(
        "Campagne non financée — tous les contributeurs sont remboursés",
      );
      expect(await page.locator(".outcome--funded").count()).toBe(0);
      expect(await page.locator(".panel__commission").textContent()).toContain("Aucune commission");
    });
  });
});

describe("a cancelled campaign", () => {
  it("keeps its page (200): a banner with the date, the reason and where the refunds stand, never « remboursé » of what did not come back (390 px)", async () => {
    await withPage({}, async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      const res = await page.goto(url(`/campagnes/${slugs.cancelled}`));
      expect(res?.status()).toBe(200);
      await waitForHydration(page);
      const banner = page.locator(".outcome--cancelled");
      expect(await banner.getAttribute("role")).toBe("status");
      expect(await banner.getByRole("heading", { level: 2 }).textContent()).toBe("Campagne annulée");
      const text = ((await banner.textContent()) ?? "").replace(/[\u202f\u00a0]/g, " ");
      expect(text).toContain("L’équipe du Département a annulé cette campagne le 15 septembre 2025.");
      expect(text).toContain(`Motif : ${CANCEL_REASON}`);
      expect(text).toContain(
        "Remboursements : 3 contributions remboursées sur 5 ; 1 remboursement en cours ; 1 remboursement en échec : l’équipe contacte la personne concernée.",
      );
      expect(await page.locator("main").textContent()).not.toMatch(
        /sont remboursés|ont été remboursés|a été intégralement remboursée/,
      );
      expect(
        ((await page.locator(".panel__collected").textContent()) ?? "").replace(/[\u202f\u00a0]/g, " "),
      ).toBe("0 € collectés");
      expect(await page.locator(".panel__commission").textContent()).toBe(
        "Aucune commission n’est prélevée\u00a0: la campagne a été annulée.",
      );
      // no way to contribute, and no « tout ou rien » promise any more
      expect(await page.locator("main form[method=post]").count()).toBe(0);
      expect(await page.locator(".panel__promise").count()).toBe(0);
      // the banner fits a phone's width
      const box = await banner.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
      await expectNoAxeViolations(
        page,
        "axe-campagne-annulee-390.png",
        () => `/campagnes/${slugs.cancelled}`,
      );
    });
  });
});

describe("errors in French", () => {
  it("unknown campaign → 404 « Page introuvable »", async () => {
    await withPage({}, async (page) => {
      const res = await page.goto(url("/campagnes/nexiste-pas"));
      expect(res?.status()).toBe(404);
      expect(await h1(page)).toMatch(/^(Page|Projet) introuvable$/);
      expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    });
  });

  it("unknown URL → 404 in French", async () => {
    await withPage({}, async (page) => {
      const res = await page.goto(url("/nimporte-quoi"));
      expect(res?.status()).toBe(404);
      expect(await h1(page)).toBe("Page introuvable");
      expect(await page.locator("main").textContent()).toContain("La page demandée n’existe pas");
    });
  });

  it("invalid filter → 400 with a French message", async () => {
    await withPage({}, async (page) => {
      const res = await page.goto(url("/campagnes?statut=nimporte"));
      expect(res?.status()).toBe(400);
      expect(await h1(page)).toBe("Demande incorrecte");
      expect(await page.locator("main").textContent()).toContain(
        "Filtre «\u00a0statut\u00a0»\u00a0: statut inconnu",
      );
    });
  });
});

describe("keyboard", () => {
  it("Tab focuses the skip link first; Enter moves to #contenu", async () => {
    await withPage({}, async (page) => {
      await page.goto(url("/"));
      await waitForHydration(page);
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => ({
        tag: document.activeElement?.tagName,
        text: document.activeElement?.textContent?.trim(),
        href: document.activeElement?.getAttribute("href"),
      }));
      expect(focused).toEqual({ tag: "A", text: "Aller au contenu", href: "#contenu" });
      // The skip link becomes visible when focused.
      const box = await page.locator(".skip-link").boundingBox();
      expect(box && box.x >= 0 && box.y >= 0).toBe(true);
      await page.keyboard.press("Enter");
      await page.waitForURL((u) => u.hash === "#contenu");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("contenu");
      // The next Tab goes to the first link inside the main content.
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest("main#contenu")))).toBe(true);
    });
  });
});

describe("accessibility (axe, WCAG 2.1 A and AA)", () => {
  const pages: Array<{ name: string; path: () => string; status: number }> = [
    { name: "accueil", path: () => "/", status: 200 },
    { name: "liste", path: () => "/campagnes", status: 200 },
    { name: "liste-boulonnais", path: () => "/campagnes?territoire=boulonnais", status: 200 },
    { name: "campagne-en-cours", path: () => `/campagnes/${slugs.live}`, status: 200 },
    { name: "campagne-reussie", path: () => `/campagnes/${slugs.funded}`, status: 200 },
    { name: "campagne-non-financee", path: () => `/campagnes/${slugs.failed}`, status: 200 },
    { name: "campagne-annulee", path: () => `/campagnes/${slugs.cancelled}`, status: 200 },
    { name: "accessibilite", path: () => "/accessibilite", status: 200 },
    { name: "404", path: () => "/campagnes/nexiste-pas", status: 404 },
  ];

  for (const p of pages) {
    it(`${p.name} has no axe violations`, async () => {
      await withPage({}, async (page) => {
        const res = await page.goto(url(p.path()));
        expect(res?.status()).toBe(p.status);
        await waitForHydration(page);
        await expectNoAxeViolations(page, `axe-${p.name}.png`, () => p.path());
      });
    });
  }
});
