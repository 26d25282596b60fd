/**
 * Staff: one abondement fund — its live state, its campaigns (with their statements once funded),
 * its rules (editable until the first match), « Clôturer l’abondement », « Ajouter des fonds »,
 * choosing and removing campaigns, and its history.
 */
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { readForm, field } from "~/forms.server";
import { countOf, formatDate, formatDateTime, formatEuros } from "~/domain/format";
import { STATE_LABELS } from "~/domain/campaign-machine";
import { rulesSentence } from "~/matching/acceptance.server";
import {
  addCampaign,
  addFunds,
  AUDIT_LABELS,
  choosableCampaigns,
  closeFund,
  FROZEN_MESSAGE,
  fundDetail,
  fundValues,
  parseAddedAmount,
  readFundForm,
  removeCampaign,
  updateFundRules,
  validateFund,
  type FundErrors,
  type FundValues,
} from "~/matching/admin.server";
import { ErrorSummary, Field, Select } from "~/components/form";
import { FundForm } from "~/components/fund-form";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.fund.name} — ` : ""}Abondements — Espace Département — Propulsons` },
  { name: "robots", content: "noindex" },
];

function idOf(raw: string | undefined): number {
  if (!/^\d{1,9}$/.test(raw ?? "")) throw new Response("Fonds d’abondement introuvable.", { status: 404 });
  return Number(raw);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ["staff"]);
  const id = idOf(params.id);
  const db = database().db;
  const d = await fundDetail(db, id);
  if (!d) throw new Response("Fonds d’abondement introuvable.", { status: 404 });
  const f = d.fund;
  return {
    fund: {
      id: f.id,
      name: f.name,
      scope: f.scope,
      closedAt: f.closed_at,
      updatedAt: f.updated_at,
      termsMd: f.terms_md,
    },
    rules: rulesSentence({
      ratioBps: f.ratio_bps,
      capPerCampaignCents: f.cap_per_campaign_cents,
      capPerContributionCents: f.cap_per_contribution_cents,
      matchesPerCitizen: f.matches_per_citizen,
      startsAt: f.starts_at,
      endsAt: f.ends_at,
    }),
    values: fundValues(f),
    money: d.money,
    ratio: d.ratio,
    scopeLabel: d.scope,
    phase: d.phase,
    phaseLabel: d.phaseLabel,
    frozen: d.frozen ? FROZEN_MESSAGE : null,
    campaigns: d.campaigns,
    history: d.history.map((h) => ({ ...h, label: AUDIT_LABELS[h.action] })),
    choosable:
      f.scope === "chosen" && f.closed_at === null
        ? (await choosableCampaigns(db, id)).map((c) => ({ ...c, statusLabel: STATE_LABELS[c.status] }))
        : [],
  };
}

type ActionAnswer = {
  intent: string;
  message?: string;
  errors?: FundErrors;
  values?: FundValues;
  fieldError?: { target: string; label: string; message: string };
};

const DONE = {
  modifie: "Les règles du fonds sont enregistrées.",
  cree: "Le fonds d’abondement est créé.",
  cloture: "L’abondement est clôturé\u00a0: plus aucune nouvelle contribution ne sera abondée.",
  ajoute: "Les fonds sont ajoutés à l’enveloppe.",
  choisie: "La campagne est choisie\u00a0: son porteur doit maintenant accepter les conditions.",
  retiree: "La campagne est retirée du fonds.",
} as const;

function campaignIdOf(raw: string): number | null {
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ["staff"]);
  const id = idOf(params.id);
  const db = database().db;
  const form = await readForm(request);
  const intent = field(form, "intent");
  const answer = (body: ActionAnswer, status: number) => data(body, { status });
  const done = (what: keyof typeof DONE) => redirect(`/gestion/abondements/${id}?fait=${what}`, 303);
  switch (intent) {
    case "update": {
      const values = readFundForm(form);
      const checked = validateFund(values);
      if (!checked.ok) return answer({ intent, errors: checked.errors, values }, 400);
      const r = await updateFundRules(db, user.id, id, checked.data, field(form, "updated_at"));
      if (!r.ok) return answer({ intent, message: r.message, values }, r.status);
      return done("modifie");
    }
    case "close": {
      const r = await closeFund(db, user.id, id);
      if (!r.ok) return answer({ intent, message: r.message }, r.status);
      return done("cloture");
    }
    case "add_funds": {
      const amount = parseAddedAmount(field(form, "montant"));
      if (!amount.ok)
        return answer(
          {
            intent,
            fieldError: { target: "a-montant", label: "Montant à ajouter", message: amount.message },
          },
          400,
        );
      const r = await addFunds(db, user.id, id, amount.cents);
      if (!r.ok) return answer({ intent, message: r.message }, r.status);
      return done("ajoute");
    }
    case "add_campaign": {
      const campaignId = campaignIdOf(field(form, "campagne"));
      if (campaignId === null)
        return answer(
          {
            intent,
            fieldError: {
              target: "a-campagne",
              label: "Campagne",
              message: "Choisissez une campagne de la liste.",
            },
          },
          400,
        );
      const r = await addCampaign(db, user.id, id, campaignId);
      if (!r.ok) return answer({ intent, message: r.message }, r.status);
      return done("choisie");
    }
    case "remove_campaign": {
      const campaignId = campaignIdOf(field(form, "campagne"));
      if (campaignId === null) return answer({ intent, message: "Campagne inconnue." }, 400);
      const r = await removeCampaign(db, user.id, id, campaignId);
      if (!r.ok) return answer({ intent, message: r.message }, r.status);
      return done("retiree");
    }
    default:
      return answer({ intent, message: "Action inconnue." }, 400);
  }
}

export default function StaffFund() {
  const d = useLoaderData<typeof loader>();
  const submitted = useActionData<typeof action>();
  const [search] = useSearchParams();
  const doneKey = search.get("fait") as keyof typeof DONE | null;
  const doneMessage = !submitted && doneKey && doneKey in DONE ? DONE[doneKey] : null;
  const m = d.money;
  const refusal =
    submitted && submitted.intent !== "update" && (submitted.message || submitted.fieldError)
      ? submitted
      : null;
  return (
    <div className="container page">
      <p>
        <Link to="/gestion/abondements">← Abondements</Link>
      </p>
      <h1>{d.fund.name}</h1>
      {doneMessage ? (
        <p className="outcome outcome--funded" role="status">
          {doneMessage}
        </p>
      ) : null}
      {refusal ? (
        <ErrorSummary
          entries={refusal.fieldError ? [refusal.fieldError] : []}
          message={refusal.fieldError ? undefined : refusal.message}
        />
      ) : null}
      <p>
        <strong>{d.phaseLabel}</strong> — {d.scopeLabel}. Règle&nbsp;: {d.rules}.
      </p>

      <section aria-labelledby="etat-title">
        <h2 id="etat-title">État de l’enveloppe</h2>
        <dl className="panel panel__figures fund-money">
          <div>
            <dt>Enveloppe</dt>
            <dd>{formatEuros(m.envelopeCents)}</dd>
          </div>
          <div>
            <dt>Réservé</dt>
            <dd>{formatEuros(m.reservedCents)}</dd>
          </div>
          <div>
            <dt>Confirmé</dt>
            <dd>{formatEuros(m.confirmedCents)}</dd>
          </div>
          <div>
            <dt>Disponible</dt>
            <dd>{formatEuros(m.availableCents)}</dd>
          </div>
        </dl>
        <p className="hint">
          Réservé&nbsp;: ajouté à des contributions payées de campagnes en cours (libéré si elles sont
          remboursées ou si la campagne échoue). Confirmé&nbsp;: dû aux campagnes réussies, versé par le
          Département sur relevé.
        </p>
      </section>

      <section aria-labelledby="campagnes-title">
        <h2 id="campagnes-title">Campagnes ({d.campaigns.length})</h2>
        {d.campaigns.length === 0 ? (
          <p>
            {d.fund.scope === "chosen"
              ? "Aucune campagne choisie pour l’instant."
              : "Aucune campagne ne porte encore ce label Budget Citoyen."}
          </p>
        ) : (
          <TableScroll label="Campagnes du fonds">
            <table className="table">
              <caption className="visually-hidden">Campagnes du fonds et leur abondement</caption>
              <thead>
                <tr>
                  <th scope="col">Campagne</th>
                  <th scope="col">État</th>
                  {d.fund.scope === "chosen" ? <th scope="col">Conditions</th> : null}
                  <th scope="col" className="num">
                    Réservé
                  </th>
                  <th scope="col" className="num">
                    Confirmé
                  </th>
                  <th scope="col" className="num">
                    Reste au plafond
                  </th>
                  <th scope="col">Relevé</th>
                  {d.fund.scope === "chosen" ? <th scope="col">Retirer</th> : null}
                </tr>
              </thead>
              <tbody>
                {d.campaigns.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      <Link to={`/gestion/campagnes/${c.id}`}>{c.title}</Link>
                    </th>
                    <td>{c.statusLabel}</td>
                    {d.fund.scope === "chosen" ? (
                      <td>
                        {c.acceptedAt ? `Acceptées le ${formatDate(c.acceptedAt)}` : "En attente du porteur"}
                      </td>
                    ) : null}
                    <td className="num">{formatEuros(c.reservedCents)}</td>
                    <td className="num">{formatEuros(c.confirmedCents)}</td>
                    <td className="num">{c.capLeftCents === null ? "—" : formatEuros(c.capLeftCents)}</td>
                    <td>
                      {c.statement ? (
                        <>
                          <a href={`/gestion/abondements/${d.fund.id}/releves/${c.id}.pdf`} download>
                            PDF<span className="visually-hidden"> du relevé de «&nbsp;{c.title}&nbsp;»</span>
                          </a>{" "}
                          ·{" "}
                          <a href={`/gestion/abondements/${d.fund.id}/releves/${c.id}.csv`} download>
                            CSV<span className="visually-hidden"> du relevé de «&nbsp;{c.title}&nbsp;»</span>
                          </a>
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                    {d.fund.scope === "chosen" ? (
                      <td>
                        {c.hasMatches ? (
                          "Abondée, ne peut plus être retirée"
                        ) : (
                          <Form method="post">
                            <input type="hidden" name="intent" value="remove_campaign" />
                            <input type="hidden" name="campagne" value={c.id} />
                            <button type="submit" className="button button--secondary">
                              Retirer<span className="visually-hidden"> «&nbsp;{c.title}&nbsp;»</span>
                            </button>
                          </Form>
                        )}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        {d.choosable.length > 0 ? (
          <Form method="post" className="filters">
            <input type="hidden" name="intent" value="add_campaign" />
            <Select
              id="a-campagne"
              name="campagne"
              label="Choisir une campagne"
              defaultValue=""
              error={refusal?.fieldError?.target === "a-campagne" ? refusal.fieldError.message : undefined}
            >
              <option value="">— Choisir —</option>
              {d.choosable.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title} ({c.statusLabel})
                </option>
              ))}
            </Select>
            <div className="filters__actions">
              <button type="submit" className="button">
                Ajouter la campagne
              </button>
            </div>
          </Form>
        ) : null}
      </section>

      {d.fund.closedAt === null ? (
        <section aria-labelledby="actions-title">
          <h2 id="actions-title">Enveloppe et clôture</h2>
          <Form method="post" className="filters">
            <input type="hidden" name="intent" value="add_funds" />
            <Field
              id="a-montant"
              name="montant"
              label="Montant à ajouter (en euros)"
              inputMode="decimal"
              error={refusal?.fieldError?.target === "a-montant" ? refusal.fieldError.message : undefined}
            />
            <div className="filters__actions">
              <button type="submit" className="button">
                Ajouter des fonds
              </button>
            </div>
          </Form>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="close" />
            <p>
              Clôturer l’abondement arrête tout nouvel abondement dès maintenant. Les montants déjà réservés
              suivent leurs contributions&nbsp;: confirmés si la campagne réussit, libérés sinon.
            </p>
            <button type="submit" className="button button--secondary">
              Clôturer l’abondement
            </button>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="regles-title">
        <h2 id="regles-title">Règles</h2>
        {d.frozen ? (
          <p>{d.frozen}</p>
        ) : (
          <FundForm
            values={submitted?.intent === "update" && submitted.values ? submitted.values : d.values}
            errors={submitted?.intent === "update" ? submitted.errors : undefined}
            message={submitted?.intent === "update" ? submitted.message : undefined}
            intent="update"
            updatedAt={d.fund.updatedAt}
            submitLabel="Enregistrer les règles"
          />
        )}
      </section>

      <section aria-labelledby="historique-title">
        <h2 id="historique-title">Historique</h2>
        <p>{countOf(d.history.length, "action", "actions")}.</p>
        <TableScroll label="Historique du fonds">
          <table className="table">
            <caption className="visually-hidden">Historique du fonds, du plus récent au plus ancien</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Action</th>
                <th scope="col">Par</th>
                <th scope="col">Détail</th>
              </tr>
            </thead>
            <tbody>
              {d.history.map((h, i) => (
                <tr key={i}>
                  <td>{formatDateTime(h.at)}</td>
                  <td>{h.label}</td>
                  <td>{h.actor ?? "—"}</td>
                  <td>{h.detail ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </section>
    </div>
  );
}
