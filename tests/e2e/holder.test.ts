/**
 * Browser tests of the project holder's space (issue « porteur ») : a brand-new
 * address signs in through the e-mail of the outbox, declares its structure,
 * writes a campaign (every field of the editor, two rewards), previews it,
 * submits it and sees « En attente de validation » — with JavaScript, and
 * without JavaScript for the editor's main form (a wrong total first: a 400
 * answer, a French message, nothing typed lost). axe-core (WCAG 2.1 A/AA) checks
 * every holder page on the way: /porteur (empty, with a structure, with a
 * campaign), /porteur/structure, the new-campaign page, the editor (empty, with
 * errors, saved, submitted), the preview.
 *
 * The built server (build/index.js) runs on a throwaway seeded database; the
 * e-mails are written by the mocked Resend API to a temporary outbox file. The
 * database is read (read-only) to check what the pages saved; nothing is written
 * to it except through the browser.
 *
 * Screenshots of every axe-checked page land in test-results/ (git-ignored).
 */
import Database from "better-sqlite3";
import type { Browser, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, endOfDayInParis, parisCalendarDate } from "~/domain/time";
import { readOutbox, type OutboxMessage } from "~/demo/resend-api.server";
import {
  axeChecker,
  codeOf,
  isActionOf,
  launchBrowser,
  linkOf,
  mainNav,
  NBSP,
  normalize,
  pageHelpers,
  startServerWithOutbox,
  signInMessagesTo as signInMessagesIn,
  waitForHydration,
} from "../support/e2e";
import { httpClient } from "../support/http-session";
import type { RunningServer } from "../support/server";

const NNBSP = "\u202f";
const SAVED = "Modifications enregistrées.";
const WAITING = "En attente de validation";
const LOCKED_NOTE = "En attente de validation : la campagne ne peut pas être modifiée pour le moment.";
const SENT_FOR_REVIEW = "Votre campagne est transmise à l\u2019équipe du Département pour validation.";

let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database | undefined;
let outboxFile = "";
let cleanupDatabase: () => void = () => {};

/** Two addresses that have neither an account nor a contribution in the seed (checked in beforeAll). */
const HOLDER_JS = "e2e.porteuse.lievin@example.org";
const HOLDER_NO_JS = "e2e.porteur.bapaume@example.org";

interface StructureInput {
  name: string;
  legalForm: string;
  legalFormLabel: string;
  number: string;
  normalizedNumber: string;
  town: string;
  territory: string;
  territoryName: string;
}

interface CampaignInput {
  title: string;
  summary: string;
  story: string;
  goal: string;
  end: string;
  territory: string;
  territoryName: string;
  theme: string;
  themeName: string;
  funds: Array<{ label: string; amount: string }>;
  results: string;
  timetable: string;
  rewards: Array<{ title: string; description: string; minimum: string; stock: string }>;
}

/** The end date: 30 days from today, in Europe/Paris (the editor accepts 7 to 90 days). */
function endIn30Days(): string {
  return addDays(parisCalendarDate(new Date()), 30);
}

const STRUCTURE_JS: StructureInput = {
  name: "Épicerie Mobile Solidaire",
  legalForm: "scop",
  legalFormLabel: "SCOP (société coopérative et participative)",
  number: "732 829 320 00074",
  normalizedNumber: "73282932000074",
  town: "Liévin",
  territory: "lens-lievin",
  territoryName: "Lens-Liévin",
};

const STRUCTURE_NO_JS: StructureInput = {
  name: "Les Jardins du Bapalmois",
  legalForm: "scic",
  legalFormLabel: "SCIC (société coopérative d\u2019intérêt collectif)",
  number: "443 061 841 00047",
  normalizedNumber: "44306184100047",
  town: "Bapaume",
  territory: "arrageois",
  territoryName: "Arrageois",
};

function campaignJs(): CampaignInput {
  return {
    title: "Une épicerie solidaire itinérante à Liévin",
    summary:
      "Un camion aménagé qui apporte des produits frais et locaux, à prix solidaires, dans cinq quartiers de Liévin.",
    story: [
      "Dans plusieurs quartiers de Liévin, la première épicerie est à plus de deux kilomètres : sans voiture, faire ses courses devient une expédition.",
      "",
      "## Ce que le camion apportera",
      "",
      "- des fruits et légumes de producteurs du Pas-de-Calais ;",
      "- des prix adaptés aux revenus de chaque foyer ;",
      "- un moment de rencontre, deux fois par semaine, au pied des immeubles.",
      "",
      "Le camion passera aussi devant les écoles le mercredi après-midi.",
    ].join("\n"),
    goal: "4000",
    end: endIn30Days(),
    territory: "lens-lievin",
    territoryName: "Lens-Liévin",
    theme: "alimentation-circuits-courts",
    themeName: "Alimentation et circuits courts",
    funds: [
      { label: "Aménagement du camion (frigo, étagères, auvent)", amount: "2800" },
      { label: "Premier stock de produits locaux", amount: "1200" },
    ],
    results:
      "Deux tournées par semaine dans cinq quartiers, et 150 familles servies chaque mois dès le printemps.",
    timetable:
      "- Janvier : achat et aménagement du camion\n- Février : accords avec six producteurs\n- Mars : premières tournées",
    rewards: [
      {
        title: "Un panier de saison",
        description: "Un panier de légumes du moment, à retirer au camion lors d'une tournée.",
        minimum: "25",
        stock: "40",
      },
      {
        title: "Votre prénom sur le camion",
        description: "Votre prénom peint sur la porte arrière, avec tous nos remerciements.",
        minimum: "60",
        stock: "",
      },
    ],
  };
}

function campaignNoJs(): CampaignInput {
  return {
    // (« Un potager partagé au cœur de Bapaume » put its « é » across a 2 048-byte boundary of the
    // streamed HTML, hence a NUL byte and « partag�é » in the field: see the NUL-byte test below.)
    title: "Un potager partagé rue de Péronne à Bapaume",
    summary:
      "Transformer une friche de la rue de Péronne en potager partagé, ouvert aux habitants et aux écoles.",
    story: [
      "Une friche de 800 m² attend depuis dix ans derrière la médiathèque.",
      "",
      "## Le projet",
      "",
      "- vingt parcelles cultivées par des familles du quartier ;",
      "- un carré pédagogique pour les deux écoles voisines ;",
      "- un composteur collectif.",
    ].join("\n"),
    goal: "4000",
    end: endIn30Days(),
    territory: "arrageois",
    territoryName: "Arrageois",
    theme: "environnement-transition",
    themeName: "Environnement et transition",
    // A mistake: 2 500 + 1 000 = 3 500, not the goal of 4 000.
    funds: [
      { label: "Clôture, cabane à outils et récupérateurs d'eau", amount: "2500" },
      { label: "Terre végétale, semences et plants", amount: "1000" },
    ],
    results:
      "Vingt familles cultivent leur parcelle et chaque classe des deux écoles vient jardiner une fois par mois.",
    timetable:
      "- Avril : défrichage avec les habitants\n- Mai : premières plantations\n- Septembre : fête des récoltes",
    rewards: [
      {
        title: "Un bocal de confiture",
        description: "Une confiture maison faite avec les fruits du potager.",
        minimum: "15",
        stock: "50",
      },
      {
        title: "Une parcelle à votre nom",
        description: "Un panneau à votre nom sur l'une des vingt parcelles pendant un an.",
        minimum: "80",
        stock: "",
      },
    ],
  };
}

beforeAll(async () => {
  // PUBLIC_URL is the server's own address: the sign-in link of the e-mail is built from it.
  const started = await startServerWithOutbox("e2e-holder", { EMAIL_RATE_PER_SECOND: "50" });
  server = started.server;
  outboxFile = started.outboxFile;
  cleanupDatabase = started.cleanup;

  sqlite = new Database(started.databaseFile, { readonly: true, fileMustExist: true });
  const known = db().prepare(
    "select (select count(*) from users where email = ?) + (select count(*) from contributions where email = ?) as n",
  );
  for (const email of [HOLDER_JS, HOLDER_NO_JS]) expect((known.get(email, email) as { n: number }).n).toBe(0);
  // The structures' and campaigns' names are new to the seed.
  expect(
    (
      db()
        .prepare("select count(*) as n from organizations where name in (?, ?)")
        .get(STRUCTURE_JS.name, STRUCTURE_NO_JS.name) as { n: number }
    ).n,
  ).toBe(0);

  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  sqlite?.close();
  cleanupDatabase();
});

// Fail on the step that hangs, well before the test's own time limit.
const { url, withPage } = pageHelpers({
  server: () => server,
  browser: () => browser,
  defaultTimeout: 15_000,
});

function signInMessagesTo(email: string): OutboxMessage[] {
  return signInMessagesIn(outboxFile, email);
}

function db(): Database.Database {
  if (!sqlite) throw new Error("database not open");
  return sqlite;
}

/** « 31 mars 2026 » (Europe/Paris), as formatDate. */
function frenchDate(instant: Date): string {
  return (
    new Intl.DateTimeFormat("fr-FR", {
      timeZone: "Europe/Paris",
      day: "numeric",
      month: "long",
      year: "numeric",
    })
      .format(instant)
      // French typography: « 1er » on the first of the month (app/domain/typography.ts).
      .replace(/^1 /, "1er ")
  );
}

/** Click `button` and return the answer to the POST it sends to `pathname`. */
async function postBy(page: Page, pathname: string, click: () => Promise<void>): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && isActionOf(r.url(), pathname)),
    click(),
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

/** On /connexion: type the address, ask for the e-mail, wait for the code step; returns the e-mail. */
async function requestSignIn(page: Page, email: string): Promise<OutboxMessage> {
  const known = signInMessagesTo(email).length;
  await page.getByLabel("Adresse électronique").fill(email);
  await page.getByRole("button", { name: "Recevoir mon lien de connexion" }).click();
  await page.getByRole("heading", { level: 1, name: "Saisissez votre code" }).waitFor();
  const deadline = Date.now() + 10_000;
  for (;;) {
    const messages = signInMessagesTo(email);
    if (messages.length > known) return messages[messages.length - 1]!;
    if (Date.now() > deadline)
      throw new Error(
        `no sign-in e-mail for ${email} in the outbox; server output:\n${server.output().slice(-2000)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function expectSignedIn(page: Page, email: string): Promise<void> {
  await page.getByRole("heading", { level: 1, name: "Mon compte" }).waitFor();
  expect(normalize(await page.locator("main").textContent())).toContain(
    `Vous êtes connecté avec l’adresse ${email}.`,
  );
  await mainNav(page).getByRole("button", { name: "Se déconnecter" }).waitFor();
}

const axeChecked: string[] = [];

const checkAxe = axeChecker("porteur");

async function expectNoAxeViolations(page: Page, name: string): Promise<void> {
  await checkAxe(page, name);
  axeChecked.push(name);
}

/**
 * axe on what a browser without JavaScript shows: axe needs scripts to run (its timers never fire
 * when they are off), so the very document that browser received — its scripts taken out — is
 * served again, at the same address, to a page with JavaScript, where axe runs.
 */
async function expectNoAxeViolationsWithoutJs(noJsPage: Page, name: string): Promise<void> {
  const address = noJsPage.url();
  const html = (await noJsPage.content()).replace(/<script\b[\s\S]*?<\/script>/gi, "");
  await withPage({}, async (page, context) => {
    await context.addCookies(await noJsPage.context().cookies());
    await page.route(address, (route) =>
      route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }),
    );
    await page.goto(address);
    expect(await page.evaluate(() => "__remixRouter" in window)).toBe(false);
    await expectNoAxeViolations(page, name);
  });
}

/** The visible text of the editor's status line (role=status). */
async function editorStatus(page: Page): Promise<string> {
  return normalize(await page.locator("main p.outcome[role=status]").textContent());
}

/** On /porteur/structure: fill the form and press « Enregistrer »; back on /porteur. */
async function declareStructure(page: Page, s: StructureInput): Promise<void> {
  await page.getByRole("heading", { level: 1, name: "Déclarer ma structure" }).waitFor();
  await page.getByLabel("Nom de la structure").fill(s.name);
  await page.getByLabel("Forme juridique").selectOption(s.legalForm);
  await page.getByLabel("Numéro SIRET ou RNA").fill(s.number);
  await page.getByLabel("Commune").fill(s.town);
  await page.getByLabel("Territoire").selectOption(s.territory);
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await page.waitForURL((u) => u.pathname === "/porteur");
  await page.getByRole("heading", { level: 1, name: "Espace porteur de projet" }).waitFor();
  const listed = page.locator(".structure-list li").filter({ hasText: s.name });
  await listed.waitFor();
  // (What follows the first sentence — the payment account — belongs to the Stripe onboarding, tested elsewhere.)
  const text = normalize(await listed.textContent());
  expect(
    text.startsWith(
      normalize(`${s.name} — ${s.legalFormLabel}, n° ${s.normalizedNumber}, ${s.town} (${s.territoryName}).`),
    ),
    text,
  ).toBe(true);
  expect(text).toContain("Compte de paiement à connecter avant le versement des fonds.");
  expect(
    await listed.getByRole("link", { name: `Modifier la structure ${s.name}` }).getAttribute("href"),
  ).toBe("/porteur/structure");
}

/** On /porteur: « Nouvelle campagne », a title, « Créer le brouillon »; returns the new draft's id (on its editor). */
async function createDraft(
  page: Page,
  title: string,
  options: { axe?: boolean; territory?: string; theme?: string } = {},
): Promise<number> {
  await page.getByRole("link", { name: "Nouvelle campagne" }).click();
  await page.waitForURL((u) => u.pathname === "/porteur/campagnes/nouvelle");
  await page.getByRole("heading", { level: 1, name: "Nouvelle campagne" }).waitFor();
  if (options.axe) {
    await waitForHydration(page);
    await expectNoAxeViolations(page, "nouvelle-campagne");
  }
  await page.getByLabel("Titre du projet").fill(title);
  // Nothing is chosen for the holder: « Choisir… » until they pick.
  expect(await page.getByLabel("Territoire").inputValue()).toBe("");
  expect(await page.getByLabel("Thème").inputValue()).toBe("");
  await page.getByLabel("Territoire").selectOption({ label: options.territory ?? "Lens-Liévin" });
  await page.getByLabel("Thème").selectOption({ label: options.theme ?? "Alimentation et circuits courts" });
  await page.getByRole("button", { name: "Créer le brouillon" }).click();
  await page.waitForURL((u) => /^\/porteur\/campagnes\/\d+$/.test(u.pathname));
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  return Number(/\/porteur\/campagnes\/(\d+)$/.exec(new URL(page.url()).pathname)![1]);
}

/** Fields of the editor, found by their visible labels. */
/** The campaign's picture, as a holder sends it: a file and its description, « Envoyer l'image ». */
async function sendPicture(page: Page, id: number): Promise<void> {
  const sharp = (await import("sharp")).default;
  const buffer = await sharp({
    create: { width: 900, height: 500, channels: 3, background: { r: 30, g: 110, b: 160 } },
  })
    .jpeg()
    .toBuffer();
  await page.getByLabel(/^Image \(JPEG, PNG ou WebP/).setInputFiles({
    name: "atelier.jpg",
    mimeType: "image/jpeg",
    buffer,
  });
  await page
    .getByLabel("Description de l\u2019image (pour les personnes qui ne la voient pas)")
    .fill("Des bénévoles devant l’atelier");
  const sent = await postBy(page, `/porteur/campagnes/${id}`, () =>
    page.getByRole("button", { name: "Envoyer l\u2019image" }).click(),
  );
  expect(sent.status()).toBe(200);
  await page.locator("main img.editor__image").waitFor();
}

function field(page: Page, label: string) {
  return page.getByLabel(label, { exact: true });
}

async function fillEditor(page: Page, c: CampaignInput): Promise<void> {
  await field(page, "Titre du projet").fill(c.title);
  await field(page, "Résumé (affiché sur les cartes)").fill(c.summary);
  await field(page, "Présentation du projet (Markdown)").fill(c.story);
  await field(page, "Objectif (en euros)").fill(c.goal);
  await field(page, "Date de fin de la collecte").fill(c.end);
  await field(page, "Territoire").selectOption(c.territory);
  await field(page, "Thème").selectOption(c.theme);
  for (const [i, line] of c.funds.entries()) {
    await field(page, `Poste ${i + 1} : libellé`).fill(line.label);
    await field(page, `Poste ${i + 1} : montant (€)`).fill(line.amount);
  }
  await field(page, "Résultats attendus").fill(c.results);
  await field(page, "Calendrier").fill(c.timetable);
  for (const [i, r] of c.rewards.entries()) {
    await field(page, `Contrepartie ${i + 1} : titre`).fill(r.title);
    await field(page, `Contrepartie ${i + 1} : description`).fill(r.description);
    await field(page, `Contrepartie ${i + 1} : montant minimum (€)`).fill(r.minimum);
    await field(page, `Contrepartie ${i + 1} : stock`).fill(r.stock);
  }
}

/** What the editor's fields hold now, in the shape of CampaignInput (names of territory/theme left out). */
async function editorValues(
  page: Page,
  c: CampaignInput,
): Promise<Omit<CampaignInput, "territoryName" | "themeName">> {
  return {
    title: await field(page, "Titre du projet").inputValue(),
    summary: await field(page, "Résumé (affiché sur les cartes)").inputValue(),
    story: await field(page, "Présentation du projet (Markdown)").inputValue(),
    goal: await field(page, "Objectif (en euros)").inputValue(),
    end: await field(page, "Date de fin de la collecte").inputValue(),
    territory: await field(page, "Territoire").inputValue(),
    theme: await field(page, "Thème").inputValue(),
    funds: await Promise.all(
      c.funds.map(async (_, i) => ({
        label: await field(page, `Poste ${i + 1} : libellé`).inputValue(),
        amount: await field(page, `Poste ${i + 1} : montant (€)`).inputValue(),
      })),
    ),
    results: await field(page, "Résultats attendus").inputValue(),
    timetable: await field(page, "Calendrier").inputValue(),
    rewards: await Promise.all(
      c.rewards.map(async (_, i) => ({
        title: await field(page, `Contrepartie ${i + 1} : titre`).inputValue(),
        description: await field(page, `Contrepartie ${i + 1} : description`).inputValue(),
        minimum: await field(page, `Contrepartie ${i + 1} : montant minimum (€)`).inputValue(),
        stock: await field(page, `Contrepartie ${i + 1} : stock`).inputValue(),
      })),
    ),
  };
}

function typed(c: CampaignInput): Omit<CampaignInput, "territoryName" | "themeName"> {
  const { territoryName: _t, themeName: _th, ...rest } = c;
  return rest;
}

/** The rest of the editor's rows (poste 3–6, contrepartie 3–5) stay empty. */
async function expectOtherRowsEmpty(page: Page, c: CampaignInput): Promise<void> {
  for (let i = c.funds.length; i < 6; i++) {
    expect(await field(page, `Poste ${i + 1} : libellé`).inputValue()).toBe("");
    expect(await field(page, `Poste ${i + 1} : montant (€)`).inputValue()).toBe("");
  }
  for (let i = c.rewards.length; i < 5; i++) {
    expect(await field(page, `Contrepartie ${i + 1} : titre`).inputValue()).toBe("");
  }
}

interface StoredCampaign {
  title: string;
  summary: string;
  story_md: string;
  goal_cents: number;
  ends_at: string;
  status: string;
  expected_results_md: string;
  timetable_md: string;
  territory: string;
  theme: string;
  slug: string;
}

function storedCampaign(id: number): StoredCampaign {
  return db()
    .prepare(
      `select c.title, c.summary, c.story_md, c.goal_cents, c.ends_at, c.status, c.expected_results_md, c.timetable_md, c.slug,
              t.slug as territory, th.slug as theme
         from campaigns c join territories t on t.id = c.territory_id join themes th on th.id = c.theme_id
        where c.id = ?`,
    )
    .get(id) as StoredCampaign;
}

/** The campaign as saved: every field the editor wrote. */
function expectStored(id: number, c: CampaignInput, status: string): void {
  const stored = storedCampaign(id);
  // A browser without JavaScript sends a textarea's line breaks as CRLF (HTML's form encoding), Remix's
  // fetch as LF; the app stores them as they come (see the report): compare the text, not the line ends.
  const lf = (text: string) => text.replace(/\r\n/g, "\n");
  const text = {
    ...stored,
    story_md: lf(stored.story_md),
    expected_results_md: lf(stored.expected_results_md),
    timetable_md: lf(stored.timetable_md),
  };
  expect({ ...text, slug: undefined }).toEqual({
    title: c.title,
    summary: c.summary,
    story_md: c.story,
    goal_cents: Number(c.goal) * 100,
    ends_at: endOfDayInParis(c.end).toISOString(),
    status,
    expected_results_md: c.results,
    timetable_md: c.timetable,
    territory: c.territory,
    theme: c.theme,
    slug: undefined,
  });
  expect(
    db()
      .prepare(
        "select position, label, amount_cents as amountCents from campaign_fund_lines where campaign_id = ? order by position",
      )
      .all(id),
  ).toEqual(
    c.funds.map((l, i) => ({ position: i + 1, label: l.label, amountCents: Number(l.amount) * 100 })),
  );
  expect(
    db()
      .prepare(
        "select position, title, description, minimum_cents as minimumCents, stock from rewards where campaign_id = ? order by position",
      )
      .all(id),
  ).toEqual(
    c.rewards.map((r, i) => ({
      position: i + 1,
      title: r.title,
      description: r.description,
      minimumCents: Number(r.minimum) * 100,
      stock: r.stock === "" ? null : Number(r.stock),
    })),
  );
}

/** The editor after submission: status, no « Enregistrer », no submit form, every field disabled. */
async function expectLockedEditor(page: Page, c: CampaignInput): Promise<void> {
  await page.getByRole("heading", { level: 1, name: c.title }).waitFor();
  const status = await editorStatus(page);
  expect(status).toContain(`État : ${WAITING}.`);
  expect(status).toContain(LOCKED_NOTE);
  expect(await page.getByRole("button", { name: "Enregistrer" }).count()).toBe(0);
  expect(await page.getByRole("button", { name: /Soumettre/ }).count()).toBe(0);
  expect(
    await page
      .getByRole("group", { name: "Contenu de la campagne" })
      .evaluate((el) => (el as HTMLFieldSetElement).disabled),
  ).toBe(true);
  for (const label of [
    "Titre du projet",
    "Présentation du projet (Markdown)",
    "Objectif (en euros)",
    "Date de fin de la collecte",
    "Poste 1 : montant (€)",
    "Contrepartie 1 : titre",
  ]) {
    expect(
      await field(page, label).evaluate((el) => el.matches(":disabled")),
      `${label} should be disabled`,
    ).toBe(true);
  }
  // What was saved is still shown.
  expect(await editorValues(page, c)).toEqual(typed(c));
}

/** /porteur lists the campaign with its state and end date. */
async function expectListed(
  page: Page,
  id: number,
  c: CampaignInput,
  structure: StructureInput,
  state: string,
): Promise<void> {
  await page.getByRole("heading", { level: 1, name: "Espace porteur de projet" }).waitFor();
  const rows = page.locator("main table tbody tr");
  expect(await rows.count()).toBe(1);
  const cells = (await rows.first().locator("td").allTextContents()).map(normalize);
  expect(cells.slice(1)).toEqual([structure.name, state, normalize(frenchDate(endOfDayInParis(c.end)))]);
  // The campaign's own links (the editor, its dashboard…) in the first cell.
  expect(
    await rows
      .first()
      .locator("td")
      .first()
      .getByRole("link", { name: c.title, exact: true })
      .getAttribute("href"),
  ).toBe(`/porteur/campagnes/${id}`);
  expect(
    await rows
      .first()
      .getByRole("link", { name: `Tableau de bord de ${c.title}` })
      .getAttribute("href"),
  ).toBe(`/porteur/campagnes/${id}/tableau-de-bord`);
  expect(normalize(await page.locator("main").textContent())).not.toContain(
    "Aucune campagne pour le moment.",
  );
}

/** The holder's status e-mail « Votre campagne « … » : en attente de validation », with the editor's link. */
async function expectWaitingEmail(email: string, id: number, title: string): Promise<void> {
  const subject = `Votre campagne «${NBSP}${title}${NBSP}»\u00a0: en attente de validation`;
  const message = await waitForMessage(email, (m) => m.subject === subject, `« ${subject} » e-mail`);
  expect(message.to).toEqual([email]);
  expect(message.subject).toContain("en attente de validation");
  expect(message.html ?? "").toContain(`href="${server.url}/porteur/campagnes/${id}"`);
  expect(normalize(message.text)).toContain(
    "Votre campagne est transmise à l’équipe du Département, qui va la relire.",
  );
  // Exactly one such message (the outbox row is sent once).
  expect(readOutbox(outboxFile).filter((m) => m.subject === subject)).toHaveLength(1);
}

describe("a new holder, with JavaScript", () => {
  it("signs in with the e-mail's link, declares a SCOP, writes a campaign with two rewards, previews it, submits it → « En attente de validation »", async () => {
    const email = HOLDER_JS;
    const structure = STRUCTURE_JS;
    const c = campaignJs();
    await withPage({}, async (page) => {
      // Sign-in with the link of the e-mail (the account is created then).
      const res = await page.goto(url("/connexion"));
      expect(res?.status()).toBe(200);
      await waitForHydration(page);
      const message = await requestSignIn(page, email);
      expect(message.to).toEqual([email]);
      expect(
        (db().prepare("select count(*) as n from users where email = ?").get(email) as { n: number }).n,
      ).toBe(0);
      const link = linkOf(message);
      expect(link.startsWith(`${server.url}/connexion/verifier?jeton=`)).toBe(true);
      const opened = await page.goto(link);
      expect(opened?.status()).toBe(200);
      await waitForHydration(page);
      await page.getByRole("button", { name: "Me connecter" }).click();
      await page.waitForURL((u) => u.pathname === "/mon-compte");
      await expectSignedIn(page, email);
      expect(
        (db().prepare("select count(*) as n from users where email = ?").get(email) as { n: number }).n,
      ).toBe(1);
      await waitForHydration(page);

      // « Mon compte » → « Espace porteur de projet »: nothing yet.
      await page.locator("main").getByRole("link", { name: "Espace porteur de projet" }).click();
      await page.waitForURL((u) => u.pathname === "/porteur");
      await page.getByRole("heading", { level: 1, name: "Espace porteur de projet" }).waitFor();
      await expect.poll(() => page.title(), { timeout: 5000 }).toBe("Espace porteur de projet — Propulsons");
      expect(normalize(await page.locator("main").textContent())).toContain(
        "Aucune campagne pour le moment.",
      );
      expect(await page.getByRole("link", { name: "Nouvelle campagne" }).count()).toBe(0);
      await expectNoAxeViolations(page, "vide");

      // « Déclarer ma structure »: a SCOP with its SIRET.
      await page.getByRole("link", { name: "Déclarer ma structure" }).click();
      await page.waitForURL((u) => u.pathname === "/porteur/structure");
      await page.getByRole("heading", { level: 1, name: "Déclarer ma structure" }).waitFor();
      await expectNoAxeViolations(page, "structure-js");
      await declareStructure(page, structure);
      expect(normalize(await page.locator("main").textContent())).toContain(
        "Aucune campagne pour le moment.",
      );
      await expectNoAxeViolations(page, "avec-structure");

      // « Nouvelle campagne » → a draft.
      const id = await createDraft(page, c.title, { axe: true });
      await waitForHydration(page);
      await expect.poll(() => page.title(), { timeout: 5000 }).toBe("Éditer la campagne — Propulsons");
      expect(await editorStatus(page)).toBe("État : Brouillon.");
      // Incomplete: the submit section says what is missing (pressing the button sends the form,
      // which is saved and submitted only if complete: tests/http/holder-editor.test.ts).
      const submit = page.getByRole("button", { name: "Soumettre pour validation" });
      expect(
        normalize(await page.getByRole("region", { name: "Soumettre pour validation" }).textContent()),
      ).toContain(
        "Pour soumettre la campagne, complétez : le résumé, la présentation du projet, l\u2019utilisation des fonds, poste par poste, les résultats attendus, le calendrier, l’image du projet et sa description.",
      );
      await expectNoAxeViolations(page, "editeur-vide");

      // Every field, then « Enregistrer ».
      await fillEditor(page, c);
      const saved = await postBy(page, `/porteur/campagnes/${id}`, () =>
        page.getByRole("button", { name: "Enregistrer" }).click(),
      );
      expect(saved.status()).toBe(200);
      await page.locator("main p.outcome[role=status]", { hasText: SAVED }).waitFor();
      expect(await editorStatus(page)).toBe(`État : Brouillon. ${SAVED}`);
      expect(await page.locator(".error-summary").count()).toBe(0);
      expect(await editorValues(page, c)).toEqual(typed(c));
      await expectOtherRowsEmpty(page, c);
      expectStored(id, c, "draft");
      // Everything but the picture: still not complete.
      expect(
        normalize(await page.getByRole("region", { name: "Soumettre pour validation" }).textContent()),
      ).toContain("Pour soumettre la campagne, complétez : l’image du projet et sa description.");
      await sendPicture(page, id);
      // Complete now: the submit button can be pressed.
      await page
        .getByText(
          "La campagne est complète : l\u2019équipe du Département la relira et vous répondra par courriel.",
        )
        .waitFor();
      expect(await submit.isDisabled()).toBe(false);
      await expectNoAxeViolations(page, "editeur-enregistre");

      // The preview: the Markdown rendered, the use of funds and the two rewards.
      await page.getByRole("link", { name: "Aperçu de la page publique" }).click();
      await page.waitForURL((u) => u.pathname === `/porteur/campagnes/${id}/apercu`);
      const note = page.getByRole("note").filter({ hasText: "cette page n’est pas encore publique" });
      await note.waitFor();
      expect(normalize(await note.textContent())).toBe(
        "Aperçu — cette page n’est pas encore publique : elle le sera une fois la campagne validée par l’équipe du Département et mise en ligne (état : Brouillon). Revenir à l’éditeur",
      );
      expect(normalize(await note.locator("strong").textContent())).toBe("Aperçu");
      await expect.poll(() => page.title(), { timeout: 5000 }).toBe("Aperçu de la campagne — Propulsons");
      await page.getByRole("heading", { level: 1, name: c.title }).waitFor();
      expect(normalize(await page.locator(".campaign__summary").textContent())).toBe(c.summary);
      expect(normalize(await page.locator(".campaign__org").textContent())).toBe(
        `Porté par ${structure.name} (SCOP, ${structure.town})`,
      );
      expect(await page.locator(".campaign__header .tag").allTextContents()).toEqual([
        c.themeName,
        c.territoryName,
      ]);
      const story = page.locator("section[aria-labelledby=story-title] .prose");
      expect(await story.locator("h3").allTextContents()).toEqual(["Ce que le camion apportera"]);
      expect(await page.getByRole("heading", { level: 3, name: "Ce que le camion apportera" }).count()).toBe(
        1,
      );
      expect((await story.locator("ul > li").allTextContents()).map(normalize)).toEqual([
        "des fruits et légumes de producteurs du Pas-de-Calais ;",
        "des prix adaptés aux revenus de chaque foyer ;",
        "un moment de rencontre, deux fois par semaine, au pied des immeubles.",
      ]);
      expect(await story.textContent()).not.toContain("##");
      const timetable = page.locator("section[aria-labelledby=timetable-title] .prose");
      expect((await timetable.locator("ul > li").allTextContents()).map(normalize)).toEqual([
        "Janvier : achat et aménagement du camion",
        "Février : accords avec six producteurs",
        "Mars : premières tournées",
      ]);
      expect(
        normalize(await page.locator("section[aria-labelledby=results-title] .prose").textContent()),
      ).toBe(c.results);
      const funds = page.locator("section[aria-labelledby=funds-title] table");
      const fundRows = await funds
        .locator("tbody tr")
        .evaluateAll((trs) =>
          trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent ?? "")),
        );
      expect(fundRows).toEqual([
        [c.funds[0]!.label, `2${NNBSP}800${NBSP}€`],
        [c.funds[1]!.label, `1${NNBSP}200${NBSP}€`],
      ]);
      expect(await funds.locator("tfoot th").textContent()).toBe("Total");
      expect(await funds.locator("tfoot td").textContent()).toBe(`4${NNBSP}000${NBSP}€`);
      const rewards = page.locator("section.rewards li.reward");
      expect(await rewards.count()).toBe(2);
      expect(
        await rewards.evaluateAll((lis) =>
          lis.map((li) =>
            Array.from(li.querySelectorAll("p, h3")).map((e) => `${e.tagName}:${e.textContent}`),
          ),
        ),
      ).toEqual([
        [
          `P:À partir de 25${NBSP}€`,
          `H3:${c.rewards[0]!.title}`,
          `P:${c.rewards[0]!.description}`,
          "P:40 restants sur 40",
        ],
        [`P:À partir de 60${NBSP}€`, `H3:${c.rewards[1]!.title}`, `P:${c.rewards[1]!.description}`],
      ]);
      const figures = await page
        .locator(".panel__figures > div")
        .evaluateAll((divs) =>
          divs.map((d) => [d.querySelector("dt")?.textContent, d.querySelector("dd")?.textContent]),
        );
      expect(figures[0]).toEqual(["Objectif", `4${NNBSP}000${NBSP}€`]);
      // A preview, not the public page: no contribution form.
      expect(await page.getByRole("button", { name: /Contribuer/ }).count()).toBe(0);
      await expectNoAxeViolations(page, "apercu");

      // Back to the editor, « Soumettre pour validation ».
      await note.getByRole("link", { name: "Revenir à l’éditeur" }).click();
      await page.waitForURL((u) => u.pathname === `/porteur/campagnes/${id}`);
      await page.getByRole("heading", { level: 1, name: c.title }).waitFor();
      const submitted = await postBy(page, `/porteur/campagnes/${id}`, () =>
        page.getByRole("button", { name: "Soumettre pour validation" }).click(),
      );
      // Single fetch answers an action's redirect with 202 (the redirect travels in the body).
      expect(submitted.status()).toBe(202);
      await page.waitForURL(
        (u) => u.pathname === `/porteur/campagnes/${id}` && u.searchParams.get("soumise") === "1",
      );
      await page.locator("main p.outcome[role=status]", { hasText: WAITING }).waitFor();
      expect(await editorStatus(page)).toBe(`État : ${WAITING}. ${SENT_FOR_REVIEW} ${LOCKED_NOTE}`);
      await expectLockedEditor(page, c);
      expectStored(id, c, "submitted");
      expect(
        db()
          .prepare(
            "select from_status as fromStatus, to_status as toStatus, event, actor_role as actor from campaign_transitions where campaign_id = ? order by id",
          )
          .all(id),
      ).toEqual([
        { fromStatus: null, toStatus: "draft", event: "create", actor: "holder" },
        { fromStatus: "draft", toStatus: "submitted", event: "submit", actor: "holder" },
      ]);
      await expectNoAxeViolations(page, "editeur-soumis");

      // A forged save or a second submission is refused (409), the campaign unchanged.
      const origin = { origin: server.url };
      const forgedSave = await page.request.post(url(`/porteur/campagnes/${id}`), {
        headers: origin,
        form: {
          intent: "save",
          titre: "Un autre titre pour la campagne",
          objectif: "100",
          fin: c.end,
        },
        maxRedirects: 0,
      });
      expect(forgedSave.status()).toBe(409);
      expect(normalize(await forgedSave.text())).toContain(
        "La campagne est en cours de validation : elle ne peut pas être modifiée pour le moment.",
      );
      const resubmitted = await page.request.post(url(`/porteur/campagnes/${id}`), {
        headers: origin,
        form: { intent: "submit" },
        maxRedirects: 0,
      });
      expect(resubmitted.status()).toBe(409);
      expect(normalize(await resubmitted.text())).toContain("Cette campagne a déjà été soumise.");
      expectStored(id, c, "submitted");

      // Not public while under review.
      const publicPage = await page.request.get(url(`/campagnes/${storedCampaign(id).slug}`));
      expect(publicPage.status()).toBe(404);

      // /porteur lists it, « En attente de validation ».
      await page.getByRole("link", { name: "← Espace porteur" }).click();
      await page.waitForURL((u) => u.pathname === "/porteur");
      await expectListed(page, id, c, structure, WAITING);
      await expectNoAxeViolations(page, "avec-campagne");

      // The holder hears of it by e-mail.
      await expectWaitingEmail(email, id, c.title);
    });
  });
});

describe("a new holder, without JavaScript", () => {
  it("signs in with the code, declares a SCIC, saves the editor's form (a wrong total first: 400, French message, nothing lost), submits it", async () => {
    const email = HOLDER_NO_JS;
    const structure = STRUCTURE_NO_JS;
    const wrong = campaignNoJs();
    // The correction: the second line brings the total to the goal.
    const right: CampaignInput = {
      ...wrong,
      funds: [wrong.funds[0]!, { ...wrong.funds[1]!, amount: "1500" }],
    };
    await withPage({ javaScriptEnabled: false }, async (page) => {
      const res = await page.goto(url("/connexion"));
      expect(res?.status()).toBe(200);
      // The app's scripts never ran: no client router.
      expect(await page.evaluate(() => "__remixRouter" in window)).toBe(false);
      const message = await requestSignIn(page, email);
      await page.getByLabel("Code reçu par courriel (6 chiffres)").fill(codeOf(message));
      await page.getByRole("button", { name: "Me connecter" }).click();
      await page.waitForURL((u) => u.pathname === "/mon-compte");
      await expectSignedIn(page, email);

      await page.locator("main").getByRole("link", { name: "Espace porteur de projet" }).click();
      await page.waitForURL((u) => u.pathname === "/porteur");
      await page.getByRole("link", { name: "Déclarer ma structure" }).click();
      await page.waitForURL((u) => u.pathname === "/porteur/structure");
      await declareStructure(page, structure);

      const id = await createDraft(page, wrong.title);
      const editorPath = `/porteur/campagnes/${id}`;
      expect(await editorStatus(page)).toBe("État : Brouillon.");
      expect(await page.evaluate(() => "__remixRouter" in window)).toBe(false);

      // A mistake: the fund lines add up to 3 500 € for a goal of 4 000 €.
      await fillEditor(page, wrong);
      const refused = await postBy(page, editorPath, () =>
        page.getByRole("button", { name: "Enregistrer" }).click(),
      );
      expect(refused.request().isNavigationRequest()).toBe(true);
      expect(new URL(refused.url()).pathname).toBe(editorPath);
      expect(refused.status()).toBe(400);
      await page.waitForLoadState();
      const expectedMessage = `Le total des postes (3${NNBSP}500${NBSP}€) doit être égal à l\u2019objectif (4${NNBSP}000${NBSP}€).`;
      const summary = page.locator(".error-summary[role=alert]");
      await summary.waitFor();
      expect(normalize(await summary.locator("h2").textContent())).toBe("Le formulaire contient une erreur");
      expect(await summary.locator("li").allTextContents()).toEqual([expectedMessage]);
      expect(await summary.locator("li a").getAttribute("href")).toBe("#e-poste_0_libelle");
      expect(await page.locator("#e-postes-error").textContent()).toBe(expectedMessage);
      expect(normalize(expectedMessage)).toMatch(
        /^Le total des postes \(.+\) doit être égal à l\u2019objectif \(.+\)\.$/,
      );
      // Everything typed is still in the fields; nothing was saved.
      expect(await editorValues(page, wrong)).toEqual(typed(wrong));
      await expectOtherRowsEmpty(page, wrong);
      expect(await page.locator("main p.outcome[role=status]").textContent()).not.toContain(SAVED);
      await expectNoAxeViolationsWithoutJs(page, "editeur-erreurs-sans-js");
      expect(storedCampaign(id)).toMatchObject({
        status: "draft",
        summary: "",
        story_md: "",
        goal_cents: 100_000,
      });
      expect(
        (
          db().prepare("select count(*) as n from campaign_fund_lines where campaign_id = ?").get(id) as {
            n: number;
          }
        ).n,
      ).toBe(0);
      expect(
        (db().prepare("select count(*) as n from rewards where campaign_id = ?").get(id) as { n: number }).n,
      ).toBe(0);

      // Corrected: saved.
      await field(page, "Poste 2 : montant (€)").fill("1500");
      const saved = await postBy(page, editorPath, () =>
        page.getByRole("button", { name: "Enregistrer" }).click(),
      );
      expect(saved.request().isNavigationRequest()).toBe(true);
      expect(saved.status()).toBe(200);
      await page.waitForLoadState();
      expect(await editorStatus(page)).toBe(`État : Brouillon. ${SAVED}`);
      expect(await page.locator(".error-summary").count()).toBe(0);
      expect(await editorValues(page, right)).toEqual(typed(right));
      expectStored(id, right, "draft");
      await sendPicture(page, id);

      // Submitted: a redirect to the editor, locked.
      await page
        .getByText(
          "La campagne est complète : l\u2019équipe du Département la relira et vous répondra par courriel.",
        )
        .waitFor();
      const submitted = await postBy(page, editorPath, () =>
        page.getByRole("button", { name: "Soumettre pour validation" }).click(),
      );
      expect(submitted.request().isNavigationRequest()).toBe(true);
      expect(submitted.status()).toBe(302);
      expect(submitted.headers()["location"]).toBe(`${editorPath}?soumise=1`);
      await page.waitForURL((u) => u.pathname === editorPath && u.searchParams.get("soumise") === "1");
      expect(await editorStatus(page)).toBe(`État : ${WAITING}. ${SENT_FOR_REVIEW} ${LOCKED_NOTE}`);
      await expectLockedEditor(page, right);
      expectStored(id, right, "submitted");

      const home = await page.goto(url("/porteur"));
      expect(home?.status()).toBe(200);
      await expectListed(page, id, right, structure, WAITING);
      await expectWaitingEmail(email, id, right.title);
    });
  });
});

/**
 * Regression test of a defect found here and fixed in app/entry.server.tsx (stripNulBytes):
 * react-dom 18.3.1's streaming renderer (renderToPipeableStream) writes text into
 * 2 048-byte buffers with TextEncoder.encodeInto; when a multi-byte character (« é ») does not fit
 * in the last free byte, it flushes the whole buffer, unused byte included: a NUL (0x00) lands in
 * the HTML, which browsers show as U+FFFD (« partag�é »). Without JavaScript, a field's value
 * comes from that HTML: saving the form again stores the broken text. This test fills the editor
 * with accented text in every short field (so that some 2 048-byte boundary falls inside it, at an
 * odd byte for one of the two variants) and looks for 0x00 in the server's answers.
 */
describe("no NUL bytes in the streamed HTML (react-dom 18.3.1, facebook/react#31134)", () => {
  it("the editor's answer to a saved form without JavaScript holds no NUL byte, whatever the accented text", async () => {
    const http = httpClient(server, outboxFile);
    const cookie = await http.signIn("e2e.porteur.accents@example.org");
    const structure = await http.call("POST", "/porteur/structure", {
      cookie,
      form: {
        nom: "Coopérative des Étés",
        forme: "scop",
        numero: "73282932000074",
        commune: "Béthune",
        territoire: "artois",
      },
    });
    expect(structure.status).toBe(302);
    const created = await http.call("POST", "/porteur/campagnes/nouvelle", {
      cookie,
      form: {
        titre: "Étés éphémères à Béthune",
        structure: String(
          (
            db()
              .prepare(
                "select o.id from organizations o join users u on u.id = o.owner_user_id where u.email = ?",
              )
              .get("e2e.porteur.accents@example.org") as { id: number }
          ).id,
        ),
        territoire: "artois",
        theme: "culture",
      },
    });
    expect(created.status).toBe(302);
    const editor = created.location!;
    const found: string[] = [];
    for (const prefix of ["", "a"]) {
      const e = (n: number) => prefix + "é".repeat(n - prefix.length);
      const form: Record<string, string> = {
        intent: "save",
        titre: e(120),
        resume: e(300),
        histoire: e(600),
        objectif: "600",
        fin: endIn30Days(),
        territoire: "artois",
        theme: "culture",
        resultats: e(680),
        calendrier: e(680),
      };
      for (let i = 0; i < 6; i++)
        Object.assign(form, { [`poste_${i}_libelle`]: e(120), [`poste_${i}_montant`]: "100" });
      for (let i = 0; i < 5; i++)
        Object.assign(form, {
          [`cp_${i}_titre`]: e(80),
          [`cp_${i}_description`]: e(500),
          [`cp_${i}_minimum`]: "10",
          [`cp_${i}_stock`]: "",
        });
      const saved = await http.call("POST", editor, { cookie, form });
      expect(saved.status).toBe(200);
      expect(saved.body).toContain(SAVED);
      const again = await http.call("GET", editor, { cookie });
      for (const [what, body] of [
        ["answer to the POST", saved.body],
        ["page loaded again", again.body],
      ] as const) {
        for (let at = body.indexOf("\u0000"); at >= 0; at = body.indexOf("\u0000", at + 1)) {
          found.push(
            `${what} (prefix ${JSON.stringify(prefix)}), character ${at}: …${JSON.stringify(body.slice(at - 30, at + 10))}…`,
          );
        }
      }
    }
    expect(found, `NUL bytes in the editor's HTML:\n${found.join("\n")}`).toEqual([]);
  });
});

describe("accessibility of the holder pages (axe, WCAG 2.1 A and AA)", () => {
  it("the editor with errors (with JavaScript) and the structure form with an error have no axe violations", async () => {
    const email = "e2e.porteuse.axe@example.org";
    const c = campaignJs();
    await withPage({}, async (page) => {
      await page.goto(url("/connexion"));
      await waitForHydration(page);
      const message = await requestSignIn(page, email);
      await page.getByLabel("Code reçu par courriel (6 chiffres)").fill(codeOf(message));
      await page.getByRole("button", { name: "Me connecter" }).click();
      await page.waitForURL((u) => u.pathname === "/mon-compte");
      await expectSignedIn(page, email);

      await page.goto(url("/porteur/structure"));
      await waitForHydration(page);
      await page.getByLabel("Nom de la structure").fill("Atelier Vélo Solidaire");
      await page.getByLabel("Forme juridique").selectOption("scop");
      await page.getByLabel("Numéro SIRET ou RNA").fill("732 829 320 00075");
      await page.getByLabel("Commune").fill("Calais");
      await page.getByLabel("Territoire").selectOption("calaisis");
      const refused = await postBy(page, "/porteur/structure", () =>
        page.getByRole("button", { name: "Enregistrer" }).click(),
      );
      expect(refused.status()).toBe(400);
      await page.getByRole("alert").filter({ hasText: "Numéro SIRET invalide" }).waitFor();
      expect(await page.getByLabel("Numéro SIRET ou RNA").getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByLabel("Numéro SIRET ou RNA").inputValue()).toBe("732 829 320 00075");
      await expectNoAxeViolations(page, "structure-erreur");
      await page.getByLabel("Numéro SIRET ou RNA").fill("732 829 320 00074");
      await page.getByRole("button", { name: "Enregistrer" }).click();
      await page.waitForURL((u) => u.pathname === "/porteur");

      const id = await createDraft(page, "Un atelier de réparation de vélos à Calais");
      await waitForHydration(page);
      // Several wrong values at once: a summary, each field marked and described.
      await fillEditor(page, { ...c, title: "Un atelier de réparation de vélos à Calais" });
      await field(page, "Résumé (affiché sur les cartes)").fill("Trop court");
      await field(page, "Objectif (en euros)").fill("4000,50");
      await field(page, "Date de fin de la collecte").fill(addDays(parisCalendarDate(new Date()), 3));
      await field(page, "Contrepartie 2 : montant minimum (€)").fill("gratuit");
      const wrong = await postBy(page, `/porteur/campagnes/${id}`, () =>
        page.getByRole("button", { name: "Enregistrer" }).click(),
      );
      expect(wrong.status()).toBe(400);
      const summary = page.locator(".error-summary[role=alert]");
      await summary.waitFor();
      expect(normalize(await summary.locator("h2").textContent())).toBe("Le formulaire contient 4 erreurs");
      for (const [name, label] of [
        ["resume", "Résumé (affiché sur les cartes)"],
        ["objectif", "Objectif (en euros)"],
        ["fin", "Date de fin de la collecte"],
        ["cp_1_minimum", "Contrepartie 2 : montant minimum (€)"],
      ] as const) {
        const input = field(page, label);
        expect(await input.getAttribute("aria-invalid"), label).toBe("true");
        expect((await input.getAttribute("aria-describedby"))?.split(" "), label).toContain(
          `e-${name}-error`,
        );
        expect(await page.locator(`#e-${name}-error`).count(), label).toBe(1);
      }
      expect(await field(page, "Objectif (en euros)").inputValue()).toBe("4000,50");
      await expectNoAxeViolations(page, "editeur-erreurs");
    });
  });

  it("checked every holder page", () => {
    expect([...axeChecked].sort()).toEqual(
      [
        "vide",
        "structure-js",
        "avec-structure",
        "nouvelle-campagne",
        "editeur-vide",
        "editeur-enregistre",
        "apercu",
        "editeur-soumis",
        "avec-campagne",
        "structure-erreur",
        "editeur-erreurs",
        "editeur-erreurs-sans-js",
      ].sort(),
    );
  });
});
