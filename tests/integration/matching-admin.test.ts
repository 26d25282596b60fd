/**
 * Abondement, staff and holder side (app/matching/admin.server.ts, acceptance.server.ts,
 * offer.server.ts) on a real seeded SQLite file: the form's French messages, creation, rules frozen
 * once a contribution was matched, closing early, adding money, choosing and removing campaigns,
 * the holder's acceptance (only the holder, once), and what the citizen is told.
 * Match rows are inserted directly here, to show the states the money path would write.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { seedDatabase, DEMO_STAFF_EMAIL } from "#db/seed/seed";
import {
  addCampaign,
  addFunds,
  closeFund,
  createFund,
  FROZEN_MESSAGE,
  fundDetail,
  fundList,
  readFundForm,
  removeCampaign,
  updateFundRules,
  validateFund,
  type FundInput,
  type FundValues,
} from "~/matching/admin.server";
import { acceptTerms, holderMatchings } from "~/matching/acceptance.server";
import { campaignMatchingOffer, checkoutQuote, matchOfCheckoutSession } from "~/matching/offer.server";
import { quoteSentence, availabilitySentence } from "~/domain/matching-text";
import { SEED_NOW, tempDatabasePath } from "../support/db";

const NOW = new Date(SEED_NOW.getTime() + 60_000);
let database: Database;
let cleanup: () => void;
let staffId: number;

const VALID: FundValues = {
  nom: "Fonds d’abondement Économie circulaire",
  enveloppe: "5 000",
  ratio: "0,50",
  plafond_campagne: "1000",
  plafond_contribution: "25",
  par_citoyen: "1",
  debut: "2026-11-01",
  fin: "2027-06-30",
  perimetre: "chosen",
  annee: "",
  conditions: "Le Département ajoute 0,50 € pour 1 € donné, selon la convention signée.",
};

function input(values: Partial<FundValues> = {}): FundInput {
  const r = validateFund({ ...VALID, ...values });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

beforeAll(async () => {
  const tmp = tempDatabasePath("matching-admin");
  cleanup = tmp.cleanup;
  database = openDatabase(tmp.file);
  await migrateToLatest(database.db);
  await seedDatabase(database.db, { now: SEED_NOW });
  staffId = (
    await database.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", DEMO_STAFF_EMAIL)
      .executeTakeFirstOrThrow()
  ).id;
});

afterAll(async () => {
  await database.close();
  cleanup();
});

/** A live campaign without the Budget Citoyen label, with its holder. */
async function plainLiveCampaign(offset = 0) {
  return database.db
    .selectFrom("campaigns as c")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .select(["c.id", "c.title", "o.owner_user_id"])
    .where("c.status", "=", "live")
    .where("c.budget_citoyen_year", "is", null)
    .orderBy("c.id")
    .offset(offset)
    .limit(1)
    .executeTakeFirstOrThrow();
}

async function auditActions(fundId: number) {
  return (
    await database.db
      .selectFrom("matching_fund_audit")
      .select(["action", "actor_user_id"])
      .where("fund_id", "=", fundId)
      .orderBy("id")
      .execute()
  ).map((a) => `${a.action}:${a.actor_user_id}`);
}

describe("the fund form", () => {
  it("converts euros, the ratio and Paris dates, 1 € for 1 € by default", () => {
    const d = input({ ratio: "", perimetre: "budget_citoyen", annee: "2027" });
    expect(d.envelopeCents).toBe(500_000);
    expect(d.ratioBps).toBe(10_000);
    expect(d.capPerCampaignCents).toBe(100_000);
    expect(d.capPerContributionCents).toBe(2_500);
    expect(d.matchesPerCitizen).toBe(1);
    expect(d.startsAt).toBe("2026-10-31T23:00:00.000Z"); // 0 h in Paris (winter time)
    expect(d.endsAt).toBe("2027-06-30T21:59:59.000Z"); // 23 h 59 59 in Paris (summer time)
    expect(d.budgetCitoyenYear).toBe(2027);
    expect(input().ratioBps).toBe(5_000);
    expect(input({ plafond_campagne: "", plafond_contribution: "", par_citoyen: "" })).toMatchObject({
      capPerCampaignCents: null,
      capPerContributionCents: null,
      matchesPerCitizen: null,
    });
  });

  it("says what is wrong, field by field, in French", () => {
    const empty = Object.fromEntries(Object.keys(VALID).map((k) => [k, ""])) as FundValues;
    const r = validateFund({ ...empty, perimetre: "budget_citoyen" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      nom: "Nom du fonds\u00a0: 3 caractères au moins.",
      enveloppe: "Enveloppe\u00a0: indiquez un montant en euros.",
      debut: "Date d’ouverture\u00a0: indiquez une date valide (jj/mm/aaaa).",
      fin: "Date de clôture\u00a0: indiquez une date valide (jj/mm/aaaa).",
      annee: "Année du Budget Citoyen\u00a0: 4 chiffres, par exemple 2027.",
      conditions: "Conditions pour le porteur\u00a0: 20 caractères au moins.",
    });
    const wrong = validateFund({
      ...VALID,
      enveloppe: "beaucoup",
      ratio: "20",
      fin: "2026-10-01",
      par_citoyen: "0",
      plafond_contribution: "2000",
      perimetre: "tout",
    });
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    expect(wrong.errors.enveloppe).toMatch(/^Enveloppe\u00a0: un montant en euros entre 0,01/);
    expect(wrong.errors.ratio).toMatch(
      /^Abondement pour 1\u00a0€ donné\u00a0: un montant entre 0,01\u00a0€ et 10\u00a0€/,
    );
    expect(wrong.errors.fin).toBe(
      "Date de clôture\u00a0: elle doit suivre la date d’ouverture (ou être le même jour).",
    );
    expect(wrong.errors.par_citoyen).toMatch(/^Contributions abondées par personne\u00a0: un nombre entier/);
    expect(wrong.errors.plafond_contribution).toBe(
      "Plafond par contribution\u00a0: il ne peut pas dépasser le plafond par campagne.",
    );
    expect(wrong.errors.perimetre).toMatch(/^Périmètre\u00a0: choisissez/);
  });

  it("reads absent fields as empty (each then gets its message)", () => {
    const values = readFundForm(new FormData());
    expect(values.nom).toBe("");
    expect(validateFund(values).ok).toBe(false);
  });
});

describe("staff actions on a fund", () => {
  it("creates a fund, lists its live state and journals who did it", async () => {
    const created = await createFund(database.db, staffId, input(), NOW);
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const list = await fundList(database.db, NOW);
    const row = list.find((f) => f.id === created.value)!;
    expect(row).toMatchObject({
      name: VALID.nom,
      ratio: "0,50\u00a0€ pour 1\u00a0€",
      envelopeCents: 500_000,
      reservedCents: 0,
      confirmedCents: 0,
      availableCents: 500_000,
      phase: "open",
      campaigns: 0,
    });
    expect(await auditActions(created.value)).toEqual([`created:${staffId}`]);
  });

  it("shows the demo Budget Citoyen fund with what it reserved, and refuses to change its rules", async () => {
    const demo = (await fundList(database.db, NOW)).find((f) => f.name.includes("Budget Citoyen 2026"))!;
    expect(demo.reservedCents).toBeGreaterThan(0);
    expect(demo.availableCents).toBe(demo.envelopeCents - demo.reservedCents);
    const detail = (await fundDetail(database.db, demo.id, NOW))!;
    expect(detail.frozen).toBe(true);
    expect(detail.campaigns.map((c) => c.reservedCents).reduce((a, b) => a + b, 0)).toBe(demo.reservedCents);
    const r = await updateFundRules(
      database.db,
      staffId,
      demo.id,
      input({ perimetre: "budget_citoyen", annee: "2026" }),
      detail.fund.updated_at,
      NOW,
    );
    expect(r).toEqual({ ok: false, status: 409, message: FROZEN_MESSAGE });
    const after = (await fundDetail(database.db, demo.id, NOW))!;
    expect(after.fund.ratio_bps).toBe(detail.fund.ratio_bps);
    expect(after.fund.updated_at).toBe(detail.fund.updated_at);
  });

  it("changes the rules while nothing was matched, and refuses a stale form", async () => {
    const { value: id } = (await createFund(database.db, staffId, input(), NOW)) as {
      ok: true;
      value: number;
    };
    const seen = (await fundDetail(database.db, id, NOW))!.fund.updated_at;
    const later = new Date(NOW.getTime() + 1000);
    expect(await updateFundRules(database.db, staffId, id, input({ ratio: "1" }), seen, later)).toEqual({
      ok: true,
      value: undefined,
    });
    expect((await fundDetail(database.db, id, NOW))!.fund.ratio_bps).toBe(10_000);
    const stale = await updateFundRules(database.db, staffId, id, input({ ratio: "2" }), seen, later);
    expect(stale.ok).toBe(false);
    if (!stale.ok) {
      expect(stale.status).toBe(409);
      expect(stale.message).toMatch(/^Ce fonds a été modifié entre-temps/);
    }
    expect(await auditActions(id)).toEqual([`created:${staffId}`, `rules_changed:${staffId}`]);
  });

  it("adds money to the envelope, closes early, then refuses both", async () => {
    const { value: id } = (await createFund(database.db, staffId, input(), NOW)) as {
      ok: true;
      value: number;
    };
    expect((await addFunds(database.db, staffId, id, 250_000, NOW)).ok).toBe(true);
    expect((await fundDetail(database.db, id, NOW))!.money.envelopeCents).toBe(750_000);
    expect((await closeFund(database.db, staffId, id, NOW)).ok).toBe(true);
    const detail = (await fundDetail(database.db, id, NOW))!;
    expect(detail.fund.closed_at).toBe(NOW.toISOString());
    expect(detail.phase).toBe("closed");
    const again = await closeFund(database.db, staffId, id, NOW);
    expect(again).toMatchObject({ ok: false, status: 409 });
    expect(await addFunds(database.db, staffId, id, 100, NOW)).toMatchObject({ ok: false, status: 409 });
    expect(await addCampaign(database.db, staffId, id, (await plainLiveCampaign()).id, NOW)).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(await auditActions(id)).toEqual([
      `created:${staffId}`,
      `funds_added:${staffId}`,
      `closed:${staffId}`,
    ]);
  });

  it("chooses campaigns that have not finished, once each; removes one only while nothing was matched", async () => {
    const { value: id } = (await createFund(database.db, staffId, input(), NOW)) as {
      ok: true;
      value: number;
    };
    const live = await plainLiveCampaign();
    expect((await addCampaign(database.db, staffId, id, live.id, NOW)).ok).toBe(true);
    expect(await addCampaign(database.db, staffId, id, live.id, NOW)).toMatchObject({
      ok: false,
      status: 409,
    });
    const funded = await database.db
      .selectFrom("campaigns")
      .select("id")
      .where("status", "=", "funded")
      .executeTakeFirstOrThrow();
    const refused = await addCampaign(database.db, staffId, id, funded.id, NOW);
    expect(refused).toMatchObject({ ok: false, status: 409 });
    if (!refused.ok)
      expect(refused.message).toMatch(/est réussie\u00a0: seule une campagne qui n’a pas encore fini/);
    expect(await addCampaign(database.db, staffId, id, 999_999, NOW)).toMatchObject({
      ok: false,
      status: 400,
    });

    // A reservation (as the money path writes it) makes the campaign stay.
    const k = await database.db
      .selectFrom("contributions")
      .select(["id", "email"])
      .where("campaign_id", "=", live.id)
      .where("status", "=", "paid")
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto("matches")
      .values({
        fund_id: id,
        campaign_id: live.id,
        contribution_id: k.id,
        citizen_key: `email:${k.email}`,
        amount_cents: 1000,
        status: "released",
        reserved_at: NOW.toISOString(),
        released_at: NOW.toISOString(),
        release_reason: "refunded",
      })
      .execute();
    const kept = await removeCampaign(database.db, staffId, id, live.id, NOW);
    expect(kept).toMatchObject({ ok: false, status: 409 });
    if (!kept.ok) expect(kept.message).toMatch(/a déjà des contributions abondées par ce fonds/);
    // …and, with a match even released, the rules are frozen.
    expect((await fundDetail(database.db, id, NOW))!.frozen).toBe(true);

    const other = await plainLiveCampaign(1);
    expect((await addCampaign(database.db, staffId, id, other.id, NOW)).ok).toBe(true);
    expect((await removeCampaign(database.db, staffId, id, other.id, NOW)).ok).toBe(true);
    expect(await removeCampaign(database.db, staffId, id, other.id, NOW)).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(await auditActions(id)).toEqual([
      `created:${staffId}`,
      `campaign_added:${staffId}`,
      `campaign_added:${staffId}`,
      `campaign_removed:${staffId}`,
    ]);
  });

  it("has no campaign to choose for a Budget Citoyen fund", async () => {
    const { value: id } = (await createFund(
      database.db,
      staffId,
      input({ perimetre: "budget_citoyen", annee: "2027" }),
      NOW,
    )) as { ok: true; value: number };
    const r = await addCampaign(database.db, staffId, id, (await plainLiveCampaign()).id, NOW);
    expect(r).toMatchObject({ ok: false, status: 409 });
  });
});

describe("the holder's acceptance and what citizens read", () => {
  it("matches nothing before the holder accepts; only the holder accepts, once", async () => {
    const live = await plainLiveCampaign(2);
    const { value: id } = (await createFund(database.db, staffId, input({ ratio: "1" }), NOW)) as {
      ok: true;
      value: number;
    };
    await addCampaign(database.db, staffId, id, live.id, NOW);
    expect(await campaignMatchingOffer(database.db, live.id, NOW)).toBeNull();
    const [pending] = await holderMatchings(database.db, live.id, NOW);
    expect(pending).toMatchObject({ fundId: id, scope: "chosen", acceptedAt: null });

    const someoneElse = await acceptTerms(
      database.db,
      { userId: staffId, campaignId: live.id, fundId: id },
      NOW,
    );
    expect(someoneElse).toEqual({
      ok: false,
      status: 403,
      message: "Seul le porteur de la campagne peut accepter les conditions de l’abondement.",
    });
    const ok = await acceptTerms(
      database.db,
      { userId: live.owner_user_id, campaignId: live.id, fundId: id },
      NOW,
    );
    expect(ok).toEqual({ ok: true });
    const twice = await acceptTerms(
      database.db,
      { userId: live.owner_user_id, campaignId: live.id, fundId: id },
      NOW,
    );
    expect(twice).toMatchObject({ ok: false, status: 409 });
    expect(await auditActions(id)).toContain(`terms_accepted:${live.owner_user_id}`);

    const offer = (await campaignMatchingOffer(database.db, live.id, NOW))!;
    expect(offer).toMatchObject({
      ratioBps: 10_000,
      capPerContributionCents: 2_500,
      availableCents: 100_000,
    });
    expect(availabilitySentence(offer)).toBe(
      "1\u202f000\u00a0€ d’abondement encore disponibles pour ce projet.",
    );

    // A rule change while nothing was matched asks the holder to accept again.
    const seen = (await fundDetail(database.db, id, NOW))!.fund.updated_at;
    expect((await updateFundRules(database.db, staffId, id, input({ ratio: "0,50" }), seen, NOW)).ok).toBe(
      true,
    );
    expect((await holderMatchings(database.db, live.id, NOW))[0]!.acceptedAt).toBeNull();
    expect(await campaignMatchingOffer(database.db, live.id, NOW)).toBeNull();
  });

  it("quotes a pending contribution before paying, and the thank-you page reads only a live match", async () => {
    const bc = await database.db
      .selectFrom("campaigns")
      .select("id")
      .where("budget_citoyen_year", "=", 2026)
      .where("status", "=", "live")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const at = NOW.toISOString();
    const pending = await database.db
      .insertInto("contributions")
      .values({
        campaign_id: bc.id,
        user_id: null,
        email: "nouvelle.personne@example.org",
        public_name: "Nouvelle",
        amount_cents: 3_000,
        reward_id: null,
        anonymous: 0,
        hide_amount: 0,
        message: null,
        status: "pending",
        stripe_checkout_session_id: "cs_test_matchquote",
        stripe_payment_intent_id: null,
        stripe_refund_id: null,
        created_at: at,
        paid_at: null,
        updated_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const q = (await checkoutQuote(database.db, pending.id, NOW))!;
    expect(q.quote).toEqual({ amountCents: 3_000, fullCents: 3_000, limitedBy: null });
    expect(quoteSentence(q.quote, q.offer)).toBe(
      "Le Département double votre contribution\u00a0: 30\u00a0€ de plus pour ce projet.",
    );
    expect(await matchOfCheckoutSession(database.db, "cs_test_matchquote")).toBeNull();

    // Someone already matched on this campaign is told the per-person rule.
    const matched = await database.db
      .selectFrom("matches as m")
      .innerJoin("contributions as k", "k.id", "m.contribution_id")
      .select(["k.email", "k.id"])
      .where("m.campaign_id", "=", bc.id)
      .executeTakeFirstOrThrow();
    await database.db
      .updateTable("contributions")
      .set({ email: matched.email })
      .where("id", "=", pending.id)
      .execute();
    const again = (await checkoutQuote(database.db, pending.id, NOW))!;
    expect(again.quote.limitedBy).toBe("citizen");
    expect(quoteSentence(again.quote, again.offer)).toMatch(
      /^Vous avez déjà une contribution abondée sur ce projet, le maximum par personne\u00a0: celle-ci ne sera pas doublée\.$/,
    );

    // Once the webhook has reserved it, the thank-you page may say it.
    await database.db
      .updateTable("contributions")
      .set({ status: "paid", paid_at: at, email: "nouvelle.personne@example.org" })
      .where("id", "=", pending.id)
      .execute();
    const fund = await database.db
      .selectFrom("matching_funds")
      .select("id")
      .where("scope", "=", "budget_citoyen")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto("matches")
      .values({
        fund_id: fund.id,
        campaign_id: bc.id,
        contribution_id: pending.id,
        citizen_key: "email:nouvelle.personne@example.org",
        amount_cents: 3_000,
        status: "reserved",
        reserved_at: at,
      })
      .execute();
    expect(await matchOfCheckoutSession(database.db, "cs_test_matchquote")).toEqual({
      status: "reserved",
      amountCents: 3_000,
    });
    await sql`update matches set status = 'released' where contribution_id = ${pending.id}`.execute(
      database.db,
    );
    expect(await matchOfCheckoutSession(database.db, "cs_test_matchquote")).toBeNull();
  });
});
