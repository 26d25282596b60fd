/**
 * The structure's tax-receipt declaration (docs/product-rules.md « Tax receipts »): status, CGI
 * article, object, address, SIREN or RNA, signer, signature image and the mandate to Propulsons.
 * Only an association may declare; staff verify before any receipt is issued.
 */
import { NBSP } from "~/domain/typography";
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { readForm } from "~/forms.server";
import { structuresOf } from "~/holder/structures.server";
import { ErrorSummary, Field, FieldError, fieldAria, Select, TextArea } from "~/components/form";
import { formatDateTime } from "~/domain/format";
import { legalFormName } from "~/domain/legal-forms";
import { mandateText } from "~/domain/receipt-forms";
import { TAX_STATUS_KEYS, TAX_STATUSES } from "~/domain/tax-receipts";
import {
  readProfileForm,
  validateProfile,
  type ProfileErrors,
  type ProfileField,
  type ProfileValues,
} from "~/receipts-forms/profile-form.server";
import {
  PROFILE_STATUS_LABELS,
  profileOf,
  RECEIPT_LEGAL_FORMS,
  saveProfile,
} from "~/receipts-forms/profiles.server";
import { storeSignature } from "~/receipts-forms/signature.server";

export const meta: MetaFunction = () => [{ title: "Reçus fiscaux — Ma structure — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

const EMPTY: ProfileValues = {
  statut: "",
  article: "",
  objet: "",
  rue: "",
  code_postal: "",
  ville: "",
  siren: "",
  rna: "",
  signataire: "",
  qualite: "",
  mandat: false,
};

async function ownStructure(request: Request) {
  const user = await requireUser(request);
  const structure = (await structuresOf(database().db, user.id))[0];
  return { user, structure };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { structure } = await ownStructure(request);
  if (!structure) throw redirect("/porteur/structure");
  const eligible = RECEIPT_LEGAL_FORMS.has(structure.legal_form);
  const p = eligible ? await profileOf(database().db, structure.id) : undefined;
  return {
    structure: { name: structure.name, legalForm: legalFormName(structure.legal_form) },
    eligible,
    saved: new URL(request.url).searchParams.has("enregistre"),
    mandate: mandateText(structure.name),
    profile: p
      ? {
          status: p.status,
          statusLabel: PROFILE_STATUS_LABELS[p.status],
          mandateAt: p.mandate_at,
          verifiedAt: p.verified_at,
          withdrawnAt: p.withdrawn_at,
          withdrawnReason: p.withdrawn_reason,
          hasSignature: p.signature_path !== null,
        }
      : null,
    values: p
      ? {
          statut: p.tax_status,
          article: p.cgi_article,
          objet: p.object,
          rue: p.street,
          code_postal: p.postal_code,
          ville: p.town,
          siren: p.siren ?? "",
          rna: p.rna ?? "",
          signataire: p.signer_name,
          qualite: p.signer_role,
          mandat: false,
        }
      : EMPTY,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, structure } = await ownStructure(request);
  if (!structure) throw redirect("/porteur/structure");
  if (!RECEIPT_LEGAL_FORMS.has(structure.legal_form))
    throw new Response("Seule une association peut déclarer émettre des reçus fiscaux.", { status: 403 });
  const db = database().db;
  const form = await readForm(request);
  const values = readProfileForm(form);
  const checked = validateProfile(values);
  const errors: ProfileErrors = checked.ok ? {} : { ...checked.errors };
  const existing = await profileOf(db, structure.id);
  const upload = form.get("signature");
  const bytes = upload instanceof File && upload.size > 0 ? Buffer.from(await upload.arrayBuffer()) : null;
  if (!bytes && !existing?.signature_path)
    errors.signature = "Ajoutez l’image de la signature (PNG ou JPEG).";
  if (!checked.ok || Object.keys(errors).length > 0) return data({ values, errors }, { status: 400 });
  let signaturePath = existing?.signature_path ?? null;
  if (bytes) {
    const stored = await storeSignature(structure.id, bytes);
    if (!stored.ok) return data({ values, errors: { signature: stored.message } }, { status: 400 });
    signaturePath = stored.file;
  }
  const saved = await saveProfile(db, user.id, structure.id, { ...checked.data, signaturePath });
  if (!saved) throw new Response("Cette structure n’est pas la vôtre.", { status: 403 });
  return redirect("/porteur/structure/recus-fiscaux?enregistre=1", 303);
}

const LABELS: Record<ProfileField, string> = {
  statut: "Statut de la structure",
  article: "Article du code général des impôts",
  objet: "Objet de la structure",
  rue: "Adresse du siège (numéro et voie)",
  code_postal: "Code postal",
  ville: "Commune",
  siren: "Numéro SIREN",
  rna: "Numéro RNA",
  signataire: "Nom de la personne qui signe les reçus",
  qualite: "Qualité du signataire",
  signature: "Image de la signature",
  mandat: "Mandat",
};

/** The fields in the order of the page, for the error summary. */
const FIELD_ORDER: ProfileField[] = [
  "statut",
  "article",
  "objet",
  "rue",
  "code_postal",
  "ville",
  "siren",
  "rna",
  "signataire",
  "qualite",
  "signature",
  "mandat",
];

const DEFAULT_ARTICLES = new Set(TAX_STATUS_KEYS.map((k) => TAX_STATUSES[k].cgiArticle));

export default function ReceiptDeclarationPage() {
  const loaded = useLoaderData<typeof loader>();
  const submitted = useActionData<typeof action>();
  const navigation = useNavigation();
  const v = submitted?.values ?? loaded.values;
  const errors: ProfileErrors = submitted?.errors ?? {};
  const summary = FIELD_ORDER.filter((k) => errors[k]).map((k) => ({
    target: `r-${k}`,
    label: LABELS[k],
    message: errors[k]!,
  }));
  const p = loaded.profile;
  return (
    <div className="container page prose-page">
      <p>
        <Link to="/porteur/structure">← Ma structure</Link>
      </p>
      <h1>Reçus fiscaux</h1>
      {!loaded.eligible ? (
        <>
          <p>
            Les reçus fiscaux ne sont proposés qu’aux associations d’intérêt général ou reconnues d’utilité
            publique (article 200 du code général des impôts). Votre structure, «&nbsp;{loaded.structure.name}
            &nbsp;», est déclarée comme {loaded.structure.legalForm.toLowerCase()}&nbsp;: ses contributeurs ne
            peuvent pas bénéficier de la réduction d’impôt sur le revenu par Propulsons.
          </p>
          <p>
            Si c’est une erreur, corrigez la forme juridique dans{" "}
            <Link to="/porteur/structure">Ma structure</Link>.
          </p>
        </>
      ) : (
        <>
          <p>
            Ma structure peut émettre des reçus fiscaux&nbsp;: déclarez-la ici. Quand l’équipe du Département
            l’aura vérifiée, vos donateurs pourront demander un reçu en contribuant&#x202f;; Propulsons
            l’émettra en votre nom quand la campagne aura réussi.
          </p>
          {loaded.saved ? (
            <p className="outcome outcome--funded" role="status">
              Déclaration enregistrée. Elle attend la vérification de l’équipe du Département&nbsp;: aucun
              reçu n’est émis avant.
            </p>
          ) : null}
          {p ? (
            <div className="card">
              <div className="card__body">
                <p>
                  <strong>État de la déclaration&nbsp;:</strong> {p.statusLabel}
                  {p.status === "verified" && p.verifiedAt ? ` (le ${formatDateTime(p.verifiedAt)})` : ""}
                  {p.status === "withdrawn" && p.withdrawnAt ? ` (le ${formatDateTime(p.withdrawnAt)})` : ""}.
                </p>
                {p.status === "withdrawn" && p.withdrawnReason ? (
                  <p>Motif du retrait&nbsp;: {p.withdrawnReason}</p>
                ) : null}
                <p>Mandat donné le {formatDateTime(p.mandateAt)}.</p>
                {p.status !== "declared" ? (
                  <p>
                    <strong>Attention&nbsp;:</strong> modifier cette déclaration la renvoie en
                    vérification&#x202f;; l’équipe du Département devra la vérifier à nouveau, et aucun reçu
                    ne sera émis d’ici là.
                  </p>
                ) : null}
              </div>
            </div>
          ) : null}
          <ErrorSummary entries={summary} />
          <Form method="post" encType="multipart/form-data" className="stack" noValidate>
            <Select
              id="r-statut"
              name="statut"
              label={LABELS.statut}
              defaultValue={v.statut}
              error={errors.statut}
              hint="La case cochée sur le reçu (Cerfa 11580*05)."
              onChange={(e) => {
                const input = document.getElementById("r-article") as HTMLInputElement | null;
                const key = e.currentTarget.value as keyof typeof TAX_STATUSES;
                if (
                  input &&
                  Object.hasOwn(TAX_STATUSES, key) &&
                  (input.value === "" || DEFAULT_ARTICLES.has(input.value))
                )
                  input.value = TAX_STATUSES[key].cgiArticle;
              }}
            >
              <option value="">Choisir…</option>
              {TAX_STATUS_KEYS.map((key) => (
                <option key={key} value={key}>
                  {TAX_STATUSES[key].label}
                </option>
              ))}
            </Select>
            <Field
              id="r-article"
              name="article"
              label={LABELS.article}
              defaultValue={v.article}
              maxLength={40}
              error={errors.article}
              hint={`Laissez vide pour l’article du statut choisi${NBSP}: ${TAX_STATUS_KEYS.map((k) => TAX_STATUSES[k].cgiArticle).join(", ")}.`}
            />
            <TextArea
              id="r-objet"
              name="objet"
              label={LABELS.objet}
              rows={3}
              maxLength={600}
              defaultValue={v.objet}
              error={errors.objet}
              hint="Tel qu’il figure dans les statuts&#x202f;; il est imprimé sur chaque reçu."
            />
            <Field
              id="r-rue"
              name="rue"
              label={LABELS.rue}
              defaultValue={v.rue}
              maxLength={120}
              autoComplete="street-address"
              error={errors.rue}
            />
            <Field
              id="r-code_postal"
              name="code_postal"
              label={LABELS.code_postal}
              defaultValue={v.code_postal}
              inputMode="numeric"
              maxLength={5}
              autoComplete="postal-code"
              error={errors.code_postal}
              hint="5 chiffres."
            />
            <Field
              id="r-ville"
              name="ville"
              label={LABELS.ville}
              defaultValue={v.ville}
              maxLength={80}
              autoComplete="address-level2"
              error={errors.ville}
            />
            <Field
              id="r-siren"
              name="siren"
              label={LABELS.siren}
              defaultValue={v.siren}
              inputMode="numeric"
              maxLength={20}
              error={errors.siren}
              hint="9 chiffres. Le SIREN ou le numéro RNA est obligatoire&nbsp;: indiquez au moins l’un des deux."
            />
            <Field
              id="r-rna"
              name="rna"
              label={LABELS.rna}
              defaultValue={v.rna}
              maxLength={20}
              error={errors.rna}
              hint="«&nbsp;W&nbsp;» suivi de 9 caractères (exemple&nbsp;: W623001234), si l’association n’a pas de SIREN."
            />
            <Field
              id="r-signataire"
              name="signataire"
              label={LABELS.signataire}
              defaultValue={v.signataire}
              maxLength={80}
              autoComplete="name"
              error={errors.signataire}
            />
            <Field
              id="r-qualite"
              name="qualite"
              label={LABELS.qualite}
              defaultValue={v.qualite}
              maxLength={80}
              error={errors.qualite}
              hint="Par exemple&nbsp;: présidente, trésorier."
            />
            {p?.hasSignature ? (
              <figure className="signature-preview">
                <img
                  src="/porteur/structure/recus-fiscaux/signature"
                  alt={`Signature enregistrée de ${v.signataire}`}
                />
                <figcaption>Signature enregistrée. Envoyez une autre image pour la remplacer.</figcaption>
              </figure>
            ) : null}
            <Field
              id="r-signature"
              name="signature"
              type="file"
              accept="image/png,image/jpeg"
              label={LABELS.signature}
              error={errors.signature}
              hint="PNG ou JPEG, 512&nbsp;Ko au plus, 100&nbsp;×&nbsp;30 pixels au moins&#x202f;; de préférence sur fond blanc ou transparent."
            />
            <fieldset>
              <legend id="r-mandat-legend">Mandat à Propulsons</legend>
              <div className="mandate-text" id="r-mandat-text">
                {loaded.mandate.split("\n\n").map((para) => (
                  <p key={para}>{para}</p>
                ))}
              </div>
              <div className="choice">
                <input
                  type="checkbox"
                  id="r-mandat"
                  name="mandat"
                  defaultChecked={v.mandat}
                  {...fieldAria("r-mandat", { error: errors.mandat, also: ["r-mandat-text"] })}
                />
                <label htmlFor="r-mandat">
                  J’ai lu ce mandat et je le donne à Propulsons au nom de ma structure.
                </label>
              </div>
              <FieldError id="r-mandat" message={errors.mandat} />
            </fieldset>
            <button type="submit" className="button" disabled={navigation.state === "submitting"}>
              {p ? "Enregistrer et renvoyer en vérification" : "Envoyer la déclaration"}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}
