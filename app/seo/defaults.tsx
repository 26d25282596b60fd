/**
 * The tags every page gets unless its route gives its own (app/seo/meta.ts):
 * the platform's description, the canonical URL of the path (never its query
 * string) and the Open Graph / Twitter basics. An error page (404, 403…) has no canonical URL
 * and no sharing tags, and asks search engines not to index it: it is not a page of the site.
 */
import { useLocation, useMatches } from "@remix-run/react";
import { absoluteUrl, DEFAULT_DESCRIPTION, DEFAULT_IMAGE_PATH, hasOwnSeo, SITE_NAME } from "./meta";

export function SeoDefaults({ publicUrl, error }: { publicUrl: string; error: boolean }) {
  const matches = useMatches();
  const { pathname } = useLocation();
  if (error)
    return (
      <>
        <meta name="description" content={DEFAULT_DESCRIPTION} />
        <meta name="robots" content="noindex" />
      </>
    );
  if (matches.some((m) => hasOwnSeo(m.handle))) return null;
  const url = absoluteUrl(publicUrl, pathname);
  return (
    <>
      <meta name="description" content={DEFAULT_DESCRIPTION} />
      <link rel="canonical" href={url} />
      <meta property="og:site_name" content={SITE_NAME} />
      <meta property="og:locale" content="fr_FR" />
      <meta property="og:type" content="website" />
      <meta property="og:url" content={url} />
      <meta property="og:description" content={DEFAULT_DESCRIPTION} />
      <meta property="og:image" content={absoluteUrl(publicUrl, DEFAULT_IMAGE_PATH)} />
      <meta name="twitter:card" content="summary" />
    </>
  );
}
