import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { readForm } from "~/forms.server";
import {
  readStructureForm,
  validateStructure,
  type StructureErrors,
  type StructureValues,
} from "~/holder/structure-form.server";
import { createStructure, structuresOf, updateStructure } from "~/holder/structures.server";
import { listTerritories } from "~/models/campaigns.server";
import { LEGAL_FORM_KEYS, legalFormName } from "~/domain/legal-forms";

export const meta: MetaFunction = () => [{ title: "Ma structure — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = database().db;
  const [structures, territories] = await Promise.all([structuresOf(db, user.id), listTerritories(db)]);
  const current = structures[0];
  return {
    territories,
    existing: current !== undefined,
    values: current
      ? {
          nom: current.name,
          forme: current.legal_form,
          numero: current.registration_number ?? "",
          commune: current.town,
          territoire: current.territory,
        }
      : { nom: "", forme: "", numero: "", commune: "", territoire: "" },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = database().db;
  const values = readStructureForm(await readForm(request));
  const territories = new Set((await listTerritories(db)).map((t) => t.slug));
  const checked = validateStructure(values, territories);
  if (!checked.ok) return data({ values, errors: checked.errors }, { status: 400 });
  const current = (await structuresOf(db, user.id))[0];
  if (current) await updateStructure(db, user.id, current.id, checked.data);
  else await createStructure(db, user.id, checked.data);
  return redirect("/porteur");
}

const LABELS: Record<keyof StructureValues, string> = {
  nom: "Nom de la structure",
  forme: "Forme juridique",
  numero: "Numéro SIRET ou RNA",
  commune: "Commune",
  territoire: "Territoire",
};

export default function StructurePage() {
  const loaded = useLoaderData<typeof loader>();
  const submitted = useActionData<typeof action>();
  const v = submitted?.values ?? loaded.values;
  const errors: StructureErrors = submitted?.errors ?? {};
  const entries = (Object.keys(LABELS) as Array<keyof StructureValues>).filter((k) => errors[k]);
  const described = (k: keyof StructureValues, hint?: string) =>
    [hint, errors[k] ? `s-${k}-error` : undefined].filter(Boolean).join(" ") || undefined;
  const err = (k: keyof StructureValues) =>
    errors[k] ? (
      <p className="field-error" id={`s-${k}-error`}>
        {errors[k]}
      </p>
    ) : null;
  return (
    <div className="container page prose-page">
      <p>
        <Link to="/porteur">← Espace porteur</Link>
      </p>
      <h1>{loaded.existing ? "Modifier ma structure" : "Déclarer ma structure"}</h1>
      {entries.length > 0 ? (
        <div className="error-summary" role="alert">
          <h2>Le formulaire contient {entries.length === 1 ? "une erreur" : `${entries.length} erreurs`}</h2>
          <ul>
            {entries.map((k) => (
              <li key={k}>
                <a href={`#s-${k}`}>
                  {LABELS[k]} : {errors[k]}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" className="stack" noValidate>
        <div className="field">
          <label htmlFor="s-nom">{LABELS.nom}</label>
          <input
            id="s-nom"
            name="nom"
            defaultValue={v.nom}
            maxLength={120}
            aria-invalid={errors.nom ? true : undefined}
            aria-describedby={described("nom")}
          />
          {err("nom")}
        </div>
        <div className="field">
          <label htmlFor="s-forme">{LABELS.forme}</label>
          <select
            id="s-forme"
            name="forme"
            defaultValue={v.forme}
            aria-invalid={errors.forme ? true : undefined}
            aria-describedby={described("forme")}
          >
            <option value="">Choisir…</option>
            {LEGAL_FORM_KEYS.map((key) => (
              <option key={key} value={key}>
                {legalFormName(key)}
              </option>
            ))}
          </select>
          {err("forme")}
        </div>
        <div className="field">
          <label htmlFor="s-numero">{LABELS.numero}</label>
          <input
            id="s-numero"
            name="numero"
            defaultValue={v.numero}
            maxLength={30}
            aria-invalid={errors.numero ? true : undefined}
            aria-describedby={described("numero", "s-numero-hint")}
          />
          <p className="hint" id="s-numero-hint">
            SIRET (14 chiffres) pour une entreprise ou une coopérative ; numéro RNA (« W » suivi de 9
            caractères) ou SIRET pour une association ; facultatif pour un collectif.
          </p>
          {err("numero")}
        </div>
        <div className="field">
          <label htmlFor="s-commune">{LABELS.commune}</label>
          <input
            id="s-commune"
            name="commune"
            defaultValue={v.commune}
            maxLength={80}
            autoComplete="address-level2"
            aria-invalid={errors.commune ? true : undefined}
            aria-describedby={described("commune")}
          />
          {err("commune")}
        </div>
        <div className="field">
          <label htmlFor="s-territoire">{LABELS.territoire}</label>
          <select
            id="s-territoire"
            name="territoire"
            defaultValue={v.territoire}
            aria-invalid={errors.territoire ? true : undefined}
            aria-describedby={described("territoire")}
          >
            <option value="">Choisir…</option>
            {loaded.territories.map((t) => (
              <option key={t.slug} value={t.slug}>
                {t.name}
              </option>
            ))}
          </select>
          {err("territoire")}
        </div>
        <button type="submit" className="button">
          Enregistrer
        </button>
      </Form>
    </div>
  );
}
