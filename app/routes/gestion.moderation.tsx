import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { formatDate, formatDateTime, formatEuros } from "~/domain/format";
import { moderationQueue } from "~/staff/moderation.server";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction = () => [
  { title: "Modération — Espace Département — Propulsons" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ["staff"]);
  return { queue: await moderationQueue(database().db) };
}

export default function Moderation() {
  const { queue } = useLoaderData<typeof loader>();
  return (
    <div className="container page">
      <h1>Modération</h1>
      <p>Les campagnes soumises par les porteurs, la plus ancienne en premier.</p>
      {queue.length === 0 ? (
        <p>Aucune campagne n’attend de validation.</p>
      ) : (
        <TableScroll label="Campagnes en attente de validation">
          <table className="table">
            <caption className="visually-hidden">Campagnes en attente de validation</caption>
            <thead>
              <tr>
                <th scope="col">Campagne</th>
                <th scope="col">Structure</th>
                <th scope="col">Territoire</th>
                <th scope="col">Objectif</th>
                <th scope="col">Fin souhaitée</th>
                <th scope="col">Soumise le</th>
              </tr>
            </thead>
            <tbody>
              {queue.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`/gestion/campagnes/${c.id}`}>{c.title}</Link>
                    {c.changes_requested > 0 ? (
                      <span className="tag">Resoumise après modifications</span>
                    ) : null}
                  </th>
                  <td>{c.organization}</td>
                  <td>{c.territory}</td>
                  <td>{formatEuros(c.goal_cents)}</td>
                  <td>{formatDate(c.ends_at)}</td>
                  <td>{c.submitted_at ? formatDateTime(c.submitted_at) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}
