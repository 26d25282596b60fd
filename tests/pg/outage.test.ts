/**
 * A server survives its PostgreSQL restarting (DESIGN.md §5): the process stays alive, requests
 * during the outage answer a French 503 page (the Stripe webhook a 5xx, so that Stripe delivers
 * it again; /healthz a 503), and once the database is back the server serves again by itself.
 *
 * The built server reaches PostgreSQL through a small TCP proxy (node:net) that this test closes
 * and reopens — a real outage (connections cut, new ones refused) without touching the shared
 * cluster. Backend connections are also killed under load with pg_terminate_backend, as a
 * restart or a failover does. Runs only under `npm run test:pg` (TEST_DATABASE_URL).
 */
import net from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "#db/connection";
import { makeEvent } from "~/demo/stripe-api.server";
import { onPostgres, tempDatabasePath } from "../support/db";
import { freePort, startServer, type RunningServer } from "../support/server";
import { postEvent } from "../support/webhooks";

/** Recovery bound: from the database reachable again to the first page served. */
const RECOVERY_MS = 5_000;

/** A TCP proxy in front of PostgreSQL that can be cut (every connection closed, new ones refused). */
class CuttableProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.server = server;
  }

  /** The database « goes away »: open connections reset, new ones refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.resetAndDestroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get connections(): number {
    return this.sockets.size / 2;
  }
}

let tmp: ReturnType<typeof tempDatabasePath>;
let proxy: CuttableProxy;
let server: RunningServer;
let direct: Database;
let dir: string;
let liveSlug: string;

beforeAll(async () => {
  if (!onPostgres) throw new Error("tests/pg needs TEST_DATABASE_URL (npm run test:pg)");
  tmp = tempDatabasePath("outage");
  const url = new URL(tmp.file);
  proxy = new CuttableProxy(await freePort(), { host: url.hostname, port: Number(url.port || 5432) });
  await proxy.open();
  const viaProxy = new URL(tmp.file);
  viaProxy.hostname = "127.0.0.1";
  viaProxy.port = String(proxy.port);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-outage-"));
  server = await startServer({
    DATABASE_URL: viaProxy.toString(),
    SEED_DEMO_DATA: "1",
    DEMO_OUTBOX_PATH: path.join(dir, "outbox.jsonl"),
    // The server's own jobs run during the outage too, as they would in production.
    SETTLE_INTERVAL_SECONDS: "1",
    EMAIL_WORKER_INTERVAL_SECONDS: "1",
  });
  direct = openDatabase(tmp.file, { poolSize: 2 });
  const live = await direct.db
    .selectFrom("campaigns")
    .select("slug")
    .where("status", "=", "live")
    .orderBy("ends_at", "desc")
    .executeTakeFirstOrThrow();
  liveSlug = live.slug;
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await proxy?.cut();
  await direct?.close();
  tmp?.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const pages = () => ["/", "/campagnes", `/campagnes/${liveSlug}`, "/healthz"];

interface Answer {
  path: string;
  status: number;
  body: string;
  headers: Headers;
}

async function get(p: string): Promise<Answer> {
  const res = await fetch(server.url + p, { redirect: "manual" });
  return { path: p, status: res.status, body: await res.text(), headers: res.headers };
}

/** `workers` clients reading pages until `stop()`; every answer kept. */
async function load(workers: number, stop: () => boolean): Promise<Answer[]> {
  const answers: Answer[] = [];
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = w; !stop(); i++) {
        try {
          answers.push(await get(pages()[i % pages().length]!));
        } catch (error) {
          answers.push({ path: "?", status: 0, body: String(error), headers: new Headers() });
        }
      }
    }),
  );
  return answers;
}

async function deliverWebhook(): Promise<{ status: number; body: string }> {
  const event = makeEvent("checkout.session.completed", {
    id: "cs_test_outage",
    object: "checkout.session",
    status: "complete",
    payment_status: "paid",
    metadata: { contribution_id: "999999" },
    client_reference_id: "999999",
    payment_intent: "pi_outage",
  });
  return postEvent(server.url, event);
}

function alive(): boolean {
  return server.process.exitCode === null && server.process.signalCode === null;
}

function summary(answers: Answer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) out[a.status] = (out[a.status] ?? 0) + 1;
  return out;
}

function expectFrench503(a: Answer): void {
  expect(a.status, `${a.path}: ${a.body.slice(0, 300)}`).toBe(503);
  if (a.path === "/healthz") {
    expect(a.body).toContain("indisponible");
  } else {
    expect(Number(a.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(a.headers.get("content-type")).toMatch(/^text\/html/);
    expect(a.body).toMatch(/^<!DOCTYPE html><html lang="fr">/);
    expect(a.body).toContain("Service momentanément indisponible");
  }
}

describe("PostgreSQL goes away under load", () => {
  it(
    "backends killed again and again: the server stays up and serves again",
    { timeout: 60_000 },
    async () => {
      let stop = false;
      const answers = load(4, () => stop);
      for (let round = 0; round < 8; round++) {
        await new Promise((r) => setTimeout(r, 250));
        await sql`select pg_terminate_backend(pid) from pg_stat_activity
                where datname = current_database() and pid <> pg_backend_pid()
                  and usename = current_user`.execute(direct.db);
      }
      await new Promise((r) => setTimeout(r, 500));
      stop = true;
      const seen = await answers;
      console.log(`[outage] pg_terminate_backend × 8 under load: ${JSON.stringify(summary(seen))}`);
      expect(alive(), `the server process exited:\n${server.output().slice(-3000)}`).toBe(true);
      // Each answer is a page or the French 503, never a bare 500 nor a dropped connection.
      for (const a of seen.filter((x) => x.status !== 200)) expectFrench503(a);
      // Then everything is served again.
      for (const p of pages()) expect((await get(p)).status, p).toBe(200);
    },
  );

  it(
    "a real outage: French 503 pages, the webhook a 5xx, /healthz 503; back by itself when the database returns",
    { timeout: 60_000 },
    async () => {
      let stop = false;
      const before = load(2, () => stop);
      await new Promise((r) => setTimeout(r, 1_000));
      await proxy.cut();
      const cutAt = performance.now();
      await new Promise((r) => setTimeout(r, 1_500));
      stop = true;
      const loaded = await before;

      // During the outage: every kind of request, a few times.
      const during: Answer[] = [];
      for (let i = 0; i < 3; i++) for (const p of pages()) during.push(await get(p));
      const webhook = await deliverWebhook();
      const contribution = await fetch(`${server.url}/campagnes/${liveSlug}`, {
        method: "POST",
        redirect: "manual",
        body: new URLSearchParams({
          montant: "20",
          contrepartie: "",
          email: "panne@example.org",
          nom: "Panne",
        }),
      });
      const contributionBody = await contribution.text();
      await new Promise((r) => setTimeout(r, 2_000)); // the jobs' passes fail in the meantime
      expect(alive(), `the server process exited:\n${server.output().slice(-3000)}`).toBe(true);
      for (const a of during) expectFrench503(a);
      expect(webhook.status, webhook.body).toBeGreaterThanOrEqual(500);
      expect(contribution.status).toBe(503);
      expect(contributionBody).toContain("Service momentanément indisponible");
      // Answers while the proxy was being cut: pages, or the 503.
      for (const a of loaded.filter((x) => x.status !== 200)) expectFrench503(a);

      // The database comes back: the first page is served within RECOVERY_MS, with no restart.
      await proxy.open();
      const backAt = performance.now();
      let firstOk: number | undefined;
      let last: Answer | undefined;
      while (performance.now() - backAt < RECOVERY_MS * 2) {
        last = await get(`/campagnes/${liveSlug}`);
        if (last.status === 200) {
          firstOk = performance.now();
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      const outageMs = backAt - cutAt;
      const recoveryMs = firstOk === undefined ? Infinity : firstOk - backAt;
      console.log(
        `[outage] database unreachable for ${(outageMs / 1000).toFixed(1)} s; first 200 ${recoveryMs.toFixed(0)} ms after it came back`,
      );
      expect(recoveryMs, `still ${last?.status}: ${last?.body.slice(0, 300)}`).toBeLessThan(RECOVERY_MS);
      for (const p of pages()) expect((await get(p)).status, p).toBe(200);
      expect((await deliverWebhook()).status).toBeLessThan(500);
      expect(alive()).toBe(true);
    },
  );
});
