/**
 * Browser tests of « Mon compte » rights (app/account): change the displayed name, download « mes
 * données », list and close sessions, delete the account at 390 px; axe on each page. The built
 * server on a throwaway seeded database; sign-in codes read from the mocked Resend outbox.
 */
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  axeChecker,
  codeOf,
  launchBrowser,
  normalize,
  pageHelpers,
  signInMessagesTo,
  startServerWithOutbox,
  waitForHydration,
} from "../support/e2e";
import type { RunningServer } from "../support/server";

let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database | undefined;
let outboxFile = "";
let cleanupDatabase: () => void = () => {};

const { url, withPage } = pageHelpers({
  server: () => server,
  browser: () => browser,
  defaultTimeout: 15_000,
});
const checkAxe = axeChecker("rights");

beforeAll(async () => {
  const started = await startServerWithOutbox("e2e-rights", { SETTLE_INTERVAL_SECONDS: "0" });
  server = started.server;
  outboxFile = started.outboxFile;
  cleanupDatabase = started.cleanup;
  sqlite = new Database(started.databaseFile);
  sqlite.pragma("busy_timeout = 5000");
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  sqlite?.close();
  await server?.stop();
  cleanupDatabase();
});

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(url("/connexion?retour=%2Fmon-compte"));
  const known = signInMessagesTo(outboxFile, email).length;
  await page.getByLabel("Adresse électronique").fill(email);
  await page.getByRole("button", { name: "Recevoir mon lien de connexion" }).click();
  await page.getByRole("heading", { level: 1, name: "Saisissez votre code" }).waitFor();
  const deadline = Date.now() + 10_000;
  let messages = signInMessagesTo(outboxFile, email);
  while (messages.length <= known) {
    if (Date.now() > deadline) throw new Error(`no sign-in e-mail:\n${server.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
    messages = signInMessagesTo(outboxFile, email);
  }
  await page.getByLabel("Code reçu par courriel (6 chiffres)").fill(codeOf(messages.at(-1)!));
  await page.getByRole("button", { name: "Me connecter" }).click();
  await page.waitForURL((u) => u.pathname === "/mon-compte");
  await page.getByRole("heading", { level: 1, name: "Mon compte" }).waitFor();
}

describe("« Mon compte »: name, data, sessions", () => {
  it("changes the displayed name and downloads « mes données »", async () => {
    const email = "e2e.droits.nom@example.org";
    // Without JavaScript: the forms work as plain HTML (axe runs in the JavaScript journeys).
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await signIn(page, email);
      await page.getByLabel("Nom affiché").fill("Dominique Lefebvre");
      await page.getByRole("button", { name: "Enregistrer le nom" }).click();
      await page.getByRole("status").filter({ hasText: "Dominique Lefebvre" }).waitFor();
      const res = await page.context().request.get(url("/mon-compte/donnees.json"));
      expect(res.status()).toBe(200);
      expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename="propulsons-mes-donnees-/);
      const body = (await res.json()) as {
        tables: { users: Array<{ email: string; display_name: string }> };
      };
      expect(body.tables.users).toEqual([
        expect.objectContaining({ email, display_name: "Dominique Lefebvre" }),
      ]);
    });
    await withPage({}, async (page) => {
      await signIn(page, email);
      expect(await page.getByLabel("Nom affiché").inputValue()).toBe("Dominique Lefebvre");
      await checkAxe(page, "mon-compte");
      await page.getByRole("link", { name: "Changer d’adresse électronique" }).click();
      await page.getByRole("heading", { level: 1, name: "Changer d’adresse électronique" }).waitFor();
      await checkAxe(page, "adresse");
    });
  });

  it("lists the sessions, marks this one, and closes the other", async () => {
    const email = "e2e.droits.sessions@example.org";
    await withPage({}, async (other) => {
      await signIn(other, email);
      await withPage({}, async (page) => {
        await signIn(page, email);
        const text = normalize(await page.locator("main").textContent());
        expect(text).toContain("(cette session)");
        expect(await page.locator(".session-list > li").count()).toBe(2);
        expect(text).toMatch(/Chrome sur Linux/);
        await page.getByRole("button", { name: /^Fermer cette session/ }).click();
        await page.getByRole("status").filter({ hasText: "La session est fermée." }).waitFor();
        await expect.poll(() => page.locator(".session-list > li").count()).toBe(1);
        expect(normalize(await page.locator(".session-list").textContent())).toContain("(cette session)");
      });
      await other.goto(url("/mon-compte"));
      expect(new URL(other.url()).pathname).toBe("/connexion");
    });
  });
});

describe("deleting the account", () => {
  it("at 390 px: explains, asks for a tick, deletes, signs out and says so", async () => {
    const email = "e2e.droits.suppression@example.org";
    await withPage({}, async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn(page, email);
      await page.getByRole("link", { name: "Supprimer mon compte" }).click();
      await page.getByRole("heading", { level: 1, name: "Supprimer mon compte" }).waitFor();
      await checkAxe(page, "suppression");
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(390);
      await page.getByRole("button", { name: "Supprimer mon compte" }).click();
      await page.getByRole("alert").filter({ hasText: "Cochez la case" }).waitFor();
      await page.getByLabel("Je confirme vouloir supprimer mon compte, définitivement.").check();
      // Hydrated: the form is sent by Remix, which then reads the page's loaders again.
      await waitForHydration(page);
      await page.getByRole("button", { name: "Supprimer mon compte" }).click();
      await page.getByRole("heading", { level: 1, name: "Compte supprimé" }).waitFor();
      await checkAxe(page, "supprime");
      const row = sqlite!.prepare("select email, deleted_at from users where email = ?").get(email);
      expect(row).toBeUndefined();
      await page.goto(url("/mon-compte"));
      expect(new URL(page.url()).pathname).toBe("/connexion");
    });
  });
});
