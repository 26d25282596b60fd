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
