/**
 * Browser test of the fresh sign-in before cancelling a campaign (issue 12, docs/decisions/015):
 * a staff member whose sign-in is older than 15 minutes (the session's sign-in instant moved back
 * in the database) fills the cancellation form; nothing is cancelled, the sign-in page says why,
 * with the address filled in; after the new code they are back on the same page, and the
 * cancellation then goes through. With JavaScript and without; axe checks the confirmation page.
 */
import crypto from "node:crypto";
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STAFF_EMAIL } from "#db/seed/seed";
import {
  axeChecker,
  codeOf,
  launchBrowser,
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

const DEFAULT_TIMEOUT = 15_000;
const { url, withPage } = pageHelpers({
  server: () => server,
  browser: () => browser,
  defaultTimeout: DEFAULT_TIMEOUT,
});
const checkAxe = axeChecker("fresh-sign-in");

beforeAll(async () => {
  const started = await startServerWithOutbox("e2e-fresh-sign-in", { SETTLE_INTERVAL_SECONDS: "0" });
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

const db = () => sqlite!;
const statusOf = (id: number) =>
  db().prepare("select status from campaigns where id = ?").pluck().get(id) as string;

/** Type the code of the newest sign-in e-mail (sent after `known` others) on the code step. */
async function typeNewCode(page: Page, known: number): Promise<void> {
  await page.getByRole("heading", { level: 1, name: "Saisissez votre code" }).waitFor();
  const deadline = Date.now() + 10_000;
  let messages = signInMessagesTo(outboxFile, DEMO_STAFF_EMAIL);
  while (messages.length <= known) {
    if (Date.now() > deadline) throw new Error(`no sign-in e-mail:\n${server.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
    messages = signInMessagesTo(outboxFile, DEMO_STAFF_EMAIL);
  }
  await page.getByLabel("Code reçu par courriel (6 chiffres)").fill(codeOf(messages.at(-1)!));
  await page.getByRole("button", { name: "Me connecter" }).click();
}

async function signIn(page: Page, js: boolean): Promise<void> {
  await page.goto(url("/connexion"));
  if (js) await waitForHydration(page);
  const known = signInMessagesTo(outboxFile, DEMO_STAFF_EMAIL).length;
  await page.getByLabel("Adresse électronique").fill(DEMO_STAFF_EMAIL);
  await page.getByRole("button", { name: "Recevoir mon lien de connexion" }).click();
  await typeNewCode(page, known);
  await page.waitForURL((u) => u.pathname === "/mon-compte");
}

/** Move the browser's session sign-in back by `minutes`. */
async function ageSession(page: Page, minutes: number): Promise<void> {
  const cookie = (await page.context().cookies()).find((c) => c.name === "__session");
  expect(cookie).toBeDefined();
  const idHash = crypto.createHash("sha256").update(cookie!.value).digest("hex");
  const changed = db()
    .prepare("update sessions set created_at = ? where id_hash = ?")
    .run(new Date(Date.now() - minutes * 60_000).toISOString(), idHash).changes;
  expect(changed).toBe(1);
}

async function cancelFromPage(page: Page, js: boolean, reason: string): Promise<void> {
  if (js) await waitForHydration(page);
  await page.getByLabel("Motif de l\u2019annulation (obligatoire)").fill(reason);
  await page.getByRole("button", { name: "Annuler la campagne et rembourser" }).click();
}

describe("a fresh sign-in before cancelling a campaign", () => {
  for (const js of [true, false]) {
    it(`a sign-in of 20 minutes asks for a new code first, then brings back to the page (JavaScript ${js ? "on" : "off"})`, async () => {
      const id = db()
        .prepare(
          "select id from campaigns where status = 'live' order by id " + (js ? "asc" : "desc") + " limit 1",
        )
        .pluck()
        .get() as number;
      const page$ = `/gestion/campagnes/${id}`;
      await withPage({ javaScriptEnabled: js }, async (page) => {
        await signIn(page, js);
        await ageSession(page, 20);
        await page.goto(url(page$));
        await cancelFromPage(page, js, "Le porteur a renoncé au projet.");

        await page.getByRole("heading", { level: 1, name: "Confirmez votre identité" }).waitFor();
        const here = new URL(page.url());
        expect(here.pathname).toBe("/connexion");
        expect(here.searchParams.get("retour")).toBe(page$);
        expect(await page.locator("main").textContent()).toContain(
          "Votre connexion date d\u2019il y a plus de 15\u00a0minutes.",
        );
        expect(await page.getByLabel("Adresse électronique").inputValue()).toBe(DEMO_STAFF_EMAIL);
        expect(statusOf(id)).toBe("live");
        if (js) await checkAxe(page, "confirmer");

        const known = signInMessagesTo(outboxFile, DEMO_STAFF_EMAIL).length;
        await page.getByRole("button", { name: "Recevoir mon lien de connexion" }).click();
        await typeNewCode(page, known);
        await page.waitForURL((u) => u.pathname === page$);
        expect(statusOf(id)).toBe("live");

        await cancelFromPage(page, js, "Le porteur a renoncé au projet.");
        await page.getByText("Campagne annulée", { exact: false }).first().waitFor();
        expect(statusOf(id)).toBe("cancelled");
      });
    });
  }
});
