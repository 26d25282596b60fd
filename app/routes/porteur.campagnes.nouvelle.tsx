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
import { field, readForm } from "~/forms.server";
import { createDraft } from "~/holder/campaigns.server";
import { structuresOf } from "~/holder/structures.server";
import { listTerritories, listThemes } from "~/models/campaigns.server";
import { Field, Select } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Nouvelle campagne — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const structures = await structuresOf(database().db, user.id);
  if (structures.length === 0) throw redirect("/porteur/structure");
  const [territories, themes] = await Promise.all([
    listTerritories(database().db),
    listThemes(database().db),
  ]);
  return { structures: structures.map((s) => ({ id: s.id, name: s.name })), territories, themes };
}

type Errors = Partial<Record<"titre" | "territoire" | "theme" | "structure", string>>;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const title = field(form, "titre").trim();
  const territory = field(form, "territoire");
  const theme = field(form, "theme");
  const structure = Number(form.get("structure"));
  const values = { title, territory, theme };
  const errors: Errors = {};
  if (title.length < 5 || title.length > 120) errors.titre = "Titre\u00a0: de 5 à 120 caractères.";
  // The holder chooses both: nothing is chosen for them (the list's filters rely on it).
  if (territory === "") errors.territoire = "Choisissez le territoire du projet.";
  if (theme === "") errors.theme = "Choisissez le thème du projet.";
  if (Object.keys(errors).length > 0) return data({ values, errors }, { status: 400 });
  const id = Number.isSafeInteger(structure)
    ? await createDraft(database().db, user.id, structure, title, { territory, theme })
    : null;
  if (id === null)
    return data(
      { values, errors: { structure: "Structure, territoire ou thème inconnu." } satisfies Errors },
      { status: 400 },
    );
  return redirect(`/porteur/campagnes/${id}`);
}

export default function NewCampaign() {
  const { structures, territories, themes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Errors = result?.errors ?? {};
  return (
    <div className="container page prose-page">
      <p>
        <Link to="/porteur">← Espace porteur</Link>
      </p>
      <h1>Nouvelle campagne</h1>
      <Form method="post" className="stack">
        {structures.length > 1 ? (
          <Select id="n-structure" name="structure" label="Structure">
            {structures.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
        ) : (
          <input type="hidden" name="structure" value={structures[0]!.id} />
        )}
        <Field
          id="n-titre"
          name="titre"
          label="Titre du projet"
          maxLength={120}
          defaultValue={result?.values.title ?? ""}
          error={errors.titre ?? errors.structure}
          errorAlert
        />
        <Select
          id="n-territoire"
          name="territoire"
          label="Territoire"
          required
          defaultValue={result?.values.territory ?? ""}
          error={errors.territoire}
        >
          <option value="">Choisir…</option>
          {territories.map((t) => (
            <option key={t.slug} value={t.slug}>
              {t.name}
            </option>
          ))}
        </Select>
        <Select
          id="n-theme"
          name="theme"
          label="Thème"
          required
          defaultValue={result?.values.theme ?? ""}
          error={errors.theme}
        >
          <option value="">Choisir…</option>
          {themes.map((t) => (
            <option key={t.slug} value={t.slug}>
              {t.name}
            </option>
          ))}
        </Select>
        <button type="submit" className="button">
          Créer le brouillon
        </button>
      </Form>
    </div>
  );
}
