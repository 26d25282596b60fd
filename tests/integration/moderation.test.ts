/**
 * Staff decisions on campaigns (app/staff/moderation.server.ts), end to end on a
 * fresh SQLite file per test: the holder's real functions write and submit the
 * campaign, the staff functions decide, the real settlement pass and webhook code
 * move the money, msw answers for Stripe and Resend.
 *
 * The clock is explicit. Review decisions run at fixed instants; campaigns that
 * take contributions are approved « in the past » (20 days ago) and end tomorrow,
 * because the Stripe mock checks a checkout's expiry against the real clock.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { breakInserts } from "../support/db";
import { reconciledDatabasePerTest } from "../support/reconciled-database";
import { setupServer } from "msw/node";
import type Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "#db/connection";
import type { DB } from "#db/schema";
import { config } from "~/config.server";
import { formatDate } from "~/domain/format";
import { parisCalendarDate } from "~/domain/time";
import type { CampaignData } from "~/holder/campaign-form.server";
import { createDraft, ownCampaign, saveCampaign, submitCampaign } from "~/holder/campaigns.server";
import { liveCampaigns } from "~/models/campaigns.server";
import { startContribution } from "~/payments/contributions.server";
import { processStripeEvent } from "~/payments/webhooks.server";
import { runSettlementPass, type SettleReport } from "~/settlement/settle.server";
import {
  approve,
  cancel,
  moderationQueue,
  reject,
  requestChanges,
  reviewHistory,
  setFeatured,
  setLabel,
} from "~/staff/moderation.server";
import { handlers } from "~/demo/index.server";
import { expireCheckout, payCheckout, stripeMock, type MockEvent } from "~/demo/stripe-api.server";

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-moderation-"));
process.env.DEMO_OUTBOX_PATH = path.join(workDir, "outbox.jsonl");
process.env.REFUND_RATE_PER_SECOND = "1000";
delete process.env.STRIPE_SECRET_KEY;
delete process.env.RESEND_API_KEY;
delete process.env.CAMPAIGN_MIN_DAYS; // the default: 7 days
delete process.env.SETTLE_GRACE_DAYS;

const server = setupServer(...handlers);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const STAFF = { email: "camille.moreau@example.org", name: "Camille Moreau" };
const STAFF_LABEL = `Équipe du Département — ${STAFF.name} (${STAFF.email})`;

let handle: Database;
let db: Kysely<DB>;
let staffId: number;
let counter = 0;

beforeAll(() => {
  server.listen({ onUnhandledRequest: "error" });
});

afterAll(() => {
  server.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

reconciledDatabasePerTest("moderation", server, (opened) => {
  handle = opened;
  db = opened.db;
});

beforeEach(async () => {
  const staff = await db
    .insertInto("users")
    .values({
      email: STAFF.email,
      display_name: STAFF.name,
      role: "staff",
      created_at: "2025-01-01T00:00:00.000Z",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  staffId = staff.id;
});

// ---------------------------------------------------------------------------
// Campaigns written and submitted by their holder, through the holder's own functions.

interface TestCampaign {
  id: number;
  slug: string;
  title: string;
  holderId: number;
  holderEmail: string;
  endsAt: Date;
}

function campaignData(
  title: string,
  endDate: string,
  goalCents: number,
  story = "Une épicerie itinérante qui passe dans les villages sans commerce, deux fois par semaine.",
): CampaignData {
  return {
    title,
    summary: "Une épicerie solidaire qui se déplace de village en village.",
    storyMd: story,
    goalCents,
    endDate,
    territory: null,
    theme: null,
    expectedResultsMd: "Douze villages desservis chaque semaine.",
    timetableMd: "Achat du camion au printemps, premières tournées en été.",
    fundLines: [{ label: "Aménagement du camion", amountCents: goalCents }],
    rewards: [],
  };
}

/** A campaign its holder wrote and submitted at `now`, ending on `endDate` (Europe/Paris). */
async function submitted(options: { now: Date; endDate: string; goalCents?: number }): Promise<TestCampaign> {
  const n = ++counter;
  const at = new Date(options.now.getTime() - DAY).toISOString();
  const holderEmail = `porteur-${n}@example.org`;
  const holder = await db
    .insertInto("users")
    .values({ email: holderEmail, display_name: `Porteur ${n}`, role: "holder", created_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  const org = await db
    .insertInto("organizations")
    .values({
      owner_user_id: holder.id,
      name: `Association ${n}`,
      legal_form: "association",
      registration_number: null,
      town: "Saint-Pol-sur-Ternoise",
      territory_id: 1,
      stripe_account_id: `acct_test_moderation${n}`,
      stripe_payouts_enabled: 1,
      created_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const title = `Épicerie mobile numéro ${n}`;
  const id = await createDraft(
    db,
    holder.id,
    org.id,
    title,
    { territory: "montreuillois-ternois", theme: "alimentation-circuits-courts" },
    options.now,
  );
  expect(id).not.toBeNull();
  expect(
    await saveCampaign(
      db,
      holder.id,
      id!,
      campaignData(title, options.endDate, options.goalCents ?? 10_000),
      options.now,
    ),
  ).toEqual({ ok: true });
  // A submission needs the project's picture and its description (the editor uploads them).
  await db
    .updateTable("campaigns")
    .set({ image_path: `moderation-${n}.webp`, image_alt: "Le camion de l’épicerie devant la mairie." })
    .where("id", "=", id!)
    .execute();
  expect(await submitCampaign(db, holder.id, id!, options.now)).toEqual({ ok: true });
  const row = await campaign(id!);
  expect(row.status).toBe("submitted");
  return { id: id!, slug: row.slug, title, holderId: holder.id, holderEmail, endsAt: new Date(row.ends_at) };
}

/**
 * A live campaign taking contributions now: submitted and approved 20 days ago, put
 * online by a settlement pass, ending at 23:59:59 Paris time `endInDays` days from today.
 */
async function live(options: { goalCents?: number; endInDays?: number } = {}): Promise<TestCampaign> {
  const realNow = new Date();
  const t0 = new Date(realNow.getTime() - 20 * DAY);
  const c = await submitted({
    now: t0,
    endDate: parisCalendarDate(new Date(realNow.getTime() + (options.endInDays ?? 1) * DAY)),
    goalCents: options.goalCents,
  });
  expect(
    await approve(db, c.id, {
      userId: staffId,
      startDate: null,
      message: null,
      now: new Date(t0.getTime() + HOUR),
    }),
  ).toMatchObject({ ok: true });
  expect((await pass(new Date(t0.getTime() + 2 * HOUR))).started).toBeGreaterThanOrEqual(1);
  expect((await campaign(c.id)).status).toBe("live");
  return c;
}

async function campaign(id: number) {
  return db.selectFrom("campaigns").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

async function transitions(id: number) {
  return db
    .selectFrom("campaign_transitions")
    .select(["from_status", "to_status", "event", "actor_role", "actor_user_id", "reason", "at"])
    .where("campaign_id", "=", id)
    .orderBy("id")
    .execute();
}

async function audits(id: number) {
  return db
    .selectFrom("campaign_audit")
    .select(["action", "actor_user_id", "detail", "at"])
    .where("campaign_id", "=", id)
    .orderBy("id")
    .execute();
}

/** Everything a refused decision must leave as it was. */
async function snapshot(id: number) {
  const c = await campaign(id);
  return {
    campaign: c,
    transitions: await transitions(id),
    audits: await audits(id),
    emails: await db.selectFrom("email_outbox").selectAll().orderBy("id").execute(),
    payouts: await db.selectFrom("payouts").selectAll().orderBy("id").execute(),
  };
}

/** The campaign_status_holder messages the holder was sent, oldest first. */
async function holderMails(c: TestCampaign) {
  const rows = await db
    .selectFrom("email_outbox")
    .select(["to_email", "payload_json"])
    .where("kind", "=", "campaign_status_holder")
    .where("to_email", "=", c.holderEmail)
    .orderBy("id")
    .execute();
  return rows.map((r) => {
    const p = JSON.parse(r.payload_json) as {
      event: string;
      reason: string | null;
      statusLabel: string;
      campaignTitle: string;
    };
    return { event: p.event, reason: p.reason, statusLabel: p.statusLabel };
  });
}

function pass(now: Date): Promise<SettleReport> {
  return runSettlementPass(db, { now });
}

async function deliver(events: MockEvent[]) {
  for (const e of events) await processStripeEvent(db, e as unknown as Stripe.Event);
}

/** Open a checkout at the real instant. */
async function open(c: TestCampaign, amountCents: number, email: string) {
  const result = await startContribution(db, c.slug, {
    amountCents,
    rewardId: null,
    email,
    publicName: email.split("@")[0]!,
    anonymous: false,
    hideAmount: false,
    message: null,
  });
  if (!result.ok) throw new Error(`could not open a contribution: ${JSON.stringify(result)}`);
  const row = await db
    .selectFrom("contributions")
    .select(["id", "stripe_checkout_session_id"])
    .where("id", "=", result.contributionId)
    .executeTakeFirstOrThrow();
  return { id: row.id, sessionId: row.stripe_checkout_session_id! };
}

async function pay(c: TestCampaign, amountCents: number, email: string): Promise<number> {
  const k = await open(c, amountCents, email);
  await deliver(payCheckout(k.sessionId));
  const row = await db
    .selectFrom("contributions")
    .select("status")
    .where("id", "=", k.id)
    .executeTakeFirstOrThrow();
  expect(row.status).toBe("paid");
  return k.id;
}

const staff = (now?: Date) => ({ userId: staffId, ...(now ? { now } : {}) });

// ---------------------------------------------------------------------------

describe("approving", () => {
  it("without a date: starts_at is the instant of the decision, and the next settlement pass puts the campaign online", async () => {
    const now = new Date("2026-01-15T09:00:00.000Z");
    const c = await submitted({ now: new Date(now.getTime() - 3 * DAY), endDate: "2026-02-28" });
    const result = await approve(db, c.id, {
      ...staff(now),
      startDate: null,
      message: "Bravo, belle campagne.",
    });
    expect(result).toEqual({
      ok: true,
      message: "Campagne validée\u00a0: elle sera mise en ligne dans la minute.",
    });
    const row = await campaign(c.id);
    expect(row).toMatchObject({
      status: "approved",
      starts_at: now.toISOString(),
      ends_at: "2026-02-28T22:59:59.000Z",
    });
    expect((await transitions(c.id)).at(-1)).toEqual({
      from_status: "submitted",
      to_status: "approved",
      event: "approve",
      actor_role: "staff",
      actor_user_id: staffId,
      reason: "Bravo, belle campagne.",
      at: now.toISOString(),
    });
    expect(await audits(c.id)).toEqual([]); // no date was chosen: nothing to record besides the transition

    const later = new Date(now.getTime() + MINUTE);
    expect(await pass(later)).toMatchObject({ started: 1, errors: 0 });
    expect((await campaign(c.id)).status).toBe("live");
    expect((await transitions(c.id)).at(-1)).toMatchObject({
      event: "start",
      actor_role: "system",
      at: later.toISOString(),
    });
    expect((await holderMails(c)).map((m) => m.event)).toEqual(["submit", "approve", "start"]);
  });

  it.each([
    ["winter (UTC+1)", "2026-01-15T09:00:00.000Z", "2026-01-20", "2026-01-19T23:00:00.000Z", "2026-02-28"],
    ["summer (UTC+2)", "2026-06-10T08:00:00.000Z", "2026-06-15", "2026-06-14T22:00:00.000Z", "2026-07-31"],
    [
      "the day DST starts",
      "2026-03-10T08:00:00.000Z",
      "2026-03-29",
      "2026-03-28T23:00:00.000Z",
      "2026-04-30",
    ],
    ["the day DST ends", "2026-10-10T08:00:00.000Z", "2026-10-25", "2026-10-24T22:00:00.000Z", "2026-11-30"],
  ])(
    "with a date, in %s: starts_at is 00:00 Europe/Paris that day (%s → %s) and the campaign goes live then, not before",
    async (_season, nowIso, date, expected, endDate) => {
      const now = new Date(nowIso);
      const c = await submitted({ now: new Date(now.getTime() - DAY), endDate });
      const result = await approve(db, c.id, { ...staff(now), startDate: date, message: null });
      expect(result).toEqual({
        ok: true,
        message: `Campagne validée\u00a0: elle sera mise en ligne le ${formatDate(new Date(expected))}.`,
      });
      expect(await campaign(c.id)).toMatchObject({ status: "approved", starts_at: expected });
      expect(await audits(c.id)).toEqual([
        {
          action: "start_date_set",
          actor_user_id: staffId,
          detail: formatDate(new Date(expected)),
          at: now.toISOString(),
        },
      ]);
      expect(formatDate(new Date(expected))).toMatch(new RegExp(`^${Number(date.slice(8))} `));

      expect((await pass(new Date(new Date(expected).getTime() - 1))).started).toBe(0);
      expect((await campaign(c.id)).status).toBe("approved");
      expect((await pass(new Date(expected))).started).toBe(1);
      expect((await campaign(c.id)).status).toBe("live");
    },
  );

  it("refuses a past date (400, French) and writes nothing — « past » is judged in Paris time", async () => {
    // 23:30 UTC on the 14th is already 00:30 on the 15th in Paris.
    const now = new Date("2026-01-14T23:30:00.000Z");
    const c = await submitted({ now: new Date(now.getTime() - DAY), endDate: "2026-02-28" });
    const before = await snapshot(c.id);
    for (const date of ["2026-01-14", "2025-12-31"]) {
      const result = await approve(db, c.id, { ...staff(now), startDate: date, message: "Validée." });
      expect(result).toEqual({
        ok: false,
        status: 400,
        message: "La date de mise en ligne ne peut pas être passée.",
      });
    }
    expect(await snapshot(c.id)).toEqual(before);

    // Today in Paris is accepted: midnight has passed, the campaign goes live at the next pass.
    expect(await approve(db, c.id, { ...staff(now), startDate: "2026-01-15", message: null })).toMatchObject({
      ok: true,
    });
    expect((await campaign(c.id)).starts_at).toBe("2026-01-14T23:00:00.000Z");
    expect((await pass(now)).started).toBe(1);
  });

  it("refuses a date leaving fewer than CAMPAIGN_MIN_DAYS before the holder's end date (400, French), nothing written; the limit itself is accepted", async () => {
    const min = config().campaignMinDays;
    expect(min).toBe(7);
    const now = new Date("2026-02-01T09:00:00.000Z");
    const c = await submitted({ now: new Date(now.getTime() - DAY), endDate: "2026-02-28" });
    const before = await snapshot(c.id);
    for (const date of ["2026-02-22", "2026-02-28", "2026-03-15"]) {
      const result = await approve(db, c.id, { ...staff(now), startDate: date, message: null });
      expect(result).toMatchObject({ ok: false, status: 400 });
      expect(result.message).toContain(`au moins ${min} jours`);
      expect(result.message).toContain("28 février 2026");
    }
    expect(await snapshot(c.id)).toEqual(before);
    expect(await approve(db, c.id, { ...staff(now), startDate: "2026-02-21", message: null })).toMatchObject({
      ok: true,
    });
    expect(await campaign(c.id)).toMatchObject({ status: "approved", starts_at: "2026-02-20T23:00:00.000Z" });
  });

  it("an unknown campaign is a 404", async () => {
    expect(await approve(db, 999, { ...staff(), startDate: null, message: null })).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(await requestChanges(db, 999, { ...staff(), comment: "x" })).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(await reject(db, 999, { ...staff(), reason: "x" })).toMatchObject({ ok: false, status: 404 });
    expect(await cancel(db, 999, { ...staff(), reason: "x" })).toMatchObject({ ok: false, status: 404 });
    expect(await setLabel(db, 999, { ...staff(), year: 2026 })).toMatchObject({ ok: false, status: 404 });
    expect(await setFeatured(db, 999, { ...staff(), featured: true })).toMatchObject({
      ok: false,
      status: 404,
    });
  });
});

describe("requesting changes, the holder's new version, approval", () => {
  it("comment required; the holder edits and resubmits; approved; the holder is e-mailed each decision with its comment", async () => {
    const t = (h: number) => new Date(Date.parse("2026-01-10T09:00:00.000Z") + h * HOUR);
    const c = await submitted({ now: t(0), endDate: "2026-03-15", goalCents: 10_000 });

    // No comment, or only blanks: refused, nothing written.
    const before = await snapshot(c.id);
    for (const comment of ["", "   \n "]) {
      const refused = await requestChanges(db, c.id, { ...staff(t(1)), comment });
      expect(refused).toMatchObject({ ok: false, status: 400 });
      expect(refused.message).toMatch(/commentaire est obligatoire/i);
    }
    expect(await snapshot(c.id)).toEqual(before);

    const comment = "Précisez le budget : le camion est-il acheté d'occasion ?";
    expect(await requestChanges(db, c.id, { ...staff(t(2)), comment })).toEqual({
      ok: true,
      message: "Modifications demandées\u00a0: le porteur a reçu votre commentaire par courriel.",
    });
    expect((await campaign(c.id)).status).toBe("changes_requested");
    expect(await moderationQueue(db)).toEqual([]);
    // The holder sees the comment in their editor.
    expect((await ownCampaign(db, c.holderId, c.id))?.staffComment).toBe(comment);

    // The holder edits (a new goal and a new story) and resubmits.
    const story =
      "Le camion sera acheté d'occasion (garage de Frévent) et aménagé par un chantier d'insertion.";
    expect(
      await saveCampaign(db, c.holderId, c.id, campaignData(c.title, "2026-03-15", 12_000, story), t(3)),
    ).toEqual({ ok: true });
    expect(await submitCampaign(db, c.holderId, c.id, t(4))).toEqual({ ok: true });
    expect(await campaign(c.id)).toMatchObject({ status: "submitted", goal_cents: 12_000, story_md: story });
    const queue = await moderationQueue(db);
    expect(queue.map((q) => [q.id, q.submitted_at, q.changes_requested])).toEqual([
      [c.id, t(4).toISOString(), 1],
    ]);

    expect(
      await approve(db, c.id, { ...staff(t(5)), startDate: null, message: "Merci pour ces précisions." }),
    ).toMatchObject({ ok: true });
    expect((await campaign(c.id)).status).toBe("approved");

    expect(await holderMails(c)).toEqual([
      { event: "submit", reason: null, statusLabel: "En attente de validation" },
      { event: "request_changes", reason: comment, statusLabel: "Modifications demandées" },
      { event: "resubmit", reason: null, statusLabel: "En attente de validation" },
      { event: "approve", reason: "Merci pour ces précisions.", statusLabel: "Validée" },
    ]);
    expect(
      (await transitions(c.id)).map((x) => [x.event, x.actor_role, x.actor_user_id, x.reason, x.at]),
    ).toEqual([
      ["create", "holder", c.holderId, null, t(0).toISOString()],
      ["submit", "holder", c.holderId, null, t(0).toISOString()],
      ["request_changes", "staff", staffId, comment, t(2).toISOString()],
      ["resubmit", "holder", c.holderId, null, t(4).toISOString()],
      ["approve", "staff", staffId, "Merci pour ces précisions.", t(5).toISOString()],
    ]);
  });
});

describe("rejecting", () => {
  it("reason required; a rejected campaign can be neither approved nor reviewed again (409), whatever its dates", async () => {
    const now = new Date("2026-01-10T09:00:00.000Z");
    const c = await submitted({ now, endDate: "2026-02-15" });
    const before = await snapshot(c.id);
    const refused = await reject(db, c.id, { ...staff(now), reason: "  " });
    expect(refused).toEqual({ ok: false, status: 400, message: "Le motif du refus est obligatoire." });
    expect(await snapshot(c.id)).toEqual(before);

    const reason = "Le projet ne relève pas de l'économie sociale et solidaire.";
    expect(await reject(db, c.id, { ...staff(now), reason })).toEqual({
      ok: true,
      message: "Campagne refusée\u00a0: le porteur a reçu le motif par courriel.",
    });
    expect((await campaign(c.id)).status).toBe("rejected");
    expect((await holderMails(c)).at(-1)).toEqual({ event: "reject", reason, statusLabel: "Refusée" });

    const after = await snapshot(c.id);
    const later = new Date("2026-01-11T09:00:00.000Z");
    for (const startDate of [null, "2026-01-20"]) {
      const again = await approve(db, c.id, { ...staff(later), startDate, message: null });
      expect(again).toMatchObject({ ok: false, status: 409 });
      expect(again.message).toContain("Refusée");
    }
    // Even once its end date is long past (the dates must not hide the real reason).
    expect(
      await approve(db, c.id, {
        ...staff(new Date("2026-06-01T09:00:00.000Z")),
        startDate: null,
        message: null,
      }),
    ).toMatchObject({ ok: false, status: 409 });
    expect(await requestChanges(db, c.id, { ...staff(later), comment: "Et si… ?" })).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(await reject(db, c.id, { ...staff(later), reason: "Encore." })).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(await cancel(db, c.id, { ...staff(later), reason: "Encore." })).toMatchObject({
      ok: false,
      status: 409,
    });
    // The holder cannot send it back either.
    expect(await submitCampaign(db, c.holderId, c.id, later)).toMatchObject({ ok: false });
    expect(await snapshot(c.id)).toEqual(after);
  });
});

describe("history and audit", () => {
  it("every decision, label and featuring change is in reviewHistory with the staff member's name, the time and the reason", async () => {
    const t = (h: number) => new Date(Date.parse("2026-01-10T09:00:00.000Z") + h * HOUR);
    const c = await submitted({ now: t(0), endDate: "2026-03-15" });
    await requestChanges(db, c.id, { ...staff(t(1)), comment: "Ajoutez une photo du camion." });
    await submitCampaign(db, c.holderId, c.id, t(2));
    await setLabel(db, c.id, { ...staff(t(3)), year: 2025 });
    await setLabel(db, c.id, { ...staff(t(4)), year: 2026 });
    expect(
      await approve(db, c.id, { ...staff(t(5)), startDate: "2026-01-20", message: "Bonne route !" }),
    ).toMatchObject({ ok: true });
    await setFeatured(db, c.id, { ...staff(t(6)), featured: true });
    await setFeatured(db, c.id, { ...staff(t(7)), featured: false });
    await setLabel(db, c.id, { ...staff(t(8)), year: null });
    await pass(new Date("2026-01-19T23:00:00.000Z"));
    await cancel(db, c.id, { ...staff(t(24 * 12)), reason: "Le camion a été volé." });

    const holder = `Porteur de projet — Porteur ${c.holderEmail.match(/\d+/)![0]} (${c.holderEmail})`;
    expect(await reviewHistory(db, c.id)).toEqual([
      { at: t(0).toISOString(), what: "Création du brouillon", who: holder, reason: null },
      {
        at: t(0).toISOString(),
        what: "Soumettre pour validation → En attente de validation",
        who: holder,
        reason: null,
      },
      {
        at: t(1).toISOString(),
        what: "Demander des modifications → Modifications demandées",
        who: STAFF_LABEL,
        reason: "Ajoutez une photo du camion.",
      },
      {
        at: t(2).toISOString(),
        what: "Soumettre à nouveau → En attente de validation",
        who: holder,
        reason: null,
      },
      {
        at: t(3).toISOString(),
        what: "Label Budget Citoyen attribué\u00a0: Budget Citoyen 2025",
        who: STAFF_LABEL,
        reason: null,
      },
      {
        at: t(4).toISOString(),
        what: "Label Budget Citoyen attribué\u00a0: Budget Citoyen 2026",
        who: STAFF_LABEL,
        reason: null,
      },
      { at: t(5).toISOString(), what: "Valider → Validée", who: STAFF_LABEL, reason: "Bonne route !" },
      {
        at: t(5).toISOString(),
        what: `Date de mise en ligne fixée\u00a0: ${formatDate(new Date("2026-01-19T23:00:00.000Z"))}`,
        who: STAFF_LABEL,
        reason: null,
      },
      { at: t(6).toISOString(), what: "Mise en avant sur l’accueil", who: STAFF_LABEL, reason: null },
      { at: t(7).toISOString(), what: "Retrait de la mise en avant", who: STAFF_LABEL, reason: null },
      {
        at: t(8).toISOString(),
        what: "Label Budget Citoyen retiré\u00a0: était Budget Citoyen 2026",
        who: STAFF_LABEL,
        reason: null,
      },
      {
        at: "2026-01-19T23:00:00.000Z",
        what: "Mettre en ligne → En cours",
        who: "Plateforme (automatique)",
        reason: null,
      },
      {
        at: t(24 * 12).toISOString(),
        what: "Annuler → Annulée",
        who: STAFF_LABEL,
        reason: "Le camion a été volé.",
      },
    ]);
    expect((await audits(c.id)).map((a) => [a.action, a.actor_user_id])).toEqual([
      ["label_set", staffId],
      ["label_set", staffId],
      ["start_date_set", staffId],
      ["featured", staffId],
      ["unfeatured", staffId],
      ["label_removed", staffId],
    ]);
  });

  it("a change and its audit row are one transaction: when the audit insert fails, the change is rolled back", async () => {
    const now = new Date("2026-01-10T09:00:00.000Z");
    const c = await submitted({ now, endDate: "2026-03-15" });
    let repair = await breakInserts(handle, "campaign_audit", "audit indisponible");
    const before = await snapshot(c.id);

    await expect(setLabel(db, c.id, { ...staff(now), year: 2026 })).rejects.toThrow("audit indisponible");
    expect(await snapshot(c.id)).toEqual(before);
    // approve with a date: the transition, starts_at, the holder's e-mail and the audit row go together
    await expect(
      approve(db, c.id, { ...staff(now), startDate: "2026-01-20", message: null }),
    ).rejects.toThrow("audit indisponible");
    expect(await snapshot(c.id)).toEqual(before);
    expect((await campaign(c.id)).status).toBe("submitted");

    await repair();
    expect(await approve(db, c.id, { ...staff(now), startDate: "2026-01-20", message: null })).toMatchObject({
      ok: true,
    });
    repair = await breakInserts(handle, "campaign_audit", "audit indisponible");
    const approved = await snapshot(c.id);
    await expect(setFeatured(db, c.id, { ...staff(now), featured: true })).rejects.toThrow(
      "audit indisponible",
    );
    await expect(setLabel(db, c.id, { ...staff(now), year: 2026 })).rejects.toThrow("audit indisponible");
    expect(await snapshot(c.id)).toEqual(approved);
    expect(await campaign(c.id)).toMatchObject({ featured: 0, budget_citoyen_year: null });

    await repair();
    expect(await setFeatured(db, c.id, { ...staff(now), featured: true })).toMatchObject({ ok: true });
    expect(await setLabel(db, c.id, { ...staff(now), year: 2026 })).toMatchObject({ ok: true });
    expect(await campaign(c.id)).toMatchObject({ featured: 1, budget_citoyen_year: 2026 });
    expect((await audits(c.id)).map((a) => a.action)).toEqual(["start_date_set", "featured", "label_set"]);
  });
});

describe("the Budget Citoyen label", () => {
  it("set, change of year, removal — each an audit row; out-of-range years refused (400) with nothing written", async () => {
    const now = new Date("2026-01-10T09:00:00.000Z");
    const c = await submitted({ now, endDate: "2026-03-15" });
    expect(await setLabel(db, c.id, { ...staff(now), year: 2026 })).toEqual({
      ok: true,
      message: "Label «\u00a0Budget Citoyen 2026\u00a0» attribué\u00a0: aucune commission ne sera prélevée.",
    });
    expect((await campaign(c.id)).budget_citoyen_year).toBe(2026);
    expect(await setLabel(db, c.id, { ...staff(now), year: 2025 })).toMatchObject({ ok: true });
    expect((await campaign(c.id)).budget_citoyen_year).toBe(2025);
    // the same year again changes nothing and records nothing
    expect(await setLabel(db, c.id, { ...staff(now), year: 2025 })).toEqual({
      ok: true,
      message: "Aucun changement\u00a0: le label était déjà dans cet état.",
    });

    const before = await snapshot(c.id);
    // 2015 (the platform's first year) to next year, in Paris time
    for (const year of [2014, 2028, 0, -2026, 2025.5, Number.NaN]) {
      const r = await setLabel(db, c.id, { ...staff(now), year });
      expect(r).toEqual({
        ok: false,
        status: 400,
        message: "L’année du label doit être comprise entre 2015 et 2027.",
      });
    }
    expect(await snapshot(c.id)).toEqual(before);
    expect(await setLabel(db, c.id, { ...staff(now), year: 2015 })).toMatchObject({ ok: true });
    expect(await setLabel(db, c.id, { ...staff(now), year: 2027 })).toMatchObject({ ok: true });
    // « next year » follows the Paris calendar: at 23:30 UTC on 31 December it is already the new year in Paris
    expect(
      await setLabel(db, c.id, { ...staff(new Date("2026-12-31T23:30:00.000Z")), year: 2028 }),
    ).toMatchObject({ ok: true });

    expect(await setLabel(db, c.id, { ...staff(now), year: null })).toEqual({
      ok: true,
      message: "Label Budget Citoyen retiré\u00a0: la commission de 3 % s’appliquera.",
    });
    expect((await campaign(c.id)).budget_citoyen_year).toBeNull();
    expect(await setLabel(db, c.id, { ...staff(now), year: null })).toMatchObject({
      ok: true,
      message: expect.stringContaining("Aucun changement"),
    });
    expect((await audits(c.id)).map((a) => [a.action, a.detail])).toEqual([
      ["label_set", "Budget Citoyen 2026"],
      ["label_set", "Budget Citoyen 2025"],
      ["label_set", "Budget Citoyen 2015"],
      ["label_set", "Budget Citoyen 2027"],
      ["label_set", "Budget Citoyen 2028"],
      ["label_removed", "était Budget Citoyen 2028"],
    ]);
  });

  it.each([
    {
      name: "labelled",
      labels: [2026] as Array<number | null>,
      bps: 0,
      commission: 0,
      payout: 10_051,
      year: 2026,
    },
    // 10 051 × 3 % = 301.53 → 302
    {
      name: "labelled, then unlabelled",
      labels: [2026, null],
      bps: 300,
      commission: 302,
      payout: 9749,
      year: null,
    },
  ])(
    "at settlement ($name): the commission follows the label carried then; the label can no longer change once settling or funded (409)",
    async ({ labels, bps, commission, payout, year }) => {
      const c = await live({ goalCents: 10_000 });
      for (const y of labels)
        expect(await setLabel(db, c.id, { ...staff(), year: y })).toMatchObject({ ok: true });
      await pay(c, 6000, "alice@example.org");
      await pay(c, 4051, "bob@example.org");
      const slow = await open(c, 1000, "lente@example.org"); // a checkout still open: the campaign waits in « settling »

      expect(await pass(c.endsAt)).toMatchObject({ closed: 1, waiting: 1, funded: 0 });
      expect((await campaign(c.id)).status).toBe("settling");
      const settling = await snapshot(c.id);
      for (const y of [null, 2025, 2026]) {
        expect(await setLabel(db, c.id, { ...staff(), year: y })).toMatchObject({
          ok: false,
          status: 409,
          message: expect.stringContaining("En cours de clôture"),
        });
      }
      expect(await snapshot(c.id)).toEqual(settling);

      await deliver(expireCheckout(slow.sessionId));
      expect(await pass(new Date(c.endsAt.getTime() + MINUTE))).toMatchObject({
        funded: 1,
        payoutsPaid: 1,
        errors: 0,
      });
      expect((await campaign(c.id)).status).toBe("funded");
      const payouts = await db.selectFrom("payouts").selectAll().where("campaign_id", "=", c.id).execute();
      expect(payouts).toMatchObject([
        {
          kind: "main",
          gross_cents: 10_051,
          commission_bps: bps,
          commission_cents: commission,
          amount_cents: payout,
          status: "paid",
        },
      ]);
      expect(stripeMock.transfers().map((t) => t.amount)).toEqual([payout]);
      expect(
        await db
          .selectFrom("ledger_entries")
          .select(["kind", "amount_cents"])
          .where("campaign_id", "=", c.id)
          .where("kind", "in", ["commission", "payout"])
          .orderBy("id")
          .execute(),
      ).toEqual([
        { kind: "commission", amount_cents: commission },
        { kind: "payout", amount_cents: payout },
      ]);
      const mail = await db
        .selectFrom("email_outbox")
        .select("payload_json")
        .where("kind", "=", "campaign_funded_holder")
        .executeTakeFirstOrThrow();
      expect(JSON.parse(mail.payload_json)).toMatchObject({
        commissionBps: bps,
        commissionCents: commission,
        payoutCents: payout,
        budgetCitoyenYear: year,
      });

      const funded = await snapshot(c.id);
      for (const y of [null, 2025, 2026]) {
        expect(await setLabel(db, c.id, { ...staff(), year: y })).toMatchObject({
          ok: false,
          status: 409,
          message: expect.stringContaining("Réussie"),
        });
      }
      expect(await snapshot(c.id)).toEqual(funded);
    },
  );
});

describe("cancelling", () => {
  it("an approved campaign: reason required (400, nothing written); cancelled, the holder told why, never goes online", async () => {
    const now = new Date("2026-01-10T09:00:00.000Z");
    const c = await submitted({ now, endDate: "2026-03-15" });
    await approve(db, c.id, { ...staff(now), startDate: "2026-02-01", message: null });
    const before = await snapshot(c.id);
    for (const reason of ["", " \n "]) {
      expect(await cancel(db, c.id, { ...staff(now), reason })).toEqual({
        ok: false,
        status: 400,
        message: "Le motif de l’annulation est obligatoire.",
      });
    }
    expect(await snapshot(c.id)).toEqual(before);

    const reason = "La structure a été dissoute.";
    expect(await cancel(db, c.id, { ...staff(now), reason })).toEqual({
      ok: true,
      message:
        "Campagne annulée\u00a0: chaque contributeur va recevoir un courriel et sera remboursé automatiquement.",
    });
    expect((await campaign(c.id)).status).toBe("cancelled");
    expect((await transitions(c.id)).at(-1)).toMatchObject({
      from_status: "approved",
      to_status: "cancelled",
      event: "cancel",
      actor_role: "staff",
      actor_user_id: staffId,
      reason,
    });
    expect((await holderMails(c)).at(-1)).toEqual({ event: "cancel", reason, statusLabel: "Annulée" });
    expect(await pass(new Date("2026-02-02T09:00:00.000Z"))).toMatchObject({
      started: 0,
      refunded: 0,
      errors: 0,
    });
    expect((await campaign(c.id)).status).toBe("cancelled");
    // terminal: cancelling again is a conflict
    expect(await cancel(db, c.id, { ...staff(now), reason })).toMatchObject({ ok: false, status: 409 });
  });

  it("a live campaign with paid contributions: contributors told why, then every paid contribution refunded once by the settlement pass", async () => {
    const c = await live({ goalCents: 50_000, endInDays: 5 });
    const ids = [
      await pay(c, 2500, "alice@example.org"),
      await pay(c, 4000, "bob@example.org"),
      await pay(c, 1500, "alice@example.org"),
    ];
    const reason = "Le porteur renonce au projet.";
    expect(await cancel(db, c.id, { ...staff(), reason })).toMatchObject({ ok: true });
    expect((await campaign(c.id)).status).toBe("cancelled");
    const notices = await db
      .selectFrom("email_outbox")
      .select(["to_email", "payload_json"])
      .where("kind", "=", "campaign_refund_contributor")
      .orderBy("to_email")
      .execute();
    expect(notices.map((n) => [n.to_email, JSON.parse(n.payload_json)])).toEqual([
      ["alice@example.org", expect.objectContaining({ amountCents: 4000, cancelled: true, reason })],
      ["bob@example.org", expect.objectContaining({ amountCents: 4000, cancelled: true, reason })],
    ]);
    // no new checkout on a cancelled campaign
    expect(
      await startContribution(db, c.slug, {
        amountCents: 1000,
        rewardId: null,
        email: "tard@example.org",
        publicName: "Tard",
        anonymous: false,
        hideAmount: false,
        message: null,
      }),
    ).toMatchObject({ ok: false, status: 409 });

    const report = await pass(new Date());
    expect(report).toMatchObject({ refunded: 3, refundFailed: 0, errors: 0 });
    const rows = await db
      .selectFrom("contributions")
      .selectAll()
      .where("campaign_id", "=", c.id)
      .orderBy("id")
      .execute();
    expect(rows.map((k) => [k.id, k.status])).toEqual(ids.map((id) => [id, "refunded"]));
    for (const k of rows) {
      const refunds = stripeMock.refunds().filter((r) => r.payment_intent === k.stripe_payment_intent_id);
      expect(refunds.map((r) => r.amount)).toEqual([k.amount_cents]);
      const keys = stripeMock
        .requests()
        .filter((r) => r.path === "/v1/refunds" && r.body.payment_intent === k.stripe_payment_intent_id)
        .map((r) => r.idempotencyKey);
      expect(new Set(keys)).toEqual(new Set([`refund:${k.id}`]));
    }
    expect(stripeMock.transfers()).toEqual([]);
    // a later pass moves no more money
    expect(await pass(new Date(Date.now() + HOUR))).toMatchObject({ refunded: 0, errors: 0 });
    expect(stripeMock.refunds()).toHaveLength(3);
  });

  it("a funded campaign cannot be cancelled (409), nothing written; neither can a submitted one", async () => {
    const c = await live({ goalCents: 10_000 });
    await pay(c, 10_000, "alice@example.org");
    expect(await pass(c.endsAt)).toMatchObject({ funded: 1, payoutsPaid: 1 });
    const before = await snapshot(c.id);
    for (const reason of ["Trop tard.", ""]) {
      const r = await cancel(db, c.id, { ...staff(), reason });
      expect(r).toMatchObject({ ok: false, status: 409 });
      expect(r.message).toContain("Réussie");
    }
    expect(await snapshot(c.id)).toEqual(before);
    expect(stripeMock.refunds()).toEqual([]);

    const s = await submitted({ now: new Date("2026-01-10T09:00:00.000Z"), endDate: "2026-03-15" });
    expect(await cancel(db, s.id, { ...staff(), reason: "Non." })).toMatchObject({ ok: false, status: 409 });
    expect((await campaign(s.id)).status).toBe("submitted");
  });
});

describe("featuring on the home page", () => {
  it("only an approved or live campaign can be featured; a featured live campaign comes first on the home page", async () => {
    const a = await live({ endInDays: 2 });
    const b = await live({ endInDays: 4 });
    const z = await live({ endInDays: 6 });
    const home = async () => (await liveCampaigns(db, 6)).map((card) => card.slug);
    expect(await home()).toEqual([a.slug, b.slug, z.slug]); // soonest end first

    // A submitted, a draft-like (changes requested) and a rejected campaign cannot be featured.
    const now = new Date("2026-01-10T09:00:00.000Z");
    const s = await submitted({ now, endDate: "2026-03-15" });
    const r = await submitted({ now, endDate: "2026-03-15" });
    await reject(db, r.id, { ...staff(now), reason: "Hors champ." });
    const q = await submitted({ now, endDate: "2026-03-15" });
    await requestChanges(db, q.id, { ...staff(now), comment: "Précisez." });
    for (const id of [s.id, r.id, q.id]) {
      const before = await snapshot(id);
      expect(await setFeatured(db, id, { ...staff(now), featured: true })).toEqual({
        ok: false,
        status: 409,
        message: "Seule une campagne validée ou en cours peut être mise en avant.",
      });
      expect(await snapshot(id)).toEqual(before);
    }

    expect(await setFeatured(db, z.id, { ...staff(), featured: true })).toEqual({
      ok: true,
      message: "La campagne est mise en avant sur la page d’accueil.",
    });
    expect(await home()).toEqual([z.slug, a.slug, b.slug]);
    expect(await setFeatured(db, z.id, { ...staff(), featured: true })).toEqual({
      ok: true,
      message: "Aucun changement.",
    });

    // An approved one can be featured ahead of its start; it shows on the home page only once live.
    await approve(db, s.id, { ...staff(now), startDate: null, message: null });
    expect(await setFeatured(db, s.id, { ...staff(now), featured: true })).toMatchObject({ ok: true });
    expect(await home()).toEqual([z.slug, a.slug, b.slug]);

    expect(await setFeatured(db, z.id, { ...staff(), featured: false })).toEqual({
      ok: true,
      message: "La campagne n’est plus mise en avant.",
    });
    expect(await home()).toEqual([a.slug, b.slug, z.slug]);
    expect((await audits(z.id)).map((x) => x.action)).toEqual(["featured", "unfeatured"]);
    expect((await audits(s.id)).map((x) => x.action)).toEqual(["featured"]);
  });
});
