/**
 * Whole-page cache for anonymous GET requests, in front of Remix.
 *
 * Never stale: every entry records the page keys it depends on (db/page-versions.ts) and their
 * versions at the moment its render started, and is served only while they are unchanged.
 * Writes bump their keys in their own transaction; a write that declares none bumps `global`,
 * on which every entry depends, and a page that declares no key depends on every key — so a
 * new write path or a new page cannot be forgotten, only be slower than it could. On SQLite a
 * commit by another process (`npm run settle`) invalidates every entry (data_version).
 * Time-dependent text (« J-12 ») is bounded by a short TTL. Concurrent misses of one page wait
 * for a single render. See docs/decisions/005-page-cache.md and 030-page-cache-keys.md.
 */
import zlib from "node:zlib";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppLoadContext } from "@remix-run/node";
import { GLOBAL_KEY, stampFrom } from "#db/page-versions";
import type { PageVersionSnapshot } from "#db/connection";
import { hasSessionCookie } from "./auth.server";

export interface CachedPage {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
  gzipped?: Buffer;
  version: string;
  /** the keys the page depends on (always with `global`); null or absent: every key */
  keys?: readonly string[] | null;
  storedAt: number;
}

export interface PageCacheOptions {
  /** the current stamp of a page depending on `keys` (null: every key); cheap, called on every hit */
  version: (keys: readonly string[] | null) => string | Promise<string>;
  /**
   * every key's version, read before a render (Database.pageVersions); without it an entry
   * depends on every key, stamped with version(null)
   */
  versions?: () => PageVersionSnapshot | Promise<PageVersionSnapshot>;
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}

/** What a render's entry will be stamped with: read before the render starts. */
export type RenderStamp = { snapshot: PageVersionSnapshot } | { legacy: string };

/** The keys a render's loaders declared (dependsOn); null: none, the page depends on every key. */
export interface PageDependencies {
  keys: Set<string> | null;
}

/**
 * A loader says its page shows only what `keys` (and `global`) cover: the cached page then
 * stays valid through writes to other keys (a payment on another campaign). Call it from the
 * route that owns the page, with every key the page shows — e.g. the campaign page declares
 * `campaignKey(id)`, and a page showing an envelope adds `fundKey(id)`. A page whose loaders
 * declare nothing depends on every key.
 */
export function dependsOn(context: AppLoadContext | undefined, keys: readonly string[]): void {
  const deps = context?.pageDependencies;
  if (!deps) return;
  deps.keys ??= new Set();
  for (const k of keys) deps.keys.add(k);
}

/** The keys of an entry from what its render declared (sorted, with `global`), or null. */
export function entryKeys(deps: PageDependencies | undefined): string[] | null {
  if (!deps?.keys) return null;
  return [...new Set([GLOBAL_KEY, ...deps.keys])].sort();
}

export class PageCache {
  private entries = new Map<string, CachedPage>();
  private readonly rendering = new Map<string, Promise<void>>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  hits = 0;
  misses = 0;
  /** renders started for a cacheable page (single-flight: one per page at a time) */
  renders = 0;

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

  /** Version to stamp on a render that starts now, for a page depending on every key. */
  currentVersion(): string | Promise<string> {
    return this.options.version(null);
  }

  /** Read before a render: what its entry will be stamped with, once its keys are known. */
  beginRender(): RenderStamp | Promise<RenderStamp> {
    if (!this.options.versions) {
      const v = this.options.version(null);
      return typeof v === "string" ? { legacy: v } : v.then((legacy) => ({ legacy }));
    }
    const snap = this.options.versions();
    return snap instanceof Promise ? snap.then((snapshot) => ({ snapshot })) : { snapshot: snap };
  }

  /** The entry's version for a render stamped `stamp` that declared `keys` (null: every key). */
  stampFor(
    stamp: RenderStamp,
    keys: readonly string[] | null,
  ): { version: string; keys: readonly string[] | null } {
    if ("legacy" in stamp) return { version: stamp.legacy, keys: null };
    return { version: `${stamp.snapshot.prefix}/${stampFrom(stamp.snapshot.table, keys)}`, keys };
  }

  /**
   * Single-flight: while a render of `key` is under way, the promise that settles when it ends
   * (the caller then tries the cache again: the entry is checked against the versions read
   * after the caller arrived, so it is never served stale). Undefined when none is.
   */
  renderUnderWay(key: string): Promise<void> | undefined {
    return this.rendering.get(key);
  }

  /**
   * Single-flight for a cacheable request that missed: while another request renders this page,
   * wait for it and try the cache again (a few times at most: under a stream of writes the page
   * may be stale again by then); otherwise `render` (which stores the page), marked as under way.
   */
  async renderOnce(req: IncomingMessage, res: ServerResponse, render: () => Promise<void>): Promise<void> {
    const key = this.key(req);
    for (let i = 0; i < 3; i++) {
      const underWay = this.rendering.get(key);
      if (!underWay) break;
      await underWay;
      if (await this.tryServe(req, res)) return;
    }
    const end = this.startRender(key);
    try {
      await render();
    } finally {
      end();
    }
  }

  /** Mark a render of `key` as under way; call the returned function when it ends. */
  startRender(key: string): () => void {
    let end!: () => void;
    const done = new Promise<void>((resolve) => (end = resolve));
    this.rendering.set(key, done);
    this.renders++;
    return () => {
      if (this.rendering.get(key) === done) this.rendering.delete(key);
      end();
    };
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
    const version = this.options.version(entry.keys ?? null);
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
