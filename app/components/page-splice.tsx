/**
 * A region of a cached page that the server can render again on its own, without Remix, when
 * only its data changed: a campaign's page during a launch, whose money changes at every payment
 * (docs/decisions/034-money-splicing.md, the splicing itself in app/page-splice.server.ts).
 *
 * During a document render the server provides a `SpliceStore` (entry.server.tsx). The route's
 * loader puts in it the page's data as one JSON string and how to read it again; the region
 * records the contexts its components read (Remix's and React Router's: a form's action, a link's
 * address) and how it renders from that string. In the browser there is no store: the region is
 * a plain render.
 */
import {
  createContext,
  createElement,
  useContext,
  type Context,
  type ReactElement,
  type ReactNode,
} from "react";
import { UNSAFE_RemixContext } from "@remix-run/react";
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import {
  UNSAFE_DataRouterContext,
  UNSAFE_DataRouterStateContext,
  UNSAFE_FetchersContext,
  UNSAFE_LocationContext,
  UNSAFE_NavigationContext,
  UNSAFE_RouteContext,
  UNSAFE_ViewTransitionContext,
} from "react-router-dom";
import { NonceContext } from "~/nonce";
import type { SessionView } from "~/session-view";

/** The page's data as the loader returned it, and what must stay equal for a region to be spliced. */
export interface SpliceSource {
  /** the route's loader data: one JSON string, written as such in the document's script */
  page: string;
  /** what the rest of the document shows of the data (title, description, picture): must not change */
  head: string;
  /** the page-cache keys the data depends on (dependsOn): must not change */
  keys: readonly string[];
}

/** How the region renders again: the contexts it read, its element from the page's data. */
export interface SpliceRegionCapture {
  contexts: unknown[];
  element: (page: string) => ReactElement;
}

/**
 * The regions a document may have: the page's view (its data: the loader's string) and the
 * header (the visitor: the root loader's `session` string, app/session-view.ts).
 */
export type SpliceRegionName = "view" | "header";

/** One document render's store (server only). */
export interface SpliceStore {
  source?: SpliceSource;
  /** the data read again through `db`, for a request that arrives after a write (null: the page is gone) */
  reload?: (db: Kysely<DB>) => Promise<SpliceSource | null>;
  /** the page's data as a signed-in visitor sees it, from the anonymous visitor's */
  personal?: (page: string, user: SessionView) => string;
  regions?: Partial<Record<SpliceRegionName, SpliceRegionCapture>>;
}

export const SpliceStoreContext = createContext<SpliceStore | null>(null);

/** Every context a region's components may read; a region renders again inside the same values. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- contexts of every value type
const CONTEXTS: ReadonlyArray<Context<any>> = [
  UNSAFE_RemixContext,
  UNSAFE_DataRouterContext,
  UNSAFE_DataRouterStateContext,
  UNSAFE_FetchersContext,
  UNSAFE_LocationContext,
  UNSAFE_NavigationContext,
  UNSAFE_RouteContext,
  UNSAFE_ViewTransitionContext,
  NonceContext,
];

/** Renders `element(page)`; during a server render, records how to render it again. */
export function SpliceRegion({
  name,
  page,
  element,
}: {
  name: SpliceRegionName;
  page: string;
  element: (page: string) => ReactElement;
}) {
  const store = useContext(SpliceStoreContext);
  // A fixed list, read in the same order at every render.
  // eslint-disable-next-line react-hooks/rules-of-hooks
  const contexts = CONTEXTS.map((context): unknown => useContext(context));
  if (store) (store.regions ??= {})[name] = { contexts, element };
  return element(page);
}

/** `children` inside the contexts a region recorded (app/page-splice.server.ts renders it so). */
export function WithContexts({ values, children }: { values: unknown[]; children: ReactNode }): ReactElement {
  return CONTEXTS.reduceRight<ReactElement>(
    (inner, context, i) => createElement(context.Provider, { value: values[i] }, inner),
    <>{children}</>,
  );
}
