/**
 * Browser tests of abondement (matchfunding): staff create an envelope and read its live state;
 * a citizen sees the doubling on a Budget Citoyen campaign's page and, for the amount chosen,
 * on the demo payment step before paying; after paying, the thank-you page says the match once
 * it is reserved. At 390 px and 1366 px, axe (WCAG 2.1 A/AA) on every page; screenshots of the
 * staff fund page and the campaign page land in test-results/.
 *
 * The no-JavaScript payment flow reads the reservation taken on payment (app/matching/moves.server.ts).
 */
import path from "node:path";
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STAFF_EMAIL } from "#db/seed/seed";
import {
  axeChecker,
  codeOf,
  launchBrowser,
  normalize,
  pageHelpers,
  RESULTS_DIR,
  signInMessagesTo,
  startServerWithOutbox,
} from "../support/e2e";
import type { RunningServer } from "../support/server";

const WIDTHS = [390, 1366] as const;
const DEFAULT_TIMEOUT = 15_000;

let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database;
let outboxFile = "";
let cleanup: () => void = () => {};
const checkAxe = axeChecker("matching");
const { url, withPage } = pageHelpers({
  server: () => server,
  browser: () => browser,
  defaultTimeout: DEFAULT_TIMEOUT,
});

beforeAll(async () => {
  const started = await startServerWithOutbox("e2e-matching");
  server = started.server;
  outboxFile = started.outboxFile;
  cleanup = started.cleanup;
  sqlite = new Database(started.databaseFile, { readonly: true });
  sqlite.pragma("busy_timeout = 5000");
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  sqlite?.close();
  await server?.stop();
  cleanup();
});

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(url("/connexion"));
  const known = signInMessagesTo(outboxFile, email).length;
  await page.getByLabel("Adresse électronique").fill(email);
  await page.getByRole("button", { name: "Recevoir mon lien de connexion" }).click();
  await page.getByRole("heading", { level: 1, name: "Saisissez votre code" }).waitFor();
  const deadline = Date.now() + 10_000;
  let messages = signInMessagesTo(outboxFile, email);
  while (messages.length <= known) {
    if (Date.now() > deadline) throw new Error(`no sign-in e-mail for ${email}`);
    await new Promise((r) => setTimeout(r, 100));
    messages = signInMessagesTo(outboxFile, email);
  }
  await page.getByLabel("Code reçu par courriel (6 chiffres)").fill(codeOf(messages.at(-1)!));
  await page.getByRole("button", { name: "Me connecter" }).click();
  await page.waitForURL((u) => u.pathname === "/mon-compte");
}

/** A live Budget Citoyen campaign of the demo, with the demo fund's reserved money on it. */
function budgetCitoyenCampaign(): { slug: string; matched: number } {
  return sqlite
    .prepare(
      `select c.slug, fc.reserved_cents as matched from campaigns c
       join matching_fund_campaigns fc on fc.campaign_id = c.id
       where c.status = 'live' and c.budget_citoyen_year = 2026 order by c.ends_at desc limit 1`,
    )
    .get() as { slug: string; matched: number };
}

describe("staff", () => {
  it("create an envelope and read its live state", async () => {
    await withPage({}, async (page) => {
      await signIn(page, DEMO_STAFF_EMAIL);
      await page.goto(url("/gestion"));
      await page
        .getByRole("navigation", { name: "Espace Département" })
        .getByRole("link", { name: "Abondements" })
        .click();
      await page.getByRole("heading", { level: 1, name: "Abondements" }).waitFor();
      expect(normalize(await page.locator("table").textContent())).toContain(
        "Fonds d’abondement Budget Citoyen 2026",
      );
      await page.getByRole("link", { name: "Créer un fonds d’abondement" }).click();
      // An empty name first: a French message, a 400, nothing created.
      await page.getByLabel("Enveloppe (en euros)").fill("20000");
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.getByRole("button", { name: "Créer le fonds" }).click(),
      ]);
      expect(refused.status()).toBe(400);
      await page.getByRole("alert").filter({ hasText: "Nom du fonds" }).waitFor();
      await page.getByLabel("Nom du fonds").fill("Fonds d’abondement Budget Citoyen 2027");
      await page.getByLabel("Plafond par campagne (en euros, facultatif)").fill("2000");
      await page.getByLabel("Plafond par contribution (en euros, facultatif)").fill("50");
      await page.getByLabel("Date d’ouverture").fill("2027-01-01");
      await page.getByLabel("Date de clôture").fill("2027-12-31");
      await page.getByLabel("Année du Budget Citoyen").fill("2027");
      await page
        .getByLabel("Conditions pour le porteur")
        .fill("Le Département double chaque contribution, dans la limite de 50 € par contribution.");
      await page.getByRole("button", { name: "Créer le fonds" }).click();
      await page.getByRole("heading", { level: 1, name: "Fonds d’abondement Budget Citoyen 2027" }).waitFor();
      expect(normalize(await page.getByRole("status").first().textContent())).toBe(
        "Le fonds d’abondement est créé.",
      );
      const money = normalize(await page.locator(".fund-money").textContent());
      expect(money).toBe("Enveloppe20 000 €Réservé0 €Confirmé0 €Disponible20 000 €");
      await page.getByLabel("Montant à ajouter (en euros)").fill("5000");
      await page.getByRole("button", { name: "Ajouter des fonds" }).click();
      await page.getByRole("status").filter({ hasText: "Les fonds sont ajoutés" }).waitFor();
      expect(normalize(await page.locator(".fund-money").textContent())).toContain("Disponible25 000 €");
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        await checkAxe(page, `fund-${width}`);
        await page.screenshot({ path: path.join(RESULTS_DIR, `matching-fund-${width}.png`), fullPage: true });
      }
      // The demo fund has matches: its rules are frozen, its state is live.
      await page.goto(url("/gestion/abondements"));
      await page.getByRole("link", { name: "Fonds d’abondement Budget Citoyen 2026" }).click();
      await page.getByRole("heading", { level: 1, name: "Fonds d’abondement Budget Citoyen 2026" }).waitFor();
      const text = normalize(await page.locator("main").textContent());
      expect(text).toContain("Les règles de ce fonds ne peuvent plus changer");
      const demo = sqlite
        .prepare("select reserved_cents from matching_funds where budget_citoyen_year = 2026")
        .pluck()
        .get() as number;
      expect(demo).toBeGreaterThan(0);
      await checkAxe(page, "demo-fund");
    });
  });
});

describe("citizens", () => {
  it("see the doubling and both shares of the progress on the campaign page", async () => {
    const c = budgetCitoyenCampaign();
    await withPage({}, async (page) => {
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(url(`/campagnes/${c.slug}`));
        const panel = normalize(await page.locator(".matching-offer").first().textContent());
        expect(panel).toMatch(
          /^Le Département double votre contribution\. [\d ]+ € d’abondement encore disponibles pour ce projet\./,
        );
        expect(panel).toContain(
          "Jusqu’à 50 € d’abondement par contribution, une seule contribution abondée par personne.",
        );
        expect(normalize(await page.locator(".progress__legend").first().textContent())).toContain(
          "d’abondement du Département",
        );
        expect(normalize(await page.locator(".progress .visually-hidden").first().textContent())).toMatch(
          /% de l’objectif atteint : [\d ]+ € des citoyens et [\d ]+ € d’abondement du Département$/,
        );
        await checkAxe(page, `campaign-${width}`);
        await page.screenshot({
          path: path.join(RESULTS_DIR, `matching-campaign-${width}.png`),
          fullPage: true,
        });
      }
    });
  });

  it("without JavaScript, see the quote on the demo payment step, then the reserved match on the thank-you page", async () => {
    const c = budgetCitoyenCampaign();
    const email = `abondement.${Date.now()}@example.org`;
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(url(`/campagnes/${c.slug}`));
      const form = page.locator("section#contribuer");
      await form.getByLabel("Montant en euros").fill("30");
      await form.getByLabel("Adresse électronique").fill(email);
      // The form needs a display name (or « apparaître anonymement »): without it, it stays on the page.
      await form.getByLabel("Nom affiché sur la page du projet").fill("Camille D.");
      await form.getByRole("button", { name: "Continuer vers le paiement sécurisé" }).click();
      await page.waitForURL((u) => /^\/demo\/checkout\/cs_test_[a-f0-9]+$/.test(u.pathname));
      expect(normalize(await page.locator("main").textContent())).toContain(
        "Le Département double votre contribution : 30 € de plus pour ce projet.",
      );
      expect(await page.locator("main").textContent()).toContain(
        "Le Département double votre contribution\u00a0: 30\u00a0€ de plus pour ce projet.",
      );
      await page
        .getByRole("button", { name: "Payer 30\u00a0€ (carte de test acceptée)", exact: true })
        .click();
      await page.waitForURL((u) => u.pathname === "/contribution/merci");
      await page.getByRole("heading", { level: 1, name: "Merci pour votre contribution !" }).waitFor();
      expect(await page.locator("#abondement").textContent()).toBe(
        "Le Département ajoute 30\u00a0€ à votre contribution, si la campagne réussit (tout ou rien).",
      );
      const reserved = sqlite
        .prepare(
          `select m.amount_cents, m.status from matches m join contributions k on k.id = m.contribution_id
           where k.email = ?`,
        )
        .all(email);
      expect(reserved).toEqual([{ amount_cents: 3000, status: "reserved" }]);
    });
  });

  it("with JavaScript, see the figure follow the amount typed", async () => {
    const c = budgetCitoyenCampaign();
    await withPage({}, async (page) => {
      await page.goto(url(`/campagnes/${c.slug}`));
      await page.waitForFunction(() =>
        Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter),
      );
      await page.getByLabel("Montant en euros").fill("80");
      await page
        .locator("#c-abondement")
        .filter({ hasText: "50 € de plus pour ce projet (plafond de 50 € par contribution)" })
        .waitFor();
    });
  });
});
