import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ContributionList } from "~/components/contribution-list";
import { Pagination } from "~/components/pagination";
import { database } from "~/db.server";
import { formatInteger, plural } from "~/domain/format";
import { contributionsPage } from "~/models/campaigns.server";
import { campaignPath, contributorsPath } from "~/domain/paths";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Contributions — ${data.campaign.title} — Propulsons` : "Contributions — Propulsons" },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  if (!/^[a-z0-9-]{1,120}$/.test(slug)) throw new Response("Projet introuvable.", { status: 404 });
  const raw = new URL(request.url).searchParams.get("page");
  const page = raw === null || raw === "" ? 1 : Number(raw);
  if (!Number.isSafeInteger(page) || page < 1) {
    throw new Response("Numéro de page invalide\u00a0: un nombre entier positif est attendu.", {
      status: 400,
    });
  }
  const data = await contributionsPage(database().db, slug, page);
  if (!data) throw new Response("Projet introuvable.", { status: 404 });
  if (page > data.pageCount) throw new Response("Cette page de contributions n’existe pas.", { status: 404 });
  return data;
}

export default function Contributions() {
  const data = useLoaderData<typeof loader>();
  return (
    <div className="container page">
      <p>
        <Link to={campaignPath(data.campaign.slug)}>← Retour au projet</Link>
      </p>
      <h1>Contributions à «&nbsp;{data.campaign.title}&nbsp;»</h1>
      <p>
        {formatInteger(data.total)} {plural(data.total, "contribution", "contributions")}, de la plus récente
        à la plus ancienne.
      </p>
      {data.items.length === 0 ? (
        <p>Aucune contribution pour le moment.</p>
      ) : (
        <ContributionList items={data.items} />
      )}
      <Pagination
        page={data.page}
        pageCount={data.pageCount}
        href={(p) => contributorsPath(data.campaign.slug, p)}
      />
    </div>
  );
}
