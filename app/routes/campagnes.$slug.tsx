import { readForm } from "~/forms.server";
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { CampaignView } from "~/components/campaign-view";
import { ShareLinks } from "~/components/share-links";
import { getSessionUser } from "~/auth.server";
import { contributionBounds } from "~/config.server";
import { readContributionForm, validateContributionForm } from "~/payments/contribution-form.server";
import { startContribution } from "~/payments/contributions.server";
import { database } from "~/db.server";
import { campaignKey, fundKey } from "#db/page-versions";
import { fundsOfCampaign } from "~/matching/funds.server";
import { dependsOn } from "~/page-cache.server";
import { renderMarkdown } from "~/markdown.server";
import { publicNews } from "~/holder/news.server";
import { campaignViewData } from "~/models/campaign-view.server";
import { campaignPath } from "~/domain/paths";
import { publicUrlFrom, SEO_HANDLE, seoMeta, shortDescription } from "~/seo/meta";
import { receiptOffer } from "~/receipts-forms/offer.server";
import { readReceiptRequest, validateReceiptRequest } from "~/receipts-forms/request-form.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? seoMeta({
        title: data.campaign.title,
        description: shortDescription(data.campaign.summary),
        base: publicUrlFrom(matches),
        path: campaignPath(data.campaign.slug),
        image: data.campaign.image,
        type: "article",
      })
    : [{ title: "Projet introuvable — Propulsons" }];
export const handle = SEO_HANDLE;

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  if (!/^[a-z0-9-]{1,120}$/.test(slug)) throw new Response("Projet introuvable.", { status: 404 });
  const view = await campaignViewData(database().db, slug);
  if (!view) throw new Response("Projet introuvable.", { status: 404 });
  // The page shows this campaign and what its abondement funds have left: a payment on another
  // campaign of the same fund changes it (docs/decisions/030-page-cache-keys.md).
  const funds = await fundsOfCampaign(database().db, view.campaign.id);
  dependsOn(context, [campaignKey(view.campaign.id), ...funds.map((f) => fundKey(f.id))]);
  return {
    ...view,
    // A signed-in citizen finds their address already in the form (such pages are never cached).
    signedInEmail: (await getSessionUser(request))?.email ?? null,
    receiptOffer:
      view.campaign.status === "live" ? await receiptOffer(database().db, view.campaign.id) : null,
    news: (await publicNews(database().db, view.campaign.id)).map((n) => ({
      id: n.id,
      title: n.title,
      html: renderMarkdown(n.body_md),
      publishedAt: n.published_at,
    })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const slug = params.slug ?? "";
  if (!/^[a-z0-9-]{1,120}$/.test(slug)) throw new Response("Projet introuvable.", { status: 404 });
  const form = await readForm(request);
  const values = { ...readContributionForm(form), ...readReceiptRequest(form) };
  const checked = validateContributionForm(values, contributionBounds());
  const receipt = validateReceiptRequest(values);
  if (!checked.ok || !receipt.ok) {
    const errors = { ...(checked.ok ? {} : checked.errors), ...(receipt.ok ? {} : receipt.errors) };
    return data({ values, errors, formError: undefined }, { status: 400 });
  }
  const result = await startContribution(database().db, slug, checked.data, { receiptRequest: receipt.data });
  if (!result.ok) {
    if (result.status === 404) throw new Response("Projet introuvable.", { status: 404 });
    return data(
      { values, errors: result.fieldErrors ?? {}, formError: result.formError },
      { status: result.status },
    );
  }
  return redirect(result.checkoutUrl, 303);
}

export default function CampaignPageRoute() {
  const { campaign, html, now, bounds, signedInEmail, news, receiptOffer, matching } =
    useLoaderData<typeof loader>();
  const formState = useActionData<typeof action>();
  return (
    <>
      <CampaignView
        campaign={campaign}
        html={html}
        now={now}
        bounds={bounds}
        signedInEmail={signedInEmail}
        formState={formState}
        news={news}
        receiptOffer={receiptOffer}
        matching={matching}
      />
      <div className="container">
        <ShareLinks path={campaignPath(campaign.slug)} title={campaign.title} />
      </div>
    </>
  );
}
