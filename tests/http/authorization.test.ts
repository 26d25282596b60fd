/**
 * Who may see and do what, against the built server (build/index.js; `npm test`
 * builds first), signing in over HTTP as a person does: the address, then the
 * code read from the demo outbox (the mocked Resend API's JSONL file).
 *
 * Every request here comes from 127.0.0.1: the whole file stays well under the
 * sign-in limit of 20 requests per IP per 15 minutes (see `signInRequests`).
 */
import path from "node:path";
import type SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contributionReference } from "~/domain/contribution-status";
import { formatEuros } from "~/domain/format";
import { readOutbox, type OutboxMessage } from "~/demo/resend-api.server";
import { tempDatabasePath, withDatabaseFile } from "../support/db";
import { freePort, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let tmp: ReturnType<typeof tempDatabasePath>;
let outbox: string;
let origin: string;

interface Paid {
  id: number;
  email: string;
  public_name: string;
  amount_cents: number;
}
/** citizen A: an address with paid contributions in the seed; B: another one */
let A: Paid;
let B: Paid;
let liveSlug: string;
let holderEmail: string;
let signInRequests = 0;

beforeAll(async () => {
  tmp = tempDatabasePath("authz");
  outbox = path.join(path.dirname(tmp.file), "outbox.jsonl");
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = await startServer(
    { DATABASE_PATH: tmp.file, DEMO_OUTBOX_PATH: outbox, SETTLE_INTERVAL_SECONDS: "0", PUBLIC_URL: origin },
    { port },
  );
  withDb((db) => {
    const paidBy = (excluding: string) =>
      db
        .prepare(
          `select k.id, k.email, k.public_name, k.amount_cents from contributions k
            where k.status = 'paid' and k.paid_at is not null and k.anonymous = 0 and k.hide_amount = 0
              and k.email <> ? and k.public_name not in (select public_name from contributions where email = ?)
              and k.email in (select email from contributions where status = 'paid' group by email having count(*) >= 2)
            order by k.amount_cents desc, k.id limit 1`,
        )
        .get(excluding, excluding) as Paid;
    A = paidBy("");
    B = paidBy(A.email);
    const live = db
      .prepare(
        "select slug from campaigns where status = 'live' and starts_at <= ? and ends_at > ? order by ends_at desc limit 1",
      )
      .get(new Date().toISOString(), new Date().toISOString()) as { slug: string };
    liveSlug = live.slug;
    holderEmail = (
      db.prepare("select email from users where role = 'holder' order by id limit 1").get() as {
        email: string;
      }
    ).email;
  });
  expect(A.email).not.toBe(B.email);
});

afterAll(async () => {
  await server?.stop();
  tmp?.cleanup();
});

/** A separate connection to the server's database, as another process would open it. */
function withDb<T>(fn: (db: SQLite.Database) => T): T {
  return withDatabaseFile(tmp.file, fn);
}

const count = (sql: string, ...params: unknown[]) =>
  withDb((db) => (db.prepare(sql).get(...params) as { n: number }).n);

interface Answer {
  status: number;
  location: string | null;
  headers: Headers;
  setCookies: string[];
  body: string;
}

interface CallOptions {
  cookie?: string;
  /** a form, sent as application/x-www-form-urlencoded */
  form?: Record<string, string>;
  /** any other body, with its content type */
  raw?: { body: string; type: string };
  /** the Origin header; none by default (Node's fetch sends none) */
  origin?: string;
}

async function call(method: "GET" | "POST", url: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin) headers.origin = options.origin;
  let body: string | URLSearchParams | undefined;
  if (options.form) body = new URLSearchParams(options.form);
  if (options.raw) {
    body = options.raw.body;
    headers["content-type"] = options.raw.type;
  }
  const res = await fetch(server.url + url, { method, headers, body, redirect: "manual" });
  return {
    status: res.status,
    location: res.headers.get("location"),
    headers: res.headers,
    setCookies: res.headers.getSetCookie(),
    body: await res.text(),
  };
}

function latestMailTo(email: string): OutboxMessage {
  const message = readOutbox(outbox)
    .filter((m) => m.to.includes(email))
    .at(-1);
  if (!message) throw new Error(`no e-mail to ${email}`);
  return message;
}

function codeFor(email: string): string {
  const code = /(\d{6})$/.exec(latestMailTo(email).subject)?.[1];
  if (!code) throw new Error(`no code in the last e-mail to ${email}`);
  return code;
}

function linkFor(email: string): string {
  const href = /href="([^"]*\/connexion\/verifier\?jeton=[^"]+)"/.exec(latestMailTo(email).html ?? "")?.[1];
  if (!href) throw new Error(`no sign-in link in the last e-mail to ${email}`);
  return href.replace(/&amp;/g, "&");
}

function sessionTokenOf(answer: Answer): string {
  const cookie = answer.setCookies.find((c) => c.startsWith("__session="));
  const token = cookie ? /^__session=([^;]*)/.exec(cookie)?.[1] : undefined;
  if (!token)
    throw new Error(`no session cookie in ${JSON.stringify(answer.setCookies)} (status ${answer.status})`);
  return token;
}

/** Ask for the e-mail on /connexion, as the form does. */
async function askForCode(
  email: string,
  options: { retour?: string; origin?: string } = {},
): Promise<Answer> {
  signInRequests += 1;
  expect(signInRequests, "sign-in requests from 127.0.0.1 in this file").toBeLessThanOrEqual(20);
  return call("POST", "/connexion", {
    form: { email, retour: options.retour ?? "/mon-compte" },
    origin: options.origin,
  });
}

/**
 * Sign in like a person: open /connexion, give the address, read the code in the
 * e-mail, type it. `origin: false` acts as an old browser that sends no Origin.
 */
async function signIn(
  email: string,
  options: { retour?: string; origin?: boolean } = {},
): Promise<{ cookie: string; answer: Answer }> {
  const retour = options.retour ?? "/mon-compte";
  const from = options.origin === false ? undefined : origin;
  const page = await call("GET", `/connexion?retour=${encodeURIComponent(retour)}`);
  expect(page.status).toBe(200);
  expect(page.body).toContain('name="email"');
  const asked = await askForCode(email, { retour, origin: from });
  expect(asked.status, asked.body.slice(0, 300)).toBe(200);
  expect(asked.body).toContain("Saisissez votre code");
  const answer = await call("POST", "/connexion", {
    form: { intent: "code", email, code: codeFor(email), retour },
    origin: from,
  });
  expect(answer.status).toBe(302);
  return { cookie: `__session=${sessionTokenOf(answer)}`, answer };
}

/** Whether this session cookie still opens the account page. */
async function stillSignedIn(cookie: string): Promise<boolean> {
  const res = await call("GET", "/mon-compte", { cookie });
  if (res.status === 200) return true;
  expect(res.status).toBe(302);
  expect(res.location).toBe("/connexion?retour=%2Fmon-compte");
  return false;
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#x27;");
}

function expectNotShown(body: string, secret: string, what: string) {
  expect(body, `${what} must not be shown`).not.toContain(secret);
  expect(body, `${what} must not be shown`).not.toContain(escapeHtml(secret));
}

/** session cookies: A and B (signed in first), A2 (A again, by the link) */
const cookies: Record<string, string> = {};

describe("signing in over HTTP", () => {
  it("the address, then the code from the e-mail → 302 back where one was going, with an HttpOnly SameSite=Lax session cookie", async () => {
    const before = count("select count(*) n from sign_in_requests");
    const { cookie, answer } = await signIn(A.email, { retour: "/mon-compte/contributions" });
    expect(answer.location).toBe("/mon-compte/contributions");
    const setCookie = answer.setCookies.find((c) => c.startsWith("__session="))!;
    expect(setCookie).toMatch(/^__session=[A-Za-z0-9_-]{40,}; /);
    const attributes = setCookie.split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=lax");
    expect(attributes).toContain("path=/");
    expect(attributes).toContain(`max-age=${30 * 24 * 3600}`);
    expect(answer.headers.get("cache-control") ?? "").not.toMatch(/public/);
    expect(count("select count(*) n from sign_in_requests")).toBe(before + 1);
    // the link in the e-mail names this server (PUBLIC_URL)
    expect(linkFor(A.email)).toMatch(
      new RegExp(`^${origin.replace(/[.]/g, "\\.")}/connexion/verifier\\?jeton=[A-Za-z0-9_-]{20,100}$`),
    );
    cookies.A = cookie;
    expect(await stillSignedIn(cookie)).toBe(true);
  });

  it("works without an Origin header too (old browsers, no JavaScript): sign-in and contribution", async () => {
    const { cookie, answer } = await signIn(B.email, { origin: false });
    expect(answer.location).toBe("/mon-compte");
    cookies.B = cookie;
    expect(await stillSignedIn(cookie)).toBe(true);
    const contribution = await call("POST", `/campagnes/${liveSlug}`, {
      form: { montant: "12", contrepartie: "", email: "sans-origine@example.org", nom: "Sans Origine" },
    });
    expect(contribution.status).toBe(303);
    expect(contribution.location).toMatch(/\/demo\/checkout\/cs_test_[a-f0-9]+$/);
  });

  it("a wrong code gets a French error (400), and no cookie", async () => {
    const code = codeFor(B.email); // already used
    const res = await call("POST", "/connexion", {
      form: { intent: "code", email: B.email, code, retour: "/mon-compte" },
      origin,
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain("Code incorrect ou expiré");
    expect(res.setCookies).toEqual([]);
  });

  it("answers the same for a known address and an unknown one; only the first sign-in creates the account", async () => {
    const unknown = "inconnue.authz@example.net";
    const known = await askForCode(holderEmail, { origin });
    const other = await askForCode(unknown, { origin });
    expect(known.status).toBe(other.status);
    const strip = (a: Answer, email: string) =>
      // Each render has its own CSP nonce (ADR 014): the rest must be the same.
      a.body
        .replaceAll(email, "ADRESSE")
        .replace(/\/build\/[^"]+/g, "")
        .replace(/ nonce="[^"]*"/g, "");
    expect(strip(known, holderEmail)).toBe(strip(other, unknown));
    expect(latestMailTo(holderEmail).subject).toMatch(/^Votre code de connexion à Propulsons\u00a0: \d{6}$/);
    expect(latestMailTo(unknown).subject).toMatch(/^Votre code de connexion à Propulsons\u00a0: \d{6}$/);
    expect(count("select count(*) n from users where email = ?", unknown)).toBe(0);
  });
});

type Who = "anonyme" | "A" | "B";
const WHO: Who[] = ["anonyme", "A", "B"];

interface MatrixRow {
  method: "GET" | "POST";
  path: string;
  form?: Record<string, string>;
  /** expected "status" or "status → location", per identity */
  expected: Record<Who, string>;
}

const all = (expected: string): Record<Who, string> => ({ anonyme: expected, A: expected, B: expected });
const toSignIn = (p: string) => `302 → /connexion?retour=${encodeURIComponent(p)}`;
const signedIn = (anonymous: string, citizens: string): Record<Who, string> => ({
  anonyme: anonymous,
  A: citizens,
  B: citizens,
});

function shown(answer: Answer): string {
  if (!answer.location) return String(answer.status);
  return `${answer.status} → ${answer.location.replace(/cs_test_[a-f0-9]+/, "cs_test_…")}`;
}

describe("the authorization matrix", () => {
  it("every route × {anonymous, citizen A, citizen B}", async () => {
    const receiptA = `/mon-compte/contributions/${A.id}`;
    const receiptB = `/mon-compte/contributions/${B.id}`;
    const contributionForm = {
      montant: "15",
      contrepartie: "",
      email: "matrice@example.org",
      nom: "Matrice M.",
    };
    const table: MatrixRow[] = [
      // public pages
      { method: "GET", path: "/", expected: all("200") },
      { method: "GET", path: "/campagnes", expected: all("200") },
      { method: "GET", path: "/campagnes?statut=en-cours", expected: all("200") },
      { method: "GET", path: `/campagnes/${liveSlug}`, expected: all("200") },
      { method: "GET", path: `/campagnes/${liveSlug}/contributeurs`, expected: all("200") },
      { method: "GET", path: "/campagnes/nexiste-pas", expected: all("404") },
      { method: "GET", path: "/accessibilite", expected: all("200") },
      { method: "GET", path: "/une/page/inconnue", expected: all("404") },
      { method: "GET", path: "/healthz", expected: all("200") },
      // signing in and out
      { method: "GET", path: "/connexion", expected: signedIn("200", "302 → /mon-compte") },
      {
        method: "GET",
        path: "/connexion?retour=%2Fmon-compte%2Fcontributions",
        expected: signedIn("200", "302 → /mon-compte/contributions"),
      },
      {
        method: "GET",
        path: "/connexion?retour=%2F%2Fevil.example",
        expected: signedIn("200", "302 → /mon-compte"),
      },
      {
        method: "GET",
        path: "/connexion/verifier?jeton=pas-un-vrai-jeton-mais-presque",
        expected: all("200"),
      },
      { method: "GET", path: "/deconnexion", expected: all("302 → /") },
      // a signed-in visitor is sent on to their account by the page's loader, after the action
      {
        method: "POST",
        path: "/connexion",
        form: { email: "pas-une-adresse" },
        expected: signedIn("400", "302 → /mon-compte"),
      },
      {
        method: "POST",
        path: "/connexion/verifier",
        form: { jeton: "pas-un-vrai-jeton-mais-presque" },
        expected: all("400"),
      },
      // the account
      { method: "GET", path: "/mon-compte", expected: signedIn(toSignIn("/mon-compte"), "200") },
      {
        method: "GET",
        path: "/mon-compte/contributions",
        expected: signedIn(toSignIn("/mon-compte/contributions"), "200"),
      },
      { method: "GET", path: receiptA, expected: { anonyme: toSignIn(receiptA), A: "200", B: "404" } },
      { method: "GET", path: receiptB, expected: { anonyme: toSignIn(receiptB), A: "404", B: "200" } },
      {
        method: "GET",
        path: "/mon-compte/contributions/999999999",
        expected: signedIn(toSignIn("/mon-compte/contributions/999999999"), "404"),
      },
      {
        method: "GET",
        path: "/mon-compte/contributions/abc",
        expected: signedIn(toSignIn("/mon-compte/contributions/abc"), "404"),
      },
      // « Mon compte » takes forms (name, sessions): an unknown intent is a 400, never a write
      {
        method: "POST",
        path: "/mon-compte",
        form: { a: "1" },
        expected: signedIn(toSignIn("/mon-compte"), "400"),
      },
      {
        method: "GET",
        path: "/mon-compte/donnees.json",
        expected: signedIn(toSignIn("/mon-compte/donnees.json"), "200"),
      },
      {
        method: "GET",
        path: "/mon-compte/adresse",
        expected: signedIn(toSignIn("/mon-compte/adresse"), "200"),
      },
      {
        method: "GET",
        path: "/mon-compte/suppression",
        expected: signedIn(toSignIn("/mon-compte/suppression"), "200"),
      },
      {
        method: "GET",
        path: "/mon-compte/recus/999999999/recu-fiscal.pdf",
        expected: signedIn(toSignIn("/mon-compte/recus/999999999/recu-fiscal.pdf"), "404"),
      },
      { method: "GET", path: "/porteur/recus", expected: signedIn(toSignIn("/porteur/recus"), "200") },
      {
        method: "GET",
        path: "/porteur/structure/recus-fiscaux",
        // a citizen without a structure is sent to declare one first
        expected: signedIn(toSignIn("/porteur/structure/recus-fiscaux"), "302 → /porteur/structure"),
      },
      // the back office's tax-receipt pages are for staff only
      {
        method: "GET",
        path: "/gestion/recus-fiscaux",
        expected: signedIn(toSignIn("/gestion/recus-fiscaux"), "403"),
      },
      {
        method: "GET",
        path: "/gestion/recus/1/recu-fiscal.pdf",
        expected: signedIn(toSignIn("/gestion/recus/1/recu-fiscal.pdf"), "403"),
      },
      // abondement: the back office's funds are for staff only, a campaign's terms for its holder only
      ...["/gestion/abondements", "/gestion/abondements/nouveau", "/gestion/abondements/1"].map((p) => ({
        method: "GET" as const,
        path: p,
        expected: signedIn(toSignIn(p), "403"),
      })),
      {
        method: "POST",
        path: "/gestion/abondements/nouveau",
        form: { nom: "Fonds" },
        expected: signedIn(toSignIn("/gestion/abondements/nouveau"), "403"),
      },
      {
        method: "POST",
        path: "/gestion/abondements/1",
        form: { intent: "close" },
        expected: signedIn(toSignIn("/gestion/abondements/1"), "403"),
      },
      {
        method: "GET",
        path: "/porteur/campagnes/1/abondement",
        expected: signedIn(toSignIn("/porteur/campagnes/1/abondement"), "404"),
      },
      {
        method: "POST",
        path: "/porteur/campagnes/1/abondement",
        form: { intent: "accept", fonds: "1" },
        expected: signedIn(toSignIn("/porteur/campagnes/1/abondement"), "404"),
      },
      // the holder space (structures)
      { method: "GET", path: "/porteur", expected: signedIn(toSignIn("/porteur"), "200") },
      {
        method: "GET",
        path: "/porteur/structure",
        expected: signedIn(toSignIn("/porteur/structure"), "200"),
      },
      {
        method: "POST",
        path: "/porteur/structure",
        form: { nom: "" },
        expected: signedIn(toSignIn("/porteur/structure"), "400"),
      },
      // contributing (open to everyone, signed in or not)
      {
        method: "POST",
        path: `/campagnes/${liveSlug}`,
        form: contributionForm,
        expected: all("303 → /demo/checkout/cs_test_…"),
      },
      { method: "POST", path: `/campagnes/${liveSlug}`, form: {}, expected: all("400") },
      { method: "GET", path: "/contribution/merci", expected: all("400") },
      { method: "GET", path: "/contribution/merci?session_id=cs_test_inconnu", expected: all("404") },
      { method: "GET", path: "/demo/checkout/cs_test_0000", expected: all("404") },
      { method: "GET", path: "/webhooks/stripe", expected: all("405") },
      { method: "POST", path: "/webhooks/stripe", form: { a: "1" }, expected: all("400") },
      // demo mode only (404 otherwise, see below): the mocked e-mails, sign-in codes included, open to anyone
      { method: "GET", path: "/dev/outbox", expected: all("200") },
      { method: "GET", path: "/dev/outbox/inconnu", expected: all("404") },
      // signing out: run with throwaway sessions, last (see below)
      { method: "POST", path: "/deconnexion", form: {}, expected: all("302 → /") },
    ];

    // The sign-out row gets its own sessions, so that A's and B's stay valid for the tests below.
    const throwaway = { A: (await signIn(A.email)).cookie, B: (await signIn(B.email)).cookie };
    const cookieOf = (who: Who, row: MatrixRow) =>
      who === "anonyme" ? undefined : row.path === "/deconnexion" ? throwaway[who] : cookies[who];

    const actual: Record<string, Record<Who, string>> = {};
    const expected: Record<string, Record<Who, string>> = {};
    const bodies = new Map<string, string>();
    for (const row of table) {
      const label = `${row.method} ${row.path}`;
      expected[label] = row.expected;
      const line = {} as Record<Who, string>;
      for (const who of WHO) {
        const answer = await call(row.method, row.path, {
          cookie: cookieOf(who, row),
          form: row.form,
          origin: row.method === "POST" ? origin : undefined,
        });
        line[who] = shown(answer);
        bodies.set(`${who} ${label}`, answer.body);
      }
      actual[label] = line;
    }
    expect(actual).toEqual(expected);

    // A's receipt shows A's contribution …
    const mine = bodies.get(`A GET ${receiptA}`)!;
    expect(mine).toContain(contributionReference(A.id));
    expect(mine).toContain(formatEuros(A.amount_cents));
    expect(mine).toContain(escapeHtml(A.public_name));
    // … and B, asking for it, gets a 404 that shows nothing of it: neither the name, nor the amount, nor the reference.
    const theirs = bodies.get(`B GET ${receiptA}`)!;
    expect(theirs).toContain("Contribution introuvable");
    expectNotShown(theirs, A.public_name, "A's public name");
    expectNotShown(theirs, formatEuros(A.amount_cents), "A's amount");
    expectNotShown(theirs, contributionReference(A.id), "A's reference");
    expectNotShown(theirs, A.email, "A's address");
    // The same answer as for a contribution that does not exist.
    const none = bodies.get("B GET /mon-compte/contributions/999999999")!;
    const normalize = (html: string) =>
      html
        .replace(/\/build\/[^"]+/g, "")
        .replace(/"routes\/[^"]+"/g, "")
        .replace(/ nonce="[^"]*"/g, "");
    expect(normalize(theirs)).toBe(normalize(none));
    // Each list shows one's own receipts only.
    expect(bodies.get("A GET /mon-compte/contributions")).toContain(`href="${receiptA}"`);
    expect(bodies.get("A GET /mon-compte/contributions")).not.toContain(`href="${receiptB}"`);
    expect(bodies.get("B GET /mon-compte/contributions")).toContain(`href="${receiptB}"`);
    expect(bodies.get("B GET /mon-compte/contributions")).not.toContain(`href="${receiptA}"`);
    // The account page names its owner only.
    expect(bodies.get("A GET /mon-compte")).toContain(A.email);
    expect(bodies.get("A GET /mon-compte")).not.toContain(B.email);
    expect(bodies.get("B GET /mon-compte")).toContain(B.email);

    // Signing out ended the throwaway sessions only (scope "this").
    expect(await stillSignedIn(throwaway.A)).toBe(false);
    expect(await stillSignedIn(throwaway.B)).toBe(false);
    expect(await stillSignedIn(cookies.A!)).toBe(true);
    expect(await stillSignedIn(cookies.B!)).toBe(true);
  });

  it("/dev/outbox exists in demo mode only: it shows every e-mail, sign-in codes included, to anyone", async () => {
    // This is why a deployment with real keys never has it: with it, anyone can sign in as anyone.
    const list = await call("GET", "/dev/outbox");
    expect(list.status).toBe(200);
    expect(list.body).toContain(latestMailTo(A.email).subject);
    const one = await call("GET", `/dev/outbox/${latestMailTo(A.email).id}`);
    expect(one.status).toBe(200);
    expect(one.body).toContain("/connexion/verifier?jeton=");

    const other = tempDatabasePath("authz-real-keys");
    const real = await startServer({
      DATABASE_PATH: other.file,
      DEMO_OUTBOX_PATH: path.join(path.dirname(other.file), "outbox.jsonl"),
      SETTLE_INTERVAL_SECONDS: "0",
      STRIPE_SECRET_KEY: "sk_test_not_a_real_key",
      STRIPE_WEBHOOK_SECRET: "whsec_not_a_real_secret",
    });
    try {
      for (const p of [
        "/dev/outbox",
        `/dev/outbox/${latestMailTo(A.email).id}`,
        "/demo/checkout/cs_test_0000",
      ]) {
        const res = await fetch(real.url + p, { redirect: "manual" });
        await res.arrayBuffer();
        expect(res.status, p).toBe(404);
      }
      const home = await fetch(real.url + "/");
      expect(await home.text()).not.toContain("Mode démonstration");
    } finally {
      await real.stop();
      other.cleanup();
    }
  });
});

describe("cross-site requests and malformed bodies", () => {
  const evil = "https://evil.example";

  it("a POST with a foreign Origin is refused (403) and writes nothing", async () => {
    const requestsBefore = count("select count(*) n from sign_in_requests");
    const sessionsBefore = count("select count(*) n from sessions where revoked_at is null");
    const contributionsBefore = count("select count(*) n from contributions");
    const mailsBefore = readOutbox(outbox).length;

    const attempts: Array<[string, CallOptions]> = [
      ["/connexion", { form: { email: "victime@example.org" } }],
      ["/connexion", { form: { intent: "code", email: A.email, code: "123456" } }],
      ["/deconnexion", { form: {}, cookie: cookies.A }],
      ["/deconnexion", { form: { partout: "oui" }, cookie: cookies.A }],
      [
        `/campagnes/${liveSlug}`,
        {
          form: { montant: "20", contrepartie: "", email: "victime@example.org", nom: "Victime V." },
          cookie: cookies.A,
        },
      ],
      ["/connexion/verifier", { form: { jeton: "pas-un-vrai-jeton-mais-presque" } }],
    ];
    for (const [url, options] of attempts) {
      for (const from of [evil, "null", `http://localhost:${server.port}`]) {
        const res = await call("POST", url, { ...options, origin: from });
        expect({ url, from, status: res.status }).toEqual({ url, from, status: 403 });
        expect(res.body).toBe("Requête refusée\u00a0: elle ne provient pas de Propulsons.");
        expect(res.setCookies).toEqual([]);
      }
    }

    expect(count("select count(*) n from sign_in_requests")).toBe(requestsBefore);
    expect(count("select count(*) n from sign_in_requests where email = 'victime@example.org'")).toBe(0);
    expect(count("select count(*) n from sessions where revoked_at is null")).toBe(sessionsBefore);
    expect(count("select count(*) n from contributions")).toBe(contributionsBefore);
    expect(readOutbox(outbox).length).toBe(mailsBefore);
    expect(await stillSignedIn(cookies.A!)).toBe(true);
  });

  it("a POST whose body is not a form (JSON, text, broken multipart) is a 400, not a 500, and writes nothing", async () => {
    const requestsBefore = count("select count(*) n from sign_in_requests");
    const contributionsBefore = count("select count(*) n from contributions");
    const bodies = [
      {
        body: JSON.stringify({
          email: "json@example.org",
          montant: "10",
          nom: "Json J.",
          jeton: "x",
          partout: "oui",
        }),
        type: "application/json",
      },
      { body: "email=texte@example.org", type: "text/plain" },
      { body: "--zz\r\nnot really multipart", type: "multipart/form-data; boundary=zz" },
    ];
    for (const url of ["/connexion", "/connexion/verifier", "/deconnexion", `/campagnes/${liveSlug}`]) {
      for (const raw of bodies) {
        const res = await call("POST", url, { raw, cookie: cookies.A, origin });
        expect({ url, type: raw.type, status: res.status }).toEqual({ url, type: raw.type, status: 400 });
        expect(res.body).toContain("un formulaire était attendu");
      }
    }
    expect(count("select count(*) n from sign_in_requests")).toBe(requestsBefore);
    expect(count("select count(*) n from contributions")).toBe(contributionsBefore);
    expect(await stillSignedIn(cookies.A!)).toBe(true);
  });
});

describe("the page cache and signed-in visitors", () => {
  it("never serves a signed-in visitor a page stored as it is; the header says who is signed in", async () => {
    // A campaign page is the stored anonymous page made theirs (ADR 034: `personal`), the others
    // a render of their own.
    for (const page of ["/", "/campagnes", `/campagnes/${liveSlug}`]) {
      await call("GET", page); // warm up
      const anonymous = await call("GET", page);
      expect(anonymous.headers.get("x-page-cache"), page).toBe("hit");
      expect(anonymous.body).toContain(">Se connecter<");
      expect(anonymous.body).not.toContain("Se déconnecter");

      for (const cookie of [cookies.A!, `theme=sombre; ${cookies.A!}`]) {
        const mine = await call("GET", page, { cookie });
        if (page.startsWith("/campagnes/")) {
          expect(mine.headers.get("x-page-cache"), `${page} with a session`).toBe("personal");
          expect(mine.body).toContain(`value="${A.email}"`);
        } else expect([null, "miss"], `${page} with a session`).toContain(mine.headers.get("x-page-cache"));
        expect(mine.headers.get("cache-control")).toBe("private, no-store");
        expect(mine.status).toBe(200);
        expect(mine.body).toContain(">Mon compte<");
        expect(mine.body).toContain("Se déconnecter");
        expect(mine.body).not.toContain(">Se connecter<");
      }

      // and what A saw was not stored for the next anonymous visitor
      const after = await call("GET", page);
      expect(after.headers.get("x-page-cache")).toBe("hit");
      expect(after.body).toContain(">Se connecter<");
      expect(after.body).not.toContain("Se déconnecter");
      expect(after.body).not.toContain(A.email);
    }
    for (const page of ["/mon-compte", "/mon-compte/contributions", `/mon-compte/contributions/${A.id}`]) {
      for (let i = 0; i < 2; i++) {
        const res = await call("GET", page, { cookie: cookies.A });
        expect(res.status).toBe(200);
        expect(res.headers.get("x-page-cache")).not.toBe("hit");
        expect(res.headers.get("cache-control")).toBe("private, no-store");
      }
    }
  });

  it("a page rendered for a signed-in visitor (it carries their address) is marked private for any cache in front", async () => {
    // Hardening: the public pages rendered for A embed A's address (root loader data) but carry no
    // Cache-Control at all, so a shared cache (CDN, reverse proxy) is not told to keep them private.
    const problems: string[] = [];
    for (const page of ["/", "/campagnes", `/campagnes/${liveSlug}`, "/campagnes.data"]) {
      const res = await call("GET", page, { cookie: cookies.A });
      expect(res.body).toContain(A.email);
      const cacheControl = res.headers.get("cache-control");
      if (!/private|no-store/.test(cacheControl ?? ""))
        problems.push(`${page}: Cache-Control ${JSON.stringify(cacheControl)}`);
    }
    expect(problems, "personal responses without Cache-Control: private").toEqual([]);
  });
});

describe("the sign-in link page", () => {
  it("GET does not consume the token (twice), the POST signs in once, a second POST is refused in French (400)", async () => {
    const asked = await askForCode(A.email, { origin });
    expect(asked.status).toBe(200);
    const link = linkFor(A.email);
    expect(link.startsWith(`${origin}/connexion/verifier?jeton=`)).toBe(true);
    const jeton = new URL(link).searchParams.get("jeton")!;
    const unused = () =>
      count(
        "select count(*) n from sign_in_requests where email = ? and used_at is null",
        A.email.toLowerCase(),
      );
    const before = unused();
    expect(before).toBeGreaterThanOrEqual(1);

    // a foreign site cannot make the browser use it
    const forged = await call("POST", "/connexion/verifier", {
      form: { jeton },
      origin: "https://evil.example",
    });
    expect(forged.status).toBe(403);

    for (let i = 0; i < 2; i++) {
      // as a mail client that prefetches links, then the person, would
      const page = await call("GET", new URL(link).pathname + new URL(link).search);
      expect(page.status).toBe(200);
      expect(page.headers.get("cache-control")).toBe("private, no-store");
      expect(page.headers.get("x-page-cache")).toBeNull();
      expect(page.setCookies).toEqual([]);
    }
    expect(unused()).toBe(before);

    const first = await call("POST", "/connexion/verifier", { form: { jeton }, origin });
    expect(first.status).toBe(302);
    expect(first.location).toBe("/mon-compte");
    const cookie = `__session=${sessionTokenOf(first)}`;
    expect(first.setCookies[0]).toMatch(/; HttpOnly; SameSite=Lax;/);
    expect(await stillSignedIn(cookie)).toBe(true);
    expect(unused()).toBe(before - 1);

    const second = await call("POST", "/connexion/verifier", { form: { jeton }, origin });
    expect(second.status).toBe(400);
    expect(second.body).toContain("Ce lien de connexion a expiré ou a déjà servi. Demandez-en un nouveau.");
    expect(second.setCookies).toEqual([]);

    cookies.A2 = cookie;
  });

  it("the link page shows the « Me connecter » button carrying the token, and the French error after a refused POST", async () => {
    // Regression guard: as routes/connexion.verifier.tsx the page was nested in routes/connexion.tsx
    // (flat routes), which renders no <Outlet />, so /connexion/verifier showed the e-mail form of
    // /connexion instead and the link in the e-mail could not be used (now connexion_.verifier.tsx).
    const jeton = "pas-un-vrai-jeton-mais-presque";
    const page = await call("GET", `/connexion/verifier?jeton=${jeton}`);
    expect(page.status).toBe(200);
    const shown = {
      tokenField: page.body.includes(`name="jeton" value="${jeton}"`),
      button: />Me connecter</.test(page.body),
      emailFormInstead: page.body.includes("Recevoir mon lien de connexion"),
    };
    expect(shown, "what GET /connexion/verifier?jeton=… renders").toEqual({
      tokenField: true,
      button: true,
      emailFormInstead: false,
    });
    const refused = await call("POST", "/connexion/verifier", { form: { jeton }, origin });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatch(
      /role="alert">Ce lien de connexion a expiré ou a déjà servi\. Demandez-en un nouveau\./,
    );
  });

  it("the link page never sends its URL (and token) to another site: Referrer-Policy same-origin (no-referrer would make browsers send « Origin: null », refused as cross-site)", async () => {
    const page = await call("GET", "/connexion/verifier?jeton=pas-un-vrai-jeton-mais-presque");
    expect(page.status).toBe(200);
    expect(page.headers.get("referrer-policy")).toBe("same-origin");
  });
});

describe("signing out", () => {
  it("« Me déconnecter de tous mes appareils » (partout=oui) revokes every session of that user, and only theirs", async () => {
    const first = cookies.A!;
    const second = cookies.A2!;
    expect(await stillSignedIn(first)).toBe(true);
    expect(await stillSignedIn(second)).toBe(true);
    const account = await call("GET", "/mon-compte", { cookie: second });
    expect(account.body).toContain("Me déconnecter de tous mes appareils");
    expect(account.body).toMatch(
      /<form method="post" action="\/deconnexion"[^>]*><input type="hidden" name="partout" value="oui"\/>/,
    );

    const out = await call("POST", "/deconnexion", { form: { partout: "oui" }, cookie: second, origin });
    expect(out.status).toBe(302);
    expect(out.location).toBe("/");
    expect(out.setCookies.some((c) => /^__session=;.*Max-Age=0/.test(c))).toBe(true);

    expect(await stillSignedIn(second)).toBe(false);
    expect(await stillSignedIn(first)).toBe(false);
    expect(
      count(
        "select count(*) n from sessions s join users u on u.id = s.user_id where u.email = ? and s.revoked_at is null",
        A.email,
      ),
    ).toBe(0);
    // B was not touched
    expect(await stillSignedIn(cookies.B!)).toBe(true);
  });

  it("after POST /deconnexion the same cookie no longer works (revoked on the server, not only cleared)", async () => {
    const cookie = cookies.B!;
    const header = await call("GET", "/", { cookie });
    expect(header.body).toContain("Se déconnecter");
    const out = await call("POST", "/deconnexion", { form: {}, cookie, origin });
    expect(out.status).toBe(302);
    expect(out.location).toBe("/");
    expect(out.setCookies.some((c) => /^__session=;.*Max-Age=0/.test(c))).toBe(true);

    // A browser that kept the cookie (or someone who copied it) gets nothing.
    expect(await stillSignedIn(cookie)).toBe(false);
    const receipt = await call("GET", `/mon-compte/contributions/${B.id}`, { cookie });
    expect(receipt.status).toBe(302);
    const home = await call("GET", "/", { cookie });
    expect(home.body).toContain(">Se connecter<");
    expect(home.body).not.toContain("Se déconnecter");
    expect(
      count(
        "select count(*) n from sessions s join users u on u.id = s.user_id where u.email = ? and s.revoked_at is null",
        B.email,
      ),
    ).toBe(0);
  });

  it("signing out without a session simply goes home", async () => {
    const out = await call("POST", "/deconnexion", { form: {}, origin });
    expect(out.status).toBe(302);
    expect(out.location).toBe("/");
  });
});

describe("where one goes after signing in", () => {
  it("never to another site, even with a tab hidden in « retour » (« /\\t/evil.example » is « //evil.example » to a browser)", async () => {
    const email = "retour.authz@example.net";
    const trick = "/\t/evil.example";
    const { cookie, answer } = await signIn(email, { retour: trick });
    const afterCode = new URL(answer.location!, origin);
    const signedInAlready = await call("GET", `/connexion?retour=${encodeURIComponent(trick)}`, { cookie });
    expect(signedInAlready.status).toBe(302);
    const afterVisit = new URL(signedInAlready.location!, origin);
    expect(
      { afterCode: afterCode.origin, afterVisit: afterVisit.origin },
      `Location ${JSON.stringify(answer.location)} and ${JSON.stringify(signedInAlready.location)}`,
    ).toEqual({ afterCode: origin, afterVisit: origin });
  });
});

describe("the holder's structure", () => {
  it("a citizen declares a structure (French errors first, nothing lost), becomes a holder, and only they see it", async () => {
    const a = await signIn(A.email);
    const bad = await call("POST", "/porteur/structure", {
      cookie: a.cookie,
      origin,
      form: {
        nom: "Atelier Vélo Solidaire",
        forme: "scic",
        numero: "123",
        commune: "Arras",
        territoire: "arrageois",
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("Numéro SIRET invalide");
    expect(bad.body).toContain('value="Atelier Vélo Solidaire"');
    expect(
      withDb((db) =>
        db.prepare("select count(*) n from organizations where name = ?").get("Atelier Vélo Solidaire"),
      ),
    ).toEqual({ n: 0 });

    const ok = await call("POST", "/porteur/structure", {
      cookie: a.cookie,
      origin,
      form: {
        nom: "Atelier Vélo Solidaire",
        forme: "scic",
        numero: "732 829 320 00074",
        commune: "Arras",
        territoire: "arrageois",
      },
    });
    expect(ok.status).toBe(302);
    expect(ok.location).toBe("/porteur");
    const row = withDb((db) =>
      db
        .prepare(
          "select o.registration_number, u.role from organizations o join users u on u.id = o.owner_user_id where o.name = ?",
        )
        .get("Atelier Vélo Solidaire"),
    );
    expect(row).toEqual({ registration_number: "73282932000074", role: "holder" });
    const mine = await call("GET", "/porteur", { cookie: a.cookie });
    expect(mine.body).toContain("Atelier Vélo Solidaire");

    const b = await signIn(B.email);
    const theirs = await call("GET", "/porteur", { cookie: b.cookie });
    expect(theirs.status).toBe(200);
    expect(theirs.body).not.toContain("Atelier Vélo Solidaire");
    expect(theirs.body).toContain("Déclarer ma structure");
  });
});
