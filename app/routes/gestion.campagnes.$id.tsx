/** Staff review of one campaign: decisions, label, featuring, cancellation, history, full content. */
import { NBSP } from "~/domain/typography";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireFreshSignIn, requireUser } from "~/auth.server";
import { CampaignView } from "~/components/campaign-view";
import { ErrorSummary, Field, TextArea } from "~/components/form";
import { config } from "~/config.server";
import { database } from "~/db.server";
import { STATE_LABELS, staffActions } from "~/domain/campaign-machine";
import { formatBps, formatDate, formatDateTime, formatEuros } from "~/domain/format";
import { addDays, parisCalendarDate } from "~/domain/time";
import { readForm } from "~/forms.server";
import { parseDecision, type Decision } from "~/staff/decision-form.server";
import {
  approve,
  cancel,
  labelYearBounds,
  reject,
  requestChanges,
  reviewFacts,
  reviewHistory,
  setFeatured,
  setLabel,
  structureCampaigns,
  type StaffResult,
} from "~/staff/moderation.server";
import { canBePaid } from "~/domain/settlement";
import { campaignPath } from "~/domain/paths";
import { legalFormLabel } from "~/domain/legal-forms";
import { campaignViewData } from "~/models/campaign-view.server";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  {
    title: d
      ? `Examen${NBSP}: ${d.facts.title} — Espace Département — Propulsons`
      : "Campagne — Espace Département — Propulsons",
  },
  { name: "robots", content: "noindex" },
];

function campaignId(param: string | undefined): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("Campagne introuvable.", { status: 404 });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ["staff"]);
  const id = campaignId(params.id);
  const db = database().db;
  const facts = await reviewFacts(db, id);
  if (!facts) throw new Response("Campagne introuvable.", { status: 404 });
  const now = new Date();
  const [view, history, others] = await Promise.all([
    campaignViewData(db, facts.slug, { includeUnpublished: true, now }),
    reviewHistory(db, id),
    structureCampaigns(db, facts.organization_id, id),
  ]);
  if (!view) throw new Response("Campagne introuvable.", { status: 404 });
  return {
    facts: {
      ...facts,
      statusLabel: STATE_LABELS[facts.status],
      legalForm: legalFormLabel(facts.legal_form),
      paymentsReady: canBePaid(facts),
    },
    can: staffActions(facts.status, facts.featured === 1),
    labelYears: labelYearBounds(now),
    today: parisCalendarDate(now),
    latestStart: addDays(parisCalendarDate(new Date(facts.ends_at)), -config().campaignMinDays),
    history,
    others: others.map((o) => ({ ...o, statusLabel: STATE_LABELS[o.status] })),
    /** recorded on the payouts once settled, else the rate that will apply (never recomputed) */
    commission: view.campaign.commission,
    ...view,
  };
}

function run(
  db: ReturnType<typeof database>["db"],
  id: number,
  userId: number,
  d: Decision,
): Promise<StaffResult> {
  const actor = { userId };
  switch (d.intent) {
    case "approve":
      return approve(db, id, { ...actor, startDate: d.debut, message: d.message });
    case "request_changes":
      return requestChanges(db, id, { ...actor, comment: d.commentaire });
    case "reject":
      return reject(db, id, { ...actor, reason: d.motif });
    case "cancel":
      return cancel(db, id, { ...actor, reason: d.motif_annulation });
    case "label":
      return setLabel(db, id, { ...actor, year: d.annee });
    case "unlabel":
      return setLabel(db, id, { ...actor, year: null });
    case "feature":
      return setFeatured(db, id, { ...actor, featured: true });
    case "unfeature":
      return setFeatured(db, id, { ...actor, featured: false });
  }
}

interface DecisionAnswer {
  ok: boolean;
  intent: string;
  message: string;
  errors: Record<string, string>;
  values: Record<string, string>;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ["staff"]);
  const id = campaignId(params.id);
  const parsed = parseDecision(await readForm(request));
  if (!parsed.ok) {
    return data<DecisionAnswer>(
      {
        ok: false,
        intent: parsed.intent,
        message: "Le formulaire contient des erreurs.",
        errors: parsed.errors,
        values: parsed.values,
      },
      { status: 400 },
    );
  }
  // Cancelling refunds every contributor: only with a sign-in of the last 15 minutes
  // (`npm run campaign:cancel`, run by an operator on the server, is exempt).
  if (parsed.decision.intent === "cancel") await requireFreshSignIn(request);
  const result = await run(database().db, id, user.id, parsed.decision);
  if (!result.ok) {
    return data<DecisionAnswer>(
      {
        ok: false,
        intent: parsed.decision.intent,
        message: result.message,
        errors: {},
        values: {},
      },
      { status: result.status },
    );
  }
  return data<DecisionAnswer>({
    ok: true,
    intent: parsed.decision.intent,
    message: result.message,
    errors: {},
    values: {},
  });
}

/** A labelled textarea of a decision form: its id « f-name », hint and error after the toolkit's scheme. */
function DecisionText(props: {
  name: string;
  label: string;
  hint?: string;
  rows: number;
  required?: boolean;
  values: Record<string, string>;
  errors: Record<string, string>;
}) {
  return (
    <TextArea
      id={`f-${props.name}`}
      name={props.name}
      label={props.label}
      hint={props.hint}
      rows={props.rows}
      required={props.required}
      defaultValue={props.values[props.name] ?? ""}
      error={props.errors[props.name]}
    />
  );
}

export default function StaffCampaign() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const f = d.facts;
  const errors = r?.errors ?? {};
  const values = r?.values ?? {};
  return (
    <>
      <div className="container page staff-review">
        <p>
          <Link to={f.status === "submitted" ? "/gestion/moderation" : "/gestion/campagnes"}>
            ← {f.status === "submitted" ? "Modération" : "Toutes les campagnes"}
          </Link>
        </p>
        <h1>Examen&nbsp;: {f.title}</h1>
        <p>
          État&nbsp;: <strong>{f.statusLabel}</strong>
          {f.budget_citoyen_year !== null ? ` · Budget Citoyen ${f.budget_citoyen_year}` : ""}
          {f.featured === 1 ? " · mise en avant sur l’accueil" : ""}
          {" · "}
          {d.campaign.isPublic ? (
            <Link to={campaignPath(f.slug)}>page publique</Link>
          ) : (
            <a href="#contenu-campagne">voir le contenu soumis</a>
          )}
        </p>

        {r?.ok ? (
          <div className="outcome outcome--funded" role="status" tabIndex={-1}>
            <p>{r.message}</p>
          </div>
        ) : r ? (
          <ErrorSummary
            message={r.message}
            entries={Object.entries(errors).map(([k, m]) => ({
              target: k === "intent" ? "decisions" : `f-${k}`,
              message: m,
            }))}
          />
        ) : null}

        <section aria-labelledby="decisions" className="stack">
          <h2 id="decisions">Décisions</h2>
          {d.can.review ? (
            <div className="grid staff-decisions">
              <Form method="post" className="card stack" noValidate>
                <div className="card__body stack">
                  <h3>Valider</h3>
                  <Field
                    type="date"
                    id="f-debut"
                    name="debut"
                    label="Date de mise en ligne (facultatif)"
                    min={d.today}
                    max={d.latestStart}
                    defaultValue={values.debut ?? ""}
                    error={errors.debut}
                    hint={`Vide${NBSP}: en ligne dans la minute. Sinon à 0 h le jour choisi (heure de Paris). Fin fixée par le porteur${NBSP}: ${formatDate(f.ends_at)}.`}
                  />
                  <DecisionText
                    name="message"
                    label="Message au porteur (facultatif)"
                    rows={3}
                    values={values}
                    errors={errors}
                  />
                  <button type="submit" name="intent" value="approve" className="button" disabled={busy}>
                    Valider la campagne
                  </button>
                </div>
              </Form>
              <Form method="post" className="card stack" noValidate>
                <div className="card__body stack">
                  <h3>Demander des modifications</h3>
                  <DecisionText
                    name="commentaire"
                    label="Commentaire au porteur (obligatoire)"
                    hint="Envoyé par courriel au porteur&#x202f;; il pourra modifier sa campagne et la soumettre à nouveau."
                    rows={5}
                    required
                    values={values}
                    errors={errors}
                  />
                  <button
                    type="submit"
                    name="intent"
                    value="request_changes"
                    className="button button--secondary"
                    disabled={busy}
                  >
                    Demander des modifications
                  </button>
                </div>
              </Form>
              <Form method="post" className="card stack" noValidate>
                <div className="card__body stack">
                  <h3>Refuser</h3>
                  <DecisionText
                    name="motif"
                    label="Motif du refus (obligatoire)"
                    hint="Envoyé par courriel au porteur. Le refus est définitif."
                    rows={5}
                    required
                    values={values}
                    errors={errors}
                  />
                  <button
                    type="submit"
                    name="intent"
                    value="reject"
                    className="button button--danger"
                    disabled={busy}
                  >
                    Refuser la campagne
                  </button>
                </div>
              </Form>
            </div>
          ) : (
            <p>Aucune décision de modération n’est attendue dans cet état.</p>
          )}

          <h3>Label Budget Citoyen</h3>
          <p>
            {f.budget_citoyen_year !== null
              ? `Labellisée «${NBSP}Budget Citoyen ${f.budget_citoyen_year}${NBSP}».`
              : "Pas de label."}{" "}
            {d.commission.recorded ? (
              <>
                Commission enregistrée au versement&nbsp;: <strong>{formatBps(d.commission.bps)}</strong>,
                soit {formatEuros(d.commission.cents ?? 0)}.
              </>
            ) : f.status === "failed" || f.status === "cancelled" ? (
              <>Aucune commission&nbsp;: la campagne n’a pas été financée.</>
            ) : (
              <>
                Commission appliquée au solde&nbsp;: <strong>{formatBps(d.commission.bps)}</strong>.
              </>
            )}
          </p>
          {d.can.label ? (
            <div className="filters">
              <Form method="post" className="filters__actions" noValidate>
                <Field
                  id="f-annee"
                  name="annee"
                  label="Année du Budget Citoyen"
                  inputMode="numeric"
                  pattern="[0-9]{4}"
                  size={6}
                  defaultValue={values.annee ?? String(f.budget_citoyen_year ?? d.labelYears.max - 1)}
                  error={errors.annee}
                  hint={`De ${d.labelYears.min} à ${d.labelYears.max}.`}
                />
                <button
                  type="submit"
                  name="intent"
                  value="label"
                  className="button button--secondary"
                  disabled={busy}
                >
                  {f.budget_citoyen_year !== null ? "Changer l’année" : "Attribuer le label"}
                </button>
              </Form>
              {f.budget_citoyen_year !== null ? (
                <Form method="post">
                  <button
                    type="submit"
                    name="intent"
                    value="unlabel"
                    className="button button--secondary"
                    disabled={busy}
                  >
                    Retirer le label
                  </button>
                </Form>
              ) : null}
            </div>
          ) : (
            <p>Le label ne peut plus changer&nbsp;: il est lu au moment du solde de la campagne.</p>
          )}

          <h3>Mise en avant</h3>
          {d.can.feature || d.can.unfeature ? (
            <Form method="post">
              <button
                type="submit"
                name="intent"
                value={d.can.unfeature ? "unfeature" : "feature"}
                className="button button--secondary"
                disabled={busy}
              >
                {d.can.unfeature ? "Ne plus mettre en avant sur l’accueil" : "Mettre en avant sur l’accueil"}
              </button>
            </Form>
          ) : (
            <p>Seule une campagne validée ou en cours peut être mise en avant.</p>
          )}

          {d.can.cancel ? (
            <>
              <h3>Annuler la campagne</h3>
              <Form method="post" className="stack" noValidate>
                <DecisionText
                  name="motif_annulation"
                  label="Motif de l’annulation (obligatoire)"
                  hint="Définitif&nbsp;: la collecte s’arrête, chaque contribution payée est remboursée automatiquement et les contributeurs reçoivent ce motif par courriel."
                  rows={3}
                  required
                  values={values}
                  errors={errors}
                />
                <p>
                  <button
                    type="submit"
                    name="intent"
                    value="cancel"
                    className="button button--danger"
                    disabled={busy}
                  >
                    Annuler la campagne et rembourser
                  </button>
                </p>
              </Form>
            </>
          ) : null}
        </section>

        <section aria-labelledby="structure">
          <h2 id="structure">Structure et porteur</h2>
          <dl className="facts">
            <dt>Structure</dt>
            <dd>
              {f.organization} ({f.legalForm}, {f.town})
              {f.registration_number ? ` — n° ${f.registration_number}` : " — sans numéro d’immatriculation"}
            </dd>
            <dt>Porteur</dt>
            <dd>
              {f.holder_name} — <a href={`mailto:${f.holder_email}`}>{f.holder_email}</a>
            </dd>
            <dt>Compte de paiement</dt>
            <dd>
              {f.paymentsReady ? "prêt à recevoir les virements" : "pas encore prêt (le virement attendra)"}
            </dd>
            <dt>Objectif</dt>
            <dd>{formatEuros(f.goal_cents)}</dd>
            <dt>Dates</dt>
            <dd>
              du {formatDate(f.starts_at)} au {formatDate(f.ends_at)}
            </dd>
            <dt>Autres campagnes de la structure</dt>
            <dd>
              {d.others.length === 0 ? (
                "aucune"
              ) : (
                <ul>
                  {d.others.map((o) => (
                    <li key={o.id}>
                      <Link to={`/gestion/campagnes/${o.id}`}>{o.title}</Link> — {o.statusLabel}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
        </section>

        <section aria-labelledby="historique">
          <h2 id="historique">Historique</h2>
          <TableScroll label="Historique de la campagne">
            <table className="table">
              <caption className="visually-hidden">
                Historique de la campagne, du plus ancien au plus récent
              </caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Événement</th>
                  <th scope="col">Par</th>
                  <th scope="col">Motif ou commentaire</th>
                </tr>
              </thead>
              <tbody>
                {d.history.map((h, i) => (
                  <tr key={i}>
                    <td>{formatDateTime(h.at)}</td>
                    <td>{h.what}</td>
                    <td>{h.who}</td>
                    <td className="pre-line">{h.reason ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </section>
        <h2 id="contenu-campagne">Contenu de la campagne</h2>
      </div>
      <CampaignView
        campaign={d.campaign}
        html={d.html}
        now={d.now}
        bounds={d.bounds}
        matching={d.matching}
        signedInEmail={null}
        formState={undefined}
        titleAs="h2"
        preview={
          <p className="demo-checkout__label" role="note">
            Tel que les citoyens le verront une fois la campagne en ligne.
          </p>
        }
      />
    </>
  );
}
