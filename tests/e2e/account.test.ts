/**
 * Browser tests of the citizen account (issue 5): sign-in by e-mail alone — the
 * 6-digit code typed on /connexion, or the one-time link of the e-mail, pressed
 * on /connexion/verifier — then « Mon compte », « Mes contributions », a
 * receipt, and sign-out. The built server (build/index.js) runs on a throwaway
 * seeded database; the sign-in e-mails are written by the mocked Resend API to a
 * temporary outbox file, where the tests read the code and the link. Driven by
 * Debian's Chromium through playwright-core, with and without JavaScript, plus
 * axe-core checks (WCAG 2.1 A/AA).
 *
 * The seeded database is read (read-only) to pick addresses that have paid
 * contributions and to check what the pages list; nothing is written to it
 * except through the browser.
 *
 * Screenshots of every axe-checked page land in test-results/ (git-ignored).
 */
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import Database from "better-sqlite3";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOutbox, type OutboxMessage } from "../mocks/resend";
import { launchChromium } from "../support/browser";
import { tempDatabasePath } from "../support/db";
import { freePort, ROOT, startServer, type RunningServer } from "../support/server";

const RESULTS_DIR = path.join(ROOT, "test-results");
const NBSP = "\u00a0";
const SIGN_IN_SUBJECT = /^Votre code de connexion à Propulsons : (\d{6})$/;
const WRONG_CODE = "Code incorrect ou expiré. Vérifiez le dernier courriel reçu, ou demandez un nouveau code.";
const LINK_USED = "Ce lien de connexion a expiré ou a déjà servi. Demandez-en un nouveau.";
const INVALID_EMAIL = "Adresse électronique invalide (exemple : prenom.nom@exemple.fr).";
/** What the seed's contribution states read as on « Mes contributions » and on a receipt. */
const STATUS_LABELS: Record<string, string> = { paid: "Payée", refunded: "Remboursée", refunding: "Remboursement en cours" };

let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database | undefined;
let outboxFile = "";
let cleanupDatabase: () => void = () => {};

/** Addresses looked up in the seeded database (read-only), never hard-coded; a different one per journey. */
const picked = {
  js: "",
  noJs: "",
  retourJs: "",
  retourNoJs: "",
  axe: "",
  /** an address with no account and no contribution */
  unknown: "e2e.inconnu@example.org",
};

beforeAll(async () => {
  const tmp = tempDatabasePath("e2e-account");
  cleanupDatabase = tmp.cleanup;
  outboxFile = path.join(path.dirname(tmp.file), "outbox.jsonl");
  // PUBLIC_URL must be the server's own address: the sign-in link of the e-mail is built from it.
  const port = await freePort();
  server = await startServer(
    {
      DATABASE_PATH: tmp.file,
      DEMO_OUTBOX_PATH: outboxFile,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      EMAIL_WORKER_INTERVAL_SECONDS: "1",
    },
    { port },
  );
  expect(server.url).toBe(`http://127.0.0.1:${port}`);

  sqlite = new Database(tmp.file, { readonly: true, fileMustExist: true });
  // Addresses with at least one paid contribution, the ones with the most contributions (and some refunded) first.
  const emails = (
    sqlite
      .prepare(
        `select email
           from contributions
          where status not in ('pending', 'expired')
          group by email
         having sum(status = 'paid') >= 1
          order by count(*) desc, sum(status <> 'paid') desc, email`,
      )
      .all() as Array<{ email: string }>
  ).map((r) => r.email);
  if (emails.length < 5) throw new Error("the seeded database lacks five addresses with paid contributions");
  [picked.js, picked.noJs, picked.retourJs, picked.retourNoJs, picked.axe] = emails as [string, string, string, string, string];
  const known = sqlite.prepare("select (select count(*) from users where email = ?) + (select count(*) from contributions where email = ?) as n");
  expect((known.get(picked.unknown, picked.unknown) as { n: number }).n).toBe(0);

  browser = await launchChromium();
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  sqlite?.close();
  cleanupDatabase();
});

function url(p: string): string {
  return `${server.url}${p}`;
}

function db(): Database.Database {
  if (!sqlite) throw new Error("database not open");
  return sqlite;
}

async function withPage<T>(options: { javaScriptEnabled?: boolean }, run: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, locale: "fr-FR" });
  const page = await context.newPage();
  try {
    return await run(page, context);
  } finally {
    await context.close();
  }
}

/** Wait until React has hydrated the document (event handlers attached). */
async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const w = window as unknown as { __remixRouter?: unknown };
    const link = document.querySelector("header nav a");
    return Boolean(w.__remixRouter) && link !== null && Object.keys(link).some((k) => k.startsWith("__reactProps"));
  });
}

/** Spaces of any kind (U+00A0, U+202F…) as plain spaces, trimmed. */
function normalize(text: string | null | undefined): string {
  return (text ?? "").replace(/[\u00a0\u202f\s]+/g, " ").trim();
}

/** The same as formatEuros: « 25 € » with U+00A0 before €, « 1 000 € » with U+202F between thousands. */
function euros(cents: number): string {
  const whole = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 }).format(Math.trunc(cents / 100));
  const rest = cents % 100;
  return `${whole}${rest === 0 ? "" : "," + String(rest).padStart(2, "0")}${NBSP}€`;
}

/** The same as formatDate: « 31 mars 2026 » (Europe/Paris). */
function frenchDate(iso: string): string {
  return new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "numeric", month: "long", year: "numeric" }).format(new Date(iso));
}

function reference(id: number): string {
  return `PRP-${String(id).padStart(6, "0")}`;
}

interface MyContribution {
  id: number;
  status: string;
  amountCents: number;
  createdAt: string;
  paidAt: string | null;
  title: string;
  slug: string;
  organization: string;
  rewardTitle: string | null;
}

/** What « Mes contributions » should list for this address: newest first, pending and abandoned ones left out. */
function contributionsOf(email: string): MyContribution[] {
  return db()
    .prepare(
      `select k.id, k.status, k.amount_cents as amountCents, k.created_at as createdAt, k.paid_at as paidAt,
              c.title, c.slug, o.name as organization, r.title as rewardTitle
         from contributions k
         join campaigns c on c.id = k.campaign_id
         join organizations o on o.id = c.organization_id
         left join rewards r on r.id = k.reward_id
        where k.email = ? and k.status not in ('pending', 'expired')
        order by k.created_at desc, k.id desc`,
    )
    .all(email) as MyContribution[];
}

function statusLabel(status: string): string {
  const label = STATUS_LABELS[status];
  if (!label) throw new Error(`unexpected contribution status in the seed: ${status}`);
  return label;
}

function signInMessagesTo(email: string): OutboxMessage[] {
  return readOutbox(outboxFile).filter((m) => m.to.includes(email) && SIGN_IN_SUBJECT.test(m.subject));
}

/** Poll the outbox until a sign-in e-mail newer than the `known` first ones reaches `email`. */
async function waitForSignInMessage(email: string, known: number, timeoutMs = 10_000): Promise<OutboxMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = signInMessagesTo(email);
    if (messages.length > known) return messages[messages.length - 1]!;
    if (Date.now() > deadline) {
      const seen = readOutbox(outboxFile).map((m) => `${m.to.join(",")} — ${m.subject}`);
      throw new Error(`no sign-in e-mail for ${email} in the outbox after ${timeoutMs} ms; it holds:\n${seen.join("\n")}\nserver output:\n${server.output().slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function messageTextOf(m: OutboxMessage): string {
  return normalize(m.text ?? "");
}

/** The 6 digits that end the subject. */
function codeOf(message: OutboxMessage): string {
  const code = SIGN_IN_SUBJECT.exec(message.subject)?.[1];
  if (!code) throw new Error(`not a sign-in subject: ${message.subject}`);
  return code;
}

/** The sign-in link (…/connexion/verifier?jeton=…) of the e-mail's HTML. */
function linkOf(message: OutboxMessage): string {
  const href = /href="([^"]*\/connexion\/verifier\?jeton=[^"]+)"/.exec(message.html ?? "")?.[1];
  if (!href) throw new Error(`no sign-in link in the e-mail:\n${message.html}`);
  return href.replace(/&amp;/g, "&");
}

/** A POST to this route: the document's own (without JavaScript) or Remix's single-fetch « .data » request. */
function isActionOf(address: string, pathname: string): boolean {
  const p = new URL(address).pathname;
  return p === pathname || p === `${pathname}.data`;
}

/** Another 6-digit code than `code`. */
function wrongCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}

/** What the code step says after a request: the same sentence whether or not the address has an account. */
function sentText(email: string): string {
  return `Si l'adresse ${email} est correcte, un courriel vient de lui être envoyé avec un lien de connexion et un code à 6 chiffres, valables 15 minutes.`;
}

function mainNav(page: Page) {
  return page.getByRole("navigation", { name: "Navigation principale" });
}

/** On /connexion: type the address, ask for the e-mail, wait for the code step; returns the e-mail. */
async function requestCode(page: Page, email: string): Promise<OutboxMessage> {
  const known = signInMessagesTo(email).length;
  await page.getByLabel("Adresse électronique").fill(email);
  await page.getByRole("button", { name: "Recevoir mon lien de connexion" }).click();
  await page.getByRole("heading", { level: 1, name: "Saisissez votre code" }).waitFor();
  expect(normalize(await page.getByRole("status").textContent())).toBe(sentText(email));
  return waitForSignInMessage(email, known);
}

/** On the code step: type the code and press « Me connecter ». */
async function submitCode(page: Page, code: string): Promise<void> {
  await page.getByLabel("Code reçu par courriel (6 chiffres)").fill(code);
  await page.getByRole("button", { name: "Me connecter" }).click();
}

/** The header of a signed-in visitor: « Mon compte » and « Se déconnecter », no « Se connecter ». */
async function expectSignedInHeader(page: Page): Promise<void> {
  const nav = mainNav(page);
  await nav.getByRole("button", { name: "Se déconnecter" }).waitFor();
  expect(await nav.getByRole("link", { name: "Mon compte", exact: true }).count()).toBe(1);
  expect(await nav.getByRole("link", { name: "Se connecter" }).count()).toBe(0);
}

async function expectSignedOutHeader(page: Page): Promise<void> {
  const nav = mainNav(page);
  await nav.getByRole("link", { name: "Se connecter", exact: true }).waitFor();
  expect(await nav.getByRole("link", { name: "Mon compte" }).count()).toBe(0);
  expect(await nav.getByRole("button", { name: "Se déconnecter" }).count()).toBe(0);
}

interface ListedRow {
  project: string;
  date: string;
  amount: string;
  status: string;
  receipt: string;
  receiptHref: string | null;
}

/** The rows of « Mes contributions » (the page must show it). */
async function listedContributions(page: Page): Promise<ListedRow[]> {
  await page.getByRole("heading", { level: 1, name: "Mes contributions" }).waitFor();
  const rows = await page.locator("main table tbody tr").evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = Array.from(tr.querySelectorAll("td"));
      return {
        project: cells[0]?.textContent ?? "",
        date: cells[1]?.textContent ?? "",
        amount: cells[2]?.textContent ?? "",
        status: cells[3]?.textContent ?? "",
        receipt: cells[4]?.textContent ?? "",
        receiptHref: cells[4]?.querySelector("a")?.getAttribute("href") ?? null,
      };
    }),
  );
  return rows.map((r) => ({ ...r, project: normalize(r.project), date: normalize(r.date), amount: normalize(r.amount), status: normalize(r.status), receipt: normalize(r.receipt) }));
}

function expectedRows(email: string): ListedRow[] {
  return contributionsOf(email).map((k) => ({
    project: normalize(k.rewardTitle ? `${k.title}Contrepartie : ${k.rewardTitle}` : k.title),
    date: normalize(frenchDate(k.paidAt ?? k.createdAt)),
    amount: normalize(euros(k.amountCents)),
    status: statusLabel(k.status),
    receipt: k.paidAt ? `Reçu ${reference(k.id)}` : "—",
    receiptHref: k.paidAt ? `/mon-compte/contributions/${k.id}` : null,
  }));
}

/** The receipt's figures: dt → dd (the page must show a receipt). */
async function receiptFigures(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const row of await page.locator("main dl.receipt > div").all()) {
    out[normalize(await row.locator("dt").textContent())] = normalize(await row.locator("dd").textContent());
  }
  return out;
}

function formatViolations(violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown }> }>): string {
  return violations
    .map((v) => {
      const targets = v.nodes.map((n) => `      - ${JSON.stringify(n.target)}`).join("\n");
      return `  ${v.id} (${v.impact ?? "?"}): ${v.help}\n${targets}`;
    })
    .join("\n");
}

async function expectNoAxeViolations(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(RESULTS_DIR, `axe-compte-${name}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations, `axe violations on ${name} (${page.url()}):\n${formatViolations(results.violations)}`).toEqual([]);
  // axe actually ran rules on this page
  expect(results.passes.length).toBeGreaterThan(0);
}

function sessionsOf(email: string): Array<{ revoked_at: string | null }> {
  return db()
    .prepare("select s.revoked_at from sessions s join users u on u.id = s.user_id where u.email = ? order by s.created_at")
    .all(email) as Array<{ revoked_at: string | null }>;
}

describe("sign-in with JavaScript", () => {
  it("header « Se connecter » → code by e-mail → wrong then right code → « Mon compte », contributions, receipt → sign-out", async () => {
    const email = picked.js;
    const expected = expectedRows(email);
    expect(expected.some((r) => r.status === "Payée")).toBe(true);
    await withPage({}, async (page) => {
      const res = await page.goto(url("/"));
      expect(res?.status()).toBe(200);
      await waitForHydration(page);
      await expectSignedOutHeader(page);
      // Client-side navigation from here on: a marker on window survives (no full reload).
      await page.evaluate(() => ((window as unknown as { __e2eMarker: string }).__e2eMarker = "spa"));

      await mainNav(page).getByRole("link", { name: "Se connecter", exact: true }).click();
      await page.waitForURL((u) => u.pathname === "/connexion");
      await page.getByRole("heading", { level: 1, name: "Se connecter" }).waitFor();
      expect(await page.title()).toBe("Se connecter — Propulsons");
      expect(await mainNav(page).locator('a[aria-current="page"]').textContent()).toBe("Se connecter");

      // The address: the page says a message was sent, without saying whether there is an account.
      const message = await requestCode(page, email);
      expect(page.url()).toBe(url("/connexion"));
      const main = normalize(await page.locator("main").textContent());
      expect(main).not.toMatch(/aucun compte|pas de compte|inconnue|n'existe pas|bon retour|bienvenue/i);
      expect(message.to).toEqual([email]);
      const code = codeOf(message);
      expect(messageTextOf(message)).toContain(code);

      // A wrong code: a French error, announced, the field marked invalid.
      const [wrong] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST" && isActionOf(r.url(), "/connexion")),
        submitCode(page, wrongCode(code)),
      ]);
      expect(wrong.status()).toBe(400);
      const alert = page.getByRole("alert").filter({ hasText: WRONG_CODE });
      await alert.waitFor();
      expect(normalize(await alert.textContent())).toBe(WRONG_CODE);
      const codeField = page.getByLabel("Code reçu par courriel (6 chiffres)");
      expect(await codeField.getAttribute("aria-invalid")).toBe("true");
      expect(await codeField.getAttribute("aria-describedby")).toBe(await alert.getAttribute("id"));
      await expectSignedOutHeader(page);
      expect(sessionsOf(email)).toEqual([]);

      // The right code: « Mon compte », and the header says so.
      await submitCode(page, code);
      await page.waitForURL((u) => u.pathname === "/mon-compte");
      await page.getByRole("heading", { level: 1, name: "Mon compte" }).waitFor();
      expect(await page.title()).toBe("Mon compte — Propulsons");
      expect(normalize(await page.locator("main").textContent())).toContain(`Vous êtes connecté avec l'adresse ${email}.`);
      await expectSignedInHeader(page);
      expect(await mainNav(page).locator('a[aria-current="page"]').textContent()).toBe("Mon compte");
      expect(await page.evaluate(() => (window as unknown as { __e2eMarker?: string }).__e2eMarker)).toBe("spa");
      expect(sessionsOf(email)).toEqual([{ revoked_at: null }]);

      // « Mes contributions »: this address's contributions, newest first, each paid one with its receipt.
      await page.locator("main").getByRole("link", { name: "Mes contributions", exact: true }).click();
      await page.waitForURL((u) => u.pathname === "/mon-compte/contributions");
      expect(await page.title()).toBe("Mes contributions — Propulsons");
      const rows = await listedContributions(page);
      expect(rows).toEqual(expected);
      expect(rows.filter((r) => r.status === "Payée").every((r) => r.receiptHref !== null)).toBe(true);

      // A receipt.
      const paid = contributionsOf(email).find((k) => k.status === "paid")!;
      await page.getByRole("link", { name: `Reçu ${reference(paid.id)}`, exact: true }).click();
      await page.waitForURL((u) => u.pathname === `/mon-compte/contributions/${paid.id}`);
      await page.getByRole("heading", { level: 1, name: `Reçu de contribution ${reference(paid.id)}` }).waitFor();
      expect(normalize(await page.locator("h1").textContent())).toMatch(/^Reçu de contribution PRP-\d{6}$/);
      const figures = await receiptFigures(page);
      expect(figures.Projet).toBe(`${paid.title} (${normalize(paid.organization)})`);
      expect(figures.Montant).toBe(normalize(euros(paid.amountCents)));
      expect(figures.Contrepartie).toBe(normalize(paid.rewardTitle ?? "sans contrepartie"));
      expect(figures["État"]).toBe("Payée");
      expect(await page.locator("main dl.receipt").getByRole("link", { name: paid.title, exact: true }).getAttribute("href")).toBe(`/campagnes/${paid.slug}`);
      expect(await page.evaluate(() => (window as unknown as { __e2eMarker?: string }).__e2eMarker)).toBe("spa");

      // Someone else's receipt looks like a missing one.
      const other = contributionsOf(picked.noJs).find((k) => k.paidAt !== null)!;
      const foreign = await page.goto(url(`/mon-compte/contributions/${other.id}`));
      expect(foreign?.status()).toBe(404);
      expect(normalize(await page.locator("h1").textContent())).toBe("Page introuvable");
      expect(normalize(await page.locator("main").textContent())).not.toContain(other.title);
      await page.goBack();
      await page.getByRole("heading", { level: 1, name: `Reçu de contribution ${reference(paid.id)}` }).waitFor();
      await waitForHydration(page);

      // « Se déconnecter »: back to the home page, signed out, the session revoked.
      await mainNav(page).getByRole("button", { name: "Se déconnecter" }).click();
      await page.waitForURL((u) => u.pathname === "/");
      await page.getByRole("heading", { level: 1, name: "Propulsez les projets solidaires du Pas-de-Calais" }).waitFor();
      await expectSignedOutHeader(page);
      expect(sessionsOf(email).map((s) => s.revoked_at !== null)).toEqual([true]);
      expect((await page.context().cookies()).filter((c) => c.name === "__session")).toEqual([]);

      // The account pages now lead to sign-in.
      await page.goto(url("/mon-compte"));
      expect(page.url()).toBe(url("/connexion?retour=%2Fmon-compte"));
      await page.getByRole("heading", { level: 1, name: "Se connecter" }).waitFor();
      expect(await page.locator('input[type="hidden"][name="retour"]').inputValue()).toBe("/mon-compte");
    });
  });

  it("an address without an account gets the same answer (and an e-mail: the account is created at the first sign-in)", async () => {
    const email = picked.unknown;
    await withPage({}, async (page) => {
      await page.goto(url("/connexion"));
      await waitForHydration(page);
      const message = await requestCode(page, email);
      expect(message.to).toEqual([email]);
      // Nothing created until the code or the link is used.
      expect((db().prepare("select count(*) as n from users where email = ?").get(email) as { n: number }).n).toBe(0);
    });
  });
});

describe("sign-in without JavaScript", () => {
  it("the e-mail's link → « Me connecter » → signed in; the same link again → French error", async () => {
    const email = picked.noJs;
    await withPage({ javaScriptEnabled: false }, async (page) => {
      const res = await page.goto(url("/connexion"));
      expect(res?.status()).toBe(200);
      // The app's scripts never ran: no client router.
      expect(await page.evaluate(() => "__remixRouter" in window)).toBe(false);
      const message = await requestCode(page, email);
      const link = linkOf(message);
      // Built from PUBLIC_URL, the server's own address.
      expect(link).toMatch(new RegExp(`^${server.url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/connexion/verifier\\?jeton=[A-Za-z0-9_-]{20,100}$`));
      expect(messageTextOf(message)).toContain(link);

      // Opening the link only shows a button (a prefetching mail client cannot use it up).
      const opened = await page.goto(link);
      expect(opened?.status()).toBe(200);
      expect(normalize(await page.locator("h1").textContent())).toBe("Connexion à Propulsons");
      expect(await page.getByRole("button", { name: "Me connecter" }).count()).toBe(1);
      expect(await page.getByRole("alert").count()).toBe(0);
      await expectSignedOutHeader(page);
      expect(sessionsOf(email)).toEqual([]);

      await page.getByRole("button", { name: "Me connecter" }).click();
      await page.waitForURL((u) => u.pathname === "/mon-compte");
      await page.getByRole("heading", { level: 1, name: "Mon compte" }).waitFor();
      expect(normalize(await page.locator("main").textContent())).toContain(`Vous êtes connecté avec l'adresse ${email}.`);
      await expectSignedInHeader(page);
      expect(sessionsOf(email)).toEqual([{ revoked_at: null }]);

      const list = await page.goto(url("/mon-compte/contributions"));
      expect(list?.status()).toBe(200);
      expect(await listedContributions(page)).toEqual(expectedRows(email));

      // The same link a second time: it has served.
      const reopened = await page.goto(link);
      expect(reopened?.status()).toBe(200);
      expect(page.url()).toBe(link);
      expect(normalize(await page.locator("h1").textContent())).toBe("Connexion à Propulsons");
      const [again] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST" && isActionOf(r.url(), "/connexion/verifier")),
        page.getByRole("button", { name: "Me connecter" }).click(),
      ]);
      expect(again.status()).toBe(400);
      await page.waitForLoadState();
      const alert = page.getByRole("alert");
      expect(await alert.count()).toBe(1);
      expect(normalize(await alert.textContent())).toBe(`${LINK_USED} Demander un nouveau lien`);
      expect(await alert.getByRole("link", { name: "Demander un nouveau lien" }).getAttribute("href")).toBe("/connexion");
      // No second session.
      expect(sessionsOf(email)).toEqual([{ revoked_at: null }]);
    });
  });
});

describe("back to the page asked for (retour)", () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`/mon-compte/contributions while signed out → sign-in with the code → /mon-compte/contributions (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async () => {
      const email = javaScriptEnabled ? picked.retourJs : picked.retourNoJs;
      await withPage({ javaScriptEnabled }, async (page) => {
        await page.goto(url("/mon-compte/contributions"));
        expect(page.url()).toBe(url("/connexion?retour=%2Fmon-compte%2Fcontributions"));
        await page.getByRole("heading", { level: 1, name: "Se connecter" }).waitFor();
        if (javaScriptEnabled) await waitForHydration(page);
        const message = await requestCode(page, email);
        expect(await page.locator('input[type="hidden"][name="retour"]').inputValue()).toBe("/mon-compte/contributions");
        await submitCode(page, codeOf(message));
        await page.waitForURL((u) => u.pathname === "/mon-compte/contributions");
        expect(new URL(page.url()).search).toBe("");
        expect(await listedContributions(page)).toEqual(expectedRows(email));
        await expectSignedInHeader(page);
      });
    });
  }
});

describe("accessibility of the account pages (axe, WCAG 2.1 A and AA)", () => {
  it("/connexion (empty, with an error), the code step (and its error) and /connexion/verifier (and its error) have no axe violations", async () => {
    await withPage({}, async (page) => {
      const res = await page.goto(url("/connexion"));
      expect(res?.status()).toBe(200);
      await waitForHydration(page);
      await expectNoAxeViolations(page, "connexion");

      // An address the browser accepts but the server does not.
      await page.getByLabel("Adresse électronique").fill("camille@exemple");
      await page.getByRole("button", { name: "Recevoir mon lien de connexion" }).click();
      const alert = page.getByRole("alert").filter({ hasText: INVALID_EMAIL });
      await alert.waitFor();
      expect(normalize(await alert.textContent())).toBe(INVALID_EMAIL);
      const emailField = page.getByLabel("Adresse électronique");
      expect(await emailField.getAttribute("aria-invalid")).toBe("true");
      expect(await emailField.getAttribute("aria-describedby")).toBe("email-error");
      expect(await emailField.inputValue()).toBe("camille@exemple");
      await expectNoAxeViolations(page, "connexion-erreur");

      const message = await requestCode(page, picked.axe);
      await expectNoAxeViolations(page, "code");
      await submitCode(page, wrongCode(codeOf(message)));
      await page.getByRole("alert").filter({ hasText: WRONG_CODE }).waitFor();
      await expectNoAxeViolations(page, "code-erreur");

      // The link page (not pressed: the link stays unused), then a link that does not work.
      const opened = await page.goto(linkOf(message));
      expect(opened?.status()).toBe(200);
      await waitForHydration(page);
      expect(normalize(await page.locator("h1").textContent())).toBe("Connexion à Propulsons");
      expect(await page.getByRole("button", { name: "Me connecter" }).count()).toBe(1);
      await expectNoAxeViolations(page, "verifier");
      await page.goto(url("/connexion/verifier?jeton=ce-jeton-na-jamais-existe"));
      await waitForHydration(page);
      expect(normalize(await page.locator("h1").textContent())).toBe("Connexion à Propulsons");
      await page.getByRole("button", { name: "Me connecter" }).click();
      await page.getByRole("alert").filter({ hasText: LINK_USED }).waitFor();
      await expectNoAxeViolations(page, "verifier-erreur");
    });
  });

  it("/mon-compte, /mon-compte/contributions, a receipt and the holder's structure pages have no axe violations", async () => {
    const email = picked.axe;
    const paid = contributionsOf(email).find((k) => k.status === "paid")!;
    await withPage({}, async (page) => {
      await page.goto(url("/connexion"));
      await waitForHydration(page);
      const message = await requestCode(page, email);
      await submitCode(page, codeOf(message));
      await page.waitForURL((u) => u.pathname === "/mon-compte");
      await page.getByRole("heading", { level: 1, name: "Mon compte" }).waitFor();
      await waitForHydration(page);
      await expectNoAxeViolations(page, "mon-compte");

      const list = await page.goto(url("/mon-compte/contributions"));
      expect(list?.status()).toBe(200);
      await waitForHydration(page);
      expect((await listedContributions(page)).length).toBeGreaterThan(0);
      await expectNoAxeViolations(page, "mes-contributions");

      const receipt = await page.goto(url(`/mon-compte/contributions/${paid.id}`));
      expect(receipt?.status()).toBe(200);
      await waitForHydration(page);
      await page.getByRole("heading", { level: 1, name: `Reçu de contribution ${reference(paid.id)}` }).waitFor();
      await expectNoAxeViolations(page, "recu");

      // The holder space: declaring a structure, with errors first, then done.
      await page.goto(url("/porteur"));
      await waitForHydration(page);
      await page.getByRole("heading", { level: 1, name: "Espace porteur de projet" }).waitFor();
      await expectNoAxeViolations(page, "porteur");
      await page.getByRole("link", { name: "Déclarer ma structure" }).click();
      await page.getByRole("heading", { level: 1, name: "Déclarer ma structure" }).waitFor();
      await expectNoAxeViolations(page, "structure");
      await page.getByLabel("Nom de la structure").fill("Le Jardin des Possibles");
      await page.getByLabel("Forme juridique").selectOption("association");
      await page.getByLabel("Numéro SIRET ou RNA").fill("123");
      await page.getByLabel("Commune").fill("Bapaume");
      await page.getByLabel("Territoire").selectOption("arrageois");
      await page.getByRole("button", { name: "Enregistrer" }).click();
      await page.getByRole("alert").filter({ hasText: "Numéro RNA invalide" }).waitFor();
      expect(await page.getByLabel("Nom de la structure").inputValue()).toBe("Le Jardin des Possibles");
      await expectNoAxeViolations(page, "structure-erreur");
      await page.getByLabel("Numéro SIRET ou RNA").fill("W623001234");
      await page.getByRole("button", { name: "Enregistrer" }).click();
      await page.waitForURL((u) => u.pathname === "/porteur");
      await page.locator(".structure-list strong", { hasText: "Le Jardin des Possibles" }).waitFor();
      await expectNoAxeViolations(page, "porteur-structure");

      // The campaign editor: a new draft, a wrong value, the preview.
      await page.getByRole("link", { name: "Nouvelle campagne" }).click();
      await page.getByLabel("Titre du projet").fill("Un potager partagé à Bapaume");
      await page.getByRole("button", { name: "Créer le brouillon" }).click();
      await page.waitForURL((u) => /^\/porteur\/campagnes\/\d+$/.test(u.pathname));
      await page.getByRole("heading", { level: 1, name: "Un potager partagé à Bapaume" }).waitFor();
      await waitForHydration(page);
      await expectNoAxeViolations(page, "editeur");
      await page.getByLabel("Objectif (en euros)").fill("beaucoup");
      await page.getByRole("button", { name: "Enregistrer" }).click();
      await page.locator(".error-summary").waitFor();
      expect(await page.getByLabel("Objectif (en euros)").inputValue()).toBe("beaucoup");
      await expectNoAxeViolations(page, "editeur-erreurs");
      await page.getByRole("link", { name: "Aperçu de la page publique" }).click();
      await page.getByRole("note").filter({ hasText: "cette page n'est pas publique" }).waitFor();
      await expectNoAxeViolations(page, "apercu");
      const draftId = /\/porteur\/campagnes\/(\d+)\/apercu/.exec(page.url())?.[1];
      await page.goto(url(`/porteur/campagnes/${draftId}/tableau-de-bord`));
      await page.getByRole("heading", { level: 1, name: /^Tableau de bord/ }).waitFor();
      await expectNoAxeViolations(page, "tableau-de-bord-vide");
    });
  });
});
