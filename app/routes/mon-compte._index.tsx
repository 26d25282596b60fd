import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";

export const meta: MetaFunction = () => [{ title: "Mon compte — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { user };
}

export default function Account() {
  const { user } = useLoaderData<typeof loader>();
  return (
    <div className="container page prose-page">
      <h1>Mon compte</h1>
      <p>
        Vous êtes connecté avec l'adresse <strong>{user.email}</strong>.
      </p>
      <ul>
        <li>
          <Link to="/mon-compte/contributions">Mes contributions</Link>
        </li>
        <li>
          <Link to="/porteur">Espace porteur de projet</Link> : déclarer sa structure, suivre ses campagnes
        </li>
      </ul>
      <h2>Sessions</h2>
      <p>
        Vous pouvez fermer toutes vos sessions, sur tous vos appareils (par exemple après avoir utilisé un
        ordinateur partagé).
      </p>
      <Form method="post" action="/deconnexion">
        <input type="hidden" name="partout" value="oui" />
        <button type="submit" className="button button--secondary">
          Me déconnecter de tous mes appareils
        </button>
      </Form>
    </div>
  );
}
