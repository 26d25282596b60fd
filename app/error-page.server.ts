/**
 * The French page for an error the server answers before Remix renders anything: a body
 * too large, a malformed URL, an HTTP request Node cannot parse, an unexpected failure.
 * Same stylesheet and header as the platform's pages, no script.
 */
import { STATUS_CODES } from "node:http";
import { errorTexts } from "./error-texts";
import { LEGAL_LINKS } from "./legal/links";

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" })[c]!,
  );
}

/** The whole HTML document; `stylesheet` is the platform's CSS (root route's link), when known. */
export function errorPageHtml(status: number, stylesheet?: string, message?: string): string {
  const texts = errorTexts(status);
  const css = stylesheet ? `<link rel="stylesheet" href="${escapeHtml(stylesheet)}"/>` : "";
  return (
    `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"/>` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"/>` +
    `<title>${escapeHtml(texts.title)} — Propulsons</title>${css}</head><body>` +
    `<header class="site-header" role="banner"><div class="container site-header__inner">` +
    `<a href="/" class="brand"><span class="brand__name">Propulsons</span>` +
    `<span class="brand__tagline">Le financement participatif solidaire du Pas-de-Calais</span></a>` +
    `</div></header><main id="contenu" class="container page"><h1>${escapeHtml(texts.title)}</h1>` +
    `<p>${escapeHtml(message ?? texts.message)}</p>` +
    `<p><a href="/">Revenir à l’accueil</a> ou <a href="/campagnes">voir tous les projets</a>.</p>` +
    `</main><footer class="site-footer" role="contentinfo"><div class="container">` +
    `<nav aria-label="Informations légales et pratiques"><ul class="footer-links">` +
    LEGAL_LINKS.map((l) => `<li><a href="${l.to}">${escapeHtml(l.label)}</a></li>`).join("") +
    `</ul></nav></div></footer></body></html>`
  );
}

/** A raw HTTP/1.1 response for a socket Node's parser gave up on (clientError). */
export function rawErrorResponse(
  status: number,
  headers: Array<[string, string]>,
  stylesheet?: string,
): string {
  const body = errorPageHtml(status, stylesheet);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}`,
    "Content-Type: text/html; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Connection: close",
    ...headers.map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join("\r\n")}\r\n\r\n${body}`;
}
