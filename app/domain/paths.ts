/**
 * Addresses of the public pages, in one place (pure: the browser and the server both use them).
 * A link in an e-mail prefixes the platform's public address (app/public-url.server.ts).
 */

/** The public page of a campaign. */
export function campaignPath(slug: string): string {
  return `/campagnes/${encodeURIComponent(slug)}`;
}

/** The public list of a campaign's contributors, page `page` (1 has no query string). */
export function contributorsPath(slug: string, page = 1): string {
  return `${campaignPath(slug)}/contributeurs${page > 1 ? `?page=${page}` : ""}`;
}
