/**
 * Browser tests of the contribution journey in demo mode: the built server
 * (build/index.js) on a throwaway seeded database, its Stripe Checkout Sessions
 * answered by msw through the real Stripe SDK, the demo checkout page posting
 * signed webhooks to the real endpoint, and receipts written by the mocked
 * Resend API to a temporary outbox file. Driven by Debian's Chromium through
 * playwright-core, with and without JavaScript, plus axe-core checks (WCAG 2.1 A/AA).
 *
 * The seeded database is read (read-only) to pick campaigns and to check what was
 * written; nothing is written to it except through the browser.
 *
 * Screenshots of every axe-checked page land in test-results/ (git-ignored).
 */
import Database from "better-sqlite3";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOutbox, type OutboxMessage } from "~/demo/resend-api.server";
import {
  axeChecker,
  euros,
  launchBrowser,
  NBSP,
  normalize,
  pageHelpers,
  startServerWithOutbox,
  waitForHydration,
} from "../support/e2e";
import type { RunningServer } from "../support/server";
// Subjects are set in French typography (a no-break space before « : » in a title).
import { frenchText } from "~/domain/typography";

const CHECKOUT_URL = /\/demo\/checkout\/cs_test_[a-f0-9]+$/;
const DEMO_LABEL = "Mode démonstration — aucun paiement réel.";
const DECLINED = "Votre carte a été refusée (carte de test). Essayez à nouveau ou abandonnez le paiement.";

let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database | undefined;
let outboxFile = "";
let cleanupDatabase: () => void = () => {};

interface SeedReward {
  id: number;
  title: string;
  minimumCents: number;
  stock: number | null;
  remaining: number | null;
}

interface SeedCampaign {
  id: number;
  slug: string;
  title: string;
  holderEmail: string;
  rewards: SeedReward[];
}

/** Campaigns looked up in the seeded database (read-only), never hard-coded; a different one per journey. */
const picked = {
  js: undefined as unknown as SeedCampaign,
  noJs: undefined as unknown as SeedCampaign & { reward: SeedReward },
  validation: undefined as unknown as SeedCampaign,
  abandon: undefined as unknown as SeedCampaign & { reward: SeedReward },
  axe: undefined as unknown as SeedCampaign,
};

beforeAll(async () => {
  // PUBLIC_URL is the server's own address: Checkout's success and cancel URLs are built from it.
  const started = await startServerWithOutbox("e2e-contrib");
  server = started.server;
  outboxFile = started.outboxFile;
  cleanupDatabase = started.cleanup;

  sqlite = new Database(started.databaseFile, { readonly: true, fileMustExist: true });
  const now = new Date();
  // Open now, and not in its last day (the journeys must not hit the end of the collection).
  const campaigns = sqlite
    .prepare(
      `select c.id, c.slug, c.title, u.email as holderEmail
         from campaigns c
         join organizations o on o.id = c.organization_id
         join users u on u.id = o.owner_user_id
        where c.status = 'live' and c.starts_at <= ? and c.ends_at > ?
        order by c.slug`,
    )
    .all(now.toISOString(), new Date(now.getTime() + 24 * 3600_000).toISOString()) as Array<
    Omit<SeedCampaign, "rewards">
  >;
  const rewardsOf = sqlite.prepare(
    `select id, title, minimum_cents as minimumCents, stock,
            case when stock is null then null else stock - held - sold end as remaining
       from rewards where campaign_id = ? order by position`,
  );
  const all: SeedCampaign[] = campaigns.map((c) => ({ ...c, rewards: rewardsOf.all(c.id) as SeedReward[] }));
  const used = new Set<string>();
  const take = <T extends SeedCampaign>(what: string, fits: (c: SeedCampaign) => T | undefined): T => {
    for (const c of all) {
      if (used.has(c.slug)) continue;
      const found = fits(c);
      if (found) {
        used.add(c.slug);
        return found;
      }
    }
    throw new Error(`the seeded database lacks a live campaign for ${what}`);
  };
  // A limited reward with a few units left (so « N restants » shows before and after taking one).
  const limitedReward = (c: SeedCampaign) => {
    const reward = c.rewards.find((r) => r.remaining !== null && r.remaining >= 3);
    return reward ? { ...c, reward } : undefined;
  };
  picked.js = take("the JavaScript journey", (c) =>
    c.rewards.some((r) => r.remaining === null || r.remaining > 0) ? c : undefined,
  );
  picked.noJs = take("the journey without JavaScript", limitedReward);
  picked.abandon = take("the abandoned checkout", limitedReward);
  picked.validation = take("the validation errors", (c) => c);
  picked.axe = take("the accessibility checks", (c) => c);

  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  sqlite?.close();
  cleanupDatabase();
});

const { url, withPage } = pageHelpers({ server: () => server, browser: () => browser });
const expectNoAxeViolations = axeChecker("contribution");

function db(): Database.Database {
  if (!sqlite) throw new Error("database not open");
  return sqlite;
}

/** « 12 345 € », « 1 234,50 € » → cents. */
function parseEuros(text: string): number {
  const m = /^(\d+)(?:,(\d{2}))?€$/.exec(text.replace(/[\s\u00a0\u202f]/g, ""));
  if (!m) throw new Error(`not an amount in euros: ${JSON.stringify(text)}`);
  return Number(m[1]) * 100 + Number(m[2] ?? "0");
}

/** What a reward's stock line says: « 12 restants sur 30 », « Plus qu'un exemplaire sur 30 ». */
function stockText(remaining: number, stock: number): string {
  return `${remaining === 1 ? "Plus qu'un exemplaire" : `${remaining} restants`} sur ${stock}`;
}

interface CampaignSnapshot {
  collectedCents: number;
  contributorsHeading: string;
  contributors: Array<{ name: string; amount: string; message: string | null }>;
  /** reward title → its stock line (null for an unlimited reward) */
  stock: Map<string, string | null>;
}

/** Read what the campaign page currently shows (the page must be on it). */
async function snapshot(page: Page): Promise<CampaignSnapshot> {
  await page.locator(".panel__big").waitFor();
  const collectedCents = parseEuros((await page.locator(".panel__big").textContent()) ?? "");
  const contributorsHeading = normalize(await page.locator("#contributors-title").textContent());
  const contributors = await page.locator("ul.contributors > li").evaluateAll((items) =>
    items.map((li) => ({
      name: li.querySelector(".contributors__name")?.textContent ?? "",
      amount: li.querySelector(".contributors__amount")?.textContent ?? "",
      message: li.querySelector(".contributors__message")?.textContent ?? null,
    })),
  );
  const stock = new Map<string, string | null>();
  for (const li of await page.locator(".rewards li.reward").all()) {
    const title = normalize(await li.locator(".reward__title").textContent());
    const line = li.locator(".reward__stock");
    stock.set(title, (await line.count()) > 0 ? normalize(await line.textContent()) : null);
  }
  return {
    collectedCents,
    contributorsHeading,
    contributors: contributors.map((c) => ({
      name: normalize(c.name),
      amount: normalize(c.amount),
      message: c.message === null ? null : normalize(c.message),
    })),
    stock,
  };
}

/** Open the campaign page in a fresh tab of the same context, read it, close the tab. */
async function snapshotIn(context: BrowserContext, slug: string): Promise<CampaignSnapshot> {
  const other = await context.newPage();
  try {
    const res = await other.goto(url(`/campagnes/${slug}`));
    expect(res?.status()).toBe(200);
    return await snapshot(other);
  } finally {
    await other.close();
  }
}

function contributorsCount(heading: string): number {
  const m = /^(\d[\d ]*) contributeurs?$/.exec(heading);
  if (!m) throw new Error(`unexpected contributors heading: ${heading}`);
  return Number(m[1]!.replace(/ /g, ""));
}

interface ContributionRow {
  id: number;
  status: string;
  amount_cents: number;
  reward_id: number | null;
  anonymous: number;
  hide_amount: number;
  public_name: string;
  message: string | null;
  stripe_checkout_session_id: string | null;
  last_payment_error: string | null;
}

function contributionBySession(sessionId: string): ContributionRow | undefined {
  return db()
    .prepare(
      `select id, status, amount_cents, reward_id, anonymous, hide_amount, public_name, message,
              stripe_checkout_session_id, last_payment_error
         from contributions where stripe_checkout_session_id = ?`,
    )
    .get(sessionId) as ContributionRow | undefined;
}

function contributionsOf(campaignId: number): number {
  return (
    db().prepare("select count(*) as n from contributions where campaign_id = ?").get(campaignId) as {
      n: number;
    }
  ).n;
}

function ledgerEntriesOf(contributionId: number): number {
  return (
    db()
      .prepare("select count(*) as n from ledger_entries where contribution_id = ?")
      .get(contributionId) as { n: number }
  ).n;
}

function rewardCounters(rewardId: number): { held: number; sold: number } {
  return db().prepare("select held, sold from rewards where id = ?").get(rewardId) as {
    held: number;
    sold: number;
  };
}

/** Poll the outbox file until `find` matches (emails are sent by the server's worker, asynchronously). */
async function waitForMessage(
  find: (m: OutboxMessage) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<OutboxMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readOutbox(outboxFile).find(find);
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = readOutbox(outboxFile).map((m) => `${m.to.join(",")} — ${m.subject}`);
      throw new Error(
        `no ${what} in the outbox after ${timeoutMs} ms; it holds:\n${seen.join("\n")}\nserver output:\n${server.output().slice(-2000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function messageText(m: OutboxMessage): string {
  return normalize(m.text ?? "");
}

interface ContributionInput {
  amount?: string;
  rewardTitle?: string;
  email: string;
  name?: string;
  anonymous?: boolean;
  hideAmount?: boolean;
  message?: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Fill the « Contribuer » form (the page must show it). */
async function fillContribution(page: Page, input: ContributionInput): Promise<void> {
  const form = page.locator("section#contribuer");
  await expect(form.getByRole("heading", { level: 2, name: "Contribuer" }).count()).resolves.toBe(1);
  if (input.rewardTitle) {
    await form
      .getByRole("radio", { name: new RegExp(`^${escapeRegExp(input.rewardTitle)} — à partir de `) })
      .check();
  }
  if (input.amount !== undefined) await form.getByLabel("Montant en euros").fill(input.amount);
  await form.getByLabel("Adresse électronique").fill(input.email);
  if (input.name !== undefined) await form.getByLabel("Nom affiché sur la page du projet").fill(input.name);
  if (input.anonymous) await form.getByLabel("Apparaître anonymement").check();
  if (input.hideAmount) await form.getByLabel("Masquer le montant de ma contribution").check();
  if (input.message !== undefined)
    await form.getByLabel("Message de soutien (facultatif)").fill(input.message);
}

/** Submit the filled form and wait for the demo checkout page; returns the session id. */
async function submitToCheckout(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Continuer vers le paiement sécurisé" }).click();
  await page.waitForURL((u) => CHECKOUT_URL.test(u.pathname));
  // The checkout's own label (the site-wide demo banner says the same thing).
  await page.locator("main p.demo-checkout__label").getByText(DEMO_LABEL).waitFor();
  return new URL(page.url()).pathname.split("/").pop()!;
}

/** On the demo checkout page: pay by (test) card and wait for the thank-you page. */
async function payByCard(page: Page, amountCents: number): Promise<void> {
  await page
    .getByRole("button", { name: `Payer ${euros(amountCents)} (carte de test acceptée)`, exact: true })
    .click();
  await page.waitForURL((u) => u.pathname === "/contribution/merci");
  await page.getByRole("heading", { level: 1, name: "Merci pour votre contribution !" }).waitFor();
}

/** The demo checkout page's figures: project, amount, receipt address. */
async function checkoutFigures(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const row of await page.locator("dl.panel > div").all()) {
    out[normalize(await row.locator("dt").textContent())] = (await row.locator("dd").textContent()) ?? "";
  }
  return out;
}

describe("contribution with JavaScript", () => {
  it("form → demo checkout → declined card → paid → thank-you page, campaign page and emails", async () => {
    const c = picked.js;
    const email = "e2e.js@example.org";
    const name = "Camille Testeuse";
    const message = "Bravo pour ce projet, on compte sur vous !";
    await withPage({}, async (page, context) => {
      const res = await page.goto(url(`/campagnes/${c.slug}`));
      expect(res?.status()).toBe(200);
      await waitForHydration(page);
      const before = await snapshot(page);
      expect(before.contributors.some((k) => k.name === name)).toBe(false);

      await fillContribution(page, { amount: "25", email, name, message });
      // Client-side navigation: a marker on window survives (the form went through Remix's router).
      await page.evaluate(() => ((window as unknown as { __e2eMarker: string }).__e2eMarker = "spa"));
      const sessionId = await submitToCheckout(page);
      expect(page.url()).toBe(url(`/demo/checkout/${sessionId}`));
      expect(await page.evaluate(() => (window as unknown as { __e2eMarker?: string }).__e2eMarker)).toBe(
        "spa",
      );
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
        "Paiement de votre contribution",
      );
      expect(await checkoutFigures(page)).toEqual({
        Projet: c.title,
        Montant: euros(2500),
        "Reçu envoyé à": email,
      });

      // The pending row, written before the session was opened.
      const pending = contributionBySession(sessionId);
      expect(pending).toMatchObject({
        status: "pending",
        amount_cents: 2500,
        reward_id: null,
        anonymous: 0,
        hide_amount: 0,
        public_name: name,
        message,
      });

      // A declined card: a French message, the session stays open, nothing counted.
      await page.getByRole("button", { name: "Simuler une carte refusée" }).click();
      await expect(page.getByRole("alert").filter({ hasText: DECLINED }).textContent()).resolves.toBe(
        DECLINED,
      );
      expect(page.url()).toBe(url(`/demo/checkout/${sessionId}`));
      expect(contributionBySession(sessionId)).toMatchObject({
        status: "pending",
        last_payment_error: "card_declined",
      });
      expect(ledgerEntriesOf(pending!.id)).toBe(0);
      const afterDecline = await snapshotIn(context, c.slug);
      expect(afterDecline.collectedCents).toBe(before.collectedCents);
      expect(afterDecline.contributorsHeading).toBe(before.contributorsHeading);
      expect(afterDecline.contributors).toEqual(before.contributors);

      // Pay (the session is still open).
      await payByCard(page, 2500);
      const thanks = new URL(page.url());
      expect(thanks.searchParams.get("session_id")).toBe(sessionId);
      await expect
        .poll(() => page.title(), { timeout: 5000 })
        .toBe("Merci pour votre contribution — Propulsons");
      const status = (await page.locator("main .outcome[role=status]").textContent()) ?? "";
      expect(status).toContain(`Votre paiement de ${euros(2500)} à «${NBSP}${c.title}${NBSP}» est confirmé`);
      const reference = /Référence\u00a0: (PRP-\d{6})\./.exec(status)?.[1];
      expect(reference).toBe(`PRP-${String(pending!.id).padStart(6, "0")}`);
      expect(normalize(await page.locator("main").textContent())).toContain("(adresse en @example.org)");
      expect(contributionBySession(sessionId)).toMatchObject({ status: "paid" });
      expect(ledgerEntriesOf(pending!.id)).toBe(1);

      // Back to the project: the total grew by exactly 25 €, the contribution tops the list.
      await page.getByRole("link", { name: `Revenir au projet « ${c.title} »` }).click();
      await page.waitForURL((u) => u.pathname === `/campagnes/${c.slug}`);
      const after = await snapshot(page);
      expect(after.collectedCents).toBe(before.collectedCents + 2500);
      expect(contributorsCount(after.contributorsHeading)).toBe(
        contributorsCount(before.contributorsHeading) + 1,
      );
      expect(after.contributors[0]).toEqual({ name, amount: normalize(euros(2500)), message });
      expect(after.stock).toEqual(before.stock);

      // The receipt and the project holder's notification.
      const receipt = await waitForMessage((m) => m.to.includes(email), `receipt for ${email}`);
      expect(receipt.subject).toBe(
        `Merci\u202f! Votre contribution à «${NBSP}${c.title}${NBSP}» est confirmée`,
      );
      expect(messageText(receipt)).toContain(normalize(euros(2500)));
      expect(messageText(receipt)).toContain(reference!);
      expect(receipt.html).toContain(reference!);
      const holder = await waitForMessage(
        (m) =>
          m.to.includes(c.holderEmail) &&
          m.subject === `Nouvelle contribution pour «${NBSP}${frenchText(c.title)}${NBSP}»` &&
          messageText(m).includes(name),
        `notification for the holder ${c.holderEmail}`,
      );
      expect(messageText(holder)).toContain(normalize(euros(2500)));
      expect(messageText(holder)).toContain(message);
      expect(messageText(holder)).not.toContain(email);
    });
  });
});

describe("contribution without JavaScript", () => {
  it("reward at its minimum, anonymous, amount hidden: plain HTML form → checkout → paid", async () => {
    const c = picked.noJs;
    const reward = c.reward;
    const email = "e2e.nojs@example.org";
    const message = "Un coup de pouce discret.";
    await withPage({ javaScriptEnabled: false }, async (page, context) => {
      const res = await page.goto(url(`/campagnes/${c.slug}`));
      expect(res?.status()).toBe(200);
      expect(await page.evaluate(() => "__remixRouter" in window)).toBe(false);
      const before = await snapshot(page);
      expect(before.stock.get(reward.title)).toBe(stockText(reward.remaining!, reward.stock!));
      const countersBefore = rewardCounters(reward.id);

      await fillContribution(page, {
        rewardTitle: reward.title,
        email,
        name: "Dominique Discrète",
        anonymous: true,
        hideAmount: true,
        message,
      });
      expect(await page.getByLabel("Montant en euros").inputValue()).toBe("");
      const sessionId = await submitToCheckout(page);
      // The reward's minimum is used.
      expect(await checkoutFigures(page)).toEqual({
        Projet: c.title,
        Montant: euros(reward.minimumCents),
        "Reçu envoyé à": email,
      });
      expect(contributionBySession(sessionId)).toMatchObject({
        status: "pending",
        amount_cents: reward.minimumCents,
        reward_id: reward.id,
        anonymous: 1,
        hide_amount: 1,
        message,
      });

      // A declined card without JavaScript: the page comes back with the message.
      await page.getByRole("button", { name: "Simuler une carte refusée" }).click();
      await page.waitForLoadState();
      await expect(page.getByRole("alert").filter({ hasText: DECLINED }).count()).resolves.toBe(1);
      expect((await snapshotIn(context, c.slug)).collectedCents).toBe(before.collectedCents);

      await payByCard(page, reward.minimumCents);
      const status = (await page.locator("main .outcome[role=status]").textContent()) ?? "";
      expect(status).toContain(
        `Votre paiement de ${euros(reward.minimumCents)} à «${NBSP}${c.title}${NBSP}» est confirmé`,
      );
      const reference = /Référence\u00a0: (PRP-\d{6})\./.exec(status)?.[1];
      expect(reference).toMatch(/^PRP-\d{6}$/);
      expect(normalize(await page.locator("main").textContent())).toContain(
        `la contrepartie « ${normalize(reward.title)} »`,
      );

      await page.getByRole("link", { name: `Revenir au projet « ${c.title} »` }).click();
      await page.waitForURL((u) => u.pathname === `/campagnes/${c.slug}`);
      const after = await snapshot(page);
      expect(after.collectedCents).toBe(before.collectedCents + reward.minimumCents);
      expect(contributorsCount(after.contributorsHeading)).toBe(
        contributorsCount(before.contributorsHeading) + 1,
      );
      expect(after.contributors[0]).toEqual({ name: "Anonyme", amount: "Montant masqué", message });
      expect(after.stock.get(reward.title)).toBe(stockText(reward.remaining! - 1, reward.stock!));
      // The form's radio label says so too.
      expect(normalize(await page.locator(`label[for="c-reward-${reward.id}"]`).textContent())).toMatch(
        new RegExp(`\\(${reward.remaining! - 1} restants?\\)$`),
      );
      const countersAfter = rewardCounters(reward.id);
      expect(countersAfter).toEqual({ held: countersBefore.held, sold: countersBefore.sold + 1 });
      // The anonymous contributor's name never reaches the public page.
      expect(await page.locator("main").textContent()).not.toContain("Dominique Discrète");

      const receipt = await waitForMessage((m) => m.to.includes(email), `receipt for ${email}`);
      expect(messageText(receipt)).toContain(reference!);
      expect(messageText(receipt)).toContain(normalize(euros(reward.minimumCents)));
      const holder = await waitForMessage(
        (m) =>
          m.to.includes(c.holderEmail) &&
          m.subject === `Nouvelle contribution pour «${NBSP}${frenchText(c.title)}${NBSP}»`,
        `notification for the holder ${c.holderEmail}`,
      );
      expect(messageText(holder)).toContain("Anonyme");
      expect(messageText(holder)).not.toContain("Dominique Discrète");
    });
  });

  it("invalid email and amount « 12,345 » → 400, French error summary, values kept, nothing recorded", async () => {
    const c = picked.validation;
    await withPage({ javaScriptEnabled: false }, async (page) => {
      const res = await page.goto(url(`/campagnes/${c.slug}`));
      expect(res?.status()).toBe(200);
      const before = await snapshot(page);
      const rowsBefore = contributionsOf(c.id);
      expect(await page.getByRole("alert").count()).toBe(0);

      const input = {
        amount: "12,345",
        email: "pas-une-adresse",
        name: "Alex Pressé",
        message: "Je tape vite, je me trompe.",
      };
      await fillContribution(page, input);
      const [response] = await Promise.all([
        page.waitForResponse(
          (r) => r.request().method() === "POST" && new URL(r.url()).pathname === `/campagnes/${c.slug}`,
        ),
        page.getByRole("button", { name: "Continuer vers le paiement sécurisé" }).click(),
      ]);
      expect(response.status()).toBe(400);
      await page.waitForLoadState();
      expect(new URL(page.url()).pathname).toBe(`/campagnes/${c.slug}`);

      const summary = page.getByRole("alert");
      expect(await summary.count()).toBe(1);
      expect(normalize(await summary.getByRole("heading").textContent())).toBe(
        "Le formulaire contient 2 erreurs",
      );
      const links = await summary
        .getByRole("link")
        .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href"), text: a.textContent })));
      expect(
        links
          .map((l) => ({ href: l.href, text: normalize(l.text) }))
          .sort((a, b) => a.href!.localeCompare(b.href!)),
      ).toEqual([
        {
          href: "#c-email",
          // The message names its field: the summary does not say « Adresse électronique » twice.
          text: "Adresse électronique invalide (exemple : prenom.nom@exemple.fr).",
        },
        {
          href: "#c-montant",
          text: "Montant invalide : indiquez un nombre d\u2019euros, avec au plus deux décimales (exemple : 25 ou 25,50).",
        },
      ]);
      // Each link leads to its field, which says it is invalid and points to its message.
      for (const field of ["montant", "email"]) {
        const target = page.locator(`#c-${field}`);
        expect(await target.evaluate((el) => el.tagName)).toBe("INPUT");
        expect(await target.getAttribute("aria-invalid")).toBe("true");
        expect((await target.getAttribute("aria-describedby"))?.split(" ")).toContain(`c-${field}-error`);
        expect(await page.locator(`#c-${field}-error`).count()).toBe(1);
      }
      expect(
        await page.getByLabel("Nom affiché sur la page du projet").getAttribute("aria-invalid"),
      ).toBeNull();
      await summary.getByRole("link", { name: /^Montant invalide :/ }).click();
      await page.waitForURL((u) => u.hash === "#c-montant");

      // What was typed is still there.
      expect(await page.getByLabel("Montant en euros").inputValue()).toBe(input.amount);
      expect(await page.getByLabel("Adresse électronique").inputValue()).toBe(input.email);
      expect(await page.getByLabel("Nom affiché sur la page du projet").inputValue()).toBe(input.name);
      expect(await page.getByLabel("Message de soutien (facultatif)").inputValue()).toBe(input.message);

      // Nothing recorded, nothing shown.
      expect(contributionsOf(c.id)).toBe(rowsBefore);
      const after = await snapshot(page);
      expect(after.collectedCents).toBe(before.collectedCents);
      expect(after.contributorsHeading).toBe(before.contributorsHeading);
      expect(after.contributors).toEqual(before.contributors);
    });
  });
});

describe("abandoned checkout", () => {
  it("holds one reward unit while the checkout is open and gives it back on « Abandonner le paiement »", async () => {
    const c = picked.abandon;
    const reward = c.reward;
    const email = "e2e.abandon@example.org";
    await withPage({}, async (page, context) => {
      const res = await page.goto(url(`/campagnes/${c.slug}`));
      expect(res?.status()).toBe(200);
      await waitForHydration(page);
      const before = await snapshot(page);
      const initial = stockText(reward.remaining!, reward.stock!);
      expect(before.stock.get(reward.title)).toBe(initial);
      const rowsBefore = contributionsOf(c.id);

      await fillContribution(page, { rewardTitle: reward.title, email, name: "Sam Hésitant" });
      const sessionId = await submitToCheckout(page);
      expect((await checkoutFigures(page)).Montant).toBe(euros(reward.minimumCents));
      expect(contributionsOf(c.id)).toBe(rowsBefore + 1);

      // While the checkout is open, one unit is held.
      const during = await snapshotIn(context, c.slug);
      expect(during.stock.get(reward.title)).toBe(stockText(reward.remaining! - 1, reward.stock!));
      expect(during.collectedCents).toBe(before.collectedCents);

      await page.getByRole("button", { name: "Abandonner le paiement" }).click();
      await page.waitForURL(
        (u) => u.pathname === `/campagnes/${c.slug}` && u.searchParams.get("paiement") === "annule",
      );
      expect(new URL(page.url()).hash).toBe("#contribuer");
      const after = await snapshot(page);
      expect(after.stock.get(reward.title)).toBe(initial);
      expect(after.stock).toEqual(before.stock);
      expect(after.collectedCents).toBe(before.collectedCents);
      expect(after.contributorsHeading).toBe(before.contributorsHeading);
      expect(after.contributors).toEqual(before.contributors);
      expect(contributionBySession(sessionId)).toMatchObject({ status: "expired" });

      // The session is over: its page no longer offers to pay.
      const again = await page.goto(url(`/demo/checkout/${sessionId}`));
      expect(again?.status()).toBe(200);
      expect(normalize(await page.locator("main").textContent())).toContain(
        "Cette session de paiement est terminée.",
      );
      expect(await page.getByRole("button", { name: /^Payer/ }).count()).toBe(0);
    });
  });
});

describe("accessibility of the contribution pages (axe, WCAG 2.1 A and AA)", () => {
  it("campaign page with the form has no axe violations", async () => {
    await withPage({}, async (page) => {
      const res = await page.goto(url(`/campagnes/${picked.axe.slug}`));
      expect(res?.status()).toBe(200);
      await waitForHydration(page);
      await page.locator("section#contribuer form").waitFor();
      await expectNoAxeViolations(page, "formulaire");
    });
  });

  it("campaign page showing validation errors has no axe violations", async () => {
    await withPage({}, async (page) => {
      const res = await page.goto(url(`/campagnes/${picked.axe.slug}`));
      expect(res?.status()).toBe(200);
      await waitForHydration(page);
      await fillContribution(page, {
        amount: "12,345",
        email: "pas-une-adresse",
        name: "Alex",
        message: "Message",
      });
      await page.getByRole("button", { name: "Continuer vers le paiement sécurisé" }).click();
      await page
        .getByRole("alert")
        .getByRole("heading", { name: "Le formulaire contient 2 erreurs" })
        .waitFor();
      await expectNoAxeViolations(page, "erreurs");
    });
  });

  it("demo checkout page and thank-you page have no axe violations", async () => {
    await withPage({}, async (page) => {
      const res = await page.goto(url(`/campagnes/${picked.axe.slug}`));
      expect(res?.status()).toBe(200);
      await waitForHydration(page);
      await fillContribution(page, { amount: "10", email: "e2e.axe@example.org", name: "Axe Vérifie" });
      await submitToCheckout(page);
      await waitForHydration(page);
      await expectNoAxeViolations(page, "paiement-demo");

      await page.getByRole("button", { name: "Simuler une carte refusée" }).click();
      await page.getByRole("alert").filter({ hasText: DECLINED }).waitFor();
      await expectNoAxeViolations(page, "paiement-demo-refuse");

      await payByCard(page, 1000);
      await waitForHydration(page);
      await expectNoAxeViolations(page, "merci");
    });
  });

  it("/dev/outbox has no axe violations", async () => {
    // The messages of the contribution above (or of the journeys before it).
    await waitForMessage((m) => m.to.length > 0, "message");
    await withPage({}, async (page) => {
      const res = await page.goto(url("/dev/outbox"));
      expect(res?.status()).toBe(200);
      await waitForHydration(page);
      expect(await page.locator("h1").textContent()).toBe("Boîte d\u2019envoi (mode démonstration)");
      expect(await page.locator("table tbody tr").count()).toBe(readOutbox(outboxFile).length);
      await expectNoAxeViolations(page, "boite-envoi");
    });
  });
});
