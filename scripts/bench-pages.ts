/**
 * `npm run bench:pages`: throughput of a campaign page served by the built app
 * (page cache on, then off), compared with a bare `node:http` server returning
 * the very same bytes. A benchmark, not a test: it prints figures, and fails
 * (exit 1) only when a run had errors or when the page is not fresh after a
 * write (the page cache must never serve a stale total).
 *
 * Options: --duration N (s per measured run, default 10), --connections N
 * (default 10), --rounds N (alternated bare/app rounds, default 2),
 * --workers N (autocannon worker threads; default 0 = load generated on the
 * main thread, autocannon's default). Both servers run in their own process;
 * on a 2-core machine the load generator takes the other core, so the figures
 * are what one core serves.
 *
 * --db sqlite (default) or --db pg: the database the app runs on, a fresh one either way
 * (pg: on the server named by BENCH_DATABASE_URL, else TEST_DATABASE_URL; dropped at the end).
 * On PostgreSQL every cached hit costs one round trip (pg_current_snapshot(), the page cache's
 * freshness stamp; docs/decisions/012-postgresql.md).
 *
 * Only 127.0.0.1 is ever targeted; every run is bounded by its duration.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { freePort } from "../tests/support/server";
import {
  benchDatabase,
  benchDatabaseFile,
  cleanupStack,
  collectedCents,
  firstLiveCampaign,
  frInt,
  machineLine,
  positiveInt,
  runBench,
  startApp,
  intOption,
  CPU_PROF_OPTION,
  cpuProfArgs,
  DB_OPTION,
  withDatabase,
} from "./bench-common";
import { parseCli } from "./cli";

const WARMUP_SECONDS = 3;
const FRESHNESS_CENTS = 4242;
const FRESHNESS_NAME = "Bench B.";

// ---------------------------------------------------------------- options

const { values: args } = parseCli({
  command: "npm run bench:pages",
  synopsis: "[--duration N] [--connections N] [--rounds N] [--workers N] [--db sqlite|pg] [--cpu-prof DIR]",
  description:
    "Débit d'une page de campagne servie par l'app construite (cache de page actif puis coupé),\n" +
    "comparé à un serveur node:http nu qui renvoie les mêmes octets. Un banc d'essai : il\n" +
    "affiche des chiffres.",
  options: {
    duration: intOption("secondes par mesure (10 par défaut)"),
    connections: intOption("connexions simultanées (10 par défaut)"),
    rounds: intOption("manches alternées serveur nu / app (2 par défaut)"),
    workers: intOption("fils d'autocannon (0 par défaut : la charge vient du fil principal)"),
    db: DB_OPTION,
    "cpu-prof": CPU_PROF_OPTION,
  },
});
const DURATION = positiveInt("duration", args.duration, 10);
const CONNECTIONS = positiveInt("connections", args.connections, 10);
const ROUNDS = positiveInt("rounds", args.rounds, 2);
const WORKERS = positiveInt("workers", args.workers, 0, 0);
const DATABASE = await benchDatabase(args.db, "bench:pages");

// ---------------------------------------------------------------- helpers

interface Page {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** GET over plain node:http, without Accept-Encoding (as autocannon sends it). */
function get(url: string): Promise<Page> {
  const target = new URL(url);
  if (target.hostname !== "127.0.0.1")
    return Promise.reject(new Error(`cible refusée (hors 127.0.0.1) : ${url}`));
  return new Promise((resolve, reject) => {
    const req = http.get(target, { agent: false, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`délai dépassé : ${url}`)));
    req.on("error", reject);
  });
}

/** autocannon's latency histogram has a 1 ms resolution: 0 means « under a millisecond ». */
const ms = (n: number) => (n < 1 ? "<1 ms" : `${frInt(n)} ms`);
const euros = (cents: number) =>
  `${frInt(Math.trunc(cents / 100))}${cents % 100 === 0 ? "" : "," + String(cents % 100).padStart(2, "0")} €`;

interface Measure {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

async function load(url: string, duration: number): Promise<Measure> {
  if (new URL(url).hostname !== "127.0.0.1") throw new Error(`cible refusée (hors 127.0.0.1) : ${url}`);
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    workers: WORKERS > 0 ? WORKERS : undefined,
    timeout: 10,
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
  };
}

function invalid(m: Measure): boolean {
  return m.errors > 0 || m.timeouts > 0 || m.non2xx > 0;
}

function describe(m: Measure): string {
  const base = `${frInt(m.rps)} req/s (p50 ${ms(m.p50)}, p99 ${ms(m.p99)}, ${frInt(m.requests)} requêtes)`;
  return invalid(m)
    ? `${base} — INVALIDE : ${m.errors} erreurs, ${m.timeouts} délais dépassés, ${m.non2xx} non-2xx`
    : base;
}

interface Summary {
  rps: number;
  /** worst round */
  p50: number;
  /** worst round */
  p99: number;
  valid: boolean;
}

function summarize(runs: Measure[]): Summary {
  const mean = runs.reduce((s, m) => s + m.rps, 0) / runs.length;
  // Latencies: the worst round (integer milliseconds, so a mean would be misleading).
  const worst = (f: (m: Measure) => number) => Math.max(...runs.map(f));
  return { rps: mean, p50: worst((m) => m.p50), p99: worst((m) => m.p99), valid: !runs.some(invalid) };
}

/**
 * The bare server runs in its own process, like the app, so that neither shares
 * an event loop with the load generator: the comparison is like for like.
 */
async function startBareServer(
  body: Buffer,
  contentType: string,
  port: number,
): Promise<{ close: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-bare-"));
  const bodyFile = path.join(dir, "page.html");
  fs.writeFileSync(bodyFile, body);
  const script = `
    const fs = require("node:fs"), http = require("node:http");
    const body = fs.readFileSync(${JSON.stringify(bodyFile)});
    const headers = { "content-type": ${JSON.stringify(contentType)}, "content-length": String(body.length) };
    http.createServer((_req, res) => { res.writeHead(200, headers); res.end(body); })
      .listen(${port}, "127.0.0.1", () => console.log("ready"));`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bare server exited (${code})`)));
    child.stdout.on("data", (d) => {
      if (String(d).includes("ready")) resolve();
    });
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners("exit");
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        fs.rmSync(dir, { recursive: true, force: true });
      }),
  };
}

// ---------------------------------------------------------------- the run

const { cleanups, cleanup } = cleanupStack("arrêt des serveurs…");

async function main(): Promise<number> {
  let failed = false;
  console.log(machineLine(DATABASE));
  console.log(
    `réglages: ${DURATION} s par mesure (+${WARMUP_SECONDS} s de chauffe), ${CONNECTIONS} connexions, ${ROUNDS} tours, ` +
      `${WORKERS > 0 ? `${WORKERS} worker(s) autocannon` : "autocannon sur le fil principal"}`,
  );

  const file = benchDatabaseFile(cleanups, DATABASE, "bench");

  // 1. The app (first start: migrates and seeds the demo data).
  const app = await startApp(cleanups, file, {}, cpuProfArgs(args["cpu-prof"]));
  const campaign = await firstLiveCampaign(file);
  const pagePath = `/campagnes/${campaign.slug}`;
  const appUrl = `${app.url}${pagePath}`;

  // 2. The page's exact bytes, served by a bare node:http server.
  const first = await get(appUrl);
  if (first.status !== 200) throw new Error(`${pagePath} : statut ${first.status}`);
  const contentType = first.headers["content-type"] ?? "text/html; charset=utf-8";
  const second = await get(appUrl);
  console.log(`page: ${pagePath} (${frInt(first.body.length)} octets, ${contentType})`);
  console.log(
    `cache de pages: 1re réponse x-page-cache=${String(first.headers["x-page-cache"] ?? "—")}, 2e x-page-cache=${String(
      second.headers["x-page-cache"] ?? "—",
    )}`,
  );

  const barePort = await freePort();
  const bare = await startBareServer(first.body, contentType, barePort);
  cleanups.push(() => bare.close());
  const bareUrl = `http://127.0.0.1:${barePort}${pagePath}`;
  const check = await get(bareUrl);
  if (!check.body.equals(first.body)) throw new Error("le serveur nu ne renvoie pas les mêmes octets");

  // 3. Warm-up, then alternated measured rounds.
  await load(bareUrl, WARMUP_SECONDS);
  await load(appUrl, WARMUP_SECONDS);
  const bareRuns: Measure[] = [];
  const appRuns: Measure[] = [];
  const appCacheHeaders: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const b = await load(bareUrl, DURATION);
    bareRuns.push(b);
    console.log(`  tour ${round}/${ROUNDS} serveur nu : ${describe(b)}`);
    const a = await load(appUrl, DURATION);
    appRuns.push(a);
    const after = await get(appUrl);
    appCacheHeaders.push(String(after.headers["x-page-cache"] ?? "—"));
    console.log(
      `  tour ${round}/${ROUNDS} app        : ${describe(a)} (x-page-cache ensuite : ${appCacheHeaders.at(-1)})`,
    );
  }

  // 5. Freshness: a paid contribution written by another connection shows at once.
  const before = await get(appUrl);
  if (before.status !== 200) throw new Error(`${pagePath} : statut ${before.status}`);
  const beforeCents = collectedCents(before.body.toString("utf8"));
  await withDatabase(file, async ({ db }) => {
    const now = new Date().toISOString();
    await db
      .insertInto("contributions")
      .values({
        campaign_id: campaign.id,
        email: "bench@example.org",
        public_name: FRESHNESS_NAME,
        amount_cents: FRESHNESS_CENTS,
        reward_id: null,
        anonymous: 0,
        hide_amount: 0,
        message: null,
        status: "paid",
        created_at: now,
        paid_at: now,
        updated_at: now,
      })
      .execute();
  });
  const fresh = await get(appUrl);
  const freshHtml = fresh.body.toString("utf8");
  const afterCents = fresh.status === 200 ? collectedCents(freshHtml) : NaN;
  const freshnessProblems: string[] = [];
  if (fresh.status !== 200) freshnessProblems.push(`statut ${fresh.status}`);
  if (afterCents - beforeCents !== FRESHNESS_CENTS)
    freshnessProblems.push(
      `total ${euros(beforeCents)} → ${Number.isNaN(afterCents) ? "?" : euros(afterCents)} (attendu +${euros(
        FRESHNESS_CENTS,
      )})`,
    );
  if (!freshHtml.includes(FRESHNESS_NAME)) freshnessProblems.push(`« ${FRESHNESS_NAME} » absent de la page`);
  const freshness =
    freshnessProblems.length === 0
      ? `fraîcheur : OK (${euros(beforeCents)} → ${euros(afterCents)}, « ${FRESHNESS_NAME} » affiché, x-page-cache=${String(
          fresh.headers["x-page-cache"] ?? "—",
        )})`
      : `fraîcheur : ÉCHEC — ${freshnessProblems.join(" ; ")}`;
  if (freshnessProblems.length > 0) failed = true;
  console.log(`  ${freshness}`);

  // 4. The same page without the page cache (second process, same database file).
  await app.stop();
  const appOff = await startApp(cleanups, file, { PAGE_CACHE: "off" });
  const offUrl = `${appOff.url}${pagePath}`;
  const offFirst = await get(offUrl);
  if (offFirst.status !== 200) throw new Error(`${pagePath} (cache désactivé) : statut ${offFirst.status}`);
  await load(offUrl, WARMUP_SECONDS);
  const offRuns = [await load(offUrl, DURATION)];
  console.log(`  tour 1/1 app, cache off : ${describe(offRuns[0]!)}`);

  // 6. Summary.
  const sBare = summarize(bareRuns);
  const sApp = summarize(appRuns);
  const sOff = summarize(offRuns);
  const width = Math.max(...[sBare, sApp, sOff].map((s) => frInt(s.rps).length));
  const line = (label: string, s: Summary, latency = true) =>
    `${label.padEnd(28)}: ${frInt(s.rps).padStart(width)} req/s` +
    (latency ? ` (p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, pire des tours)` : "") +
    (s.valid ? "" : "  [INVALIDE : erreurs pendant la mesure]");
  const ratio = sApp.rps / sBare.rps;
  console.log("");
  console.log(machineLine(DATABASE));
  console.log(`page: ${pagePath} (${frInt(first.body.length)} octets)`);
  console.log(line("serveur nu (node:http)", sBare));
  console.log(line("app (cache de pages)", sApp));
  console.log(line("app (cache désactivé)", sOff));
  console.log(`${"ratio app / serveur nu".padEnd(28)}: ${ratio.toFixed(2)} (objectif ≥ 0.9)`);
  console.log(freshness.replace(/ \(.*\)$/, ""));
  if (!appCacheHeaders.every((h) => h === "hit"))
    console.log(`attention : x-page-cache après les mesures = ${appCacheHeaders.join(", ")}`);

  if (!sBare.valid || !sApp.valid || !sOff.valid) failed = true;
  return failed ? 1 : 0;
}

await runBench("bench:pages", main, cleanup);
