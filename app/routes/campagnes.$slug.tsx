import { readForm } from "~/forms.server";
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { CampaignView } from "~/components/campaign-view";
import { ShareLinks } from "~/components/share-links";
import { getSessionUser } from "~/auth.server";
import { contributionBounds } from "~/config.server";
import { readContributionForm, validateContributionForm } from "~/payments/contribution-form.server";
import { startContribution } from "~/payments/contributions.server";
import { database } from "~/db.server";
import { dependsOn } from "~/page-cache.server";
import { offerSplice } from "~/page-splice.server";
import {
  publicCampaignPage,
  publicCampaignPageSplice,
  type PublicCampaignPageData,
} from "~/models/campaign-view.server";
import { SpliceRegion } from "~/components/page-splice";
import { campaignPath } from "~/domain/paths";
import { publicUrlFrom, SEO_HANDLE, seoMeta, shortDescription } from "~/seo/meta";
import { readReceiptRequest, validateReceiptRequest } from "~/receipts-forms/request-form.server";

/** The page's data, as the loader wrote it (one JSON string: see below). */
function readPage(page: string): PublicCampaignPageData {
  return JSON.parse(page) as PublicCampaignPageData;
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: "Projet introuvable — Propulsons" }];
  const { campaign } = readPage(data.page);
  return seoMeta({
    title: campaign.title,
    description: shortDescription(campaign.summary),
    base: publicUrlFrom(matches),
    path: campaignPath(campaign.slug),
    image: campaign.image,
    type: "article",
  });
};
export const handle = SEO_HANDLE;

/**
 * The data is one JSON string, not an object: during a launch the page cache brings a stale page
 * up to date by replacing that string and the view it renders (docs/decisions/034-money-splicing.md).
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  if (!/^[a-z0-9-]{1,120}$/.test(slug)) throw new Response("Projet introuvable.", { status: 404 });
  const { db } = database();
  const found = await publicCampaignPage(db, slug);
  if (!found) throw new Response("Projet introuvable.", { status: 404 });
  dependsOn(context, found.keys);
  // A signed-in citizen finds their address already in the form.
  const data: PublicCampaignPageData = {
    ...found.data,
    signedInEmail: (await getSessionUser(request))?.email ?? null,
  };
  const page = JSON.stringify(data);
  offerSplice(context, publicCampaignPageSplice(slug, data, page, found.keys));
  return { page };
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
  const { page } = useLoaderData<typeof loader>();
  const formState = useActionData<typeof action>();
  const { campaign } = useMemo(() => readPage(page), [page]);
  return (
    <>
      <SpliceRegion
        name="view"
        page={page}
        element={(p) => {
          const d = readPage(p);
          return (
            <CampaignView
              campaign={d.campaign}
              html={d.html}
              now={d.now}
              bounds={d.bounds}
              signedInEmail={d.signedInEmail}
              formState={formState}
              news={d.news}
              receiptOffer={d.receiptOffer}
              matching={d.matching}
            />
          );
        }}
      />
      <div className="container">
        <ShareLinks path={campaignPath(campaign.slug)} title={campaign.title} />
      </div>
    </>
  );
}
