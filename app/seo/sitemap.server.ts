/**
 * robots.txt and sitemap.xml: what search engines may read, and the list of the
 * public pages and public campaigns (absolute URLs from the public address).
 */
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { campaignPath } from "~/domain/paths";
import { LEGAL_LINKS } from "~/legal/links";
import { isPublicPage } from "~/models/campaigns.server";
import { absoluteUrl } from "./meta";

/** Areas that are personal or for the team: never crawled. */
export const DISALLOWED_PATHS = ["/gestion", "/porteur", "/mon-compte", "/connexion", "/demo", "/dev"];

/**
 * The public pages that are not campaigns. A new public page adds its path here
 * (the sitemap test checks that each answers 200).
 */
/** The public pages besides the campaigns: the footer's legal and trust pages are all listed. */
export const PUBLIC_PAGES = [
  ...new Set(["/", "/campagnes", "/proposer-un-projet", ...LEGAL_LINKS.map((link) => link.to)]),
];

export function robotsTxt(base: string): string {
  return [
    "User-agent: *",
    ...DISALLOWED_PATHS.map((p) => `Disallow: ${p}`),
    "",
    `Sitemap: ${absoluteUrl(base, "/sitemap.xml")}`,
    "",
  ].join("\n");
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface SitemapEntry {
  loc: string;
  lastmod?: string;
}

export async function sitemapEntries(db: Kysely<DB>, base: string): Promise<SitemapEntry[]> {
  const campaigns = await db
    .selectFrom("campaigns as c")
    .select(["c.slug", "c.updated_at"])
    .where((eb) => isPublicPage(eb))
    .orderBy("c.id")
    .execute();
  const latest = campaigns.reduce<string | undefined>(
    (max, c) => (!max || c.updated_at > max ? c.updated_at : max),
    undefined,
  );
  return [
    ...PUBLIC_PAGES.map((p) => ({
      loc: absoluteUrl(base, p),
      // The home page and the list change with the campaigns.
      lastmod: p === "/" || p === "/campagnes" ? latest?.slice(0, 10) : undefined,
    })),
    ...campaigns.map((c) => ({
      loc: absoluteUrl(base, campaignPath(c.slug)),
      lastmod: c.updated_at.slice(0, 10),
    })),
  ];
}

export function sitemapXml(entries: SitemapEntry[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...entries.map(
      (e) =>
        `  <url><loc>${xmlEscape(e.loc)}</loc>${e.lastmod ? `<lastmod>${xmlEscape(e.lastmod)}</lastmod>` : ""}</url>`,
    ),
    "</urlset>",
    "",
  ].join("\n");
}
