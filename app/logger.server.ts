/**
 * The one logger (pino): one JSON line per event in production, a French human-readable line in
 * development (`LOG_FORMAT=json|pretty`, `LOG_LEVEL`). See docs/decisions/017-logs-and-metrics.md.
 *
 * Never in a log line: a secret, an e-mail address, a sign-in code, a cookie, an Authorization or
 * Stripe-Signature header, a card detail. Three layers keep them out:
 *  1. requests are logged from a short allow-list (method, path without its query string, route,
 *     status, duration, request id) — never headers nor bodies;
 *  2. redaction paths for the fields that must never be written whatever code logs them;
 *  3. every string logged (message, fields, error messages and stacks) goes through `scrub`, which
 *     masks e-mail addresses and API keys and secrets by their shape.
 *
 * Inside a request, every line carries its request id (AsyncLocalStorage, `withRequestContext`).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pino, stdSerializers, type Logger } from "pino";
import { pinoHttp } from "pino-http";
import pretty from "pino-pretty";
import { logSettings, type LogSettings } from "./config.server";

const MASK = "[masqué]";

/** Fields no log line may hold, whoever writes them (pino's redaction paths). */
export const REDACT_PATHS = [
  "email",
  "to",
  "to_email",
  "password",
  "token",
  "secret",
  "cookie",
  "authorization",
  "card",
  "headers",
  "*.email",
  "*.to",
  "*.to_email",
  "*.password",
  "*.token",
  "*.secret",
  "*.cookie",
  "*.authorization",
  "*.card",
  "*.headers",
  'req.headers["stripe-signature"]',
  'res.headers["set-cookie"]',
];

const EMAIL =
  /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+/g;
/** Stripe keys and signatures, Resend keys, bearer tokens, session cookies, card numbers. */
const SECRETS: Array<[RegExp, string]> = [
  [/\b(sk|rk|pk)_(live|test)_[A-Za-z0-9]+/g, "$1_$2_***"],
  [/\bwhsec_[A-Za-z0-9]+/g, "whsec_***"],
  [/\bre_[A-Za-z0-9_]{8,}/g, "re_***"],
  [/\bBearer\s+\S+/gi, "Bearer ***"],
  [/\b(t=\d+,)?v1=[a-f0-9]{16,}/g, "v1=***"],
  [/__session=[^;\s]+/g, "__session=***"],
];
const CARD_NUMBER = /\b\d(?:[ -]?\d){12,18}\b/g;

/** The Luhn checksum every card number passes (so that a long id or a timestamp is left alone). */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Mask e-mail addresses, secrets and card numbers in a string. */
export function scrubText(text: string): string {
  let out = text.replace(EMAIL, "[adresse masquée]");
  for (const [pattern, replacement] of SECRETS) out = out.replace(pattern, replacement);
  return out.replace(CARD_NUMBER, (m) => (luhn(m.replace(/\D/g, "")) ? "[carte masquée]" : m));
}

/** A copy of a value to log with every string scrubbed; errors become pino's { type, message, stack }. */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 6) return "[…]";
  if (value instanceof Error) return scrub({ ...stdSerializers.err(value) }, depth + 1);
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = scrub(v, depth + 1);
  return out;
}

interface RequestContext {
  requestId: string;
}

const context = new AsyncLocalStorage<RequestContext>();

/** The request id of the request being served, if any. */
export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}

const FRENCH_LEVELS: Record<string, string> = {
  10: "TRACE",
  20: "DÉBOGAGE",
  30: "INFO",
  40: "ATTENTION",
  50: "ERREUR",
  60: "FATAL",
};

/** A French, human-readable line per event for a person reading a terminal. */
function prettyStream(destination: NodeJS.WritableStream | number) {
  return pretty({
    sync: true,
    destination: destination as never,
    colorize: typeof destination === "number" ? process.stdout.isTTY : false,
    translateTime: "SYS:HH:MM:ss",
    ignore: "pid,hostname,requestId,route,status,durationMs,method,path,job",
    messageFormat: "{if job}[{job}] {end}{msg}",
    singleLine: true,
    customPrettifiers: {
      level: (level) => {
        const key = typeof level === "object" ? JSON.stringify(level) : String(level);
        return (FRENCH_LEVELS[key] ?? key).padEnd(9);
      },
    },
  });
}

/** Make a logger; the app has one (`logger`), tests make their own to capture lines. */
export function createLogger(settings: LogSettings, destination: NodeJS.WritableStream | number = 1): Logger {
  const stream =
    settings.format === "pretty"
      ? prettyStream(destination)
      : typeof destination === "number"
        ? pino.destination({ fd: destination, sync: true })
        : destination;
  return pino(
    {
      level: settings.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: "msg",
      // JSON lines name their level (« error »); the French pretty format maps pino's numbers.
      ...(settings.format === "json" ? { formatters: { level: (label: string) => ({ level: label }) } } : {}),
      redact: { paths: REDACT_PATHS, censor: MASK },
      // Errors are serialized (and scrubbed) by the logMethod hook below.
      serializers: { err: (e: unknown) => (e instanceof Error ? scrub(e) : e) },
      // A line written during a request says which one (unless it names it itself).
      mixin: (merge) => {
        const requestId = currentRequestId();
        return requestId && !("requestId" in merge) ? { requestId } : {};
      },
      hooks: {
        logMethod(args, method) {
          // An error logged alone, `log.error(error, "…")`, lands under `err` as pino does it.
          const clean = args.map((a, i) =>
            i === 0 && a instanceof Error ? { err: scrub(a) } : scrub(a),
          ) as Parameters<typeof method>;
          return method.apply(this, clean);
        },
      },
    },
    stream,
  );
}

let root: Logger | undefined;

/** The process's logger, from LOG_FORMAT / LOG_LEVEL. */
export function logger(): Logger {
  root ??= createLogger(logSettings());
  return root;
}

/**
 * Put another logger in the process's place (a test capturing lines through `createLogger` with
 * its own stream); returns what puts the previous one back. Code that logs asks `logger()` or
 * `jobLogger()` when it logs, so the replacement is seen at once.
 */
export function replaceLogger(next: Logger): () => void {
  const previous = root;
  root = next;
  return () => {
    root = previous;
  };
}

/** A logger for one long-running job (settlement, e-mail outbox, webhooks…): `job` names it in each line. */
export function jobLogger(job: string): Logger {
  return logger().child({ job });
}

/** An X-Request-Id we accept from a proxy: short, printable, nothing that could forge a log line. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{8,128}$/;

export function requestIdFor(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && SANE_REQUEST_ID.test(value) && !value.includes("@") ? value : randomUUID();
}

/** The path of a request URL without its query string (which may hold a token or an address). */
export function pathOf(url: string | undefined): string {
  const raw = (url ?? "/").split("?")[0]!.split("#")[0]!;
  return raw.length > 300 ? `${raw.slice(0, 300)}…` : raw;
}

export interface HttpLoggingOptions {
  /** the route pattern a path belongs to (a bounded label), e.g. /campagnes/:slug */
  routeOf: (path: string) => string;
  /** requests logged at debug level only when they succeed (load-balancer probes, scrapes) */
  quietPaths?: string[];
  logger?: Logger;
}

/**
 * The per-request log: one line when the response is finished (or the connection closed), with
 * method, path, route, status, duration and request id. The id is taken from a sane incoming
 * X-Request-Id or made, and echoed in the response. `run` serves the request inside its context.
 */
export function createHttpLogging(options: HttpLoggingOptions) {
  const quiet = new Set(options.quietPaths ?? []);
  const fields = (req: IncomingMessage, res: ServerResponse, responseTime: number) => {
    const path = pathOf(req.url);
    return {
      requestId: (req as IncomingMessage & { id?: string }).id,
      method: req.method,
      path,
      route: options.routeOf(path),
      status: res.headersSent || res.writableEnded ? res.statusCode : 499,
      durationMs: responseTime,
    };
  };
  const httpLogger = pinoHttp({
    logger: options.logger ?? logger(),
    genReqId: (req, res) => {
      const id = requestIdFor(req.headers["x-request-id"]);
      res.setHeader("X-Request-Id", id);
      return id;
    },
    // Nothing of the request or response objects themselves: only the fields below.
    serializers: { req: () => undefined, res: () => undefined, err: (e: unknown) => scrub(e) },
    wrapSerializers: false,
    customAttributeKeys: { reqId: "requestId" },
    customLogLevel: (req, res, err) => {
      if (err || res.statusCode >= 500) return "error";
      if (quiet.has(pathOf(req.url))) return "debug";
      return "info";
    },
    customSuccessObject: (req, res, value) =>
      fields(req, res, Number((value as { responseTime?: unknown }).responseTime)),
    customErrorObject: (req, res, error, value) => ({
      ...fields(req, res, Number((value as { responseTime?: unknown }).responseTime)),
      ...(res.statusCode >= 500 && !/failed with status code/.test(error.message) ? { err: error } : {}),
    }),
    customSuccessMessage: (req, res, responseTime) =>
      `${req.method} ${pathOf(req.url)} → ${res.statusCode} en ${responseTime} ms`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(req.url)} → ${res.statusCode} (erreur)`,
  });
  return function run(req: IncomingMessage, res: ServerResponse, serve: () => void): void {
    httpLogger(req, res);
    const requestId = (req as IncomingMessage & { id?: string }).id ?? randomUUID();
    context.run({ requestId }, serve);
  };
}
