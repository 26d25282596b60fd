/**
 * The holder's dashboard: contributions per day (Europe/Paris), the list of
 * contributions with filters, and the CSV export for sending rewards.
 * What the holder sees of a contributor: an anonymous contributor's name only
 * when they chose a reward (it has to reach them — the contribution form says so),
 * and an e-mail address only for contributions with a reward.
 */
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import {
  RECEIVED_STATUSES,
  CONTRIBUTION_STATUS_LABELS,
  contributionReference,
  type ContributionStatus,
} from "~/domain/contribution-status";
import { toCsv } from "~/csv.server";
import { formatDateTime, formatDecimalEuros } from "~/domain/format";
import { addDays, parisCalendarDate } from "~/domain/time";

export interface HolderContribution {
  id: number;
  reference: string;
  paidAt: string;
  name: string;
  email: string | null;
  amountCents: number;
  rewardId: number | null;
  rewardTitle: string | null;
  status: ContributionStatus;
  statusLabel: string;
  message: string | null;
}

export async function holderContributions(
  db: Kysely<DB>,
  campaignId: number,
  filters: { rewardId?: number | "none"; status?: ContributionStatus } = {},
): Promise<HolderContribution[]> {
  let q = db
    .selectFrom("contributions as k")
    .leftJoin("rewards as r", "r.id", "k.reward_id")
    .select([
      "k.id",
      "k.paid_at",
      "k.public_name",
      "k.anonymous",
      "k.email",
      "k.amount_cents",
      "k.reward_id",
      "r.title as reward_title",
      "k.status",
      "k.message",
    ])
    .where("k.campaign_id", "=", campaignId)
    // Every contribution whose money arrived (refunded since or not): rewards, history, the export.
    .where("k.status", "in", RECEIVED_STATUSES);
  if (filters.rewardId === "none") q = q.where("k.reward_id", "is", null);
  else if (typeof filters.rewardId === "number") q = q.where("k.reward_id", "=", filters.rewardId);
  if (filters.status) q = q.where("k.status", "=", filters.status);
  const rows = await q.orderBy("k.paid_at", "desc").orderBy("k.id", "desc").execute();
  return rows.map((k) => {
    const withReward = k.reward_id !== null;
    return {
      id: k.id,
      reference: contributionReference(k.id),
      paidAt: k.paid_at!,
      name: k.anonymous === 1 && !withReward ? "Anonyme" : k.public_name,
      email: withReward ? k.email : null,
      amountCents: k.amount_cents,
      rewardId: k.reward_id,
      rewardTitle: k.reward_title,
      status: k.status,
      statusLabel: CONTRIBUTION_STATUS_LABELS[k.status],
      message: k.message,
    };
  });
}

/** Paid amounts per calendar day in Europe/Paris, from the first to the last day with a contribution. */
export function perDay(
  items: Array<{ paidAt: string; amountCents: number }>,
): Array<{ day: string; count: number; cents: number }> {
  const map = new Map<string, { count: number; cents: number }>();
  for (const k of items) {
    const day = parisCalendarDate(new Date(k.paidAt));
    const v = map.get(day) ?? { count: 0, cents: 0 };
    v.count += 1;
    v.cents += k.amountCents;
    map.set(day, v);
  }
  const days = [...map.keys()].sort();
  if (days.length === 0) return [];
  // Every day of the range, those without a contribution included, so the chart does not mislead.
  const out: Array<{ day: string; count: number; cents: number }> = [];
  for (let day = days[0]!; day <= days.at(-1)!; day = addDays(day, 1)) {
    out.push({ day, ...(map.get(day) ?? { count: 0, cents: 0 }) });
  }
  return out;
}

/** CSV for French Excel: UTF-8 with BOM, semicolons, one line per contribution (formulas neutralised). */
export function contributionsCsv(items: HolderContribution[]): string {
  return toCsv(
    [
      "Référence",
      "Date (heure de Paris)",
      "Nom",
      "Adresse électronique (contreparties)",
      "Montant (€)",
      "Contrepartie",
      "État",
      "Message",
    ],
    items.map((k) => [
      k.reference,
      formatDateTime(k.paidAt),
      k.name,
      k.email ?? "",
      k.amountCents,
      k.rewardTitle ?? "",
      k.statusLabel,
      k.message ?? "",
    ]),
    { delimiter: ";", bom: true, money: { columns: ["Montant (€)"], format: formatDecimalEuros } },
  );
}
