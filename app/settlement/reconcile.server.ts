/**
 * Reconciliation: for every campaign, the ledger must balance against the
 * contributions and payouts, to the cent (docs/product-rules.md#money-rules):
 *
 *   paid − refunded = held + paid out + commission
 *
 * where "paid" is what was received less what Stripe took back for disputes
 * (`contribution_paid_reversal`, given back as `contribution_paid` if a dispute is
 * won), and "held" is computed independently of the ledger, from the contributions
 * whose money is still on the platform, less what disputes took back (which can make
 * it negative when the money had already been paid out: the platform's loss). Also checks that the ledger agrees
 * with the contributions and payouts it records.
 *
 * The abondement (app/matching, docs/decisions/029-matching.md) has its own ledger: per fund,
 * reserved + confirmed + available = envelope, and its running totals equal both the sums of its
 * matches and what its entries replay to (reconcileFunds); per campaign, the running totals
 * equal the sums of its matches, a confirmed match sits only on a funded campaign, a reserved one
 * only on a collecting or settling one, and a live match's contribution is collected.
 */
import { sql, type Kysely } from "kysely";
import type { DB } from "#db/schema";
import { COLLECTED_STATUSES, HELD_STATUSES, RECEIVED_STATUSES } from "~/domain/contribution-status";
import { statusIn } from "~/payments/campaign-money.server";

export interface CampaignBalance {
  campaignId: number;
  slug: string;
  status: string;
  paidCents: number;
  refundedCents: number;
  heldCents: number;
  paidOutCents: number;
  commissionCents: number;
  problems: string[];
}

export async function reconcile(db: Kysely<DB>): Promise<CampaignBalance[]> {
  const campaigns = await db.selectFrom("campaigns").select(["id", "slug", "status"]).orderBy("id").execute();
  const ledger = await db
    .selectFrom("ledger_entries")
    .select(["campaign_id", "kind", sql<number>`sum(amount_cents)`.as("total")])
    .groupBy(["campaign_id", "kind"])
    .execute();
  const byCampaign = new Map<number, Record<string, number>>();
  for (const row of ledger) {
    const m = byCampaign.get(row.campaign_id) ?? {};
    m[row.kind] = Number(row.total);
    byCampaign.set(row.campaign_id, m);
  }
  const contributionSums = await db
    .selectFrom("contributions as k")
    .leftJoin("payouts as p", "p.id", "k.payout_id")
    .select([
      "k.campaign_id",
      // Received, less what disputes took back.
      sql<number>`coalesce(sum(case when ${statusIn(RECEIVED_STATUSES, "k")} then k.amount_cents else 0 end), 0) - coalesce(sum(k.dispute_withdrawn_cents), 0)`.as(
        "collected",
      ),
      sql<number>`coalesce(sum(case when k.status = 'refunded' then k.amount_cents else 0 end), 0)`.as(
        "refunded",
      ),
      // Money still on the platform: received, not refunded, not carried by a completed payout.
      sql<number>`coalesce(sum(case when ${statusIn(HELD_STATUSES, "k")} and (p.id is null or p.status <> 'paid') then k.amount_cents else 0 end), 0) - coalesce(sum(k.dispute_withdrawn_cents), 0)`.as(
        "held",
      ),
    ])
    .groupBy("k.campaign_id")
    .execute();
  const sums = new Map(contributionSums.map((r) => [r.campaign_id, r]));
  const payoutSums = await db
    .selectFrom("payouts")
    .select([
      "campaign_id",
      sql<number>`sum(amount_cents)`.as("amount"),
      sql<number>`sum(commission_cents)`.as("commission"),
      sql<number>`sum(gross_cents)`.as("gross"),
    ])
    .where("status", "=", "paid")
    .groupBy("campaign_id")
    .execute();
  const payouts = new Map(payoutSums.map((r) => [r.campaign_id, r]));
  const matching = await campaignMatchingProblems(db);

  return campaigns.map((c) => {
    const l = byCampaign.get(c.id) ?? {};
    const get = (k: string) => l[k] ?? 0;
    const paid = get("contribution_paid") - get("contribution_paid_reversal");
    const refunded = get("refund") - get("refund_reversal");
    const paidOut = get("payout") - get("payout_reversal");
    const commission = get("commission") - get("commission_reversal");
    const s = sums.get(c.id);
    const held = Number(s?.held ?? 0);
    const problems: string[] = [];
    if (paid - refunded !== held + paidOut + commission) {
      problems.push(
        `payé − remboursé (${paid - refunded}) ≠ détenu + versé + commission (${held + paidOut + commission})`,
      );
    }
    if (paid !== Number(s?.collected ?? 0))
      problems.push(`grand livre « payé » ${paid} ≠ contributions encaissées ${Number(s?.collected ?? 0)}`);
    if (refunded !== Number(s?.refunded ?? 0))
      problems.push(
        `grand livre « remboursé » ${refunded} ≠ contributions remboursées ${Number(s?.refunded ?? 0)}`,
      );
    const p = payouts.get(c.id);
    if (paidOut !== Number(p?.amount ?? 0))
      problems.push(`grand livre « versé » ${paidOut} ≠ virements émis ${Number(p?.amount ?? 0)}`);
    if (commission !== Number(p?.commission ?? 0))
      problems.push(
        `grand livre « commission » ${commission} ≠ commissions des virements ${Number(p?.commission ?? 0)}`,
      );
    problems.push(...(matching.get(c.id) ?? []));
    return {
      campaignId: c.id,
      slug: c.slug,
      status: c.status,
      paidCents: paid,
      refundedCents: refunded,
      heldCents: held,
      paidOutCents: paidOut,
      commissionCents: commission,
      problems,
    };
  });
}

// ---------------------------------------------------------------------------
// Abondement

/** What each match's entries replay to: its state and amount as the fund's ledger tells it. */
async function replayedMatches(db: Kysely<DB>) {
  return db
    .selectFrom("matching_entries")
    .select([
      "match_id",
      "fund_id",
      "campaign_id",
      sql<number>`sum(case when kind = 'reserved' then amount_cents else 0 end)`.as("reserved"),
      sql<number>`sum(case when kind = 'confirmed' then amount_cents else 0 end)`.as("confirmed"),
      sql<number>`sum(case when kind = 'released' then amount_cents else 0 end)`.as("released"),
    ])
    .groupBy(["match_id", "fund_id", "campaign_id"])
    .execute();
}

/**
 * A match's state, amount and contribution to the fund's totals as its entries replay them:
 * reserved x, then confirmed x, then released x (each at most once, the same amount).
 */
function replayed(e: { reserved: number; confirmed: number; released: number }) {
  const [r, c, x] = [Number(e.reserved), Number(e.confirmed), Number(e.released)];
  const state = x > 0 ? "released" : c > 0 ? "confirmed" : "reserved";
  const consistent = (c === 0 || c === r) && (x === 0 || x === r);
  return {
    state,
    amount: r,
    consistent,
    reserved: state === "reserved" ? r : 0,
    confirmed: state === "confirmed" ? c : 0,
  };
}

async function campaignMatchingProblems(db: Kysely<DB>): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  const add = (campaignId: number, problem: string) =>
    out.set(campaignId, [...(out.get(campaignId) ?? []), problem]);
  const totals = await db
    .selectFrom("matching_fund_campaigns as fc")
    .select([
      "fc.fund_id",
      "fc.campaign_id",
      "fc.reserved_cents",
      "fc.confirmed_cents",
      sql<number>`(select coalesce(sum(m.amount_cents), 0) from matches m where m.fund_id = fc.fund_id and m.campaign_id = fc.campaign_id and m.status = 'reserved')`.as(
        "matches_reserved",
      ),
      sql<number>`(select coalesce(sum(m.amount_cents), 0) from matches m where m.fund_id = fc.fund_id and m.campaign_id = fc.campaign_id and m.status = 'confirmed')`.as(
        "matches_confirmed",
      ),
    ])
    .execute();
  for (const t of totals) {
    if (t.reserved_cents !== Number(t.matches_reserved) || t.confirmed_cents !== Number(t.matches_confirmed))
      add(
        t.campaign_id,
        `abondement ${t.fund_id} : totaux de la campagne réservé ${t.reserved_cents} / confirmé ${t.confirmed_cents} ≠ abondements réservés ${Number(t.matches_reserved)} / confirmés ${Number(t.matches_confirmed)}`,
      );
  }
  const orphans = await db
    .selectFrom("matches as m")
    .leftJoin("matching_fund_campaigns as fc", (j) =>
      j.onRef("fc.fund_id", "=", "m.fund_id").onRef("fc.campaign_id", "=", "m.campaign_id"),
    )
    .select(["m.id", "m.campaign_id"])
    .where("fc.fund_id", "is", null)
    .execute();
  for (const o of orphans) add(o.campaign_id, `abondement n° ${o.id} sans ligne de campagne dans son fonds`);
  const states = await db
    .selectFrom("matches as m")
    .innerJoin("campaigns as c", "c.id", "m.campaign_id")
    .innerJoin("contributions as k", "k.id", "m.contribution_id")
    .select([
      "m.id",
      "m.campaign_id",
      "m.status",
      "m.amount_cents",
      "c.status as campaign_status",
      "k.status as contribution_status",
      "k.campaign_id as contribution_campaign",
    ])
    .where("m.status", "in", ["reserved", "confirmed"])
    .execute();
  for (const m of states) {
    if (m.status === "confirmed" && m.campaign_status !== "funded")
      add(m.campaign_id, `abondement n° ${m.id} confirmé sur une campagne ${m.campaign_status}`);
    if (m.status === "reserved" && m.campaign_status !== "live" && m.campaign_status !== "settling")
      add(m.campaign_id, `abondement n° ${m.id} encore réservé sur une campagne ${m.campaign_status}`);
    if (!(COLLECTED_STATUSES as readonly string[]).includes(m.contribution_status))
      add(
        m.campaign_id,
        `abondement n° ${m.id} ${m.status === "reserved" ? "réservé" : "confirmé"} pour une contribution ${m.contribution_status}`,
      );
    if (m.contribution_campaign !== m.campaign_id)
      add(m.campaign_id, `abondement n° ${m.id} sur une autre campagne que sa contribution`);
  }
  const replays = await replayedMatches(db);
  const matches = new Map(
    (await db.selectFrom("matches").select(["id", "campaign_id", "status", "amount_cents"]).execute()).map(
      (m) => [m.id, m],
    ),
  );
  for (const e of replays) {
    const m = matches.get(e.match_id);
    const r = replayed(e);
    const state = r.state;
    if (!m || !r.consistent || m.status !== state || m.amount_cents !== r.amount)
      add(
        e.campaign_id,
        `abondement n° ${e.match_id} : ses écritures disent ${state} ${r.amount}, la ligne ${m ? `${m.status} ${m.amount_cents}` : "n’existe pas"}`,
      );
  }
  for (const m of matches.values())
    if (!replays.some((e) => e.match_id === m.id)) add(m.campaign_id, `abondement n° ${m.id} sans écriture`);
  return out;
}

export interface FundBalance {
  fundId: number;
  name: string;
  envelopeCents: number;
  reservedCents: number;
  confirmedCents: number;
  availableCents: number;
  problems: string[];
}

/** Per envelope: reserved + confirmed + available = envelope, the totals equal the matches and the entries. */
export async function reconcileFunds(db: Kysely<DB>): Promise<FundBalance[]> {
  const funds = await db
    .selectFrom("matching_funds as f")
    .select([
      "f.id",
      "f.name",
      "f.envelope_cents",
      "f.reserved_cents",
      "f.confirmed_cents",
      sql<number>`(select coalesce(sum(m.amount_cents), 0) from matches m where m.fund_id = f.id and m.status = 'reserved')`.as(
        "matches_reserved",
      ),
      sql<number>`(select coalesce(sum(m.amount_cents), 0) from matches m where m.fund_id = f.id and m.status = 'confirmed')`.as(
        "matches_confirmed",
      ),
      sql<number>`(select coalesce(sum(fc.reserved_cents), 0) from matching_fund_campaigns fc where fc.fund_id = f.id)`.as(
        "campaigns_reserved",
      ),
      sql<number>`(select coalesce(sum(fc.confirmed_cents), 0) from matching_fund_campaigns fc where fc.fund_id = f.id)`.as(
        "campaigns_confirmed",
      ),
    ])
    .orderBy("f.id")
    .execute();
  const replays = await replayedMatches(db);
  return funds.map((f) => {
    const problems: string[] = [];
    const available = f.envelope_cents - f.reserved_cents - f.confirmed_cents;
    if (available < 0 || f.reserved_cents < 0 || f.confirmed_cents < 0)
      problems.push(
        `réservé ${f.reserved_cents} + confirmé ${f.confirmed_cents} dépasse l’enveloppe ${f.envelope_cents}`,
      );
    const pairs: Array<[string, number, number]> = [
      ["abondements", Number(f.matches_reserved), Number(f.matches_confirmed)],
      ["campagnes", Number(f.campaigns_reserved), Number(f.campaigns_confirmed)],
      ...(() => {
        let r = 0;
        let c = 0;
        for (const e of replays.filter((x) => x.fund_id === f.id)) {
          const p = replayed(e);
          r += p.reserved;
          c += p.confirmed;
        }
        return [["écritures", r, c] as [string, number, number]];
      })(),
    ];
    for (const [what, r, c] of pairs)
      if (r !== f.reserved_cents || c !== f.confirmed_cents)
        problems.push(
          `totaux réservé ${f.reserved_cents} / confirmé ${f.confirmed_cents} ≠ ${what} ${r} / ${c}`,
        );
    return {
      fundId: f.id,
      name: f.name,
      envelopeCents: f.envelope_cents,
      reservedCents: f.reserved_cents,
      confirmedCents: f.confirmed_cents,
      availableCents: available,
      problems,
    };
  });
}
