/** Staff: one structure's tax-receipt declaration, with « Vérifier » and « Retirer ». */
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { ErrorSummary, TextArea } from "~/components/form";
import { field, readForm } from "~/forms.server";
import { formatDateTime } from "~/domain/format";
import { legalFormName } from "~/domain/legal-forms";
import { taxStatusLabel } from "~/domain/receipt-forms";
import { decideProfile, PROFILE_STATUS_LABELS, staffProfile } from "~/receipts-forms/profiles.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Reçus fiscaux${data ? ` — ${data.name}` : ""} — Espace Département — Propulsons` },
  { name: "robots", content: "noindex" },
];

function idOf(raw: string | undefined): number {
  if (!/^\d{1,9}$/.test(raw ?? "")) throw new Response("Déclaration introuvable.", { status: 404 });
  return Number(raw);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, ["staff"]);
  const id = idOf(params.id);
  const p = await staffProfile(database().db, id);
  if (!p) throw new Response("Déclaration introuvable.", { status: 404 });
  return {
    id,
    name: p.name,
    legalForm: legalFormName(p.legal_form),
    registration: p.registration_number,
    ownerEmail: p.owner_email,
    status: p.status,
    statusLabel: PROFILE_STATUS_LABELS[p.status],
    taxStatus: taxStatusLabel(p.tax_status),
    cgiArticle: p.cgi_article,
    object: p.object,
    address: `${p.street}, ${p.postal_code} ${p.town}`,
    siren: p.siren,
    rna: p.rna,
    signer: `${p.signer_name}, ${p.signer_role}`,
    hasSignature: p.signature_path !== null,
    mandateText: p.mandate_text,
    mandateBy: p.mandate_name ? `${p.mandate_name} (${p.mandate_email})` : (p.mandate_email ?? ""),
    mandateAt: p.mandate_at,
    verifiedAt: p.verified_at,
    verifiedBy: p.verified_by_name,
    withdrawnAt: p.withdrawn_at,
    withdrawnReason: p.withdrawn_reason,
    updatedAt: p.updated_at,
  };
}

const NO_ERRORS: { motif?: string } = {};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ["staff"]);
  const id = idOf(params.id);
  const form = await readForm(request);
  const intent = field(form, "intent");
  const seen = field(form, "updated_at");
  const reason = field(form, "motif").trim();
  if (intent !== "verify" && intent !== "withdraw")
    return data({ error: "Action inconnue.", errors: NO_ERRORS }, { status: 400 });
  if (intent === "withdraw" && (reason.length < 5 || reason.length > 1000))
    return data(
      {
        error: undefined,
        errors: {
          motif: "Indiquez le motif du retrait (5 à 1 000 caractères)\u00a0: il est envoyé à la structure.",
        },
      },
      { status: 400 },
    );
  const result = await decideProfile(
    database().db,
    user.id,
    id,
    intent === "verify" ? { kind: "verify" } : { kind: "withdraw", reason },
    seen,
  );
  if (!result.ok) return data({ error: result.message, errors: {} }, { status: 409 });
  return redirect(`/gestion/recus-fiscaux/${id}`, 303);
}

export default function ReceiptDeclaration() {
  const d = useLoaderData<typeof loader>();
  const submitted = useActionData<typeof action>();
  const errors: { motif?: string } = submitted?.errors ?? {};
  return (
    <div className="container page prose-page">
      <p>
        <Link to="/gestion/recus-fiscaux">← Déclarations de reçus fiscaux</Link>
      </p>
      <h1>Reçus fiscaux de «&nbsp;{d.name}&nbsp;»</h1>
      <p className="outcome" role="status">
        État&nbsp;: <strong>{d.statusLabel}</strong>
        {d.status === "verified" && d.verifiedAt
          ? ` — vérifiée le ${formatDateTime(d.verifiedAt)}${d.verifiedBy ? ` par ${d.verifiedBy}` : ""}`
          : ""}
        {d.status === "withdrawn" && d.withdrawnAt ? ` — retirée le ${formatDateTime(d.withdrawnAt)}` : ""}.
      </p>
      {d.status === "withdrawn" && d.withdrawnReason ? (
        <p>Motif du retrait&nbsp;: {d.withdrawnReason}</p>
      ) : null}
      <ErrorSummary
        entries={
          errors.motif ? [{ target: "g-motif", label: "Motif du retrait", message: errors.motif }] : []
        }
        message={submitted?.error}
      />
      <h2>La structure</h2>
      <dl className="facts">
        <dt>Nom</dt>
        <dd>{d.name}</dd>
        <dt>Forme juridique</dt>
        <dd>{d.legalForm}</dd>
        <dt>Numéro déclaré dans Ma structure</dt>
        <dd>{d.registration ?? "—"}</dd>
        <dt>Responsable du compte</dt>
        <dd>{d.ownerEmail}</dd>
      </dl>
      <h2>La déclaration</h2>
      <dl className="facts">
        <dt>Statut fiscal</dt>
        <dd>{d.taxStatus}</dd>
        <dt>Article du CGI</dt>
        <dd>{d.cgiArticle}</dd>
        <dt>Objet</dt>
        <dd>{d.object}</dd>
        <dt>Adresse du siège</dt>
        <dd>{d.address}</dd>
        <dt>SIREN</dt>
        <dd>{d.siren ?? "—"}</dd>
        <dt>RNA</dt>
        <dd>{d.rna ?? "—"}</dd>
        <dt>Signataire</dt>
        <dd>{d.signer}</dd>
        <dt>Signature</dt>
        <dd>
          {d.hasSignature ? (
            <img
              className="signature-preview"
              src={`/gestion/recus-fiscaux/${d.id}/signature`}
              alt={`Signature de ${d.signer}`}
            />
          ) : (
            "Aucune image"
          )}
        </dd>
      </dl>
      <h2>Le mandat</h2>
      <p>
        Donné par {d.mandateBy} le {formatDateTime(d.mandateAt)}, dans ces termes&nbsp;:
      </p>
      <blockquote className="mandate-text">
        {d.mandateText.split("\n\n").map((para) => (
          <p key={para}>{para}</p>
        ))}
      </blockquote>
      <h2>Décision</h2>
      {d.status === "declared" ? (
        <Form method="post" className="stack">
          <input type="hidden" name="updated_at" value={d.updatedAt} />
          <p>
            Vérifiez le statut, le numéro SIREN ou RNA (annuaire des entreprises, Journal officiel des
            associations) et la signature avant de valider.
          </p>
          <button type="submit" name="intent" value="verify" className="button">
            Vérifier
          </button>
        </Form>
      ) : null}
      {d.status !== "withdrawn" ? (
        <Form method="post" className="stack">
          <input type="hidden" name="updated_at" value={d.updatedAt} />
          <input type="hidden" name="intent" value="withdraw" />
          <TextArea
            id="g-motif"
            name="motif"
            label="Motif du retrait"
            rows={3}
            maxLength={1000}
            error={errors.motif}
            hint="Envoyé à la structure. Après le retrait, plus aucun reçu n’est émis en son nom (les reçus déjà émis restent valables)&#x202f;; elle pourra corriger sa déclaration et la renvoyer."
          />
          <button type="submit" className="button button--secondary">
            Retirer
          </button>
        </Form>
      ) : (
        <p>
          La structure peut corriger sa déclaration&nbsp;: elle reviendra alors ici, en attente de
          vérification.
        </p>
      )}
    </div>
  );
}
