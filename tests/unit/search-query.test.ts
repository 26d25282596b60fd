import { describe, expect, it } from "vitest";
import {
  canonicalListPath,
  effectiveSort,
  foldText,
  fts5Match,
  MAX_QUERY_LENGTH,
  MAX_SEARCH_WORDS,
  parseSearch,
  pgTsQuery,
  requestListPath,
  type ListParams,
} from "~/search/query";

describe("query sanitising", () => {
  it("folds accents, case, ligatures and punctuation to plain words", () => {
    expect(foldText("  Épicerie SOLIDAIRE à Liévin, cœur d’Æsop !")).toBe(
      "epicerie solidaire a lievin coeur d aesop",
    );
    expect(parseSearch("L’Épicerie  de   Lens").words).toEqual(["epicerie", "lens"]);
  });

  it("turns FTS syntax into plain quoted words, the last one a prefix", () => {
    const { words } = parseSearch("\"jardin* NEAR(a b) col:x & y | !z -w ('");
    expect(words).toEqual(["jardin", "near", "b", "col", "x", "y", "z", "w"]);
    expect(fts5Match(words)).toBe('"jardin" "near" "b" "col" "x" "y" "z" "w"*');
    expect(pgTsQuery(words)).toBe("jardin & near & b & col & x & y & z & w:*");
    for (const w of words) expect(w).toMatch(/^[a-z0-9]+$/);
  });

  it("keeps only meaningful words, unless there is nothing else", () => {
    expect(parseSearch("la ferme de la vallée").words).toEqual(["ferme", "vallee"]);
    expect(parseSearch("de la").words).toEqual(["de", "la"]);
    expect(parseSearch("*** ::: ").words).toEqual([]);
    expect(parseSearch("").words).toEqual([]);
    expect(parseSearch("lens lens LENS").words).toEqual(["lens"]);
  });

  it("cuts a query longer than 200 characters, at a space, and says so", () => {
    const long = "recyclerie ".repeat(30);
    const parsed = parseSearch(long);
    expect(parsed.cut).toBe(true);
    expect(Array.from(parsed.text).length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
    expect(parsed.text.endsWith("recyclerie")).toBe(true);
    const exact = "a".repeat(MAX_QUERY_LENGTH);
    expect(parseSearch(exact).cut).toBe(false);
    expect(parseSearch(exact + "b").cut).toBe(true);
    expect(parseSearch(exact + "b").text).toBe(exact);
    const many = Array.from({ length: 40 }, (_, i) => `mot${i}`).join(" ");
    expect(parseSearch(many).words).toHaveLength(MAX_SEARCH_WORDS);
  });
});

describe("sorts", () => {
  it("relevance by default with words, ending soonest without", () => {
    expect(effectiveSort(undefined, true)).toBe("pertinence");
    expect(effectiveSort(undefined, false)).toBe("fin");
    expect(effectiveSort("pertinence", false)).toBe("fin");
    expect(effectiveSort("objectif", true)).toBe("objectif");
  });
});

describe("canonical list URLs", () => {
  it("drops empty parameters and defaults, in a fixed order", () => {
    expect(canonicalListPath({})).toBe("/campagnes");
    expect(canonicalListPath({ q: "", territoire: "", theme: "", statut: "", tri: "fin", page: 1 })).toBe(
      "/campagnes",
    );
    expect(
      canonicalListPath({ page: 2, tri: "recentes", theme: "alimentation", q: " épicerie   lens " }),
    ).toBe("/campagnes?q=%C3%A9picerie+lens&theme=alimentation&tri=recentes&page=2");
    expect(canonicalListPath({ q: "jardin", tri: "pertinence" })).toBe("/campagnes?q=jardin");
    expect(canonicalListPath({ q: "jardin", tri: "fin" })).toBe("/campagnes?q=jardin&tri=fin");
    expect(canonicalListPath({ tri: "pertinence" })).toBe("/campagnes");
    expect(canonicalListPath({ q: "!!!", label: "budget-citoyen" })).toBe("/campagnes?label=budget-citoyen");
  });

  it("is stable: a canonical URL read back gives itself", () => {
    const cases: ListParams[] = [
      { q: "ferme « bio » d’Arras", statut: "en-cours", tri: "objectif", page: 3 },
      { q: "a+b&c=d%", territoire: "artois" },
      { label: "budget-citoyen", tri: "financees" },
    ];
    for (const params of cases) {
      const path = canonicalListPath(params);
      const url = new URL(`http://localhost${path}`);
      const back = Object.fromEntries(url.searchParams);
      expect(canonicalListPath({ ...back, page: back.page ? Number(back.page) : undefined })).toBe(path);
      expect(requestListPath(url)).toBe(path);
    }
  });

  it("compares a request URL without Remix's data parameters", () => {
    const url = new URL("http://localhost/campagnes?q=jardin&_data=routes%2Fcampagnes._index&index");
    expect(requestListPath(url)).toBe("/campagnes?q=jardin");
    expect(requestListPath(new URL("http://localhost/campagnes?theme=&q=jardin"))).not.toBe(
      canonicalListPath({ q: "jardin" }),
    );
  });
});
