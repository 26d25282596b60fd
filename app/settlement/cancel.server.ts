/**
 * Staff cancel an approved or live campaign (docs/product-rules.md#campaign-lifecycle). In one transaction:
 * the state-machine event with its reason, and « vous allez être remboursé » to
 * each contributor. Then its open checkouts are expired at Stripe so that nobody
 * can still pay; the refunds follow in the settlement pass (refunds.server.ts),
 * each with its own « vous avez été remboursé » message.
 */
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { applyCampaignEvent } from "~/models/campaign-transitions.server";
import { campaignMoney } from "~/payments/campaign-money.server";
import { campaignUrl } from "~/payments/contribution-moves.server";
import { releaseCampaignMatches } from "~/matching/moves.server";
import { expireOpenCheckouts } from "./checkouts.server";
import { collectedPerPerson, tellRefundsComing } from "./decide.server";
import { emptyReport, type SettleReport } from "./report";

export async function cancelCampaign(
  db: Kysely<DB>,
  campaignId: number,
  input: { reason: string; actorUserId?: number | null; now?: Date },
): Promise<SettleReport> {
  const now = input.now ?? new Date();
  await db.transaction().execute(async (trx) => {
    await applyCampaignEvent(trx, {
      campaignId,
      event: "cancel",
      actor: "staff",
      actorUserId: input.actorUserId ?? null,
      reason: input.reason,
      now,
    });
    const c = await trx
      .selectFrom("campaigns")
      .select(["id", "title", "slug", "goal_cents"])
      .where("id", "=", campaignId)
      .executeTakeFirstOrThrow();
    // The abondement goes back to its envelope at once.
    await releaseCampaignMatches(trx, campaignId, "cancelled", now);
    const money = await campaignMoney(trx, campaignId);
    const perPerson = await collectedPerPerson(trx, campaignId);
    await tellRefundsComing(
      trx,
      { ...c, url: await campaignUrl(trx, c.slug) },
      perPerson,
      money.collectedCents,
      { cancelled: true, reason: input.reason },
      now,
    );
  });
  // After the commit: from here on no checkout can open (the campaign is not live), and those
  // already open are closed. A failure here is retried by the settlement pass.
  const report = emptyReport();
  await expireOpenCheckouts(db, campaignId, now, report, (line) => report.lines.push(line));
  return report;
}
