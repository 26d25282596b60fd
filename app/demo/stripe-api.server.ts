/**
 * A stand-in for the Stripe API, at the HTTP boundary (msw 2). The real
 * stripe-node SDK talks to it in demo mode (`npm start` without keys) and in
 * tests. It keeps Checkout Sessions, PaymentIntents, refunds, transfers and
 * accounts, honours Idempotency-Key like Stripe (same key → same answer, no
 * second object), and builds the events Stripe would send; `deliverEvent`
 * (stripe-webhooks.server.ts) signs and posts them to the platform's real
 * webhook endpoint.
 *
 * Like the real Stripe, its state outlives a process and is shared by every
 * process of the platform: the server that created a Checkout Session and
 * `npm run settle` or `npm run campaign:cancel` run beside it. See « Shared
 * state » below.
 *
 * Only what the platform uses is implemented; anything else answers 404 like an
 * unknown Stripe route, so a new call cannot silently succeed.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
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
  return text ? qs.parse(text, { depth: 10, arrayLimit: 100 }) : {};
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

// ---------------------------------------------------------------------------
// Shared state.
//
// The state lives in an append-only JSON-lines file, one record per line: every request
// received, every object as it stands after each change (Checkout Session with its
// PaymentIntent data, PaymentIntent, refund, transfer, account) and every idempotent answer.
// Each line is written with a single append (O_APPEND), so lines of concurrent processes
// never interleave. Before answering a request — and before payCheckout() and the other
// demo actions — a process reads the lines appended since its last read, by itself (skipped:
// already applied, they carry its writer id) or by any other process (applied: the latest
// snapshot of an object wins). What one operation changed goes in ONE line: a keyed answer
// with the objects it created, or a session paid with its PaymentIntent, so that a killed
// process leaves either both or neither.
//
// Which file: STRIPE_MOCK_STATE_FILE if set (`:memory:` keeps the state in memory only);
// otherwise, in demo mode, `demo-stripe.jsonl` in the database's folder (data/ by default),
// so that every process on the same data sees the same Stripe; with DATABASE_URL,
// beside the demo outbox. In memory only under a test runner (NODE_ENV=test: each test file
// has its own stand-in, emptied by stripeMock.reset()), with DATABASE_PATH=:memory:, or
// with a real Stripe key (the stand-in then answers nothing).

const STATE_FILE_NAME = "demo-stripe.jsonl";

function resolveStateFile(): string | null {
  const explicit = process.env.STRIPE_MOCK_STATE_FILE;
  if (explicit) return explicit === ":memory:" ? null : explicit;
  if (process.env.NODE_ENV === "test" || process.env.STRIPE_SECRET_KEY) return null;
  if (process.env.DATABASE_URL) {
    return path.join(path.dirname(process.env.DEMO_OUTBOX_PATH || "data/demo-outbox.jsonl"), STATE_FILE_NAME);
  }
  const database = process.env.DATABASE_PATH || "data/propulsons.sqlite";
  if (database === ":memory:" || database.startsWith("file:")) return null;
  return path.join(path.dirname(database), STATE_FILE_NAME);
}

/** This process's lines (already applied when written) are recognised by this id. */
const WRITER = crypto.randomBytes(6).toString("hex");

const store = {
  resolved: false,
  file: null as string | null,
  /** bytes of the file already read */
  offset: 0,
  /** the changes of the operation under way (one line at its end), null outside one */
  changes: null as Map<string, Obj> | null,
};

function stateFile(): string | null {
  if (!store.resolved) {
    store.file = resolveStateFile();
    store.resolved = true;
  }
  return store.file;
}

function appendLine(record: Obj): void {
  const file = stateFile();
  if (!file) return;
  if (store.offset === 0) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // `type` first: a torn line is recovered from the next `{"type":` (see parseLine).
  fs.appendFileSync(file, JSON.stringify({ type: record.type, ...record, by: WRITER }) + "\n");
}

/** A line, or the record after a line cut short by a killed process (its remains precede it). */
function parseLine(line: string): Obj | null {
  for (let at = 0; at >= 0; at = line.indexOf('{"type":', at + 1)) {
    try {
      return JSON.parse(at === 0 ? line : line.slice(at)) as Obj;
    } catch {
      // try the next record start
    }
  }
  return null;
}

function clearObjects(): void {
  state.sessions.clear();
  state.paymentIntents.clear();
  state.intentData.clear();
  state.idempotent.clear();
  state.requests.length = 0;
  state.refunds.clear();
  state.transfers.clear();
  state.accounts.clear();
}

/** Apply the lines other processes (or earlier lives of this one) appended since the last read. */
function sync(): void {
  const file = stateFile();
  if (!file) return;
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size < store.offset) {
      // The file was removed or emptied (a fresh demo): forget what it held.
      clearObjects();
      store.offset = 0;
    }
    if (size === store.offset) return;
    const buffer = Buffer.alloc(size - store.offset);
    const read = fs.readSync(fd, buffer, 0, buffer.length, store.offset);
    const end = buffer.subarray(0, read).lastIndexOf(0x0a);
    if (end < 0) return; // only the start of a line being written
    store.offset += end + 1;
    for (const line of buffer.subarray(0, end).toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      const record = parseLine(line);
      if (record && record.by !== WRITER) applyRecord(record);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function applyRecord(r: Obj): void {
  switch (r.type) {
    case "request":
      state.requests.push(r.request as RecordedRequest);
      break;
    case "session": {
      const session = r.session as MockSession;
      state.sessions.set(session.id, session);
      if (r.intent_data)
        state.intentData.set(
          session.id,
          r.intent_data as { metadata: Record<string, string>; transfer_group: string | null },
        );
      break;
    }
    case "payment_intent": {
      const pi = r.payment_intent as MockPaymentIntent;
      state.paymentIntents.set(pi.id, pi);
      break;
    }
    case "account":
      state.accounts.set(String(r.id), { payouts_enabled: Boolean(r.payouts_enabled) });
      break;
    case "refund":
      state.refunds.set(String((r.refund as MockRefund).id), r.refund as MockRefund);
      break;
    case "transfer":
      state.transfers.set(String((r.transfer as MockTransfer).id), r.transfer as MockTransfer);
      break;
    case "idempotent": {
      const result = r.result as { status: number; body: Obj };
      state.idempotent.set(String(r.key), result);
      if (!Array.isArray(r.also)) {
        // Written before objects were stored with their answer: the answer is the object.
        if (result.body?.object === "refund")
          state.refunds.set(String(result.body.id), structuredClone(result.body) as MockRefund);
        if (result.body?.object === "transfer")
          state.transfers.set(String(result.body.id), structuredClone(result.body) as MockTransfer);
      }
      break;
    }
  }
  if (Array.isArray(r.also)) for (const other of r.also as Obj[]) applyRecord(other);
}

/** Record a change: in the line of the operation under way, or in a line of its own. */
function changed(kind: "session" | "payment_intent" | "refund" | "transfer" | "account", id: string): void {
  if (!stateFile()) return;
  const changes = store.changes ?? new Map<string, Obj>();
  changes.set(`${kind}:${id}`, { kind, id });
  if (!store.changes) writeChanges(changes);
}

/** The records of changed objects as they stand now (refunds and transfers first: tests/support/stripe-log.ts reads a line's `type`). */
function changeRecords(changes: Map<string, Obj>): Obj[] {
  const order = ["refund", "transfer", "payment_intent", "session", "account"];
  return [...changes.values()]
    .sort((a, b) => order.indexOf(String(a.kind)) - order.indexOf(String(b.kind)))
    .map(({ kind, id }) => {
      const key = String(id);
      switch (kind) {
        case "session":
          return {
            type: "session",
            session: state.sessions.get(key),
            intent_data: state.intentData.get(key) ?? null,
          };
        case "payment_intent":
          return { type: "payment_intent", payment_intent: state.paymentIntents.get(key) };
        case "refund":
          return { type: "refund", refund: state.refunds.get(key) };
        case "transfer":
          return { type: "transfer", transfer: state.transfers.get(key) };
        default:
          return {
            type: "account",
            id: key,
            payouts_enabled: state.accounts.get(key)?.payouts_enabled ?? true,
          };
      }
    });
}

function writeChanges(
  changes: Map<string, Obj>,
  answer?: { key: string; result: { status: number; body: unknown } },
): void {
  const records = changeRecords(changes);
  if (answer) {
    // One line holds the answer and the objects it created: a kill cannot split them.
    appendLine({ type: "idempotent", key: answer.key, result: answer.result, also: records });
    return;
  }
  const [first, ...rest] = records;
  if (first) appendLine(rest.length > 0 ? { ...first, also: rest } : first);
}

/**
 * Run one operation on up-to-date state; what it changed is written in one line at its end,
 * with the idempotent answer `answerKey(result)` names, if any. Synchronous: no other request
 * of this process runs between the read and the write.
 */
function operation<T>(fn: () => T, answerKey?: (result: T) => string | null): T {
  sync();
  if (!stateFile()) return fn();
  const outer = store.changes;
  const changes = outer ?? new Map<string, Obj>();
  store.changes = changes;
  let result: T;
  try {
    result = fn();
  } finally {
    store.changes = outer;
  }
  if (outer) return result; // nested: the outer operation writes
  const key = answerKey?.(result) ?? null;
  if (key) writeChanges(changes, { key, result: state.idempotent.get(key)! });
  else if (changes.size > 0) writeChanges(changes);
  return result;
}

function persistRequest(recorded: RecordedRequest): void {
  appendLine({ type: "request", request: recorded });
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
    sync();
    state.requests.push(recorded);
    persistRequest(recorded);
    // Stripe counts a request when it arrives; the answer comes back after the latency.
    const limited = rateLimited(pathname);
    if (state.limits) await sleep(state.limits.latencyMs);
    if (limited) {
      return stripeError(
        429,
        "Too many requests hit the API too quickly (mock of Stripe's rate limits).",
        "rate_limit_error",
      );
    }
    const failure = state.failures.find((f) => !f.path || f.path.test(pathname));
    if (failure) {
      state.failures.splice(state.failures.indexOf(failure), 1);
      return stripeError(
        failure.status,
        "Injected failure (mock)",
        failure.status === 429 ? "rate_limit_error" : "api_error",
      );
    }
    // Up to date with every process, then answer and write in one go.
    const answer = operation(
      () => {
        if (!key) return { result: handler(body, request), replayed: false, cacheKey: null };
        const cacheKey = `${path}:${key}`;
        const previous = state.idempotent.get(cacheKey);
        if (previous) return { result: previous, replayed: true, cacheKey: null };
        const result = handler(body, request);
        if (result.status >= 500) return { result, replayed: false, cacheKey: null };
        // Stripe replays the first answer as it was, not the object as it is now.
        state.idempotent.set(cacheKey, { status: result.status, body: structuredClone(result.body) });
        return { result, replayed: false, cacheKey };
      },
      (a) => a.cacheKey,
    );
    const headers = answer.replayed ? { "idempotent-replayed": "true" } : undefined;
    return HttpResponse.json(answer.result.body as Obj, { status: answer.result.status, headers });
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
  if (body.mode !== "payment")
    return {
      status: 400,
      body: { error: { type: "invalid_request_error", message: "mode must be payment", param: "mode" } },
    };
  if (!successUrl || !cancelUrl)
    return {
      status: 400,
      body: { error: { type: "invalid_request_error", message: "Missing success_url/cancel_url" } },
    };
  const items = Array.isArray(body.line_items) ? (body.line_items as Obj[]) : [];
  let amount = 0;
  let currency = "eur";
  for (const item of items) {
    const priceData = (item.price_data ?? {}) as Obj;
    const unit = Number(priceData.unit_amount);
    const quantity = Number(item.quantity ?? 1);
    if (!Number.isSafeInteger(unit) || unit <= 0) {
      return {
        status: 400,
        body: {
          error: { type: "invalid_request_error", message: "Invalid unit_amount", param: "line_items" },
        },
      };
    }
    currency = str(priceData.currency) ?? currency;
    amount += unit * quantity;
  }
  if (amount <= 0)
    return {
      status: 400,
      body: { error: { type: "invalid_request_error", message: "line_items required" } },
    };
  const expiresAt = body.expires_at ? Number(body.expires_at) : now() + 24 * 3600;
  if (expiresAt < now() + 30 * 60 - 5 || expiresAt > now() + 24 * 3600 + 5) {
    return {
      status: 400,
      body: {
        error: {
          type: "invalid_request_error",
          message: "expires_at must be 30 minutes to 24 hours away",
          param: "expires_at",
        },
      },
    };
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
  changed("session", id);
  return { status: 200, body: session };
}

function error400(message: string, code?: string, param?: string) {
  return {
    status: 400,
    body: {
      error: {
        type: "invalid_request_error",
        message,
        ...(code ? { code } : {}),
        ...(param ? { param } : {}),
      },
    },
  };
}

/**
 * Payments made before the stand-in's state began. The demo data (db/seed/seed.ts) and some
 * test fixtures record paid contributions with `pi_seed_…` PaymentIntent ids that no Checkout
 * Session here ever created. The stand-in treats such an id as a PaymentIntent that succeeded
 * earlier, for the amount of the first refund asked for it (the platform refunds in full), and
 * from then on stores and checks it like any other: a second refund beyond that amount is
 * refused as Stripe would. Any other unknown id is « No such payment_intent ».
 */
const PREEXISTING_PAYMENT = /^pi_seed_[A-Za-z0-9_]+$/;

function preexistingPayment(id: string, amount: number): MockPaymentIntent | undefined {
  if (!PREEXISTING_PAYMENT.test(id) || !Number.isSafeInteger(amount) || amount <= 0) return undefined;
  const pi: MockPaymentIntent = {
    id,
    object: "payment_intent",
    amount,
    currency: "eur",
    status: "succeeded",
    metadata: {},
    transfer_group: null,
    latest_charge: `ch_seed_${id.slice("pi_seed_".length)}`,
    last_payment_error: null,
  };
  state.paymentIntents.set(id, pi);
  changed("payment_intent", id);
  return pi;
}

function createRefund(body: Obj): { status: number; body: unknown } {
  const paymentIntent = str(body.payment_intent);
  if (!paymentIntent) return error400("Missing payment_intent", undefined, "payment_intent");
  const requested = body.amount !== undefined ? Number(body.amount) : NaN;
  const pi = state.paymentIntents.get(paymentIntent) ?? preexistingPayment(paymentIntent, requested);
  if (!pi)
    return {
      status: 404,
      body: {
        error: {
          type: "invalid_request_error",
          message: `No such payment_intent: '${paymentIntent}'`,
          code: "resource_missing",
        },
      },
    };
  if (pi.status !== "succeeded")
    return error400("This PaymentIntent has no successful charge to refund.", "charge_not_refundable");
  const already = [...state.refunds.values()].filter(
    (r) => r.payment_intent === paymentIntent && r.status !== "failed",
  );
  const amount = body.amount !== undefined ? requested : pi.amount;
  if (!Number.isSafeInteger(amount) || amount <= 0) return error400("Invalid amount", undefined, "amount");
  if (already.reduce((sum, r) => sum + r.amount, 0) + amount > pi.amount) {
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
  changed("refund", refund.id);
  return { status: 200, body: refund };
}

function createTransfer(body: Obj): { status: number; body: unknown } {
  const destination = str(body.destination);
  const amount = Number(body.amount);
  if (!destination?.startsWith("acct_")) return error400("Invalid destination", undefined, "destination");
  if (!Number.isSafeInteger(amount) || amount <= 0) return error400("Invalid amount", undefined, "amount");
  if (state.accounts.get(destination)?.payouts_enabled === false) {
    return error400(
      "The destination account cannot receive transfers yet.",
      "account_invalid",
      "destination",
    );
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
  changed("transfer", transfer.id);
  return { status: 200, body: transfer };
}

export const stripeHandlers = [
  http.post(
    `${API}/v1/checkout/sessions`,
    idempotent("POST /v1/checkout/sessions", (body) => createSession(body)),
  ),
  http.get(`${API}/v1/checkout/sessions/:id`, ({ params, request }) => {
    sync();
    state.requests.push({
      method: "GET",
      path: new URL(request.url).pathname,
      idempotencyKey: null,
      body: {},
    });
    const session = state.sessions.get(String(params.id));
    return session
      ? HttpResponse.json(session)
      : stripeError(
          404,
          `No such checkout.session: '${String(params.id)}'`,
          "invalid_request_error",
          "session",
        );
  }),
  http.post(`${API}/v1/checkout/sessions/:id/expire`, ({ params, request }) => {
    const id = String(params.id);
    const recorded: RecordedRequest = {
      method: "POST",
      path: new URL(request.url).pathname,
      idempotencyKey: request.headers.get("idempotency-key"),
      body: {},
    };
    sync();
    state.requests.push(recorded);
    persistRequest(recorded);
    // Expired by another process (the CLI cancelling a campaign) or by this one: shared either way.
    return operation(() => {
      const session = state.sessions.get(id);
      if (!session) return stripeError(404, `No such checkout.session: '${id}'`);
      if (session.status !== "open")
        return stripeError(400, "Only Checkout Sessions with a status of open can be expired.");
      session.status = "expired";
      session.url = null;
      changed("session", id);
      return HttpResponse.json(session);
    });
  }),
  http.get(`${API}/v1/payment_intents/:id`, ({ params }) => {
    sync();
    const pi = state.paymentIntents.get(String(params.id));
    return pi ? HttpResponse.json(pi) : stripeError(404, `No such payment_intent: '${String(params.id)}'`);
  }),
  http.post(
    `${API}/v1/refunds`,
    idempotent("POST /v1/refunds", (body) => createRefund(body)),
  ),
  http.post(
    `${API}/v1/transfers`,
    idempotent("POST /v1/transfers", (body) => createTransfer(body)),
  ),
  http.post(
    `${API}/v1/accounts`,
    idempotent("POST /v1/accounts", (body) => {
      if (body.type !== "express") return error400("Only express accounts are mocked", undefined, "type");
      const id = randomId("acct");
      state.accounts.set(id, { payouts_enabled: false });
      changed("account", id);
      return {
        status: 200,
        body: {
          id,
          object: "account",
          type: "express",
          email: str(body.email),
          charges_enabled: false,
          payouts_enabled: false,
          details_submitted: false,
          capabilities: { transfers: "inactive" },
        },
      };
    }),
  ),
  http.post(
    `${API}/v1/account_links`,
    idempotent("POST /v1/account_links", (body) => {
      const account = str(body.account);
      const returnUrl = str(body.return_url);
      const refreshUrl = str(body.refresh_url);
      if (!account?.startsWith("acct_") || !returnUrl || !refreshUrl)
        return error400("account, return_url and refresh_url are required");
      // Stripe's hosted onboarding: in demo mode, a local page of the platform.
      const url = `${new URL(returnUrl).origin}/demo/onboarding/${account}?${new URLSearchParams({ retour: returnUrl, relance: refreshUrl })}`;
      return { status: 200, body: { object: "account_link", url, created: now(), expires_at: now() + 300 } };
    }),
  ),
  http.get(`${API}/v1/accounts/:id`, async ({ params, request }) => {
    const id = String(params.id);
    state.requests.push({
      method: "GET",
      path: new URL(request.url).pathname,
      idempotencyKey: null,
      body: {},
    });
    if (state.limits) await sleep(state.limits.latencyMs);
    sync();
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
  http.all(`${API}/*`, ({ request }) =>
    stripeError(
      404,
      `Unrecognized request URL (${request.method}: ${new URL(request.url).pathname}) — the demo stand-in answers only the calls the platform makes`,
    ),
  ),
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

/** The session and its PaymentIntent changed (written together by the operation). */
function touched(session: MockSession): void {
  changed("session", session.id);
  if (session.payment_intent) changed("payment_intent", session.payment_intent);
}

/** The citizen pays by card on the (demo) hosted page. */
export function payCheckout(sessionId: string): MockEvent[] {
  return operation(() => {
    const session = openSession(sessionId);
    if (session.status !== "open") throw new Error(`session ${sessionId} is ${session.status}`);
    const pi = intentFor(session);
    pi.status = "succeeded";
    pi.latest_charge = randomId("ch");
    pi.last_payment_error = null;
    session.status = "complete";
    session.payment_status = "paid";
    touched(session);
    return [makeEvent("payment_intent.succeeded", pi), makeEvent("checkout.session.completed", session)];
  });
}

/** A declined card: the PaymentIntent fails, the session stays open for another try. */
export function declineCheckout(sessionId: string): MockEvent[] {
  return operation(() => {
    const session = openSession(sessionId);
    if (session.status !== "open") throw new Error(`session ${sessionId} is ${session.status}`);
    const pi = intentFor(session);
    pi.status = "requires_payment_method";
    pi.last_payment_error = {
      code: "card_declined",
      decline_code: "generic_decline",
      message: "Your card was declined.",
    };
    touched(session);
    return [makeEvent("payment_intent.payment_failed", pi)];
  });
}

/** The citizen leaves (or the session reaches expires_at). */
export function expireCheckout(sessionId: string): MockEvent[] {
  return operation(() => {
    const session = openSession(sessionId);
    if (session.status !== "open") throw new Error(`session ${sessionId} is ${session.status}`);
    session.status = "expired";
    session.url = null;
    touched(session);
    return [makeEvent("checkout.session.expired", session)];
  });
}

/** The holder finishes Stripe's onboarding (demo page): the account can now receive transfers. */
export function completeOnboarding(accountId: string): MockEvent[] {
  operation(() => {
    state.accounts.set(accountId, { payouts_enabled: true });
    changed("account", accountId);
  });
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
  return operation(() => {
    const session = openSession(sessionId);
    const pi = intentFor(session);
    pi.status = "processing";
    session.status = "complete";
    session.payment_status = "unpaid";
    touched(session);
    return [makeEvent("checkout.session.completed", session)];
  });
}

export function settleAsyncPayment(sessionId: string, outcome: "succeeded" | "failed"): MockEvent[] {
  return operation(() => {
    const session = openSession(sessionId);
    const pi = intentFor(session);
    if (outcome === "succeeded") {
      pi.status = "succeeded";
      pi.latest_charge = randomId("ch");
      session.payment_status = "paid";
      touched(session);
      return [makeEvent("checkout.session.async_payment_succeeded", session)];
    }
    pi.status = "requires_payment_method";
    touched(session);
    return [makeEvent("checkout.session.async_payment_failed", session)];
  });
}

// ---------------------------------------------------------------------------
// For tests.

export const stripeMock = {
  session: (id: string) => (sync(), state.sessions.get(id)),
  sessions: () => (sync(), [...state.sessions.values()]),
  requests: () => (sync(), [...state.requests]),
  refunds: () => (sync(), [...state.refunds.values()]),
  transfers: () => (sync(), [...state.transfers.values()]),
  /** the file the state is shared through, null when it is in memory only */
  stateFile: () => stateFile(),
  /** a connected account's readiness to receive transfers */
  setAccount(id: string, payoutsEnabled: boolean) {
    operation(() => {
      state.accounts.set(id, { payouts_enabled: payoutsEnabled });
      changed("account", id);
    });
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
  /** forget everything (and, with a state file, what it held so far) */
  reset() {
    clearObjects();
    const file = stateFile();
    store.offset = file && fs.existsSync(file) ? fs.statSync(file).size : 0;
    state.failures.length = 0;
    state.refundOutcome = () => "succeeded";
    state.limits = null;
    state.windows.clear();
  },
};

// Environment switches for child processes (benchmarks, crash tests).
if (process.env.STRIPE_MOCK_LIVE_LIMITS === "1")
  stripeMock.setLimits({ perEndpoint: 25, overall: 100, latencyMs: 50 });
