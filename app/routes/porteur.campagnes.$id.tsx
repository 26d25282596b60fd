/**
 * The campaign editor: every field of a draft (L548-6 information included),
 * saved on « Enregistrer » (an incomplete draft may be saved; wrong values are
 * refused with French messages and nothing typed is lost), then « Soumettre ».
 * After approval only the story stays editable. Works without JavaScript.
 */
import { NBSP, NNBSP } from "~/domain/typography";
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useUnsavedChangesPrompt } from "~/components/unsaved-changes";
import { ErrorSummary, errorId, Field, FieldError, Select, TextArea } from "~/components/form";
import { database } from "~/db.server";
import { holderEditing, STATE_LABELS } from "~/domain/campaign-machine";
import { parisCalendarDate } from "~/domain/time";
import { field, readForm } from "~/forms.server";
import {
  durationBounds,
  FUND_ROWS,
  readCampaignForm,
  REWARD_ROWS,
  validateCampaign,
  type CampaignErrors,
  type CampaignValues,
} from "~/holder/campaign-form.server";
import {
  requireOwnCampaign,
  saveAndSubmitCampaign,
  saveCampaign,
  setCampaignImage,
} from "~/holder/campaigns.server";
import { MAX_IMAGE_BYTES } from "~/holder/images.server";
import { listTerritories, listThemes } from "~/models/campaigns.server";
import { rewardEditorSettings, rewardValueText } from "~/receipts-forms/offer.server";
import { RewardValueField } from "~/receipts-forms/reward-value";

export const meta: MetaFunction = () => [{ title: "Éditer la campagne — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

function euros(cents: number): string {
  return String(Math.trunc(cents / 100));
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id, c } = await requireOwnCampaign(request, params.id);
  const db = database().db;
  const [territories, themes] = await Promise.all([listTerritories(db), listThemes(db)]);
  const values: CampaignValues = {
    titre: c.title,
    resume: c.summary,
    histoire: c.story_md,
    objectif: euros(c.goal_cents),
    fin: parisCalendarDate(new Date(c.ends_at)),
    territoire: c.territory,
    theme: c.theme,
    resultats: c.expected_results_md,
    calendrier: c.timetable_md,
    postes: Array.from({ length: FUND_ROWS }, (_, i) => ({
      libelle: c.fundLines[i]?.label ?? "",
      montant: c.fundLines[i] ? euros(c.fundLines[i].amount_cents) : "",
    })),
    contreparties: Array.from({ length: REWARD_ROWS }, (_, i) => {
      const r = c.rewards[i];
      return {
        titre: r?.title ?? "",
        description: r?.description ?? "",
        minimum: r ? euros(r.minimum_cents) : "",
        stock: r?.stock != null ? String(r.stock) : "",
        valeur: r ? rewardValueText(r.value_cents) : "",
      };
    }),
  };
  return {
    id,
    slug: c.slug,
    status: c.status,
    statusLabel: STATE_LABELS[c.status],
    ...holderEditing(c.status),
    missing: c.missing,
    staffComment: c.staffComment,
    values,
    territories,
    themes,
    // Constants of a .server module do not reach the browser: send them with the data.
    days: durationBounds(),
    image: c.image_path ? { src: `/images/campagnes/${c.image_path}`, alt: c.image_alt ?? "" } : null,
    receipts: await rewardEditorSettings(db, id),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, id, c } = await requireOwnCampaign(request, params.id);
  const db = database().db;
  if (Number(request.headers.get("content-length") ?? 0) > MAX_IMAGE_BYTES + 64 * 1024) {
    return data(
      {
        values: null,
        errors: {},
        message: "Image trop lourde\u00a0: 5 Mo au plus.",
        saved: false,
      },
      { status: 413 },
    );
  }
  const form = await readForm(request);
  if (form.get("intent") === "image") {
    const file = form.get("image");
    const bytes = file instanceof File ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0);
    const result = await setCampaignImage(db, id, c.status, bytes, field(form, "image_alt"));
    if (!result.ok)
      return data(
        { values: null, errors: result.errors, message: result.message, saved: false },
        { status: result.status },
      );
    // `picture`: only the picture was saved, not the campaign form.
    return data({ values: null, errors: {}, message: null, saved: true, picture: true });
  }
  const submitting = form.get("intent") === "submit";
  // Only a draft (or one sent back for changes) can be submitted; anything else is refused as is.
  if (submitting && !holderEditing(c.status).editable)
    return data(
      { values: null, errors: {}, message: "Cette campagne a déjà été soumise.", saved: false },
      { status: 409 },
    );
  const values = readCampaignForm(form);
  const [territories, themes] = await Promise.all([listTerritories(db), listThemes(db)]);
  const checked = validateCampaign(values, {
    territories: new Set(territories.map((t) => t.slug)),
    themes: new Set(themes.map((t) => t.slug)),
  });
  if (!checked.ok)
    return data({ values, errors: checked.errors, message: null, saved: false }, { status: 400 });
  if (submitting) {
    // « Soumettre » saves what is on screen and submits it, in one transaction (nothing if refused).
    const submitted = await saveAndSubmitCampaign(db, user.id, id, checked.data);
    if (!submitted.ok)
      return data(
        { values, errors: {}, message: `${submitted.message} Rien n’a été enregistré.`, saved: false },
        { status: 409 },
      );
    return redirect(`/porteur/campagnes/${id}?soumise=1`);
  }
  const saved = await saveCampaign(db, user.id, id, checked.data);
  if (!saved.ok) return data({ values, errors: {}, message: saved.message, saved: false }, { status: 409 });
  return data({ values: null, errors: {}, message: null, saved: true });
}

export default function Editor() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const v = result?.values ?? d.values;
  const errors: CampaignErrors = result?.errors ?? {};
  const locked = !d.editable;
  // Following a link with unsaved edits asks first (JavaScript only); a successful save clears it.
  useUnsavedChangesPrompt(
    "campaign-form",
    result?.saved && !("picture" in result) ? result : search.get("soumise") ? d : null,
  );

  // A cost line is also concerned by the error on the lines' total.
  const costGroup = errors.postes ? errorId("e-postes") : undefined;
  const summary = Object.entries(errors).map(([name, message]) => ({
    target: `e-${name === "postes" ? "poste_0_libelle" : name}`,
    message,
  }));
  return (
    <div className="container page editor">
      <p>
        <Link to="/porteur">← Espace porteur</Link>
      </p>
      <h1>{d.values.titre}</h1>
      <p className="outcome" role="status">
        État&nbsp;: <strong>{d.statusLabel}</strong>.{" "}
        {search.get("soumise")
          ? "Votre campagne est transmise à l’équipe du Département pour validation. "
          : ""}
        {result?.saved ? "Modifications enregistrées. " : ""}
        {d.storyOnly
          ? "La campagne est validée\u00a0: l’objectif, les dates et les contreparties ne changent plus\u202f; la présentation reste modifiable."
          : ""}
        {d.status === "submitted"
          ? "En attente de validation\u00a0: la campagne ne peut pas être modifiée pour le moment."
          : ""}
      </p>
      {d.staffComment ? (
        <div className="outcome outcome--failed">
          <h2>Modifications demandées par l’équipe</h2>
          <p>{d.staffComment}</p>
        </div>
      ) : null}
      {result?.message ? (
        <p className="form-error" role="alert">
          {result.message}
        </p>
      ) : null}
      <ErrorSummary entries={summary} />
      <p>
        <Link to={`/porteur/campagnes/${d.id}/apercu`}>Aperçu de la page publique</Link>
      </p>

      <Form method="post" noValidate id="campaign-form">
        <fieldset disabled={locked && !d.storyOnly}>
          <legend className="visually-hidden">Contenu de la campagne</legend>
          <Field
            id="e-titre"
            label="Titre du projet"
            name="titre"
            defaultValue={v.titre}
            maxLength={120}
            readOnly={locked}
            error={errors.titre}
          />
          <TextArea
            id="e-resume"
            label="Résumé (affiché sur les cartes)"
            hint="20 à 300 caractères."
            name="resume"
            defaultValue={v.resume}
            rows={2}
            maxLength={300}
            readOnly={locked}
            error={errors.resume}
          />
          <TextArea
            id="e-histoire"
            label="Présentation du projet (Markdown)"
            hint="Titres avec ##, listes avec -, **gras**, *italique*, liens [texte](https://…). L’aperçu montre le rendu."
            name="histoire"
            defaultValue={v.histoire}
            rows={12}
            error={errors.histoire}
          />
          <div className="editor__row">
            <Field
              id="e-objectif"
              label="Objectif (en euros)"
              hint="De 100 € à 1 000 000 €, nombre entier."
              name="objectif"
              inputMode="numeric"
              defaultValue={v.objectif}
              readOnly={locked}
              error={errors.objectif}
            />
            <Field
              id="e-fin"
              label="Date de fin de la collecte"
              hint={`La collecte dure de ${d.days.min} à ${d.days.max} jours${NNBSP}; elle se termine à 23 h 59 (heure de Paris).`}
              name="fin"
              type="date"
              defaultValue={v.fin}
              readOnly={locked}
              error={errors.fin}
            />
          </div>
          <div className="editor__row">
            <Select
              id="e-territoire"
              label="Territoire"
              name="territoire"
              defaultValue={v.territoire}
              disabled={locked}
              error={errors.territoire}
            >
              {d.territories.map((t) => (
                <option key={t.slug} value={t.slug}>
                  {t.name}
                </option>
              ))}
            </Select>
            <Select
              id="e-theme"
              label="Thème"
              name="theme"
              defaultValue={v.theme}
              disabled={locked}
              error={errors.theme}
            >
              {d.themes.map((t) => (
                <option key={t.slug} value={t.slug}>
                  {t.name}
                </option>
              ))}
            </Select>
          </div>

          <fieldset className="editor__group" disabled={locked}>
            <legend>Utilisation des fonds, poste par poste (le total doit égaler l’objectif)</legend>
            <FieldError id="e-postes" message={errors.postes} />
            {v.postes.map((row, i) => (
              <div className="editor__row" key={i}>
                <Field
                  id={`e-poste_${i}_libelle`}
                  label={`Poste ${i + 1}${NBSP}: libellé`}
                  name={`poste_${i}_libelle`}
                  defaultValue={row.libelle}
                  maxLength={120}
                  error={errors[`poste_${i}_libelle`]}
                  alsoDescribedBy={[costGroup]}
                />
                <Field
                  id={`e-poste_${i}_montant`}
                  label={`Poste ${i + 1}${NBSP}: montant (€)`}
                  name={`poste_${i}_montant`}
                  inputMode="numeric"
                  defaultValue={row.montant}
                  error={errors[`poste_${i}_montant`]}
                  alsoDescribedBy={[costGroup]}
                />
              </div>
            ))}
          </fieldset>

          <TextArea
            id="e-resultats"
            label="Résultats attendus"
            hint="Ce que le projet aura changé, concrètement."
            name="resultats"
            defaultValue={v.resultats}
            rows={4}
            readOnly={locked}
            error={errors.resultats}
          />
          <TextArea
            id="e-calendrier"
            label="Calendrier"
            hint="Les grandes étapes, datées."
            name="calendrier"
            defaultValue={v.calendrier}
            rows={4}
            readOnly={locked}
            error={errors.calendrier}
          />

          <fieldset className="editor__group" disabled={locked}>
            <legend>Contreparties (facultatives&#x202f;; stock vide = illimité)</legend>
            {v.contreparties.map((row, i) => (
              <div className="editor__reward" key={i}>
                <Field
                  id={`e-cp_${i}_titre`}
                  label={`Contrepartie ${i + 1}${NBSP}: titre`}
                  name={`cp_${i}_titre`}
                  defaultValue={row.titre}
                  maxLength={80}
                  error={errors[`cp_${i}_titre`]}
                />
                <Field
                  id={`e-cp_${i}_description`}
                  label={`Contrepartie ${i + 1}${NBSP}: description`}
                  name={`cp_${i}_description`}
                  defaultValue={row.description}
                  maxLength={500}
                  error={errors[`cp_${i}_description`]}
                />
                <div className="editor__row">
                  <Field
                    id={`e-cp_${i}_minimum`}
                    label={`Contrepartie ${i + 1}${NBSP}: montant minimum (€)`}
                    name={`cp_${i}_minimum`}
                    inputMode="numeric"
                    defaultValue={row.minimum}
                    error={errors[`cp_${i}_minimum`]}
                  />
                  <Field
                    id={`e-cp_${i}_stock`}
                    label={`Contrepartie ${i + 1}${NBSP}: stock`}
                    name={`cp_${i}_stock`}
                    inputMode="numeric"
                    defaultValue={row.stock}
                    error={errors[`cp_${i}_stock`]}
                  />
                </div>
                {d.receipts ? (
                  <RewardValueField
                    index={i}
                    defaultValue={row.valeur ?? ""}
                    minimumFieldId={`e-cp_${i}_minimum`}
                    savedMinimum={row.minimum}
                    yearlyCapCents={d.receipts.yearlyCapCents}
                    error={errors[`cp_${i}_valeur`]}
                  />
                ) : null}
              </div>
            ))}
          </fieldset>

          {d.editable || d.storyOnly ? (
            <button type="submit" name="intent" value="save" className="button">
              Enregistrer
            </button>
          ) : null}
        </fieldset>
      </Form>

      {d.editable ? (
        <section aria-labelledby="image-title" className="editor__submit">
          <h2 id="image-title">Image du projet</h2>
          {d.image ? (
            <img src={d.image.src} alt={d.image.alt} className="editor__image" />
          ) : (
            <p>Pas encore d’image.</p>
          )}
          <Form method="post" encType="multipart/form-data" className="stack">
            <input type="hidden" name="intent" value="image" />
            <Field
              id="e-image"
              name="image"
              type="file"
              accept="image/jpeg,image/png,image/webp"
              label="Image (JPEG, PNG ou WebP&#x202f;; 5 Mo au plus&#x202f;; 600 × 300 pixels au moins)"
              error={errors.image}
            />
            <Field
              id="e-image_alt"
              name="image_alt"
              maxLength={200}
              defaultValue={d.image?.alt ?? ""}
              label="Description de l’image (pour les personnes qui ne la voient pas)"
              error={errors.image_alt}
            />
            <button type="submit" className="button button--secondary">
              Envoyer l’image
            </button>
          </Form>
        </section>
      ) : null}

      {d.editable ? (
        <section aria-labelledby="submit-title" className="editor__submit">
          <h2 id="submit-title">Soumettre pour validation</h2>
          {d.missing.length > 0 ? (
            <p>Pour soumettre la campagne, complétez&nbsp;: {d.missing.join(", ")}.</p>
          ) : (
            <p>
              La campagne est complète&nbsp;: l’équipe du Département la relira et vous répondra par courriel.
            </p>
          )}
          {/* Part of the campaign form (form=…): what is on screen is saved, then submitted. */}
          <button type="submit" form="campaign-form" name="intent" value="submit" className="button">
            {d.status === "changes_requested" ? "Soumettre à nouveau" : "Soumettre pour validation"}
          </button>
        </section>
      ) : null}
    </div>
  );
}
