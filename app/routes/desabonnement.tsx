/**
 * Unsubscribe from a campaign's news. Opening the link shows a button (mail
 * scanners open links); one-click unsubscription (RFC 8058) POSTs to the same URL.
 */
import { NBSP } from "~/domain/typography";
import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { database } from "~/db.server";
import { field, readForm } from "~/forms.server";
import { unsubscribe } from "~/holder/news.server";

export const meta: MetaFunction = () => [
  { title: "Se désabonner — Propulsons" },
  { name: "robots", content: "noindex" },
];
export const headers: HeadersFunction = () => ({
  "Cache-Control": "private, no-store",
  "Referrer-Policy": "same-origin",
});

export async function loader({ request }: LoaderFunctionArgs) {
  return { jeton: new URL(request.url).searchParams.get("jeton") ?? "" };
}

export async function action({ request }: ActionFunctionArgs) {
  const token = new URL(request.url).searchParams.get("jeton") ?? field(await readForm(request), "jeton");
  const done = await unsubscribe(database().db, token);
  if (!done)
    return data(
      { ok: false as const, message: "Ce lien de désabonnement n’est pas valide." },
      { status: 400 },
    );
  return {
    ok: true as const,
    message: `Vous ne recevrez plus les actualités de «${NBSP}${done.campaignTitle}${NBSP}».`,
  };
}

export default function Unsubscribe() {
  const { jeton } = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  return (
    <div className="container page prose-page">
      <h1>Ne plus recevoir les actualités d’un projet</h1>
      {r ? (
        <p className={r.ok ? "outcome" : "form-error"} role={r.ok ? "status" : "alert"}>
          {r.message}
        </p>
      ) : (
        <Form method="post">
          <input type="hidden" name="jeton" value={jeton} />
          <button type="submit" className="button">
            Me désabonner
          </button>
        </Form>
      )}
    </div>
  );
}
