/**
 * The tax-receipt forms over HTTP, as a browser without JavaScript: a holder declares (French
 * validation, nothing half written, signature re-encoded), staff verify or withdraw (only staff),
 * the reward value and its warnings, and a citizen's receipt request stored with the contribution.
 */
import path from "node:path";
import type SQLite from "better-sqlite3";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STAFF_EMAIL } from "#db/seed/seed";
import { addDays, parisCalendarDate } from "~/domain/time";
import { tempDatabasePath, withDatabaseFile } from "../support/db";
import { httpClient, type Answer } from "../support/http-session";
import { freePort, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let tmp: ReturnType<typeof tempDatabasePath>;
let client: ReturnType<typeof httpClient>;
const cookies = { holder: "", company: "", citizen: "", staff: "" };
let orgId = 0;
let campaignSlug = "";
let otherFormEmail = "";
let png: Buffer;

function withDb<T>(fn: (db: SQLite.Database) => T): T {
  return withDatabaseFile(tmp.file, fn);
}
const count = (sql: string, ...params: unknown[]) =>
  withDb((db) => (db.prepare(sql).get(...params) as { n: number }).n);
const profile = () =>
  withDb(
    (db) =>
      db.prepare("select * from receipt_profiles where organization_id = ?").get(orgId) as
        Record<string, string | number | null> | undefined,
  );

beforeAll(async () => {
  tmp = tempDatabasePath("receipt-forms");
  const outbox = path.join(path.dirname(tmp.file), "outbox.jsonl");
  const port = await freePort();
  server = await startServer(
    {
      DATABASE_PATH: tmp.file,
      DEMO_OUTBOX_PATH: outbox,
      UPLOADS_DIR: path.join(path.dirname(tmp.file), "uploads"),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SETTLE_INTERVAL_SECONDS: "0",
    },
    { port },
  );
  client = httpClient(server, outbox);
  const holder = withDb(
    (db) =>
      db
        .prepare(
          `select o.id, c.slug, u.email from campaigns c join organizations o on o.id = c.organization_id
           join users u on u.id = o.owner_user_id
           where c.status = 'live' and o.legal_form = 'association'
             and (select count(*) from organizations o2 where o2.owner_user_id = o.owner_user_id) = 1
           order by c.id limit 1`,
        )
        .get() as { id: number; slug: string; email: string },
  );
  orgId = holder.id;
  campaignSlug = holder.slug;
  otherFormEmail = withDb(
    (db) =>
      (
        db
          .prepare(
            "select u.email from organizations o join users u on u.id = o.owner_user_id where o.legal_form = 'entreprise_ess' order by o.id limit 1",
          )
          .get() as { email: string }
      ).email,
  );
  cookies.holder = await client.signIn(holder.email);
  cookies.company = await client.signIn(otherFormEmail);
  cookies.citizen = await client.signIn("simple.citoyen@example.org");
  cookies.staff = await client.signIn(DEMO_STAFF_EMAIL);
  png = await sharp({ create: { width: 400, height: 120, channels: 4, background: "#ffffff" } })
    .png()
    .toBuffer();
});

afterAll(async () => {
  await server?.stop();
  tmp?.cleanup();
});

const declaration = (over: Record<string, string> = {}): Record<string, string> => ({
  statut: "interet_general",
  article: "",
  objet: "Aide alimentaire et lien social dans le bassin minier",
  rue: "12 rue de la République",
  code_postal: "62800",
  ville: "Liévin",
  siren: "",
  rna: "W623001234",
  signataire: "Claire Dupont",
  qualite: "Présidente",
  mandat: "on",
  ...over,
});

/** A multipart POST, as the declaration form sends it (with its signature file). */
async function postMultipart(
  pathName: string,
  cookie: string,
  fields: Record<string, string>,
  file?: { bytes: Buffer; name: string; type: string },
): Promise<Answer> {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  if (file) body.set("signature", new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const res = await fetch(server.url + pathName, {
    method: "POST",
    headers: { origin: server.url, cookie },
    body,
    redirect: "manual",
  });
  return {
    status: res.status,
    location: res.headers.get("location"),
    headers: res.headers,
    setCookies: res.headers.getSetCookie(),
    body: await res.text(),
  };
}

const PAGE = "/porteur/structure/recus-fiscaux";

describe("a holder's declaration", () => {
  it("shows the form and the full mandate", async () => {
    const page = await client.call("GET", PAGE, { cookie: cookies.holder });
    expect(page.status).toBe(200);
    expect(page.body).toContain("Je donne mandat à Propulsons d’émettre");
    expect(page.body).toContain("révoquer ce mandat");
  });

  it("refuses wrong values in French and writes nothing", async () => {
    const bad = await postMultipart(
      PAGE,
      cookies.holder,
      declaration({ rna: "", siren: "732829321", code_postal: "628", mandat: "" }),
      { bytes: png, name: "signature.png", type: "image/png" },
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("Numéro SIREN invalide");
    expect(bad.body).toContain("Code postal invalide");
    expect(bad.body).toContain("Cochez la case pour donner mandat");
    expect(bad.body).toContain("Aide alimentaire et lien social dans le bassin minier");
    const missing = await postMultipart(PAGE, cookies.holder, declaration({ rna: "" }));
    expect(missing.status).toBe(400);
    expect(missing.body).toContain("Indiquez le SIREN de la structure, ou son numéro RNA");
    expect(missing.body).toContain("Ajoutez l’image de la signature");
    const notImage = await postMultipart(PAGE, cookies.holder, declaration(), {
      bytes: Buffer.from("GIF89a not really"),
      name: "signature.png",
      type: "image/png",
    });
    expect(notImage.status).toBe(400);
    expect(notImage.body).toContain("n’est pas une image lisible");
    expect(profile()).toBeUndefined();
  });

  it("records the declaration with the mandate, who and when; status declared", async () => {
    const saved = await postMultipart(PAGE, cookies.holder, declaration(), {
      bytes: png,
      name: "signature.png",
      type: "image/png",
    });
    expect(saved.status).toBe(303);
    const p = profile()!;
    expect(p.status).toBe("declared");
    expect(p.cgi_article).toBe("200-1-b");
    expect(p.rna).toBe("W623001234");
    expect(String(p.mandate_text)).toContain("Je donne mandat à Propulsons");
    const holderId = withDb(
      (db) =>
        (
          db.prepare("select owner_user_id as id from organizations where id = ?").get(orgId) as {
            id: number;
          }
        ).id,
    );
    expect(p.mandate_user_id).toBe(holderId);
    expect(Date.now() - Date.parse(String(p.mandate_at))).toBeLessThan(60_000);
    expect(String(p.signature_path)).toMatch(/^o\d+-[a-f0-9]{16}\.png$/);
    const image = await client.call("GET", `${PAGE}/signature`, { cookie: cookies.holder });
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(image.headers.get("cache-control")).toBe("private, no-store");
  });

  it("a structure that is not an association is told why and cannot declare", async () => {
    const page = await client.call("GET", PAGE, { cookie: cookies.company });
    expect(page.status).toBe(200);
    expect(page.body).toContain("ne sont proposés qu’aux associations");
    expect(page.body).not.toContain('name="mandat"');
    const post = await postMultipart(PAGE, cookies.company, declaration(), {
      bytes: png,
      name: "s.png",
      type: "image/png",
    });
    expect(post.status).toBe(403);
    expect(count("select count(*) as n from receipt_profiles")).toBe(1);
  });
});

describe("staff verification", () => {
  const staffPage = () => `/gestion/recus-fiscaux/${orgId}`;

  it("only staff see the declarations and the signature, and only staff decide", async () => {
    for (const who of ["holder", "citizen"] as const) {
      expect((await client.call("GET", "/gestion/recus-fiscaux", { cookie: cookies[who] })).status).toBe(403);
      expect((await client.call("GET", `${staffPage()}/signature`, { cookie: cookies[who] })).status).toBe(
        403,
      );
      const post = await client.call("POST", staffPage(), {
        cookie: cookies[who],
        form: { intent: "verify", updated_at: String(profile()!.updated_at) },
      });
      expect(post.status).toBe(403);
    }
    expect(profile()!.status).toBe("declared");
    const list = await client.call("GET", "/gestion/recus-fiscaux", { cookie: cookies.staff });
    expect(list.status).toBe(200);
    expect(list.body).toContain(`/gestion/recus-fiscaux/${orgId}`);
    const page = await client.call("GET", staffPage(), { cookie: cookies.staff });
    expect(page.body).toContain("W623001234");
    expect(page.body).toContain("Je donne mandat à Propulsons");
    expect((await client.call("GET", `${staffPage()}/signature`, { cookie: cookies.staff })).status).toBe(
      200,
    );
  });

  it("before verification the contribution form offers no receipt, and a forged request is refused", async () => {
    const page = await client.call("GET", `/campagnes/${campaignSlug}`);
    expect(page.body).not.toContain("Je souhaite un reçu fiscal");
    const before = count("select count(*) as n from contributions");
    const post = await client.call("POST", `/campagnes/${campaignSlug}`, {
      form: {
        montant: "100",
        contrepartie: "",
        email: "donatrice@example.org",
        nom: "Léa",
        recu: "on",
        recu_prenom: "Léa",
        recu_nom: "Martin",
        recu_rue: "3 rue des Lilas",
        recu_code_postal: "62300",
        recu_ville: "Lens",
        recu_pays: "France",
      },
    });
    expect(post.status).toBe(409);
    expect(post.body).toContain("ne peut pas (ou plus) émettre de reçus fiscaux");
    expect(count("select count(*) as n from contributions")).toBe(before);
  });

  it("staff verify: recorded, the holder is told", async () => {
    const ok = await client.call("POST", staffPage(), {
      cookie: cookies.staff,
      form: { intent: "verify", updated_at: String(profile()!.updated_at) },
    });
    expect(ok.status).toBe(303);
    const p = profile()!;
    expect(p.status).toBe("verified");
    expect(p.verified_by_user_id).not.toBeNull();
    expect(p.verified_at).not.toBeNull();
    expect(count("select count(*) as n from email_outbox where kind = 'receipt_profile_holder'")).toBe(1);
  });

  it("a withdrawal needs a reason", async () => {
    const bad = await client.call("POST", staffPage(), {
      cookie: cookies.staff,
      form: { intent: "withdraw", motif: "", updated_at: String(profile()!.updated_at) },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("Indiquez le motif du retrait");
    expect(profile()!.status).toBe("verified");
  });
});

describe("a citizen asks for a receipt", () => {
  const base = {
    montant: "100",
    contrepartie: "",
    email: "donatrice@example.org",
    nom: "Léa",
    recu: "on",
    recu_prenom: "Léa",
    recu_nom: "Martin",
    recu_rue: "3 rue des Lilas",
    recu_code_postal: "62300",
    recu_ville: "Lens",
    recu_pays: "France",
  };

  it("the form offers the receipt, says individuals only and shows the reduction", async () => {
    const page = await client.call("GET", `/campagnes/${campaignSlug}`);
    expect(page.body).toContain("Je souhaite un reçu fiscal");
    expect(page.body).toContain("particuliers seulement");
    expect(page.body).toContain("vous coûte 34\u00a0€ après réduction d’impôt");
  });

  it("refuses a missing address or a wrong postal code and writes nothing", async () => {
    const before = count("select count(*) as n from contributions");
    const bad = await client.call("POST", `/campagnes/${campaignSlug}`, {
      form: { ...base, recu_rue: "", recu_code_postal: "6230" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("Indiquez votre adresse");
    expect(bad.body).toContain("5 chiffres pour une adresse en France");
    expect(count("select count(*) as n from contributions")).toBe(before);
    expect(count("select count(*) as n from receipt_requests")).toBe(0);
  });

  it("stores the request with the contribution and shows the figure before paying", async () => {
    const ok = await client.call("POST", `/campagnes/${campaignSlug}`, { form: base });
    expect(ok.status).toBe(303);
    const row = withDb(
      (db) =>
        db
          .prepare(
            "select q.*, k.amount_cents from receipt_requests q join contributions k on k.id = q.contribution_id",
          )
          .get() as Record<string, string | number>,
    );
    expect(row).toMatchObject({
      first_name: "Léa",
      last_name: "Martin",
      postal_code: "62300",
      town: "Lens",
      country: "France",
      amount_cents: 10000,
    });
    const checkout = await client.call("GET", new URL(ok.location!, server.url).pathname);
    expect(checkout.status).toBe(200);
    expect(checkout.body).toContain("Votre don de 100\u00a0€ vous coûte 34\u00a0€ après réduction d’impôt.");
  });
});

describe("after verification", () => {
  it("editing the declaration sends it back to verification, and the page says so", async () => {
    const page = await client.call("GET", PAGE, { cookie: cookies.holder });
    expect(page.body).toContain("modifier cette déclaration la renvoie en vérification");
    const saved = await postMultipart(PAGE, cookies.holder, declaration({ qualite: "Trésorière" }));
    expect(saved.status).toBe(303);
    const p = profile()!;
    expect(p.status).toBe("declared");
    expect(p.verified_at).toBeNull();
    expect(p.signer_role).toBe("Trésorière");
    expect(String(p.signature_path)).toMatch(/\.png$/);
  });

  it("staff withdraw with a reason: recorded, the holder is told that no receipt is issued", async () => {
    const ok = await client.call("POST", `/gestion/recus-fiscaux/${orgId}`, {
      cookie: cookies.staff,
      form: {
        intent: "withdraw",
        motif: "Le RNA ne correspond pas.",
        updated_at: String(profile()!.updated_at),
      },
    });
    expect(ok.status).toBe(303);
    const p = profile()!;
    expect(p.status).toBe("withdrawn");
    expect(p.withdrawn_reason).toBe("Le RNA ne correspond pas.");
    const mail = withDb(
      (db) =>
        db
          .prepare(
            "select payload_json from email_outbox where kind = 'receipt_profile_holder' order by id desc",
          )
          .get() as { payload_json: string },
    );
    expect(JSON.parse(mail.payload_json)).toMatchObject({
      decision: "withdraw",
      reason: "Le RNA ne correspond pas.",
    });
    const page = await client.call("GET", `/campagnes/${campaignSlug}`);
    expect(page.body).not.toContain("Je souhaite un reçu fiscal");
  });
});

describe("the reward value in the editor", () => {
  it("is saved, checked and warned about on the server", async () => {
    const draft = await client.call("POST", "/porteur/campagnes/nouvelle", {
      cookie: cookies.holder,
      form: {
        titre: "Un jardin partagé à Liévin",
        structure: String(orgId),
        territoire: "lens-lievin",
        theme: "environnement-transition",
      },
    });
    expect(draft.status).toBe(302);
    const id = Number(/\/porteur\/campagnes\/(\d+)$/.exec(draft.location ?? "")?.[1]);
    const form = {
      intent: "save",
      titre: "Un jardin partagé à Liévin",
      resume: "Un jardin partagé, cultivé par les habitants du quartier et ouvert aux écoles.",
      histoire:
        "## Notre projet\n\nDepuis deux ans, nous cultivons une friche. Nous voulons l’ouvrir à tous.",
      objectif: "2000",
      fin: addDays(parisCalendarDate(new Date()), 30),
      territoire: "lens-lievin",
      theme: "solidarite-lien-social",
      resultats: "- 40 familles jardinières",
      calendrier: "- Mars : clôture\n- Avril : premières plantations",
      poste_0_libelle: "Outils et clôture",
      poste_0_montant: "2000",
      cp_0_titre: "Un panier de légumes",
      cp_0_description: "Un panier de saison du jardin.",
      cp_0_minimum: "20",
      cp_0_stock: "",
    };
    const bad = await client.call("POST", `/porteur/campagnes/${id}`, {
      cookie: cookies.holder,
      form: { ...form, cp_0_valeur: "douze" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("valeur invalide");
    const ok = await client.call("POST", `/porteur/campagnes/${id}`, {
      cookie: cookies.holder,
      form: { ...form, cp_0_valeur: "12,50" },
    });
    expect(ok.status, ok.body.match(/field-error[^<]*>[^<]*/g)?.join(" | ")).toBe(200);
    expect(
      withDb(
        (db) =>
          (
            db.prepare("select value_cents from rewards where campaign_id = ?").get(id) as {
              value_cents: number;
            }
          ).value_cents,
      ),
    ).toBe(1250);
    const page = await client.call("GET", `/porteur/campagnes/${id}`, { cookie: cookies.holder });
    expect(page.body).toContain("Contrepartie 1\u00a0: valeur de la contrepartie (€)");
    expect(page.body).toContain("plus de 25\u00a0% du montant minimum");
    expect(page.body).toContain("peut refuser la réduction d’impôt");
  });
});
