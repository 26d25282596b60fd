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
import { Field, Select } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Nouvelle campagne — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const structures = await structuresOf(database().db, user.id);
  if (structures.length === 0) throw redirect("/porteur/structure");
  return { structures: structures.map((s) => ({ id: s.id, name: s.name })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const title = field(form, "titre").trim();
  const structure = Number(form.get("structure"));
  if (title.length < 5 || title.length > 120) {
    return data({ title, error: "Titre : de 5 à 120 caractères." }, { status: 400 });
  }
  const id = Number.isSafeInteger(structure)
    ? await createDraft(database().db, user.id, structure, title)
    : null;
  if (id === null) return data({ title, error: "Structure inconnue." }, { status: 400 });
  return redirect(`/porteur/campagnes/${id}`);
}

export default function NewCampaign() {
  const { structures } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
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
          defaultValue={result?.title ?? ""}
          error={result?.error}
          errorAlert
        />
        <button type="submit" className="button">
          Créer le brouillon
        </button>
      </Form>
    </div>
  );
}
