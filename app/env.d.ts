/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

import type { PageDependencies } from "./page-cache.server";
import type { SpliceStore } from "./components/page-splice";

// Single Fetch typing for useLoaderData (remix.config.js future.v3_singleFetch).
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
  /** What the HTTP server (app/server.ts) passes to every loader and action. */
  interface AppLoadContext {
    /** the client's address (behind a proxy in production: from X-Forwarded-For, Express `trust proxy`) */
    clientIp?: string;
    /** this render's Content-Security-Policy nonce (app/security-headers.server.ts) */
    cspNonce?: string;
    /** the page keys this render's loaders declared (app/page-cache.server.ts, dependsOn) */
    pageDependencies?: PageDependencies;
    /** a cacheable document render's splicing store (app/components/page-splice.tsx) */
    spliceStore?: SpliceStore;
  }
}

export {};
