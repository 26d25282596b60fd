/**
 * The splicing of a cached page (app/page-splice.server.ts) on a small document: what it replaces,
 * and every case where it must leave the page to a full render. The whole path, against the
 * built server and a full render, is in tests/http/page-splice.test.ts.
 */
import type { IncomingMessage } from "node:http";
import { EventEmitter } from "node:events";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { stampFrom } from "#db/page-versions";
import type { Kysely } from "kysely";
import type { PageVersionSnapshot } from "#db/connection";
import type { DB } from "#db/schema";
import type { SpliceSource, SpliceStore } from "~/components/page-splice";
import { PageCache, type RenderStamp } from "~/page-cache.server";
import {
  replaceOnce,
  scriptEncoded,
  spliceable,
  type ConsistentRead,
  type Refresh,
} from "~/page-splice.server";

const KEYS = ["campaign:1", "global"];
const HEAD = JSON.stringify(["Le titre"]);

const source = (n: number, extra: Partial<SpliceSource> = {}): SpliceSource => ({
  page: JSON.stringify({ n, text: "« </script> » & co" }),
  head: HEAD,
  keys: ["campaign:1"],
  ...extra,
});

/** The document a render of `src` gives: its region, then its data in Remix's script. */
const documentOf = (src: SpliceSource, region = `<p class="n">${JSON.parse(src.page).n}</p>`) =>
  Buffer.from(
    `<!DOCTYPE html><html><body><h1>Le titre</h1>${region}` +
      `<script>window.__remixContext.streamController.enqueue("[\\"page\\",${scriptEncoded(src.page)}]\\n");</script>` +
      `</body></html>`,
  );

const snapshot = (campaign: number, global = 1, prefix = "1.0"): PageVersionSnapshot => ({
  prefix,
  table: new Map([
    ["campaign:1", campaign],
    ["global", global],
  ]),
});

const stampFor = (stamp: RenderStamp, keys: readonly string[]) => ({
  version: "snapshot" in stamp ? `${stamp.snapshot.prefix}/${stampFrom(stamp.snapshot.table, keys)}` : "",
  keys,
});

/** The database's state as the refresh reads it (Database.readConsistently), and its handle. */
let current = snapshot(1);
const HANDLE = { a: "database handle" } as unknown as Kysely<DB>;
const read: ConsistentRead = (fn) => fn(HANDLE, current);

/** `refresh` once the database is in state `state`. */
function refreshAt(refresh: Refresh | undefined, state: PageVersionSnapshot, storedAt = 0) {
  current = state;
  return refresh!(storedAt);
}

/** A page as a full render of data `n` leaves it, and a store whose reload gives `next()`. */
function rendered(next: () => SpliceSource | null, options: { body?: Buffer; type?: string } = {}) {
  const first = source(1);
  const store: SpliceStore = {
    source: first,
    reload: async (db) => {
      // The page's data is read through the handle the consistent read gives, nothing else.
      expect(db).toBe(HANDLE);
      return next();
    },
    regions: {
      view: {
        contexts: [],
        element: (page) => createElement("p", { className: "n" }, (JSON.parse(page) as { n: number }).n),
      },
    },
  };
  const page = {
    body: options.body ?? documentOf(first),
    status: 200,
    headers: [["content-type", options.type ?? "text/html; charset=utf-8"]] as Array<[string, string]>,
    keys: KEYS,
  };
  return spliceable(page, store, snapshot(1), { stampFor, read })?.refresh;
}

describe("scriptEncoded", () => {
  it("writes a string as Remix's script holds it: JSON in JSON, nothing that closes the script", () => {
    const encoded = scriptEncoded('a "b" </script> & \u2028');
    expect(encoded).toBe(String.raw`\"a \\\"b\\\" \u003c/script\u003e \u0026 \u2028\"`);
    expect(encoded).not.toMatch(/[<>&]/);
  });
});

describe("replaceOnce", () => {
  it("replaces the one occurrence, and refuses none or two", () => {
    expect(replaceOnce("a-X-b", "X", "Y")).toBe("a-Y-b");
    expect(replaceOnce("a-b", "X", "Y")).toBeNull();
    expect(replaceOnce("X-X", "X", "Y")).toBeNull();
  });
});

describe("spliceable: the refresh", () => {
  it("puts the new region and the new data in place, and chains", async () => {
    let n = 1;
    const refresh = rendered(() => source(n))!;
    expect(refresh).toBeTypeOf("function");
    n = 2;
    const second = await refreshAt(refresh, snapshot(2), 1_000);
    expect(second).not.toBeNull();
    expect(second!.body.toString()).toBe(documentOf(source(2)).toString());
    expect(second).toMatchObject({
      status: 200,
      version: "1.0/2,1",
      keys: KEYS,
      spliced: true,
      bornAt: 1_000,
    });
    n = 3;
    const third = await refreshAt(second!.refresh, snapshot(3), 1_000);
    expect(third!.body.toString()).toBe(documentOf(source(3)).toString());
    expect(third!.version).toBe("1.0/3,1");
  });

  it("keeps the same document under a new stamp when the data did not change", async () => {
    const refresh = rendered(() => source(1))!;
    const again = await refreshAt(refresh, snapshot(5));
    expect(again!.body.toString()).toBe(documentOf(source(1)).toString());
    expect(again!.version).toBe("1.0/5,1");
  });

  it("leaves to a full render what is not only the page's own data", async () => {
    const refresh = rendered(() => source(2))!;
    expect(await refreshAt(refresh, snapshot(2, 2))).toBeNull(); // `global` moved: anything may have changed
    expect(await refreshAt(refresh, snapshot(2, 1, "2.0"))).toBeNull(); // another process committed
    expect(
      await refreshAt(
        rendered(() => source(2, { head: "[]" })),
        snapshot(2),
      ),
    ).toBeNull(); // the title
    expect(
      await refreshAt(
        rendered(() => source(2, { keys: ["campaign:1", "fund:3"] })),
        snapshot(2),
      ),
    ).toBeNull();
    expect(
      await refreshAt(
        rendered(() => null),
        snapshot(2),
      ),
    ).toBeNull(); // the page is gone: its 404
  });

  it("does not splice a region or a string it cannot find exactly once", async () => {
    const twice = Buffer.concat([documentOf(source(1)), Buffer.from('<p class="n">1</p>')]);
    expect(
      await refreshAt(
        rendered(() => source(2), { body: twice }),
        snapshot(2),
      ),
    ).toBeNull();
    const otherRegion = documentOf(source(1), '<p class="n">un</p>');
    expect(
      await refreshAt(
        rendered(() => source(2), { body: otherRegion }),
        snapshot(2),
      ),
    ).toBeNull();
    const noData = Buffer.from('<html><body><p class="n">1</p></body></html>');
    expect(rendered(() => source(2), { body: noData })).toBeUndefined();
    expect(rendered(() => source(2), { type: "text/x-script" })).toBeUndefined();
  });
});

describe("the page cache keeps a stale page that can be spliced", () => {
  const request = (url: string) =>
    Object.assign(new EventEmitter(), { method: "GET", url, headers: {} }) as unknown as IncomingMessage;

  it("as the base of the next render, within its TTL only", async () => {
    let version = "v1";
    let now = 0;
    const cache = new PageCache({ version: () => version, ttlMs: 1_000, now: () => now });
    const refresh = async () => null;
    cache.store("/a", { status: 200, headers: [], body: Buffer.from("a"), version: "v1", refresh });
    cache.store("/b", { status: 200, headers: [], body: Buffer.from("b"), version: "v1" });
    version = "v2";
    const res = { writeHead: () => res, end: () => res } as never;
    expect(cache.tryServe(request("/a"), res)).toBe(false);
    expect(cache.tryServe(request("/b"), res)).toBe(false);
    expect(cache.spliceBase(request("/a"))?.body.toString()).toBe("a");
    expect(cache.spliceBase(request("/b"))).toBeUndefined();
    expect(cache.size).toBe(1);
    now = 1_001;
    expect(cache.spliceBase(request("/a"))).toBeUndefined();
  });
});
