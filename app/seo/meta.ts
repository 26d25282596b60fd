/**
 * Page metadata for search engines and sharing: title, meta description, canonical
 * URL, Open Graph and Twitter card tags. Absolute URLs start from the platform's
 * public address (PUBLIC_URL, else http://localhost:$PORT), which the root loader
 * sends with its data.
 *
 * Two ways for a page to get its tags:
 * - by default, the layout (app/root.tsx, <SeoDefaults />) adds the platform's
 *   description, the canonical URL of the path (without query string) and the
 *   Open Graph basics;
 * - a route that describes itself uses `seoMeta()` in its `meta` export and exports
 *   `handle = SEO_HANDLE`, so that the layout adds nothing of its own (no duplicates).
 *   A route that only needs its own canonical (a filtered list) uses `canonicalLink()`
 *   and exports the handle too.
 */
import type { MetaDescriptor } from "@remix-run/node";

export const SITE_NAME = "Propulsons";
export const DEFAULT_DESCRIPTION =
  "Soutenez les projets de l’économie sociale et solidaire du Pas-de-Calais\u00a0: associations, coopératives et entreprises à finalité sociale, en financement participatif «\u00a0tout ou rien\u00a0».";
/** the picture shared for pages without their own (180 × 180, the platform's mark) */
export const DEFAULT_IMAGE_PATH = "/apple-touch-icon.png";

/** Mark of a route whose `meta` gives its own description and canonical URL. */
export const SEO_HANDLE = { seo: "own" } as const;

export function hasOwnSeo(handle: unknown): boolean {
  return typeof handle === "object" && handle !== null && (handle as { seo?: unknown }).seo === "own";
}

/** `base` + `path`, one slash between; an absolute `path` is kept as it is. */
export function absoluteUrl(base: string, path: string): string {
  if (/^https?:\/\//.test(path)) return path;
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** The canonical link of a page, as a meta descriptor (an absolute URL). */
export function canonicalLink(url: string): MetaDescriptor {
  return { tagName: "link", rel: "canonical", href: url };
}

/** The public address sent by the root loader, from a meta function's `matches`. */
export function publicUrlFrom(matches: ReadonlyArray<{ id: string; data: unknown }>): string {
  const root = matches.find((m) => m.id === "root")?.data as { publicUrl?: string } | undefined;
  return root?.publicUrl ?? "";
}

export interface SeoInput {
  /** the page's title, without the site's name */
  title: string;
  description: string;
  /** absolute base URL (publicUrlFrom(matches)) */
  base: string;
  /** the page's path, e.g. /campagnes/mon-projet (no query string) */
  path: string;
  /** the shared picture: a path or an absolute URL, with its text alternative */
  image?: { src: string; alt: string; width?: number; height?: number } | null;
  type?: "website" | "article";
}

/** Every tag a page needs: title, description, canonical, Open Graph, Twitter card. */
export function seoMeta(input: SeoInput): MetaDescriptor[] {
  const url = absoluteUrl(input.base, input.path);
  const fullTitle = `${input.title} — ${SITE_NAME}`;
  const image = input.image
    ? { ...input.image, src: absoluteUrl(input.base, input.image.src) }
    : { src: absoluteUrl(input.base, DEFAULT_IMAGE_PATH), alt: SITE_NAME, width: 180, height: 180 };
  const big = Boolean(input.image);
  return [
    { title: fullTitle },
    { name: "description", content: input.description },
    canonicalLink(url),
    { property: "og:site_name", content: SITE_NAME },
    { property: "og:locale", content: "fr_FR" },
    { property: "og:type", content: input.type ?? "website" },
    { property: "og:title", content: input.title },
    { property: "og:description", content: input.description },
    { property: "og:url", content: url },
    { property: "og:image", content: image.src },
    { property: "og:image:alt", content: image.alt },
    ...(image.width ? [{ property: "og:image:width", content: String(image.width) }] : []),
    ...(image.height ? [{ property: "og:image:height", content: String(image.height) }] : []),
    { name: "twitter:card", content: big ? "summary_large_image" : "summary" },
    { name: "twitter:title", content: input.title },
    { name: "twitter:description", content: input.description },
    { name: "twitter:image", content: image.src },
    { name: "twitter:image:alt", content: image.alt },
  ];
}

/** A description fit for a meta tag: one line, at most about 200 characters, cut at a word. */
export function shortDescription(text: string, max = 200): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), max / 2)).replace(/[\s,;:.]+$/, "")}…`;
}
