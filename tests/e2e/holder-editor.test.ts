/**
 * The holder's editor in Chromium: leaving it with unsaved changes asks first (a French confirm()),
 * answering « Annuler » stays on the page with what was typed; after a save it does not ask; axe is
 * clean on the editor at 390 px.
 */
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, parisCalendarDate } from "~/domain/time";
import { UNSAVED_CHANGES_QUESTION } from "~/components/unsaved-changes";
import {
  expectNoAxeViolations,
  launchBrowser,
  pageHelpers,
  startServerWithOutbox,
  waitForHydration,
} from "../support/e2e";
import { httpClient } from "../support/http-session";
import type { RunningServer } from "../support/server";

let server: RunningServer;
let browser: Browser;
let cleanup: () => void = () => {};
let cookie = "";
let campaignId = 0;
const { url, withPage } = pageHelpers({
  server: () => server,
  browser: () => browser,
  defaultTimeout: 10_000,
});

beforeAll(async () => {
  const started = await startServerWithOutbox("e2e-holder-editor");
  server = started.server;
  cleanup = started.cleanup;
  browser = await launchBrowser();
  const client = httpClient(server, started.outboxFile);
  cookie = await client.signIn("editrice.e2e@example.org");
  const s = await client.call("POST", "/porteur/structure", {
    cookie,
    form: {
      nom: "Atelier vélo d’Arras",
      forme: "association",
      numero: "W623004321",
      commune: "Arras",
      territoire: "arrageois",
    },
  });
  expect(s.status).toBe(302);
  const page = await client.call("GET", "/porteur/campagnes/nouvelle", { cookie });
  const structure = /name="structure" value="(\d+)"/.exec(page.body)?.[1];
  const draft = await client.call("POST", "/porteur/campagnes/nouvelle", {
    cookie,
    form: {
      titre: "Un atelier vélo à Arras",
      structure: structure ?? "",
      territoire: "arrageois",
      theme: "mobilite",
    },
  });
  expect(draft.status).toBe(302);
  campaignId = Number(/(\d+)$/.exec(draft.location ?? "")?.[1]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  cleanup();
});

async function signedIn(context: BrowserContext): Promise<void> {
  const [name, value] = cookie.split("=", 2) as [string, string];
  await context.addCookies([{ name, value, url: url("/") }]);
}

describe("the editor with unsaved changes", () => {
  it("asks before following a link; « Annuler » stays; after saving it does not ask", async () => {
    await withPage({}, async (page, context) => {
      await signedIn(context);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(url(`/porteur/campagnes/${campaignId}`));
      await waitForHydration(page);
      await expectNoAxeViolations(
        page,
        "axe-holder-editor-390.png",
        () => `editor at 390 px (${page.url()})`,
      );

      // Nothing typed: leaving does not ask.
      const dialogs: string[] = [];
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.getByRole("link", { name: "Aperçu de la page publique" }).click();
      await page.waitForURL((u) => u.pathname.endsWith("/apercu"));
      expect(dialogs).toEqual([]);
      await page.goBack();
      await page.waitForURL((u) => u.pathname === `/porteur/campagnes/${campaignId}`);
      await waitForHydration(page);

      // Typed, not saved: the link asks; dismissing keeps the page and the text.
      const summary = "Un atelier où chacun apprend à réparer son vélo, avec des bénévoles.";
      await page.getByLabel("Résumé (affiché sur les cartes)").fill(summary);
      await page.getByRole("link", { name: "Aperçu de la page publique" }).click();
      await expect.poll(() => dialogs).toEqual([UNSAVED_CHANGES_QUESTION]);
      expect(new URL(page.url()).pathname).toBe(`/porteur/campagnes/${campaignId}`);
      expect(await page.getByLabel("Résumé (affiché sur les cartes)").inputValue()).toBe(summary);

      // Saved: no question any more.
      await page.getByLabel("Date de fin de la collecte").fill(addDays(parisCalendarDate(new Date()), 30));
      await page.getByRole("button", { name: "Enregistrer" }).click();
      await page.locator("main p.outcome[role=status]", { hasText: "Modifications enregistrées." }).waitFor();
      await page.getByRole("link", { name: "Aperçu de la page publique" }).click();
      await page.waitForURL((u) => u.pathname.endsWith("/apercu"));
      expect(dialogs).toHaveLength(1);
    });
  }, 60_000);

  it("accepting the question leaves the page", async () => {
    await withPage({}, async (page, context) => {
      await signedIn(context);
      await page.goto(url(`/porteur/campagnes/${campaignId}`));
      await waitForHydration(page);
      page.on("dialog", (dialog) => void dialog.accept());
      await page.getByLabel("Calendrier").fill("- Mars : ouverture de l’atelier");
      await page.getByRole("link", { name: "← Espace porteur" }).click();
      await page.waitForURL((u) => u.pathname === "/porteur");
    });
  }, 60_000);
});
