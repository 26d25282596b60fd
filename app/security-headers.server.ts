/** Headers set on every HTML response (a route may set a stricter value first: it is kept). */
export function applySecurityHeaders(headers: Headers): void {
  const setDefault = (name: string, value: string) => {
    if (!headers.has(name)) headers.set(name, value);
  };
  setDefault(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      "img-src 'self' data:",
      "style-src 'self' 'unsafe-inline'",
      // Remix inlines its hydration data; pages are cached, so no per-request nonce.
      "script-src 'self' 'unsafe-inline'",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "object-src 'none'",
    ].join("; "),
  );
  setDefault("X-Content-Type-Options", "nosniff");
  setDefault("Referrer-Policy", "strict-origin-when-cross-origin");
  setDefault("X-Frame-Options", "DENY");
  setDefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}
