import { NBSP } from "~/domain/typography";
import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { CampaignCard } from "~/components/campaign-card";
import { Pagination } from "~/components/pagination";
import { database } from "~/db.server";
import { formatInteger, plural } from "~/domain/format";
import { listTerritories, listThemes } from "~/models/campaigns.server";
import { parseListQuery } from "~/models/list-filters.server";
import { publicUrlFrom, SEO_HANDLE, seoMeta } from "~/seo/meta";
import { findCampaigns } from "~/search/list.server";
import { canonicalListPath, MAX_QUERY_LENGTH, requestListPath, SORTS, type ListParams } from "~/search/query";
import { Checkbox, Field, Select } from "~/components/form";

// The list's own tags: its canonical URL keeps the normalised query (app/search/query.ts).
const LIST_DESCRIPTION =
  "Les projets solidaires du Pas-de-Calais en financement participatif\u00a0: cherchez par mot, territoire, thème ou état.";

export const handle = SEO_HANDLE;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  seoMeta({
    title: data
      ? `${data.query.q ? `Recherche «${NBSP}${data.query.q}${NBSP}»` : "Les projets"}${
          data.list.page > 1 ? ` (page ${data.list.page})` : ""
        }`
      : "Les projets",
    description: LIST_DESCRIPTION,
    base: publicUrlFrom(matches),
    path: data?.canonicalPath ?? "/campagnes",
  });

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, dialect } = database();
  const [territories, themes] = await Promise.all([listTerritories(db), listThemes(db)]);
  const url = new URL(request.url);
  const parsed = parseListQuery(url, {
    territories: new Set(territories.map((t) => t.slug)),
    themes: new Set(themes.map((t) => t.slug)),
  });
  if (!parsed.ok) throw new Response(parsed.message, { status: 400 });
  const params: ListParams = { ...parsed.query, page: parsed.filters.page };
  const canonicalPath = canonicalListPath(params);
  // One URL per list (docs/decisions/025-campaign-search.md): a form sent with empty fields, or
  // parameters in another order, is sent to the canonical URL. A query cut for its length is not
  // (the page says it was cut), nor is a request carrying Remix's own data parameters only.
  if (!parsed.search.cut && requestListPath(url) !== canonicalPath) throw redirect(canonicalPath, 302);
  const list = await findCampaigns({ db, dialect }, parsed.filters);
  if (parsed.filters.page > list.pageCount) {
    throw new Response("Cette page de résultats n’existe pas.", { status: 404 });
  }
  return {
    list,
    territories,
    themes,
    query: parsed.query,
    cut: parsed.search.cut,
    canonicalPath,
    now: new Date().toISOString(),
  };
}

export default function CampaignList() {
  const { list, territories, themes, query, cut, now } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const at = new Date(now);
  const params: ListParams = query;
  const filtered = Boolean(query.territoire || query.theme || query.statut || query.label);
  const withoutSearch = canonicalListPath({ ...params, q: undefined });
  const withoutFilters = canonicalListPath({ q: query.q, tri: query.tri });
  const count = `${formatInteger(list.total)} ${plural(list.total, "projet trouvé", "projets trouvés")}`;
  return (
    <div className="container page">
      <h1>Les projets</h1>
      <Form method="get" className="filters" role="search" aria-label="Rechercher et filtrer les projets">
        <div className="filters__search">
          <Field
            id="f-q"
            label="Rechercher"
            hint="Un mot du titre, de la présentation, le nom de la structure ou sa commune."
            type="search"
            name="q"
            defaultValue={query.q ?? ""}
          />
        </div>
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
        <Select id="f-tri" label="Trier par" name="tri" defaultValue={query.tri ?? ""}>
          <option value="">{SORTS.pertinence}</option>
          <option value="fin">{SORTS.fin}</option>
          <option value="recentes">{SORTS.recentes}</option>
          <option value="financees">{SORTS.financees}</option>
          <option value="objectif">{SORTS.objectif}</option>
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
            Rechercher
          </button>
          {query.q ? <Link to={withoutSearch}>Effacer la recherche</Link> : null}
          {filtered ? <Link to={withoutFilters}>Effacer les filtres</Link> : null}
        </div>
      </Form>

      {cut ? (
        <p className="search-notice" role="status">
          Votre recherche dépassait {MAX_QUERY_LENGTH}&nbsp;caractères&nbsp;: seuls les {MAX_QUERY_LENGTH}{" "}
          premiers ont été pris en compte.
        </p>
      ) : null}

      <p className="results-count" role="status" aria-live="polite">
        {navigation.state === "loading"
          ? "Chargement des résultats…"
          : query.q
            ? `${count} pour «${NBSP}${query.q}${NBSP}»`
            : count}
      </p>

      {list.items.length === 0 ? (
        <div className="empty-results">
          <p>
            {query.q
              ? `Aucun projet ne correspond à «${NBSP}${query.q}${NBSP}»${filtered ? " avec ces filtres" : ""}.`
              : "Aucun projet ne correspond à ces critères."}
          </p>
          <p className="empty-results__ways">
            {query.q ? <Link to={withoutSearch}>Effacer la recherche</Link> : null}
            {query.q || filtered ? <Link to="/campagnes">Voir tous les projets</Link> : null}
          </p>
        </div>
      ) : (
        <div className="grid">
          {list.items.map((c) => (
            <CampaignCard key={c.id} campaign={c} now={at} headingLevel={2} />
          ))}
        </div>
      )}

      <Pagination
        page={list.page}
        pageCount={list.pageCount}
        href={(p) => canonicalListPath({ ...params, page: p })}
      />
    </div>
  );
}
