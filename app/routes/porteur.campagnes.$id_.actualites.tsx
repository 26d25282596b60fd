import { NNBSP } from "~/domain/typography";
import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { database } from "~/db.server";
import { countOf, formatDate } from "~/domain/format";
import { field, readForm } from "~/forms.server";
import { requireOwnCampaign } from "~/holder/campaigns.server";
import { NEWS_STATES, postNews, publicNews, validateNews } from "~/holder/news.server";
import { Field, TextArea } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Actualités — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id, c } = await requireOwnCampaign(request, params.id);
  const news = await publicNews(database().db, id);
  return { id, title: c.title, open: (NEWS_STATES as readonly string[]).includes(c.status), news };
}

interface NewsAnswer {
  values: { titre: string; texte: string };
  errors: Record<string, string>;
  message: string | null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, id } = await requireOwnCampaign(request, params.id);
  const form = await readForm(request);
  const values = { titre: field(form, "titre"), texte: field(form, "texte") };
  const parsed = validateNews(values);
  if (!parsed.ok) return data<NewsAnswer>({ values, errors: parsed.errors, message: null }, { status: 400 });
  const posted = await postNews(database().db, user.id, id, { title: parsed.title, bodyMd: parsed.bodyMd });
  if (!posted.ok)
    return data<NewsAnswer>({ values, errors: {}, message: posted.message }, { status: posted.status });
  const message =
    `Actualité publiée et envoyée à ${countOf(posted.recipients, "contributeur", "contributeurs")}` +
    (posted.failedBatches > 0
      ? `${NNBSP}; ${countOf(posted.failedBatches, "envoi groupé en échec, signalé", "envois groupés en échec, signalés")} à l’équipe.`
      : ".");
  return data<NewsAnswer>({ values: { titre: "", texte: "" }, errors: {}, message });
}

export default function News() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const errors = r?.errors ?? {};
  return (
    <div className="container page prose-page">
      <p>
        <Link to="/porteur">← Espace porteur</Link>
      </p>
      <h1>Actualités&nbsp;: {d.title}</h1>
      {r?.message ? (
        <p className="outcome" role="status">
          {r.message}
        </p>
      ) : null}
      {d.open ? (
        <Form method="post" className="stack editor" noValidate>
          <Field
            id="a-titre"
            name="titre"
            label="Titre"
            defaultValue={r?.values.titre ?? ""}
            maxLength={120}
            error={errors.titre}
          />
          <TextArea
            id="a-texte"
            name="texte"
            label="Texte (Markdown)"
            rows={8}
            defaultValue={r?.values.texte ?? ""}
            error={errors.texte}
            hint="Publiée sur la page du projet et envoyée par courriel à vos contributeurs (sauf à ceux qui se sont désabonnés)."
          />
          <button type="submit" className="button">
            Publier et envoyer
          </button>
        </Form>
      ) : (
        <p>Les actualités s’ouvrent quand la campagne est en ligne.</p>
      )}
      <h2>Déjà publiées</h2>
      {d.news.length === 0 ? (
        <p>Aucune actualité pour le moment.</p>
      ) : (
        <ul>
          {d.news.map((n) => (
            <li key={n.id}>
              {n.title} — le {formatDate(n.published_at)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
