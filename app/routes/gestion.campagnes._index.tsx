import { NBSP } from "~/domain/typography";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { CAMPAIGN_STATES, STATE_LABELS, type CampaignState } from "~/domain/campaign-machine";
import { countOf, formatDate } from "~/domain/format";
import { staffCampaignList } from "~/staff/moderation.server";
import { Select } from "~/components/form";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction = () => [
  { title: "Campagnes — Espace Département — Propulsons" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ["staff"]);
  const etat = new URL(request.url).searchParams.get("etat") ?? "";
  if (etat !== "" && !(CAMPAIGN_STATES as readonly string[]).includes(etat)) {
    throw new Response("État de campagne inconnu.", { status: 400 });
  }
  const status = etat === "" ? null : (etat as CampaignState);
  const rows = await staffCampaignList(database().db, status);
  return { status, campaigns: rows.map((c) => ({ ...c, statusLabel: STATE_LABELS[c.status] })) };
}

export default function StaffCampaigns() {
  const d = useLoaderData<typeof loader>();
  return (
    <div className="container page">
      <h1>Toutes les campagnes</h1>
      <Form method="get" className="filters">
        <Select id="f-etat" label="État" name="etat" defaultValue={d.status ?? ""}>
          <option value="">Tous</option>
          {CAMPAIGN_STATES.map((s) => (
            <option key={s} value={s}>
              {STATE_LABELS[s]}
            </option>
          ))}
        </Select>
        <button type="submit" className="button button--secondary">
          Filtrer
        </button>
      </Form>
      <p role="status">{countOf(d.campaigns.length, "campagne", "campagnes")}.</p>
      <TableScroll label="Campagnes">
        <table className="table">
          <caption className="visually-hidden">
            Campagnes{d.status ? ` à l’état «${NBSP}${STATE_LABELS[d.status]}${NBSP}»` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Campagne</th>
              <th scope="col">Structure</th>
              <th scope="col">État</th>
              <th scope="col">Début</th>
              <th scope="col">Fin</th>
              <th scope="col">Budget Citoyen</th>
              <th scope="col">Mise en avant</th>
            </tr>
          </thead>
          <tbody>
            {d.campaigns.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <Link to={`/gestion/campagnes/${c.id}`}>{c.title}</Link>
                </th>
                <td>{c.organization}</td>
                <td>{c.statusLabel}</td>
                <td>{formatDate(c.starts_at)}</td>
                <td>{formatDate(c.ends_at)}</td>
                <td>{c.budget_citoyen_year ?? "—"}</td>
                <td>{c.featured === 1 ? "Oui" : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}
