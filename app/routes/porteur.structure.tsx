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
import { ErrorSummary, Field, Select } from "~/components/form";
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
  const summary = (Object.keys(LABELS) as Array<keyof StructureValues>)
    .filter((k) => errors[k])
    .map((k) => ({ target: `s-${k}`, label: LABELS[k], message: errors[k]! }));
  return (
    <div className="container page prose-page">
      <p>
        <Link to="/porteur">← Espace porteur</Link>
      </p>
      <h1>{loaded.existing ? "Modifier ma structure" : "Déclarer ma structure"}</h1>
      <ErrorSummary entries={summary} />
      <Form method="post" className="stack" noValidate>
        <Field
          id="s-nom"
          name="nom"
          label={LABELS.nom}
          defaultValue={v.nom}
          maxLength={120}
          error={errors.nom}
        />
        <Select id="s-forme" name="forme" label={LABELS.forme} defaultValue={v.forme} error={errors.forme}>
          <option value="">Choisir…</option>
          {LEGAL_FORM_KEYS.map((key) => (
            <option key={key} value={key}>
              {legalFormName(key)}
            </option>
          ))}
        </Select>
        <Field
          id="s-numero"
          name="numero"
          label={LABELS.numero}
          defaultValue={v.numero}
          maxLength={30}
          error={errors.numero}
          hint="SIRET (14 chiffres) pour une entreprise ou une coopérative&#x202f;; numéro RNA («&nbsp;W&nbsp;» suivi de 9 caractères) ou SIRET pour une association&#x202f;; facultatif pour un collectif."
        />
        <Field
          id="s-commune"
          name="commune"
          label={LABELS.commune}
          defaultValue={v.commune}
          maxLength={80}
          autoComplete="address-level2"
          error={errors.commune}
        />
        <Select
          id="s-territoire"
          name="territoire"
          label={LABELS.territoire}
          defaultValue={v.territoire}
          error={errors.territoire}
        >
          <option value="">Choisir…</option>
          {loaded.territories.map((t) => (
            <option key={t.slug} value={t.slug}>
              {t.name}
            </option>
          ))}
        </Select>
        <button type="submit" className="button">
          Enregistrer
        </button>
      </Form>
      {loaded.existing ? (
        <section aria-labelledby="s-recus">
          <h2 id="s-recus">Reçus fiscaux</h2>
          <p>
            Une association d’intérêt général peut faire émettre par Propulsons les reçus fiscaux de ses
            donateurs.{" "}
            <Link to="/porteur/structure/recus-fiscaux">Ma structure peut émettre des reçus fiscaux</Link>
          </p>
        </section>
      ) : null}
    </div>
  );
}
