/**
 * While the database is unavailable (PostgreSQL restarting, SQLite's write lock held by another
 * process for too long, a full disk), the server stays up and answers a French 503 with
 * Retry-After — the Stripe webhook too, so that Stripe delivers the event again, and /healthz —
 * and serves again by itself once the database is back (docs/decisions/016-database-outages.md).
 *
 * The database layer reports each DatabaseUnavailableError (db/connection.ts `onUnavailable`) to
 * `noteDatabaseUnavailable`, which records it on the request being served (AsyncLocalStorage):
 * Remix turns a loader's or action's error into a 500 page that no longer says why, and
 * app/server.ts asks `inDatabaseScope` whether that 500 was the database's.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { ErrorRequestHandler, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { describeDatabaseError, databaseProblem, type DatabaseUnavailableError } from "#db/database-errors";

export const RETRY_AFTER_SECONDS = 30;

interface Scope {
  unavailable?: DatabaseUnavailableError;
}

const scope = new AsyncLocalStorage<Scope>();

/** Run one request's handling, and say whether it met an unavailable database. */
export async function inDatabaseScope<T>(
  handle: () => Promise<T>,
): Promise<{ value: T; unavailable: DatabaseUnavailableError | undefined }> {
  const store: Scope = {};
  const value = await scope.run(store, handle);
  return { value, unavailable: store.unavailable };
}

// One log line per problem and per LOG_EVERY_MS at most: an outage under load meets it on every request.
const LOG_EVERY_MS = 10_000;
let lastLogged = 0;
let unlogged = 0;

/** The database layer's `onUnavailable`: recorded on the current request, and logged (throttled). */
export function noteDatabaseUnavailable(error: DatabaseUnavailableError): void {
  const store = scope.getStore();
  if (store && !store.unavailable) store.unavailable = error;
  const now = Date.now();
  if (now - lastLogged < LOG_EVERY_MS) {
    unlogged++;
    return;
  }
  const also = unlogged > 0 ? ` (et ${unlogged} autres erreurs de ce type depuis le dernier message)` : "";
  lastLogged = now;
  unlogged = 0;
  console.error(
    `Base de données indisponible : ${describeDatabaseError(error.cause ?? error)}${also}. ` +
      `Les requêtes reçoivent une page 503 jusqu'à son retour.`,
  );
}

/**
 * Answer 503 with Retry-After: the French page (`sendPage`, app/error-page.server.ts), or plain
 * text for machines (/healthz, Stripe's webhook).
 */
export function sendDatabaseUnavailable(
  req: ExpressRequest,
  res: ExpressResponse,
  sendPage: (res: ExpressResponse) => void,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(503);
  res.setHeader("retry-after", String(RETRY_AFTER_SECONDS));
  res.setHeader("cache-control", "no-store");
  const path = req.path;
  if (path === "/healthz" || path.startsWith("/webhooks/")) {
    res.type("text/plain; charset=utf-8");
    res.send(
      path === "/healthz"
        ? "base de données indisponible"
        : "Base de données momentanément indisponible\u00a0: la notification sera renvoyée.",
    );
    return;
  }
  sendPage(res);
}

/** Express error handler: an error that is the database's unavailability becomes the 503. */
export function databaseUnavailableHandler(sendPage: (res: ExpressResponse) => void): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (databaseProblem(error) === null) return next(error);
    sendDatabaseUnavailable(req, res, sendPage);
  };
}
