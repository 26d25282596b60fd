/**
 * The holder's editor over HTTP, as a browser without JavaScript: « Soumettre » saves what is on
 * screen first (in one transaction with the submission), and the public address follows the title
 * until the campaign is approved.
 */
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, parisCalendarDate } from "~/domain/time";
import { tempDatabasePath } from "../support/db";
import { httpClient } from "../support/http-session";
import { freePort, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let tmp: ReturnType<typeof tempDatabasePath>;
let client: ReturnType<typeof httpClient>;
let holder = "";
let orgId = 0;

function query<T>(sql: string, ...args: unknown[]): T {
  const conn = new SQLite(tmp.file);
  try {
    return conn.prepare(sql).get(...args) as T;
  } finally {
    conn.close();
  }
}
function run(sql: string, ...args: unknown[]): void {
  const conn = new SQLite(tmp.file);
  try {
    conn.prepare(sql).run(...args);
  } finally {
    conn.close();
  }
}

beforeAll(async () => {
  tmp = tempDatabasePath("holder-editor");
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
  holder = await client.signIn("editrice.test@example.org");
  const s = await client.call("POST", "/porteur/structure", {
    cookie: holder,
    form: {
      nom: "Les Jardins d’Arras",
      forme: "association",
      numero: "W623009876",
      commune: "Arras",
      territoire: "arrageois",
    },
  });
  expect(s.status).toBe(302);
  orgId = query<{ id: number }>("select id from organizations where name = ?", "Les Jardins d’Arras").id;
});

afterAll(async () => {
  await server?.stop();
  tmp?.cleanup();
});

/** Upload a picture (multipart, as the editor's form does); the answer's status. */
async function uploadPicture(id: number): Promise<number> {
  const sharp = (await import("sharp")).default;
  const bytes = await sharp({
    create: { width: 900, height: 500, channels: 3, background: { r: 60, g: 140, b: 60 } },
  })
    .jpeg()
    .toBuffer();
  const form = new FormData();
  form.set("intent", "image");
  form.set("image_alt", "Le jardin au printemps, vu depuis l’entrée");
  form.set("image", new Blob([new Uint8Array(bytes)], { type: "image/jpeg" }), "jardin.jpg");
  const res = await fetch(`${server.url}/porteur/campagnes/${id}`, {
    method: "POST",
    body: form,
    headers: { cookie: holder, origin: server.url },
    redirect: "manual",
  });
  await res.arrayBuffer();
  return res.status;
}

async function newDraft(title: string): Promise<number> {
  const draft = await client.call("POST", "/porteur/campagnes/nouvelle", {
    cookie: holder,
    form: { titre: title, structure: String(orgId), territoire: "arrageois", theme: "mobilite" },
  });
  expect(draft.status).toBe(302);
  return Number(/\/porteur\/campagnes\/(\d+)$/.exec(draft.location ?? "")?.[1]);
}

function completeForm(over: Record<string, string> = {}): Record<string, string> {
  return {
    intent: "save",
    titre: "Un jardin partagé à Arras",
    resume: "Un jardin ouvert à tous les habitants du quartier, cultivé ensemble chaque samedi.",
    histoire:
      "## Notre projet\n\nDepuis deux ans, nous cultivons une friche prêtée par la ville. Nous voulons l’équiper pour tous.",
    objectif: "2000",
    fin: addDays(parisCalendarDate(new Date()), 30),
    territoire: "arrageois",
    theme: "solidarite-lien-social",
    resultats: "- 40 familles jardinières\n- Un atelier par mois",
    calendrier: "- Avril : clôture\n- Mai : premières plantations",
    poste_0_libelle: "Outils et récupérateurs d’eau",
    poste_0_montant: "2000",
    ...over,
  };
}

const stored = (id: number) =>
  query<{ title: string; summary: string; status: string; slug: string }>(
    "select title, summary, status, slug from campaigns where id = ?",
    id,
  );

describe("a new campaign: the holder chooses its territory and theme", () => {
  it("offers « Choisir… » for both, selected, and refuses a draft without them", async () => {
    const page = await client.call("GET", "/porteur/campagnes/nouvelle", { cookie: holder });
    expect(page.status).toBe(200);
    for (const name of ["territoire", "theme"]) {
      const select = new RegExp(`<select[^>]*name="${name}"[^>]*>(.*?)</select>`, "s").exec(page.body)?.[1];
      expect(select, name).toBeDefined();
      // the empty choice comes first and nothing else is selected
      expect(select!.startsWith('<option value="" selected="">Choisir…</option>'), name).toBe(true);
      expect(select!.match(/selected=""/g), name).toHaveLength(1);
    }
    const before = query<{ n: number }>("select count(*) n from campaigns").n;
    const refused = await client.call("POST", "/porteur/campagnes/nouvelle", {
      cookie: holder,
      form: { titre: "Un verger partagé à Arras", structure: String(orgId), territoire: "", theme: "" },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("Choisissez le territoire du projet.");
    expect(refused.body).toContain("Choisissez le thème du projet.");
    // what was typed stays
    expect(refused.body).toContain('value="Un verger partagé à Arras"');
    const unknown = await client.call("POST", "/porteur/campagnes/nouvelle", {
      cookie: holder,
      form: {
        titre: "Un verger partagé à Arras",
        structure: String(orgId),
        territoire: "lune",
        theme: "mobilite",
      },
    });
    expect(unknown.status).toBe(400);
    expect(query<{ n: number }>("select count(*) n from campaigns").n).toBe(before);
  });

  it("the draft is in the territory and theme the holder chose", async () => {
    const id = await newDraft("Un atelier de réparation à Arras");
    expect(
      query<{ territory: string; theme: string }>(
        `select t.slug territory, th.slug theme from campaigns c join territories t on t.id = c.territory_id
           join themes th on th.id = c.theme_id where c.id = ?`,
        id,
      ),
    ).toEqual({ territory: "arrageois", theme: "mobilite" });
  });
});

describe("« Soumettre » saves what is on screen first", () => {
  it("an edit not yet saved is part of the submitted version", async () => {
    const id = await newDraft("Un jardin partagé à Arras");
    expect(
      (await client.call("POST", `/porteur/campagnes/${id}`, { cookie: holder, form: completeForm() }))
        .status,
    ).toBe(200);
    expect(await uploadPicture(id)).toBe(200);
    // The holder changes the summary, then presses « Soumettre » without « Enregistrer ».
    const newSummary = "Un jardin ouvert à tous, cultivé ensemble chaque samedi et chaque mercredi.";
    const submitted = await client.call("POST", `/porteur/campagnes/${id}`, {
      cookie: holder,
      form: completeForm({ intent: "submit", resume: newSummary }),
    });
    expect(submitted.status).toBe(302);
    expect(stored(id)).toMatchObject({ summary: newSummary, status: "submitted" });
  });

  it("a wrong value: nothing is saved nor submitted, the errors show and what was typed stays", async () => {
    const id = await newDraft("Un poulailler collectif à Arras");
    expect(
      (
        await client.call("POST", `/porteur/campagnes/${id}`, {
          cookie: holder,
          form: completeForm({ titre: "Un poulailler collectif à Arras" }),
        })
      ).status,
    ).toBe(200);
    const bad = await client.call("POST", `/porteur/campagnes/${id}`, {
      cookie: holder,
      form: completeForm({
        intent: "submit",
        titre: "Un poulailler collectif à Arras",
        resume: "Un résumé tout neuf mais l’objectif est faux.",
        objectif: "deux mille",
      }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("Objectif\u00a0: un nombre entier d’euros est attendu.");
    expect(bad.body).toContain("Un résumé tout neuf mais l’objectif est faux.");
    expect(stored(id)).toMatchObject({
      status: "draft",
      summary: "Un jardin ouvert à tous les habitants du quartier, cultivé ensemble chaque samedi.",
    });
    expect(query("select count(*) n from campaign_transitions where campaign_id = ?", id)).toEqual({ n: 1 });
  });

  it("complete values but content missing: nothing is written, the message says what to complete", async () => {
    const id = await newDraft("Une ressourcerie à Arras");
    const early = await client.call("POST", `/porteur/campagnes/${id}`, {
      cookie: holder,
      form: completeForm({ intent: "submit", titre: "Une ressourcerie à Arras", calendrier: "" }),
    });
    expect(early.status).toBe(409);
    expect(early.body).toContain("complétez\u00a0: le calendrier, l’image du projet et sa description.");
    expect(stored(id)).toMatchObject({ status: "draft", summary: "" });
  });
});

describe("the public address follows the title until approval", () => {
  it("changes with the title of a draft, stays unique, and is frozen once approved", async () => {
    const id = await newDraft("Un fournil paysan à Arras");
    expect(stored(id).slug).toBe("un-fournil-paysan-a-arras");
    const save = (titre: string) =>
      client.call("POST", `/porteur/campagnes/${id}`, { cookie: holder, form: completeForm({ titre }) });
    expect((await save("Un fournil coopératif à Arras")).status).toBe(200);
    expect(stored(id).slug).toBe("un-fournil-cooperatif-a-arras");

    // Another campaign already has the address the title would give: a suffix keeps both apart.
    const other = await newDraft("Une fête des voisins à Arras");
    expect(stored(other).slug).toBe("une-fete-des-voisins-a-arras");
    expect((await save("Une fête des voisins à Arras")).status).toBe(200);
    expect(stored(id).slug).toBe("une-fete-des-voisins-a-arras-2");
    // Saving again the same title keeps the address it has.
    expect((await save("Une fête des voisins à Arras")).status).toBe(200);
    expect(stored(id).slug).toBe("une-fete-des-voisins-a-arras-2");
    // A new draft with the same title gets the next free address.
    const third = await newDraft("Une fête des voisins à Arras");
    expect(stored(third).slug).toBe("une-fete-des-voisins-a-arras-3");

    // While changes are requested the address still follows.
    run("update campaigns set status = 'changes_requested' where id = ?", id);
    expect((await save("Un fournil solidaire à Arras")).status).toBe(200);
    expect(stored(id).slug).toBe("un-fournil-solidaire-a-arras");

    // Approved: frozen (the public page and shared links keep working).
    run("update campaigns set status = 'approved' where id = ?", id);
    expect((await save("Un tout autre titre pour le fournil")).status).toBe(200);
    expect(stored(id).slug).toBe("un-fournil-solidaire-a-arras");
  });
});

describe("the preview says what is true of the public page", () => {
  it("a draft: not public yet; live: public, with a link to it", async () => {
    const id = await newDraft("Une grainothèque à Arras");
    const draft = await client.call("GET", `/porteur/campagnes/${id}/apercu`, { cookie: holder });
    expect(draft.status).toBe(200);
    expect(draft.body).toContain(
      "cette page n’est pas encore publique\u00a0: elle le sera une fois la campagne validée",
    );
    expect(draft.body).not.toContain("cette page est publique");

    run("update campaigns set status = 'live' where id = ?", id);
    const live = await client.call("GET", `/porteur/campagnes/${id}/apercu`, { cookie: holder });
    expect(live.status).toBe(200);
    expect(live.body).not.toContain("pas publique");
    expect(live.body).not.toContain("pas encore publique");
    expect(live.body.replace(/<!-- -->/g, "")).toContain(
      `cette page est publique\u00a0: <a data-discover="true" href="/campagnes/${stored(id).slug}">voir la page publique</a>.`,
    );
  });
});
