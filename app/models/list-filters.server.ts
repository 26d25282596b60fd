/**
 * The campaign list's URL filters (?q=…&territoire=…&theme=…&statut=…&label=…&tri=…&page=…),
 * validated with zod. Unknown values are a 400 with a French message; the keyword query `q`
 * accepts anything (app/search/query.ts turns it into plain words).
 */
import { NBSP } from "~/domain/typography";
import { z } from "zod";
import { parseSearch, SORT_VALUES, type SearchQuery, type Sort } from "~/search/query";
import type { SearchFilters } from "~/search/list.server";

const emptyAsMissing = (value: unknown) => (value === "" ? undefined : value);

const slug = z.preprocess(
  emptyAsMissing,
  z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, "identifiant invalide")
    .optional(),
);

export const listQuerySchema = z.object({
  q: z.string().optional(),
  territoire: slug,
  theme: slug,
  statut: z.preprocess(
    emptyAsMissing,
    z
      .enum(["en-cours", "reussies", "non-financees"], {
        error: "statut inconnu (en-cours, reussies ou non-financees)",
      })
      .optional(),
  ),
  label: z.preprocess(
    emptyAsMissing,
    z.enum(["budget-citoyen"], { error: "label inconnu (budget-citoyen)" }).optional(),
  ),
  tri: z.preprocess(
    emptyAsMissing,
    z
      .enum(SORT_VALUES as [Sort, ...Sort[]], {
        error: "tri inconnu (pertinence, fin, recentes, financees ou objectif)",
      })
      .optional(),
  ),
  page: z.preprocess(
    emptyAsMissing,
    z.coerce
      .number({ error: "numéro de page invalide" })
      .int("numéro de page invalide")
      .min(1, "numéro de page invalide")
      .max(100_000, "numéro de page invalide")
      .default(1),
  ),
});

export type ParsedFilters =
  | {
      ok: true;
      filters: SearchFilters;
      search: SearchQuery;
      query: { q?: string; territoire?: string; theme?: string; statut?: string; label?: string; tri?: Sort };
    }
  | { ok: false; message: string };

export function parseListQuery(
  url: URL,
  known: { territories: Set<string>; themes: Set<string> },
): ParsedFilters {
  const raw: Record<string, string> = {};
  for (const key of ["q", "territoire", "theme", "statut", "label", "tri", "page"]) {
    const value = url.searchParams.get(key);
    if (value !== null) raw[key] = value;
  }
  const parsed = listQuerySchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      ok: false,
      message: `Filtre «${NBSP}${String(first?.path[0] ?? "")}${NBSP}»${NBSP}: ${first?.message ?? "valeur invalide"}.`,
    };
  }
  const q = parsed.data;
  if (q.territoire && !known.territories.has(q.territoire)) {
    return {
      ok: false,
      message: `Filtre «${NBSP}territoire${NBSP}»${NBSP}: le territoire «${NBSP}${q.territoire}${NBSP}» n’existe pas.`,
    };
  }
  if (q.theme && !known.themes.has(q.theme)) {
    return {
      ok: false,
      message: `Filtre «${NBSP}thème${NBSP}»${NBSP}: le thème «${NBSP}${q.theme}${NBSP}» n’existe pas.`,
    };
  }
  const search = parseSearch(q.q ?? "");
  return {
    ok: true,
    search,
    filters: {
      words: search.words,
      sort: q.tri,
      territory: q.territoire,
      theme: q.theme,
      status: q.statut,
      budgetCitoyen: q.label === "budget-citoyen",
      page: q.page,
    },
    query: {
      q: search.words.length > 0 ? search.text : undefined,
      territoire: q.territoire,
      theme: q.theme,
      statut: q.statut,
      label: q.label,
      tri: q.tri,
    },
  };
}
