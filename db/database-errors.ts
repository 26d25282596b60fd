/**
 * Which database errors mean « the database is unavailable right now » rather than « this
 * request is wrong » or « the code has a bug »: the connection lost or refused (a PostgreSQL
 * restart, failover, network cut), the write lock held by another process for too long (SQLite),
 * the disk full. Those are answered with a French 503 and retried later (app/database-errors.server.ts);
 * everything else keeps its own meaning. Dialect-specific codes live here and in connection.ts only.
 */

export type DatabaseProblem = "connection" | "locked" | "full";

/** Thrown by the database layer (db/connection.ts) for a problem of `DatabaseProblem` kind; `cause` is the driver's error. */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
  constructor(
    readonly problem: DatabaseProblem,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

interface DriverError {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

// PostgreSQL SQLSTATE classes and codes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const PG_CONNECTION_CODES = new Set([
  "57P01", // admin_shutdown: pg_terminate_backend, a restart (« terminating connection due to administrator command »)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up, shutting down, in recovery
  "57P05", // idle_session_timeout
  "53300", // too_many_connections
  "58030", // io_error
]);
const PG_FULL_CODES = new Set(["53100"]); // disk_full

// Node's socket errors, as pg reports them when the server cannot be reached.
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

// pg's own errors carry no code, only these messages.
const PG_CONNECTION_MESSAGES =
  /^(Connection terminated( unexpectedly| due to connection timeout)?|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Connection terminated by user)$/;

function classifyOne(error: DriverError): DatabaseProblem | null {
  const code = typeof error.code === "string" ? error.code : "";
  const message = typeof error.message === "string" ? error.message : "";
  if (code === "SQLITE_FULL" || code === "ENOSPC" || PG_FULL_CODES.has(code)) return "full";
  if (code.startsWith("SQLITE_BUSY")) return "locked";
  if (code.startsWith("SQLITE_IOERR") || code === "SQLITE_CANTOPEN") return "connection";
  if (/^08[0-9A-Z]{3}$/.test(code) || PG_CONNECTION_CODES.has(code) || NETWORK_CODES.has(code))
    return "connection";
  if (PG_CONNECTION_MESSAGES.test(message)) return "connection";
  return null;
}

/**
 * What kind of unavailability `error` is (looking through `cause` and AggregateError's
 * `errors`: pg reports a refused connection to « localhost » as one error per address), or
 * null for any other error.
 */
export function databaseProblem(error: unknown): DatabaseProblem | null {
  const seen = new Set<unknown>();
  const visit = (e: unknown): DatabaseProblem | null => {
    if (!e || typeof e !== "object" || seen.has(e)) return null;
    seen.add(e);
    if (e instanceof DatabaseUnavailableError) return e.problem;
    const d = e as DriverError;
    const own = classifyOne(d);
    if (own) return own;
    if (Array.isArray(d.errors)) {
      for (const inner of d.errors) {
        const found = visit(inner);
        if (found) return found;
      }
    }
    return visit(d.cause);
  };
  return visit(error);
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseProblem(error) !== null;
}

/** « SQLITE_FULL: database or disk is full »: the driver's code and message, for logs. */
export function describeDatabaseError(error: unknown): string {
  if (!error || typeof error !== "object") return String(error);
  const e = error as DriverError;
  const code = typeof e.code === "string" ? `${e.code}: ` : "";
  const message =
    typeof e.message === "string" && e.message
      ? e.message
      : // eslint-disable-next-line @typescript-eslint/no-base-to-string -- an Error without a message prints its name.
        String(error);
  if (!e.message && Array.isArray(e.errors) && e.errors.length > 0)
    return `${code}${e.errors.map(describeDatabaseError).join(" ; ")}`;
  return `${code}${message}`;
}
