/**
 * Settlement seen by a citizen: the demo campaigns are settled by the real
 * command (`npm run settle -- --now …`, a separate process on the same database)
 * while the server runs; the pages show the outcome and the e-mails are in the
 * outbox. axe checks the outcome pages.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOutbox } from "~/demo/resend-api.server";
import { launchChromium } from "../support/browser";
import { tempDatabasePath } from "../support/db";
import { analyzeAxe, RESULTS_DIR } from "../support/e2e";
import { ROOT, startServer, type RunningServer } from "../support/server";

const run = promisify(execFile);
let server: RunningServer;
let browser: Browser;
let tmp: ReturnType<typeof tempDatabasePath>;
let outbox = "";
let env: Record<string, string>;

interface Row {
  id: number;
  slug: string;
  title: string;
  goal_cents: number;
  ends_at: string;
  paid: number;
  /** abondement reserved for the campaign: counts towards the goal (docs/product-rules.md) */
  matched: number;
}
let campaigns: Row[] = [];

beforeAll(async () => {
  tmp = tempDatabasePath("e2e-settle");
  outbox = path.join(path.dirname(tmp.file), "outbox.jsonl");
  env = {
    DATABASE_PATH: tmp.file,
    DEMO_OUTBOX_PATH: outbox,
    SETTLE_INTERVAL_SECONDS: "0",
    EMAIL_WORKER_INTERVAL_SECONDS: "1",
    // The demo Stripe has no rate limit; the default pacing (Stripe's live limit) would only slow the test.
    REFUND_RATE_PER_SECOND: "500",
    EMAIL_RATE_PER_SECOND: "500",
  };
  server = await startServer(env);
  const db = new Database(tmp.file, { readonly: true });
  campaigns = db
    .prepare(
      `select c.id, c.slug, c.title, c.goal_cents, c.ends_at,
              (select coalesce(sum(amount_cents), 0) from contributions k where k.campaign_id = c.id and k.status = 'paid') paid,
              (select coalesce(sum(mfc.reserved_cents + mfc.confirmed_cents), 0) from matching_fund_campaigns mfc where mfc.campaign_id = c.id) matched
         from campaigns c where c.status = 'live' order by c.ends_at`,
    )
    .all() as Row[];
  db.close();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  tmp?.cleanup();
});

describe("settlement at the deadline", () => {
  it("settles every running campaign with `npm run settle -- --now …`, and the pages show the outcome", async () => {
    expect(campaigns.length).toBeGreaterThanOrEqual(2);
    const last = campaigns.at(-1)!;
    const after = new Date(new Date(last.ends_at).getTime() + 3600_000).toISOString();
    const { stdout } = await run(
      path.join(ROOT, "node_modules/.bin/tsx"),
      ["scripts/settle.ts", "--now", after],
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
      },
    );
    expect(stdout).toContain("(instant simulé)");
    expect(stdout).toMatch(/Bilan : .*\b0 erreur\./);

    const funded = campaigns.filter((c) => c.paid + c.matched >= c.goal_cents);
    const failed = campaigns.filter((c) => c.paid + c.matched < c.goal_cents);
    expect(funded.length).toBeGreaterThan(0);
    expect(failed.length).toBeGreaterThan(0);
    for (const c of funded) expect(stdout).toContain(`Réussie : « ${c.title} »`);
    for (const c of failed) expect(stdout).toContain(`Non financée : « ${c.title} »`);

    const context = await browser.newContext();
    const page = await context.newPage();
    for (const c of funded) {
      const res = await page.goto(`${server.url}/campagnes/${c.slug}`);
      expect(res?.status()).toBe(200);
      expect(await page.locator(".outcome--funded h2").textContent()).toBe("Campagne réussie");
      expect(await page.locator("#contribuer").count()).toBe(0);
      const axe = await analyzeAxe(page);
      expect(axe.violations.map((v) => v.id)).toEqual([]);
    }
    for (const c of failed) {
      await page.goto(`${server.url}/campagnes/${c.slug}`);
      expect(await page.locator(".outcome--failed h2").textContent()).toBe(
        "Campagne non financée — tous les contributeurs sont remboursés",
      );
      expect(await page.locator("#contribuer").count()).toBe(0);
    }
    const list = await page.goto(`${server.url}/campagnes?statut=en-cours`);
    expect(list?.status()).toBe(200);
    expect((await page.locator(".results-count").textContent())?.trim()).toBe("0 projet trouvé");
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    await page.goto(`${server.url}/campagnes/${failed[0]!.slug}`);
    await page.screenshot({ path: path.join(RESULTS_DIR, "settled-failed.png"), fullPage: false });
    const axe = await analyzeAxe(page);
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    await context.close();

    // The e-mails of the outcome went out: « Objectif atteint ! » and the refund notices.
    const messages = readOutbox(outbox);
    const db = new Database(tmp.file, { readonly: true });
    for (const c of failed.slice(0, 2)) {
      const emails = db
        .prepare("select distinct email from contributions where campaign_id = ?")
        .pluck()
        .all(c.id) as string[];
      for (const email of emails) {
        expect(
          messages.some((m) => m.to.includes(email) && m.subject.includes("vous allez être remboursé")),
          `refund notice to ${email}`,
        ).toBe(true);
      }
      const statuses = db
        .prepare("select distinct status from contributions where campaign_id = ? and paid_at is not null")
        .pluck()
        .all(c.id);
      expect(statuses).toEqual(["refunded"]);
    }
    for (const c of funded) {
      const emails = db
        .prepare("select distinct email from contributions where campaign_id = ?")
        .pluck()
        .all(c.id) as string[];
      expect(
        emails.every((email) =>
          messages.some((m) => m.to.includes(email) && m.subject.startsWith("Objectif atteint\u202f!")),
        ),
      ).toBe(true);
      const payout = db
        .prepare(
          `select p.status, p.gross_cents, p.commission_cents, p.amount_cents, o.stripe_account_id
             from payouts p join campaigns c on c.id = p.campaign_id join organizations o on o.id = c.organization_id
            where p.campaign_id = ? and p.kind = 'main'`,
        )
        .get(c.id) as {
        status: string;
        gross_cents: number;
        commission_cents: number;
        amount_cents: number;
        stripe_account_id: string | null;
      };
      // Paid when the holder has a connected account; « virement en attente » otherwise.
      expect(payout.status).toBe(payout.stripe_account_id ? "paid" : "pending");
      expect(payout.gross_cents).toBe(c.paid);
      expect(payout.commission_cents + payout.amount_cents).toBe(c.paid);
    }
    db.close();
  });
});
