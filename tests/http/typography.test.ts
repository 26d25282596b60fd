/**
 * French typography of every page a person can open, over HTTP against the built server
 * (`npm run build` first) on the seeded demo database: the public pages, the 404 page, the pages
 * of a signed-in contributor, of a holder and of the Département's staff, and the answers to
 * forms filled in wrongly (their error messages). The visible text of each (title, meta
 * description, body text, alt/title/aria-label/placeholder; not scripts, styles, code or form
 * values) must have U+00A0 before « : » and inside « », U+202F before « ; ! ? », and ’ between
 * letters (typographyProblems, app/domain/typography.ts). Each fault is printed with its page
 * and the snippet around it.
 */
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STAFF_EMAIL } from "#db/seed/seed";
import { frenchText, typographyProblems } from "~/domain/typography";
import { tempDatabasePath } from "../support/db";
import { httpClient, type Answer } from "../support/http-session";
import { freePort, startServer, type RunningServer } from "../support/server";
import { visibleText } from "../support/visible-text";

let server: RunningServer;
let tmp: ReturnType<typeof tempDatabasePath>;
let client: ReturnType<typeof httpClient>;
let liveSlug = "";
let liveId = 0;
let submittedId = 0;
let draftId = 0;
const cookies: Record<"citoyen" | "porteur" | "porteurEnAttente" | "équipe", string> = {
  citoyen: "",
  porteur: "",
  porteurEnAttente: "",
  équipe: "",
};

/** The seeded texts written by holders and contributors, which the platform shows as they wrote them. */
const WRITTEN_BY_PEOPLE: Record<string, string[]> = {
  campaigns: ["title", "summary", "story_md", "expected_results_md", "timetable_md", "image_alt"],
  campaign_fund_lines: ["label"],
  rewards: ["title", "description"],
  campaign_news: ["title", "body_md"],
  contributions: ["public_name", "message"],
  campaign_transitions: ["reason"],
  organizations: ["name"],
  users: ["display_name"],
};

const env = (port: number, outbox: string) => ({
  DATABASE_PATH: tmp.file,
  DEMO_OUTBOX_PATH: outbox,
  PUBLIC_URL: `http://127.0.0.1:${port}`,
  SETTLE_INTERVAL_SECONDS: "0",
});

beforeAll(async () => {
  tmp = tempDatabasePath("typography");
  const outbox = path.join(path.dirname(tmp.file), "outbox.jsonl");
  const port = await freePort();
  // A first start seeds the demo data; the holders' and contributors' own words are then typeset
  // (frenchText) in this throwaway database, so that any fault left on a page is the interface's.
  await (await startServer(env(port, outbox), { port })).stop();
  const db = new SQLite(tmp.file);
  for (const [table, columns] of Object.entries(WRITTEN_BY_PEOPLE))
    for (const column of columns) {
      const rows = db
        .prepare(`select rowid id, ${column} text from ${table} where ${column} is not null`)
        .all() as Array<{
        id: number;
        text: string;
      }>;
      const update = db.prepare(`update ${table} set ${column} = ? where rowid = ?`);
      for (const row of rows) if (frenchText(row.text) !== row.text) update.run(frenchText(row.text), row.id);
    }
  const live = db
    .prepare(
      "select c.id, c.slug, o.id org, u.email from campaigns c join organizations o on o.id = c.organization_id join users u on u.id = o.owner_user_id where c.status = 'live' order by c.id limit 1",
    )
    .get() as { id: number; slug: string; org: number; email: string };
  const submitted = db
    .prepare(
      "select c.id, u.email from campaigns c join organizations o on o.id = c.organization_id join users u on u.id = o.owner_user_id where c.status = 'submitted' order by c.id limit 1",
    )
    .get() as { id: number; email: string };
  db.close();
  server = await startServer(env(port, outbox), { port });
  client = httpClient(server, outbox);
  liveSlug = live.slug;
  liveId = live.id;
  submittedId = submitted.id;
  cookies.citoyen = await client.signIn("simple.citoyenne@example.org");
  cookies.porteur = await client.signIn(live.email);
  cookies.porteurEnAttente = await client.signIn(submitted.email);
  cookies.équipe = await client.signIn(DEMO_STAFF_EMAIL);
  // A new draft of the live campaign's holder, so that the editor of a draft is checked too.
  const created = await client.call("POST", "/porteur/campagnes/nouvelle", {
    cookie: cookies.porteur,
    form: {
      structure: String(live.org),
      titre: "Un atelier de réparation de vélos à Arras",
      territoire: "arrageois",
      theme: "solidarite-lien-social",
    },
  });
  draftId = Number(/\/porteur\/campagnes\/(\d+)/.exec(created.location ?? "")?.[1] ?? 0);
});

afterAll(async () => {
  await server?.stop();
  tmp?.cleanup();
});

/** Every fault of one answer, each prefixed with what was asked. */
function faults(label: string, answer: Answer): string[] {
  return typographyProblems(visibleText(answer.body)).map((p) => `${label} → ${p}`);
}

async function checkPages(pages: Array<{ path: string; cookie?: string; status?: number }>): Promise<void> {
  const found: string[] = [];
  for (const page of pages) {
    const answer = await client.call("GET", page.path, { cookie: page.cookie });
    expect(answer.status, page.path).toBe(page.status ?? 200);
    expect(answer.headers.get("content-type"), page.path).toMatch(/^text\/html/);
    found.push(...faults(`GET ${page.path}`, answer));
  }
  expect(found, found.join("\n")).toEqual([]);
}

describe("French typography of every page", () => {
  it("the checker sees the faults it must see, and not times, addresses or query strings", () => {
    const page = (text: string) =>
      typographyProblems(visibleText(`<html><body><p>${text}</p></body></html>`));
    expect(page("Une question ? Écrivez-nous : l'équipe répond « vite »")).toHaveLength(5);
    expect(page("Attention: rien")).toHaveLength(1);
    expect(page("À 14:30, voir https://example.org/campagnes?page=2 ou mailto:a@example.org")).toEqual([]);
    expect(page("L&#x27;équipe")).toHaveLength(1);
    expect(page("Question\u00a0?")).toHaveLength(1);
    expect(page("Une question\u202f? Écrivez-nous\u00a0: l’équipe répond «\u00a0vite\u00a0»")).toEqual([]);
    expect(
      typographyProblems(
        visibleText('<html><head><title>Aide : contact</title></head><body><img alt="Logo !"></body></html>'),
      ),
    ).toHaveLength(2);
  });

  it("the public pages and the 404 page", async () => {
    await checkPages([
      { path: "/" },
      { path: "/campagnes" },
      { path: "/campagnes?territoire=boulonnais" },
      { path: "/campagnes?q=zzzzzz" },
      { path: `/campagnes/${liveSlug}` },
      { path: `/campagnes/${liveSlug}/contributeurs` },
      { path: "/comment-ca-marche" },
      { path: "/conditions-generales" },
      { path: "/confidentialite" },
      { path: "/cookies" },
      { path: "/mentions-legales" },
      { path: "/accessibilite" },
      { path: "/contact" },
      { path: "/criteres-de-selection" },
      { path: "/proposer-un-projet" },
      { path: "/rapport-annuel" },
      { path: "/connexion" },
      { path: "/cette-page-n-existe-pas", status: 404 },
      { path: "/campagnes/projet-qui-n-existe-pas", status: 404 },
    ]);
  });

  it("a contributor's account", async () => {
    const cookie = cookies.citoyen;
    await checkPages([
      { path: "/mon-compte", cookie },
      { path: "/mon-compte/contributions", cookie },
      { path: "/mon-compte/adresse", cookie },
      { path: "/mon-compte/suppression", cookie },
    ]);
  });

  it("the holder's space: campaigns, editor, news, dashboard, payments, receipts, structure", async () => {
    expect(draftId).toBeGreaterThan(0);
    const cookie = cookies.porteur;
    await checkPages([
      { path: "/porteur", cookie },
      { path: "/porteur/campagnes/nouvelle", cookie },
      { path: `/porteur/campagnes/${draftId}`, cookie },
      { path: `/porteur/campagnes/${draftId}/apercu`, cookie },
      { path: `/porteur/campagnes/${liveId}`, cookie },
      { path: `/porteur/campagnes/${liveId}/actualites`, cookie },
      { path: `/porteur/campagnes/${liveId}/tableau-de-bord`, cookie },
      { path: "/porteur/recus", cookie },
      { path: "/porteur/structure", cookie },
      { path: "/porteur/structure/recus-fiscaux", cookie },
      { path: "/porteur", cookie: cookies.porteurEnAttente },
      { path: `/porteur/campagnes/${submittedId}`, cookie: cookies.porteurEnAttente },
    ]);
  });

  it("the staff's back office", async () => {
    const cookie = cookies.équipe;
    await checkPages([
      { path: "/gestion", cookie },
      { path: "/gestion/moderation", cookie },
      { path: "/gestion/campagnes", cookie },
      { path: "/gestion/campagnes?etat=live", cookie },
      { path: `/gestion/campagnes/${submittedId}`, cookie },
      { path: `/gestion/campagnes/${liveId}`, cookie },
      { path: "/gestion/anomalies", cookie },
      { path: "/gestion/chiffres", cookie },
      { path: "/gestion/chiffres?annee=2024", cookie },
      { path: "/gestion/recus-fiscaux", cookie },
    ]);
  });

  it("forms filled in wrongly answer 4xx with messages that follow the rules", async () => {
    const posts: Array<{ path: string; cookie?: string; form: Record<string, string> }> = [
      { path: "/connexion", form: { email: "pas-une-adresse", retour: "/mon-compte" } },
      {
        path: "/connexion",
        form: {
          intent: "code",
          email: "simple.citoyenne@example.org",
          code: "000000",
          retour: "/mon-compte",
        },
      },
      { path: "/contact", form: { name: "", email: "x", subject: "", message: "" } },
      { path: `/campagnes/${liveSlug}`, form: { montant: "abc", email: "x" } },
      {
        path: `/porteur/campagnes/${draftId}`,
        cookie: cookies.porteur,
        form: { intent: "save", titre: "", objectif: "beaucoup", fin: "demain" },
      },
      {
        path: `/porteur/campagnes/${draftId}`,
        cookie: cookies.porteur,
        form: { intent: "submit", titre: "Un atelier de réparation de vélos à Arras" },
      },
      {
        path: `/gestion/campagnes/${submittedId}`,
        cookie: cookies.équipe,
        form: { intent: "request_changes", commentaire: "" },
      },
      { path: "/mon-compte/adresse", cookie: cookies.citoyen, form: { recu_code_postal: "abc" } },
    ];
    const found: string[] = [];
    for (const post of posts) {
      const answer = await client.call("POST", post.path, { cookie: post.cookie, form: post.form });
      expect({ path: post.path, status: answer.status >= 400 && answer.status < 500 }).toEqual({
        path: post.path,
        status: true,
      });
      found.push(...faults(`POST ${post.path} ${JSON.stringify(post.form)}`, answer));
    }
    expect(found, found.join("\n")).toEqual([]);
  });
});
