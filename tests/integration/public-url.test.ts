/**
 * The platform's public address in every process: the server records the address it
 * serves; a command (another process, no PORT, no PUBLIC_URL) reads it for its e-mails.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isPostgresUrl, migrateToLatest, openDatabase, type Database } from "#db/connection";
import { tempDatabasePath } from "../support/db";

// Before any app module reads the configuration (config() caches on first call).
delete process.env.PUBLIC_URL;
delete process.env.PORT;
const { FALLBACK_PUBLIC_URL, publicUrl, recordPublicUrl } = await import("~/public-url.server");

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSX = path.join(root, "node_modules/.bin/tsx");

let tmp: ReturnType<typeof tempDatabasePath>;
let database: Database;

beforeEach(async () => {
  tmp = tempDatabasePath("public-url");
  database = openDatabase(tmp.file);
  await migrateToLatest(database.db);
});

afterEach(async () => {
  await database.close();
  tmp.cleanup();
});

/** What `publicUrl(db)` returns in a separate process, as `npm run settle` would call it. */
function publicUrlInCommand(env: Record<string, string> = {}): string {
  const code = `
    import { openConfiguredDatabase } from "./scripts/cli.ts";
    import { publicUrl } from "./app/public-url.server.ts";
    (async () => {
      const database = await openConfiguredDatabase();
      console.log(await publicUrl(database.db));
      await database.close();
    })();`;
  const childEnv: Record<string, string> = { ...env };
  for (const k of ["PATH", "HOME", "TMPDIR"]) if (process.env[k] !== undefined) childEnv[k] = process.env[k]!;
  childEnv[isPostgresUrl(tmp.file) ? "DATABASE_URL" : "DATABASE_PATH"] = tmp.file;
  const r = spawnSync(TSX, ["--eval", code], {
    cwd: root,
    env: childEnv as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}

describe("publicUrl", () => {
  it("falls back to http://localhost:3000 when no server ever recorded its address", async () => {
    expect(await publicUrl(database.db)).toBe(FALLBACK_PUBLIC_URL);
    expect(FALLBACK_PUBLIC_URL).toBe("http://localhost:3000");
  });

  it("returns the address a server recorded, in this process and inside a transaction", async () => {
    await recordPublicUrl(database.db, "http://localhost:4123/");
    expect(await publicUrl(database.db)).toBe("http://localhost:4123");
    expect(await database.db.transaction().execute((trx) => publicUrl(trx))).toBe("http://localhost:4123");
    // A later server start (another port) replaces it.
    await recordPublicUrl(database.db, "http://localhost:4200");
    expect(await publicUrl(database.db)).toBe("http://localhost:4200");
    expect(await database.db.selectFrom("platform_settings").select(["key", "value"]).execute()).toEqual([
      { key: "public_url", value: "http://localhost:4200" },
    ]);
  });

  it("gives a command (another process, no PORT) the address the server recorded", async () => {
    await recordPublicUrl(database.db, "http://localhost:4123");
    expect(publicUrlInCommand()).toBe("http://localhost:4123");
  });

  it("prefers the command's own PUBLIC_URL to what was recorded", async () => {
    await recordPublicUrl(database.db, "http://localhost:4123");
    expect(publicUrlInCommand({ PUBLIC_URL: "https://propulsons.example/" })).toBe(
      "https://propulsons.example",
    );
  });
});
