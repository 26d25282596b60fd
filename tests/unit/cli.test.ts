/**
 * The command-line parsing every script shares (scripts/cli.ts), on a sample command:
 * what is a mistake, in which French words, and what a right call gives. The scripts
 * themselves are run as child processes in tests/integration/cli.test.ts.
 */
import { describe, expect, it } from "vitest";
import { interpretCli, usage, type CliOption, type CliSpec } from "../../scripts/cli";

const SPEC = {
  command: "npm run exemple",
  synopsis: "<slug> [<compte>] --reason <motif>",
  description: "Une commande d'exemple.\nSur deux lignes.",
  options: {
    reason: { type: "string", value: "motif", help: "le motif" },
    now: { type: "string", short: "n", value: "instant", help: "l'instant" },
    "dry-run": { type: "boolean", help: "ne rien écrire" },
  },
  positionals: ["<slug>", "<compte>"],
  optionalFrom: 1,
} as const satisfies CliSpec<Record<string, CliOption>>;

const mistake = (...argv: string[]) => {
  const outcome = interpretCli(SPEC, argv);
  if (outcome.kind !== "mistake") throw new Error(`expected a mistake, got ${JSON.stringify(outcome)}`);
  return outcome.message.split("\n")[0];
};

describe("interpretCli", () => {
  it("gives the values and the positional arguments of a right call", () => {
    expect(interpretCli(SPEC, ["velo", "--reason", "Dissoute", "--dry-run"])).toEqual({
      kind: "run",
      values: { reason: "Dissoute", "dry-run": true },
      positionals: ["velo"],
    });
    expect(interpretCli(SPEC, ["velo", "acct_1", "--reason=Un motif", "-n", "2026-01-01T00:00:00Z"])).toEqual(
      {
        kind: "run",
        values: { reason: "Un motif", now: "2026-01-01T00:00:00Z" },
        positionals: ["velo", "acct_1"],
      },
    );
  });

  it("names an unknown option, long or short, in French", () => {
    expect(mistake("velo", "--raison", "x")).toBe("Option inconnue : --raison");
    expect(mistake("velo", "--reason=x", "--dryrun")).toBe("Option inconnue : --dryrun");
    expect(mistake("velo", "-x")).toBe("Option inconnue : -x");
  });

  it("refuses an option without its value, and a switch given a value", () => {
    expect(mistake("velo", "--reason")).toBe("L'option --reason attend une valeur.");
    expect(mistake("velo", "--dry-run=oui")).toBe("L'option --dry-run ne prend pas de valeur.");
  });

  it("refuses a value that looks like an option (strict parseArgs), in French", () => {
    expect(mistake("velo", "--reason", "--now", "2026")).toMatch(/^Ligne de commande invalide \(/);
  });

  it("counts the positional arguments", () => {
    expect(mistake("--reason", "x")).toBe("Argument manquant : <slug>.");
    expect(mistake("velo", "acct_1", "encore")).toBe("Argument inattendu : « encore ».");
    const none = { ...SPEC, positionals: [], optionalFrom: undefined };
    expect(interpretCli(none, ["velo"])).toMatchObject({ kind: "mistake" });
    expect((interpretCli(none, ["velo"]) as { message: string }).message).toMatch(
      /^Argument inattendu : « velo »\./,
    );
  });

  it("a mistake comes with the usage", () => {
    const outcome = interpretCli(SPEC, ["--raison"]);
    expect(outcome).toEqual({ kind: "mistake", message: `Option inconnue : --raison\n\n${usage(SPEC)}` });
  });

  it("--help and -h win over everything else, even a mistake", () => {
    expect(interpretCli(SPEC, ["--help"])).toEqual({ kind: "help", text: usage(SPEC) });
    expect(interpretCli(SPEC, ["--raison", "-h"])).toEqual({ kind: "help", text: usage(SPEC) });
  });

  it("the usage is French, lists every option with its value and -h, --help", () => {
    expect(usage(SPEC)).toBe(
      [
        "Usage : npm run exemple -- <slug> [<compte>] --reason <motif>",
        "",
        "  Une commande d'exemple.",
        "  Sur deux lignes.",
        "",
        "Options :",
        "  --reason <motif>     le motif",
        "  -n, --now <instant>  l'instant",
        "  --dry-run            ne rien écrire",
        "  -h, --help           affiche cette aide",
      ].join("\n"),
    );
  });
});
