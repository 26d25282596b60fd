/**
 * The data of a campaign's page, as the public page, the holder's preview and the staff review
 * show it (app/components/campaign-view.tsx): the read model, its Markdown rendered and
 * sanitised, the time the page was built and the bounds of a contribution.
 */
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { contributionBounds } from "~/config.server";
import { renderMarkdown } from "~/markdown.server";
import { getCampaignPage } from "./campaigns.server";

export async function campaignViewData(
  db: Kysely<DB>,
  slug: string,
  options: { includeUnpublished?: boolean; now?: Date } = {},
) {
  const campaign = await getCampaignPage(db, slug, { includeUnpublished: options.includeUnpublished });
  if (!campaign) return null;
  return {
    campaign,
    html: {
      story: renderMarkdown(campaign.storyMd),
      expectedResults: renderMarkdown(campaign.expectedResultsMd),
      timetable: renderMarkdown(campaign.timetableMd),
    },
    now: (options.now ?? new Date()).toISOString(),
    bounds: contributionBounds(),
  };
}
