/**
 * Browser test of the tax-receipt forms: a holder declares their association (status, address,
 * RNA, signer, signature image, mandate), staff verify it in the back office, and a citizen asks
 * for a receipt on the contribution form and sees, live, what the gift costs after the tax
 * reduction, then the exact figure on the (demo) payment page. axe (WCAG 2.1 A/AA) checks every
 * new form at 390 and 1366 px; screenshots land in test-results/.
 *
 * Then the citizen pays, the campaign reaches its goal with one more gift, the real settlement
 * command (`scripts/settle.ts --now …`, a separate process on the same database) funds it and
 * issues the receipt, and the citizen downloads it from « Mes contributions »: its text is read
 * back from the PDF.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STAFF_EMAIL } from "#db/seed/seed";
import {
  axeChecker,
  codeOf,
  launchBrowser,
  normalize,
  pageHelpers,
  RESULTS_DIR,
  signInMessagesTo,
  startServerWithOutbox,
  waitForHydration,
} from "../support/e2e";
import { pdfText } from "../support/pdf-text";
import { ROOT, type RunningServer } from "../support/server";

const run = promisify(execFile);

let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database | undefined;
let outboxFile = "";
let cleanup: () => void = () => {};
let holderEmail = "";
let slug = "";
let orgId = 0;
let signatureFile = "";
let databaseFile = "";
let endsAt = "";

const { url, withPage } = pageHelpers({
  server: () => server,
  browser: () => browser,
  defaultTimeout: 15_000,
});
const axe = axeChecker("receipts");
const WIDTHS = [390, 1366] as const;

beforeAll(async () => {
  const started = await startServerWithOutbox("e2e-receipts", { SETTLE_INTERVAL_SECONDS: "0" });
  server = started.server;
  outboxFile = started.outboxFile;
  cleanup = started.cleanup;
  databaseFile = started.databaseFile;
  sqlite = new Database(started.databaseFile, { readonly: true });
  sqlite.pragma("busy_timeout = 5000");
  const row = sqlite
    .prepare(
      `select o.id, c.slug, u.email, c.ends_at from campaigns c join organizations o on o.id = c.organization_id
       join users u on u.id = o.owner_user_id
       where c.status = 'live' and o.legal_form = 'association'
         and (select count(*) from organizations o2 where o2.owner_user_id = o.owner_user_id) = 1
       order by c.id limit 1`,
    )
    .get() as { id: number; slug: string; email: string; ends_at: string };
  endsAt = row.ends_at;
  orgId = row.id;
  slug = row.slug;
  holderEmail = row.email;
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  signatureFile = path.join(path.dirname(started.databaseFile), "signature.png");
  await sharp({
    create: { width: 400, height: 120, channels: 3, background: "#ffffff" },
  })
    .composite([
      {
        input: Buffer.from(
          '<svg width="400" height="120"><path d="M20 90 C 80 10, 140 110, 200 50 S 320 20, 380 80" stroke="#123" stroke-width="6" fill="none"/></svg>',
        ),
      },
    ])
    .png()
    .toFile(signatureFile);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  sqlite?.close();
  await server?.stop();
  cleanup();
});

const db = () => sqlite!;

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(url("/connexion"));
  await waitForHydration(page);
  const known = signInMessagesTo(outboxFile, email).length;
  await page.getByLabel("Adresse électronique").fill(email);
  await page.getByRole("button", { name: "Recevoir mon lien de connexion" }).click();
  await page.getByRole("heading", { level: 1, name: "Saisissez votre code" }).waitFor();
  const deadline = Date.now() + 10_000;
  let messages = signInMessagesTo(outboxFile, email);
  while (messages.length <= known) {
    if (Date.now() > deadline) throw new Error(`no sign-in e-mail for ${email}`);
    await new Promise((r) => setTimeout(r, 100));
    messages = signInMessagesTo(outboxFile, email);
  }
  await page.getByLabel("Code reçu par courriel (6 chiffres)").fill(codeOf(messages.at(-1)!));
  await page.getByRole("button", { name: "Me connecter" }).click();
  await page.waitForURL((u) => u.pathname === "/mon-compte");
}

async function axeAtWidths(page: Page, name: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await axe(page, `${name}-${width}`);
  }
}

describe("the tax-receipt path in a browser", () => {
  it("a holder declares, with the mandate and the signature image", async () => {
    await withPage({}, async (page) => {
      await signIn(page, holderEmail);
      await page.goto(url("/porteur/structure"));
      await page.getByRole("link", { name: "Ma structure peut émettre des reçus fiscaux" }).click();
      await page.getByRole("heading", { level: 1, name: "Reçus fiscaux" }).waitFor();
      await waitForHydration(page);
      await page.getByLabel("Statut de la structure").selectOption("interet_general");
      // The article follows the status (JavaScript).
      expect(await page.getByLabel("Article du code général des impôts").inputValue()).toBe("200-1-b");
      await page.getByRole("button", { name: "Envoyer la déclaration" }).click();
      await page.locator(".error-summary").waitFor();
      expect(normalize(await page.locator(".error-summary").textContent())).toContain("Cochez la case");
      await axeAtWidths(page, "declaration-errors");
      await page
        .getByLabel("Objet de la structure")
        .fill("Aide alimentaire et lien social dans le bassin minier");
      await page.getByLabel("Adresse du siège (numéro et voie)").fill("12 rue de la République");
      await page.getByLabel("Code postal").fill("62800");
      await page.getByLabel("Commune").fill("Liévin");
      await page.getByLabel("Numéro RNA").fill("W623001234");
      await page.getByLabel("Nom de la personne qui signe les reçus").fill("Claire Dupont");
      await page.getByLabel("Qualité du signataire").fill("Présidente");
      await page.getByLabel("Image de la signature").setInputFiles(signatureFile);
      await page.getByLabel("J’ai lu ce mandat et je le donne à Propulsons au nom de ma structure.").check();
      await page.getByRole("button", { name: "Envoyer la déclaration" }).click();
      await page.getByText("Déclaration enregistrée.").waitFor();
      await page.getByRole("img", { name: /Signature enregistrée/ }).waitFor();
      await axeAtWidths(page, "declaration-saved");
    });
    expect(
      db().prepare("select status from receipt_profiles where organization_id = ?").pluck().get(orgId),
    ).toBe("declared");
  });

  it("staff verify the declaration from the back office", async () => {
    await withPage({}, async (page) => {
      await signIn(page, DEMO_STAFF_EMAIL);
      await page.goto(url("/gestion"));
      await page.getByRole("link", { name: "Voir les déclarations" }).click();
      await page.getByRole("heading", { level: 1, name: "Déclarations de reçus fiscaux" }).waitFor();
      await axeAtWidths(page, "staff-list");
      await page.locator(`a[href="/gestion/recus-fiscaux/${orgId}"]`).click();
      await page.getByRole("img", { name: /Signature de Claire Dupont/ }).waitFor();
      expect(normalize(await page.locator("main").textContent())).toContain("Je donne mandat à Propulsons");
      await axeAtWidths(page, "staff-declaration");
      await page.getByRole("button", { name: "Vérifier", exact: true }).click();
      await page
        .getByText("Vérifiée : les reçus peuvent être émis".replace(" :", "\u00a0:"))
        .first()
        .waitFor();
    });
    expect(
      db().prepare("select status from receipt_profiles where organization_id = ?").pluck().get(orgId),
    ).toBe("verified");
  });

  it("a citizen asks for a receipt and sees the reduction before paying", async () => {
    await withPage({}, async (page) => {
      await page.goto(url(`/campagnes/${slug}`));
      await waitForHydration(page);
      const preview = page.locator("#c-recu-preview");
      expect(normalize(await preview.textContent())).toContain("Par exemple");
      await page.getByLabel("Montant en euros").fill("100");
      await expect
        .poll(async () => normalize(await preview.textContent()))
        .toContain("Votre don de 100 € vous coûte 34 € après réduction d’impôt.");
      await page.getByLabel("Montant en euros").fill("250");
      await expect
        .poll(async () => normalize(await preview.textContent()))
        .toContain("Votre don de 250 € vous coûte 85 € après réduction d’impôt.");
      await page.getByLabel("Montant en euros").fill("100");
      await page.getByLabel("Je souhaite un reçu fiscal").check();
      await page.getByLabel("Adresse électronique").fill("donatrice@example.org");
      await page.getByLabel("Nom affiché sur la page du projet").fill("Léa");
      await page.getByRole("button", { name: "Continuer vers le paiement sécurisé" }).click();
      await page.locator(".error-summary").waitFor();
      expect(normalize(await page.locator(".error-summary").textContent())).toContain(
        "Indiquez votre prénom",
      );
      await page.setViewportSize({ width: 390, height: 900 });
      await axe(page, "contribution-errors-390");
      await page.setViewportSize({ width: 1366, height: 900 });
      await axe(page, "contribution-errors-1366");
      await page.getByLabel("Prénom").fill("Léa");
      await page.getByLabel("Nom de famille").fill("Martin");
      await page.getByLabel("Adresse (numéro et voie)").fill("3 rue des Lilas");
      await page.getByLabel("Code postal").fill("62300");
      await page.getByLabel("Commune").fill("Lens");
      await page.getByRole("button", { name: "Continuer vers le paiement sécurisé" }).click();
      await page.waitForURL((u) => u.pathname.startsWith("/demo/checkout/"));
      // A client-side navigation: the address changes before the new page is rendered.
      await page.getByRole("heading", { level: 1, name: "Paiement de votre contribution" }).waitFor();
      expect(normalize(await page.locator("main").textContent()), page.url()).toContain(
        "Vous avez demandé un reçu fiscal. Votre don de 100 € vous coûte 34 € après réduction d’impôt.",
      );
      await axeAtWidths(page, "checkout");
    });
    expect(db().prepare("select count(*) from receipt_requests").pluck().get()).toBe(1);
  });

  it("once the campaign is funded, the citizen downloads the receipt from « Mes contributions »", async () => {
    const campaign = db()
      .prepare(
        `select c.id, c.goal_cents,
                (select coalesce(sum(amount_cents), 0) from contributions k
                  where k.campaign_id = c.id and k.status = 'paid') paid
           from campaigns c where c.slug = ?`,
      )
      .get(slug) as { id: number; goal_cents: number; paid: number };
    const requested = db()
      .prepare(
        `select k.stripe_checkout_session_id from contributions k
           join receipt_requests r on r.contribution_id = k.id where k.campaign_id = ?`,
      )
      .pluck()
      .get(campaign.id) as string;
    await withPage({}, async (page) => {
      // The citizen pays the 100 € of the previous step on the (demo) payment page.
      await page.goto(url(`/demo/checkout/${requested}`));
      await page.getByRole("button", { name: /^Payer 100/ }).click();
      await page.waitForURL((u) => u.pathname === "/contribution/merci");
      expect(normalize(await page.locator("main").textContent())).toContain("reçu fiscal");
      // Someone else gives what the goal still lacks, without a receipt.
      const missingEuros = Math.ceil((campaign.goal_cents - campaign.paid - 100_00) / 100);
      expect(missingEuros).toBeGreaterThan(0);
      await page.goto(url(`/campagnes/${slug}`));
      await page.getByLabel("Montant en euros").fill(String(missingEuros));
      await page.getByLabel("Adresse électronique").fill("mecene@example.org");
      await page.getByLabel("Nom affiché sur la page du projet").fill("Un mécène");
      await page.getByRole("button", { name: "Continuer vers le paiement sécurisé" }).click();
      await page.waitForURL((u) => u.pathname.startsWith("/demo/checkout/"));
      await page
        .getByRole("button", { name: /^Payer / })
        .first()
        .click();
      await page.waitForURL((u) => u.pathname === "/contribution/merci");
    });

    // The deadline passes: the real settlement command funds the campaign and issues the receipt.
    const after = new Date(new Date(endsAt).getTime() + 3600_000).toISOString();
    const { stdout } = await run(
      path.join(ROOT, "node_modules/.bin/tsx"),
      ["scripts/settle.ts", "--now", after],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_PATH: databaseFile, DEMO_OUTBOX_PATH: outboxFile },
      },
    );
    expect(stdout).toMatch(/Bilan : .*\b0 erreur\./);
    expect(db().prepare("select status from campaigns where id = ?").pluck().get(campaign.id)).toBe("funded");
    const receipt = db()
      .prepare(
        `select r.id, r.order_number, r.status from receipts r
           join contributions k on k.id = r.contribution_id where k.campaign_id = ?`,
      )
      .all(campaign.id) as Array<{ id: number; order_number: string; status: string }>;
    expect(receipt, stdout).toHaveLength(1);
    expect(receipt[0]!.status).toBe("issued");
    expect(receipt[0]!.order_number).toMatch(/^\d{4}-0001$/);

    await withPage({}, async (page) => {
      await signIn(page, "donatrice@example.org");
      await page.goto(url("/mon-compte/contributions"));
      await page.locator('a[href^="/mon-compte/contributions/"]').first().click();
      const link = page.getByRole("link", { name: "Télécharger le reçu fiscal (PDF)" });
      await link.waitFor();
      await axeAtWidths(page, "my-contribution-with-receipt");
      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      const file = await download.path();
      const bytes = fs.readFileSync(file);
      expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
      const { text } = await pdfText(bytes);
      expect(text).toContain(receipt[0]!.order_number);
      expect(text).toContain("MARTIN Léa");
      expect(text).toContain("3 rue des Lilas, 62300 Lens");
      expect(text).toContain("***100,00***");
      expect(text).toContain("cent euros");
      expect(text).toContain("200-1-b");
      expect(text).toContain("Claire Dupont");
    });
    // The donor was told by e-mail, once, after the receipt existed.
    const lines = fs
      .readFileSync(outboxFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { to: string[] | string; subject: string });
    const told = lines.filter(
      (m) => String(m.to).includes("donatrice@example.org") && m.subject.startsWith("Votre reçu fiscal de"),
    );
    expect(told).toHaveLength(1);
  });
});
