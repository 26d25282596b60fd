/**
 * Demo only: one message of the mocked outbox, as the recipient would see it
 * (resource route: the email's own HTML document). 404 outside demo mode.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { config } from "~/config.server";
import { readOutbox } from "~/demo-outbox.server";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function loader({ params }: LoaderFunctionArgs) {
  const cfg = config();
  if (!cfg.demoMode) throw new Response("Page introuvable.", { status: 404 });
  const message = readOutbox(cfg.demoOutboxPath).find((m) => m.id === params.id);
  if (!message) throw new Response("Message introuvable.", { status: 404 });
  const html =
    message.html ??
    `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(message.subject)}</title></head>` +
      `<body><pre style="white-space: pre-wrap">${escapeHtml(message.text ?? "")}</pre></body></html>`;
  return new Response(html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      // The email's HTML is shown as is: no script, no outside resource, no framing.
      "Content-Security-Policy":
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
