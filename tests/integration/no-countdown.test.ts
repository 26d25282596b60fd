/**
 * A campaign that is not open (draft, submitted, changes requested, approved but not started,
 * rejected) shows no countdown — no « J-12 », no « Dernières heures », no « Temps restant » —
 * in the holder's preview, the staff review (CampaignView) and on cards; the rendered HTML is
 * read at an instant between its planned start and end, when a live campaign does count down.
 */
import React from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { StaticRouter } from "react-router-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CampaignCard } from "~/components/campaign-card";
import { CampaignView } from "~/components/campaign-view";
import { closeDatabase, database, initDatabase } from "~/db.server";
import { STATE_LABELS, type CampaignState } from "~/domain/campaign-machine";
import { campaignViewData } from "~/models/campaign-view.server";
import { liveCampaigns } from "~/models/campaigns.server";
import { SEED_NOW, tempDatabasePath } from "../support/db";

let cleanup: () => void = () => {};

beforeAll(async () => {
  const tmp = tempDatabasePath("no-countdown");
  cleanup = tmp.cleanup;
  await initDatabase({ path: tmp.file, seed: true, now: SEED_NOW });
});

afterAll(async () => {
  await closeDatabase();
  cleanup();
});

const NOT_OPEN: CampaignState[] = ["draft", "submitted", "changes_requested", "approved", "rejected"];
const COUNTDOWN = /J-\d|Dernières heures|Temps restant|Se termine/;

function text(element: React.ReactElement): string {
  const html = renderToStaticMarkup(React.createElement(StaticRouter, { location: "/" }, element));
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/[\u00a0\u202f]/g, " ")
    .replace(/\s+/g, " ");
}

/** The seeded submitted campaign's page data, seen 2 days after its planned start (12 days before its end at most). */
async function submittedView() {
  const { db } = database();
  const slug = (
    await db
      .selectFrom("campaigns")
      .select("slug")
      .where("status", "=", "submitted")
      .orderBy("id")
      .executeTakeFirstOrThrow()
  ).slug;
  const data = (await campaignViewData(db, slug, { includeUnpublished: true }))!;
  const start = new Date(data.campaign.startsAt).getTime();
  const end = new Date(data.campaign.endsAt).getTime();
  const now = new Date(Math.min(start + 2 * 86_400_000, end - 3 * 86_400_000)).toISOString();
  return { ...data, now };
}

describe("no countdown before a campaign is open", () => {
  it("a live campaign does count down at that instant (the check can see a countdown)", async () => {
    const data = await submittedView();
    const html = text(
      React.createElement(CampaignView, {
        ...data,
        campaign: { ...data.campaign, status: "live" },
        signedInEmail: null,
        formState: undefined,
        preview: React.createElement("p", null, "Aperçu"),
      }),
    );
    expect(html).toMatch(/J-\d+/);
    expect(html).toContain("Temps restant");
  });

  for (const status of NOT_OPEN) {
    it(`${status}: the preview and the staff review say its state and its planned dates, no countdown`, async () => {
      const data = await submittedView();
      for (const titleAs of ["h1", "h2"] as const) {
        const html = text(
          React.createElement(CampaignView, {
            ...data,
            campaign: { ...data.campaign, status },
            signedInEmail: null,
            formState: undefined,
            preview: React.createElement("p", null, "Aperçu"),
            titleAs,
          }),
        );
        expect(html).not.toMatch(COUNTDOWN);
        expect(html).toContain(STATE_LABELS[status]);
        expect(html).toContain("Collecte prévue du ");
      }
    });

    it(`${status}: a card says its state, no countdown`, async () => {
      const [card] = await liveCampaigns(database().db, 1);
      const now = new Date(new Date(card!.endsAt).getTime() - 5 * 86_400_000);
      const live = text(React.createElement(CampaignCard, { campaign: card!, now }));
      expect(live).toMatch(/J-\d+/);
      const html = text(React.createElement(CampaignCard, { campaign: { ...card!, status }, now }));
      expect(html).not.toMatch(COUNTDOWN);
      expect(html).toContain(STATE_LABELS[status]);
    });
  }
});
