/**
 * Holder: the abondement funds that concern one of their campaigns — their terms, and for a
 * campaign chosen one by one, « J’accepte les conditions de l’abondement » (no match before it).
 */
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { database } from "~/db.server";
import { field, readForm } from "~/forms.server";
import { formatDate, formatDateTime, formatEuros } from "~/domain/format";
import { requireOwnCampaign } from "~/holder/campaigns.server";
import { renderMarkdown } from "~/markdown.server";
import { acceptTerms, holderMatchings, rulesSentence } from "~/matching/acceptance.server";

export const meta: MetaFunction = () => [{ title: "Abondement du Département — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id, c } = await requireOwnCampaign(request, params.id);
  const funds = await holderMatchings(database().db, id);
  return {
    id,
    title: c.title,
    funds: funds.map((f) => ({
      fundId: f.fundId,
      name: f.name,
      scope: f.scope,
      year: f.budgetCitoyenYear,
      rules: rulesSentence(f),
      phase: f.phase,
      termsHtml: renderMarkdown(f.termsMd),
      acceptedAt: f.acceptedAt,
      acceptedBy: f.acceptedBy,
      matchedCents: f.matchedCents,
      endsAt: f.endsAt,
    })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { id, user } = await requireOwnCampaign(request, params.id);
  const form = await readForm(request);
  const fundId = field(form, "fonds");
  if (field(form, "intent") !== "accept" || !/^\d{1,9}$/.test(fundId))
    return data({ fundId: null, message: "Action inconnue." }, { status: 400 });
  const r = await acceptTerms(database().db, { userId: user.id, campaignId: id, fundId: Number(fundId) });
  if (!r.ok) return data({ fundId: Number(fundId), message: r.message }, { status: r.status });
  return redirect(`/porteur/campagnes/${id}/abondement?accepte=${fundId}`, 303);
}

export default function HolderMatching() {
  const d = useLoaderData<typeof loader>();
  const submitted = useActionData<typeof action>();
  const [search] = useSearchParams();
  const accepted = search.get("accepte");
  return (
    <div className="container page prose-page">
      <p>
        <Link to={`/porteur/campagnes/${d.id}/tableau-de-bord`}>← Tableau de bord</Link>
      </p>
      <h1>Abondement du Département&nbsp;: {d.title}</h1>
      {submitted?.message && submitted.fundId === null ? (
        <p className="form-error" role="alert">
          {submitted.message}
        </p>
      ) : null}
      {d.funds.length === 0 ? (
        <p>Aucun fonds d’abondement du Département ne concerne cette campagne.</p>
      ) : null}
      {d.funds.map((f) => (
        <section key={f.fundId} aria-labelledby={`fonds-${f.fundId}`} className="matching-offer">
          <h2 id={`fonds-${f.fundId}`}>{f.name}</h2>
          <p>Règle&nbsp;: {f.rules}.</p>
          {f.matchedCents > 0 ? (
            <p>
              Abondement de votre campagne à ce jour&nbsp;: <strong>{formatEuros(f.matchedCents)}</strong>{" "}
              (versé par le Département si la campagne réussit, en plus des contributions des citoyens).
            </p>
          ) : null}
          <h3>Conditions</h3>
          <div className="prose" dangerouslySetInnerHTML={{ __html: f.termsHtml }} />
          {f.scope === "budget_citoyen" ? (
            <p>
              Cet abondement s’applique à toutes les campagnes labellisées Budget Citoyen {f.year}&nbsp;: vous
              n’avez rien à accepter.
            </p>
          ) : f.acceptedAt ? (
            <p role={accepted === String(f.fundId) ? "status" : undefined}>
              <strong>
                Conditions acceptées le {formatDateTime(f.acceptedAt)}
                {f.acceptedBy ? ` par ${f.acceptedBy}` : ""}.
              </strong>{" "}
              Les contributions payées à partir de ce moment sont abondées selon la règle ci-dessus.
            </p>
          ) : f.phase === "closed" || f.phase === "ended" ? (
            <p>Cet abondement est terminé&nbsp;: il n’y a plus de conditions à accepter.</p>
          ) : (
            <Form method="post" className="stack">
              {submitted?.message && submitted.fundId === f.fundId ? (
                <p className="form-error" role="alert">
                  {submitted.message}
                </p>
              ) : null}
              <p>
                Tant que vous n’avez pas accepté ces conditions, aucune contribution n’est abondée.
                L’abondement est ouvert jusqu’au {formatDate(f.endsAt)}.
              </p>
              <input type="hidden" name="intent" value="accept" />
              <input type="hidden" name="fonds" value={f.fundId} />
              <button type="submit" className="button">
                J’accepte les conditions de l’abondement
              </button>
            </Form>
          )}
        </section>
      ))}
    </div>
  );
}
