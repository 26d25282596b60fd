/**
 * Security headers. The Content-Security-Policy allows scripts from our own origin and inline
 * scripts that carry this render's nonce (Remix's hydration data, its module loader, scroll
 * restoration): no 'unsafe-inline' for scripts, so markup slipped into a page cannot run.
 * Each render draws its own nonce (server.ts); a page the cache keeps replays its nonce with
 * its own body and header, which stays safe (docs/decisions/014-csp-nonce-and-page-cache.md).
 * Inline styles stay allowed (style attributes of charts and progress bars).
 */
import crypto from "node:crypto";

/** One year, the minimum the HSTS preload list asks for. */
export const HSTS = "max-age=31536000; includeSubDomains";

/** A fresh nonce: 128 random bits, base64. */
export function newCspNonce(): string {
  return crypto.randomBytes(16).toString("base64");
}

export function contentSecurityPolicy(nonce: string | undefined): string {
  return [
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    nonce ? `script-src 'self' 'nonce-${nonce}'` : "script-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
}

/**
 * Headers for an HTML response. `production`: also Strict-Transport-Security (a production
 * deployment is served over HTTPS only; a browser ignores the header over plain HTTP anyway).
 */
export function securityHeaders(options: { nonce?: string; production: boolean }): Array<[string, string]> {
  return [
    ["Content-Security-Policy", contentSecurityPolicy(options.nonce)],
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "strict-origin-when-cross-origin"],
    ["X-Frame-Options", "DENY"],
    ["Permissions-Policy", "camera=(), microphone=(), geolocation=()"],
    ...(options.production ? [["Strict-Transport-Security", HSTS] as [string, string]] : []),
  ];
}

/** Headers set on every HTML response (a route may set a stricter value first: it is kept). */
export function applySecurityHeaders(
  headers: Headers,
  options: { nonce?: string; production: boolean },
): void {
  for (const [name, value] of securityHeaders(options)) {
    if (!headers.has(name)) headers.set(name, value);
  }
}
