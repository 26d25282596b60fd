/**
 * Money splicing (docs/decisions/034-money-splicing.md): a cached page whose data changed, but
 * not its text, is brought up to date without Remix. Its region (app/components/page-splice.tsx)
 * is rendered again from the data read again, in the contexts recorded at the full render, and
 * put in place of the old one in the stored HTML; the loader data's JSON string in the document's
 * script is replaced the same way, so the browser hydrates the same data the HTML shows.
 *
 * The result is the document a full render would give, byte for byte, for the same instant
 * (tests/http/page-splice.test.ts compares them). Anything else falls back to a full render:
 * another key than the page's own changed (`global`, another process's commit), the head or the
 * keys of the data changed, or the old region or string is not found exactly once.
 */
import type { AppLoadContext } from "@remix-run/node";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import type { Kysely } from "kysely";
import type { PageVersionSnapshot } from "#db/connection";
import type { DB } from "#db/schema";
import { GLOBAL_KEY } from "#db/page-versions";
import {
  WithContexts,
  type SpliceRegionCapture,
  type SpliceSource,
  type SpliceStore,
} from "~/components/page-splice";
import type { RenderStamp, StoredPage } from "./page-cache.server";
import { sessionJson, type SessionView } from "./session-view";

/** Remix's escapes for text inside an inline script (@remix-run/react, markup.ts). */
const SCRIPT_ESCAPES: Record<string, string> = {
  "&": "\\u0026",
  ">": "\\u003e",
  "<": "\\u003c",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * A string of the loader data as the document writes it: turbo-stream writes the string as JSON
 * in its line, Remix writes the line as a JSON string in `streamController.enqueue(…)`, escaped
 * for a script. Quotes included, so that it matches one value, not a part of one.
 */
export function scriptEncoded(value: string): string {
  return JSON.stringify(JSON.stringify(value))
    .slice(1, -1)
    .replace(/[&><\u2028\u2029]/g, (c) => SCRIPT_ESCAPES[c]!);
}

/** Where `part` occurs in `text`, if exactly once; -1 when absent or not alone. */
function onlyOccurrence(text: string, part: string): number {
  const at = text.indexOf(part);
  return at >= 0 && text.indexOf(part, at + 1) < 0 ? at : -1;
}

/** `text` with its one occurrence of `old` replaced; null when `old` is absent or not alone. */
export function replaceOnce(text: string, old: string, next: string): string | null {
  const at = onlyOccurrence(text, old);
  return at < 0 ? null : text.slice(0, at) + next + text.slice(at + old.length);
}

function renderRegion(region: SpliceRegionCapture, page: string): string {
  return renderToString(
    createElement(WithContexts, { values: region.contexts, children: region.element(page) }),
  );
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

/** Brings an entry stored at `storedAt` up to date (null: render it in full). */
export type Refresh = (storedAt: number) => Promise<StoredPage | null>;

/** Reads that see one state of the database, with its page versions (Database.readConsistently). */
export type ConsistentRead = <T>(
  fn: (db: Kysely<DB>, snapshot: PageVersionSnapshot) => Promise<T>,
) => Promise<T>;

interface Spliceable {
  /** the document (kept as bytes only: the cache holds many pages) */
  body: Buffer;
  status: number;
  headers: Array<[string, string]>;
  /** the entry's keys (with `global`) */
  keys: readonly string[];
  /** what the full render was stamped with: only the page's own keys may have moved since */
  prefix: string;
  global: number;
  source: SpliceSource;
  reload: NonNullable<SpliceStore["reload"]>;
  region: SpliceRegionCapture;
  /** the region's HTML for `source`; computed at the first splice */
  html?: string;
  /** the header region and the signed-in visitor's data, for `personalize` */
  header?: SpliceRegionCapture;
  personal?: SpliceStore["personal"];
  /** the anonymous header's HTML, the same along the chain of splices; computed once */
  memo: { header?: string };
}

/** What a full render's page can do besides being served: be spliced, be personalized. */
export type SpliceAbilities = Pick<StoredPage, "refresh" | "personalize">;

type StampFor = (
  stamp: RenderStamp,
  keys: readonly string[],
) => { version: string; keys: readonly string[] | null };

/** What a refresh needs of the server: the cache's stamp of a page, reads of one state. */
export interface SpliceDeps {
  stampFor: StampFor;
  read: ConsistentRead;
}

/**
 * What a page a full render just gave can do, when its render recorded its regions and its data
 * (`store`) and the document holds the data once; undefined otherwise.
 */
export function spliceable(
  page: { body: Buffer; status: number; headers: Array<[string, string]>; keys: readonly string[] | null },
  store: SpliceStore,
  snapshot: PageVersionSnapshot,
  deps: SpliceDeps,
): SpliceAbilities | undefined {
  const { source, reload } = store;
  const region = store.regions?.view;
  if (!source || !reload || !region || !page.keys) return undefined;
  const type = page.headers.find(([name]) => name.toLowerCase() === "content-type")?.[1] ?? "";
  if (!type.startsWith("text/html")) return undefined;
  if (onlyOccurrence(page.body.toString("utf8"), scriptEncoded(source.page)) < 0) return undefined;
  const state: Spliceable = {
    body: page.body,
    status: page.status,
    headers: page.headers,
    keys: page.keys,
    prefix: snapshot.prefix,
    global: snapshot.table.get(GLOBAL_KEY) ?? 0,
    source,
    reload,
    region,
    header: store.regions?.header,
    personal: store.personal,
    memo: {},
  };
  return { refresh: refreshOf(state, deps), personalize: personalizeOf(state) };
}

/**
 * The page as `user` would get it from a full render: the header and the view rendered for
 * them, the root's session and the page's data replaced in the script. Null when a part is not
 * found exactly once. Never stored: it is sent to that visitor only.
 */
function personalizeOf(state: Spliceable): NonNullable<StoredPage["personalize"]> {
  // A visitor reloading this very page gets the same bytes: kept for this page (each splice makes
  // a new one), by everything the visitor's parts are made from, for a few visitors.
  const made = new Map<string, Buffer | null>();
  return (user) => {
    const key = JSON.stringify(user);
    const kept = made.get(key);
    if (kept !== undefined) return kept;
    const body = personalized(state, user);
    if (made.size >= 32) made.clear();
    made.set(key, body);
    return body;
  };
}

function personalized(state: Spliceable, user: SessionView): Buffer | null {
  const { header, personal } = state;
  if (!header || !personal) return null;
  const anonymous = sessionJson(null);
  const session = sessionJson(user);
  const page = personal(state.source.page, user);
  const headerHtml = (state.memo.header ??= renderRegion(header, anonymous));
  const viewHtml = state.html ?? renderRegion(state.region, state.source.page);
  let text: string | null = state.body.toString("utf8");
  text = replaceOnce(text, headerHtml, renderRegion(header, session));
  text = text && replaceOnce(text, viewHtml, renderRegion(state.region, page));
  text = text && replaceOnce(text, scriptEncoded(anonymous), scriptEncoded(session));
  text = text && replaceOnce(text, scriptEncoded(state.source.page), scriptEncoded(page));
  return text === null ? null : Buffer.from(text, "utf8");
}

function refreshOf(base: Spliceable, deps: SpliceDeps): Refresh {
  return async (storedAt) => {
    // The data and the versions it is stamped with come from one state of the database: the
    // page is current until the next write, not already stale because one committed meanwhile.
    const read = await deps.read(async (db, snapshot) => {
      const own = snapshot.prefix === base.prefix && (snapshot.table.get(GLOBAL_KEY) ?? 0) === base.global;
      return { snapshot, next: own ? await base.reload(db) : null };
    });
    const { snapshot, next } = read;
    if (!next || next.head !== base.source.head || !sameKeys(next.keys, base.source.keys)) return null;
    const { version } = deps.stampFor({ snapshot }, base.keys);
    let state: Spliceable = base;
    if (next.page !== base.source.page) {
      const html = base.html ?? renderRegion(base.region, base.source.page);
      const nextHtml = renderRegion(base.region, next.page);
      const withRegion = replaceOnce(base.body.toString("utf8"), html, nextHtml);
      const text =
        withRegion && replaceOnce(withRegion, scriptEncoded(base.source.page), scriptEncoded(next.page));
      if (!text) return null;
      state = { ...base, body: Buffer.from(text, "utf8"), html: nextHtml, source: next };
    }
    return {
      status: state.status,
      headers: state.headers,
      body: state.body,
      version,
      keys: state.keys,
      // The instant the text was built for (the countdown) is the full render's: its TTL still runs.
      bornAt: storedAt,
      spliced: true,
      refresh: refreshOf(state, deps),
      personalize: personalizeOf(state),
    };
  };
}

/**
 * A loader offers its page's data for splicing: `source` as it returned it, `reload` to read it
 * again (for the same visitor kind and instant). Only a cacheable document render has a store.
 */
export function offerSplice(
  context: AppLoadContext | undefined,
  offer: Required<Pick<SpliceStore, "source" | "reload" | "personal">>,
): void {
  const store = context?.spliceStore;
  if (!store) return;
  store.source = offer.source;
  store.reload = offer.reload;
  store.personal = offer.personal;
}
