import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { CampaignCard } from "~/components/campaign-card";
import { Pagination } from "~/components/pagination";
import { database } from "~/db.server";
import { formatInteger, plural } from "~/domain/format";
import { listCampaigns, listTerritories, listThemes } from "~/models/campaigns.server";
import { parseListQuery } from "~/models/list-filters.server";
import { Checkbox, Select } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Les projets${data.list.page > 1 ? ` (page ${data.list.page})` : ""} — Propulsons`
      : "Les projets — Propulsons",
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = database();
  const [territories, themes] = await Promise.all([listTerritories(db), listThemes(db)]);
  const parsed = parseListQuery(new URL(request.url), {
    territories: new Set(territories.map((t) => t.slug)),
    themes: new Set(themes.map((t) => t.slug)),
  });
  if (!parsed.ok) throw new Response(parsed.message, { status: 400 });
  const list = await listCampaigns(db, parsed.filters);
  if (parsed.filters.page > list.pageCount) {
    throw new Response("Cette page de résultats n'existe pas.", { status: 404 });
  }
  return { list, territories, themes, query: parsed.query, now: new Date().toISOString() };
}

function pageHref(query: Record<string, string | undefined>, page: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  if (page > 1) params.set("page", String(page));
  const s = params.toString();
  return s ? `/campagnes?${s}` : "/campagnes";
}

export default function CampaignList() {
  const { list, territories, themes, query, now } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const at = new Date(now);
  const filtered = Boolean(query.territoire || query.theme || query.statut || query.label);
  return (
    <div className="container page">
      <h1>Les projets</h1>
      <Form method="get" className="filters" aria-label="Filtrer les projets">
        <Select id="f-territoire" label="Territoire" name="territoire" defaultValue={query.territoire ?? ""}>
          <option value="">Tous les territoires</option>
          {territories.map((t) => (
            <option key={t.slug} value={t.slug}>
              {t.name}
            </option>
          ))}
        </Select>
        <Select id="f-theme" label="Thème" name="theme" defaultValue={query.theme ?? ""}>
          <option value="">Tous les thèmes</option>
          {themes.map((t) => (
            <option key={t.slug} value={t.slug}>
              {t.name}
            </option>
          ))}
        </Select>
        <Select id="f-statut" label="État" name="statut" defaultValue={query.statut ?? ""}>
          <option value="">Tous</option>
          <option value="en-cours">En cours</option>
          <option value="reussies">Réussies</option>
          <option value="non-financees">Non financées</option>
        </Select>
        <Checkbox
          frame="filter"
          id="f-label"
          name="label"
          value="budget-citoyen"
          label="Labellisés Budget Citoyen"
          defaultChecked={query.label === "budget-citoyen"}
        />
        <div className="filters__actions">
          <button type="submit" className="button">
            Filtrer
          </button>
          {filtered ? <Link to="/campagnes">Effacer les filtres</Link> : null}
        </div>
      </Form>

      <p className="results-count" role="status" aria-live="polite">
        {navigation.state === "loading"
          ? "Chargement des résultats…"
          : `${formatInteger(list.total)} ${plural(list.total, "projet trouvé", "projets trouvés")}`}
      </p>

      {list.items.length === 0 ? (
        <p>Aucun projet ne correspond à ces critères.</p>
      ) : (
        <div className="grid">
          {list.items.map((c) => (
            <CampaignCard key={c.id} campaign={c} now={at} headingLevel={2} />
          ))}
        </div>
      )}

      <Pagination page={list.page} pageCount={list.pageCount} href={(p) => pageHref(query, p)} />
    </div>
  );
}
