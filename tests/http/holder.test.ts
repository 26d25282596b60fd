/**
 * The holder's journey over HTTP, as a browser without JavaScript: structure,
 * draft, French validation, incomplete saves, submission, lock while in review,
 * freeze after approval; and other people's campaigns stay out of reach.
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
let other = "";
let campaignId = 0;

const db = () => new SQLite(tmp.file);

beforeAll(async () => {
  tmp = tempDatabasePath("holder");
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
  holder = await client.signIn("porteuse.test@example.org");
  other = await client.signIn("autre.porteur@example.org");
});

afterAll(async () => {
  await server?.stop();
  tmp?.cleanup();
});

const endDate = () => addDays(parisCalendarDate(new Date()), 30);

/** Upload a picture (multipart, as the editor's form does); the answer's status. */
async function uploadPicture(id: number, alt: string, width = 900): Promise<number> {
  const sharp = (await import("sharp")).default;
  const bytes = await sharp({
    create: { width, height: 500, channels: 3, background: { r: 200, g: 90, b: 40 } },
  })
    .jpeg()
    .toBuffer();
  const form = new FormData();
  form.set("intent", "image");
  form.set("image_alt", alt);
  form.set("image", new Blob([new Uint8Array(bytes)], { type: "image/jpeg" }), "photo.jpg");
  const res = await fetch(`${server.url}/porteur/campagnes/${id}`, {
    method: "POST",
    body: form,
    headers: { cookie: holder, origin: server.url },
    redirect: "manual",
  });
  await res.arrayBuffer();
  return res.status;
}

function completeForm(over: Record<string, string> = {}): Record<string, string> {
  return {
    intent: "save",
    titre: "Une épicerie solidaire à Liévin",
    resume: "Une épicerie à prix solidaires, tenue par des bénévoles et des salariés en insertion.",
    histoire:
      "## Notre projet\n\nDepuis trois ans, notre association distribue des colis. Nous voulons ouvrir une vraie épicerie, où chacun choisit.",
    objectif: "5000",
    fin: endDate(),
    territoire: "lens-lievin",
    theme: "solidarite-lien-social",
    resultats: "- 200 familles accueillies chaque mois\n- 3 emplois en insertion",
    calendrier: "- Mars : travaux\n- Avril : ouverture",
    poste_0_libelle: "Rayonnages et chambre froide",
    poste_0_montant: "3500",
    poste_1_libelle: "Caisse et balance",
    poste_1_montant: "1500",
    cp_0_titre: "Un grand merci",
    cp_0_description: "Votre nom sur le mur des soutiens.",
    cp_0_minimum: "10",
    cp_0_stock: "",
    ...over,
  };
}

describe("a holder's campaign", () => {
  it("needs a structure first, then opens a draft", async () => {
    const early = await client.call("GET", "/porteur/campagnes/nouvelle", { cookie: holder });
    expect(early.status).toBe(302);
    expect(early.location).toBe("/porteur/structure");
    const s = await client.call("POST", "/porteur/structure", {
      cookie: holder,
      form: {
        nom: "Épicerie des Corons",
        forme: "association",
        numero: "W623001234",
        commune: "Liévin",
        territoire: "lens-lievin",
      },
    });
    expect(s.status).toBe(302);
    const org = db().prepare("select id from organizations where name = ?").get("Épicerie des Corons") as {
      id: number;
    };
    const draft = await client.call("POST", "/porteur/campagnes/nouvelle", {
      cookie: holder,
      form: {
        titre: "Une épicerie solidaire à Liévin",
        structure: String(org.id),
        territoire: "lens-lievin",
        theme: "alimentation-circuits-courts",
      },
    });
    expect(draft.status).toBe(302);
    campaignId = Number(/\/porteur\/campagnes\/(\d+)$/.exec(draft.location ?? "")?.[1]);
    expect(campaignId).toBeGreaterThan(0);
    const page = await client.call("GET", `/porteur/campagnes/${campaignId}`, { cookie: holder });
    expect(page.status).toBe(200);
    expect(page.body).toContain("Brouillon");
    expect(page.body).toContain("Pour soumettre la campagne, complétez");
  });

  it("refuses wrong values with French messages and keeps what was typed; nothing is saved", async () => {
    const bad = await client.call("POST", `/porteur/campagnes/${campaignId}`, {
      cookie: holder,
      form: completeForm({
        objectif: "cinq mille",
        fin: "2020-01-01",
        poste_1_montant: "1400",
        cp_0_minimum: "0",
      }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("Objectif\u00a0: un nombre entier d’euros est attendu.");
    expect(bad.body).toContain("La collecte dure de 7 à 90 jours");
    expect(bad.body).toContain("Contrepartie 1, montant minimum\u00a0: entre 1 € et");
    expect(bad.body).toContain("Depuis trois ans, notre association distribue des colis.");
    const row = db().prepare("select summary from campaigns where id = ?").get(campaignId) as {
      summary: string;
    };
    expect(row.summary).toBe("");
  });

  it("checks that the costed lines add up to the goal", async () => {
    const bad = await client.call("POST", `/porteur/campagnes/${campaignId}`, {
      cookie: holder,
      form: completeForm({ poste_1_montant: "1400" }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain(
      "Le total des postes (4\u202f900\u00a0€) doit être égal à l’objectif (5\u202f000\u00a0€).",
    );
  });

  it("saves an incomplete draft, refuses to submit it, then submits the complete one", async () => {
    const partial = await client.call("POST", `/porteur/campagnes/${campaignId}`, {
      cookie: holder,
      form: completeForm({ resultats: "", calendrier: "" }),
    });
    expect(partial.status).toBe(200);
    expect(partial.body).toContain("Modifications enregistrées.");
    // « Soumettre » sends the form: what is on screen is saved and submitted, or nothing is.
    const early = await client.call("POST", `/porteur/campagnes/${campaignId}`, {
      cookie: holder,
      form: completeForm({ intent: "submit", resultats: "", calendrier: "" }),
    });
    expect(early.status).toBe(409);
    expect(early.body).toContain(
      "Avant de soumettre, complétez\u00a0: les résultats attendus, le calendrier, l’image du projet et sa description.",
    );

    expect(
      (
        await client.call("POST", `/porteur/campagnes/${campaignId}`, {
          cookie: holder,
          form: completeForm(),
        })
      ).status,
    ).toBe(200);
    const saved = db().prepare("select goal_cents, ends_at from campaigns where id = ?").get(campaignId) as {
      goal_cents: number;
      ends_at: string;
    };
    expect(saved.goal_cents).toBe(500_000);
    const lines = db()
      .prepare("select label, amount_cents from campaign_fund_lines where campaign_id = ? order by position")
      .all(campaignId);
    expect(lines).toEqual([
      { label: "Rayonnages et chambre froide", amount_cents: 350_000 },
      { label: "Caisse et balance", amount_cents: 150_000 },
    ]);
    // Complete, but without a picture: refused, and the campaign stays a draft.
    const noPicture = await client.call("POST", `/porteur/campagnes/${campaignId}`, {
      cookie: holder,
      form: completeForm({ intent: "submit" }),
    });
    expect(noPicture.status).toBe(409);
    expect(noPicture.body).toContain(
      "Avant de soumettre, complétez\u00a0: l’image du projet et sa description.",
    );
    expect(db().prepare("select status from campaigns where id = ?").get(campaignId)).toEqual({
      status: "draft",
    });
    // A picture without its text alternative is refused too (French message, 400), nothing stored.
    expect(await uploadPicture(campaignId, "")).toBe(400);
    expect(db().prepare("select image_path from campaigns where id = ?").get(campaignId)).toEqual({
      image_path: null,
    });
    expect(await uploadPicture(campaignId, "Les rayonnages de l’épicerie, vus de l’entrée")).toBe(200);
    const preview = await client.call("GET", `/porteur/campagnes/${campaignId}/apercu`, { cookie: holder });
    expect(preview.status).toBe(200);
    expect(preview.body).toContain("cette page n’est pas encore publique");
    expect(preview.body).toContain("<h3>Notre projet</h3>");
    expect(preview.body).not.toContain('id="contribuer"');

    const submitted = await client.call("POST", `/porteur/campagnes/${campaignId}`, {
      cookie: holder,
      form: completeForm({ intent: "submit" }),
    });
    expect(submitted.status).toBe(302);
    const status = db().prepare("select status from campaigns where id = ?").get(campaignId);
    expect(status).toEqual({ status: "submitted" });
    const history = db()
      .prepare("select event, actor_role from campaign_transitions where campaign_id = ? order by id")
      .all(campaignId);
    expect(history).toEqual([
      { event: "create", actor_role: "holder" },
      { event: "submit", actor_role: "holder" },
    ]);
    // The holder is told by e-mail, from the same transaction as the change.
    const mails = db()
      .prepare("select to_email, payload_json from email_outbox where kind = 'campaign_status_holder'")
      .all() as Array<{ to_email: string; payload_json: string }>;
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to_email).toBe("porteuse.test@example.org");
    expect(JSON.parse(mails[0]!.payload_json)).toMatchObject({
      event: "submit",
      statusLabel: "En attente de validation",
    });
    const locked = await client.call("POST", `/porteur/campagnes/${campaignId}`, {
      cookie: holder,
      form: completeForm({ titre: "Autre titre" }),
    });
    expect(locked.status).toBe(409);
    expect(locked.body).toContain("en cours de validation");
  });

  it("after approval, only the story can change: goal, dates and rewards are frozen", async () => {
    const conn = db();
    conn.prepare("update campaigns set status = 'approved' where id = ?").run(campaignId);
    conn.close();
    const edit = await client.call("POST", `/porteur/campagnes/${campaignId}`, {
      cookie: holder,
      form: completeForm({
        objectif: "9000",
        poste_0_montant: "7500",
        histoire: "## Notre projet\n\nNouvelle version de la présentation, plus complète que la première.",
      }),
    });
    expect(edit.status).toBe(200);
    const row = db().prepare("select goal_cents, story_md from campaigns where id = ?").get(campaignId) as {
      goal_cents: number;
      story_md: string;
    };
    expect(row.goal_cents).toBe(500_000);
    expect(row.story_md).toContain("Nouvelle version de la présentation");
  });

  it("keeps other people's campaigns out of reach (404, like a missing one), and anonymous visitors out", async () => {
    for (const p of [
      `/porteur/campagnes/${campaignId}`,
      `/porteur/campagnes/${campaignId}/apercu`,
      "/porteur/campagnes/999999",
    ]) {
      expect((await client.call("GET", p, { cookie: other })).status, p).toBe(404);
    }
    expect(
      (await client.call("POST", `/porteur/campagnes/${campaignId}`, { cookie: other, form: completeForm() }))
        .status,
    ).toBe(404);
    const anonymous = await client.call("GET", `/porteur/campagnes/${campaignId}`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/connexion\?retour=/);
    // Someone else's structure cannot carry their campaign (they are sent to declare their own).
    const before = db().prepare("select count(*) n from campaigns").get();
    const org = db().prepare("select id from organizations where name = ?").get("Épicerie des Corons") as {
      id: number;
    };
    const elsewhere = await client.call("POST", "/porteur/campagnes/nouvelle", {
      cookie: other,
      form: {
        titre: "Un projet sans structure",
        structure: String(org.id),
        territoire: "lens-lievin",
        theme: "culture",
      },
    });
    expect(elsewhere.status).toBe(302);
    expect(elsewhere.location).toBe("/porteur/structure");
    expect(db().prepare("select count(*) n from campaigns").get()).toEqual(before);
  });
});

describe("a live campaign's dashboard and CSV export", () => {
  it("shows the figures, a chart with its table, the contributions; the CSV opens in French Excel", async () => {
    const conn = db();
    const row = conn
      .prepare(
        `select c.id, u.email from campaigns c join organizations o on o.id = c.organization_id join users u on u.id = o.owner_user_id
          where c.status = 'live' and exists (select 1 from contributions k where k.campaign_id = c.id and k.anonymous = 1)
          order by c.id limit 1`,
      )
      .get() as { id: number; email: string };
    const collected = conn
      .prepare("select count(*) n from contributions where campaign_id = ? and status = 'paid'")
      .get(row.id) as { n: number };
    conn.close();
    const owner = await client.signIn(row.email);

    const page = await client.call("GET", `/porteur/campagnes/${row.id}/tableau-de-bord`, { cookie: owner });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<svg role="img" aria-labelledby="chart-caption"');
    expect(page.body).toContain("Voir les chiffres jour par jour");
    // Live: the public page and the share links, from the public address.
    const slug = (db().prepare("select slug from campaigns where id = ?").get(row.id) as { slug: string })
      .slug;
    const publicPage = `${server.url}/campagnes/${slug}`;
    expect(page.body).toContain(
      `<a data-discover="true" href="/campagnes/${slug}">voir sa page publique</a>`,
    );
    expect(page.body).toContain("Faites connaître votre campagne");
    expect(page.body).toContain(`value="${publicPage}"`);
    expect(page.body).toContain(
      `href="https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(publicPage)}" target="_blank" rel="noopener noreferrer"`,
    );
    expect(
      (
        await client.call("GET", `/porteur/campagnes/${row.id}/tableau-de-bord?etat=pas-un-etat`, {
          cookie: owner,
        })
      ).status,
    ).toBe(400);
    expect(
      (await client.call("GET", `/porteur/campagnes/${row.id}/tableau-de-bord`, { cookie: holder })).status,
    ).toBe(404);

    const csv = await client.call("GET", `/porteur/campagnes/${row.id}/contributions.csv`, { cookie: owner });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="contributions-.+\.csv"$/);
    // The bytes themselves (text() would swallow the BOM): EF BB BF first, for French Excel.
    const bytes = Buffer.from(
      await (
        await fetch(`${server.url}/porteur/campagnes/${row.id}/contributions.csv`, {
          headers: { cookie: owner },
        })
      ).arrayBuffer(),
    );
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { parse } = await import("csv-parse/sync");
    const records = parse(bytes.subarray(3).toString("utf8"), { delimiter: ";", columns: true }) as Array<
      Record<string, string>
    >;
    expect(records).toHaveLength(collected.n);
    expect(Object.keys(records[0]!)).toEqual([
      "Référence",
      "Date (heure de Paris)",
      "Nom",
      "Adresse électronique (contreparties)",
      "Montant (€)",
      "Contrepartie",
      "État",
      "Message",
    ]);
    const check = db();
    for (const r of records) {
      const id = Number(r["Référence"]!.replace("PRP-", ""));
      const k = check
        .prepare(
          "select public_name, email, anonymous, reward_id, amount_cents from contributions where id = ?",
        )
        .get(id) as {
        public_name: string;
        email: string;
        anonymous: number;
        reward_id: number | null;
        amount_cents: number;
      };
      expect(r["Montant (€)"]).toBe(
        `${Math.trunc(k.amount_cents / 100)},${String(k.amount_cents % 100).padStart(2, "0")}`,
      );
      if (k.reward_id === null) {
        expect(r["Adresse électronique (contreparties)"]).toBe("");
        expect(r["Nom"]).toBe(k.anonymous ? "Anonyme" : k.public_name);
      } else {
        expect(r["Adresse électronique (contreparties)"]).toBe(k.email);
        expect(r["Nom"]).toBe(k.public_name);
      }
    }
    check.close();
    expect(
      (await client.call("GET", `/porteur/campagnes/${row.id}/contributions.csv`, { cookie: holder })).status,
    ).toBe(404);
  });
});

describe("getting paid: Stripe Connect Express onboarding (demo stand-in)", () => {
  it("creates the account once, sends the holder to onboarding, renews an expired link, and records the ready account", async () => {
    const org = db().prepare("select id from organizations where name = ?").get("Épicerie des Corons") as {
      id: number;
    };
    expect(
      (
        await client.call("POST", "/porteur/paiements", {
          cookie: other,
          form: { structure: String(org.id) },
        })
      ).status,
    ).toBe(404);

    const go = await client.call("POST", "/porteur/paiements", {
      cookie: holder,
      form: { structure: String(org.id) },
    });
    expect(go.status).toBe(303);
    const first = new URL(go.location!);
    expect(first.pathname).toMatch(/^\/demo\/onboarding\/acct_[a-f0-9]+$/);
    const account = first.pathname.split("/").at(-1)!;
    expect(
      db()
        .prepare("select stripe_account_id, stripe_payouts_enabled from organizations where id = ?")
        .get(org.id),
    ).toEqual({
      stripe_account_id: account,
      stripe_payouts_enabled: 0,
    });
    const page = await client.call("GET", first.pathname + first.search);
    expect(page.status).toBe(200);
    expect(page.body).toContain("Mode démonstration — aucun paiement réel.");

    // An expired link: the refresh URL makes a new one, for the same account.
    const expired = await client.call("POST", first.pathname + first.search, { form: { intent: "expire" } });
    expect(expired.status).toBe(302);
    const relance = new URL(expired.location!);
    expect(relance.pathname).toBe("/porteur/paiements/relance");
    const again = await client.call("GET", relance.pathname + relance.search, { cookie: holder });
    expect(again.status).toBe(302);
    const second = new URL(again.location!);
    expect(second.pathname).toBe(first.pathname);

    // Finishing sends the signed account.updated webhook; the return page records the state.
    const done = await client.call("POST", second.pathname + second.search, { form: { intent: "finish" } });
    expect(done.status).toBe(302);
    expect(db().prepare("select stripe_payouts_enabled from organizations where id = ?").get(org.id)).toEqual(
      { stripe_payouts_enabled: 1 },
    );
    const back = new URL(done.location!);
    const retour = await client.call("GET", back.pathname + back.search, { cookie: holder });
    expect(retour.status).toBe(302);
    expect(retour.location).toBe("/porteur?paiements=pret");
    const home = await client.call("GET", "/porteur?paiements=pret", { cookie: holder });
    expect(home.body).toContain("Votre compte de paiement est prêt");
    expect(home.body).not.toContain("Connecter mon compte de paiement");

    // The stand-in never sends anyone to another site.
    const evil = await client.call(
      "GET",
      `${first.pathname}?retour=${encodeURIComponent("https://evil.example/")}&relance=${encodeURIComponent("https://evil.example/")}`,
    );
    expect(evil.status).toBe(400);
  });
});

describe("news to contributors, with a working unsubscribe link", () => {
  it("publishes on the campaign page, e-mails every contributor in batches, and honours unsubscription", async () => {
    const conn = db();
    const row = conn
      .prepare(
        `select c.id, c.slug, u.email from campaigns c join organizations o on o.id = c.organization_id join users u on u.id = o.owner_user_id
          where c.status = 'live' order by c.id desc limit 1`,
      )
      .get() as { id: number; slug: string; email: string };
    const recipients = (
      conn
        .prepare("select distinct email from contributions where campaign_id = ? and status = 'paid'")
        .all(row.id) as Array<{ email: string }>
    ).map((r) => r.email);
    conn.close();
    const owner = await client.signIn(row.email);
    const { readOutbox } = await import("~/demo/resend-api.server");
    const outboxFile = path.join(path.dirname(tmp.file), "outbox.jsonl");

    const bad = await client.call("POST", `/porteur/campagnes/${row.id}/actualites`, {
      cookie: owner,
      form: { titre: "Ok", texte: "court" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("Titre\u00a0: 3 caractères au moins.");
    expect(
      (
        await client.call("POST", `/porteur/campagnes/${row.id}/actualites`, {
          cookie: holder,
          form: { titre: "Intrus", texte: "Un texte assez long." },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await client.call("POST", `/porteur/campagnes/${campaignId}/actualites`, {
          cookie: holder,
          form: { titre: "Trop tôt", texte: "Pas encore en ligne." },
        })
      ).status,
    ).toBe(409);

    const posted = await client.call("POST", `/porteur/campagnes/${row.id}/actualites`, {
      cookie: owner,
      form: {
        titre: "Les travaux commencent",
        texte: "Merci à toutes et à tous : **les travaux commencent lundi**.",
      },
    });
    expect(posted.status).toBe(200);
    expect(posted.body).toContain(
      `Actualité publiée et envoyée à ${recipients.length} contributeur${recipients.length > 1 ? "s" : ""}.`,
    );
    const sent = readOutbox(outboxFile).filter((m) => m.subject.startsWith("Les travaux commencent"));
    expect(sent.map((m) => m.to[0]).sort()).toEqual([...recipients].sort());
    const first = sent[0]!;
    expect(first.html).toContain("<strong>les travaux commencent lundi</strong>");
    const link = /href="([^"]*\/desabonnement\?jeton=[^"]+)"/.exec(first.html ?? "")?.[1];
    expect(link).toBeDefined();

    const publicPage = await client.call("GET", `/campagnes/${row.slug}`);
    expect(publicPage.body).toContain('<h2 id="news-title">Actualités</h2>');

    // Unsubscribe: opening the link changes nothing; the button does.
    const url = new URL(link!);
    const open = await client.call("GET", url.pathname + url.search);
    expect(open.status).toBe(200);
    expect(open.body).toContain("Me désabonner");
    const done = await client.call("POST", url.pathname + url.search, {
      form: { jeton: url.searchParams.get("jeton")! },
    });
    expect(done.status).toBe(200);
    expect(done.body).toContain("Vous ne recevrez plus les actualités");
    expect(
      (await client.call("POST", "/desabonnement?jeton=pas-un-jeton-valide-du-tout", { form: {} })).status,
    ).toBe(400);

    const again = await client.call("POST", `/porteur/campagnes/${row.id}/actualites`, {
      cookie: owner,
      form: { titre: "Deuxième nouvelle", texte: "La suite des travaux avance bien." },
    });
    expect(again.body).toContain(
      `Actualité publiée et envoyée à ${recipients.length - 1} contributeur${recipients.length - 1 > 1 ? "s" : ""}.`,
    );
    const second = readOutbox(outboxFile).filter((m) => m.subject.startsWith("Deuxième nouvelle"));
    expect(second.map((m) => m.to[0])).not.toContain(first.to[0]);
    expect(second).toHaveLength(recipients.length - 1);
  });
});

describe("the campaign image", () => {
  it("checks type by content and size, re-encodes to WebP without metadata, serves it only from our own names", async () => {
    const sharp = (await import("sharp")).default;
    const org = db().prepare("select id from organizations where name = ?").get("Épicerie des Corons") as {
      id: number;
    };
    const draft = await client.call("POST", "/porteur/campagnes/nouvelle", {
      cookie: holder,
      form: {
        titre: "Un projet avec une image",
        structure: String(org.id),
        territoire: "lens-lievin",
        theme: "culture",
      },
    });
    const id = Number(/(\d+)$/.exec(draft.location ?? "")?.[1]);
    const upload = async (
      bytes: Buffer,
      name: string,
      type: string,
      alt = "Des bénévoles devant l'épicerie",
    ) => {
      const form = new FormData();
      form.set("intent", "image");
      form.set("image_alt", alt);
      form.set("image", new Blob([new Uint8Array(bytes)], { type }), name);
      const res = await fetch(`${server.url}/porteur/campagnes/${id}`, {
        method: "POST",
        body: form,
        headers: { cookie: holder, origin: server.url },
        redirect: "manual",
      });
      return { status: res.status, body: await res.text() };
    };
    const photo = await sharp({
      create: { width: 900, height: 500, channels: 3, background: { r: 40, g: 120, b: 60 } },
    })
      .jpeg()
      .withMetadata({ exif: { IFD0: { Artist: "Jeanne Secret", Copyright: "GPS here" } } })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();

    const fake = await upload(Buffer.from("<script>alert(1)</script>"), "photo.png", "image/png");
    expect(fake.status).toBe(400);
    expect(fake.body).toContain("Ce fichier n’est pas une image lisible");
    const tiny = await upload(
      await sharp({ create: { width: 100, height: 100, channels: 3, background: "#fff" } })
        .png()
        .toBuffer(),
      "petit.png",
      "image/png",
    );
    expect(tiny.status).toBe(400);
    expect(tiny.body).toContain("Image trop petite");
    expect((await upload(photo, "photo.jpg", "image/jpeg", "")).status).toBe(400);

    const ok = await upload(photo, "../../etc/passwd.jpg", "image/jpeg");
    expect(ok.status).toBe(200);
    const stored = db().prepare("select image_path, image_alt from campaigns where id = ?").get(id) as {
      image_path: string;
      image_alt: string;
    };
    expect(stored.image_path).toMatch(/^c\d+-[a-f0-9]{16}\.webp$/);
    expect(stored.image_alt).toBe("Des bénévoles devant l'épicerie");
    const served = await fetch(`${server.url}/images/campagnes/${stored.image_path}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/webp");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    const bytes = Buffer.from(await served.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe("webp");
    expect(meta.exif).toBeUndefined();
    expect(bytes.includes(Buffer.from("Jeanne Secret"))).toBe(false);
    for (const p of [
      "/images/campagnes/..%2F..%2Fpackage.json",
      "/images/campagnes/c1-0000000000000000.webp",
      "/images/campagnes/photo.jpg",
    ]) {
      expect((await fetch(server.url + p)).status, p).toBe(404);
    }
    const preview = await client.call("GET", `/porteur/campagnes/${id}/apercu`, { cookie: holder });
    expect(preview.status).toBe(200);
    expect(preview.body).toContain(
      `<img src="/images/campagnes/${stored.image_path}" alt="Des bénévoles devant l&#x27;épicerie"`,
    );
  });
});
