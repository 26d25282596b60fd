/**
 * Sign-in hardening (issue 12) over HTTP against the built server (`npm run build` first), on the
 * seeded demo database: the return path after sign-in never leaves the platform, code guesses are
 * limited per address and per IP (French 429 with the time to wait), and a staff member whose
 * sign-in is older than 15 minutes confirms with a new code before cancelling a campaign.
 *
 * The server trusts one proxy hop (TRUST_PROXY=1), so each test speaks from its own client
 * address (X-Forwarded-For): a rate limit reached by one test never leaks into another.
 */
import crypto from "node:crypto";
import path from "node:path";
import type SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STAFF_EMAIL } from "#db/seed/seed";
import { readOutbox } from "~/demo/resend-api.server";
import { tempDatabasePath, withDatabaseFile } from "../support/db";
import { freePort, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let tmp: ReturnType<typeof tempDatabasePath>;
let outbox = "";
let origin = "";

beforeAll(async () => {
  tmp = tempDatabasePath("auth-hardening");
  outbox = path.join(path.dirname(tmp.file), "outbox.jsonl");
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = await startServer(
    {
      DATABASE_PATH: tmp.file,
      DEMO_OUTBOX_PATH: outbox,
      PUBLIC_URL: origin,
      SETTLE_INTERVAL_SECONDS: "0",
      PAGE_CACHE: "off",
      TRUST_PROXY: "1",
    },
    { port },
  );
});

afterAll(async () => {
  await server?.stop();
  tmp?.cleanup();
});

interface Answer {
  status: number;
  location: string | null;
  setCookies: string[];
  body: string;
}

let ipCounter = 0;
/** A client address of its own (documentation range 198.51.100.0/24, then 203.0.113.0/24). */
function freshIp(): string {
  ipCounter += 1;
  return ipCounter < 250 ? `198.51.100.${ipCounter}` : `203.0.113.${ipCounter - 249}`;
}

async function call(
  method: "GET" | "POST",
  pathname: string,
  options: { ip: string; cookie?: string; form?: Record<string, string> },
): Promise<Answer> {
  const headers: Record<string, string> = { origin, "x-forwarded-for": options.ip };
  if (options.cookie) headers.cookie = options.cookie;
  const res = await fetch(origin + pathname, {
    method,
    headers,
    body: options.form ? new URLSearchParams(options.form) : undefined,
    redirect: "manual",
  });
  return {
    status: res.status,
    location: res.headers.get("location"),
    setCookies: res.headers.getSetCookie(),
    body: await res.text(),
  };
}

const decode = (html: string) =>
  html
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");

function latestMail(email: string) {
  const mail = readOutbox(outbox)
    .filter((m) => m.to.includes(email))
    .at(-1);
  if (!mail) throw new Error(`no e-mail to ${email}`);
  return mail;
}
function codeFor(email: string): string {
  const code = /(\d{6})$/.exec(latestMail(email).subject)?.[1];
  if (!code) throw new Error(`no sign-in code for ${email}`);
  return code;
}
function tokenFor(email: string): string {
  const href = /href="([^"]*\/connexion\/verifier\?jeton=[^"]+)"/.exec(latestMail(email).html ?? "")?.[1];
  const token = href ? new URL(href.replace(/&amp;/g, "&")).searchParams.get("jeton") : null;
  if (!token) throw new Error(`no sign-in link for ${email}`);
  return token;
}
const sessionOf = (answer: Answer) => {
  const token = answer.setCookies.map((c) => /^__session=([^;]+)/.exec(c)?.[1]).find(Boolean);
  if (!token) throw new Error(`no session cookie (${answer.status})`);
  return `__session=${token}`;
};
/** A wrong code for this address (the right one plus one, modulo a million). */
const wrongCode = (email: string) => String((Number(codeFor(email)) + 1) % 1_000_000).padStart(6, "0");

async function askCode(
  email: string,
  ip: string,
  retour = "/mon-compte",
  cookie?: string,
  to = "/connexion",
) {
  const asked = await call("POST", to, { ip, cookie, form: { email, retour } });
  expect(asked.status, decode(asked.body).slice(0, 400)).toBe(200);
  return asked;
}
async function typeCode(
  email: string,
  code: string,
  ip: string,
  retour = "/mon-compte",
  cookie?: string,
  to = "/connexion",
) {
  return call("POST", to, { ip, cookie, form: { intent: "code", email, code, retour } });
}
async function signIn(email: string, ip = freshIp(), retour = "/mon-compte") {
  await askCode(email, ip, retour);
  const answer = await typeCode(email, codeFor(email), ip, retour);
  expect(answer.status, decode(answer.body).slice(0, 400)).toBe(302);
  return { cookie: sessionOf(answer), answer };
}

/** Where a browser goes with this Location: it must be a path of the platform, nothing else. */
function leaves(location: string | null): string | null {
  if (location === null) return "no Location";
  if (location.startsWith("//")) return "network-path reference";
  if (location.startsWith("/\\") || location.startsWith("\\")) return "backslash (a browser reads « / »)";
  if (/^[a-z][a-z0-9+.-]*:/i.test(location)) return "absolute URL with a scheme";
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for.
  if (/[\u0000-\u0020\u007f]/.test(location)) return "control character or space";
  if (!location.startsWith("/")) return "not a path";
  if (new URL(location, origin).origin !== origin) return "another origin";
  return null;
}

const sha256 = (v: string) => crypto.createHash("sha256").update(v).digest("hex");
const withDb = <T>(fn: (db: SQLite.Database) => T): T => withDatabaseFile(tmp.file, fn);

const HOSTILE_RETURNS = [
  "/.//evil.example",
  "/..//evil.example",
  "/%2e//evil.example",
  "/%2E%2E//evil.example",
  "/a/..//evil.example",
  "/a/b/../..//evil.example/x?y=1",
  "/./\\evil.example",
  "/\\evil.example",
  "/%5Cevil.example",
  "/%5C%5Cevil.example",
  "/.\t//evil.example",
  "/.\n//evil.example",
  "/\t/evil.example",
  "//evil.example",
  "///evil.example",
  "https:evil.example",
  "https://evil.example",
  "javascript:alert(1)",
  "%2F%2Fevil.example",
  "%252F.%252F%252Fevil.example",
  "/%252F.%252F%252Fevil.example",
];

describe("where one goes after signing in", () => {
  it("a signed-in visitor sent to /connexion?retour=… stays on the platform, whatever the encoding", async () => {
    const ip = freshIp();
    const { cookie } = await signIn("retour.visite@example.net", ip);
    const escaped: string[] = [];
    for (const retour of HOSTILE_RETURNS) {
      // Once encoded as a browser would, and once as the raw query string of the issue.
      for (const query of [encodeURIComponent(retour), retour.replace(/[\t\n]/g, encodeURIComponent)]) {
        const res = await call("GET", `/connexion?retour=${query}`, { ip, cookie });
        expect(res.status, `${JSON.stringify(query)}: ${res.body.slice(0, 200)}`).toBe(302);
        const why = leaves(res.location);
        if (why) escaped.push(`${JSON.stringify(query)} → ${JSON.stringify(res.location)} (${why})`);
      }
    }
    expect(escaped, "Location headers that leave the platform").toEqual([]);
    // The issue's example, exactly.
    const issue = await call("GET", "/connexion?retour=%2F.%2F%2Fevil.example", { ip, cookie });
    expect(issue.status).toBe(302);
    expect(issue.location).toBe("/mon-compte");
  });

  it("the redirect after typing the code stays on the platform too, and a local path is kept normalised", async () => {
    const escaped: string[] = [];
    const tried = ["/.//evil.example", "/%2e//evil.example", "/a/..//evil.example", "/./\\evil.example"];
    for (const [i, retour] of tried.entries()) {
      const { answer } = await signIn(`retour.code.${i}@example.net`, freshIp(), retour);
      const why = leaves(answer.location);
      if (why) escaped.push(`${JSON.stringify(retour)} → ${JSON.stringify(answer.location)} (${why})`);
    }
    expect(escaped, "Location headers that leave the platform").toEqual([]);
    const { answer } = await signIn("retour.local@example.net", freshIp(), "/campagnes/./x/../?tri=fin");
    expect(answer.location).toBe("/campagnes/?tri=fin");
  });
});

describe("code guesses are limited per IP and per address", () => {
  it("one IP spreading wrong codes over several addresses gets a French 429 with the time to wait; another IP does not", async () => {
    const attacker = freshIp();
    const victims = Array.from({ length: 5 }, (_, i) => `victime.ip.${i}@example.net`);
    // The codes exist (asked from elsewhere); four wrong guesses each: under the per-code limit of five.
    for (const email of victims) await askCode(email, freshIp());
    for (const email of victims) {
      for (let k = 0; k < 4; k++) {
        const res = await typeCode(email, wrongCode(email), attacker);
        expect(res.status, `guess ${k + 1} for ${email}`).toBe(400);
      }
    }
    // The 21st guess from this IP is refused before it is checked — even the right code.
    const last = victims[4]!;
    const refused = await typeCode(last, codeFor(last), attacker);
    expect(refused.status).toBe(429);
    expect(refused.setCookies.some((c) => c.startsWith("__session="))).toBe(false);
    const text = decode(refused.body);
    expect(text).toContain("Trop de codes erronés depuis votre connexion internet");
    expect(text).toMatch(/Réessayez dans 15\u00a0minutes\./);
    expect(refused.body).toContain('lang="fr"');
    // The owner of the address, from their own connection, still signs in with the same code.
    const owner = await typeCode(last, codeFor(last), freshIp());
    expect(owner.status).toBe(302);
    expect(owner.location).toBe("/mon-compte");
  });

  it("wrong codes for one address from many IPs are capped across codes; the e-mailed link still works", async () => {
    const email = "victime.adresse@example.net";
    let wrong = 0;
    // Two codes, five IPs: ten wrong guesses, never five on one code (which would burn it).
    for (let round = 0; round < 2; round++) {
      await askCode(email, freshIp());
      for (let k = 0; k < 4; k++) {
        const res = await typeCode(email, wrongCode(email), freshIp());
        expect(res.status).toBe(400);
        wrong += 1;
      }
    }
    await askCode(email, freshIp());
    for (; wrong < 10; wrong++) expect((await typeCode(email, wrongCode(email), freshIp())).status).toBe(400);
    const refused = await typeCode(email, codeFor(email), freshIp());
    expect(refused.status).toBe(429);
    const text = decode(refused.body);
    expect(text).toContain("Trop de codes erronés pour cette adresse");
    expect(text).toMatch(/Réessayez dans 15\u00a0minutes/);
    expect(text).toContain("lien reçu par courriel");
    // The link (a 256-bit token, nothing to guess) is not limited.
    const link = await call("POST", "/connexion/verifier", {
      ip: freshIp(),
      form: { jeton: tokenFor(email) },
    });
    expect(link.status).toBe(302);
    expect(sessionOf(link)).toMatch(/^__session=/);
  });

  it("one IP asking codes for many addresses gets a French 429 with the time to wait", async () => {
    const ip = freshIp();
    for (let i = 0; i < 20; i++) await askCode(`demandes.ip.${i}@example.net`, ip);
    const refused = await call("POST", "/connexion", {
      ip,
      form: { email: "demandes.ip.21@example.net", retour: "/mon-compte" },
    });
    expect(refused.status).toBe(429);
    const text = decode(refused.body);
    expect(text).toContain("Trop de demandes de connexion en peu de temps");
    expect(text).toMatch(/Réessayez dans 15\u00a0minutes\./);
    expect(() => latestMail("demandes.ip.21@example.net")).toThrow(/no e-mail/);
    await askCode("demandes.ip.21@example.net", freshIp());
  });
});

describe("a fresh sign-in before cancelling a campaign", () => {
  const liveCampaign = () =>
    withDb(
      (db) =>
        db
          .prepare(
            "select id from campaigns where status = 'live' and id not in (select campaign_id from campaign_transitions where to_status = 'cancelled') order by id desc limit 1",
          )
          .get() as { id: number },
    ).id;
  const statusOf = (id: number) =>
    withDb(
      (db) => (db.prepare("select status from campaigns where id = ?").get(id) as { status: string }).status,
    );
  /** Move this session's sign-in back in time, as if it had been opened that many minutes ago. */
  const age = (cookie: string, minutes: number) =>
    withDb((db) =>
      db
        .prepare("update sessions set created_at = ? where id_hash = ?")
        .run(
          new Date(Date.now() - minutes * 60_000).toISOString(),
          sha256(cookie.replace(/^__session=/, "")),
        ),
    );

  it("a staff sign-in older than 15 minutes is sent to confirm with a new code, nothing is cancelled before; then it is", async () => {
    const ip = freshIp();
    const { cookie: stale } = await signIn(DEMO_STAFF_EMAIL, ip);
    age(stale, 16);
    const id = liveCampaign();
    const page = `/gestion/campagnes/${id}`;
    // Reading the back office is fine with an older sign-in.
    expect((await call("GET", page, { ip, cookie: stale })).status).toBe(200);

    const cancel = { intent: "cancel", motif_annulation: "Le porteur a renoncé au projet." };
    const asked = await call("POST", page, { ip, cookie: stale, form: cancel });
    expect(asked.status).toBe(302);
    expect(asked.location).toBe(`/connexion?retour=${encodeURIComponent(page)}&confirmer=1`);
    expect(statusOf(id)).toBe("live");
    expect(
      withDb(
        (db) =>
          (
            db.prepare("select count(*) n from campaign_transitions where campaign_id = ?").get(id) as {
              n: number;
            }
          ).n,
      ),
    ).toBeGreaterThan(0);
    const transitionsBefore = withDb(
      (db) =>
        (
          db.prepare("select count(*) n from campaign_transitions where campaign_id = ?").get(id) as {
            n: number;
          }
        ).n,
    );

    // The sign-in page explains, in French, instead of bouncing a signed-in visitor back.
    const confirm = await call("GET", asked.location!, { ip, cookie: stale });
    expect(confirm.status).toBe(200);
    const text = decode(confirm.body);
    expect(text).toContain("Confirmez votre identité");
    expect(text).toContain("il y a plus de 15\u00a0minutes");
    expect(text).toContain(`value="${page}"`);
    expect(text).toContain(`value="${DEMO_STAFF_EMAIL}"`);

    // A new code brings them back to the same page with a new session; the old one is closed.
    // The form posts to the page it is on (Remix keeps the query string), as a browser would.
    const formAction = /<form method="post" action="([^"]+)"[^>]*>(?:(?!<\/form>)[\s\S])*name="retour"/
      .exec(confirm.body)?.[1]
      ?.replace(/&amp;/g, "&");
    expect(formAction).toBe(asked.location);
    const codePage = await askCode(DEMO_STAFF_EMAIL, ip, page, stale, formAction);
    expect(decode(codePage.body)).toContain("Saisissez votre code");
    const back = await typeCode(DEMO_STAFF_EMAIL, codeFor(DEMO_STAFF_EMAIL), ip, page, stale, formAction);
    expect(back.status).toBe(302);
    expect(back.location).toBe(page);
    const fresh = sessionOf(back);
    expect(fresh).not.toBe(stale);
    expect((await call("GET", page, { ip, cookie: stale })).status).toBe(302);
    expect(statusOf(id)).toBe("live");
    expect(
      withDb(
        (db) =>
          (
            db.prepare("select count(*) n from campaign_transitions where campaign_id = ?").get(id) as {
              n: number;
            }
          ).n,
      ),
    ).toBe(transitionsBefore);

    const done = await call("POST", page, { ip, cookie: fresh, form: cancel });
    expect(done.status).toBe(200);
    expect(decode(done.body)).toContain("Campagne annulée");
    expect(statusOf(id)).toBe("cancelled");
  });

  it("a staff sign-in of 14 minutes cancels at once; other decisions never ask for a new code", async () => {
    const ip = freshIp();
    const { cookie } = await signIn(DEMO_STAFF_EMAIL, ip);
    age(cookie, 60);
    const id = liveCampaign();
    const featured = withDb(
      (db) =>
        (db.prepare("select featured from campaigns where id = ?").get(id) as { featured: number }).featured,
    );
    const feature = await call("POST", `/gestion/campagnes/${id}`, {
      ip,
      cookie,
      form: { intent: featured ? "unfeature" : "feature" },
    });
    expect(feature.status, decode(feature.body).slice(0, 300)).toBe(200);
    age(cookie, 14);
    const done = await call("POST", `/gestion/campagnes/${id}`, {
      ip,
      cookie,
      form: { intent: "cancel", motif_annulation: "Doublon d'une autre campagne." },
    });
    expect(done.status).toBe(200);
    expect(statusOf(id)).toBe("cancelled");
  });
});
