/** Staff: create an abondement fund (its rules can change until its first match). */
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { readForm } from "~/forms.server";
import { createFund, readFundForm, validateFund } from "~/matching/admin.server";
import { EMPTY_FUND_VALUES, FundForm } from "~/components/fund-form";

export const meta: MetaFunction = () => [
  { title: "Nouveau fonds d’abondement — Espace Département — Propulsons" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ["staff"]);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ["staff"]);
  const values = readFundForm(await readForm(request));
  const checked = validateFund(values);
  if (!checked.ok) return data({ values, errors: checked.errors }, { status: 400 });
  const created = await createFund(database().db, user.id, checked.data);
  if (!created.ok) return data({ values, errors: {} }, { status: created.status });
  return redirect(`/gestion/abondements/${created.value}?fait=cree`, 303);
}

export default function NewFund() {
  const submitted = useActionData<typeof action>();
  return (
    <div className="container page prose-page">
      <p>
        <Link to="/gestion/abondements">← Abondements</Link>
      </p>
      <h1>Nouveau fonds d’abondement</h1>
      <p>
        Ses règles peuvent être modifiées tant qu’aucune contribution n’a été abondée. Ensuite, il ne reste
        que deux actions&nbsp;: clôturer l’abondement, ou ajouter des fonds à l’enveloppe.
      </p>
      <FundForm
        values={submitted?.values ?? EMPTY_FUND_VALUES}
        errors={submitted?.errors}
        intent="create"
        submitLabel="Créer le fonds"
      />
    </div>
  );
}
