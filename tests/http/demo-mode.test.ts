/**
 * Demo mode across processes, against the built server (`npm run build` first): the
 * Stripe stand-in (app/demo/stripe-api.server.ts) keeps its state in a file beside the
 * database, so what the server did (a Checkout Session created by the contribution
 * form, paid on the demo checkout page) is seen by `npm run settle` and
 * `npm run campaign:cancel` run as separate processes on the same data folder: they
 * refund the PaymentIntent instead of answering « No such payment_intent ».
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDatabaseFile } from "../support/db";
import { freePort, ROOT, startServer, type RunningServer } from "../support/server";
import { readStripeLog } from "../support/stripe-log";

const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const DAY = 24 * 3600_000;
/** SETTLE_GRACE_DAYS's default: a campaign settles that long after its deadline */
const GRACE_DAYS = 5;

let dir = "";
let dbFile = "";
let outbox = "";
let publicUrl = "";
let server: RunningServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-demo-mode-"));
  dbFile = path.join(dir, "propulsons.sqlite");
  outbox = path.join(dir, "demo-outbox.jsonl");
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  // No Stripe key: demo mode. Seeded on first start; no settlement pass inside the server.
  server = await startServer(
    {
      DATABASE_PATH: dbFile,
      DEMO_OUTBOX_PATH: outbox,
      PUBLIC_URL: publicUrl,
      SEED_DEMO_DATA: "true",
      SETTLE_INTERVAL_SECONDS: "0",
    },
    { port },
  );
});

afterAll(async () => {
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function withDb<T>(fn: (db: SQLite.Database) => T): T {
  return withDatabaseFile(dbFile, fn);
}

/** The same data folder as the server, as a terminal beside `npm start` would have it. */
function cliEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of ["PATH", "HOME", "TMPDIR", "LANG", "TZ"])
    if (process.env[k] !== undefined) env[k] = process.env[k]!;
  // Paced faster than the defaults so that the seeded contributions are refunded and e-mailed in seconds.
  return {
    ...env,
    DATABASE_PATH: dbFile,
    DEMO_OUTBOX_PATH: outbox,
    PUBLIC_URL: publicUrl,
    REFUND_RATE_PER_SECOND: "400",
    EMAIL_RATE_PER_SECOND: "1000",
  };
}

function runScript(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, args, {
      cwd: ROOT,
      env: cliEnv() as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += String(d)));
    child.stderr.on("data", (d: Buffer) => (output += String(d)));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output }));
  });
}

interface CampaignRow {
  id: number;
  slug: string;
  ends_at: string;
  goal_cents: number;
  paid_cents: number;
}

function liveCampaigns(): CampaignRow[] {
  const soon = new Date(Date.now() + 2 * 3600_000).toISOString();
  return withDb(
    (db) =>
      db
        .prepare(
          `select c.id, c.slug, c.ends_at, c.goal_cents,
                  coalesce((select sum(k.amount_cents) from contributions k where k.campaign_id = c.id and k.status = 'paid'), 0)
                  -- the abondement counts towards the goal too (a matched payment may add up to 10 € more)
                  + coalesce((select sum(m.reserved_cents + m.confirmed_cents) from matching_fund_campaigns m where m.campaign_id = c.id), 0)
                  + case when c.budget_citoyen_year is not null or exists (select 1 from matching_fund_campaigns m where m.campaign_id = c.id) then 1000 else 0 end paid_cents
             from campaigns c
            where c.status = 'live' and c.starts_at <= ? and c.ends_at > ?
            order by c.ends_at, c.id`,
        )
        .all(new Date().toISOString(), soon) as CampaignRow[],
  );
}

function contribution(id: number): {
  status: string;
  stripe_payment_intent_id: string | null;
  stripe_refund_id: string | null;
} {
  return withDb(
    (db) =>
      db
        .prepare("select status, stripe_payment_intent_id, stripe_refund_id from contributions where id = ?")
        .get(id) as {
        status: string;
        stripe_payment_intent_id: string | null;
        stripe_refund_id: string | null;
      },
  );
}

/** Contribute 10 € through the real form, then pay on the demo checkout page. */
async function contributeAndPay(
  slug: string,
  who: string,
): Promise<{ contributionId: number; paymentIntent: string }> {
  const opened = await fetch(`${server.url}/campagnes/${slug}`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: server.url },
    body: new URLSearchParams({
      montant: "10,00",
      contrepartie: "",
      email: `${who}@example.org`,
      nom: `Citoyenne ${who}`,
    }),
  });
  const openedBody = await opened.text();
  expect(opened.status, openedBody.slice(0, 500)).toBe(303);
  const location = opened.headers.get("location") ?? "";
  const sessionId = /\/demo\/checkout\/(cs_test_[a-f0-9]+)$/.exec(location)?.[1];
  expect(sessionId, location).toBeDefined();

  const page = await fetch(`${server.url}/demo/checkout/${sessionId}`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Mode démonstration — aucun paiement réel");

  const paid = await fetch(`${server.url}/demo/checkout/${sessionId}`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: server.url },
    body: new URLSearchParams({ intent: "pay" }),
  });
  await paid.arrayBuffer();
  expect([302, 303]).toContain(paid.status);
  expect(paid.headers.get("location")).toContain("/contribution/merci");

  const row = withDb(
    (db) =>
      db
        .prepare(
          "select id, status, stripe_payment_intent_id from contributions where stripe_checkout_session_id = ?",
        )
        .get(sessionId) as
        { id: number; status: string; stripe_payment_intent_id: string | null } | undefined,
  );
  expect(row, "the contribution the form opened").toBeDefined();
  expect(row!.status, "paid once the demo checkout's webhooks arrived").toBe("paid");
  expect(row!.stripe_payment_intent_id).toMatch(/^pi_/);
  return { contributionId: row!.id, paymentIntent: row!.stripe_payment_intent_id! };
}

/** What the stand-in recorded, from every process, about one contribution's refund. */
function refundsOf(contributionId: number, paymentIntent: string) {
  const log = readStripeLog(path.join(dir, "demo-stripe.jsonl"));
  return {
    keyed: log.idempotentKeys.filter((k) => k === `POST /v1/refunds:refund:${contributionId}`).length,
    refunds: log.refunds
      .filter((r) => r.payment_intent === paymentIntent)
      .map((r) => ({ status: r.status, contribution: r.metadata.contribution_id })),
  };
}

describe("demo mode: the Stripe stand-in's state is shared by the server and the command-line tools", () => {
  it("`npm run settle` in another process refunds a payment made on the server's demo checkout", async () => {
    // The live campaign ending first that 10 € more cannot fund: it fails at its deadline.
    const campaign = liveCampaigns().find((c) => c.paid_cents + 1000 < c.goal_cents);
    expect(campaign, "a live seeded campaign below its goal").toBeDefined();
    const { contributionId, paymentIntent } = await contributeAndPay(campaign!.slug, "demo-settle");

    const now = new Date(new Date(campaign!.ends_at).getTime() + GRACE_DAYS * DAY + 60_000).toISOString();
    const run = await runScript(["scripts/settle.ts", "--now", now]);
    expect(run.output, "no payment the stand-in does not know").not.toContain("No such payment_intent");
    expect(run.code, run.output).toBe(0);

    const status = withDb(
      (db) =>
        (db.prepare("select status from campaigns where id = ?").get(campaign!.id) as { status: string })
          .status,
    );
    expect(status, run.output).toBe("failed");
    expect(contribution(contributionId).status, run.output).toBe("refunded");
    expect(refundsOf(contributionId, paymentIntent)).toEqual({
      keyed: 1,
      refunds: [{ status: "succeeded", contribution: String(contributionId) }],
    });
    // The seeded contributions of that campaign (pre-existing demo payments) are refunded too.
    const left = withDb((db) =>
      db
        .prepare(
          "select status, count(*) n from contributions where campaign_id = ? and status in ('paid', 'refunding', 'refund_failed') group by status",
        )
        .all(campaign!.id),
    );
    expect(left).toEqual([]);
  }, 120_000);

  it("`npm run campaign:cancel` in another process refunds a payment made on the server's demo checkout", async () => {
    // The live campaign ending last: untouched by the settlement above.
    const campaign = liveCampaigns().at(-1);
    expect(campaign).toBeDefined();
    const { contributionId, paymentIntent } = await contributeAndPay(campaign!.slug, "demo-cancel");

    const run = await runScript([
      "scripts/cancel-campaign.ts",
      campaign!.slug,
      "--reason",
      "La structure renonce au projet (test).",
    ]);
    expect(run.output).not.toContain("No such payment_intent");
    expect(run.code, run.output).toBe(0);

    const status = withDb(
      (db) =>
        (db.prepare("select status from campaigns where id = ?").get(campaign!.id) as { status: string })
          .status,
    );
    expect(status, run.output).toBe("cancelled");
    expect(contribution(contributionId).status, run.output).toBe("refunded");
    expect(refundsOf(contributionId, paymentIntent)).toEqual({
      keyed: 1,
      refunds: [{ status: "succeeded", contribution: String(contributionId) }],
    });
  }, 120_000);
});
