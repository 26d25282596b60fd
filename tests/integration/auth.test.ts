/**
 * Accounts and sessions (app/auth.server.ts) on a real temporary SQLite database
 * (migrated and seeded), with the real Resend sender and msw answering at the
 * HTTP boundary: the sign-in e-mails are read back from the mock's outbox file.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSession,
  getSessionUser,
  clientKey,
  MAX_CODE_FAILURES_PER_EMAIL,
  MAX_CODE_FAILURES_PER_IP,
  MAX_REQUESTS_PER_EMAIL,
  MAX_REQUESTS_PER_IP,
  requestSignIn,
  requireFreshSignIn,
  revokeSessions,
  safeReturnPath,
  SESSION_MS,
  SIGN_IN_VALID_MS,
  startSession,
  verifySignInCode,
  verifySignInLink,
  waitInFrench,
} from "~/auth.server";
import { readConfig } from "~/config.server";
import { closeDatabase, database, initDatabase } from "~/db.server";
import { resendHandlers, readOutbox, type OutboxMessage } from "~/demo/resend-api.server";
import { tempDatabasePath } from "../support/db";

// Before any app code reads its configuration (config() is read lazily, on first use).
const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-auth-"));
const OUTBOX = path.join(outboxDir, "outbox.jsonl");
process.env.DEMO_OUTBOX_PATH = OUTBOX;
process.env.PUBLIC_URL = "https://propulsons.example";
delete process.env.RESEND_API_KEY;
delete process.env.STRIPE_SECRET_KEY;

const mail = setupServer(...resendHandlers);
let cleanup: () => void;

beforeAll(async () => {
  mail.listen({ onUnhandledRequest: "error" });
  const tmp = tempDatabasePath("auth");
  cleanup = tmp.cleanup;
  await initDatabase({ path: tmp.file, seed: true, now: new Date() });
});

afterAll(async () => {
  mail.close();
  await closeDatabase();
  cleanup();
  fs.rmSync(outboxDir, { recursive: true, force: true });
});

const db = () => database().db;
const SESSION_DAYS_DEFAULT = 30;
const STAFF_SESSION_HOURS_DEFAULT = 12;
const sha256 = (v: string) => crypto.createHash("sha256").update(v).digest("hex");

/** A fresh address and a fresh IP for each test, so rate limits never leak between tests. */
let counter = 0;
function fresh(label: string): { email: string; ip: string } {
  counter += 1;
  return {
    email: `${label}.${counter}.${crypto.randomBytes(3).toString("hex")}@example.net`,
    ip: `10.1.${Math.floor(counter / 250)}.${counter % 250}`,
  };
}

function mailsTo(email: string): OutboxMessage[] {
  return readOutbox(OUTBOX).filter((m) => m.to.includes(email));
}

/** The code (from the subject) and the link token (from the HTML) of the latest sign-in e-mail to this address. */
function latestSignIn(email: string): { code: string; token: string; link: string; message: OutboxMessage } {
  const message = mailsTo(email).at(-1);
  if (!message) throw new Error(`no e-mail to ${email}`);
  const code = /(\d{6})$/.exec(message.subject)?.[1];
  const link = /href="([^"]*\?jeton=[^"]+)"/.exec(message.html ?? "")?.[1];
  const token = link ? new URL(link.replace(/&amp;/g, "&")).searchParams.get("jeton") : null;
  if (!code || !link || !token) throw new Error(`not a sign-in e-mail: ${message.subject}`);
  return { code, token, link, message };
}

/** Ask for a sign-in e-mail (must succeed) and return its secrets. */
async function ask(who: { email: string; ip: string }, now?: Date) {
  const result = await requestSignIn(db(), { ...who, now });
  expect(result).toEqual({ ok: true });
  return latestSignIn(who.email);
}

/** Each address types its codes from a client address of its own (rate limits are per client too). */
function ipOf(email: string): string {
  const h = crypto.createHash("sha256").update(email).digest();
  return `10.200.${h[0]}.${h[1]}`;
}

/** Type a code for this address, from its own client address. */
function verify(email: string, code: string, now?: Date) {
  return verifySignInCode(db(), { email, code, ip: ipOf(email), now });
}

/** A six-digit code that is not `code`. */
function otherCode(code: string, offset = 1): string {
  return String((Number(code) + offset) % 1_000_000).padStart(6, "0");
}

function requestWithCookie(token: string): Request {
  return new Request("https://propulsons.example/mon-compte", {
    headers: { cookie: `theme=clair; __session=${token}` },
  });
}

const CODE_WRONG =
  "Code incorrect ou expiré. Vérifiez le dernier courriel reçu, ou demandez un nouveau code.";
const CODE_BURNT = "Trop d’essais avec ce code\u00a0: demandez un nouveau code.";
const LINK_INVALID = "Ce lien de connexion a expiré ou a déjà servi. Demandez-en un nouveau.";
const tooMany = (wait: string) => `Trop de demandes de connexion en peu de temps. Réessayez dans ${wait}.`;

describe("asking for a sign-in e-mail", () => {
  it("sends one e-mail carrying a link and a 6-digit code, valid 15 minutes", async () => {
    const who = fresh("envoi");
    const before = readOutbox(OUTBOX).length;
    expect(await requestSignIn(db(), who)).toEqual({ ok: true });
    const sent = mailsTo(who.email);
    expect(sent).toHaveLength(1);
    expect(readOutbox(OUTBOX).length).toBe(before + 1);
    const { code, link, message } = latestSignIn(who.email);
    expect(message.subject).toBe(`Votre code de connexion à Propulsons\u00a0: ${code}`);
    expect(code).toMatch(/^\d{6}$/);
    expect(link).toMatch(/^https:\/\/propulsons\.example\/connexion\/verifier\?jeton=[A-Za-z0-9_-]{20,100}$/);
    expect(message.html).toContain(code);
    expect(message.text).toContain(code);
    expect(message.text).toContain("15 minutes");
    expect(message.idempotencyKey).toMatch(/^sign-in:/);
  });

  it("stores only hashes: neither the code nor the token is in sign_in_requests, nor in the e-mail outbox table", async () => {
    const who = fresh("hash");
    const { code, token } = await ask(who);
    const rows = await db()
      .selectFrom("sign_in_requests")
      .selectAll()
      .where("email", "=", who.email)
      .execute();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.token_hash).toBe(sha256(token));
    expect(row.code_hash).not.toBe(sha256(code)); // salted with the address
    for (const [column, value] of Object.entries(row)) {
      if (column === "token_hash" || column === "code_hash") continue;
      expect(String(value), column).not.toContain(code);
      expect(String(value), column).not.toContain(token);
    }
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row).toMatchObject({ email: who.email, ip: who.ip, attempts: 0, used_at: null });
    // A message carrying a secret is sent at once, never queued in the outbox table.
    const queued = await db()
      .selectFrom("email_outbox")
      .select(["kind", "payload_json"])
      .where("to_email", "=", who.email)
      .execute();
    expect(queued).toEqual([]);
  });

  it("answers the same for an unknown address and a known one; the account is created at the first successful sign-in, as a citizen", async () => {
    const known = await db()
      .selectFrom("users")
      .select(["id", "email", "role"])
      .where("role", "=", "holder")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const unknown = fresh("inconnu");
    const a = await requestSignIn(db(), { email: known.email, ip: "10.2.0.1" });
    const b = await requestSignIn(db(), unknown);
    expect(a).toEqual(b);
    expect(a).toEqual({ ok: true });
    // both receive the same kind of e-mail
    expect(mailsTo(known.email).at(-1)?.subject).toMatch(
      /^Votre code de connexion à Propulsons\u00a0: \d{6}$/,
    );
    expect(mailsTo(unknown.email).at(-1)?.subject).toMatch(
      /^Votre code de connexion à Propulsons\u00a0: \d{6}$/,
    );

    // Asking creates no account.
    expect(await db().selectFrom("users").select("id").where("email", "=", unknown.email).execute()).toEqual(
      [],
    );

    const { code } = latestSignIn(unknown.email);
    const ok = await verify(unknown.email, code);
    expect(ok.ok).toBe(true);
    const created = await db()
      .selectFrom("users")
      .selectAll()
      .where("email", "=", unknown.email)
      .executeTakeFirstOrThrow();
    expect(created).toMatchObject({ role: "citizen", display_name: unknown.email.split("@")[0] });
    expect(ok).toEqual({ ok: true, userId: created.id });

    // A known account keeps its id and role.
    const knownCode = latestSignIn(known.email).code;
    expect(await verify(known.email, knownCode)).toEqual({ ok: true, userId: known.id });
    const still = await db()
      .selectFrom("users")
      .select(["id", "role"])
      .where("email", "=", known.email)
      .execute();
    expect(still).toEqual([{ id: known.id, role: "holder" }]);
  });

  it("normalizes the address: « Prenom.Nom@Example.NET » and « prenom.nom@example.net » are the same account", async () => {
    const who = fresh("casse");
    const upper = `  ${who.email.toUpperCase()} `;
    await requestSignIn(db(), { email: upper, ip: who.ip });
    const { code } = latestSignIn(who.email);
    const first = await verify(upper, code);
    expect(first.ok).toBe(true);
    const again = await ask({ email: who.email, ip: who.ip });
    expect(await verify(who.email, again.code)).toEqual(first);
  });
});

describe("the sign-in link", () => {
  it("works once; the second use is refused", async () => {
    const who = fresh("lien");
    const { token } = await ask(who);
    const first = await verifySignInLink(db(), token);
    expect(first.ok).toBe(true);
    expect(await verifySignInLink(db(), token)).toEqual({ ok: false, message: LINK_INVALID });
    const row = await db()
      .selectFrom("sign_in_requests")
      .select("used_at")
      .where("email", "=", who.email)
      .executeTakeFirstOrThrow();
    expect(row.used_at).not.toBeNull();
  });

  it("is refused after 15 minutes", async () => {
    const who = fresh("lien-expire");
    const t0 = new Date();
    const { token } = await ask(who, t0);
    expect(await verifySignInLink(db(), token, new Date(t0.getTime() + SIGN_IN_VALID_MS))).toEqual({
      ok: false,
      message: LINK_INVALID,
    });
    expect(await verifySignInLink(db(), token, new Date(t0.getTime() + SIGN_IN_VALID_MS + 60_000))).toEqual({
      ok: false,
      message: LINK_INVALID,
    });
    // one millisecond before the end it still works (the refused tries did not consume it)
    expect((await verifySignInLink(db(), token, new Date(t0.getTime() + SIGN_IN_VALID_MS - 1))).ok).toBe(
      true,
    );
  });

  it("refuses a garbage or unknown token with the French message", async () => {
    for (const garbage of [
      "",
      "abc",
      "x".repeat(500),
      "../../etc/passwd",
      "' or 1=1 --",
      crypto.randomBytes(32).toString("base64url"),
    ]) {
      expect(await verifySignInLink(db(), garbage)).toEqual({ ok: false, message: LINK_INVALID });
    }
  });
});

describe("the 6-digit code", () => {
  it("works once; the second use is refused", async () => {
    const who = fresh("code");
    const { code } = await ask(who);
    expect((await verify(who.email, code)).ok).toBe(true);
    expect(await verify(who.email, code)).toEqual({ ok: false, message: CODE_WRONG });
  });

  it("a wrong code gets a French error; 5 wrong codes burn it, and the right code is then refused", async () => {
    const who = fresh("essais");
    const { code } = await ask(who);
    for (let i = 1; i <= 4; i++) {
      expect(await verify(who.email, otherCode(code, i))).toEqual({
        ok: false,
        message: CODE_WRONG,
      });
    }
    const row = await db()
      .selectFrom("sign_in_requests")
      .select(["attempts", "used_at"])
      .where("email", "=", who.email)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ attempts: 4, used_at: null });
    expect(await verify(who.email, otherCode(code, 5))).toEqual({
      ok: false,
      message: CODE_BURNT,
    });
    expect(await verify(who.email, code)).toEqual({ ok: false, message: CODE_WRONG });
  });

  it("4 wrong codes, then the right one, still works", async () => {
    const who = fresh("essais-4");
    const { code } = await ask(who);
    for (let i = 1; i <= 4; i++) await verify(who.email, otherCode(code, i));
    expect((await verify(who.email, code)).ok).toBe(true);
  });

  it("refuses malformed codes without counting them", async () => {
    const who = fresh("format");
    const { code } = await ask(who);
    for (const bad of ["", "12345", "1234567", "abcdef", ` ${code}`, `${code}\n`]) {
      expect(await verify(who.email, bad)).toEqual({ ok: false, message: CODE_WRONG });
    }
    const row = await db()
      .selectFrom("sign_in_requests")
      .select("attempts")
      .where("email", "=", who.email)
      .executeTakeFirstOrThrow();
    expect(row.attempts).toBe(0);
    expect((await verify(who.email, code)).ok).toBe(true);
  });

  it("an expired code is refused", async () => {
    const who = fresh("code-expire");
    const t0 = new Date();
    const { code } = await ask(who, t0);
    expect(await verify(who.email, code, new Date(t0.getTime() + SIGN_IN_VALID_MS))).toEqual({
      ok: false,
      message: CODE_WRONG,
    });
    expect(await verify(who.email, code, new Date(t0.getTime() + 2 * SIGN_IN_VALID_MS))).toEqual({
      ok: false,
      message: CODE_WRONG,
    });
    expect((await verify(who.email, code, new Date(t0.getTime() + SIGN_IN_VALID_MS - 1))).ok).toBe(true);
  });

  it("a newer request's code is the one that counts", async () => {
    const who = fresh("nouveau");
    const t0 = new Date(Date.now() - 60_000);
    const first = await ask(who, t0);
    const second = await ask(who, new Date(t0.getTime() + 1000));
    expect(second.code === first.code && second.token === first.token).toBe(false);
    if (first.code !== second.code) {
      expect(await verify(who.email, first.code)).toEqual({ ok: false, message: CODE_WRONG });
    }
    expect((await verify(who.email, second.code)).ok).toBe(true);
  });

  it("codes are per address: someone else's code does not work, and trying it does not consume theirs", async () => {
    const alice = fresh("alice");
    const bob = fresh("bob");
    const a = await ask(alice);
    const b = await ask(bob);
    if (a.code !== b.code) {
      expect(await verify(alice.email, b.code)).toEqual({ ok: false, message: CODE_WRONG });
    }
    expect((await verify(bob.email, b.code)).ok).toBe(true);
    expect((await verify(alice.email, a.code)).ok).toBe(true);
  });

  it("a code for an address that never asked is refused", async () => {
    expect(await verify(fresh("jamais").email, "123456")).toEqual({
      ok: false,
      message: CODE_WRONG,
    });
  });
});

describe("rate limits", () => {
  it(`the ${MAX_REQUESTS_PER_EMAIL + 1}th request for one address within 15 minutes is a 429 with a French message; allowed again after the window`, async () => {
    const email = fresh("limite").email;
    const t0 = new Date();
    for (let i = 0; i < MAX_REQUESTS_PER_EMAIL; i++) {
      // different IPs: only the per-address limit is at stake
      expect(
        await requestSignIn(db(), { email, ip: `10.3.0.${i + 1}`, now: new Date(t0.getTime() + i * 1000) }),
      ).toEqual({ ok: true });
    }
    const sent = mailsTo(email).length;
    expect(sent).toBe(MAX_REQUESTS_PER_EMAIL);
    const refused = await requestSignIn(db(), {
      email,
      ip: "10.3.0.99",
      now: new Date(t0.getTime() + 10 * 60_000),
    });
    // the oldest of the five leaves the 15-minute window 5 minutes later
    expect(refused).toEqual({ ok: false, status: 429, message: tooMany("5\u00a0minutes") });
    expect(mailsTo(email)).toHaveLength(sent); // no e-mail
    const rows = await db().selectFrom("sign_in_requests").select("id").where("email", "=", email).execute();
    expect(rows).toHaveLength(MAX_REQUESTS_PER_EMAIL); // nothing written
    // The window slides: 15 minutes after the last request, one may ask again.
    const after = new Date(t0.getTime() + (MAX_REQUESTS_PER_EMAIL - 1) * 1000 + 15 * 60_000);
    expect(await requestSignIn(db(), { email, ip: "10.3.0.100", now: after })).toEqual({ ok: true });
  });

  it(`the ${MAX_REQUESTS_PER_IP + 1}st request from one IP (different addresses) is a 429`, async () => {
    const ip = "10.4.0.1";
    const t0 = new Date();
    for (let i = 0; i < MAX_REQUESTS_PER_IP; i++) {
      expect(
        await requestSignIn(db(), { email: fresh("ip").email, ip, now: new Date(t0.getTime() + i) }),
      ).toEqual({ ok: true });
    }
    const last = fresh("ip-21").email;
    expect(await requestSignIn(db(), { email: last, ip, now: new Date(t0.getTime() + 60_000) })).toEqual({
      ok: false,
      status: 429,
      message: tooMany("14\u00a0minutes"),
    });
    expect(mailsTo(last)).toEqual([]);
    // another IP is not affected
    expect(
      await requestSignIn(db(), { email: last, ip: "10.4.0.2", now: new Date(t0.getTime() + 60_000) }),
    ).toEqual({ ok: true });
    // and this IP may ask again once its window has passed
    expect(
      await requestSignIn(db(), {
        email: fresh("ip-apres").email,
        ip,
        now: new Date(t0.getTime() + MAX_REQUESTS_PER_IP + 15 * 60_000),
      }),
    ).toEqual({ ok: true });
  });

  it(`wrong codes from one client over many addresses: the ${MAX_CODE_FAILURES_PER_IP + 1}st guess is a 429, not even checked; other clients are not affected`, async () => {
    const attacker = "10.6.0.1";
    const t0 = new Date();
    const victims = Array.from({ length: 5 }, () => fresh("ip-codes"));
    const codes = new Map<string, string>();
    for (const v of victims) codes.set(v.email, (await ask(v, t0)).code);
    let guesses = 0;
    for (const v of victims) {
      for (let k = 1; k <= MAX_CODE_FAILURES_PER_IP / victims.length; k++) {
        const at = new Date(t0.getTime() + 1000 + guesses * 1000);
        expect(
          await verifySignInCode(db(), {
            email: v.email,
            code: otherCode(codes.get(v.email)!, k),
            ip: attacker,
            now: at,
          }),
        ).toEqual({ ok: false, message: CODE_WRONG });
        guesses += 1;
      }
    }
    const last = victims.at(-1)!;
    const at = new Date(t0.getTime() + 60_000);
    const refused = await verifySignInCode(db(), {
      email: last.email,
      code: codes.get(last.email)!,
      ip: attacker,
      now: at,
    });
    // The first wrong guess (at t0 + 1 s) leaves the window at t0 + 15 min 1 s: 14 min 1 s from now.
    expect(refused).toEqual({
      ok: false,
      status: 429,
      message:
        "Trop de codes erronés depuis votre connexion internet en peu de temps. Réessayez dans 15\u00a0minutes. Le lien reçu par courriel, lui, reste valable.",
    });
    // The refused guess was not checked: the code is untouched and still works for its owner.
    const row = await db()
      .selectFrom("sign_in_requests")
      .select(["attempts", "used_at"])
      .where("email", "=", last.email)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ attempts: MAX_CODE_FAILURES_PER_IP / victims.length, used_at: null });
    expect(
      await verifySignInCode(db(), { email: last.email, code: codes.get(last.email)!, ip: last.ip, now: at }),
    ).toMatchObject({ ok: true });
    // Once its first guesses leave the window, the client may guess again.
    const later = new Date(t0.getTime() + 1000 + 15 * 60_000 + 1);
    const again = fresh("ip-codes-apres");
    const { code } = await ask(again, later);
    expect(
      await verifySignInCode(db(), { email: again.email, code, ip: attacker, now: later }),
    ).toMatchObject({
      ok: true,
    });
  });

  it(`wrong codes for one address from many clients: capped at ${MAX_CODE_FAILURES_PER_EMAIL} across codes; the link still works`, async () => {
    const who = fresh("adresse-codes");
    const t0 = new Date();
    let wrong = 0;
    let latest = "";
    for (let round = 0; wrong < MAX_CODE_FAILURES_PER_EMAIL; round++) {
      latest = (await ask({ email: who.email, ip: `10.7.${round}.1` }, new Date(t0.getTime() + round))).code;
      for (let k = 1; k <= 4 && wrong < MAX_CODE_FAILURES_PER_EMAIL; k++, wrong++) {
        expect(
          await verifySignInCode(db(), {
            email: who.email,
            code: otherCode(latest, k),
            ip: `10.7.${round}.${k + 1}`,
            now: new Date(t0.getTime() + 1000),
          }),
        ).toEqual({ ok: false, message: CODE_WRONG });
      }
    }
    const refused = await verifySignInCode(db(), {
      email: who.email,
      code: latest,
      ip: "10.7.99.1",
      now: new Date(t0.getTime() + 1000 + 5 * 60_000),
    });
    expect(refused).toEqual({
      ok: false,
      status: 429,
      message:
        "Trop de codes erronés pour cette adresse en peu de temps. Réessayez dans 10\u00a0minutes, ou utilisez le lien reçu par courriel.",
    });
    const { token } = latestSignIn(who.email);
    expect(await verifySignInLink(db(), token, new Date(t0.getTime() + 5 * 60_000))).toMatchObject({
      ok: true,
    });
  });

  it("malformed codes are not counted against the client", async () => {
    const ip = "10.8.0.1";
    for (let i = 0; i < MAX_CODE_FAILURES_PER_IP + 5; i++) {
      expect(await verifySignInCode(db(), { email: fresh("forme").email, code: "12a456", ip })).toEqual({
        ok: false,
        message: CODE_WRONG,
      });
    }
    const who = fresh("forme-ok");
    const { code } = await ask(who);
    expect(await verifySignInCode(db(), { email: who.email, code, ip })).toMatchObject({ ok: true });
  });

  it("concurrent wrong guesses from one client cannot get past its limit (check-then-insert is atomic)", async () => {
    const ip = "10.9.0.1";
    const who = Array.from({ length: 10 }, () => fresh("rafale-codes"));
    const codes = await Promise.all(who.map(async (w) => (await ask(w)).code));
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        verifySignInCode(db(), {
          email: who[i % 10]!.email,
          code: otherCode(codes[i % 10]!, 1 + Math.floor(i / 10)),
          ip,
        }),
      ),
    );
    const counted = await db()
      .selectFrom("sign_in_failures")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("ip", "=", ip)
      .executeTakeFirstOrThrow();
    expect({
      checked: results.filter((r) => !("status" in r)).length,
      refused: results.filter((r) => "status" in r && r.status === 429).length,
      rows: Number(counted.n),
    }).toEqual({
      checked: MAX_CODE_FAILURES_PER_IP,
      refused: 40 - MAX_CODE_FAILURES_PER_IP,
      rows: MAX_CODE_FAILURES_PER_IP,
    });
  });

  it("an IPv6 client is its /64 (it chooses the rest); an IPv4-mapped address is the IPv4 one", () => {
    expect(clientKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(clientKey("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(clientKey("192.0.2.7")).toBe("192.0.2.7");
    expect(clientKey("inconnue")).toBe("inconnue");
  });

  it("says in French how long to wait", () => {
    expect(waitInFrench(1)).toBe("une minute");
    expect(waitInFrench(60_000)).toBe("une minute");
    expect(waitInFrench(60_001)).toBe("2\u00a0minutes");
    expect(waitInFrench(15 * 60_000)).toBe("15\u00a0minutes");
  });

  it("concurrent requests cannot get past the per-address limit (check-then-insert must be atomic)", async () => {
    const email = fresh("rafale").email;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => requestSignIn(db(), { email, ip: `10.5.0.${i + 1}` })),
    );
    const accepted = results.filter((r) => r.ok).length;
    const rows = await db().selectFrom("sign_in_requests").select("id").where("email", "=", email).execute();
    expect(
      { accepted, rows: rows.length, mails: mailsTo(email).length },
      "20 simultaneous requests for one address",
    ).toEqual({
      accepted: MAX_REQUESTS_PER_EMAIL,
      rows: MAX_REQUESTS_PER_EMAIL,
      mails: MAX_REQUESTS_PER_EMAIL,
    });
  });
});

describe("sessions", () => {
  async function signedInUser(label: string): Promise<number> {
    const who = fresh(label);
    const { code } = await ask(who);
    const result = await verify(who.email, code);
    if (!result.ok) throw new Error(result.message);
    return result.userId;
  }

  it("createSession + getSessionUser: the cookie finds the user; the table stores only the token's hash", async () => {
    const userId = await signedInUser("session");
    const token = await createSession(db(), userId, "Mozilla/5.0 (test)");
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const user = await getSessionUser(requestWithCookie(token), db());
    expect(user).toMatchObject({ id: userId, role: "citizen" });
    const row = await db()
      .selectFrom("sessions")
      .selectAll()
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow();
    expect(row.id_hash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.user_agent).toBe("Mozilla/5.0 (test)");
    // no cookie, a wrong cookie, a forged one: nobody
    expect(await getSessionUser(new Request("https://propulsons.example/"), db())).toBeNull();
    expect(
      await getSessionUser(requestWithCookie(crypto.randomBytes(32).toString("base64url")), db()),
    ).toBeNull();
    expect(
      await getSessionUser(
        new Request("https://propulsons.example/", { headers: { cookie: `x__session=${token}` } }),
        db(),
      ),
    ).toBeNull();
  });

  it("an expired session is refused", async () => {
    const userId = await signedInUser("session-expiree");
    const t0 = new Date();
    const token = await createSession(db(), userId, null, t0);
    expect(
      await getSessionUser(requestWithCookie(token), db(), new Date(t0.getTime() + SESSION_MS - 1)),
    ).toMatchObject({ id: userId });
    expect(
      await getSessionUser(requestWithCookie(token), db(), new Date(t0.getTime() + SESSION_MS)),
    ).toBeNull();
    expect(
      await getSessionUser(requestWithCookie(token), db(), new Date(t0.getTime() + SESSION_MS + 86_400_000)),
    ).toBeNull();
  });

  /** A user made staff (as `npm run staff:add` does), signed in through a code. */
  async function signedInStaff(label: string): Promise<number> {
    const userId = await signedInUser(label);
    await db().updateTable("users").set({ role: "staff" }).where("id", "=", userId).execute();
    return userId;
  }

  it(`a staff session lasts ${STAFF_SESSION_HOURS_DEFAULT} hours from sign-in, a citizen's ${SESSION_DAYS_DEFAULT} days (simulated clock)`, async () => {
    const staffId = await signedInStaff("session-equipe");
    const t0 = new Date();
    const staff = await createSession(db(), staffId, null, t0);
    const hours = (h: number) => new Date(t0.getTime() + h * 3600_000);
    expect(await getSessionUser(requestWithCookie(staff), db(), hours(11.99))).toMatchObject({
      id: staffId,
      role: "staff",
    });
    expect(await getSessionUser(requestWithCookie(staff), db(), hours(12))).toBeNull();
    expect(await getSessionUser(requestWithCookie(staff), db(), hours(13))).toBeNull();
    const row = await db()
      .selectFrom("sessions")
      .select(["created_at", "expires_at"])
      .where("id_hash", "=", sha256(staff))
      .executeTakeFirstOrThrow();
    expect(new Date(row.expires_at).getTime() - new Date(row.created_at).getTime()).toBe(12 * 3600_000);

    const citizenId = await signedInUser("session-citoyen");
    const citizen = await createSession(db(), citizenId, null, t0);
    expect(await getSessionUser(requestWithCookie(citizen), db(), hours(13))).toMatchObject({
      id: citizenId,
    });
    expect(await getSessionUser(requestWithCookie(citizen), db(), hours(30 * 24 - 0.01))).toMatchObject({
      id: citizenId,
    });
    expect(await getSessionUser(requestWithCookie(citizen), db(), hours(30 * 24))).toBeNull();
  });

  it("a citizen made staff after signing in gets the staff limit on the session they already have", async () => {
    const userId = await signedInUser("promu");
    const t0 = new Date();
    const token = await createSession(db(), userId, null, t0);
    await db().updateTable("users").set({ role: "staff" }).where("id", "=", userId).execute();
    expect(
      await getSessionUser(requestWithCookie(token), db(), new Date(t0.getTime() + 11 * 3600_000)),
    ).toMatchObject({ id: userId, role: "staff" });
    expect(
      await getSessionUser(requestWithCookie(token), db(), new Date(t0.getTime() + 12 * 3600_000)),
    ).toBeNull();
  });

  it("the session cookie lives as long as the session: 12 hours for staff, 30 days for citizens", async () => {
    const staffId = await signedInStaff("cookie-equipe");
    const citizenId = await signedInUser("cookie-citoyen");
    const staffCookie = await startSession(db(), staffId, null);
    const citizenCookie = await startSession(db(), citizenId, null);
    expect(staffCookie).toMatch(
      /^__session=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200(;|$)/,
    );
    expect(citizenCookie).toMatch(/; Max-Age=2592000(;|$)/);
  });

  it("durations come from the configuration (SESSION_DAYS, STAFF_SESSION_HOURS, FRESH_SIGN_IN_MINUTES), validated", () => {
    const defaults = readConfig({} as unknown as NodeJS.ProcessEnv);
    expect({
      sessionMs: defaults.sessionMs,
      staffSessionMs: defaults.staffSessionMs,
      freshSignInMs: defaults.freshSignInMs,
    }).toEqual({ sessionMs: 30 * 86_400_000, staffSessionMs: 12 * 3600_000, freshSignInMs: 15 * 60_000 });
    const set = readConfig({
      SESSION_DAYS: "7",
      STAFF_SESSION_HOURS: "8",
      FRESH_SIGN_IN_MINUTES: "5",
    } as unknown as NodeJS.ProcessEnv);
    expect([set.sessionMs, set.staffSessionMs, set.freshSignInMs]).toEqual([
      7 * 86_400_000,
      8 * 3600_000,
      5 * 60_000,
    ]);
    expect(() => readConfig({ STAFF_SESSION_HOURS: "0" } as unknown as NodeJS.ProcessEnv)).toThrow(
      /STAFF_SESSION_HOURS/,
    );
    expect(() => readConfig({ SESSION_DAYS: "trente" } as unknown as NodeJS.ProcessEnv)).toThrow(
      /SESSION_DAYS/,
    );
    expect(() => readConfig({ FRESH_SIGN_IN_MINUTES: "600" } as unknown as NodeJS.ProcessEnv)).toThrow(
      /FRESH_SIGN_IN_MINUTES/,
    );
  });

  it("a sign-in is fresh for 15 minutes: older, an action that moves money sends to /connexion to confirm, then back", async () => {
    const staffId = await signedInStaff("fraicheur");
    const t0 = new Date();
    const token = await createSession(db(), staffId, null, t0);
    const post = (path: string) =>
      new Request(`https://propulsons.example${path}`, {
        method: "POST",
        headers: { cookie: `__session=${token}` },
      });
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    await expect(requireFreshSignIn(post("/gestion/campagnes/7"), db(), at(14.99))).resolves.toBeUndefined();
    const thrown = await requireFreshSignIn(post("/gestion/campagnes/7"), db(), at(15)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(Response);
    const res = thrown as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/connexion?retour=%2Fgestion%2Fcampagnes%2F7&confirmer=1");
    // Without a session, the same: sign in first.
    const anonymous = await requireFreshSignIn(
      new Request("https://propulsons.example/gestion/campagnes/7", { method: "POST" }),
      db(),
      at(1),
    ).then(
      () => null,
      (e: unknown) => e as Response,
    );
    expect(anonymous?.headers.get("location")).toBe(
      "/connexion?retour=%2Fgestion%2Fcampagnes%2F7&confirmer=1",
    );
  });

  it('revokeSessions("this") ends only this session', async () => {
    const userId = await signedInUser("revoque-une");
    const laptop = await createSession(db(), userId, "laptop");
    const phone = await createSession(db(), userId, "phone");
    await revokeSessions(requestWithCookie(laptop), "this", db());
    expect(await getSessionUser(requestWithCookie(laptop), db())).toBeNull();
    expect(await getSessionUser(requestWithCookie(phone), db())).toMatchObject({ id: userId });
    const revoked = await db()
      .selectFrom("sessions")
      .select("revoked_at")
      .where("id_hash", "=", sha256(laptop))
      .executeTakeFirstOrThrow();
    expect(revoked.revoked_at).not.toBeNull();
  });

  it('revokeSessions("all") ends every session of this user, and only of this user', async () => {
    const userId = await signedInUser("revoque-toutes");
    const otherId = await signedInUser("voisin");
    const laptop = await createSession(db(), userId, "laptop");
    const phone = await createSession(db(), userId, "phone");
    const neighbour = await createSession(db(), otherId, "neighbour");
    await revokeSessions(requestWithCookie(phone), "all", db());
    expect(await getSessionUser(requestWithCookie(laptop), db())).toBeNull();
    expect(await getSessionUser(requestWithCookie(phone), db())).toBeNull();
    expect(await getSessionUser(requestWithCookie(neighbour), db())).toMatchObject({ id: otherId });
  });

  it("revoking with no cookie or an unknown cookie changes nothing", async () => {
    const userId = await signedInUser("revoque-rien");
    const token = await createSession(db(), userId, null);
    await revokeSessions(new Request("https://propulsons.example/"), "all", db());
    await revokeSessions(requestWithCookie(crypto.randomBytes(32).toString("base64url")), "all", db());
    await revokeSessions(requestWithCookie(crypto.randomBytes(32).toString("base64url")), "this", db());
    expect(await getSessionUser(requestWithCookie(token), db())).toMatchObject({ id: userId });
  });
});

describe("safeReturnPath", () => {
  it("keeps a local path and refuses other sites", () => {
    expect(safeReturnPath("/mon-compte/contributions")).toBe("/mon-compte/contributions");
    expect(safeReturnPath("/campagnes?statut=en-cours")).toBe("/campagnes?statut=en-cours");
    expect(safeReturnPath("//evil.example")).toBe("/mon-compte");
    expect(safeReturnPath("https://evil.example")).toBe("/mon-compte");
    expect(safeReturnPath("/\\evil.example")).toBe("/mon-compte");
    expect(safeReturnPath("\\\\evil.example")).toBe("/mon-compte");
    expect(safeReturnPath("javascript:alert(1)")).toBe("/mon-compte");
    expect(safeReturnPath("")).toBe("/mon-compte");
    expect(safeReturnPath(null)).toBe("/mon-compte");
    expect(safeReturnPath(undefined)).toBe("/mon-compte");
  });

  it("never lets a browser leave the site: tabs and line breaks are dropped by URL parsing (« /\\t/evil.example » is « //evil.example »)", () => {
    const base = "https://propulsons.example";
    const tricks = [
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r\n/evil.example",
      "/\t\\evil.example",
      "//evil.example",
      "/\\evil.example",
    ];
    const leaving = tricks
      .map((trick) => ({ trick, kept: safeReturnPath(trick) }))
      .filter(({ kept }) => new URL(kept, base).origin !== base)
      .map(
        ({ trick, kept }) =>
          `${JSON.stringify(trick)} → ${JSON.stringify(kept)} → ${new URL(kept, base).href}`,
      );
    expect(leaving, "return paths that a browser resolves to another site").toEqual([]);
  });

  it("checks the return path after dot-segment normalisation, whatever its encoding (issue 12)", () => {
    const base = "https://propulsons.example";
    const hostile = [
      "/.//evil.example",
      "/..//evil.example",
      "/%2e//evil.example",
      "/%2E%2E//evil.example",
      "/.%2e//evil.example",
      "/a/..//evil.example",
      "/a/b/../..//evil.example",
      "/./\\evil.example",
      "/.//evil.example/?x=1",
      "/%2e/%2e//evil.example#h",
      "///evil.example",
      "/\\evil.example",
      "\\/evil.example",
      "/.\t//evil.example",
      "/.\n//evil.example",
      "https:evil.example",
      "https://evil.example",
      "http:/evil.example",
      "javascript:alert(1)",
      "%2F%2Fevil.example",
      "%252F%252Fevil.example",
      " //evil.example",
      "evil.example",
    ];
    const bad = hostile
      .map((value) => ({ value, kept: safeReturnPath(value) }))
      .filter(({ kept }) => {
        const resolved = new URL(kept, base);
        // What the server sends is what a browser reads: a path of this site, nothing to normalise.
        return (
          resolved.origin !== base ||
          !kept.startsWith("/") ||
          kept.startsWith("//") ||
          kept.startsWith("/\\") ||
          resolved.pathname + resolved.search !== kept
        );
      })
      .map(({ value, kept }) => `${JSON.stringify(value)} → ${JSON.stringify(kept)}`);
    expect(bad, "return paths that leave the platform or are not normalised").toEqual([]);
    for (const value of hostile.slice(0, 11)) expect(safeReturnPath(value), value).toBe("/mon-compte");
  });

  it("returns the normalised path and query, never the raw string", () => {
    expect(safeReturnPath("/campagnes/./a/../b?x=1")).toBe("/campagnes/b?x=1");
    expect(safeReturnPath("/gestion/campagnes/%31")).toBe("/gestion/campagnes/%31");
    expect(safeReturnPath("/mon-compte#contributions")).toBe("/mon-compte");
    expect(safeReturnPath("/%5Cevil.example")).toBe("/%5Cevil.example");
  });
});
