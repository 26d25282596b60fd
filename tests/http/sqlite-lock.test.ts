/**
 * Another process holding SQLite's write lock (a long `npm run settle` transaction, a backup, a
 * hand-run `sqlite3` session) must not freeze the server (DESIGN.md §5): reads — pages and
 * /healthz — keep being served, and a write waits without blocking the event loop, then either
 * succeeds once the lock is released or answers a French 503.
 *
 * A child process opens the server's database file and holds `begin immediate` for LOCK_MS while
 * this test reads pages through the real built server, one request after another, and posts a
 * contribution (a write). Always on SQLite (the lock is SQLite's).
 *
 * The target is p99 < 100 ms on a quiet machine (the figure printed here and reported). Latency
 * also follows whatever else the machine runs, so the bound is 100 ms or, on a loaded machine,
 * three times the p99 measured just before without the lock; and no read may take a second
 * (before the fix each one waited up to 5 s, SQLite's busy timeout, with the whole process).
 */
import { spawn, type ChildProcess } from "node:child_process";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDatabasePath } from "../support/db";
import { ROOT, startServer, type RunningServer } from "../support/server";

const LOCK_MS = 8_000;

let server: RunningServer;
let quick: RunningServer | undefined;
let tmp: ReturnType<typeof tempDatabasePath>;
let liveSlug: string;

beforeAll(async () => {
  tmp = tempDatabasePath("sqlite-lock", null);
  // No page cache: every read goes to the database. A short e-mail worker period: the server's
  // own background writes happen while the lock is held, as they would in production.
  server = await startServer({
    DATABASE_PATH: tmp.file,
    PAGE_CACHE: "off",
    EMAIL_WORKER_INTERVAL_SECONDS: "1",
    SETTLE_INTERVAL_SECONDS: "2",
  });
  const db = new SQLite(tmp.file, { readonly: true });
  liveSlug = (
    db.prepare("select slug from campaigns where status = 'live' order by ends_at desc limit 1").get() as {
      slug: string;
    }
  ).slug;
  db.close();
});

afterAll(async () => {
  await quick?.stop();
  await server?.stop();
  tmp?.cleanup();
});

/** Another process: takes the write lock, writes a row, holds the lock for `ms`, commits. */
function holdWriteLock(
  file: string,
  ms: number,
): { child: ChildProcess; locked: Promise<number>; released: Promise<number> } {
  const script = `
    const SQLite = require("better-sqlite3");
    const db = new SQLite(process.argv[1]);
    db.pragma("busy_timeout = 5000");
    db.exec("begin immediate");
    db.prepare("update platform_settings set value = value where 1 = 0").run();
    process.stdout.write("locked\\n");
    setTimeout(() => { db.exec("commit"); db.close(); process.stdout.write("released\\n"); }, Number(process.argv[2]));
  `;
  const child = spawn(process.execPath, ["-e", script, file, String(ms)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  let onLocked: (t: number) => void;
  let onReleased: (t: number) => void;
  const locked = new Promise<number>((r) => (onLocked = r));
  const released = new Promise<number>((r) => (onReleased = r));
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    if (out.includes("locked\n")) onLocked(performance.now());
    if (out.includes("released\n")) onReleased(performance.now());
  });
  return { child, locked, released };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Read pages with `workers` concurrent clients until `until()` says stop; latencies in ms. */
async function readLoad(target: RunningServer, paths: string[], workers: number, until: () => boolean) {
  const latencies: number[] = [];
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = w; !until(); i++) {
        const p = paths[i % paths.length]!;
        const t0 = performance.now();
        const res = await fetch(target.url + p);
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (res.status !== 200) failures.push(`${p}: ${res.status}`);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  if (latencies.length === 0) throw new Error("no read answered");
  return {
    latencies,
    failures,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1)!,
  };
}

describe("another process holds SQLite's write lock", () => {
  it(
    `reads stay fast and a write waits without blocking them (lock held ${LOCK_MS / 1000} s)`,
    { timeout: 60_000 },
    async () => {
      const paths = ["/", "/campagnes", `/campagnes/${liveSlug}`, "/healthz"];
      // Warm up the server (first renders compile templates and prepare statements).
      await readLoad(server, paths, 1, for_(1_500));
      const before = await readLoad(server, paths, 1, for_(3_000));

      const lock = holdWriteLock(tmp.file, LOCK_MS);
      const lockedAt = await lock.locked;
      let releasedAt: number | undefined;
      void lock.released.then((t) => (releasedAt = t));

      // A write while the lock is held: a contribution (holds a row in `contributions`).
      const write = contribute(server, "pendant-le-verrou");
      const during = await readLoad(server, paths, 1, () => releasedAt !== undefined);
      const written = await write;
      await new Promise<void>((r) =>
        lock.child.exitCode !== null ? r() : lock.child.once("exit", () => r()),
      );

      console.log(
        `[sqlite-lock] reads without the lock: ${before.latencies.length} requests, p50 ${before.p50.toFixed(1)} ms, ` +
          `p99 ${before.p99.toFixed(1)} ms, max ${before.max.toFixed(1)} ms`,
      );
      console.log(
        `[sqlite-lock] reads while another process held the write lock ${((releasedAt! - lockedAt) / 1000).toFixed(1)} s: ` +
          `${during.latencies.length} requests, p50 ${during.p50.toFixed(1)} ms, p99 ${during.p99.toFixed(1)} ms, ` +
          `max ${during.max.toFixed(1)} ms; the write answered ${written.status} after ${written.ms.toFixed(0)} ms`,
      );

      expect(during.failures).toEqual([]);
      // Enough reads to mean something: a frozen server would serve a handful.
      expect(during.latencies.length).toBeGreaterThan(40);
      expect(during.max, "slowest read while the lock is held (ms)").toBeLessThan(1_000);
      expect(during.p99, "p99 read latency while the lock is held (ms)").toBeLessThan(
        Math.max(100, 3 * before.p99),
      );
      expect(
        [303, 503],
        `${written.status}: ${written.body.slice(0, 300)}\n${server.output().slice(-2000)}`,
      ).toContain(written.status);
      if (written.status === 303) {
        // Waited for the lock, then wrote: never before the other process let go.
        expect(written.at).toBeGreaterThanOrEqual(releasedAt!);
      } else {
        expect(written.status).toBe(503);
        expect(written.body).toContain('<html lang="fr"');
        expect(written.body).toContain("Service momentanément indisponible");
      }
      // The server's own writes work again once the lock is released.
      expect((await contribute(server, "apres-le-verrou")).status).toBe(303);
    },
  );

  it(
    "a write that waits longer than DATABASE_LOCK_TIMEOUT_SECONDS answers a French 503; reads go on",
    { timeout: 60_000 },
    async () => {
      quick = await startServer({
        DATABASE_PATH: tmp.file,
        PAGE_CACHE: "off",
        SEED_DEMO_DATA: "0",
        DATABASE_LOCK_TIMEOUT_SECONDS: "1",
      });
      const lock = holdWriteLock(tmp.file, 4_000);
      const lockedAt = await lock.locked;
      let releasedAt: number | undefined;
      void lock.released.then((t) => (releasedAt = t));
      const write = contribute(quick, "verrou-trop-long");
      const during = await readLoad(
        quick,
        [`/campagnes/${liveSlug}`, "/healthz"],
        1,
        () => releasedAt !== undefined,
      );
      const written = await write;
      console.log(
        `[sqlite-lock] lock timeout 1 s: the write answered ${written.status} after ${written.ms.toFixed(0)} ms; ` +
          `${during.latencies.length} reads meanwhile, p99 ${during.p99.toFixed(1)} ms`,
      );
      expect(written.status, written.body.slice(0, 300)).toBe(503);
      expect(written.at, "answered before the lock was released").toBeLessThan(releasedAt!);
      expect(written.ms).toBeGreaterThanOrEqual(1_000);
      expect(written.retryAfter).toMatch(/^\d+$/);
      expect(written.body).toMatch(/^<!DOCTYPE html><html lang="fr">/);
      expect(written.body).toContain("Service momentanément indisponible");
      expect(written.body).toContain("enregistré\u00a0: réessayez");
      expect(during.failures).toEqual([]);
      expect(during.max).toBeLessThan(1_000);
      expect(quick.output()).toMatch(/Base de données indisponible : .*SQLITE_BUSY/);
      // Nothing half written: no contribution for that address.
      const db = new SQLite(tmp.file, { readonly: true });
      const rows = db
        .prepare("select count(*) from contributions where email = ?")
        .pluck()
        .get("verrou-trop-long@example.org");
      db.close();
      expect(rows).toBe(0);
      expect(lockedAt).toBeLessThan(written.at);
      await new Promise<void>((r) =>
        lock.child.exitCode !== null ? r() : lock.child.once("exit", () => r()),
      );
      expect((await contribute(quick, "verrou-libere")).status).toBe(303);
    },
  );
});

function for_(ms: number): () => boolean {
  const end = performance.now() + ms;
  return () => performance.now() > end;
}

/** POST a contribution (a write: a pending row, a unit held) without JavaScript. */
async function contribute(target: RunningServer, who: string) {
  const t0 = performance.now();
  const res = await fetch(`${target.url}/campagnes/${liveSlug}`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({ montant: "20", contrepartie: "", email: `${who}@example.org`, nom: who }),
  });
  const body = await res.text();
  const at = performance.now();
  return { status: res.status, body, at, ms: at - t0, retryAfter: res.headers.get("retry-after") };
}
