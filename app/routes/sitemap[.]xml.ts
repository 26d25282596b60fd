/** The public pages and the public campaigns, for search engines. */
import { config } from "~/config.server";
import { database } from "~/db.server";
import { sitemapEntries, sitemapXml } from "~/seo/sitemap.server";

export async function loader() {
  const entries = await sitemapEntries(database().db, config().publicUrl);
  return new Response(sitemapXml(entries), {
    headers: { "Content-Type": "application/xml; charset=utf-8", "Cache-Control": "public, max-age=600" },
  });
}
