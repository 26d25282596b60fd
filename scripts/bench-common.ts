/**
 * What the benchmark scripts (bench-pages, bench-webhooks, bench-settle) share:
 * option parsing, French number formatting, the machine line, the cleanup
 * stack (also run on SIGINT/SIGTERM), the demo campaign they target, starting
 * the built app, and the run's exit code.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import SQLite from "better-sqlite3";
import { startServer, type RunningServer } from "../tests/support/server";

// ---------------------------------------------------------------- options

/**
 * An integer option: `fallback` when absent, an error naming the option when
 * not an integer in range (« ≥ min », or « entre min et max » when `max` is given).
 */
export function positiveInt(name: string, value: string | undefined, fallback: number, min = 1, max?: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (max === undefined) {
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} attend un entier ≥ ${min} (reçu : ${value})`);
  } else if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`--${name} attend un entier entre ${min} et ${max} (reçu : ${value})`);
  }
  return n;
}

/** The command line's `--name value` options (all strings); an unknown option is an error. */
export function stringOptions<const K extends string>(names: readonly K[]): Partial<Record<K, string>> {
  const options = Object.fromEntries(names.map((name) => [name, { type: "string" as const }]));
  const { values } = parseArgs({ options, strict: true });
  return values as Partial<Record<K, string>>;
}

// ---------------------------------------------------------------- formatting

/** A rounded integer, grouped the French way with plain spaces: « 12 345 ». */
export const frInt = (n: number) =>
  Math.round(n)
    .toLocaleString("fr-FR")
    .replace(/[\u202f\u00a0]/g, " ");

/** « 0 erreur », « 1 erreur », « 2 erreurs ». */
export const plural = (n: number, one: string, many: string) => `${frInt(n)} ${n === 0 || n === 1 ? one : many}`;

/** « machine: 2 cœurs, <CPU model>, Node v20… » */
export function machineLine(): string {
  const cpus = os.cpus();
  return `machine: ${cpus.length} cœurs, ${cpus[0]?.model ?? "?"}, Node ${process.version}`;
}

// ---------------------------------------------------------------- cleanup and exit

export type CleanupStep = () => Promise<void> | void;

/**
 * A stack of cleanup steps, run last pushed first (after `first`, when given),
 * each step's failure logged and passed over. SIGINT and SIGTERM run it, saying
 * `stopping`, then exit 130.
 */
export function cleanupStack(
  stopping: string,
  first?: () => void
): { cleanups: CleanupStep[]; cleanup: () => Promise<void> } {
  const cleanups: CleanupStep[] = [];
  async function cleanup(): Promise<void> {
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
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal} reçu : ${stopping}`);
      void cleanup().then(() => process.exit(130));
    });
  }
  return { cleanups, cleanup };
}

/** Runs `main`, then the cleanup whatever happened, and exits with main's code (1 on an error). */
export async function runBench(name: string, main: () => Promise<number>, cleanup: () => Promise<void>): Promise<never> {
  let code = 1;
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

// ---------------------------------------------------------------- the app and its data

/** The built app on 127.0.0.1 with this database file, stopped by the cleanup. */
export async function startApp(
  cleanups: CleanupStep[],
  file: string,
  extra: Record<string, string> = {}
): Promise<RunningServer> {
  const app = await startServer({ DATABASE_PATH: file, HOST: "127.0.0.1", ...extra });
  cleanups.push(() => app.stop());
  return app;
}

/** The live campaign of the demo data that ends first. */
export function firstLiveCampaign(file: string): { id: number; slug: string } {
  const ro = new SQLite(file, { readonly: true, fileMustExist: true });
  let campaign: { id: number; slug: string } | undefined;
  try {
    campaign = ro
      .prepare("SELECT id, slug FROM campaigns WHERE status = 'live' ORDER BY ends_at, id LIMIT 1")
      .get() as { id: number; slug: string } | undefined;
  } finally {
    ro.close();
  }
  if (!campaign) throw new Error("aucune campagne en cours dans la base de démonstration");
  return campaign;
}
