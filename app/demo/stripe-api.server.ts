/**
 * A stand-in for the Stripe API, at the HTTP boundary (msw 2). The real
 * stripe-node SDK talks to it in demo mode (`npm start` without keys) and in
 * tests. It keeps Checkout Sessions and PaymentIntents in memory, honours
 * Idempotency-Key like Stripe (same key → same answer, no second object), and
 * builds the events Stripe would send; `deliverEvent` (stripe-webhooks.ts)
 * signs and posts them to the platform's real webhook endpoint.
 *
 * Only what the platform uses is implemented; anything else answers 404 like an
 * unknown Stripe route, so a new call cannot silently succeed.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { http, HttpResponse } from "msw";
import qs from "qs";

const API = "https://api.stripe.com";

type Obj = Record<string, unknown>;

export interface MockSession extends Obj {
  id: string;
  object: "checkout.session";
  status: "open" | "complete" | "expired";
  payment_status: "unpaid" | "paid" | "no_payment_required";
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  customer_email: string | null;
  metadata: Record<string, string>;
  payment_intent: string | null;
  url: string | null;
  success_url: string;
  cancel_url: string;
  expires_at: number;
  created: number;
  mode: "payment";
  livemode: false;
}

export interface MockPaymentIntent extends Obj {
  id: string;
  object: "payment_intent";
  amount: number;
  currency: string;
  status: "requires_payment_method" | "processing" | "succeeded";
  metadata: Record<string, string>;
  transfer_group: string | null;
  latest_charge: string | null;
  last_payment_error: { code: string; message: string; decline_code?: string } | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  body: Obj;
}

const state = {
  sessions: new Map<string, MockSession>(),
  paymentIntents: new Map<string, MockPaymentIntent>(),
  /** payment intent data given at session creation, used when the session is paid */
  intentData: new Map<string, { metadata: Record<string, string>; transfer_group: string | null }>(),
  idempotent: new Map<string, { status: number; body: unknown }>(),
  requests: [] as RecordedRequest[],
  failures: [] as Array<{ status: number; path?: RegExp }>,
  refunds: new Map<string, MockRefund>(),
  transfers: new Map<string, MockTransfer>(),
  /** connected accounts whose state a test set; any other acct_… is ready */
  accounts: new Map<string, { payouts_enabled: boolean }>(),
  /** what the next refunds end as (default: succeeded at once) */
  refundOutcome: (() => "succeeded") as (paymentIntent: string) => "succeeded" | "pending" | "failed",
  limits: null as null | { perEndpoint: number; overall: number; latencyMs: number },
  windows: new Map<string, number[]>(),
  stateFile: process.env.STRIPE_MOCK_STATE_FILE || null,
};

export interface MockRefund extends Obj {
  id: string;
  object: "refund";
  amount: number;
  currency: string;
  payment_intent: string;
  status: "succeeded" | "pending" | "failed";
  metadata: Record<string, string>;
}

export interface MockTransfer extends Obj {
  id: string;
  object: "transfer";
  amount: number;
  currency: string;
  destination: string;
  transfer_group: string | null;
  metadata: Record<string, string>;
}

export function randomId(prefix: string): string {
  return `${prefix}_${crypto.randomBytes(12).toString("hex")}`;
}

const now = () => Math.floor(Date.now() / 1000);

function stripeError(status: number, message: string, type = "invalid_request_error", param?: string) {
  return HttpResponse.json({ error: { type, message, ...(param ? { param } : {}) } }, { status });
}

async function parseBody(request: Request): Promise<Obj> {
  const text = await request.text();
  return text ? (qs.parse(text, { depth: 10, arrayLimit: 100 }) as Obj) : {};
}

/** Stripe's documented live-mode limits, optionally simulated (bench:settle). */
function rateLimited(path: string): boolean {
  const limits = state.limits;
  if (!limits) return false;
  const now = Date.now();
  const endpoint = path.replace(/\/(cs|pi|re|tr|acct|ch)_[A-Za-z0-9_]+/g, "/:id");
  const hit = (key: string, max: number) => {
    const window = (state.windows.get(key) ?? []).filter((t) => now - t < 1000);
    state.windows.set(key, window);
    return window.length >= max;
  };
  if (hit("*", limits.overall) || hit(endpoint, limits.perEndpoint)) return true;
  state.windows.get("*")!.push(now);
  state.windows.get(endpoint)!.push(now);
  return false;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Append a record to the state file (crash tests: the mock outlives the process it runs in). */
function persist(record: Obj): void {
  if (state.stateFile) fs.appendFileSync(state.stateFile, JSON.stringify(record) + "\n");
}

/** Objects created by a request without an idempotency key get their own record. */
let currentRequestKeyed = false;
function persistUnlessKeyed(record: Obj): void {
  if (!currentRequestKeyed) persist(record);
}

function loadState(): void {
  if (!state.stateFile || !fs.existsSync(state.stateFile)) return;
  for (const line of fs.readFileSync(state.stateFile, "utf8").split("\n")) {
    if (!line.trim()) continue;
    let r: Obj;
    try {
      r = JSON.parse(line) as Obj;
    } catch {
      continue; // a line cut short by a kill
    }
    if (r.type === "request") state.requests.push(r.request as RecordedRequest);
    if (r.type === "idempotent") {
      const result = r.result as { status: number; body: Obj };
      state.idempotent.set(String(r.key), result);
      if (result.body?.object === "refund") state.refunds.set(String(result.body.id), result.body as MockRefund);
      if (result.body?.object === "transfer") state.transfers.set(String(result.body.id), result.body as MockTransfer);
    }
    if (r.type === "refund") state.refunds.set(String((r.refund as MockRefund).id), r.refund as MockRefund);
    if (r.type === "transfer") state.transfers.set(String((r.transfer as MockTransfer).id), r.transfer as MockTransfer);
  }
}

/** Answer like Stripe for a repeated Idempotency-Key; record every request. */
function idempotent(
  path: string,
  handler: (body: Obj, request: Request) => { status: number; body: unknown },
): Parameters<typeof http.post>[1] {
  return async ({ request }) => {
    const key = request.headers.get("idempotency-key");
    const body = await parseBody(request);
    const pathname = new URL(request.url).pathname;
    const recorded: RecordedRequest = { method: request.method, path: pathname, idempotencyKey: key, body };
    state.requests.push(recorded);
    persist({ type: "request", request: recorded });
    // Stripe counts a request when it arrives; the answer comes back after the latency.
    const limited = rateLimited(pathname);
    if (state.limits) await sleep(state.limits.latencyMs);
    if (limited) {
      return stripeError(429, "Too many requests hit the API too quickly (mock of Stripe's rate limits).", "rate_limit_error");
    }
    const failure = state.failures.find((f) => !f.path || f.path.test(pathname));
    if (failure) {
      state.failures.splice(state.failures.indexOf(failure), 1);
      return stripeError(failure.status, "Injected failure (mock)", failure.status === 429 ? "rate_limit_error" : "api_error");
    }
    if (key) {
      const cacheKey = `${path}:${key}`;
      const previous = state.idempotent.get(cacheKey);
      if (previous) return HttpResponse.json(previous.body as Obj, { status: previous.status, headers: { "idempotent-replayed": "true" } });
      currentRequestKeyed = true;
      const result = handler(body, request);
      currentRequestKeyed = false;
      if (result.status < 500) {
        state.idempotent.set(cacheKey, result);
        // One line holds the answer and the object it created: a kill cannot split them.
        persist({ type: "idempotent", key: cacheKey, result });
      }
      return HttpResponse.json(result.body as Obj, { status: result.status });
    }
    const result = handler(body, request);
    return HttpResponse.json(result.body as Obj, { status: result.status });
  };
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) out[k] = String(v);
  return out;
}

function createSession(body: Obj): { status: number; body: unknown } {
  const successUrl = str(body.success_url);
  const cancelUrl = str(body.cancel_url);
  if (body.mode !== "payment") return { status: 400, body: { error: { type: "invalid_request_error", message: "mode must be payment", param: "mode" } } };
  if (!successUrl || !cancelUrl) return { status: 400, body: { error: { type: "invalid_request_error", message: "Missing success_url/cancel_url" } } };
  const items = Array.isArray(body.line_items) ? (body.line_items as Obj[]) : [];
  let amount = 0;
  let currency = "eur";
  for (const item of items) {
    const priceData = (item.price_data ?? {}) as Obj;
    const unit = Number(priceData.unit_amount);
    const quantity = Number(item.quantity ?? 1);
    if (!Number.isSafeInteger(unit) || unit <= 0) {
      return { status: 400, body: { error: { type: "invalid_request_error", message: "Invalid unit_amount", param: "line_items" } } };
    }
    currency = str(priceData.currency) ?? currency;
    amount += unit * quantity;
  }
  if (amount <= 0) return { status: 400, body: { error: { type: "invalid_request_error", message: "line_items required" } } };
  const expiresAt = body.expires_at ? Number(body.expires_at) : now() + 24 * 3600;
  if (expiresAt < now() + 30 * 60 - 5 || expiresAt > now() + 24 * 3600 + 5) {
    return { status: 400, body: { error: { type: "invalid_request_error", message: "expires_at must be 30 minutes to 24 hours away", param: "expires_at" } } };
  }
  const id = randomId("cs_test");
  const session: MockSession = {
    id,
    object: "checkout.session",
    status: "open",
    payment_status: "unpaid",
    amount_total: amount,
    currency,
    client_reference_id: str(body.client_reference_id),
    customer_email: str(body.customer_email),
    metadata: stringRecord(body.metadata),
    payment_intent: null,
    // Checkout's hosted page: in demo mode, a local page of the platform.
    url: `${new URL(successUrl).origin}/demo/checkout/${id}`,
    success_url: successUrl,
    cancel_url: cancelUrl,
    expires_at: expiresAt,
    created: now(),
    mode: "payment",
    livemode: false,
  };
  const pid = (body.payment_intent_data ?? {}) as Obj;
  state.sessions.set(id, session);
  state.intentData.set(id, { metadata: stringRecord(pid.metadata), transfer_group: str(pid.transfer_group) });
  return { status: 200, body: session };
}

function error400(message: string, code?: string, param?: string) {
  return { status: 400, body: { error: { type: "invalid_request_error", message, ...(code ? { code } : {}), ...(param ? { param } : {}) } } };
}

function createRefund(body: Obj): { status: number; body: unknown } {
  const paymentIntent = str(body.payment_intent);
  if (!paymentIntent) return error400("Missing payment_intent", undefined, "payment_intent");
  const pi = state.paymentIntents.get(paymentIntent);
  // Seeded demo contributions carry pi_seed_… ids that this in-memory Stripe never saw: accept them.
  const known = pi !== undefined || paymentIntent.startsWith("pi_seed_");
  if (!known) return { status: 404, body: { error: { type: "invalid_request_error", message: `No such payment_intent: '${paymentIntent}'`, code: "resource_missing" } } };
  if (pi && pi.status !== "succeeded") return error400("This PaymentIntent has no successful charge to refund.", "charge_not_refundable");
  const already = [...state.refunds.values()].filter((r) => r.payment_intent === paymentIntent && r.status !== "failed");
  const amount = body.amount !== undefined ? Number(body.amount) : (pi?.amount ?? NaN);
  if (!Number.isSafeInteger(amount) || amount <= 0) return error400("Invalid amount", undefined, "amount");
  if (pi && already.reduce((sum, r) => sum + r.amount, 0) + amount > pi.amount) {
    return error400(`Charge for ${paymentIntent} has already been refunded.`, "charge_already_refunded");
  }
  const refund: MockRefund = {
    id: randomId("re"),
    object: "refund",
    amount,
    currency: "eur",
    payment_intent: paymentIntent,
    status: state.refundOutcome(paymentIntent),
    metadata: stringRecord(body.metadata),
  };
  state.refunds.set(refund.id, refund);
  persistUnlessKeyed({ type: "refund", refund });
  return { status: 200, body: refund };
}

function createTransfer(body: Obj): { status: number; body: unknown } {
  const destination = str(body.destination);
  const amount = Number(body.amount);
  if (!destination?.startsWith("acct_")) return error400("Invalid destination", undefined, "destination");
  if (!Number.isSafeInteger(amount) || amount <= 0) return error400("Invalid amount", undefined, "amount");
  if (state.accounts.get(destination)?.payouts_enabled === false) {
    return error400("The destination account cannot receive transfers yet.", "account_invalid", "destination");
  }
  const transfer: MockTransfer = {
    id: randomId("tr"),
    object: "transfer",
    amount,
    currency: str(body.currency) ?? "eur",
    destination,
    transfer_group: str(body.transfer_group),
    metadata: stringRecord(body.metadata),
  };
  state.transfers.set(transfer.id, transfer);
  persistUnlessKeyed({ type: "transfer", transfer });
  return { status: 200, body: transfer };
}

export const stripeHandlers = [
  http.post(`${API}/v1/checkout/sessions`, idempotent("POST /v1/checkout/sessions", (body) => createSession(body))),
  http.get(`${API}/v1/checkout/sessions/:id`, ({ params, request }) => {
    state.requests.push({ method: "GET", path: new URL(request.url).pathname, idempotencyKey: null, body: {} });
    const session = state.sessions.get(String(params.id));
    return session ? HttpResponse.json(session) : stripeError(404, `No such checkout.session: '${String(params.id)}'`, "invalid_request_error", "session");
  }),
  http.post(`${API}/v1/checkout/sessions/:id/expire`, ({ params, request }) => {
    const id = String(params.id);
    state.requests.push({ method: "POST", path: new URL(request.url).pathname, idempotencyKey: request.headers.get("idempotency-key"), body: {} });
    const session = state.sessions.get(id);
    if (!session) return stripeError(404, `No such checkout.session: '${id}'`);
    if (session.status !== "open") return stripeError(400, "Only Checkout Sessions with a status of open can be expired.");
    session.status = "expired";
    session.url = null;
    return HttpResponse.json(session);
  }),
  http.get(`${API}/v1/payment_intents/:id`, ({ params }) => {
    const pi = state.paymentIntents.get(String(params.id));
    return pi ? HttpResponse.json(pi) : stripeError(404, `No such payment_intent: '${String(params.id)}'`);
  }),
  http.post(`${API}/v1/refunds`, idempotent("POST /v1/refunds", (body) => createRefund(body))),
  http.post(`${API}/v1/transfers`, idempotent("POST /v1/transfers", (body) => createTransfer(body))),
  http.post(`${API}/v1/accounts`, idempotent("POST /v1/accounts", (body) => {
    if (body.type !== "express") return error400("Only express accounts are mocked", undefined, "type");
    const id = randomId("acct");
    state.accounts.set(id, { payouts_enabled: false });
    return { status: 200, body: { id, object: "account", type: "express", email: str(body.email), charges_enabled: false, payouts_enabled: false, details_submitted: false, capabilities: { transfers: "inactive" } } };
  })),
  http.post(`${API}/v1/account_links`, idempotent("POST /v1/account_links", (body) => {
    const account = str(body.account);
    const returnUrl = str(body.return_url);
    const refreshUrl = str(body.refresh_url);
    if (!account?.startsWith("acct_") || !returnUrl || !refreshUrl) return error400("account, return_url and refresh_url are required");
    // Stripe's hosted onboarding: in demo mode, a local page of the platform.
    const url = `${new URL(returnUrl).origin}/demo/onboarding/${account}?${new URLSearchParams({ retour: returnUrl, relance: refreshUrl })}`;
    return { status: 200, body: { object: "account_link", url, created: now(), expires_at: now() + 300 } };
  })),
  http.get(`${API}/v1/accounts/:id`, async ({ params, request }) => {
    const id = String(params.id);
    state.requests.push({ method: "GET", path: new URL(request.url).pathname, idempotencyKey: null, body: {} });
    if (state.limits) await sleep(state.limits.latencyMs);
    if (!id.startsWith("acct_")) return stripeError(404, `No such account: '${id}'`);
    const ready = state.accounts.get(id)?.payouts_enabled ?? true;
    return HttpResponse.json({
      id,
      object: "account",
      type: "express",
      charges_enabled: ready,
      payouts_enabled: ready,
      details_submitted: ready,
      capabilities: { transfers: ready ? "active" : "inactive" },
    });
  }),
  http.all(`${API}/*`, ({ request }) => stripeError(404, `Unrecognized request URL (${request.method}: ${new URL(request.url).pathname}) — not implemented by the mock`)),
];

// ---------------------------------------------------------------------------
// Events, as Stripe would build them.

export interface MockEvent {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  type: string;
  livemode: false;
  pending_webhooks: number;
  request: { id: null; idempotency_key: null };
  data: { object: Obj };
}

export function makeEvent(type: string, object: Obj, created = now()): MockEvent {
  return {
    id: randomId("evt"),
    object: "event",
    api_version: "2026-10-28.endive",
    created,
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object: structuredClone(object) },
  };
}

function openSession(id: string): MockSession {
  const session = state.sessions.get(id);
  if (!session) throw new Error(`no checkout session ${id}`);
  return session;
}

function intentFor(session: MockSession): MockPaymentIntent {
  if (session.payment_intent) return state.paymentIntents.get(session.payment_intent)!;
  const data = state.intentData.get(session.id) ?? { metadata: {}, transfer_group: null };
  const pi: MockPaymentIntent = {
    id: randomId("pi"),
    object: "payment_intent",
    amount: session.amount_total,
    currency: session.currency,
    status: "requires_payment_method",
    metadata: data.metadata,
    transfer_group: data.transfer_group,
    latest_charge: null,
    last_payment_error: null,
  };
  state.paymentIntents.set(pi.id, pi);
  session.payment_intent = pi.id;
  return pi;
}

/** The citizen pays by card on the (demo) hosted page. */
export function payCheckout(sessionId: string): MockEvent[] {
  const session = openSession(sessionId);
  if (session.status !== "open") throw new Error(`session ${sessionId} is ${session.status}`);
  const pi = intentFor(session);
  pi.status = "succeeded";
  pi.latest_charge = randomId("ch");
  pi.last_payment_error = null;
  session.status = "complete";
  session.payment_status = "paid";
  return [makeEvent("payment_intent.succeeded", pi), makeEvent("checkout.session.completed", session)];
}

/** A declined card: the PaymentIntent fails, the session stays open for another try. */
export function declineCheckout(sessionId: string): MockEvent[] {
  const session = openSession(sessionId);
  if (session.status !== "open") throw new Error(`session ${sessionId} is ${session.status}`);
  const pi = intentFor(session);
  pi.status = "requires_payment_method";
  pi.last_payment_error = { code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." };
  return [makeEvent("payment_intent.payment_failed", pi)];
}

/** The citizen leaves (or the session reaches expires_at). */
export function expireCheckout(sessionId: string): MockEvent[] {
  const session = openSession(sessionId);
  if (session.status !== "open") throw new Error(`session ${sessionId} is ${session.status}`);
  session.status = "expired";
  session.url = null;
  return [makeEvent("checkout.session.expired", session)];
}

/** The holder finishes Stripe's onboarding (demo page): the account can now receive transfers. */
export function completeOnboarding(accountId: string): MockEvent[] {
  state.accounts.set(accountId, { payouts_enabled: true });
  return [
    makeEvent("account.updated", {
      id: accountId,
      object: "account",
      type: "express",
      charges_enabled: true,
      payouts_enabled: true,
      details_submitted: true,
      capabilities: { transfers: "active" },
    }),
  ];
}

/** An asynchronous method (e.g. SEPA debit): completed but unpaid, then succeeded or failed later. */
export function completeCheckoutAsync(sessionId: string): MockEvent[] {
  const session = openSession(sessionId);
  const pi = intentFor(session);
  pi.status = "processing";
  session.status = "complete";
  session.payment_status = "unpaid";
  return [makeEvent("checkout.session.completed", session)];
}

export function settleAsyncPayment(sessionId: string, outcome: "succeeded" | "failed"): MockEvent[] {
  const session = openSession(sessionId);
  const pi = intentFor(session);
  if (outcome === "succeeded") {
    pi.status = "succeeded";
    pi.latest_charge = randomId("ch");
    session.payment_status = "paid";
    return [makeEvent("checkout.session.async_payment_succeeded", session)];
  }
  pi.status = "requires_payment_method";
  return [makeEvent("checkout.session.async_payment_failed", session)];
}

// ---------------------------------------------------------------------------
// For tests.

export const stripeMock = {
  session: (id: string) => state.sessions.get(id),
  sessions: () => [...state.sessions.values()],
  requests: () => [...state.requests],
  refunds: () => [...state.refunds.values()],
  transfers: () => [...state.transfers.values()],
  /** a connected account's readiness to receive transfers */
  setAccount(id: string, payoutsEnabled: boolean) {
    state.accounts.set(id, { payouts_enabled: payoutsEnabled });
  },
  /** how the next refunds end */
  setRefundOutcome(fn: (paymentIntent: string) => "succeeded" | "pending" | "failed") {
    state.refundOutcome = fn;
  },
  /** simulate Stripe's live-mode rate limits and latency (null: off) */
  setLimits(limits: { perEndpoint: number; overall: number; latencyMs: number } | null) {
    state.limits = limits;
    state.windows.clear();
  },
  /** the next n matching requests answer `status` (e.g. 500, 429) */
  failNext(n: number, status = 500, path?: RegExp) {
    for (let i = 0; i < n; i++) state.failures.push({ status, path });
  },
  reset() {
    state.sessions.clear();
    state.paymentIntents.clear();
    state.intentData.clear();
    state.idempotent.clear();
    state.requests.length = 0;
    state.failures.length = 0;
    state.refunds.clear();
    state.transfers.clear();
    state.accounts.clear();
    state.refundOutcome = () => "succeeded";
    state.limits = null;
    state.windows.clear();
  },
};

// Environment switches for child processes (benchmarks, crash tests).
if (process.env.STRIPE_MOCK_LIVE_LIMITS === "1") stripeMock.setLimits({ perEndpoint: 25, overall: 100, latencyMs: 50 });
loadState();
