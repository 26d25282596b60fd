/**
 * Every page kind at a phone's width (320 and 390 px) and a laptop's (1366 px): nothing may
 * scroll sideways (document.documentElement.scrollWidth <= innerWidth; the failure names the
 * elements that stick out), and each page has exactly one non-empty <title>.
 *
 * To cover a new page, add a line to PAGES: its name, the role that sees it, and its path
 * (a function of the ids read from the seeded database when the path needs one), or a `visit`
 * for a page reached through a form.
 */
import Database from "better-sqlite3";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STAFF_EMAIL } from "#db/seed/seed";
import { codeOf, launchBrowser, normalize, signInMessagesTo, startServerWithOutbox } from "../support/e2e";
import type { RunningServer } from "../support/server";
import type { Browser } from "playwright-core";

type Role = "public" | "citizen" | "holder" | "staff";

/** Ids and slugs read from the seeded database in beforeAll. */
interface Seeded {
  live: string;
  funded: string;
  failed: string;
  /** a live campaign of the holder who signs in */
  holderCampaignId: number;
  /** the submitted campaign staff review */
  submittedId: number;
  /** one of the citizen's contributions */
  contributionId: number;
}

interface PageCase {
  name: string;
  role: Role;
  /** the address to open; a function when it needs a seeded id */
  path?: string | ((s: Seeded) => string);
  /** for a page reached through a form: open it on `page` (the path is ignored) */
  visit?: (page: Page, s: Seeded) => Promise<void>;
  /** the HTTP status expected (200 by default) */
  status?: number;
  /** an error page's heading, its <title> being « heading — Propulsons » */
  heading?: string;
}

const PAGES: PageCase[] = [
  // Public
  { name: "accueil", role: "public", path: "/" },
  { name: "liste des projets", role: "public", path: "/campagnes" },
  { name: "campagne en cours", role: "public", path: (s) => `/campagnes/${s.live}` },
  { name: "campagne réussie", role: "public", path: (s) => `/campagnes/${s.funded}` },
  { name: "campagne non financée", role: "public", path: (s) => `/campagnes/${s.failed}` },
  { name: "contributeurs", role: "public", path: (s) => `/campagnes/${s.funded}/contributeurs` },
  { name: "accessibilité", role: "public", path: "/accessibilite" },
  { name: "rapport annuel", role: "public", path: "/rapport-annuel" },
  { name: "connexion", role: "public", path: "/connexion" },
  { name: "page du code de connexion", role: "public", visit: (page) => openCodePage(page) },
  { name: "paiement de démonstration", role: "public", visit: (page, s) => openDemoCheckout(page, s) },
  // Error pages
  {
    name: "erreur 404",
    role: "public",
    path: "/cette-page-n-existe-pas",
    status: 404,
    heading: "Page introuvable",
  },
  {
    name: "erreur 404 d'une campagne",
    role: "public",
    path: "/campagnes/inconnue-0000",
    status: 404,
    heading: "Page introuvable",
  },
  { name: "erreur 403", role: "citizen", path: "/gestion", status: 403, heading: "Accès refusé" },
  {
    name: "erreur 400 (adresse mal formée)",
    role: "public",
    path: "/campagnes/%E0%A4%A",
    status: 400,
    heading: "Demande incorrecte",
  },
  {
    name: "erreur 400 (filtre inconnu)",
    role: "public",
    path: "/campagnes?statut=nimporte",
    status: 400,
    heading: "Demande incorrecte",
  },
  // Citizen
  { name: "mon compte", role: "citizen", path: "/mon-compte" },
  { name: "mes contributions", role: "citizen", path: "/mon-compte/contributions" },
  {
    name: "une contribution",
    role: "citizen",
    path: (s) => `/mon-compte/contributions/${s.contributionId}`,
  },
  // Holder
  { name: "espace porteur", role: "holder", path: "/porteur" },
  { name: "éditeur de campagne", role: "holder", path: (s) => `/porteur/campagnes/${s.holderCampaignId}` },
  { name: "aperçu", role: "holder", path: (s) => `/porteur/campagnes/${s.holderCampaignId}/apercu` },
  {
    name: "tableau de bord",
    role: "holder",
    path: (s) => `/porteur/campagnes/${s.holderCampaignId}/tableau-de-bord`,
  },
  { name: "actualités", role: "holder", path: (s) => `/porteur/campagnes/${s.holderCampaignId}/actualites` },
  { name: "nouvelle campagne", role: "holder", path: "/porteur/campagnes/nouvelle" },
  { name: "structure", role: "holder", path: "/porteur/structure" },
  { name: "paiements", role: "holder", path: "/porteur/paiements" },
  // Staff
  { name: "espace Département", role: "staff", path: "/gestion" },
  { name: "modération", role: "staff", path: "/gestion/moderation" },
  { name: "campagnes (Département)", role: "staff", path: "/gestion/campagnes" },
  { name: "revue d'une campagne", role: "staff", path: (s) => `/gestion/campagnes/${s.submittedId}` },
  { name: "anomalies", role: "staff", path: "/gestion/anomalies" },
  { name: "chiffres (Département)", role: "staff", path: "/gestion/chiffres" },
];

const WIDTHS = [320, 390, 1366];
/** An address long enough to widen a page that does not let it break. */
const LONG_EMAIL = "une.adresse.electronique.vraiment.tres.longue@sous-domaine.exemple-de-mise-en-page.fr";

let server: RunningServer;
let browser: Browser;
let outboxFile = "";
let cleanup: () => void = () => {};
const seeded: Seeded = {
  live: "",
  funded: "",
  failed: "",
  holderCampaignId: 0,
  submittedId: 0,
  contributionId: 0,
};
const emails: Record<Exclude<Role, "public">, string> = { citizen: "", holder: "", staff: DEMO_STAFF_EMAIL };
const contexts = new Map<Role, BrowserContext>();

const url = (p: string) => `${server.url}${p}`;

beforeAll(async () => {
  const started = await startServerWithOutbox("e2e-layout", { PAGE_CACHE: "off" });
  server = started.server;
  outboxFile = started.outboxFile;
  cleanup = started.cleanup;
  const db = new Database(started.databaseFile, { readonly: true });
  try {
    const slug = (status: string) =>
      db.prepare("select slug from campaigns where status = ? order by slug limit 1").pluck().get(status) as
        string | undefined;
    seeded.live = slug("live") ?? "";
    seeded.funded = slug("funded") ?? "";
    seeded.failed = slug("failed") ?? "";
    const holder = db
      .prepare(
        `select c.id, u.email from campaigns c join organizations o on o.id = c.organization_id
         join users u on u.id = o.owner_user_id where c.status = 'live' order by c.slug limit 1`,
      )
      .get() as { id: number; email: string } | undefined;
    seeded.holderCampaignId = holder?.id ?? 0;
    emails.holder = holder?.email ?? "";
    seeded.submittedId = Number(
      db.prepare("select id from campaigns where status = 'submitted' order by id limit 1").pluck().get() ??
        0,
    );
    const citizen = db
      .prepare(
        `select id, email from contributions where status = 'paid'
         order by (select count(*) from contributions c2 where c2.email = contributions.email) desc, id limit 1`,
      )
      .get() as { id: number; email: string } | undefined;
    seeded.contributionId = citizen?.id ?? 0;
    emails.citizen = citizen?.email ?? "";
  } finally {
    db.close();
  }
  expect(Object.values(seeded).every(Boolean), JSON.stringify(seeded)).toBe(true);
  browser = await launchBrowser();
  for (const role of ["public", "citizen", "holder", "staff"] as const) {
    const context = await browser.newContext({ locale: "fr-FR" });
    context.setDefaultTimeout(15_000);
    contexts.set(role, context);
    if (role !== "public") {
      const page = await context.newPage();
      await signIn(page, emails[role]);
      await page.close();
    }
  }
});

afterAll(async () => {
  for (const c of contexts.values()) await c.close();
  await browser?.close();
  await server?.stop();
  cleanup();
});

/** /connexion → the code of the outbox's e-mail → /mon-compte. */
async function signIn(page: Page, email: string): Promise<void> {
  const known = signInMessagesTo(outboxFile, email).length;
  await openCodePage(page, email);
  const deadline = Date.now() + 10_000;
  let messages = signInMessagesTo(outboxFile, email);
  while (messages.length <= known) {
    if (Date.now() > deadline)
      throw new Error(`no sign-in e-mail for ${email}:\n${server.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
    messages = signInMessagesTo(outboxFile, email);
  }
  await page.getByLabel("Code reçu par courriel (6 chiffres)").fill(codeOf(messages[messages.length - 1]!));
  await page.getByRole("button", { name: "Me connecter" }).click();
  await page.waitForURL((u) => u.pathname === "/mon-compte");
}

async function openCodePage(page: Page, email = LONG_EMAIL): Promise<void> {
  await page.goto(url("/connexion"));
  await page.getByLabel("Adresse électronique").fill(email);
  await page.getByRole("button", { name: "Recevoir mon lien de connexion" }).click();
  await page.getByRole("heading", { level: 1, name: "Saisissez votre code" }).waitFor();
}

async function openDemoCheckout(page: Page, s: Seeded): Promise<void> {
  await page.goto(url(`/campagnes/${s.live}`));
  const form = page.locator("#contribuer");
  await form.getByLabel("Montant en euros").fill("25");
  await form.getByLabel("Adresse électronique").fill(LONG_EMAIL);
  await form.getByLabel("Nom affiché sur la page du projet").fill("Visiteuse de la mise en page");
  await form.getByRole("button", { name: "Continuer vers le paiement sécurisé" }).click();
  await page.waitForURL((u) => u.pathname.startsWith("/demo/checkout/"));
}

interface Measure {
  scrollWidth: number;
  innerWidth: number;
  /** the elements that stick out of the screen while their parent does not */
  culprits: string[];
  titles: string[];
}

/** Measure the page as laid out now (the browser lays it out again for the evaluation). */
function measure(page: Page): Promise<Measure> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const clipped = (el: Element): boolean => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o !== "visible") return true;
      }
      return false;
    };
    const sticksOut = (el: Element): boolean => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > width + 0.5;
    };
    const describe = (el: Element): string => {
      const cls =
        typeof el.className === "string" && el.className ? `.${el.className.split(/\s+/).join(".")}` : "";
      const r = el.getBoundingClientRect();
      const text = (el.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 50);
      return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls} (right ${Math.round(r.right)} px) « ${text} »`;
    };
    const culprits: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      if (!sticksOut(el) || clipped(el)) continue;
      if (el.parentElement && el.parentElement !== document.body && sticksOut(el.parentElement)) continue;
      culprits.push(describe(el));
      if (culprits.length >= 8) break;
    }
    const titles = Array.from(document.querySelectorAll("title"))
      .filter((t) => !t.closest("svg"))
      .map((t) => t.textContent ?? "");
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: width,
      culprits,
      titles,
    };
  });
}

describe("no page scrolls sideways, at 320, 390 and 1366 px; each has one <title>", () => {
  for (const p of PAGES) {
    it(`${p.name} (${p.role})`, async () => {
      const page = await contexts.get(p.role)!.newPage();
      try {
        await page.setViewportSize({ width: WIDTHS[0]!, height: 800 });
        if (p.visit) {
          await p.visit(page, seeded);
        } else {
          const path = typeof p.path === "function" ? p.path(seeded) : p.path!;
          const res = await page.goto(url(path));
          expect(res?.status(), `status of ${path}`).toBe(p.status ?? 200);
        }
        const problems: string[] = [];
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 800 });
          const m = await measure(page);
          if (m.scrollWidth > m.innerWidth)
            problems.push(
              `at ${width} px the page is ${m.scrollWidth} px wide (screen ${m.innerWidth} px); sticking out:\n    ${m.culprits.join("\n    ")}`,
            );
          if (width === WIDTHS[0]) {
            expect(m.titles, `the <title> elements of ${page.url()}`).toHaveLength(1);
            expect(normalize(m.titles[0])).not.toBe("");
            if (p.heading) {
              expect(m.titles[0]).toBe(`${p.heading} — Propulsons`);
              expect(normalize(await page.locator("h1").textContent())).toBe(p.heading);
            }
          }
        }
        expect(problems, `${p.name} (${page.url()})`).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});

describe("buttons", () => {
  it("a .button (a <button> or a link) uses the page's font", async () => {
    const page = await contexts.get("public")!.newPage();
    try {
      await page.goto(url("/"));
      const link = await page.evaluate(() => {
        const a = document.querySelector("a.button");
        return a ? [getComputedStyle(a).fontFamily, getComputedStyle(document.body).fontFamily] : null;
      });
      expect(link).not.toBeNull();
      expect(link![0]).toBe(link![1]);
      await page.goto(url("/connexion"));
      const button = await page.evaluate(() => {
        const b = document.querySelector("main button.button");
        return b
          ? [
              getComputedStyle(b).fontFamily,
              getComputedStyle(document.body).fontFamily,
              getComputedStyle(b).fontSize,
              getComputedStyle(b.parentElement!).fontSize,
            ]
          : null;
      });
      expect(button).not.toBeNull();
      expect(button![0]).toBe(button![1]);
      expect(button![2]).toBe(button![3]);
    } finally {
      await page.close();
    }
  });
});
