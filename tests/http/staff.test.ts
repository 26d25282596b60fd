/**
 * The Département staff's back office (/gestion) and the public figures, over HTTP
 * against the built server (`npm run build` first), on the seeded demo database:
 * who may open what, a decision submitted as a form, French 4xx for bad input with
 * nothing written, the annual report and the open-data exports.
 */
import path from "node:path";
import type SQLite from "better-sqlite3";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STAFF_EMAIL } from "#db/seed/seed";
import { tempDatabasePath, withDatabaseFile } from "../support/db";
import { httpClient } from "../support/http-session";
import { freePort, startServer, type RunningServer } from "../support/server";

type Who = "anonyme" | "citoyen" | "porteur" | "équipe";
const WHO: Who[] = ["anonyme", "citoyen", "porteur", "équipe"];

let server: RunningServer;
let tmp: ReturnType<typeof tempDatabasePath>;
let client: ReturnType<typeof httpClient>;
const cookies: Partial<Record<Who, string>> = {};
/** the seeded campaign waiting for review, and a live one */
let submittedId = 0;
let submittedTitle = "";
let holderEmail = "";
let liveId = 0;

beforeAll(async () => {
  tmp = tempDatabasePath("staff");
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
  withDb((db) => {
    const s = db
      .prepare(
        "select c.id, c.title, u.email from campaigns c join organizations o on o.id = c.organization_id join users u on u.id = o.owner_user_id where c.slug = 'epicerie-solidaire-mobile-ternois'",
      )
      .get() as { id: number; title: string; email: string };
    expect(s).toBeDefined();
    submittedId = s.id;
    submittedTitle = s.title;
    holderEmail = s.email;
    liveId = (
      db.prepare("select id from campaigns where status = 'live' order by id limit 1").get() as { id: number }
    ).id;
    expect(
      (db.prepare("select status from campaigns where id = ?").get(submittedId) as { status: string }).status,
    ).toBe("submitted");
    expect(
      (db.prepare("select role from users where email = ?").get(DEMO_STAFF_EMAIL) as { role: string }).role,
    ).toBe("staff");
  });
  cookies["citoyen"] = await client.signIn("simple.citoyen@example.org");
  cookies["porteur"] = await client.signIn(holderEmail);
  cookies["équipe"] = await client.signIn(DEMO_STAFF_EMAIL);
});

afterAll(async () => {
  await server?.stop();
  tmp?.cleanup();
});

function withDb<T>(fn: (db: SQLite.Database) => T): T {
  return withDatabaseFile(tmp.file, fn);
}

const count = (sql: string, ...params: unknown[]) =>
  withDb((db) => (db.prepare(sql).get(...params) as { n: number }).n);

/** What a staff decision may write, to check that a refused one wrote nothing. */
function written(campaignId: number) {
  return withDb((db) => ({
    campaign: db
      .prepare(
        "select status, starts_at, budget_citoyen_year, featured, updated_at from campaigns where id = ?",
      )
      .get(campaignId),
    transitions: (
      db.prepare("select count(*) n from campaign_transitions where campaign_id = ?").get(campaignId) as {
        n: number;
      }
    ).n,
    audits: (
      db.prepare("select count(*) n from campaign_audit where campaign_id = ?").get(campaignId) as {
        n: number;
      }
    ).n,
    emails: (db.prepare("select count(*) n from email_outbox").get() as { n: number }).n,
  }));
}

interface Answer {
  status: number;
  location: string | null;
  headers: Headers;
  body: string;
}

/** A request with any Origin (or none) and any body. */
async function raw(
  method: "GET" | "POST",
  url: string,
  options: {
    cookie?: string;
    origin?: string | null;
    form?: Record<string, string>;
    body?: { text: string; type: string };
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  const origin = options.origin === undefined ? server.url : options.origin;
  if (origin !== null) headers.origin = origin;
  let body: string | URLSearchParams | undefined;
  if (options.form) body = new URLSearchParams(options.form);
  if (options.body) {
    body = options.body.text;
    headers["content-type"] = options.body.type;
  }
  const res = await fetch(server.url + url, { method, headers, body, redirect: "manual" });
  return {
    status: res.status,
    location: res.headers.get("location"),
    headers: res.headers,
    body: await res.text(),
  };
}

const staffPost = (id: number | string, form: Record<string, string>) =>
  raw("POST", `/gestion/campagnes/${id}`, { cookie: cookies["équipe"], form });

function decode(html: string): string {
  return html
    .replace(/<!-- -->/g, "")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** "1234.56" → 123456, exactly (no float arithmetic on money). */
function centsOf(euros: string): number {
  const m = /^(\d+)\.(\d{2})$/.exec(euros);
  if (!m) throw new Error(`not an open-data amount: ${euros}`);
  return Number(m[1]) * 100 + Number(m[2]);
}

const signIn = (p: string) => `302 → /connexion?retour=${encodeURIComponent(p)}`;

describe("the back office × roles", () => {
  it("answers anonymous (sign in, then back), citizen (403), holder (403) and staff (200) on every /gestion route", async () => {
    const c = () => `/gestion/campagnes/${submittedId}`;
    const paths = [
      "/gestion",
      "/gestion/moderation",
      "/gestion/campagnes",
      "/gestion/campagnes?etat=live",
      c(),
      `/gestion/campagnes/${liveId}`,
      "/gestion/anomalies",
      "/gestion/chiffres",
      "/gestion/chiffres?annee=2024",
      "/gestion/chiffres?annee=tout",
    ];
    const rows: Array<{
      method: "GET" | "POST";
      path: string;
      form?: Record<string, string>;
      expected: Record<Who, string>;
    }> = [
      ...paths.map((p) => ({
        method: "GET" as const,
        path: p,
        expected: { anonyme: signIn(p), citoyen: "403", porteur: "403", équipe: "200" },
      })),
      // a decision that changes nothing when it is allowed (the campaign is not featured)
      {
        method: "POST",
        path: c(),
        form: { intent: "unfeature" },
        expected: { anonyme: signIn(c()), citoyen: "403", porteur: "403", équipe: "200" },
      },
      {
        method: "POST",
        path: `/gestion/campagnes/${liveId}`,
        form: { intent: "unfeature" },
        expected: {
          anonyme: signIn(`/gestion/campagnes/${liveId}`),
          citoyen: "403",
          porteur: "403",
          équipe: "200",
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
        const answer = await raw(row.method, row.path, { cookie: cookies[who], form: row.form });
        const location = answer.location && answer.status === 302 ? ` → ${answer.location}` : "";
        seen[key][who] = `${answer.status}${location}`;
        if (answer.status === 403) expect(answer.body, key).toContain("Accès réservé.");
        if (who === "équipe" && answer.status === 200)
          expect(answer.headers.get("cache-control"), key).toMatch(/no-store/);
      }
    }
    expect(seen).toEqual(expected);
  });

  it("a decision posted by anyone but staff is refused and writes nothing — the holder cannot approve their own campaign", async () => {
    const before = written(submittedId);
    for (const who of ["anonyme", "citoyen", "porteur"] as const) {
      for (const form of [
        { intent: "approve", debut: "", message: "" },
        { intent: "reject", motif: "Non." },
        { intent: "label", annee: "2026" },
        { intent: "feature" },
      ] as Array<Record<string, string>>) {
        const res = await raw("POST", `/gestion/campagnes/${submittedId}`, { cookie: cookies[who], form });
        expect({ who, intent: form.intent, status: res.status }).toEqual({
          who,
          intent: form.intent,
          status: who === "anonyme" ? 302 : 403,
        });
      }
    }
    expect(written(submittedId)).toEqual(before);
  });

  it("staff pages show what they are about", async () => {
    const page = await raw("GET", `/gestion/campagnes/${submittedId}`, { cookie: cookies["équipe"] });
    expect(page.status).toBe(200);
    expect(decode(page.body)).toContain(`Examen\u00a0: ${submittedTitle}`);
    expect(decode(page.body)).toContain("En attente de validation");
    const queue = await raw("GET", "/gestion/moderation", { cookie: cookies["équipe"] });
    expect(decode(queue.body)).toContain(submittedTitle);
    expect(decode(queue.body)).toContain("Modération (1)");
  });
});

describe("a staff decision over HTTP", () => {
  it("missing or blank comment → 400 with French messages, nothing written; with a comment → changes requested, the holder e-mailed, the history shows who and why", async () => {
    const before = written(submittedId);
    for (const form of [
      { intent: "request_changes" },
      { intent: "request_changes", commentaire: "" },
      { intent: "request_changes", commentaire: "  \r\n  " },
    ] as Array<Record<string, string>>) {
      const res = await staffPost(submittedId, form);
      expect(res.status).toBe(400);
      const text = decode(res.body);
      expect(text).toContain("Le formulaire contient des erreurs.");
      expect(text).toContain("Le commentaire au porteur est obligatoire.");
      expect(text).toContain('role="alert"');
    }
    // other refused forms: a motive missing, an impossible date, a label year that is not one
    const refused: Array<[Record<string, string>, string]> = [
      [{ intent: "reject", motif: " " }, "Le motif du refus est obligatoire."],
      [{ intent: "cancel" }, "Le motif de l’annulation est obligatoire."],
      [{ intent: "approve", debut: "2026-02-30", message: "" }, "Indiquez une date valide (jj/mm/aaaa)."],
      [{ intent: "approve", debut: "30/01/2027", message: "" }, "Indiquez une date valide (jj/mm/aaaa)."],
      [
        { intent: "label", annee: "20x4" },
        "Indiquez l’année du Budget Citoyen sur 4 chiffres (par exemple 2025).",
      ],
      [{ intent: "label", annee: "1990" }, "L’année du label doit être comprise entre 2015 et"],
      [
        { intent: "approve", debut: "2020-01-01", message: "" },
        "La date de mise en ligne ne peut pas être passée.",
      ],
    ];
    for (const [form, message] of refused) {
      const res = await staffPost(submittedId, form);
      expect({ form, status: res.status }).toEqual({ form, status: 400 });
      expect(decode(res.body)).toContain(message);
    }
    expect(written(submittedId)).toEqual(before);

    const comment = "Merci de détailler le coût du camion\net l'assurance.";
    const done = await staffPost(submittedId, {
      intent: "request_changes",
      commentaire: comment.replace("\n", "\r\n"),
    });
    expect(done.status).toBe(200);
    expect(decode(done.body)).toContain(
      "Modifications demandées\u00a0: le porteur a reçu votre commentaire par courriel.",
    );
    const after = withDb((db) => ({
      status: (db.prepare("select status from campaigns where id = ?").get(submittedId) as { status: string })
        .status,
      transition: db
        .prepare(
          "select t.event, t.actor_role, u.email, t.reason from campaign_transitions t join users u on u.id = t.actor_user_id where t.campaign_id = ? order by t.id desc limit 1",
        )
        .get(submittedId),
      mail: db
        .prepare(
          "select to_email, payload_json from email_outbox where kind = 'campaign_status_holder' order by id desc limit 1",
        )
        .get() as { to_email: string; payload_json: string },
    }));
    expect(after.status).toBe("changes_requested");
    expect(after.transition).toEqual({
      event: "request_changes",
      actor_role: "staff",
      email: DEMO_STAFF_EMAIL,
      reason: comment,
    });
    expect(after.mail.to_email).toBe(holderEmail);
    expect(JSON.parse(after.mail.payload_json)).toMatchObject({
      event: "request_changes",
      reason: comment,
      statusLabel: "Modifications demandées",
    });

    const page = decode(
      (await raw("GET", `/gestion/campagnes/${submittedId}`, { cookie: cookies["équipe"] })).body,
    );
    expect(page).toContain("Demander des modifications → Modifications demandées");
    expect(page).toContain(`Équipe du Département — Camille Moreau`);
    expect(page).toContain(comment);
    expect(page).toContain("Aucune décision de modération n’est attendue dans cet état.");

    // Deciding again on a campaign that is back with its holder: 409, French, nothing written.
    const stale = written(submittedId);
    for (const form of [
      { intent: "approve", debut: "", message: "" },
      { intent: "reject", motif: "Non." },
    ] as Array<Record<string, string>>) {
      const res = await staffPost(submittedId, form);
      expect(res.status).toBe(409);
      expect(decode(res.body)).toContain("Action impossible");
    }
    expect(written(submittedId)).toEqual(stale);
  });

  it("an unknown or missing intent → 400 « Action inconnue. », nothing written", async () => {
    const before = written(liveId);
    for (const form of [{ intent: "delete" }, { intent: "" }, {}, { intent: "APPROVE" }] as Array<
      Record<string, string>
    >) {
      const res = await staffPost(liveId, form);
      expect({ form, status: res.status }).toEqual({ form, status: 400 });
      expect(decode(res.body)).toContain("Action inconnue.");
    }
    expect(written(liveId)).toEqual(before);
  });

  it("a body that is not a form (JSON, text, broken multipart) → 400, not 500, nothing written", async () => {
    const before = written(liveId);
    const bodies = [
      { text: JSON.stringify({ intent: "cancel", motif_annulation: "json" }), type: "application/json" },
      { text: "intent=cancel&motif_annulation=texte", type: "text/plain" },
      { text: "--zz\r\nnot really multipart", type: "multipart/form-data; boundary=zz" },
    ];
    for (const body of bodies) {
      const res = await raw("POST", `/gestion/campagnes/${liveId}`, { cookie: cookies["équipe"], body });
      expect({ type: body.type, status: res.status }).toEqual({ type: body.type, status: 400 });
      expect(res.body).toContain("un formulaire était attendu");
    }
    expect(written(liveId)).toEqual(before);
  });

  it("a decision posted from another site (foreign Origin) is refused (403) and writes nothing; without Origin (old browsers) it goes through", async () => {
    const before = written(liveId);
    for (const origin of ["https://evil.example", "null", `http://localhost:${server.port}`]) {
      const res = await raw("POST", `/gestion/campagnes/${liveId}`, {
        cookie: cookies["équipe"],
        origin,
        form: { intent: "cancel", motif_annulation: "Piège." },
      });
      expect({ origin, status: res.status }).toEqual({ origin, status: 403 });
      expect(res.body).toBe("Requête refusée\u00a0: elle ne provient pas de Propulsons.");
    }
    expect(written(liveId)).toEqual(before);
    const noOrigin = await raw("POST", `/gestion/campagnes/${liveId}`, {
      cookie: cookies["équipe"],
      origin: null,
      form: { intent: "unfeature" },
    });
    expect(noOrigin.status).toBe(200);
  });

  it("a campaign id that is not one, or does not exist → 404 (GET and POST)", async () => {
    const missing = count("select coalesce(max(id), 0) + 1000 n from campaigns");
    for (const id of ["abc", "0", "-1", "1.5", String(missing)]) {
      const get = await raw("GET", `/gestion/campagnes/${id}`, { cookie: cookies["équipe"] });
      expect({ id, status: get.status }).toEqual({ id, status: 404 });
      const post = await staffPost(id, { intent: "feature" });
      expect({ id, status: post.status }).toEqual({ id, status: 404 });
    }
  });

  it("bad query parameters → 400, not 500", async () => {
    const staff = cookies["équipe"];
    const cases: Array<[string, string | undefined]> = [
      ["/gestion/campagnes?etat=zzz", staff],
      ["/gestion/campagnes?etat=LIVE", staff],
      ["/gestion/chiffres?annee=20x4", staff],
      ["/rapport-annuel?annee=20x4", undefined],
      ["/rapport-annuel?annee=1999", undefined],
      ["/rapport-annuel?annee=2024-01", undefined],
    ];
    for (const [url, cookie] of cases) {
      const res = await raw("GET", url, { cookie });
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
    }
    expect(decode((await raw("GET", "/rapport-annuel?annee=20x4")).body)).toContain("Année invalide");
  });
});

/** The campaigns export adds up to the since-launch figures (money and contributions), to the cent. */
async function expectCampaignsAddUp(): Promise<{ slugs: string[]; etats: string[] }> {
  const rows = parse((await raw("GET", "/donnees/campagnes.csv", { origin: null })).body) as string[][];
  const [header, ...records] = rows;
  const col = (name: string) => header!.indexOf(name);
  const figures = JSON.parse((await raw("GET", "/donnees/chiffres.json", { origin: null })).body) as {
    depuis_lancement: { collecte_centimes: number; rembourse_centimes: number; contributions: number };
  };
  const total = records.reduce((s, r) => s + centsOf(r[col("collecte_euros")]!), 0);
  expect(total).toBe(figures.depuis_lancement.collecte_centimes);
  // what was given back, campaign by campaign, adds up to the key figure too
  expect(records.reduce((s, r) => s + centsOf(r[col("rembourse_euros")]!), 0)).toBe(
    figures.depuis_lancement.rembourse_centimes,
  );
  expect(records.reduce((s, r) => s + Number(r[col("contributions")]), 0)).toBe(
    figures.depuis_lancement.contributions,
  );
  return { slugs: records.map((r) => r[col("slug")]!), etats: records.map((r) => r[col("etat")]!) };
}

describe("public figures and open data", () => {
  it("/rapport-annuel is public (200 for anonymous), for the latest year, 2024 and since launch", async () => {
    for (const url of ["/rapport-annuel", "/rapport-annuel?annee=2024", "/rapport-annuel?annee=tout"]) {
      const res = await raw("GET", url, { origin: null });
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      expect(decode(res.body)).toContain("Rapport annuel d’activité");
    }
  });

  it("/donnees/chiffres.json: 2024 is 10 launched, 10 funded, 100 %, 56 938 €, 686 citizens; /donnees/chiffres.csv says the same", async () => {
    const res = await raw("GET", "/donnees/chiffres.json", { origin: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.body).not.toContain("@");
    const json = JSON.parse(res.body) as {
      licence: string;
      annees: Array<Record<string, string | number | null> & { periode: string }>;
      depuis_lancement: Record<string, string | number | null> & { periode: string };
    };
    const y2024 = json.annees.find((a) => a.periode === "2024");
    expect(y2024).toMatchObject({
      periode: "2024",
      campagnes_lancees: 10,
      campagnes_reussies: 10,
      campagnes_non_financees: 0,
      taux_reussite_pourcentage: 100,
      collecte_centimes: 5_693_800,
      citoyens: 686,
    });

    const csv = await raw("GET", "/donnees/chiffres.csv", { origin: null });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.body).not.toContain("@");
    const rows = parse(csv.body) as string[][];
    const [header, ...records] = rows;
    expect(header).toEqual([
      "periode",
      "campagnes_lancees",
      "campagnes_reussies",
      "campagnes_non_financees",
      "campagnes_annulees",
      "campagnes_en_cours",
      "taux_reussite_pourcentage",
      "collecte_euros",
      "rembourse_euros",
      "contributions",
      "contribution_moyenne_euros",
      "citoyens",
      "commission_euros",
      "verse_porteurs_euros",
      "projets_recus",
      "projets_acceptes",
      "projets_finances",
      "montant_projets_finances_euros",
      "moyenne_par_projet_finance_euros",
      "moyenne_par_contributeur_euros",
      "abondement_confirme_euros",
    ]);
    const expected = [...json.annees, json.depuis_lancement];
    expect(records.map((r) => r[0])).toEqual(expected.map((e) => e.periode));
    for (const [i, r] of records.entries()) {
      const e = expected[i]!;
      const fromCsv = Object.fromEntries(header!.map((h, j) => [h, r[j]!]));
      expect(fromCsv, e.periode).toEqual({
        periode: e.periode,
        campagnes_lancees: String(e.campagnes_lancees),
        campagnes_reussies: String(e.campagnes_reussies),
        campagnes_non_financees: String(e.campagnes_non_financees),
        campagnes_annulees: String(e.campagnes_annulees),
        campagnes_en_cours: String(e.campagnes_en_cours),
        taux_reussite_pourcentage:
          e.taux_reussite_pourcentage === null ? "" : String(e.taux_reussite_pourcentage),
        collecte_euros: fromCsv.collecte_euros,
        rembourse_euros: fromCsv.rembourse_euros,
        contributions: String(e.contributions),
        contribution_moyenne_euros: fromCsv.contribution_moyenne_euros,
        citoyens: String(e.citoyens),
        commission_euros: fromCsv.commission_euros,
        verse_porteurs_euros: fromCsv.verse_porteurs_euros,
        projets_recus: String(e.projets_recus),
        projets_acceptes: String(e.projets_acceptes),
        projets_finances: String(e.projets_finances),
        montant_projets_finances_euros: fromCsv.montant_projets_finances_euros,
        moyenne_par_projet_finance_euros: fromCsv.moyenne_par_projet_finance_euros,
        moyenne_par_contributeur_euros: fromCsv.moyenne_par_contributeur_euros,
        abondement_confirme_euros: fromCsv.abondement_confirme_euros,
      });
      expect(centsOf(fromCsv.abondement_confirme_euros!), e.periode).toBe(e.abondement_confirme_centimes);
      expect(centsOf(fromCsv.montant_projets_finances_euros!), e.periode).toBe(
        e.montant_projets_finances_centimes,
      );
      for (const [csvColumn, jsonField] of [
        ["moyenne_par_projet_finance_euros", "moyenne_par_projet_finance_centimes"],
        ["moyenne_par_contributeur_euros", "moyenne_par_contributeur_centimes"],
      ] as const)
        expect(fromCsv[csvColumn] === "" ? null : centsOf(fromCsv[csvColumn]!), e.periode).toBe(e[jsonField]);
      expect(centsOf(fromCsv.collecte_euros!), e.periode).toBe(e.collecte_centimes);
      expect(centsOf(fromCsv.rembourse_euros!), e.periode).toBe(e.rembourse_centimes);
      expect(centsOf(fromCsv.commission_euros!), e.periode).toBe(e.commission_centimes);
      expect(centsOf(fromCsv.verse_porteurs_euros!), e.periode).toBe(e.verse_porteurs_centimes);
      expect(
        fromCsv.contribution_moyenne_euros === "" ? null : centsOf(fromCsv.contribution_moyenne_euros!),
        e.periode,
      ).toBe(e.contribution_moyenne_centimes);
    }
    const csv2024 = Object.fromEntries(header!.map((h, j) => [h, records.find((r) => r[0] === "2024")![j]]));
    expect(csv2024).toMatchObject({
      periode: "2024",
      campagnes_lancees: "10",
      campagnes_reussies: "10",
      taux_reussite_pourcentage: "100",
      collecte_euros: "56938.00",
      citoyens: "686",
    });
  });

  it("/donnees/campagnes.csv: header row, no e-mail address anywhere, totals equal the since-launch figures, and the JSON export agrees", async () => {
    const csv = await raw("GET", "/donnees/campagnes.csv", { origin: null });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toContain("attachment");
    expect(csv.body).not.toContain("@");
    const rows = parse(csv.body) as string[][];
    const [header, ...records] = rows;
    expect(header).toEqual([
      "identifiant",
      "slug",
      "titre",
      "etat",
      "structure",
      "forme_juridique",
      "numero_immatriculation",
      "commune",
      "territoire",
      "theme",
      "date_debut",
      "date_fin",
      "objectif_euros",
      "collecte_euros",
      "contributions",
      "budget_citoyen",
      "commission_pourcentage",
      "rembourse_euros",
    ]);
    expect(records.length).toBeGreaterThan(10);
    for (const r of records) expect(r).toHaveLength(header!.length);
    const col = (name: string) => header!.indexOf(name);
    // only published campaigns: never the one waiting for review
    expect(records.map((r) => r[col("etat")])).not.toContain("submitted");
    expect(records.map((r) => r[col("slug")])).not.toContain("epicerie-solidaire-mobile-ternois");
    for (const r of records) {
      expect(["live", "settling", "funded", "failed"]).toContain(r[col("etat")]);
      expect(r[col("date_debut")]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(["0", "3"]).toContain(r[col("commission_pourcentage")]);
    }

    await expectCampaignsAddUp();

    const json = await raw("GET", "/donnees/campagnes.json", { origin: null });
    expect(json.status).toBe(200);
    expect(json.body).not.toContain("@");
    const campagnes = (
      JSON.parse(json.body) as {
        campagnes: Array<{ identifiant: number; collecte_centimes: number; objectif_centimes: number }>;
      }
    ).campagnes;
    expect(campagnes.map((k) => [String(k.identifiant), k.collecte_centimes, k.objectif_centimes])).toEqual(
      records.map((r) => [
        r[col("identifiant")],
        centsOf(r[col("collecte_euros")]!),
        centsOf(r[col("objectif_euros")]!),
      ]),
    );
  });
  it("a live campaign cancelled by staff (its money counted in the figures) stays in the campaigns export, which still adds up", async () => {
    const victim = withDb(
      (db) =>
        db
          .prepare(
            "select c.id, c.slug from campaigns c where c.status = 'live' and c.id <> ? and exists (select 1 from contributions k where k.campaign_id = c.id and k.status = 'paid') order by c.id limit 1",
          )
          .get(liveId) as { id: number; slug: string },
    );
    const res = await staffPost(victim.id, {
      intent: "cancel",
      motif_annulation: "Le porteur a renoncé au projet.",
    });
    expect(res.status).toBe(200);
    expect(decode(res.body)).toContain("Campagne annulée");
    expect(count("select count(*) n from campaigns where id = ? and status = 'cancelled'", victim.id)).toBe(
      1,
    );

    const { slugs, etats } = await expectCampaignsAddUp();
    expect(etats[slugs.indexOf(victim.slug)]).toBe("cancelled");
    const figures = JSON.parse((await raw("GET", "/donnees/chiffres.json", { origin: null })).body) as {
      depuis_lancement: { campagnes_annulees: number };
    };
    expect(figures.depuis_lancement.campagnes_annulees).toBe(1);
    // never-published campaigns stay out (the one sent back to its holder)
    expect(slugs).not.toContain("epicerie-solidaire-mobile-ternois");

    // Its public page stays (linked from e-mails, receipts and « Mes contributions »): a banner with
    // the reason and where the refunds stand. No settlement pass ran: none is refunded yet.
    const paid = count(
      "select count(*) n from contributions where campaign_id = ? and status = 'paid'",
      victim.id,
    );
    expect(paid).toBeGreaterThan(0);
    const page = await raw("GET", `/campagnes/${victim.slug}`, { origin: null });
    expect(page.status).toBe(200);
    const text = decode(page.body)
      .replace(/<[^>]+>/g, "")
      .replace(/[\u00a0\u202f]/g, " ");
    expect(text).toContain("Campagne annulée");
    expect(text).toContain("Motif : Le porteur a renoncé au projet.");
    const many = (n: number, one: string, other: string) =>
      `${n.toLocaleString("fr-FR").replace(/[\u00a0\u202f]/g, " ")} ${n < 2 ? one : other}`;
    expect(text).toContain(
      `Remboursements : 0 contribution remboursée sur ${paid.toLocaleString("fr-FR").replace(/[\u00a0\u202f]/g, " ")} ; ${many(paid, "remboursement en cours", "remboursements en cours")}.`,
    );
    expect(text).toContain("Aucune commission n’est prélevée : la campagne a été annulée.");
    expect(text).not.toMatch(/ont été remboursés|sont remboursés|a été intégralement remboursée/);
    // the list of its contributions stays public too
    expect((await raw("GET", `/campagnes/${victim.slug}/contributeurs`, { origin: null })).status).toBe(200);
  });
});
