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
import type { Refresh } from "./page-splice.server";
import type { SessionView } from "./session-view";

export interface CachedPage {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
  gzipped?: Buffer;
  version: string;
  /** the keys the page depends on (always with `global`); null or absent: every key */
  keys?: readonly string[] | null;
  storedAt: number;
  /** brings the page up to date without a full render when only its data changed (034) */
  refresh?: Refresh;
  /** when its text was rendered, if before it was stored (a spliced page: its full render) */
  bornAt?: number;
  /** brought up to date by splicing, not rendered in full: served as `x-page-cache: spliced` */
  spliced?: boolean;
  /** the page as a signed-in visitor gets it (never stored); null: render it for them in full */
  personalize?: (user: SessionView) => Buffer | null;
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

/** A page as a render leaves it, before the cache stores it. */
export type StoredPage = Omit<CachedPage, "storedAt">;

/**
 * What a render gives: a page any waiting request may be served (stored when the cache is on),
 * or a response only the request that rendered it may get (`send` writes it).
 */
export type RenderResult = { page: StoredPage } | { send: (res: ServerResponse) => Promise<void> };

/** A render of one page: under way, or queued to start when the one under way ends. */
interface Flight {
  /** renders for the request that started this flight */
  owner: () => Promise<RenderResult>;
  result: Promise<RenderResult>;
  start: (result: Promise<RenderResult>) => void;
  next?: Flight;
  /** it served the previous flight's page, still current: nothing was rendered */
  reused?: boolean;
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
  /** the render under way of each page, and the one queued after it */
  private readonly flights = new Map<string, Flight>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  hits = 0;
  /** requests served a render another request started (they waited for it) */
  shared = 0;
  /** requests that missed and were answered by their own render */
  rendered = 0;
  /** renders started for a cacheable page (one per page at a time) */
  renders = 0;
  /** of those renders, the ones done by splicing the stale page's data (034) */
  splices = 0;
  /** signed-in visitors served the page with their header and data spliced in (034) */
  personalized = 0;

  constructor(private readonly options: PageCacheOptions) {
    this.maxEntries = options.maxEntries ?? 500;
    this.now = options.now ?? Date.now;
  }

  /** Whether this request may be answered from, and stored into, the cache. */
  isCacheable(req: IncomingMessage): boolean {
    // A session makes a page personal: such requests are never served a stored page as it is.
    return this.isPageRequest(req) && !hasSessionCookie(req.headers.cookie);
  }

  /**
   * A signed-in visitor's GET of a page the cache may hold: it may be served the stored page
   * personalized for them (app/server.ts, servePersonalized), which is never stored.
   */
  isPersonalizable(req: IncomingMessage): boolean {
    return this.isPageRequest(req) && hasSessionCookie(req.headers.cookie);
  }

  /** A GET of a page (not a static file, a webhook, the health check), without credentials. */
  private isPageRequest(req: IncomingMessage): boolean {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
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

  /** Whether a render of `key` is under way (tests). */
  renderUnderWay(key: string): boolean {
    return this.flights.has(key);
  }

  /**
   * One render at a time per page, shared by every request that waits for it. A cacheable
   * request that missed starts a render if none is under way. Otherwise the render under way
   * started before this request arrived — a payment may have committed in between, so its page
   * may lack it — and the request waits for the next render, which starts when the one under way
   * ends and serves every request that arrived meanwhile: under a stream of writes the page is
   * rendered at most once per render time, and each request is answered by a render that read
   * the database after it arrived (or by the previous page, if its stamp is still current then).
   * `render` renders for this request: a page to share, or a response only this request may get.
   */
  async renderOnce(
    req: IncomingMessage,
    res: ServerResponse,
    render: () => Promise<RenderResult>,
  ): Promise<void> {
    const key = this.key(req);
    const flight = this.join(key, render);
    let result: RenderResult | undefined;
    try {
      result = await flight.result;
    } catch (error) {
      // The render failed: the request whose render it was gets its error; the others try alone.
      if (flight.owner === render) throw error;
    }
    if (result && "page" in result) {
      const own = flight.owner === render && !flight.reused;
      if (own) this.rendered++;
      else this.shared++;
      return this.write(req, res, result.page, own ? (result.page.spliced ? "spliced" : "miss") : "shared");
    }
    if (result && flight.owner === render) {
      this.rendered++;
      return result.send(res);
    }
    // Not a page that may be shared (an error, a redirect, a cookie): this request renders alone.
    const alone = await render();
    this.rendered++;
    if ("page" in alone) return this.write(req, res, alone.page, "miss");
    return alone.send(res);
  }

  /**
   * The flight `render` joins: the one queued after the render under way, or a new one. A new
   * flight first checks the stored page: a render that ended after this request missed may have
   * stored a current one (under a stream of writes, the usual case).
   */
  private join(key: string, render: () => Promise<RenderResult>): Flight {
    const underWay = this.flights.get(key);
    if (underWay) return (underWay.next ??= this.queued(render));
    return this.launch(key, this.queued(render), this.storedWithinTtl(key));
  }

  /** The stored page of `key` as a render result, unless absent or past its TTL. */
  private storedWithinTtl(key: string): RenderResult | undefined {
    const entry = this.entries.get(key);
    if (!entry || this.now() - entry.storedAt > this.options.ttlMs) return undefined;
    return { page: entry };
  }

  /**
   * The current stored page of `req`'s address, brought up to date by `splice` if needed, inside
   * the page's one render at a time (the requests waiting for it are served what it gives); null
   * when `splice` cannot (they then render alone). For a signed-in visitor's request: it is
   * given the anonymous page to personalize, never written.
   */
  async currentPage(
    req: IncomingMessage,
    splice: () => Promise<StoredPage | null>,
  ): Promise<StoredPage | null> {
    const key = this.key(req);
    const render = async (): Promise<RenderResult> => {
      const page = await splice();
      return page ? { page } : { send: async () => {} };
    };
    const result = await this.join(key, render).result.catch(() => undefined);
    return result && "page" in result ? result.page : null;
  }

  private queued(render: () => Promise<RenderResult>): Flight {
    let settle!: (result: Promise<RenderResult>) => void;
    const result = new Promise<RenderResult>((resolve) => (settle = resolve));
    return { owner: render, result, start: settle };
  }

  /** Start `flight` as the one render of `key` under way; the next one starts when it ends. */
  private launch(key: string, flight: Flight, previous?: RenderResult): Flight {
    this.flights.set(key, flight);
    const run = async (): Promise<RenderResult> => {
      let result: RenderResult | undefined;
      try {
        // The previous page is still current now: no write since its render began, so it holds
        // everything committed before the requests that waited for this flight arrived.
        if (previous && "page" in previous && (await this.isCurrent(previous.page))) {
          flight.reused = true;
          return (result = previous);
        }
        this.renders++;
        result = await flight.owner();
        if ("page" in result) this.store(key, result.page);
        return result;
      } finally {
        if (flight.next) this.launch(key, flight.next, result);
        else if (this.flights.get(key) === flight) this.flights.delete(key);
      }
    };
    flight.start(run());
    return flight;
  }

  private async isCurrent(page: StoredPage): Promise<boolean> {
    return (await this.options.version(page.keys ?? null)) === page.version;
  }

  /**
   * Serve from the cache if possible; true when the response was sent. Synchronous with
   * SQLite (the stamp is read in-process), a promise with PostgreSQL (one round trip).
   */
  tryServe(req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean> {
    if (!this.isCacheable(req)) return false;
    const key = this.key(req);
    const entry = this.entries.get(key);
    if (!entry) return false;
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
    if (this.now() - entry.storedAt > this.options.ttlMs) {
      this.entries.delete(key);
      return false;
    }
    if (entry.version !== version) {
      // A stale page that can be spliced stays, as the base of the next render (spliceBase).
      if (!entry.refresh) this.entries.delete(key);
      return false;
    }
    this.hits++;
    this.write(req, res, entry, "hit");
    return true;
  }

  /** Send `page` (gzipped for clients that accept it), marked x-page-cache: hit, miss, spliced or shared. */
  private write(req: IncomingMessage, res: ServerResponse, page: StoredPage, label: string): void {
    const acceptsGzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    let body = page.body;
    const headers: Array<[string, string]> = [
      ...page.headers,
      ["x-page-cache", label],
      ["vary", "Accept-Encoding"],
    ];
    if (acceptsGzip && page.body.length > 1024) {
      page.gzipped ??= zlib.gzipSync(page.body, { level: 6 });
      body = page.gzipped;
      headers.push(["content-encoding", "gzip"]);
    }
    headers.push(["content-length", String(body.length)]);
    res.writeHead(page.status, headers.flat());
    res.end(req.method === "HEAD" ? undefined : body);
  }

  /**
   * The stored page of `req`, current or stale, when it can be brought up to date by splicing
   * (app/page-splice.server.ts) and its text is still within the TTL.
   */
  spliceBase(req: IncomingMessage): CachedPage | undefined {
    const entry = this.entries.get(this.key(req));
    if (!entry?.refresh || this.now() - entry.storedAt > this.options.ttlMs) return undefined;
    return entry;
  }

  store(key: string, page: StoredPage): void {
    if (this.options.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    // The same object the waiting requests are served: its gzipped body is computed once.
    this.entries.set(key, Object.assign(page, { storedAt: page.bornAt ?? this.now() }));
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
