/**
 * Whole-page cache for anonymous GET requests, in front of Remix.
 *
 * Never stale: every entry is stamped with the database's change stamp at the
 * moment its render started, and is served only while the stamp is unchanged.
 * The stamp (db/connection.ts, dataVersion) is SQLite's `total_changes()` (writes on
 * this connection) with `PRAGMA data_version` (commits by any other connection,
 * e.g. `npm run settle`), or PostgreSQL's current snapshot (commits by any
 * server), so any committed write anywhere invalidates every entry — nothing to
 * forget when a new write path is added. Time-dependent text (« J-12 ») is bounded by a
 * short TTL. See docs/decisions/005-page-cache.md.
 */
import zlib from "node:zlib";
import type { IncomingMessage, ServerResponse } from "node:http";
import { hasSessionCookie } from "./auth.server";

export interface CachedPage {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
  gzipped?: Buffer;
  version: string;
  storedAt: number;
}

export interface PageCacheOptions {
  /** current database version; must be cheap (called on every request) */
  version: () => string | Promise<string>;
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}

export class PageCache {
  private entries = new Map<string, CachedPage>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  hits = 0;
  misses = 0;

  constructor(private readonly options: PageCacheOptions) {
    this.maxEntries = options.maxEntries ?? 500;
    this.now = options.now ?? Date.now;
  }

  /** Whether this request may be answered from, and stored into, the cache. */
  isCacheable(req: IncomingMessage): boolean {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const cookie = req.headers.cookie;
    // A session makes a page personal: such requests bypass the cache.
    if (hasSessionCookie(cookie)) return false;
    if (req.headers.authorization) return false;
    const url = req.url ?? "/";
    // Static files and the build are served by the static middleware.
    return (
      !url.startsWith("/build/") &&
      !url.startsWith("/dev/") &&
      !url.startsWith("/demo/") &&
      !url.startsWith("/webhooks/") &&
      url !== "/healthz"
    );
  }

  key(req: IncomingMessage): string {
    return req.url ?? "/";
  }

  /** Version to stamp on a render that starts now. */
  currentVersion(): string | Promise<string> {
    return this.options.version();
  }

  /**
   * Serve from the cache if possible; true when the response was sent. Synchronous with
   * SQLite (the stamp is read in-process), a promise with PostgreSQL (one round trip).
   */
  tryServe(req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean> {
    if (!this.isCacheable(req)) return false;
    const key = this.key(req);
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses++;
      return false;
    }
    const version = this.options.version();
    if (typeof version === "string") return this.serve(req, res, key, entry, version);
    return version.then((v) => this.serve(req, res, key, entry, v));
  }

  private serve(
    req: IncomingMessage,
    res: ServerResponse,
    key: string,
    entry: CachedPage,
    version: string,
  ): boolean {
    if (entry.version !== version || this.now() - entry.storedAt > this.options.ttlMs) {
      this.entries.delete(key);
      this.misses++;
      return false;
    }
    this.hits++;
    const acceptsGzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    let body = entry.body;
    const headers: Array<[string, string]> = [
      ...entry.headers,
      ["x-page-cache", "hit"],
      ["vary", "Accept-Encoding"],
    ];
    if (acceptsGzip && entry.body.length > 1024) {
      entry.gzipped ??= zlib.gzipSync(entry.body, { level: 6 });
      body = entry.gzipped;
      headers.push(["content-encoding", "gzip"]);
    }
    headers.push(["content-length", String(body.length)]);
    res.writeHead(entry.status, headers.flat());
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  }

  store(key: string, page: Omit<CachedPage, "storedAt">): void {
    if (this.options.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { ...page, storedAt: this.now() });
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Response headers that must never be replayed to another visitor. */
export function isStorableResponse(status: number, headers: Headers): boolean {
  if (status !== 200) return false;
  if (headers.has("set-cookie")) return false;
  const cacheControl = headers.get("cache-control") ?? "";
  if (/no-store|private/.test(cacheControl)) return false;
  const type = headers.get("content-type") ?? "";
  return (
    type.startsWith("text/html") || type.startsWith("application/json") || type.startsWith("text/x-script")
  );
}
