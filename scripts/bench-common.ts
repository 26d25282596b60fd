/**
 * What the benchmark scripts (bench-pages, bench-webhooks, bench-settle, bench-figures) share:
 * integer options, the `--db` option, French number formatting, the machine line, the cleanup
 * stack (also run on SIGINT/SIGTERM), the database they run on (`--db sqlite|pg`),
 * the demo campaign they target, starting the built app, and the run's exit code.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { openDatabase, type Database } from "../db/connection";
import { tempDatabasePath } from "../tests/support/db";
import { startServer, type RunningServer } from "../tests/support/server";
import { fail, type CliOption } from "./cli";

// ---------------------------------------------------------------- options

/**
 * An integer option: `fallback` when absent; exit 2 with a French message naming the option
 * when not an integer in range (« ≥ min », or « entre min et max » when `max` is given).
 */
export function positiveInt(
  name: string,
  value: string | undefined,
  fallback: number,
  min = 1,
  max?: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (max === undefined) {
    if (!Number.isInteger(n) || n < min) fail(`--${name} attend un entier ≥ ${min} (reçu : ${value}).`);
  } else if (!Number.isInteger(n) || n < min || n > max) {
    fail(`--${name} attend un entier entre ${min} et ${max} (reçu : ${value}).`);
  }
  return n;
}

/** An integer option's line in a benchmark's usage (scripts/cli.ts parses it). */
export const intOption = (help: string): CliOption => ({ type: "string", value: "N", help });

/** The `--db` option of the benchmarks that run the app. */
export const DB_OPTION: CliOption = {
  type: "string",
  value: "sqlite|pg",
  help: "la base de l'app (sqlite par défaut ; pg : BENCH_DATABASE_URL ou TEST_DATABASE_URL)",
};

/** `--cpu-prof DIR`: the app runs under `node --cpu-prof`; its profile lands in DIR when it stops. */
export const CPU_PROF_OPTION: CliOption = {
  type: "string",
  value: "DIR",
  help: "profil CPU de l'app (node --cpu-prof), écrit dans DIR à son arrêt",
};

/** The app's node arguments for `--cpu-prof DIR` (none without it). */
export function cpuProfArgs(dir: string | undefined): string[] {
  if (dir === undefined) return [];
  fs.mkdirSync(dir, { recursive: true });
  return ["--cpu-prof", `--cpu-prof-dir=${path.resolve(dir)}`];
}

// ---------------------------------------------------------------- formatting

/** A rounded integer, grouped the French way with plain spaces: « 12 345 ». */
export const frInt = (n: number) =>
  Math.round(n)
    .toLocaleString("fr-FR")
    .replace(/[\u202f\u00a0]/g, " ");

/** « 0 erreur », « 1 erreur », « 2 erreurs ». */
export const plural = (n: number, one: string, many: string) =>
  `${frInt(n)} ${n === 0 || n === 1 ? one : many}`;

/** « machine: 2 cœurs, <CPU model>, Node v20… », then « , base: … » when given. */
export function machineLine(database?: BenchDatabase): string {
  const cpus = os.cpus();
  const base = database ? `, base: ${database.description}` : "";
  return `machine: ${cpus.length} cœurs, ${cpus[0]?.model ?? "?"}, Node ${process.version}${base}`;
}

/** « 1 234,50 € » (groups: U+202F, U+00A0 or space; comma decimals) → cents. */
export function parseEuros(text: string): number {
  const cleaned = text.replace(/[\s\u202f\u00a0]/g, "").replace(/€$/, "");
  const m = /^(\d+)(?:,(\d{1,2}))?$/.exec(cleaned);
  if (!m) throw new Error(`montant illisible : « ${text} »`);
  const euros = Number(m[1]);
  const cents = m[2] === undefined ? 0 : Number(m[2].padEnd(2, "0"));
  return euros * 100 + cents;
}

/** The collected amount a campaign page shows (its .panel__big), in cents. */
export function collectedCents(html: string): number {
  const m = /<[a-z]+\s+class="panel__big"[^>]*>([^<]*)</.exec(html);
  if (!m || m[1] === undefined) throw new Error("élément .panel__big introuvable dans la page");
  return parseEuros(m[1]);
}

// ---------------------------------------------------------------- cleanup and exit

export type CleanupStep = () => Promise<void> | void;

/**
 * A stack of cleanup steps, run last pushed first (after `first`, when given),
 * each step's failure logged and passed over. SIGINT and SIGTERM run it, saying
 * `stopping`, then exit 130.
 *
 * Ctrl-C reaches the benchmark more than once (the terminal signals the whole process group,
 * and npm and tsx relay it again): signals within 2 s of the first are ignored, so that the
 * cleanup (stopping servers, dropping a PostgreSQL database) runs to its end; a later one
 * (a second Ctrl-C) stops at once. Calls to `cleanup` queue behind one another, so that
 * runBench's final cleanup waits for a signal's one, and steps pushed meanwhile still run.
 */
export function cleanupStack(
  stopping: string,
  first?: () => void,
): { cleanups: CleanupStep[]; cleanup: () => Promise<void> } {
  const cleanups: CleanupStep[] = [];
  async function drain(): Promise<void> {
    first?.();
    while (cleanups.length > 0) {
      const step = cleanups.pop()!;
      try {
        await step();
      } catch (error) {
        console.error("nettoyage :", error);
      }
    }
  }
  let queue: Promise<void> = Promise.resolve();
  function cleanup(): Promise<void> {
    queue = queue.then(drain);
    return queue;
  }
  let signalledAt: number | null = null;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (signalledAt !== null) {
        if (Date.now() - signalledAt < 2000) return;
        console.error(`\n${signal} reçu de nouveau : arrêt sans attendre la fin du nettoyage`);
        process.exit(130);
      }
      signalledAt = Date.now();
      console.error(`\n${signal} reçu : ${stopping}`);
      void cleanup().then(() => process.exit(130));
    });
  }
  return { cleanups, cleanup };
}

/** Runs `main`, then the cleanup whatever happened, and exits with main's code (1 on an error). */
export async function runBench(
  name: string,
  main: () => Promise<number>,
  cleanup: () => Promise<void>,
): Promise<never> {
  let code: number;
  try {
    code = await main();
  } catch (error) {
    console.error(`${name} a échoué :`, error instanceof Error ? error.message : error);
    code = 1;
  } finally {
    await cleanup();
  }
  if (code !== 0) console.error(`${name} : résultat invalide (voir ci-dessus).`);
  process.exit(code);
}

// ---------------------------------------------------------------- the database (--db sqlite|pg)

export interface BenchDatabase {
  /** `--db`'s value */
  kind: "sqlite" | "pg";
  /** pg: the server's admin URL (a role that may CREATE DATABASE); sqlite: null */
  server: string | null;
  /** for the header: « sqlite (SQLite 3.50.2, WAL, synchronous=NORMAL) », « pg (PostgreSQL 15.18 sur 127.0.0.1:5432, synchronous_commit=on) » */
  description: string;
}

const hidePassword = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");

/** Ends the run before it starts: a usage or setup problem (exit 2), said in French. */
function refuse(message: string): never {
  console.error(message);
  process.exit(2);
}

/**
 * `--db sqlite` (default) or `--db pg`. For pg the server is BENCH_DATABASE_URL, else
 * TEST_DATABASE_URL: missing, not a postgres:// URL or not answering → a message and exit 2.
 * The benchmark then makes its own database there (benchDatabaseFile) and drops it at the end.
 */
export async function benchDatabase(value: string | undefined, script: string): Promise<BenchDatabase> {
  const kind = value ?? "sqlite";
  if (kind === "sqlite") {
    const memory = new SQLite(":memory:");
    try {
      const version = memory.prepare("SELECT sqlite_version()").pluck().get() as string;
      return { kind, server: null, description: `sqlite (SQLite ${version}, WAL, synchronous=NORMAL)` };
    } finally {
      memory.close();
    }
  }
  if (kind !== "pg") refuse(`--db attend sqlite ou pg (reçu : ${kind})`);
  const server = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || "";
  const example = "postgres://propulsons:propulsons@127.0.0.1:5432/postgres";
  if (!server)
    refuse(
      "--db pg : indiquez le serveur PostgreSQL dans BENCH_DATABASE_URL (ou TEST_DATABASE_URL), par exemple\n" +
        `  BENCH_DATABASE_URL=${example} npm run ${script} -- --db pg\n` +
        "(le rôle doit avoir le droit CREATE DATABASE : le banc crée sa propre base, supprimée à la fin).",
    );
  if (!/^postgres(ql)?:\/\//i.test(server))
    refuse(
      `--db pg : BENCH_DATABASE_URL / TEST_DATABASE_URL doit être une URL postgres:// (reçu : ${hidePassword(server)})`,
    );
  const client = new pg.Client({ connectionString: server, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const setting = async (name: string) =>
      (await client.query<Record<string, string>>(`SHOW ${name}`)).rows[0]![name]!;
    const version = (await setting("server_version")).replace(/ .*/, "");
    const url = new URL(server);
    return {
      kind,
      server,
      description: `pg (PostgreSQL ${version} sur ${url.hostname}:${url.port || 5432}, synchronous_commit=${await setting("synchronous_commit")})`,
    };
  } catch (error) {
    refuse(
      `--db pg : PostgreSQL ne répond pas à ${hidePassword(server)} : ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A fresh database of that kind (a SQLite file in a temporary folder, or a new PostgreSQL
 * database on the server), removed by the cleanup: what the app's DATABASE_PATH and
 * openDatabase accept.
 */
export function benchDatabaseFile(cleanups: CleanupStep[], database: BenchDatabase, label: string): string {
  const tmp = tempDatabasePath(label, database.server);
  cleanups.push(() => tmp.cleanup());
  return tmp.file;
}

/** A connection of the benchmark's own (Kysely, either dialect), closed after `fn`. */
export async function withDatabase<T>(file: string, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = openDatabase(file, { poolSize: 1 });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

// ---------------------------------------------------------------- the app and its data

/** The built app on 127.0.0.1 with this database file, stopped by the cleanup. */
export async function startApp(
  cleanups: CleanupStep[],
  file: string,
  extra: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<RunningServer> {
  // The benchmark's own database: a DATABASE_URL inherited from the shell would win over DATABASE_PATH.
  delete process.env.DATABASE_URL;
  // JSON log lines, as in production (PROPULSONS_ENV=production's default), not the terminal's.
  const app = await startServer(
    { DATABASE_PATH: file, HOST: "127.0.0.1", LOG_FORMAT: "json", ...extra },
    { nodeArgs },
  );
  cleanups.push(() => app.stop());
  return app;
}

/** The live campaign of the demo data that ends first. */
export async function firstLiveCampaign(file: string): Promise<{ id: number; slug: string }> {
  const campaign = await withDatabase(file, ({ db }) =>
    db
      .selectFrom("campaigns")
      .select(["id", "slug"])
      .where("status", "=", "live")
      .orderBy("ends_at")
      .orderBy("id")
      .limit(1)
      .executeTakeFirst(),
  );
  if (!campaign) throw new Error("aucune campagne en cours dans la base de démonstration");
  return campaign;
}
