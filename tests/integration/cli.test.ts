/**
 * Every command of scripts/ parses its command line with `node:util`'s strict `parseArgs`
 * (scripts/cli.ts): run as an operator runs it (a child process through tsx), a misspelt
 * option, a missing value or an unexpected argument stops it with exit code 2 and a French
 * message naming the culprit, before it touches anything; `--help` / `-h` prints a French
 * usage and exits 0. The parsing's other cases are in tests/unit/cli.test.ts.
 *
 * Each run gets a database path in a fresh temporary directory that does not exist yet:
 * a refused command must not have created it (nor anything else in that directory).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/server";

const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** what the command left in its temporary directory */
  created: string[];
}

function run(script: string, args: string[]): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-cli-"));
  dirs.push(dir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_PATH: path.join(dir, "propulsons.sqlite"),
    UPLOADS_DIR: path.join(dir, "uploads"),
    SEED_DEMO_DATA: "0",
  };
  for (const k of ["PROPULSONS_ENV", "DATABASE_URL", "STRIPE_SECRET_KEY", "RESEND_API_KEY"]) delete env[k];
  return new Promise((resolve) => {
    execFile(TSX, [script, ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), created: fs.readdirSync(dir) });
    });
  });
}

/** Each command, a valid-looking call with one misspelt option, and the name of its usage. */
const COMMANDS: Array<{ name: string; script: string; misspelt: string[]; bad: string }> = [
  { name: "settle", script: "scripts/settle.ts", misspelt: ["--nwo", "2026-03-31T22:00:00Z"], bad: "--nwo" },
  {
    name: "reconcile",
    script: "scripts/reconcile.ts",
    misspelt: ["--rebuild-figure"],
    bad: "--rebuild-figure",
  },
  {
    name: "campaign:cancel",
    script: "scripts/cancel-campaign.ts",
    misspelt: ["atelier-velo", "--reason", "Structure dissoute", "--force"],
    bad: "--force",
  },
  {
    name: "org:link-stripe",
    script: "scripts/link-stripe-account.ts",
    misspelt: ["atelier-velo", "acct_1ABC", "--dry-run"],
    bad: "--dry-run",
  },
  {
    name: "staff:add",
    script: "scripts/staff-add.ts",
    misspelt: ["agent@pasdecalais.fr", "--nme", "Agent Public"],
    bad: "--nme",
  },
  {
    name: "staff:add",
    script: "scripts/staff-add.ts",
    misspelt: ["agent@pasdecalais.fr", "--remvoe"],
    bad: "--remvoe",
  },
  { name: "seed", script: "scripts/seed.ts", misspelt: ["--rest"], bad: "--rest" },
  { name: "bench:pages", script: "scripts/bench-pages.ts", misspelt: ["--duraton", "1"], bad: "--duraton" },
  {
    name: "bench:webhooks",
    script: "scripts/bench-webhooks.ts",
    misspelt: ["--event", "10"],
    bad: "--event",
  },
  {
    name: "bench:settle",
    script: "scripts/bench-settle.ts",
    misspelt: ["--contribution", "10"],
    bad: "--contribution",
  },
  {
    name: "bench:figures",
    script: "scripts/bench-figures.ts",
    misspelt: ["--campaign", "10"],
    bad: "--campaign",
  },
];

describe.concurrent("a misspelt option", { timeout: 90_000 }, () => {
  for (const c of COMMANDS) {
    it(`${c.name} ${c.misspelt.join(" ")}: exit 2, « Option inconnue : ${c.bad} », nothing written`, async () => {
      const r = await run(c.script, c.misspelt);
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: "" });
      expect(r.stderr).toContain(`Option inconnue : ${c.bad}`);
      expect(r.stderr).toContain(`Usage : npm run ${c.name}`);
      expect(r.stderr).not.toMatch(/Unknown option|TypeError|at .*\.ts:\d+/);
      expect(r.created).toEqual([]);
    });
  }
});

describe.concurrent("--help, -h, and a call that is right", { timeout: 90_000 }, () => {
  for (const [script, name, flag] of [
    ["scripts/settle.ts", "settle", "--help"],
    ["scripts/staff-add.ts", "staff:add", "-h"],
    ["scripts/bench-webhooks.ts", "bench:webhooks", "--help"],
  ] as const) {
    it(`${name} ${flag} prints the French usage and exits 0 without touching anything`, async () => {
      const r = await run(script, [flag]);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
      expect(r.stdout).toMatch(new RegExp(`^Usage : npm run ${name}`));
      expect(r.stdout).toContain("Options :");
      expect(r.stdout).toContain("-h, --help");
      expect(r.created).toEqual([]);
    });
  }

  it("a missing argument: exit 2 and the usage", async () => {
    const r = await run("scripts/link-stripe-account.ts", ["atelier-velo"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Argument manquant : <acct_…>.");
    expect(r.stderr).toContain("Usage : npm run org:link-stripe");
    expect(r.created).toEqual([]);
  });

  it("a valid call still runs: seed --reset on an empty path creates and seeds the database", async () => {
    const r = await run("scripts/seed.ts", ["--reset"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Données de démonstration chargées");
    expect(r.created).toContain("propulsons.sqlite");
  });
});
