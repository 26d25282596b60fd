/**
 * Authorization matrix of the holder space: every route × {anonymous, citizen,
 * other holder, owner holder, staff}, expected status for each, checked over HTTP
 * against the built server. Someone else's campaign answers 404, like a missing one.
 */
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDatabasePath } from "../support/db";
import { httpClient } from "../support/http-session";
import { freePort, startServer, type RunningServer } from "../support/server";

type Who = "anonyme" | "citoyen" | "autre porteur" | "porteur" | "équipe";
const WHO: Who[] = ["anonyme", "citoyen", "autre porteur", "porteur", "équipe"];

let server: RunningServer;
let tmp: ReturnType<typeof tempDatabasePath>;
let client: ReturnType<typeof httpClient>;
const cookies: Partial<Record<Who, string>> = {};
let campaign = 0;
let structure = 0;

beforeAll(async () => {
  tmp = tempDatabasePath("holder-matrix");
  const outbox = path.join(path.dirname(tmp.file), "outbox.jsonl");
  const port = await freePort();
  server = await startServer(
    {
      DATABASE_PATH: tmp.file,
      DEMO_OUTBOX_PATH: outbox,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SETTLE_INTERVAL_SECONDS: "0",
    },
    { port },
  );
  client = httpClient(server, outbox);
  const db = new SQLite(tmp.file);
  // The owner: the holder of a live seeded campaign; the other holder: the holder of another one.
  const holders = db
    .prepare(
      "select c.id, o.id org, u.email from campaigns c join organizations o on o.id = c.organization_id join users u on u.id = o.owner_user_id where c.status = 'live' order by c.id limit 2",
    )
    .all() as Array<{ id: number; org: number; email: string }>;
  db.close();
  campaign = holders[0]!.id;
  structure = holders[0]!.org;
  cookies["porteur"] = await client.signIn(holders[0]!.email);
  cookies["autre porteur"] = await client.signIn(holders[1]!.email);
  cookies["citoyen"] = await client.signIn("simple.citoyenne@example.org");
  cookies["équipe"] = await client.signIn("agent.departement@example.org");
  const staff = new SQLite(tmp.file);
  staff.prepare("update users set role = 'staff' where email = ?").run("agent.departement@example.org");
  staff.close();
});

afterAll(async () => {
  await server?.stop();
  tmp?.cleanup();
});

const signIn = (p: string) => `302 → /connexion?retour=${encodeURIComponent(p)}`;

describe("holder space × roles", () => {
  it("answers each role as expected on every holder route", async () => {
    const c = () => `/porteur/campagnes/${campaign}`;
    const rows: Array<{
      method: "GET" | "POST";
      path: string;
      form?: Record<string, string>;
      expected: Record<Who, string>;
    }> = [
      {
        method: "GET",
        path: "/porteur",
        expected: {
          anonyme: signIn("/porteur"),
          citoyen: "200",
          "autre porteur": "200",
          porteur: "200",
          équipe: "200",
        },
      },
      {
        method: "GET",
        path: "/porteur/structure",
        expected: {
          anonyme: signIn("/porteur/structure"),
          citoyen: "200",
          "autre porteur": "200",
          porteur: "200",
          équipe: "200",
        },
      },
      {
        method: "GET",
        path: "/porteur/campagnes/nouvelle",
        expected: {
          anonyme: signIn("/porteur/campagnes/nouvelle"),
          citoyen: "302 → /porteur/structure",
          "autre porteur": "200",
          porteur: "200",
          équipe: "302 → /porteur/structure",
        },
      },
      {
        method: "GET",
        path: c(),
        expected: {
          anonyme: signIn(c()),
          citoyen: "404",
          "autre porteur": "404",
          porteur: "200",
          équipe: "404",
        },
      },
      {
        method: "GET",
        path: `${c()}/apercu`,
        expected: {
          anonyme: signIn(`${c()}/apercu`),
          citoyen: "404",
          "autre porteur": "404",
          porteur: "200",
          équipe: "404",
        },
      },
      {
        method: "GET",
        path: `${c()}/tableau-de-bord`,
        expected: {
          anonyme: signIn(`${c()}/tableau-de-bord`),
          citoyen: "404",
          "autre porteur": "404",
          porteur: "200",
          équipe: "404",
        },
      },
      {
        method: "GET",
        path: `${c()}/contributions.csv`,
        expected: {
          anonyme: signIn(`${c()}/contributions.csv`),
          citoyen: "404",
          "autre porteur": "404",
          porteur: "200",
          équipe: "404",
        },
      },
      {
        method: "GET",
        path: `${c()}/actualites`,
        expected: {
          anonyme: signIn(`${c()}/actualites`),
          citoyen: "404",
          "autre porteur": "404",
          porteur: "200",
          équipe: "404",
        },
      },
      // A live campaign: saving only touches the story (frozen otherwise); others cannot at all.
      {
        method: "POST",
        path: c(),
        form: { intent: "submit" },
        expected: {
          anonyme: signIn(c()),
          citoyen: "404",
          "autre porteur": "404",
          porteur: "409",
          équipe: "404",
        },
      },
      {
        method: "POST",
        path: `${c()}/actualites`,
        form: { titre: "x", texte: "y" },
        expected: {
          anonyme: signIn(`${c()}/actualites`),
          citoyen: "404",
          "autre porteur": "404",
          porteur: "400",
          équipe: "404",
        },
      },
      {
        method: "POST",
        path: "/porteur/paiements",
        form: { structure: String(structure) },
        expected: {
          anonyme: signIn("/porteur/paiements"),
          citoyen: "404",
          "autre porteur": "404",
          porteur: "303",
          équipe: "404",
        },
      },
    ];
    const seen: Record<string, Record<Who, string>> = {};
    const expected: Record<string, Record<Who, string>> = {};
    for (const row of rows) {
      const key = `${row.method} ${row.path}`;
      expected[key] = row.expected;
      seen[key] = {} as Record<Who, string>;
      for (const who of WHO) {
        const answer = await client.call(row.method, row.path, { cookie: cookies[who], form: row.form });
        const location = answer.location && answer.status === 302 ? ` → ${answer.location}` : "";
        seen[key][who] = `${answer.status}${location}`;
      }
    }
    expect(seen).toEqual(expected);
  });
});
