/**
 * Demo only: the messages the mocked Resend API accepted (app/demo/resend-api.server.ts),
 * newest first. 404 outside demo mode.
 */
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { config } from "~/config.server";
import { formatDateTime, formatInteger, plural } from "~/domain/format";
import { readOutbox } from "~/demo-outbox.server";

export const meta: MetaFunction = () => [
  { title: "Boîte d’envoi (mode démonstration) — Propulsons" },
  { name: "robots", content: "noindex" },
];

export async function loader(_: LoaderFunctionArgs) {
  const cfg = config();
  if (!cfg.demoMode) throw new Response("Page introuvable.", { status: 404 });
  const messages = readOutbox(cfg.demoOutboxPath)
    .map((m, index) => ({ m, index }))
    // newest first; messages written in the same millisecond keep their file order, reversed
    .sort((a, b) => b.m.createdAt.localeCompare(a.m.createdAt) || b.index - a.index)
    .map(({ m }) => ({
      id: m.id,
      createdAt: m.createdAt,
      date: formatDateTime(m.createdAt),
      to: m.to.join(", "),
      subject: m.subject,
    }));
  return { messages };
}

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export default function DemoOutbox() {
  const { messages } = useLoaderData<typeof loader>();
  return (
    <div className="container page">
      <h1>Boîte d’envoi (mode démonstration)</h1>
      <p>
        En mode démonstration, aucun courriel n’est réellement envoyé&nbsp;: chaque message transmis au
        service d’envoi est conservé ici, du plus récent au plus ancien.
      </p>
      {messages.length === 0 ? (
        <p>Aucun message pour le moment.</p>
      ) : (
        <>
          <p>
            {formatInteger(messages.length)} {plural(messages.length, "message", "messages")}.
          </p>
          <table className="table">
            <caption className="visually-hidden">Messages envoyés, du plus récent au plus ancien</caption>
            <thead>
              <tr>
                <th scope="col">Date (heure de Paris)</th>
                <th scope="col">Destinataire</th>
                <th scope="col">Objet</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td>
                    <time dateTime={m.createdAt}>{m.date}</time>
                  </td>
                  <td>{m.to}</td>
                  <td>{m.subject}</td>
                  <td>
                    <a href={`/dev/outbox/${encodeURIComponent(m.id)}`}>
                      Voir le message<span className="visually-hidden">&nbsp;: {m.subject}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
