/**
 * The data of a campaign's page, as the public page, the holder's preview and the staff review
 * show it (app/components/campaign-view.tsx): the read model, its Markdown rendered and
 * sanitised, the time the page was built, the bounds of a contribution and the abondement that
 * would match a contribution now (its matched money is in the read model: campaign.matchedCents).
 */
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { contributionBounds } from "~/config.server";
import { renderMarkdown } from "~/markdown.server";
import { campaignMatchingOffer } from "~/matching/offer.server";
import { getCampaignPage } from "./campaigns.server";
import { campaignKey, fundKey } from "#db/page-versions";
import { fundsOfCampaign } from "~/matching/funds.server";
import { publicNews } from "~/holder/news.server";
import { receiptOffer } from "~/receipts-forms/offer.server";
import type { SpliceStore } from "~/components/page-splice";

export async function campaignViewData(
  db: Kysely<DB>,
  slug: string,
  options: { includeUnpublished?: boolean; now?: Date } = {},
) {
  const campaign = await getCampaignPage(db, slug, { includeUnpublished: options.includeUnpublished });
  if (!campaign) return null;
  const now = options.now ?? new Date();
  return {
    campaign,
    html: {
      story: renderMarkdown(campaign.storyMd),
      expectedResults: renderMarkdown(campaign.expectedResultsMd),
      timetable: renderMarkdown(campaign.timetableMd),
    },
    now: now.toISOString(),
    bounds: contributionBounds(),
    matching: await campaignMatchingOffer(db, campaign.id, now),
  };
}

/**
 * The public page's data (app/routes/campagnes.$slug.tsx) and the page-cache keys it shows: the
 * campaign, and the abondement funds whose remaining money it says (a payment on another
 * campaign of the same fund changes it, docs/decisions/030-page-cache-keys.md). `now` is the
 * instant the page is built for (the countdown, the abondement still open).
 */
export async function publicCampaignPage(db: Kysely<DB>, slug: string, options: { now?: Date } = {}) {
  const view = await campaignViewData(db, slug, { now: options.now });
  if (!view) return null;
  const id = view.campaign.id;
  const funds = await fundsOfCampaign(db, id);
  return {
    keys: [campaignKey(id), ...funds.map((f) => fundKey(f.id))],
    data: {
      ...view,
      receiptOffer: view.campaign.status === "live" ? await receiptOffer(db, id) : null,
      news: (await publicNews(db, id)).map((n) => ({
        id: n.id,
        title: n.title,
        html: renderMarkdown(n.body_md),
        publishedAt: n.published_at,
      })),
    },
  };
}

/** What the public page shows: its data and, for a signed-in citizen, their address in the form. */
export type PublicCampaignPageData = NonNullable<Awaited<ReturnType<typeof publicCampaignPage>>>["data"] & {
  signedInEmail: string | null;
};

/** What the document shows of the data outside the spliced view: the head, the share links. */
function headOf({ campaign }: PublicCampaignPageData): string {
  return JSON.stringify([campaign.title, campaign.summary, campaign.slug, campaign.image]);
}

/**
 * How the page cache splices the public page whose data is `data`, written as `page` (its JSON string,
 * docs/decisions/034-money-splicing.md): its data read again for an anonymous visitor, at the
 * instant it was built for (its countdown), and a signed-in citizen's data from an anonymous
 * visitor's (their address in the form, the rest the same).
 */
export function publicCampaignPageSplice(
  slug: string,
  data: PublicCampaignPageData,
  page: string,
  keys: readonly string[],
): Required<Pick<SpliceStore, "source" | "reload" | "personal">> {
  return {
    source: { page, head: headOf(data), keys },
    reload: async (db) => {
      const again = await publicCampaignPage(db, slug, { now: new Date(data.now) });
      if (!again) return null;
      const next: PublicCampaignPageData = { ...again.data, signedInEmail: null };
      return { page: JSON.stringify(next), head: headOf(next), keys: again.keys };
    },
    personal: (anonymous, user) =>
      JSON.stringify({ ...(JSON.parse(anonymous) as PublicCampaignPageData), signedInEmail: user.email }),
  };
}
