/**
 * `npm run staff:add` / `npm run staff:remove` (scripts/staff-add.ts) as an operator runs
 * them: a real child process (tsx) on a real database named by DATABASE_PATH (a SQLite file,
 * or a PostgreSQL URL under npm run test:pg).
 * Exit code 0 on success, 2 on a refusal, with a French message.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { tempDatabasePath } from "../support/db";
import { ROOT } from "../support/server";

let tmp: ReturnType<typeof tempDatabasePath>;
/** The test's own connection, as a second process would open it (SQLite file or PostgreSQL). */
let database: Database;

beforeAll(async () => {
  tmp = tempDatabasePath("staff-cli");
  database = openDatabase(tmp.file);
  await migrateToLatest(database.db);
});

afterAll(async () => {
  await database?.close();
  tmp?.cleanup();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: tmp.file, SEED_DEMO_DATA: "0" };
  delete env.PROPULSONS_ENV;
  return new Promise((resolve) => {
    execFile(command, args, { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** `npx tsx scripts/staff-add.ts …` (the local tsx binary, without npx's own chatter). */
const staffAdd = (...args: string[]) =>
  run(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/staff-add.ts", ...args]);

interface UserRow {
  id: number;
  email: string;
  display_name: string;
  role: string;
}

async function user(email: string): Promise<UserRow | undefined> {
  return database.db
    .selectFrom("users")
    .select(["id", "email", "display_name", "role"])
    .where("email", "=", email)
    .executeTakeFirst();
}

async function userCount(): Promise<number> {
  const r = await database.db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function insertUser(
  email: string,
  name: string,
  role: "citizen" | "holder" | "staff",
): Promise<number> {
  const r = await database.db
    .insertInto("users")
    .values({ email, display_name: name, role, created_at: "2026-01-01T00:00:00.000Z" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

async function openSession(userId: number, idHash: string): Promise<void> {
  await database.db
    .insertInto("sessions")
    .values({
      id_hash: idHash,
      user_id: userId,
      created_at: "2026-11-01T00:00:00.000Z",
      expires_at: "2099-01-01T00:00:00.000Z",
      revoked_at: null,
      user_agent: null,
    })
    .execute();
}

async function sessions(userId: number) {
  return database.db
    .selectFrom("sessions")
    .select(["id_hash", "revoked_at"])
    .where("user_id", "=", userId)
    .orderBy("id_hash")
    .execute();
}

/** Each case starts tsx once or more (about a second each, more on a busy machine). */
const SLOW = { timeout: 120_000 };

describe("staff:add", SLOW, () => {
  it("creates a staff account, with the name given", async () => {
    const r = await staffAdd("agnes.nouvel@pasdecalais.fr", "--name", "Agnès Nouvel");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "Compte créé pour agnes.nouvel@pasdecalais.fr avec l'accès à l'espace Département.",
    );
    expect(r.stdout).toContain("/gestion");
    expect(r.stdout).not.toContain("Attention");
    expect(await user("agnes.nouvel@pasdecalais.fr")).toMatchObject({
      display_name: "Agnès Nouvel",
      role: "staff",
    });
  });

  it("normalises the address and makes a name from it when none is given; warns about an address outside @pasdecalais.fr", async () => {
    const r = await staffAdd("  Jean-Marc.Dupuis@Example.ORG ");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Compte créé pour jean-marc.dupuis@example.org");
    expect(r.stdout).toContain("Attention : cette adresse n'est pas une adresse @pasdecalais.fr.");
    expect(await user("jean-marc.dupuis@example.org")).toMatchObject({
      display_name: "Jean Marc Dupuis",
      role: "staff",
    });
    expect(await user("  Jean-Marc.Dupuis@Example.ORG ")).toBeUndefined();
  });

  it("promotes an existing citizen (same account, name kept unless one is given), and running it again changes nothing more", async () => {
    const id = await insertUser("lea.citoyenne@example.org", "Léa C.", "citizen");
    const before = await userCount();
    const r = await staffAdd("lea.citoyenne@example.org");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "lea.citoyenne@example.org a maintenant accès à l'espace Département (rôle précédent : citizen).",
    );
    expect(await user("lea.citoyenne@example.org")).toEqual({
      id,
      email: "lea.citoyenne@example.org",
      display_name: "Léa C.",
      role: "staff",
    });
    expect(await userCount()).toBe(before);

    const again = await staffAdd("lea.citoyenne@example.org", "--name=Léa Citoyenne");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("(rôle précédent : staff)");
    expect(await user("lea.citoyenne@example.org")).toEqual({
      id,
      email: "lea.citoyenne@example.org",
      display_name: "Léa Citoyenne",
      role: "staff",
    });
    expect(await userCount()).toBe(before);
  });

  it("refuses an invalid address with exit code 2 and a French message, writing nothing", async () => {
    const before = await userCount();
    for (const bad of ["pas-une-adresse", "a@b", "deux@@example.org"]) {
      const r = await staffAdd(bad, "--name", "Personne");
      expect({ bad, code: r.code }).toEqual({ bad, code: 2 });
      expect(r.stderr).toContain(`«\u00a0${bad}\u00a0» n’est pas une adresse électronique valide.`);
      expect(r.stdout).toBe("");
    }
    expect(await userCount()).toBe(before);
  });

  it("without an address: exit code 2 and the usage, in French", async () => {
    const r = await staffAdd();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Usage : npm run staff:add");
    const onlyName = await staffAdd("--name", "Sans Adresse");
    expect(onlyName.code).toBe(2);
    expect(onlyName.stderr).toContain("Usage");
  });
});

describe("staff:remove (--remove)", SLOW, () => {
  it("demotes a staff member to citizen and revokes their sessions (and only theirs)", async () => {
    await staffAdd("sortant@pasdecalais.fr", "--name", "Agent Sortant");
    const id = (await user("sortant@pasdecalais.fr"))!.id;
    await openSession(id, "hash-sortant-1");
    await openSession(id, "hash-sortant-2");
    const bystander = await insertUser("voisin@example.org", "Voisin", "citizen");
    await openSession(bystander, "hash-voisin");

    const r = await staffAdd("--remove", "Sortant@PasDeCalais.fr");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "sortant@pasdecalais.fr n’a plus accès à l’espace Département\u202f; ses sessions sont fermées.",
    );
    expect(await user("sortant@pasdecalais.fr")).toMatchObject({
      id,
      role: "citizen",
      display_name: "Agent Sortant",
    });
    expect((await sessions(id)).map((s) => [s.id_hash, s.revoked_at !== null])).toEqual([
      ["hash-sortant-1", true],
      ["hash-sortant-2", true],
    ]);
    expect(await sessions(bystander)).toEqual([{ id_hash: "hash-voisin", revoked_at: null }]);

    // no longer staff: removing again is refused (exit 2)
    const again = await staffAdd("--remove", "sortant@pasdecalais.fr");
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("sortant@pasdecalais.fr n’est pas membre de l’équipe.");
  });

  it("a staff member who owns a structure goes back to holder", async () => {
    const id = await insertUser("porteuse.agent@example.org", "Porteuse", "staff");
    await database.db
      .insertInto("organizations")
      .values({
        owner_user_id: id,
        name: "Asso",
        legal_form: "association",
        registration_number: null,
        town: "Arras",
        territory_id: 1,
        stripe_account_id: null,
        created_at: "2026-01-01T00:00:00.000Z",
      })
      .execute();
    const r = await staffAdd("porteuse.agent@example.org", "--remove");
    expect(r.code).toBe(0);
    expect((await user("porteuse.agent@example.org"))?.role).toBe("holder");
  });

  it("refuses someone who is not staff, or nobody, with exit code 2", async () => {
    await insertUser("juste.citoyen@example.org", "Juste", "citizen");
    for (const email of ["juste.citoyen@example.org", "inconnu@example.org"]) {
      const r = await staffAdd("--remove", email);
      expect({ email, code: r.code }).toEqual({ email, code: 2 });
      expect(r.stderr).toContain(`${email} n’est pas membre de l’équipe.`);
    }
    expect((await user("juste.citoyen@example.org"))?.role).toBe("citizen");
    expect(await user("inconnu@example.org")).toBeUndefined();
  });

  it("`npm run staff:remove -- <adresse>` is wired to the same script", async () => {
    await staffAdd("via.npm@pasdecalais.fr");
    expect((await user("via.npm@pasdecalais.fr"))?.role).toBe("staff");
    const r = await run("npm", ["run", "--silent", "staff:remove", "--", "via.npm@pasdecalais.fr"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("via.npm@pasdecalais.fr n’a plus accès à l’espace Département");
    expect((await user("via.npm@pasdecalais.fr"))?.role).toBe("citizen");
  });
});
