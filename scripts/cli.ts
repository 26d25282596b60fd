/**
 * Shared by the command-line scripts: their command line, parsed by `node:util`'s strict
 * `parseArgs` (an option that does not exist, a missing value or an argument too many stop
 * the command with exit code 2 and a French message, before it touches anything; `-h` /
 * `--help` prints the usage), and the configured database, migrated.
 *
 * Option names are English, like the code (`--now`, `--reason`, `--name`, `--remove`);
 * messages and usages are French, like everything an operator reads.
 */
import { parseArgs } from "node:util";
import { config } from "../app/config.server";
import { migrateToLatest, openDatabase, type Database } from "../db/connection";

export async function openConfiguredDatabase(): Promise<Database> {
  const database = openDatabase(config().databasePath, { lockTimeoutMs: config().databaseLockTimeoutMs });
  await migrateToLatest(database.db);
  return database;
}

/** One option: a string (`--now <instant>`) or a switch (`--reset`), and its line in the usage. */
export interface CliOption {
  type: "string" | "boolean";
  /** a one-letter alias, `-x` */
  short?: string;
  /** for a string option, what the value is, shown as `--name <value>` */
  value?: string;
  /** one line of French */
  help: string;
}

export interface CliSpec<O extends Record<string, CliOption>> {
  /** how it is run: « npm run settle » */
  command: string;
  /** the arguments after the command, in the usage line: « <slug> --reason "motif" » */
  synopsis?: string;
  /** what it does, in French (shown under the usage) */
  description: string;
  options: O;
  /** names of the positional arguments, in order; all required unless `optionalFrom` says otherwise */
  positionals?: readonly string[];
  /** positional arguments from this index on may be left out */
  optionalFrom?: number;
}

type Values<O extends Record<string, CliOption>> = {
  [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string;
};

export interface ParsedCli<O extends Record<string, CliOption>> {
  values: Values<O>;
  positionals: string[];
}

const HELP: CliOption = { type: "boolean", short: "h", help: "affiche cette aide" };

/** The French usage of a command: « Usage : … », what it does, its options. */
export function usage<O extends Record<string, CliOption>>(spec: CliSpec<O>): string {
  const lines = [`Usage : ${spec.command}${spec.synopsis ? ` -- ${spec.synopsis}` : ""}`, ""];
  lines.push(...spec.description.split("\n").map((l) => (l ? `  ${l}` : "")), "");
  const entries: Array<[string, string]> = Object.entries({ ...spec.options, help: HELP }).map(
    ([name, o]) => [
      `${o.short ? `-${o.short}, ` : ""}--${name}${o.type === "string" ? ` <${o.value ?? "valeur"}>` : ""}`,
      o.help,
    ],
  );
  const width = Math.max(...entries.map(([left]) => left.length));
  lines.push("Options :", ...entries.map(([left, text]) => `  ${left.padEnd(width)}  ${text}`));
  return lines.join("\n");
}

/** What a command line asks for: the usage, a run, or nothing because of a mistake. */
export type CliOutcome<O extends Record<string, CliOption>> =
  { kind: "help"; text: string } | { kind: "mistake"; message: string } | ({ kind: "run" } & ParsedCli<O>);

/** Interpret `argv` against `spec`, without side effects (parseCli acts on the outcome). */
export function interpretCli<const O extends Record<string, CliOption>>(
  spec: CliSpec<O>,
  argv: readonly string[],
): CliOutcome<O> {
  const args = [...argv];
  const all: Record<string, CliOption> = { ...spec.options, help: HELP };
  const options = Object.fromEntries(
    Object.entries(all).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
  );
  const names = spec.positionals ?? [];
  const allowPositionals = names.length > 0;
  const mistake = (message: string): CliOutcome<O> => ({
    kind: "mistake",
    message: `${message}\n\n${usage(spec)}`,
  });

  // A first, lenient pass gives the tokens, so that each mistake is named in French.
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((t) => t.kind === "option" && t.name === "help"))
    return { kind: "help", text: usage(spec) };
  for (const token of tokens) {
    if (token.kind === "positional" && !allowPositionals)
      return mistake(`Argument inattendu : « ${token.value} ».`);
    if (token.kind !== "option") continue;
    const option = all[token.name];
    if (!option) return mistake(`Option inconnue : ${token.rawName}`);
    if (option.type === "string" && token.value === undefined)
      return mistake(`L'option --${token.name} attend une valeur.`);
    if (option.type === "boolean" && token.inlineValue)
      return mistake(`L'option --${token.name} ne prend pas de valeur.`);
  }

  // The strict pass is the one whose result is used; it refuses what the first let through
  // (a value that looks like an option, `--reason --now`, for instance).
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    return mistake(`Ligne de commande invalide (${error instanceof Error ? error.message : String(error)}).`);
  }
  const required = spec.optionalFrom ?? names.length;
  if (parsed.positionals.length > names.length)
    return mistake(`Argument inattendu : « ${parsed.positionals[names.length]} ».`);
  if (parsed.positionals.length < required)
    return mistake(`Argument manquant : ${names[parsed.positionals.length]}.`);
  return { kind: "run", values: parsed.values as Values<O>, positionals: parsed.positionals };
}

/**
 * Parse `argv` (default: the process's arguments) against `spec`, or stop the process:
 * `--help` → usage on stdout, exit 0; a mistake → French message and usage on stderr, exit 2.
 */
export function parseCli<const O extends Record<string, CliOption>>(
  spec: CliSpec<O>,
  argv: readonly string[] = process.argv.slice(2),
): ParsedCli<O> {
  const outcome = interpretCli(spec, argv);
  if (outcome.kind === "help") {
    console.log(outcome.text);
    process.exit(0);
  }
  if (outcome.kind === "mistake") fail(outcome.message);
  return { values: outcome.values, positionals: outcome.positionals };
}

/** Print `message` on stderr and exit 2: a refusal (bad value, unknown campaign…). */
export function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
