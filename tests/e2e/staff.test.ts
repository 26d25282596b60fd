/**
 * Browser tests of the Département staff's back office (issue « espace Département »):
 * the seeded staff member signs in with the code of the outbox, opens « Espace
 * Département » from the header, then « Modération »; asks for changes on the
 * submitted campaign (an empty comment first: a French error, nothing changed);
 * the holder, in another browser context, reads the e-mail, edits the summary
 * and submits again; staff see the new summary, approve with a start date a few
 * days ahead (not public yet); `npm run settle -- --now …` (a separate process on
 * the server's database file) puts it online at 00:00 Paris that day. Without
 * JavaScript, staff set the Budget Citoyen label on a running campaign, and its
 * public page shows the badge and a 0 % commission. axe-core (WCAG 2.1 A/AA)
 * checks every staff page and the public annual report; one keyboard check walks
 * the review page with Tab and sends a decision with Enter.
 *
 * The built server (build/index.js) runs on a throwaway seeded database; the
 * e-mails land in a temporary outbox file. The database is only read by the
 * test (read-only connection); it changes through the browser and the settle command.
 *
 * Screenshots of every axe-checked page land in test-results/ (git-ignored).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import type { Browser, BrowserContext, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STAFF_EMAIL } from "#db/seed/seed";
import { formatDate } from "~/domain/format";
import { addDays, calendarDaysBetween, parisCalendarDate, parisYear, startOfDayInParis } from "~/domain/time";
import { readOutbox, type OutboxMessage } from "~/demo/resend-api.server";
import {
  axeChecker,
  codeOf,
  isActionOf,
  launchBrowser,
  mainNav,
  normalize,
  pageHelpers,
  signInMessagesTo,
  startServerWithOutbox,
  waitForHydration,
} from "../support/e2e";
import { ROOT, type RunningServer } from "../support/server";

const run = promisify(execFile);

const HOLDER_EMAIL = "lea.marchand@example.org";
const HOLDER_NAME = "Léa Marchand";
const SLUG = "epicerie-solidaire-mobile-ternois";
/** The public address once the holder saved it again: it follows the title until approval (ADR 027). */
const PUBLIC_SLUG = "une-epicerie-solidaire-mobile-dans-le-ternois";
const TITLE = "Une épicerie solidaire mobile dans le Ternois";
const STAFF_WHO = `Équipe du Département — Camille Moreau (équipe du Département, démo) (${DEMO_STAFF_EMAIL})`;
const HOLDER_WHO = `Porteur de projet — ${HOLDER_NAME} (${HOLDER_EMAIL})`;
const COMMENT =
  "Précisez le calendrier des tournées : quels villages, quels jours ? Merci d'indiquer aussi le coût du carburant.";
const NEW_SUMMARY =
  "Un camion-épicerie solidaire qui passera chaque mardi et chaque vendredi dans douze villages du Ternois sans commerce.";
const APPROVAL_MESSAGE = "Bravo pour ce projet : la mise en ligne est prévue dans quelques jours.";
const WAITING = "En attente de validation";

/** The server's environment, given again to `npm run settle` (same database and outbox files). */
let serverEnv: Record<string, string> = {};
let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database | undefined;
let outboxFile = "";
let cleanupDatabase: () => void = () => {};

/** Staff's browser context (signed in once, used by every test in order). */
let staffContext: BrowserContext;
let staff: Page;
/** The seeded submitted campaign. */
let campaignId = 0;
/** The start date chosen on approval (YYYY-MM-DD, Europe/Paris). */
let startDate = "";

// Fail on the step that hangs, well before the test's own time limit.
const DEFAULT_TIMEOUT = 15_000;
const { url, withPage } = pageHelpers({
  server: () => server,
  browser: () => browser,
  defaultTimeout: DEFAULT_TIMEOUT,
});

beforeAll(async () => {
  serverEnv = {
    // No periodic settlement pass in the server: only the command run by the test moves the calendar.
    SETTLE_INTERVAL_SECONDS: "0",
    // The demo Stripe and Resend have no rate limit; the default pacing would only slow the settle command.
    REFUND_RATE_PER_SECOND: "500",
    EMAIL_RATE_PER_SECOND: "500",
  };
  const started = await startServerWithOutbox("e2e-staff", serverEnv);
  server = started.server;
  outboxFile = started.outboxFile;
  cleanupDatabase = started.cleanup;
  serverEnv = {
    ...serverEnv,
    DATABASE_PATH: started.databaseFile,
    DEMO_OUTBOX_PATH: started.outboxFile,
    PUBLIC_URL: server.url,
    EMAIL_WORKER_INTERVAL_SECONDS: "1",
  };
  sqlite = new Database(started.databaseFile, { readonly: true });
  sqlite.pragma("busy_timeout = 5000");
  const seeded = db().prepare("select id, status from campaigns where slug = ?").get(SLUG) as
    { id: number; status: string } | undefined;
  expect(seeded?.status).toBe("submitted");
  campaignId = seeded!.id;
  expect(db().prepare("select role from users where email = ?").pluck().get(DEMO_STAFF_EMAIL)).toBe("staff");
  browser = await launchBrowser();
  staffContext = await browser.newContext({ locale: "fr-FR" });
  staffContext.setDefaultTimeout(DEFAULT_TIMEOUT);
  staff = await staffContext.newPage();
});

afterAll(async () => {
  await staffContext?.close();
  await browser?.close();
  sqlite?.close();
  await server?.stop();
  cleanupDatabase();
});

function db(): Database.Database {
  if (!sqlite) throw new Error("database not open");
  return sqlite;
}

function campaignStatus(id: number): string {
  return db().prepare("select status from campaigns where id = ?").pluck().get(id) as string;
}

const reviewPath = () => `/gestion/campagnes/${campaignId}`;

/** Click `button` (or press a key on it) and return the answer to the POST it sends to `pathname`. */
async function postBy(page: Page, pathname: string, act: () => Promise<void>): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && isActionOf(r.url(), pathname)),
    act(),
  ]);
  return response;
}

/** Poll the outbox until a message to `email` matches `accept`; `what` names it in the error. */
async function waitForMessage(
  email: string,
  accept: (m: OutboxMessage) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<OutboxMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readOutbox(outboxFile).filter((m) => m.to.includes(email) && accept(m));
    if (found.length > 0) return found[found.length - 1]!;
    if (Date.now() > deadline) {
      const seen = readOutbox(outboxFile).map((m) => `${m.to.join(",")} — ${m.subject}`);
      throw new Error(
        `no ${what} for ${email} in the outbox after ${timeoutMs} ms; it holds:\n${seen.join("\n")}\nserver output:\n${server.output().slice(-2000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** /connexion → the code of the outbox's e-mail → /mon-compte (with or without JavaScript). */
async function signIn(page: Page, email: string, options: { js: boolean }): Promise<void> {
  const res = await page.goto(url("/connexion"));
  expect(res?.status()).toBe(200);
  if (options.js) await waitForHydration(page);
  const known = signInMessagesTo(outboxFile, email).length;
  await page.getByLabel("Adresse électronique").fill(email);
  await page.getByRole("button", { name: "Recevoir mon lien de connexion" }).click();
  await page.getByRole("heading", { level: 1, name: "Saisissez votre code" }).waitFor();
  const deadline = Date.now() + 10_000;
  let messages = signInMessagesTo(outboxFile, email);
  while (messages.length <= known) {
    if (Date.now() > deadline)
      throw new Error(
        `no sign-in e-mail for ${email} in the outbox; server output:\n${server.output().slice(-2000)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
    messages = signInMessagesTo(outboxFile, email);
  }
  const message = messages[messages.length - 1]!;
  await page.getByLabel("Code reçu par courriel (6 chiffres)").fill(codeOf(message));
  await page.getByRole("button", { name: "Me connecter" }).click();
  await page.waitForURL((u) => u.pathname === "/mon-compte");
  await page.getByRole("heading", { level: 1, name: "Mon compte" }).waitFor();
  expect(normalize(await page.locator("main").textContent())).toContain(
    `Vous êtes connecté avec l’adresse ${email}.`,
  );
}

/** The staff navigation (« Espace Département »). */
function staffNav(page: Page) {
  return page.getByRole("navigation", { name: "Espace Département" });
}

/** The review page's state line: « État : <strong> … ». */
async function reviewState(page: Page): Promise<string> {
  return normalize(
    await page
      .locator(".staff-review p")
      .filter({ hasText: /^État\u00a0:/ })
      .locator("strong")
      .textContent(),
  );
}

/** The rows of the review page's history table, as normalized cell texts without the date. */
async function historyRows(page: Page): Promise<string[][]> {
  const rows = await page
    .locator("section[aria-labelledby=historique] table tbody tr")
    .evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent ?? "")),
    );
  return rows.map((cells) => cells.slice(1).map(normalize));
}

/** The ids that more than one element of the page carries. */
async function duplicateIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const counts = new Map<string, number>();
    for (const el of Array.from(document.querySelectorAll("[id]")))
      counts.set(el.id, (counts.get(el.id) ?? 0) + 1);
    return [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  });
}

/** The outcome of the last decision (role=status) or of a refusal (role=alert). */
function decisionStatus(page: Page) {
  return page.locator(".staff-review .outcome[role=status]");
}

const axeChecked: string[] = [];
const checkAxe = axeChecker("gestion");
async function expectNoAxeViolations(page: Page, name: string): Promise<void> {
  await checkAxe(page, name);
  axeChecked.push(name);
}

/** Press Tab until `accept` holds for the focused element (at most `max` times); returns how many presses. */
async function tabUntil(
  page: Page,
  accept: (el: { tag: string; text: string; inStaffNav: boolean; id: string }) => boolean,
  what: string,
  max = 60,
): Promise<number> {
  const seen: string[] = [];
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press("Tab");
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      return {
        tag: a?.tagName.toLowerCase() ?? "",
        text: (a?.textContent ?? "").replace(/\s+/g, " ").trim(),
        inStaffNav: Boolean(a?.closest("nav[aria-label='Espace Département']")),
        id: a?.id ?? "",
      };
    });
    seen.push(`${el.tag}${el.id ? "#" + el.id : ""} « ${el.text.slice(0, 40)} »`);
    if (accept(el)) return i;
  }
  throw new Error(
    `${what} not reached with Tab after ${max} presses; focus went through:\n${seen.join("\n")}`,
  );
}

describe("moderation of a submitted campaign, from the change request to the campaign online", () => {
  it("staff sign in, open « Espace Département » then « Modération », and ask for changes (an empty comment first: a French error)", async () => {
    const page = staff;
    await signIn(page, DEMO_STAFF_EMAIL, { js: true });
    await waitForHydration(page);

    // « Espace Département » in the header (staff only).
    await mainNav(page).getByRole("link", { name: "Espace Département" }).click();
    await page.waitForURL((u) => u.pathname === "/gestion");
    await page.getByRole("heading", { level: 1, name: "Espace Département" }).waitFor();
    await expect.poll(() => page.title(), { timeout: 5000 }).toBe("Espace Département — Propulsons");
    expect(normalize(await page.locator("section[aria-labelledby=h-moderation]").textContent())).toContain(
      "1 campagne attend une décision.",
    );
    expect(await staffNav(page).getByRole("link").allTextContents()).toEqual([
      "Tableau de bord",
      "Modération (1)",
      "Campagnes",
      "Paiements à traiter",
      "Chiffres clés",
      "Reçus fiscaux",
      "Abondements",
    ]);
    expect(
      await staffNav(page).getByRole("link", { name: "Tableau de bord" }).getAttribute("aria-current"),
    ).toBe("page");
    await expectNoAxeViolations(page, "tableau-de-bord");

    // « Modération »: the submitted campaign is listed.
    await staffNav(page).getByRole("link", { name: "Modération (1)" }).click();
    await page.waitForURL((u) => u.pathname === "/gestion/moderation");
    await page.getByRole("heading", { level: 1, name: "Modération" }).waitFor();
    const rows = page.locator("main table tbody tr");
    expect(await rows.count()).toBe(1);
    const row = rows.first();
    expect(normalize(await row.locator("th").textContent())).toBe(TITLE);
    const cells = (await row.locator("td").allTextContents()).map(normalize);
    expect(cells[0]).toBe("Panier Partagé");
    expect(cells[2]).toBe("9 000 €");
    expect(await row.getByRole("link", { name: TITLE }).getAttribute("href")).toBe(reviewPath());
    await expectNoAxeViolations(page, "moderation");

    // Open it: the review page.
    await row.getByRole("link", { name: TITLE }).click();
    await page.waitForURL((u) => u.pathname === reviewPath());
    await page.getByRole("heading", { level: 1, name: `Examen\u00a0: ${TITLE}` }).waitFor();
    expect(await reviewState(page)).toBe(WAITING);
    // (The seed's transitions name the holder's role only.)
    expect((await historyRows(page)).at(-1)).toEqual([
      "Soumettre pour validation → En attente de validation",
      "Porteur de projet",
      "—",
    ]);
    // The full content follows the decisions (the campaign's title as an h2 under the review's h1).
    await page.getByRole("heading", { level: 2, name: TITLE }).waitFor();
    // Every id once: the skip link « Aller au contenu » targets main#contenu, and « voir le contenu
    // soumis » must lead to the campaign's content, not to the top of <main>.
    expect(await duplicateIds(page)).toEqual([]);
    const toContent = await page
      .locator(".staff-review")
      .getByRole("link", { name: "voir le contenu soumis" })
      .getAttribute("href");
    expect(await page.evaluate((href) => document.querySelector(href!)?.textContent, toContent)).toBe(
      "Contenu de la campagne",
    );
    await expectNoAxeViolations(page, "examen");

    // Keyboard only: from the top of the page, Tab reaches the staff navigation, then the decision buttons;
    // Enter on « Demander des modifications » sends the form (the comment left empty).
    // (Start from the first stop of the page, the skip link « Aller au contenu ».)
    await page.getByRole("link", { name: "Aller au contenu" }).focus();
    await tabUntil(page, (el) => el.inStaffNav && el.text === "Tableau de bord", "the staff navigation");
    await tabUntil(
      page,
      (el) => el.tag === "button" && el.text === "Valider la campagne",
      "« Valider la campagne »",
    );
    await tabUntil(
      page,
      (el) => el.tag === "button" && el.text === "Demander des modifications",
      "« Demander des modifications »",
    );
    const refused = await postBy(page, reviewPath(), () => page.keyboard.press("Enter"));
    expect(refused.status()).toBe(400);

    // The French error: the summary, the field's own message, aria-invalid and aria-describedby.
    const summary = page.locator(".staff-review .error-summary[role=alert]");
    await summary.waitFor();
    const expected = "Le commentaire au porteur est obligatoire.";
    expect(normalize(await summary.locator("p").first().textContent())).toBe(
      "Le formulaire contient des erreurs.",
    );
    expect((await summary.locator("li").allTextContents()).map(normalize)).toEqual([expected]);
    expect(await summary.getByRole("link", { name: expected }).getAttribute("href")).toBe("#f-commentaire");
    const comment = page.getByLabel("Commentaire au porteur (obligatoire)");
    expect(await comment.getAttribute("aria-invalid")).toBe("true");
    expect((await comment.getAttribute("aria-describedby"))?.split(" ").sort()).toEqual([
      "f-commentaire-error",
      "f-commentaire-hint",
    ]);
    expect(normalize(await page.locator("#f-commentaire-error").textContent())).toBe(expected);
    // The summary's link takes the keyboard to the field.
    await summary.getByRole("link", { name: expected }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("f-commentaire");
    // Nothing changed.
    expect(await reviewState(page)).toBe(WAITING);
    expect(campaignStatus(campaignId)).toBe("submitted");
    expect(normalize(await page.locator("main").textContent())).not.toContain("Modifications demandées");
    await expectNoAxeViolations(page, "examen-erreur");

    // With a comment: done.
    await comment.fill(COMMENT);
    const done = await postBy(page, reviewPath(), () =>
      page.getByRole("button", { name: "Demander des modifications" }).click(),
    );
    expect(done.status()).toBe(200);
    await decisionStatus(page)
      .filter({ hasText: "Modifications demandées : le porteur a reçu votre commentaire par courriel." })
      .waitFor();
    expect(await page.locator(".error-summary").count()).toBe(0);
    await expect.poll(() => reviewState(page)).toBe("Modifications demandées");
    expect(normalize(await page.locator("section[aria-labelledby=decisions]").textContent())).toContain(
      "Aucune décision de modération n\u2019est attendue dans cet état.",
    );
    expect((await historyRows(page)).at(-1)).toEqual([
      "Demander des modifications → Modifications demandées",
      STAFF_WHO,
      COMMENT,
    ]);
    expect(campaignStatus(campaignId)).toBe("changes_requested");
    // The queue is empty now.
    await expect
      .poll(() =>
        staffNav(page)
          .getByRole("link", { name: /^Modération/ })
          .textContent(),
      )
      .toBe("Modération (0)");
  });

  it("the holder reads the e-mail, changes the summary in the editor, saves and submits again", async () => {
    const subject = `Votre campagne «\u00a0${TITLE}\u00a0»\u00a0: modifications demandées`;
    const mail = await waitForMessage(
      HOLDER_EMAIL,
      (m) => m.subject === subject,
      "« modifications demandées » e-mail",
    );
    expect(mail.to).toEqual([HOLDER_EMAIL]);
    const text = normalize(mail.text);
    expect(text).toContain(
      "L’équipe du Département vous demande quelques modifications avant de valider votre campagne.",
    );
    // E-mails are set in French typography (app/domain/typography.ts), the comment's apostrophes too.
    expect(text).toContain(`Le commentaire de l’équipe : ${normalize(COMMENT).replaceAll("'", "’")}`);
    const editorUrl = `${server.url}/porteur/campagnes/${campaignId}`;
    expect(mail.html ?? "").toContain(`href="${editorUrl}"`);

    await withPage({}, async (page) => {
      await signIn(page, HOLDER_EMAIL, { js: true });
      // Not staff: no « Espace Département », and /gestion is refused.
      expect(await mainNav(page).getByRole("link", { name: "Espace Département" }).count()).toBe(0);
      const forbidden = await page.request.get(url("/gestion"), { maxRedirects: 0 });
      expect(forbidden.status()).toBe(403);

      // The e-mail's link opens the editor, with the team's comment.
      const opened = await page.goto(editorUrl);
      expect(opened?.status()).toBe(200);
      await waitForHydration(page);
      await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
      expect(normalize(await page.locator("main p.outcome[role=status]").textContent())).toBe(
        "État : Modifications demandées.",
      );
      const request = page
        .locator(".outcome--failed")
        .filter({ has: page.getByRole("heading", { name: "Modifications demandées par l\u2019équipe" }) });
      expect(normalize(await request.locator("p").textContent())).toBe(normalize(COMMENT));

      // A new summary, saved.
      const summaryField = page.getByLabel("Résumé (affiché sur les cartes)", { exact: true });
      await summaryField.fill(NEW_SUMMARY);
      const saved = await postBy(page, `/porteur/campagnes/${campaignId}`, () =>
        page.getByRole("button", { name: "Enregistrer" }).click(),
      );
      expect(saved.status()).toBe(200);
      await page.locator("main p.outcome[role=status]", { hasText: "Modifications enregistrées." }).waitFor();
      expect(await page.locator(".error-summary").count()).toBe(0);
      expect(db().prepare("select summary from campaigns where id = ?").pluck().get(campaignId)).toBe(
        NEW_SUMMARY,
      );

      // « Soumettre à nouveau ».
      await page
        .getByText(
          "La campagne est complète : l\u2019équipe du Département la relira et vous répondra par courriel.",
        )
        .waitFor();
      const submitted = await postBy(page, `/porteur/campagnes/${campaignId}`, () =>
        page.getByRole("button", { name: "Soumettre à nouveau" }).click(),
      );
      // Single fetch answers an action's redirect with 202 (the redirect travels in the body).
      expect(submitted.status()).toBe(202);
      await page.waitForURL(
        (u) => u.pathname === `/porteur/campagnes/${campaignId}` && u.searchParams.get("soumise") === "1",
      );
      await page.locator("main p.outcome[role=status]", { hasText: WAITING }).waitFor();
      expect(campaignStatus(campaignId)).toBe("submitted");
      // The request is answered: the team's comment is no longer shown.
      expect(
        await page.getByRole("heading", { name: "Modifications demandées par l\u2019équipe" }).count(),
      ).toBe(0);
    });

    const again = `Votre campagne «\u00a0${TITLE}\u00a0»\u00a0: en attente de validation`;
    const resubmitted = await waitForMessage(
      HOLDER_EMAIL,
      (m) => m.subject === again,
      "« en attente de validation » e-mail",
    );
    expect(normalize(resubmitted.text)).toContain(
      "Votre campagne modifiée est transmise à nouveau à l’équipe du Département pour relecture.",
    );
  });

  it("staff see the new summary and the resubmission, and approve with a start date a few days ahead: not public yet", async () => {
    const page = staff;
    await page.reload();
    await waitForHydration(page);
    await page.getByRole("heading", { level: 1, name: `Examen\u00a0: ${TITLE}` }).waitFor();
    expect(await reviewState(page)).toBe(WAITING);
    expect(normalize(await page.locator(".campaign__summary").textContent())).toBe(NEW_SUMMARY);
    expect((await historyRows(page)).slice(-2)).toEqual([
      ["Demander des modifications → Modifications demandées", STAFF_WHO, COMMENT],
      ["Soumettre à nouveau → En attente de validation", HOLDER_WHO, "—"],
    ]);
    expect(
      await staffNav(page)
        .getByRole("link", { name: /^Modération/ })
        .textContent(),
    ).toBe("Modération (1)");

    // The queue says it came back after changes.
    await staffNav(page).getByRole("link", { name: "Modération (1)" }).click();
    await page.waitForURL((u) => u.pathname === "/gestion/moderation");
    const row = page.locator("main table tbody tr").filter({ hasText: TITLE });
    expect(normalize(await row.locator(".tag").textContent())).toBe("Resoumise après modifications");
    await row.getByRole("link", { name: TITLE }).click();
    await page.waitForURL((u) => u.pathname === reviewPath());
    await page.getByRole("heading", { level: 1, name: `Examen\u00a0: ${TITLE}` }).waitFor();

    // A start date three days ahead (Europe/Paris), the end date chosen by the holder at least 7 days later.
    const today = parisCalendarDate(new Date());
    startDate = addDays(today, 3);
    const endsAt = db()
      .prepare("select ends_at from campaigns where id = ?")
      .pluck()
      .get(campaignId) as string;
    expect(calendarDaysBetween(startDate, parisCalendarDate(new Date(endsAt)))).toBeGreaterThanOrEqual(7);
    const dateField = page.getByLabel("Date de mise en ligne (facultatif)");
    expect(await dateField.getAttribute("min")).toBe(today);
    await dateField.fill(startDate);
    await page.getByLabel("Message au porteur (facultatif)").fill(APPROVAL_MESSAGE);
    const approved = await postBy(page, reviewPath(), () =>
      page.getByRole("button", { name: "Valider la campagne" }).click(),
    );
    expect(approved.status()).toBe(200);
    const startsAt = startOfDayInParis(startDate);
    const day = formatDate(startsAt);
    await decisionStatus(page)
      .filter({ hasText: `Campagne validée : elle sera mise en ligne le ${day}.` })
      .waitFor();
    await expect.poll(() => reviewState(page)).toBe("Validée");
    expect((await historyRows(page)).slice(-2)).toEqual([
      ["Valider → Validée", STAFF_WHO, APPROVAL_MESSAGE],
      [`Date de mise en ligne fixée : ${day}`, STAFF_WHO, "—"],
    ]);
    expect(
      db().prepare("select status, starts_at as startsAt from campaigns where id = ?").get(campaignId),
    ).toEqual({
      status: "approved",
      startsAt: startsAt.toISOString(),
    });
    await expect
      .poll(() =>
        staffNav(page)
          .getByRole("link", { name: /^Modération/ })
          .textContent(),
      )
      .toBe("Modération (0)");

    // Not public yet: neither listed nor reachable.
    await withPage({}, async (visitor) => {
      for (const list of ["/campagnes", "/campagnes?statut=en-cours"]) {
        const res = await visitor.goto(url(list));
        expect(res?.status()).toBe(200);
        await visitor.getByRole("heading", { level: 1, name: "Les projets" }).waitFor();
        expect(await visitor.getByRole("link", { name: TITLE }).count(), list).toBe(0);
      }
      const hidden = await visitor.request.get(url(`/campagnes/${PUBLIC_SLUG}`));
      expect(hidden.status()).toBe(404);
    });
  });

  it("`npm run settle -- --now <00:00 Paris on the start date, plus an hour>` puts it online: listed as running, its page answers 200", async () => {
    const now = new Date(startOfDayInParis(startDate).getTime() + 3600_000).toISOString();
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const { stdout } = await run(npm, ["run", "--silent", "settle", "--", "--now", now], {
      cwd: ROOT,
      env: { ...process.env, ...serverEnv },
      timeout: 60_000,
    });
    expect(stdout).toContain(`Règlement au ${now} (instant simulé).`);
    expect(stdout).toContain(`Mise en ligne : « ${TITLE} » (${PUBLIC_SLUG}).`);
    expect(db().prepare("select slug from campaigns where id = ?").pluck().get(campaignId)).toBe(PUBLIC_SLUG);
    expect(stdout).toMatch(/Bilan : 1 mise en ligne, .*\b0 erreur\./);
    expect(campaignStatus(campaignId)).toBe("live");

    await withPage({}, async (visitor) => {
      const res = await visitor.goto(url("/campagnes?statut=en-cours"));
      expect(res?.status()).toBe(200);
      const card = visitor
        .locator("article.card")
        .filter({ has: visitor.getByRole("link", { name: TITLE }) });
      await card.waitFor();
      expect(normalize(await card.locator(".card__summary").textContent())).toBe(NEW_SUMMARY);
      // The server's clock is before the simulated instant: the card says the collection starts soon.
      expect(normalize(await card.locator(".status").textContent())).toMatch(/^(Bientôt|J-\d+)$/);

      const opened = await visitor.goto(url(`/campagnes/${PUBLIC_SLUG}`));
      expect(opened?.status()).toBe(200);
      await visitor.getByRole("heading", { level: 1, name: TITLE }).waitFor();
      expect(normalize(await visitor.locator(".campaign__summary").textContent())).toBe(NEW_SUMMARY);
    });

    // Staff see it « En cours », with a link to its public page.
    await staff.reload();
    await staff.getByRole("heading", { level: 1, name: `Examen\u00a0: ${TITLE}` }).waitFor();
    expect(await reviewState(staff)).toBe("En cours");
    expect(
      await staff.locator(".staff-review").getByRole("link", { name: "page publique" }).getAttribute("href"),
    ).toBe(`/campagnes/${PUBLIC_SLUG}`);
  });
});

describe("the other staff pages and the public annual report", () => {
  it("« Campagnes », « Paiements à traiter », « Chiffres clés » and /rapport-annuel have no axe violations", async () => {
    const page = staff;
    await page.goto(url("/gestion"));
    await waitForHydration(page);
    for (const [link, path, heading, name] of [
      ["Campagnes", "/gestion/campagnes", "Toutes les campagnes", "campagnes"],
      ["Paiements à traiter", "/gestion/anomalies", "Paiements à traiter", "anomalies"],
      ["Chiffres clés", "/gestion/chiffres", /^Chiffres clés/, "chiffres"],
    ] as const) {
      await staffNav(page).getByRole("link", { name: link, exact: true }).click();
      await page.waitForURL((u) => u.pathname === path);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      expect(
        await staffNav(page).getByRole("link", { name: link, exact: true }).getAttribute("aria-current"),
      ).toBe("page");
      await expectNoAxeViolations(page, name);
    }
    // The campaigns list shows the approved-then-started campaign « En cours ».
    await page.goto(url("/gestion/campagnes?etat=live"));
    const row = page.locator("main table tbody tr").filter({ hasText: TITLE });
    expect((await row.locator("td").allTextContents()).map(normalize)[1]).toBe("En cours");

    await withPage({}, async (visitor) => {
      const res = await visitor.goto(url("/rapport-annuel"));
      expect(res?.status()).toBe(200);
      await visitor.getByRole("heading", { level: 1, name: "Rapport annuel d\u2019activité" }).waitFor();
      await expectNoAxeViolations(visitor, "rapport-annuel");
    });
  });
});

describe("without JavaScript", () => {
  it("staff set the Budget Citoyen label on a running campaign (a wrong year first: 400, French message); its public page shows the badge and 0 %", async () => {
    const live = db()
      .prepare(
        "select id, slug, title from campaigns where status = 'live' and budget_citoyen_year is null and id <> ? order by ends_at desc, id limit 1",
      )
      .get(campaignId) as { id: number; slug: string; title: string } | undefined;
    expect(live).toBeDefined();
    const { id, slug, title } = live!;
    const path = `/gestion/campagnes/${id}`;
    const year = parisYear(new Date());

    await withPage({ javaScriptEnabled: false }, async (page) => {
      await signIn(page, DEMO_STAFF_EMAIL, { js: false });
      const res = await page.goto(url(path));
      expect(res?.status()).toBe(200);
      // The app's scripts never ran: no client router.
      expect(await page.evaluate(() => "__remixRouter" in window)).toBe(false);
      await page.getByRole("heading", { level: 1, name: `Examen\u00a0: ${title}` }).waitFor();
      expect(await reviewState(page)).toBe("En cours");
      expect(normalize(await page.locator("section[aria-labelledby=decisions]").textContent())).toContain(
        "Pas de label. Commission appliquée au solde : 3 %.",
      );

      // A wrong year: a 400 page with the French message, the field marked, what was typed kept.
      const yearField = page.getByLabel("Année du Budget Citoyen");
      await yearField.fill("l'an prochain");
      const refused = await postBy(page, path, () =>
        page.getByRole("button", { name: "Attribuer le label" }).click(),
      );
      expect(refused.request().isNavigationRequest()).toBe(true);
      expect(refused.status()).toBe(400);
      await page.waitForLoadState();
      const message = "Indiquez l\u2019année du Budget Citoyen sur 4 chiffres (par exemple 2025).";
      const summary = page.locator(".error-summary[role=alert]");
      await summary.waitFor();
      expect((await summary.locator("li").allTextContents()).map(normalize)).toEqual([message]);
      expect(await yearField.getAttribute("aria-invalid")).toBe("true");
      expect(await yearField.inputValue()).toBe("l'an prochain");
      expect(normalize(await page.locator("#f-annee-error").textContent())).toBe(message);
      expect(
        db().prepare("select budget_citoyen_year from campaigns where id = ?").pluck().get(id),
      ).toBeNull();

      // The year: labelled.
      await yearField.fill(String(year));
      const labelled = await postBy(page, path, () =>
        page.getByRole("button", { name: "Attribuer le label" }).click(),
      );
      expect(labelled.request().isNavigationRequest()).toBe(true);
      expect(labelled.status()).toBe(200);
      await page.waitForLoadState();
      expect(normalize(await decisionStatus(page).textContent())).toBe(
        `Label « Budget Citoyen ${year} » attribué : aucune commission ne sera prélevée.`,
      );
      expect(normalize(await page.locator("section[aria-labelledby=decisions]").textContent())).toContain(
        `Labellisée « Budget Citoyen ${year} ». Commission appliquée au solde : 0 %.`,
      );
      expect(await page.getByRole("button", { name: "Retirer le label" }).count()).toBe(1);
      expect((await historyRows(page)).at(-1)).toEqual([
        `Label Budget Citoyen attribué : Budget Citoyen ${year}`,
        STAFF_WHO,
        "—",
      ]);
      expect(db().prepare("select budget_citoyen_year from campaigns where id = ?").pluck().get(id)).toBe(
        year,
      );

      // The public page: the badge and 0 %.
      const pub = await page.goto(url(`/campagnes/${slug}`));
      expect(pub?.status()).toBe(200);
      await page.getByRole("heading", { level: 1, name: title }).waitFor();
      expect(normalize(await page.locator(".campaign__header .badge--bc").textContent())).toBe(
        `Budget Citoyen ${year}`,
      );
      expect(normalize(await page.locator(".panel__commission").textContent())).toBe(
        `Commission de la plateforme : 0 % — projet labellisé Budget Citoyen ${year}, aucune commission n\u2019est prélevée.`,
      );
    });
  });
});

describe("coverage of the axe checks", () => {
  it("checked every staff page and the annual report", () => {
    expect([...axeChecked].sort()).toEqual(
      [
        "tableau-de-bord",
        "moderation",
        "examen",
        "examen-erreur",
        "campagnes",
        "anomalies",
        "chiffres",
        "rapport-annuel",
      ].sort(),
    );
  });
});
