/**
 * Browser tests of the legal and trust pages (issue 13): every legal link and the IFP mention in
 * the footer of a public page, a holder page, a back-office page and the 404 page; each new page
 * free of axe violations and no wider than the screen at 390 and 1366 px; the contact form
 * without JavaScript, its errors and its stored message with the e-mail to the team.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOutbox } from "~/demo/resend-api.server";
import { LEGAL_LINKS } from "~/legal/links";
import { DEMO_STAFF_EMAIL } from "#db/seed/seed";
import { httpClient } from "../support/http-session";
import {
  axeChecker,
  launchBrowser,
  normalize,
  pageHelpers,
  startServerWithOutbox,
  waitForHydration,
} from "../support/e2e";
import type { RunningServer } from "../support/server";

const CONTACT_EMAIL = "equipe.e2e@propulsons.example";
const NEW_PAGES = [
  ["/mentions-legales", "Mentions légales"],
  ["/conditions-generales", "Conditions générales d’utilisation"],
  ["/confidentialite", "Politique de confidentialité"],
  ["/cookies", "Cookies"],
  ["/contact", "Contact"],
  ["/comment-ca-marche", "Comment ça marche ?"],
  ["/criteres-de-selection", "Critères de sélection des projets"],
  ["/accessibilite", "Déclaration d\u2019accessibilité"],
  ["/rapport-annuel", "Rapport annuel d\u2019activité"],
] as const;

let server: RunningServer;
let browser: Browser;
let outboxFile = "";
let cleanup: () => void = () => {};
const cookies = { holder: "", staff: "" };

beforeAll(async () => {
  const started = await startServerWithOutbox("e2e-legal", { CONTACT_EMAIL, PAGE_CACHE: "off" });
  server = started.server;
  outboxFile = started.outboxFile;
  cleanup = started.cleanup;
  const client = httpClient(server, outboxFile);
  cookies.holder = await client.signIn("e2e.porteuse.legal@example.org");
  cookies.staff = await client.signIn(DEMO_STAFF_EMAIL);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  cleanup();
});

const { url, withPage } = pageHelpers({ server: () => server, browser: () => browser });
const checkAxe = axeChecker("legal");

async function signedAs(page: Page, cookie: string): Promise<void> {
  const [name, value] = cookie.split("=") as [string, string];
  await page.context().addCookies([{ name, value, url: server.url }]);
}

async function expectLegalFooter(page: Page, where: string): Promise<void> {
  const footer = page.getByRole("contentinfo");
  const nav = footer.getByRole("navigation", { name: "Informations légales et pratiques" });
  for (const link of LEGAL_LINKS) {
    const a = nav.getByRole("link", { name: normalize(link.label), exact: true });
    expect(await a.count(), `${where}: footer link « ${link.label} »`).toBe(1);
    expect(new URL((await a.getAttribute("href")) ?? "", server.url).pathname, where).toBe(link.to);
  }
  const text = normalize(await footer.textContent());
  expect(text, where).toContain(
    "Intermédiaire en financement participatif immatriculé à l’ORIAS sous le n° 00000000 (exemple)",
  );
  expect(text, where).toContain(
    "Paiements traités par Stripe Payments Europe, Ltd., établissement de monnaie électronique agréé",
  );
}

describe("footer", () => {
  it("every legal link, the ORIAS number and the payment processor on a public, a holder, a staff and the 404 page", async () => {
    await withPage({}, async (page) => {
      expect((await page.goto(url("/campagnes")))?.status()).toBe(200);
      await expectLegalFooter(page, "public page");
      expect((await page.goto(url("/page-qui-n-existe-pas")))?.status()).toBe(404);
      await page.getByRole("heading", { level: 1, name: "Page introuvable" }).waitFor();
      await expectLegalFooter(page, "404 page");
    });
    await withPage({}, async (page) => {
      await signedAs(page, cookies.holder);
      expect((await page.goto(url("/porteur")))?.status()).toBe(200);
      await expectLegalFooter(page, "holder page");
    });
    await withPage({}, async (page) => {
      await signedAs(page, cookies.staff);
      expect((await page.goto(url("/gestion")))?.status()).toBe(200);
      await page.getByRole("heading", { level: 1 }).waitFor();
      expect(page.url()).toBe(url("/gestion"));
      await expectLegalFooter(page, "back-office page");
    });
  });
});

describe("legal pages", () => {
  for (const width of [390, 1366]) {
    it(`each page has its title, passes axe and fits the screen at ${width} px`, async () => {
      await withPage({}, async (page) => {
        await page.setViewportSize({ width, height: 900 });
        for (const [path, heading] of NEW_PAGES) {
          expect((await page.goto(url(path)))?.status(), path).toBe(200);
          const h1 = normalize(await page.getByRole("heading", { level: 1 }).textContent());
          expect(h1, path).toBe(heading);
          expect(await page.locator("title").count(), path).toBe(1);
          const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          expect(scrollWidth, `${path} at ${width} px`).toBeLessThanOrEqual(width);
          await checkAxe(page, `${path.slice(1)}-${width}`);
        }
      });
    });
  }

  it("the privacy policy prints the retention periods and the cookie page names the session cookie", async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(url("/confidentialite"));
      const text = normalize(await page.locator("main").textContent());
      for (const period of [
        "6 ans, puis anonymisées",
        "6 ans après leur délivrance, puis le nom et l’adresse sont effacés du reçu et de son PDF",
        "36 mois après la fin de la campagne",
        "effacé avec les données de la contribution (36 mois après la fin de la campagne) ou avec votre compte",
        "180 jours",
        "12 mois",
      ])
        expect(text).toContain(period);
      expect(text).toContain("Commission nationale de l’informatique et des libertés (CNIL)");
      await page.goto(url("/cookies"));
      const cookiesText = normalize(await page.locator("main").textContent());
      expect(cookiesText).toContain("__session");
      expect(cookiesText).toContain("30 jours après la connexion");
      await page.goto(url("/accessibilite"));
      const a11y = normalize(await page.locator("main").textContent());
      expect(a11y).toContain("09 69 39 00 00");
      expect(a11y).toContain("Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07");
      expect(
        await page.getByRole("link", { name: "formulaire.defenseurdesdroits.fr" }).getAttribute("href"),
      ).toBe("https://formulaire.defenseurdesdroits.fr");
      expect(await page.getByRole("link", { name: CONTACT_EMAIL }).count()).toBe(1);
    });
  });
});

describe("contact form with JavaScript", () => {
  // axe needs the page's JavaScript: the error and received states are checked here.
  it("the error summary and the confirmation pass axe", async () => {
    await withPage({}, async (page) => {
      await page.goto(url("/contact"));
      await waitForHydration(page);
      await page.getByRole("button", { name: "Envoyer le message" }).click();
      await page.getByRole("alert").waitFor();
      expect(normalize(await page.getByRole("alert").textContent())).toContain(
        "Le formulaire contient 4 erreurs",
      );
      await checkAxe(page, "contact-errors");
      await page.getByLabel("Votre nom").fill("Hugo Lefebvre");
      await page.getByLabel("Votre adresse électronique").fill("hugo.lefebvre@example.org");
      await page.getByLabel("Objet").selectOption("projet");
      await page
        .getByLabel("Votre message")
        .fill("Comment savoir si mon association peut déposer un projet ?");
      await page.getByRole("button", { name: "Envoyer le message" }).click();
      await page.getByRole("heading", { level: 1, name: "Message reçu" }).waitFor();
      await checkAxe(page, "contact-received");
    });
  });
});

describe("contact form without JavaScript", () => {
  it("shows the errors, then stores the message, e-mails the team and says it was received", async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(url("/contact"));
      const refused = page.waitForResponse((r) => r.request().method() === "POST");
      await page.getByRole("button", { name: "Envoyer le message" }).click();
      expect((await refused).status()).toBe(400);
      const summary = page.getByRole("alert");
      await summary.waitFor();
      await page.waitForLoadState("load");
      expect(normalize(await summary.textContent())).toContain("Le formulaire contient 4 erreurs");
      expect(await page.getByLabel("Votre nom").getAttribute("aria-invalid")).toBe("true");

      await page.getByLabel("Votre nom").fill("Léa Martin");
      await page.getByLabel("Votre adresse électronique").fill("lea.martin@example.org");
      await page.getByLabel("Objet").selectOption("accessibilite");
      await page
        .getByLabel("Votre message")
        .fill("Le graphique du rapport annuel n’est pas lisible avec mon lecteur d’écran.");
      const sent = page.waitForResponse((r) => r.request().method() === "POST");
      await page.getByRole("button", { name: "Envoyer le message" }).click();
      expect((await sent).status()).toBe(200);
      await page.getByRole("heading", { level: 1, name: "Message reçu" }).waitFor();
      const status = normalize(await page.getByRole("status").textContent());
      expect(status).toMatch(/^Votre message a bien été reçu et enregistré \(référence contact n° \d+\)\./);
      expect(status).toContain("lea.martin@example.org");
    });
    const deadline = Date.now() + 15_000;
    let mail = readOutbox(outboxFile).find(
      (m) => m.to.includes(CONTACT_EMAIL) && m.subject.includes("Léa Martin"),
    );
    while (!mail && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      mail = readOutbox(outboxFile).find(
        (m) => m.to.includes(CONTACT_EMAIL) && m.subject.includes("Léa Martin"),
      );
    }
    expect(mail?.subject).toBe("Message de contact\u00a0: L’accessibilité du site (Léa Martin)");
    expect(mail?.html).toContain("lea.martin@example.org");
  });
});
