/**
 * The campaign list's keyword search and sort, as pure functions: what a typed query becomes
 * (words folded to lower-case ASCII, never FTS syntax), the sorts and their URL values, and
 * the one canonical URL of a list (docs/decisions/025-campaign-search.md).
 */

/** Longer queries are cut to this many characters, and the page says so. */
export const MAX_QUERY_LENGTH = 200;
/** Words beyond this many are ignored (every word must match: more would find nothing). */
export const MAX_SEARCH_WORDS = 12;

/**
 * Small French words that carry no meaning for a search (elided articles included: « l’épicerie »
 * is « l » + « epicerie »). Dropped unless the query has nothing else.
 */
const STOP_WORDS = new Set([
  "a",
  "au",
  "aux",
  "c",
  "d",
  "de",
  "des",
  "du",
  "en",
  "et",
  "j",
  "l",
  "la",
  "le",
  "les",
  "m",
  "n",
  "ou",
  "par",
  "pour",
  "qu",
  "s",
  "sur",
  "t",
  "un",
  "une",
]);

/**
 * Lower-case ASCII letters and digits of a text, everything else a space: accents removed
 * (« Épicerie » → « epicerie »), « œ »/« æ » spelled out. The database side folds the indexed
 * text the same way (SQLite's unicode61 tokenizer with remove_diacritics 2, PostgreSQL's
 * propulsons_search_fold in migration 0016).
 */
export function foldText(text: string): string {
  return text
    .replace(/[œŒ]/g, "oe")
    .replace(/[æÆ]/g, "ae")
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** A query as typed, tidied: whitespace collapsed and trimmed (what the URL keeps). */
export function tidyQuery(raw: string): string {
  return raw.replace(/\s+/gu, " ").trim();
}

export interface SearchQuery {
  /** the query shown back and kept in the canonical URL (tidied, cut if too long) */
  text: string;
  /** true when the typed query was longer than MAX_QUERY_LENGTH and was cut */
  cut: boolean;
  /** the words searched for: lower-case ASCII, at most MAX_SEARCH_WORDS, the last one a prefix */
  words: string[];
}

/** Cut a tidied query to MAX_QUERY_LENGTH characters, at a space when there is one. */
function cutQuery(text: string): string {
  const chars = Array.from(text);
  if (chars.length <= MAX_QUERY_LENGTH) return text;
  const head = chars.slice(0, MAX_QUERY_LENGTH).join("");
  const space = head.lastIndexOf(" ");
  return (space > MAX_QUERY_LENGTH / 2 ? head.slice(0, space) : head).trim();
}

/** What a typed query searches for. Any input is accepted; nothing of it reaches SQL as syntax. */
export function parseSearch(raw: string): SearchQuery {
  const tidy = tidyQuery(raw);
  const text = cutQuery(tidy);
  const all = foldText(text).split(" ").filter(Boolean);
  const meaningful = all.filter((w) => !STOP_WORDS.has(w));
  const unique = [...new Set(meaningful.length > 0 ? meaningful : all)];
  return { text, cut: text !== tidy, words: unique.slice(0, MAX_SEARCH_WORDS) };
}

/**
 * The SQLite FTS5 MATCH expression: every word quoted (so « NEAR », « AND », « * » or « : » are
 * plain words), all required, the last one a prefix. Words are [a-z0-9]+ by construction.
 */
export function fts5Match(words: readonly string[]): string {
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? "*" : ""}`).join(" ");
}

/** The PostgreSQL to_tsquery('simple', …) text: words ANDed, the last one a prefix. */
export function pgTsQuery(words: readonly string[]): string {
  return words.map((w, i) => `${w}${i === words.length - 1 ? ":*" : ""}`).join(" & ");
}

/** Sorts, by URL value. « pertinence » needs words; without them it is « fin ». */
export const SORTS = {
  pertinence: "Pertinence",
  fin: "Se terminent bientôt",
  recentes: "Les plus récentes",
  financees: "Les plus financées",
  objectif: "Les plus proches de leur objectif",
} as const;
export type Sort = keyof typeof SORTS;
export const SORT_VALUES = Object.keys(SORTS) as Sort[];

/** The sort a list gets when the URL names none: relevance with words, else ending soonest. */
export function defaultSort(hasWords: boolean): Sort {
  return hasWords ? "pertinence" : "fin";
}

/** The sort actually applied: relevance means nothing without words. */
export function effectiveSort(sort: Sort | undefined, hasWords: boolean): Sort {
  const chosen = sort ?? defaultSort(hasWords);
  return chosen === "pertinence" && !hasWords ? "fin" : chosen;
}

/** A list's state, as its URL carries it (values already validated). */
export interface ListParams {
  q?: string | undefined;
  territoire?: string | undefined;
  theme?: string | undefined;
  statut?: string | undefined;
  label?: string | undefined;
  tri?: Sort | undefined;
  page?: number | undefined;
}

/** The parameters of a list URL, in their fixed order. */
export const LIST_PARAM_ORDER = ["q", "territoire", "theme", "statut", "label", "tri", "page"] as const;

/**
 * The one URL of a list: empty parameters dropped, defaults omitted (page 1, the default
 * sort — « pertinence » or « fin » without words), the query tidied and cut, parameters in
 * LIST_PARAM_ORDER; a query without a word to search (« !!! ») is dropped. Two URLs showing the same list give the same canonical URL.
 */
export function canonicalListPath(params: ListParams): string {
  const search = params.q ? parseSearch(params.q) : undefined;
  const q = search?.text;
  const hasWords = (search?.words.length ?? 0) > 0;
  const tri =
    params.tri && effectiveSort(params.tri, hasWords) !== defaultSort(hasWords) ? params.tri : undefined;
  const values: Record<(typeof LIST_PARAM_ORDER)[number], string | undefined> = {
    q: hasWords ? q : undefined,
    territoire: params.territoire || undefined,
    theme: params.theme || undefined,
    statut: params.statut || undefined,
    label: params.label || undefined,
    tri,
    page: params.page && params.page > 1 ? String(params.page) : undefined,
  };
  const query = new URLSearchParams();
  for (const key of LIST_PARAM_ORDER) {
    const value = values[key];
    if (value !== undefined) query.set(key, value);
  }
  const s = query.toString();
  return s ? `/campagnes?${s}` : "/campagnes";
}

/**
 * The path and query of a request URL as canonicalListPath would write them, ignoring Remix's
 * own data parameters (`_data`, `index`), so that the two can be compared.
 */
export function requestListPath(url: URL): string {
  const query = new URLSearchParams();
  for (const [key, value] of url.searchParams) {
    if (key !== "_data" && key !== "index") query.append(key, value);
  }
  const s = query.toString();
  return s ? `${url.pathname}?${s}` : url.pathname;
}
