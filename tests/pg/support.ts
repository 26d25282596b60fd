/**
 * Helpers for the multi-server test (tests/pg/multi-server.test.ts): the campaigns it works on,
 * `npm run settle` child processes, the Stripe stand-in's shared log, polling with a deadline.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
export { readStripeLog, type StripeLog } from "../support/stripe-log";
import type { Database } from "#db/connection";
import { ROOT, type RunningServer } from "../support/server";

const TSX = path.join(ROOT, "node_modules/.bin/tsx");

export const HOLDER_ACCOUNT = "acct_multi_server_holder";

export interface Fixture {
  /** live campaign with the 10-unit reward (part 1) and the webhook race (part 2); settles funded (part 3) */
  fundedId: number;
  fundedSlug: string;
  rewardId: number;
  rewardMinimumCents: number;
  /** live campaign with paid contributions far below its goal; settles failed (part 3) */
  failedId: number;
  failedContributions: Array<{ id: number; pi: string; amount: number }>;
}

/**
 * Two structures and their live campaigns, written the way the app writes them (transitions
 * included). The failed campaign's contributions carry `pi_seed_…` payment intents, which the
 * Stripe stand-in accepts to refund in any process (it knows no other process's intents).
 */
export async function createFixture(
  db: Kysely<DB>,
  options: { stock: number; failedContributions: number },
): Promise<Fixture> {
  const now = Date.now();
  const created = new Date(now - 40 * 86_400_000).toISOString();
  const startsAt = new Date(now - 10 * 86_400_000).toISOString();
  const endsAt = new Date(now + 20 * 86_400_000).toISOString();

  const mkOrg = async (n: number, account: string | null) => {
    const user = await db
      .insertInto("users")
      .values({
        email: `porteur-multi${n}@example.org`,
        display_name: `Porteuse ${n}`,
        role: "holder",
        created_at: created,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return db
      .insertInto("organizations")
      .values({
        owner_user_id: user.id,
        name: `Coopérative ${n}`,
        legal_form: "association",
        registration_number: `W62200000${n}`,
        town: "Béthune",
        territory_id: 1,
        stripe_account_id: account,
        stripe_payouts_enabled: account ? 1 : 0,
        created_at: created,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
  };
  const mkCampaign = async (orgId: number, slug: string, title: string, goalCents: number) => {
    const c = await db
      .insertInto("campaigns")
      .values({
        organization_id: orgId,
        slug,
        title,
        summary: "Un projet de l'économie sociale et solidaire du Pas-de-Calais.",
        story_md: "Notre histoire.",
        goal_cents: goalCents,
        starts_at: startsAt,
        ends_at: endsAt,
        territory_id: 1,
        theme_id: 1,
        budget_citoyen_year: null,
        expected_results_md: "- des résultats",
        timetable_md: "- un calendrier",
        image_path: null,
        status: "live",
        created_at: created,
        updated_at: startsAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const steps: Array<[string | null, string, string, string]> = [
      [null, "draft", "create", "holder"],
      ["draft", "submitted", "submit", "holder"],
      ["submitted", "approved", "approve", "staff"],
      ["approved", "live", "start", "system"],
    ];
    await db
      .insertInto("campaign_transitions")
      .values(
        steps.map(([from, to, event, actor], i) => ({
          campaign_id: c.id,
          from_status: from as never,
          to_status: to as never,
          event: event as never,
          actor_user_id: null,
          actor_role: actor,
          reason: null,
          at: i === 3 ? startsAt : created,
        })),
      )
      .execute();
    return c.id;
  };

  const fundedOrg = await mkOrg(1, HOLDER_ACCOUNT);
  const failedOrg = await mkOrg(2, null);
  const fundedSlug = "gourdes-solidaires-multi";
  const fundedId = await mkCampaign(fundedOrg.id, fundedSlug, "Gourdes solidaires", 50_000);
  const rewardMinimumCents = 2_500;
  const reward = await db
    .insertInto("rewards")
    .values({
      campaign_id: fundedId,
      position: 1,
      title: "Gourde gravée",
      description: "Une gourde en inox, gravée.",
      minimum_cents: rewardMinimumCents,
      stock: options.stock,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const failedId = await mkCampaign(
    failedOrg.id,
    "tiers-lieu-trop-ambitieux",
    "Tiers-lieu trop ambitieux",
    100_000_000,
  );

  const paidAt = new Date(now - 5 * 86_400_000).toISOString();
  const rows = Array.from({ length: options.failedContributions }, (_, i) => ({
    campaign_id: failedId,
    user_id: null,
    email: `soutien${i}@example.org`,
    public_name: `Soutien ${i}`,
    amount_cents: 500 + ((i * 7919) % 9500),
    reward_id: null,
    anonymous: 0 as const,
    hide_amount: 0 as const,
    message: null,
    status: "paid" as const,
    stripe_checkout_session_id: null,
    stripe_payment_intent_id: `pi_seed_multi_${failedId}_${i}`,
    stripe_refund_id: null,
    created_at: paidAt,
    paid_at: paidAt,
    updated_at: paidAt,
    checkout_expires_at: null,
  }));
  const inserted = await db
    .insertInto("contributions")
    .values(rows)
    .returning(["id", "stripe_payment_intent_id", "amount_cents"])
    .execute();
  await db
    .insertInto("ledger_entries")
    .values(
      inserted.map((r) => ({
        campaign_id: failedId,
        contribution_id: r.id,
        kind: "contribution_paid" as const,
        amount_cents: r.amount_cents,
        at: paidAt,
      })),
    )
    .execute();
  return {
    fundedId,
    fundedSlug,
    rewardId: reward.id,
    rewardMinimumCents,
    failedId,
    failedContributions: inserted.map((r) => ({
      id: r.id,
      pi: r.stripe_payment_intent_id!,
      amount: r.amount_cents,
    })),
  };
}

// ---------------------------------------------------------------------------

export interface SettleRun {
  code: number | null;
  ms: number;
  /** ms after spawn of its first line (start-up: tsx, imports, database opened) and of its report */
  firstLineMs: number | null;
  reportMs: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run settle -- --now <now>` (the same script, run by tsx directly), as cron would on one more machine. */
export function runSettle(env: Record<string, string>, now: Date): Promise<SettleRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const childEnv: Record<string, string> = {};
    for (const k of ["PATH", "HOME", "TMPDIR", "LANG", "TZ"])
      if (process.env[k] !== undefined) childEnv[k] = process.env[k]!;
    const child = spawn(TSX, ["scripts/settle.ts", "--now", now.toISOString()], {
      cwd: ROOT,
      env: { ...childEnv, ...env } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let firstLineMs: number | null = null;
    let reportMs: number | null = null;
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      firstLineMs ??= performance.now() - started;
      if (reportMs === null && stdout.includes("Bilan :")) reportMs = performance.now() - started;
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code, ms: performance.now() - started, firstLineMs, reportMs, stdout, stderr }),
    );
  });
}

// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------

/** Poll `check` until it returns a value (not undefined), or fail with `describe()` after `ms`. */
export async function waitFor<T>(
  what: string,
  ms: number,
  check: () => Promise<T | undefined>,
  describe?: () => Promise<string>,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${ms} ms waiting for ${what}${describe ? `: ${await describe()}` : ""}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** « 25,00 » for 2500 cents: an amount as a French citizen types it. */
export function euros(cents: number): string {
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, "0")}`;
}

/** The end of a multi-server test file: its servers stopped, its database closed and dropped, its files removed. */
export async function tearDown(parts: {
  servers: RunningServer[];
  database: Database | undefined;
  tmp: { cleanup: () => void } | undefined;
  dir: string | undefined;
}): Promise<void> {
  await Promise.all(parts.servers.map((s) => s.stop()));
  await parts.database?.close();
  parts.tmp?.cleanup();
  if (parts.dir) fs.rmSync(parts.dir, { recursive: true, force: true });
}
