/**
 * `npm run backup` (scripts/backup.ts) against the built server under load: payments arrive
 * through the real webhook path (signed events, another process) while the backup is taken; the
 * copy, restored into a fresh file and opened with the app's own code, reconciles, and holds every
 * payment the server had confirmed before the backup started. Plus: never overwriting a file
 * without --force, and the pg_dump advice on PostgreSQL (no password printed).
 * SQLite only (the PostgreSQL branch prints a command; it does not need a server).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "#db/connection";
import { makeEvent } from "~/demo/stripe-api.server";
import { signPayload } from "~/demo/stripe-webhooks.server";
import { checkFigureAggregates } from "~/models/figures.server";
import { DEMO_WEBHOOK_SECRET } from "~/payments/stripe.server";
import { reconcile } from "~/settlement/reconcile.server";
import { tempDatabasePath, withDatabaseFile } from "../support/db";
import { ROOT, startServer, type RunningServer } from "../support/server";

const PAYMENTS = 1500;
const IN_FLIGHT = 6;

let server: RunningServer;
let tmp: ReturnType<typeof tempDatabasePath>;
let dir: string;

/** Run `npm run backup -- …args` as an operator would, with the server's database. */
function backup(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/backup.ts", ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_PATH: tmp.file, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += String(d)));
    child.stderr.on("data", (d) => (out += String(d)));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

beforeAll(async () => {
  // This suite's own SQLite file: a DATABASE_URL inherited from the shell would win over DATABASE_PATH.
  delete process.env.DATABASE_URL;
  tmp = tempDatabasePath("backup", null);
  dir = path.dirname(tmp.file);
  // Seeded demo data; the settlement job off so that only the webhooks write.
  server = await startServer({
    DATABASE_PATH: tmp.file,
    DEMO_OUTBOX_PATH: path.join(dir, "outbox.jsonl"),
    SETTLE_INTERVAL_SECONDS: "0",
    LOG_LEVEL: "warn",
  });
});

afterAll(async () => {
  await server?.stop();
  tmp?.cleanup();
});

interface Pending {
  id: number;
  amountCents: number;
  payload: string;
}

/** Pending contributions on a live campaign, inserted by another connection, and their Stripe events. */
function preparePayments(count: number): Pending[] {
  return withDatabaseFile(tmp.file, (db) => {
    const campaign = db
      .prepare("select id from campaigns where status = 'live' order by ends_at, id limit 1")
      .get() as { id: number };
    const now = new Date().toISOString();
    const insert = db.prepare(
      `insert into contributions (campaign_id, user_id, email, public_name, amount_cents, reward_id, anonymous,
         hide_amount, message, status, stripe_checkout_session_id, created_at, updated_at, reward_hold)
       values (?, null, ?, ?, ?, null, 0, 0, null, 'pending', ?, ?, ?, 0)`,
    );
    const rows: Pending[] = [];
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const amountCents = 1000 + (i % 40) * 100;
        const session = `cs_test_backup_${i}`;
        const id = Number(
          insert.run(
            campaign.id,
            `sauvegarde${i}@example.org`,
            `Sauvegarde ${i}`,
            amountCents,
            session,
            now,
            now,
          ).lastInsertRowid,
        );
        const event = makeEvent("checkout.session.completed", {
          id: session,
          object: "checkout.session",
          status: "complete",
          payment_status: "paid",
          amount_total: amountCents,
          currency: "eur",
          client_reference_id: String(id),
          customer_email: `sauvegarde${i}@example.org`,
          metadata: { contribution_id: String(id), campaign_id: String(campaign.id) },
          payment_intent: `pi_backup_${i}`,
          mode: "payment",
          livemode: false,
        });
        rows.push({ id, amountCents, payload: JSON.stringify(event) });
      }
    })();
    return rows;
  });
}

function postEvent(agent: http.Agent, payload: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${server.url}/webhooks/stripe`,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
          "stripe-signature": signPayload(payload, DEMO_WEBHOOK_SECRET),
        },
      },
      (res) => {
        let body = "";
        res.on("data", (c) => (body += String(c)));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

describe("npm run backup", () => {
  it("copies the database while payments are written, and the restored copy reconciles with every payment confirmed before", async () => {
    const payments = preparePayments(PAYMENTS);
    const confirmedAt = new Map<number, number>(); // contribution id → when the server answered « processed »
    const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    let next = 0;
    let stop = false;
    const failures: string[] = [];
    const load = Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (!stop && next < payments.length) {
          const p = payments[next++]!;
          const res = await postEvent(agent, p.payload);
          if (res.status === 200 && JSON.parse(res.body).outcome === "processed")
            confirmedAt.set(p.id, performance.now());
          else failures.push(`${res.status} ${res.body}`);
        }
      }),
    );
    // Let a good share of payments land (many in the WAL, not yet checkpointed), then back up under load.
    while (confirmedAt.size < 300 && next < payments.length) await new Promise((r) => setTimeout(r, 10));
    const backupFile = path.join(dir, "sauvegarde.sqlite");
    const startedAt = performance.now();
    const confirmedBefore = [...confirmedAt.keys()];
    const result = await backup([backupFile]);
    const endedAt = performance.now();
    const duringBackup = [...confirmedAt.values()].filter((t) => t > startedAt && t < endedAt).length;
    stop = true;
    await load;
    agent.destroy();

    expect(failures).toEqual([]);
    expect(result.out).toContain("Sauvegarde en ligne terminée");
    expect(result.out).toMatch(/intégrité vérifiée/);
    expect(result.code).toBe(0);
    // The server really was writing payments while the copy was taken.
    expect(duringBackup, "payments confirmed while the backup ran").toBeGreaterThan(0);
    expect(fs.existsSync(`${backupFile}-wal`), "the copy is one self-contained file").toBe(false);

    // Restore: a fresh file replaced by the copy, opened with the app's own code.
    const restored = tempDatabasePath("backup-restored", null);
    try {
      fs.copyFileSync(backupFile, restored.file);
      const database = openDatabase(restored.file);
      try {
        await migrateToLatest(database.db);
        const balances = await reconcile(database.db);
        expect(balances.length).toBeGreaterThan(0);
        expect(balances.filter((b) => b.problems.length > 0).map((b) => [b.slug, b.problems])).toEqual([]);
        expect(await checkFigureAggregates(database.db)).toEqual([]);
        const paid = new Set(
          (
            await database.db
              .selectFrom("contributions")
              .select("id")
              .where("status", "=", "paid")
              .where("stripe_checkout_session_id", "like", "cs_test_backup_%")
              .execute()
          ).map((r) => r.id),
        );
        const missing = confirmedBefore.filter((id) => !paid.has(id));
        expect(missing, "payments confirmed before the backup started, missing from it").toEqual([]);
        expect(confirmedBefore.length).toBeGreaterThanOrEqual(300);
        // Each payment in the copy comes with its webhook event (one transaction: nothing half written).
        const events = await database.db
          .selectFrom("stripe_events")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("type", "=", "checkout.session.completed")
          .executeTakeFirstOrThrow();
        expect(Number(events.n)).toBeGreaterThanOrEqual(paid.size);
      } finally {
        await database.close();
      }
    } finally {
      restored.cleanup();
    }
  }, 120_000);

  it("never overwrites an existing file without --force", async () => {
    const file = path.join(dir, "existe.sqlite");
    fs.writeFileSync(file, "ancienne sauvegarde");
    const refused = await backup([file]);
    expect(refused.code).toBe(2);
    expect(refused.out).toContain("existe déjà : rien n'a été écrit. Ajoutez --force pour le remplacer.");
    expect(fs.readFileSync(file, "utf8")).toBe("ancienne sauvegarde");
    expect(fs.readdirSync(dir).filter((f) => f.includes(".partiel-"))).toEqual([]);

    const forced = await backup([file, "--force"]);
    expect(forced.code).toBe(0);
    const copy = openDatabase(file);
    try {
      const n = await copy.db
        .selectFrom("campaigns")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(n.n)).toBeGreaterThan(0);
    } finally {
      await copy.close();
    }
  }, 60_000);

  it("says what to do without a file, and on PostgreSQL prints the pg_dump command without the password", async () => {
    const usage = await backup([]);
    expect(usage.code).toBe(2);
    expect(usage.out).toContain("Usage : npm run backup -- <fichier de sauvegarde> [--force]");

    const pg = await backup([path.join(dir, "base.dump")], {
      DATABASE_URL: "postgres://propulsons:mot-de-passe-secret@db.interne:5432/propulsons",
    });
    expect(pg.code).toBe(2);
    expect(pg.out).toContain(
      `pg_dump --format=custom --no-owner --file='${path.join(dir, "base.dump")}' 'postgres://propulsons@db.interne:5432/propulsons'`,
    );
    expect(pg.out).toContain("pg_restore --clean --if-exists --no-owner");
    expect(pg.out).not.toContain("mot-de-passe-secret");
    expect(fs.existsSync(path.join(dir, "base.dump"))).toBe(false);
  }, 60_000);
});
