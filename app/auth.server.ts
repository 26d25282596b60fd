/**
 * Accounts and sessions (issue 5): sign-in by e-mail alone — a one-time link
 * and a 6-digit code, either works, once, for 15 minutes — and server-side
 * sessions that can be revoked. Secrets are stored hashed (SHA-256); the cookie
 * carries a random token. Sign-in is rate-limited per e-mail and per IP and
 * answers the same whether or not the address has an account.
 */
import { NBSP, NNBSP } from "~/domain/typography";
import crypto from "node:crypto";
import { redirect, type TypedResponse } from "@remix-run/node";
import ipaddr from "ipaddr.js";
import { z } from "zod";
import type { Kysely } from "kysely";
import { serializeOn } from "#db/connection";
import type { DB, Role } from "#db/schema";
import { config } from "./config.server";
import { database } from "./db.server";
import { sendEmailNow } from "./email.server";

/** When the attempts recorded in `table` for this address or client happened, oldest first. */
async function attemptTimes(
  trx: Kysely<DB>,
  table: "sign_in_requests" | "sign_in_failures",
  by: "email" | "ip",
  value: string,
  since: string,
): Promise<string[]> {
  const rows = await trx
    .selectFrom(table)
    .select("created_at")
    .where(by, "=", value)
    .where("created_at", ">", since)
    .orderBy("created_at")
    .execute();
  return rows.map((r) => r.created_at);
}

export const SIGN_IN_VALID_MS = 15 * 60_000;
/** A citizen's session by default (SESSION_DAYS); staff sessions are shorter (STAFF_SESSION_HOURS). */
export const SESSION_MS = 30 * 24 * 3600_000;
export const MAX_CODE_ATTEMPTS = 5;
export const RATE_WINDOW_MS = 15 * 60_000;
export const MAX_REQUESTS_PER_EMAIL = 5;
export const MAX_REQUESTS_PER_IP = 20;
/** Wrong codes accepted per address within RATE_WINDOW_MS, whichever code and client they target. */
export const MAX_CODE_FAILURES_PER_EMAIL = 10;
/** Wrong codes accepted per client address within RATE_WINDOW_MS, whichever addresses they target. */
export const MAX_CODE_FAILURES_PER_IP = 20;
export const SESSION_COOKIE = "__session";

export interface SessionUser {
  id: number;
  email: string;
  displayName: string;
  role: Role;
}

const hash = (value: string) => crypto.createHash("sha256").update(value).digest("hex");
const randomToken = () => crypto.randomBytes(32).toString("base64url");

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The client as rate limits see it: an IPv4 address (also when written IPv4-mapped, « ::ffff:… »),
 * or the /64 of an IPv6 address — one subscriber's whole block, since they choose its 64 low bits.
 */
export function clientKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip.slice(0, 100);
  const address = ipaddr.process(ip);
  if (address.kind() === "ipv4") return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(":")}::/64`;
}

/** « une minute », « 15 minutes » (non-breaking space): how long until a limited client may retry. */
export function waitInFrench(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  return minutes === 1 ? "une minute" : `${minutes}\u00a0minutes`;
}

/**
 * With `instants` (ISO, ascending) the events counted in the window ending at `now`, and `limit`
 * the most allowed: how long until one more is allowed (0 when it already is).
 */
function waitBelow(instants: string[], limit: number, now: Date): number {
  if (instants.length < limit) return 0;
  const leaving = instants[instants.length - limit]!;
  return Math.max(0, new Date(leaving).getTime() + RATE_WINDOW_MS - now.getTime());
}

export type SignInRequestResult = { ok: true } | { ok: false; status: 429; message: string };

/** Ask for a sign-in e-mail. Same answer whether or not the address has an account. */
export async function requestSignIn(
  db: Kysely<DB>,
  input: { email: string; ip: string; now?: Date },
): Promise<SignInRequestResult> {
  const now = input.now ?? new Date();
  const email = normalizeEmail(input.email);
  const since = new Date(now.getTime() - RATE_WINDOW_MS).toISOString();
  const token = randomToken();
  const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, "0");
  // Count and insert in one transaction, one at a time (SQLite runs one write transaction at a
  // time; PostgreSQL takes a lock): simultaneous requests cannot all slip under the limit.
  const ip = clientKey(input.ip);
  const wait = await db.transaction().execute(async (trx) => {
    await serializeOn(trx, "sign-in-requests");
    const [byEmail, byIp] = await Promise.all([
      attemptTimes(trx, "sign_in_requests", "email", email, since),
      attemptTimes(trx, "sign_in_requests", "ip", ip, since),
    ]);
    const waitMs = Math.max(
      waitBelow(byEmail, MAX_REQUESTS_PER_EMAIL, now),
      waitBelow(byIp, MAX_REQUESTS_PER_IP, now),
    );
    if (waitMs > 0) return waitMs;
    await trx
      .insertInto("sign_in_requests")
      .values({
        email,
        token_hash: hash(token),
        code_hash: hash(`${email}:${code}`),
        ip,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + SIGN_IN_VALID_MS).toISOString(),
      })
      .execute();
    return 0;
  });
  if (wait > 0) {
    return {
      ok: false,
      status: 429,
      message: `Trop de demandes de connexion en peu de temps. Réessayez dans ${waitInFrench(wait)}.`,
    };
  }
  await sendEmailNow({
    kind: "sign_in",
    to: email,
    idempotencyKey: `sign-in:${hash(token).slice(0, 32)}`,
    data: {
      link: `${config().publicUrl}/connexion/verifier?jeton=${token}`,
      code,
      validMinutes: SIGN_IN_VALID_MS / 60_000,
    },
  });
  return { ok: true };
}

export type VerifyResult =
  { ok: true; userId: number } | { ok: false; message: string } | { ok: false; status: 429; message: string };

async function userFor(db: Kysely<DB>, email: string, now: Date): Promise<number> {
  const existing = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
  if (existing) return existing.id;
  const created = await db
    .insertInto("users")
    .values({
      email,
      display_name: email.split("@")[0] ?? email,
      role: "citizen",
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column("email").doUpdateSet({ email }))
    .returning("id")
    .executeTakeFirstOrThrow();
  return created.id;
}

/** Consume a sign-in link's token. */
export async function verifySignInLink(
  db: Kysely<DB>,
  token: string,
  now = new Date(),
): Promise<VerifyResult> {
  const invalid = {
    ok: false as const,
    message: "Ce lien de connexion a expiré ou a déjà servi. Demandez-en un nouveau.",
  };
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return invalid;
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("sign_in_requests")
      .select(["id", "email", "expires_at", "used_at"])
      .where("token_hash", "=", hash(token))
      .executeTakeFirst();
    if (!row || row.used_at !== null || row.expires_at <= now.toISOString()) return invalid;
    const used = await trx
      .updateTable("sign_in_requests")
      .set({ used_at: now.toISOString() })
      .where("id", "=", row.id)
      .where("used_at", "is", null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return invalid;
    return { ok: true as const, userId: await userFor(trx, row.email, now) };
  });
}

/**
 * Check a 6-digit code for the latest request of this address; five wrong tries burn it. Wrong
 * codes are also counted per address across codes (MAX_CODE_FAILURES_PER_EMAIL) and per client
 * across addresses (MAX_CODE_FAILURES_PER_IP): past either limit the code is not even checked.
 */
export async function verifySignInCode(
  db: Kysely<DB>,
  input: { email: string; code: string; ip: string; now?: Date },
): Promise<VerifyResult> {
  const now = input.now ?? new Date();
  const email = normalizeEmail(input.email);
  const ip = clientKey(input.ip);
  const { code } = input;
  const wrong = {
    ok: false as const,
    message: "Code incorrect ou expiré. Vérifiez le dernier courriel reçu, ou demandez un nouveau code.",
  };
  if (!/^\d{6}$/.test(code)) return wrong;
  const since = new Date(now.getTime() - RATE_WINDOW_MS).toISOString();
  return db.transaction().execute(async (trx): Promise<VerifyResult> => {
    await serializeOn(trx, "sign-in-codes");
    const [byIp, byEmail] = await Promise.all([
      attemptTimes(trx, "sign_in_failures", "ip", ip, since),
      attemptTimes(trx, "sign_in_failures", "email", email, since),
    ]);
    const ipWait = waitBelow(byIp, MAX_CODE_FAILURES_PER_IP, now);
    if (ipWait > 0)
      return {
        ok: false,
        status: 429,
        message: `Trop de codes erronés depuis votre connexion internet en peu de temps. Réessayez dans ${waitInFrench(ipWait)}. Le lien reçu par courriel, lui, reste valable.`,
      };
    const emailWait = waitBelow(byEmail, MAX_CODE_FAILURES_PER_EMAIL, now);
    if (emailWait > 0)
      return {
        ok: false,
        status: 429,
        message: `Trop de codes erronés pour cette adresse en peu de temps. Réessayez dans ${waitInFrench(emailWait)}, ou utilisez le lien reçu par courriel.`,
      };
    const failed = async () => {
      await trx.insertInto("sign_in_failures").values({ email, ip, created_at: now.toISOString() }).execute();
      // Rows older than a day count for nothing: keep the table small.
      await trx
        .deleteFrom("sign_in_failures")
        .where("created_at", "<", new Date(now.getTime() - 24 * 3600_000).toISOString())
        .execute();
    };
    const row = await trx
      .selectFrom("sign_in_requests")
      .select(["id", "code_hash", "attempts"])
      .where("email", "=", email)
      .where("used_at", "is", null)
      .where("expires_at", ">", now.toISOString())
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .executeTakeFirst();
    if (!row) {
      await failed();
      return wrong;
    }
    const expected = Buffer.from(row.code_hash, "hex");
    const given = Buffer.from(hash(`${email}:${code}`), "hex");
    if (!crypto.timingSafeEqual(expected, given)) {
      await failed();
      const attempts = row.attempts + 1;
      await trx
        .updateTable("sign_in_requests")
        .set({ attempts, ...(attempts >= MAX_CODE_ATTEMPTS ? { used_at: now.toISOString() } : {}) })
        .where("id", "=", row.id)
        .execute();
      return attempts >= MAX_CODE_ATTEMPTS
        ? { ok: false as const, message: "Trop d’essais avec ce code\u00a0: demandez un nouveau code." }
        : wrong;
    }
    await trx
      .updateTable("sign_in_requests")
      .set({ used_at: now.toISOString() })
      .where("id", "=", row.id)
      .execute();
    return { ok: true as const, userId: await userFor(trx, email, now) };
  });
}

/**
 * Open a session for this user, who has just proved their address (code or link): the instant it
 * is created is the instant of that sign-in (requireFreshSignIn). It lasts SESSION_DAYS, or
 * STAFF_SESSION_HOURS for staff — never extended (docs/decisions/015-session-lifetimes.md).
 */
async function openSession(
  db: Kysely<DB>,
  userId: number,
  userAgent: string | null,
  now: Date,
): Promise<{ token: string; lifetimeMs: number }> {
  const user = await db.selectFrom("users").select("role").where("id", "=", userId).executeTakeFirstOrThrow();
  const lifetimeMs = user.role === "staff" ? config().staffSessionMs : config().sessionMs;
  const token = randomToken();
  await db
    .insertInto("sessions")
    .values({
      id_hash: hash(token),
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + lifetimeMs).toISOString(),
      user_agent: userAgent?.slice(0, 200) ?? null,
    })
    .execute();
  return { token, lifetimeMs };
}

export async function createSession(
  db: Kysely<DB>,
  userId: number,
  userAgent: string | null,
  now = new Date(),
): Promise<string> {
  return (await openSession(db, userId, userAgent, now)).token;
}

/** Open a session and return its Set-Cookie value (the cookie lives as long as the session). */
export async function startSession(
  db: Kysely<DB>,
  userId: number,
  userAgent: string | null,
  now = new Date(),
): Promise<string> {
  const { token, lifetimeMs } = await openSession(db, userId, userAgent, now);
  return sessionCookie(token, lifetimeMs);
}

/**
 * After a successful code or link: the session this browser had (if any) is closed and a new one
 * opened, then off to `to` (a path from safeReturnPath).
 */
export async function completeSignIn(
  request: Request,
  db: Kysely<DB>,
  userId: number,
  to: string,
): Promise<TypedResponse<never>> {
  await revokeSessions(request, "this", db);
  const cookie = await startSession(db, userId, request.headers.get("user-agent"));
  return redirect(safeReturnPath(to), { headers: { "Set-Cookie": cookie } });
}

/** Whether a Cookie header carries a session (such requests are personal: never cached). */
export function hasSessionCookie(cookieHeader: string | null | undefined): boolean {
  return /(?:^|;\s*)__session=/.test(cookieHeader ?? "");
}

function cookieToken(request: Request): string | null {
  const header = request.headers.get("cookie") ?? "";
  const m = header.match(/(?:^|;\s*)__session=([A-Za-z0-9_-]{20,100})(?:;|$)/);
  return m?.[1] ?? null;
}

/** The stored id (hash) of this request's session, if it carries one (« cette session », app/account). */
export function sessionIdHash(request: Request): string | null {
  const token = cookieToken(request);
  return token ? hash(token) : null;
}

/** A session's last use is recorded at most this often: one write per session per few minutes. */
export const LAST_USED_EVERY_MS = 5 * 60_000;

export async function getSessionUser(
  request: Request,
  db: Kysely<DB> = database().db,
  now = new Date(),
): Promise<SessionUser | null> {
  const token = cookieToken(request);
  if (!token) return null;
  const row = await db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select(["u.id", "u.email", "u.display_name", "u.role", "s.created_at", "s.last_used_at"])
    .where("s.id_hash", "=", hash(token))
    .where("s.revoked_at", "is", null)
    .where("s.expires_at", ">", now.toISOString())
    .where("u.deleted_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  const lastUsed = new Date(row.last_used_at ?? row.created_at).getTime();
  if (now.getTime() - lastUsed >= LAST_USED_EVERY_MS) {
    // Best effort: a busy database must not turn a page view into an error.
    await db
      .updateTable("sessions")
      .set({ last_used_at: now.toISOString() })
      .where("id_hash", "=", hash(token))
      .execute()
      .catch(() => undefined);
  }
  // Staff sessions end STAFF_SESSION_HOURS after sign-in, also one opened before the person was
  // made staff (its expires_at was set for a citizen).
  if (row.role === "staff" && new Date(row.created_at).getTime() + config().staffSessionMs <= now.getTime())
    return null;
  return { id: row.id, email: row.email, displayName: row.display_name, role: row.role };
}

/** Where to confirm one's identity with a new code, then come back to this page. */
function confirmSignInPath(request: Request): string {
  const url = new URL(request.url);
  url.searchParams.delete("_data");
  return `/connexion?retour=${encodeURIComponent(url.pathname + url.search)}&confirmer=1`;
}

/**
 * Before an action that moves money (cancelling a campaign): the sign-in of this session — the
 * code or link verified, i.e. when the session was opened — must be at most FRESH_SIGN_IN_MINUTES
 * old; otherwise a redirect to the sign-in page, which explains and comes back here.
 * `npm run campaign:cancel` is exempt: it is run by an operator on the server.
 */
export async function requireFreshSignIn(
  request: Request,
  db: Kysely<DB> = database().db,
  now = new Date(),
): Promise<void> {
  const token = cookieToken(request);
  const row = token
    ? await db
        .selectFrom("sessions")
        .select("created_at")
        .where("id_hash", "=", hash(token))
        .where("revoked_at", "is", null)
        .where("expires_at", ">", now.toISOString())
        .executeTakeFirst()
    : undefined;
  if (row && new Date(row.created_at).getTime() + config().freshSignInMs > now.getTime()) return;
  throw redirect(confirmSignInPath(request));
}

export function sessionCookie(token: string, lifetimeMs = config().sessionMs): string {
  const secure = config().env === "production" || config().publicUrl.startsWith("https://");
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${Math.floor(lifetimeMs / 1000)}${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}

/** Revoke the session of this request (sign-out), or every session of its user. */
export async function revokeSessions(
  request: Request,
  scope: "this" | "all",
  db: Kysely<DB> = database().db,
  now = new Date(),
): Promise<void> {
  const token = cookieToken(request);
  if (!token) return;
  if (scope === "this") {
    await db
      .updateTable("sessions")
      .set({ revoked_at: now.toISOString() })
      .where("id_hash", "=", hash(token))
      .where("revoked_at", "is", null)
      .execute();
    return;
  }
  const user = await getSessionUser(request, db, now);
  if (user)
    await db
      .updateTable("sessions")
      .set({ revoked_at: now.toISOString() })
      .where("user_id", "=", user.id)
      .where("revoked_at", "is", null)
      .execute();
}

const RETURN_BASE = "http://platform.invalid";

/**
 * Where to go back to after signing in: a path of this platform, whatever its encoding. The value
 * is resolved as a browser would (`new URL`, which undoes dot segments: « /a/..//x » is « //x »)
 * and checked after that, and the answer is the normalised path and query, never the raw string.
 * Every redirect to a user-supplied path goes through here.
 */
export function safeReturnPath(value: string | null | undefined): string {
  const fallback = "/mon-compte";
  // Browsers drop tabs and line breaks in URLs and read « \ » as « / »: refuse them outright.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses.
  if (!value || !value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, RETURN_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== RETURN_BASE) return fallback;
  const path = url.pathname + url.search;
  // After normalisation « //host » (or « /\host ») would be another site to a browser.
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return fallback;
  // Resolving it again must give the same path: what we send is what a browser will read.
  const again = new URL(path, RETURN_BASE);
  if (again.origin !== RETURN_BASE || again.pathname + again.search !== path) return fallback;
  return path;
}

/** The signed-in user, or a redirect to the sign-in page (then back here). */
export async function requireUser(request: Request, roles?: Role[]): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/connexion?retour=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (roles && !roles.includes(user.role)) throw new Response("Accès réservé.", { status: 403 });
  return user;
}

export type StaffGrant =
  { ok: true; created: boolean; previousRole: Role | null } | { ok: false; message: string };

/**
 * `npm run staff:add`: make an account Département staff (creating it if needed).
 * Staff then sign in like everyone else, with their e-mail.
 */
export async function grantStaff(
  db: Kysely<DB>,
  emailInput: string,
  displayName: string | null,
  now = new Date(),
): Promise<StaffGrant> {
  const email = normalizeEmail(emailInput);
  if (!z.email().safeParse(email).success)
    return { ok: false, message: `«${NBSP}${emailInput}${NBSP}» n’est pas une adresse électronique valide.` };
  return db.transaction().execute(async (trx): Promise<StaffGrant> => {
    const existing = await trx
      .selectFrom("users")
      .select(["id", "role"])
      .where("email", "=", email)
      .executeTakeFirst();
    if (existing) {
      await trx
        .updateTable("users")
        .set({ role: "staff", ...(displayName ? { display_name: displayName } : {}) })
        .where("id", "=", existing.id)
        .execute();
      return { ok: true, created: false, previousRole: existing.role };
    }
    await trx
      .insertInto("users")
      .values({
        email,
        display_name:
          displayName ??
          email
            .split("@")[0]!
            .replace(/[._-]+/g, " ")
            .replace(/\b\p{L}/gu, (c) => c.toUpperCase()),
        role: "staff",
        created_at: now.toISOString(),
      })
      .execute();
    return { ok: true, created: true, previousRole: null };
  });
}

/** `npm run staff:remove`: back to citizen (or holder when they own a structure); their sessions end. */
export async function revokeStaff(
  db: Kysely<DB>,
  emailInput: string,
  now = new Date(),
): Promise<{ ok: boolean; message: string }> {
  const email = normalizeEmail(emailInput);
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom("users")
      .select(["id", "role"])
      .where("email", "=", email)
      .executeTakeFirst();
    if (!user || user.role !== "staff")
      return { ok: false, message: `${email} n’est pas membre de l’équipe.` };
    const owns = await trx
      .selectFrom("organizations")
      .select("id")
      .where("owner_user_id", "=", user.id)
      .executeTakeFirst();
    await trx
      .updateTable("users")
      .set({ role: owns ? "holder" : "citizen" })
      .where("id", "=", user.id)
      .execute();
    await trx
      .updateTable("sessions")
      .set({ revoked_at: now.toISOString() })
      .where("user_id", "=", user.id)
      .where("revoked_at", "is", null)
      .execute();
    return {
      ok: true,
      message: `${email} n’a plus accès à l’espace Département${NNBSP}; ses sessions sont fermées.`,
    };
  });
}
