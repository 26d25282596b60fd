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
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOutbox, type OutboxMessage } from "~/demo/resend-api.server";
import {
  axeChecker,
  codeOf,
  euros,
  isActionOf,
  launchBrowser,
  linkOf,
  mainNav,
  normalize,
  pageHelpers,
  startServerWithOutbox,
  signInMessagesTo as signInMessagesIn,
  waitForHydration,
} from "../support/e2e";
import type { RunningServer } from "../support/server";

const WRONG_CODE =
  "Code incorrect ou expiré. Vérifiez le dernier courriel reçu, ou demandez un nouveau code.";
const LINK_USED = "Ce lien de connexion a expiré ou a déjà servi. Demandez-en un nouveau.";
const INVALID_EMAIL = "Adresse électronique invalide (exemple : prenom.nom@exemple.fr).";
/**
 * What the seed's contribution states read as on « Mes contributions » and on a receipt (the seed's
 * paid ones are on live or funded campaigns; a paid one on a failed campaign would read « remboursement à venir »).
 */
const STATUS_LABELS: Record<string, string> = {
  paid: "Payée",
  refunded: "Remboursée",
  refunding: "Remboursement en cours",
  refund_failed: "Remboursement en échec : l\u2019équipe vous contacte",
};

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
  // PUBLIC_URL is the server's own address: the sign-in link of the e-mail is built from it.
  const started = await startServerWithOutbox("e2e-account");
  server = started.server;
  outboxFile = started.outboxFile;
  cleanupDatabase = started.cleanup;

  sqlite = new Database(started.databaseFile, { readonly: true, fileMustExist: true });
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
  [picked.js, picked.noJs, picked.retourJs, picked.retourNoJs, picked.axe] = emails as [
    string,
    string,
    string,
    string,
    string,
  ];
  const known = sqlite.prepare(
    "select (select count(*) from users where email = ?) + (select count(*) from contributions where email = ?) as n",
  );
  expect((known.get(picked.unknown, picked.unknown) as { n: number }).n).toBe(0);

  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  sqlite?.close();
  cleanupDatabase();
});

const { url, withPage } = pageHelpers({ server: () => server, browser: () => browser });
const expectNoAxeViolations = axeChecker("compte");

function signInMessagesTo(email: string): OutboxMessage[] {
  return signInMessagesIn(outboxFile, email);
}

function db(): Database.Database {
  if (!sqlite) throw new Error("database not open");
  return sqlite;
}

/** The same as formatDate: « 31 mars 2026 » (Europe/Paris). */
function frenchDate(iso: string): string {
  return (
    new Intl.DateTimeFormat("fr-FR", {
      timeZone: "Europe/Paris",
      day: "numeric",
      month: "long",
      year: "numeric",
    })
      .format(new Date(iso))
      // French typography: « 1er » on the first of the month (app/domain/typography.ts).
      .replace(/^1 /, "1er ")
  );
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

/** Poll the outbox until a sign-in e-mail newer than the `known` first ones reaches `email`. */
async function waitForSignInMessage(
  email: string,
  known: number,
  timeoutMs = 10_000,
): Promise<OutboxMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = signInMessagesTo(email);
    if (messages.length > known) return messages[messages.length - 1]!;
    if (Date.now() > deadline) {
      const seen = readOutbox(outboxFile).map((m) => `${m.to.join(",")} — ${m.subject}`);
      throw new Error(
        `no sign-in e-mail for ${email} in the outbox after ${timeoutMs} ms; it holds:\n${seen.join("\n")}\nserver output:\n${server.output().slice(-2000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function messageTextOf(m: OutboxMessage): string {
  return normalize(m.text ?? "");
}

/** Another 6-digit code than `code`. */
function wrongCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}

/** What the code step says after a request: the same sentence whether or not the address has an account. */
function sentText(email: string): string {
  return `Si l\u2019adresse ${email} est correcte, un courriel vient de lui être envoyé avec un lien de connexion et un code à 6 chiffres, valables 15 minutes.`;
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
  return rows.map((r) => ({
    ...r,
    project: normalize(r.project),
    date: normalize(r.date),
    amount: normalize(r.amount),
    status: normalize(r.status),
    receipt: normalize(r.receipt),
  }));
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

function sessionsOf(email: string): Array<{ revoked_at: string | null }> {
  return db()
    .prepare(
      "select s.revoked_at from sessions s join users u on u.id = s.user_id where u.email = ? order by s.created_at",
    )
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
      await expect.poll(() => page.title(), { timeout: 5000 }).toBe("Se connecter — Propulsons");
      expect(await mainNav(page).locator('a[aria-current="page"]').textContent()).toBe("Se connecter");

      // The address: the page says a message was sent, without saying whether there is an account.
      const message = await requestCode(page, email);
      expect(page.url()).toBe(url("/connexion"));
      const main = normalize(await page.locator("main").textContent());
      expect(main).not.toMatch(/aucun compte|pas de compte|inconnue|n\u2019existe pas|bon retour|bienvenue/i);
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
      await expect.poll(() => page.title(), { timeout: 5000 }).toBe("Mon compte — Propulsons");
      expect(normalize(await page.locator("main").textContent())).toContain(
        `Vous êtes connecté avec l’adresse ${email}.`,
      );
      await expectSignedInHeader(page);
      expect(await mainNav(page).locator('a[aria-current="page"]').textContent()).toBe("Mon compte");
      expect(await page.evaluate(() => (window as unknown as { __e2eMarker?: string }).__e2eMarker)).toBe(
        "spa",
      );
      expect(sessionsOf(email)).toEqual([{ revoked_at: null }]);

      // « Mes contributions »: this address's contributions, newest first, each paid one with its receipt.
      await page.locator("main").getByRole("link", { name: "Mes contributions", exact: true }).click();
      await page.waitForURL((u) => u.pathname === "/mon-compte/contributions");
      await expect.poll(() => page.title(), { timeout: 5000 }).toBe("Mes contributions — Propulsons");
      const rows = await listedContributions(page);
      expect(rows).toEqual(expected);
      expect(rows.filter((r) => r.status === "Payée").every((r) => r.receiptHref !== null)).toBe(true);

      // A receipt.
      const paid = contributionsOf(email).find((k) => k.status === "paid")!;
      await page.getByRole("link", { name: `Reçu ${reference(paid.id)}`, exact: true }).click();
      await page.waitForURL((u) => u.pathname === `/mon-compte/contributions/${paid.id}`);
      await page
        .getByRole("heading", { level: 1, name: `Reçu de contribution ${reference(paid.id)}` })
        .waitFor();
      expect(normalize(await page.locator("h1").textContent())).toMatch(/^Reçu de contribution PRP-\d{6}$/);
      const figures = await receiptFigures(page);
      expect(figures.Projet).toBe(`${paid.title} (${normalize(paid.organization)})`);
      expect(figures.Montant).toBe(normalize(euros(paid.amountCents)));
      expect(figures.Contrepartie).toBe(normalize(paid.rewardTitle ?? "sans contrepartie"));
      expect(figures["État"]).toBe("Payée");
      expect(
        await page
          .locator("main dl.receipt")
          .getByRole("link", { name: paid.title, exact: true })
          .getAttribute("href"),
      ).toBe(`/campagnes/${paid.slug}`);
      expect(await page.evaluate(() => (window as unknown as { __e2eMarker?: string }).__e2eMarker)).toBe(
        "spa",
      );

      // Someone else's receipt looks like a missing one.
      const other = contributionsOf(picked.noJs).find((k) => k.paidAt !== null)!;
      const foreign = await page.goto(url(`/mon-compte/contributions/${other.id}`));
      expect(foreign?.status()).toBe(404);
      expect(normalize(await page.locator("h1").textContent())).toBe("Page introuvable");
      expect(normalize(await page.locator("main").textContent())).not.toContain(other.title);
      await page.goBack();
      await page
        .getByRole("heading", { level: 1, name: `Reçu de contribution ${reference(paid.id)}` })
        .waitFor();
      await waitForHydration(page);

      // « Se déconnecter »: back to the home page, signed out, the session revoked.
      await mainNav(page).getByRole("button", { name: "Se déconnecter" }).click();
      await page.waitForURL((u) => u.pathname === "/");
      await page
        .getByRole("heading", { level: 1, name: "Propulsez les projets solidaires du Pas-de-Calais" })
        .waitFor();
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
      expect(
        (db().prepare("select count(*) as n from users where email = ?").get(email) as { n: number }).n,
      ).toBe(0);
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
      expect(link).toMatch(
        new RegExp(
          `^${server.url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/connexion/verifier\\?jeton=[A-Za-z0-9_-]{20,100}$`,
        ),
      );
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
      expect(normalize(await page.locator("main").textContent())).toContain(
        `Vous êtes connecté avec l’adresse ${email}.`,
      );
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
        page.waitForResponse(
          (r) => r.request().method() === "POST" && isActionOf(r.url(), "/connexion/verifier"),
        ),
        page.getByRole("button", { name: "Me connecter" }).click(),
      ]);
      expect(again.status()).toBe(400);
      await page.waitForLoadState();
      const alert = page.getByRole("alert");
      expect(await alert.count()).toBe(1);
      expect(normalize(await alert.textContent())).toBe(`${LINK_USED} Demander un nouveau lien`);
      expect(await alert.getByRole("link", { name: "Demander un nouveau lien" }).getAttribute("href")).toBe(
        "/connexion",
      );
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
        expect(await page.locator('input[type="hidden"][name="retour"]').inputValue()).toBe(
          "/mon-compte/contributions",
        );
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
      await page
        .getByRole("heading", { level: 1, name: `Reçu de contribution ${reference(paid.id)}` })
        .waitFor();
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
      await page.getByLabel("Territoire").selectOption({ label: "Arrageois" });
      await page.getByLabel("Thème").selectOption({ label: "Alimentation et circuits courts" });
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
      // The refused edit is not saved: leaving the editor asks first (app/components/unsaved-changes.tsx).
      page.once("dialog", (dialog) => void dialog.accept());
      await page.getByRole("link", { name: "Aperçu de la page publique" }).click();
      await page.getByRole("note").filter({ hasText: "cette page n’est pas encore publique" }).waitFor();
      await expectNoAxeViolations(page, "apercu");
      const draftId = /\/porteur\/campagnes\/(\d+)\/apercu/.exec(page.url())?.[1];
      await page.goto(url(`/porteur/campagnes/${draftId}/tableau-de-bord`));
      await page.getByRole("heading", { level: 1, name: /^Tableau de bord/ }).waitFor();
      await expectNoAxeViolations(page, "tableau-de-bord-vide");
    });
  });
});
