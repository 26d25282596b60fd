import React from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { StaticRouter } from "react-router-dom/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CampaignView } from "~/components/campaign-view";
import { closeDatabase, database, initDatabase } from "~/db.server";
import type { CampaignState } from "~/domain/campaign-machine";
import { STAFF_FLAGS, type ContributionStatus } from "~/domain/contribution-status";
import { holderContributions } from "~/holder/dashboard.server";
import { myContributions, myContributionState } from "~/models/my-contributions.server";
import { publishedCampaigns } from "~/models/open-data.server";
import { attentionCounts, attentionItems, FLAG_LABELS } from "~/staff/attention.server";
import { loader as homeLoader } from "~/routes/_index";
import { loader as campaignPageLoader } from "~/routes/campagnes.$slug";
import type { PublicCampaignPageData } from "~/models/campaign-view.server";
import { loader as listLoader } from "~/routes/campagnes._index";
import { PAGE_SIZE } from "~/models/campaigns.server";
import { seedCampaigns } from "#db/seed/campaigns";
import { SEED_NOW, tempDatabasePath } from "../support/db";

/** The campaign page's loader data, read back from its JSON string (docs/decisions/034). */
async function campaignLoader(...a: Parameters<typeof campaignPageLoader>): Promise<PublicCampaignPageData> {
  return JSON.parse((await campaignPageLoader(...a)).page) as PublicCampaignPageData;
}

let cleanup: () => void;

beforeAll(async () => {
  const tmp = tempDatabasePath("loaders");
  cleanup = tmp.cleanup;
  await initDatabase({ path: tmp.file, seed: true, now: SEED_NOW });
});

afterAll(async () => {
  await closeDatabase();
  cleanup();
});

const args = (url: string, params: Record<string, string> = {}) => ({
  request: new Request(`http://localhost${url}`),
  params,
  context: {},
});

async function list(query: string) {
  return listLoader(args(`/campagnes${query}`));
}

async function thrownResponse(p: Promise<unknown>): Promise<Response> {
  try {
    await p;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
  throw new Error("expected the loader to throw a Response");
}

describe("home loader", () => {
  it("lists live campaigns first and computes key figures from the database", async () => {
    const data = await homeLoader();
    expect(data.live.length).toBe(6);
    expect(data.live.every((c) => c.status === "live")).toBe(true);
    // ending soonest first
    const ends = data.live.map((c) => c.endsAt);
    expect([...ends].sort()).toEqual(ends);
    expect(data.figures.funded).toBe(10);
    // « collectés » beside « projets propulsés »: the funded campaigns' money only (the seed's ten
    // of 2024, 56 938 €), not the running ones nor the failed one (refunded since) — ADR 026
    const funded = seedCampaigns
      .filter((c) => c.outcome === "funded")
      .reduce((sum, c) => sum + c.collectedEuros * 100, 0);
    expect(funded).toBe(5_693_800);
    expect(data.figures.collectedCents).toBe(5_693_800);
    // « citoyens impliqués » beside them: the people of those ten (ADR 031), not of the running or failed ones
    expect(data.figures.citizens).toBe(686);
  });
});

describe("campaign list loader", () => {
  it("shows every public campaign, running ones first, paginated by " + PAGE_SIZE, async () => {
    const page1 = await list("");
    expect(page1.list.total).toBe(19);
    expect(page1.list.pageCount).toBe(3);
    expect(page1.list.items).toHaveLength(PAGE_SIZE);
    expect(page1.list.items.slice(0, 8).every((c) => c.status === "live")).toBe(true);
    const page3 = await list("?page=3");
    expect(page3.list.items).toHaveLength(1);
    const all = [...page1.list.items, ...(await list("?page=2")).list.items, ...page3.list.items];
    expect(new Set(all.map((c) => c.id)).size).toBe(19);
    // past campaigns: most recent first
    const past = all.filter((c) => c.status !== "live").map((c) => c.endsAt);
    expect([...past].sort().reverse()).toEqual(past);
  });

  it("filters by territory, theme, status and label, and combines them", async () => {
    const boulonnais = await list("?territoire=boulonnais");
    expect(boulonnais.list.items.map((c) => c.territoryName)).toEqual([
      "Boulonnais",
      "Boulonnais",
      "Boulonnais",
    ]);
    const culture = await list("?theme=culture");
    expect(culture.list.items.length).toBeGreaterThan(0);
    expect(culture.list.items.every((c) => c.themeName === "Culture")).toBe(true);
    expect((await list("?statut=en-cours")).list.total).toBe(8);
    expect((await list("?statut=reussies")).list.total).toBe(10);
    expect((await list("?statut=non-financees")).list.total).toBe(1);
    const labelled = await list("?label=budget-citoyen");
    expect(labelled.list.total).toBe(2);
    expect(labelled.list.items.every((c) => c.budgetCitoyenYear !== null)).toBe(true);
    const combined = await list("?territoire=boulonnais&theme=culture&statut=reussies");
    expect(
      combined.list.items.every((c) => c.territoryName === "Boulonnais" && c.themeName === "Culture"),
    ).toBe(true);
    expect(combined.query).toEqual({
      territoire: "boulonnais",
      theme: "culture",
      statut: "reussies",
      label: undefined,
    });
  });

  it("sends empty filter values (an untouched select) and other orders to the canonical URL", async () => {
    const empty = await thrownResponse(list("?territoire=&theme=&statut=&page="));
    expect(empty.status).toBe(302);
    expect(empty.headers.get("location")).toBe("/campagnes");
    const unordered = await thrownResponse(list("?territoire=boulonnais&statut=reussies&theme=culture"));
    expect(unordered.headers.get("location")).toBe(
      "/campagnes?territoire=boulonnais&theme=culture&statut=reussies",
    );
    expect((await list("")).list.total).toBe(19);
  });

  it("answers 400 with a French message for unknown filters, 404 past the last page", async () => {
    for (const q of [
      "?statut=ouvertes",
      "?territoire=picardie",
      "?theme=sport",
      "?page=0",
      "?page=abc",
      "?label=oui",
      "?territoire=%3Cscript%3E",
    ]) {
      const res = await thrownResponse(list(q));
      expect(res.status, q).toBe(400);
      expect(await res.text(), q).toMatch(/^Filtre «\u00a0[a-zéè]+\u00a0»\u00a0: .+\.$/);
    }
    const res = await thrownResponse(list("?page=4"));
    expect(res.status).toBe(404);
  });
});

describe("campaign page loader", () => {
  it("returns the campaign with totals derived from paid contributions", async () => {
    const { db } = database();
    const row = await db
      .selectFrom("campaigns")
      .select(["id", "slug"])
      .where("title", "like", "%Salamandre%")
      .executeTakeFirstOrThrow();
    const data = await campaignLoader(args(`/campagnes/${row.slug}`, { slug: row.slug }));
    expect(data.campaign.collectedCents).toBe(1_073_000);
    expect(data.campaign.status).toBe("funded");
    expect(data.campaign.commissionBps).toBe(300);
    expect(data.campaign.fundLines.reduce((s, l) => s + l.amountCents, 0)).toBe(data.campaign.goalCents);
    expect(data.html.story).toContain("<p>");
  });

  it("applies 0 % to Budget Citoyen campaigns", async () => {
    const { db } = database();
    const row = await db
      .selectFrom("campaigns")
      .select("slug")
      .where("budget_citoyen_year", "is not", null)
      .executeTakeFirstOrThrow();
    const data = await campaignLoader(args(`/campagnes/${row.slug}`, { slug: row.slug }));
    expect(data.campaign.commissionBps).toBe(0);
  });

  it("shows anonymous contributors as « Anonyme », hides hidden amounts and never exposes an email", async () => {
    const { db } = database();
    const anon = await db
      .selectFrom("contributions as k")
      .innerJoin("campaigns as c", "c.id", "k.campaign_id")
      .select(["c.slug", "k.id", "k.public_name", "k.email"])
      .where("k.anonymous", "=", 1)
      .where("c.status", "=", "live")
      .orderBy("k.paid_at", "desc")
      .executeTakeFirstOrThrow();
    const data = await campaignLoader(args(`/campagnes/${anon.slug}`, { slug: anon.slug }));
    const shown = data.campaign.contributions.find((k) => k.id === anon.id);
    if (shown) expect(shown.name).toBe("Anonyme");
    const json = JSON.stringify(data);
    expect(json).not.toContain("@example.org");
    expect(json).not.toContain(anon.email);
    const hidden = data.campaign.contributions.filter((k) => k.amountCents === null);
    const hiddenIds = new Set(
      (await db.selectFrom("contributions").select("id").where("hide_amount", "=", 1).execute()).map(
        (r) => r.id,
      ),
    );
    expect(hidden.every((k) => hiddenIds.has(k.id))).toBe(true);
    expect(
      data.campaign.contributions.filter((k) => hiddenIds.has(k.id)).every((k) => k.amountCents === null),
    ).toBe(true);
  });

  it("computes the stock left and shows sold-out rewards", async () => {
    const { db } = database();
    const soldOut = await db
      .selectFrom("rewards as r")
      .innerJoin("campaigns as c", "c.id", "r.campaign_id")
      .select(["c.slug", "r.id"])
      .whereRef("r.sold", "=", "r.stock")
      .executeTakeFirstOrThrow();
    const data = await campaignLoader(args(`/campagnes/${soldOut.slug}`, { slug: soldOut.slug }));
    expect(data.campaign.rewards.find((r) => r.id === soldOut.id)!.remaining).toBe(0);
  });

  it("answers 404 for unknown slugs and for campaigns that are not public", async () => {
    expect(
      (await thrownResponse(campaignLoader(args("/campagnes/inconnue", { slug: "inconnue" })))).status,
    ).toBe(404);
    expect((await thrownResponse(campaignLoader(args("/campagnes/..%2F", { slug: "../" })))).status).toBe(
      404,
    );
    const { db } = database();
    await db
      .updateTable("campaigns")
      .set({ status: "submitted" })
      .where("title", "like", "%Archiverre%")
      .execute();
    const row = await db
      .selectFrom("campaigns")
      .select("slug")
      .where("title", "like", "%Archiverre%")
      .executeTakeFirstOrThrow();
    expect(
      (await thrownResponse(campaignLoader(args(`/campagnes/${row.slug}`, { slug: row.slug })))).status,
    ).toBe(404);
    await db
      .updateTable("campaigns")
      .set({ status: "funded" })
      .where("title", "like", "%Archiverre%")
      .execute();
  });

  it("counts a newly paid contribution at once (no counter that can drift)", async () => {
    const { db } = database();
    const c = await db
      .selectFrom("campaigns")
      .select(["id", "slug"])
      .where("status", "=", "live")
      .executeTakeFirstOrThrow();
    const before = await campaignLoader(args(`/campagnes/${c.slug}`, { slug: c.slug }));
    const now = new Date().toISOString();
    await db
      .insertInto("contributions")
      .values({
        campaign_id: c.id,
        user_id: null,
        email: "nouvelle@example.org",
        public_name: "Nouvelle N.",
        amount_cents: 1234,
        reward_id: null,
        anonymous: 0,
        hide_amount: 0,
        message: null,
        status: "pending",
        stripe_checkout_session_id: null,
        stripe_payment_intent_id: null,
        stripe_refund_id: null,
        created_at: now,
        paid_at: null,
        updated_at: now,
      })
      .execute();
    const pending = await campaignLoader(args(`/campagnes/${c.slug}`, { slug: c.slug }));
    expect(pending.campaign.collectedCents).toBe(before.campaign.collectedCents);
    await db
      .updateTable("contributions")
      .set({ status: "paid", paid_at: now })
      .where("email", "=", "nouvelle@example.org")
      .execute();
    const paid = await campaignLoader(args(`/campagnes/${c.slug}`, { slug: c.slug }));
    expect(paid.campaign.collectedCents).toBe(before.campaign.collectedCents + 1234);
    expect(paid.campaign.contributorsCount).toBe(before.campaign.contributorsCount + 1);
    expect(paid.campaign.contributions[0]!.name).toBe("Nouvelle N.");
  });
});

describe("full contributor list loader", () => {
  it("pages through every collected contribution, newest first, without emails", async () => {
    const { loader } = await import("~/routes/campagnes.$slug_.contributeurs");
    const { db } = database();
    const row = await db
      .selectFrom("campaigns")
      .select(["id", "slug"])
      .where("title", "like", "%Salamandre%")
      .executeTakeFirstOrThrow();
    const page1 = await loader(args(`/campagnes/${row.slug}/contributeurs`, { slug: row.slug }));
    expect(page1.total).toBe(123);
    expect(page1.pageCount).toBe(3);
    expect(page1.items).toHaveLength(50);
    const page3 = await loader(args(`/campagnes/${row.slug}/contributeurs?page=3`, { slug: row.slug }));
    expect(page3.items).toHaveLength(23);
    const dates = [...page1.items, ...page3.items].map((k) => k.paidAt);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(JSON.stringify(page1)).not.toContain("@");
    expect(
      (await thrownResponse(loader(args(`/campagnes/${row.slug}/contributeurs?page=4`, { slug: row.slug }))))
        .status,
    ).toBe(404);
    expect(
      (await thrownResponse(loader(args(`/campagnes/${row.slug}/contributeurs?page=-1`, { slug: row.slug }))))
        .status,
    ).toBe(400);
    expect(
      (await thrownResponse(loader(args(`/campagnes/inconnue/contributeurs`, { slug: "inconnue" })))).status,
    ).toBe(404);
  });
});

// ---------------------------------------------------------------------------
// One meaning of « collectés », refunds shown apart, commissions read from payouts,
// a cancelled campaign's page: campaigns made for each test, removed after it.

interface Fixture {
  id: number;
  slug: string;
  contributionIds: number[];
}

/** A campaign (a copy of a seeded one's organisation, territory and theme) with its contributions and history. */
async function makeCampaign(input: {
  status: "funded" | "failed" | "cancelled";
  goalCents: number;
  contributions: Array<{
    status: ContributionStatus;
    amountCents: number;
    email?: string;
    disputeStatus?: "open" | "won" | "lost";
    staffFlag?: string;
  }>;
  history: Array<{
    event: "start" | "deadline" | "settle_funded" | "settle_failed" | "cancel";
    to: CampaignState;
    reason?: string;
    at: string;
  }>;
}): Promise<Fixture> {
  const { db } = database();
  const model = await db
    .selectFrom("campaigns")
    .selectAll()
    .where("status", "=", "funded")
    .orderBy("id")
    .executeTakeFirstOrThrow();
  const slug = `essai-${input.status}-${Math.random().toString(36).slice(2, 8)}`;
  const now = new Date().toISOString();
  const { id } = await db
    .insertInto("campaigns")
    .values({
      organization_id: model.organization_id,
      slug,
      title: `Essai ${slug}`,
      summary: "Résumé.",
      story_md: "Histoire.",
      goal_cents: input.goalCents,
      starts_at: "2025-03-01T00:00:00.000Z",
      ends_at: "2025-04-01T00:00:00.000Z",
      territory_id: model.territory_id,
      theme_id: model.theme_id,
      budget_citoyen_year: null,
      expected_results_md: "Résultats.",
      timetable_md: "Calendrier.",
      image_path: null,
      image_alt: null,
      status: input.status,
      featured: 0,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const contributionIds: number[] = [];
  for (const [i, k] of input.contributions.entries()) {
    const row = await db
      .insertInto("contributions")
      .values({
        campaign_id: id,
        user_id: null,
        email: k.email ?? `essai.${slug}.${i}@example.org`,
        public_name: `Personne ${i + 1}`,
        amount_cents: k.amountCents,
        reward_id: null,
        anonymous: 0,
        hide_amount: 0,
        message: null,
        status: k.status,
        stripe_checkout_session_id: null,
        stripe_payment_intent_id: `pi_${slug}_${i}`,
        stripe_refund_id: null,
        created_at: "2025-03-02T10:00:00.000Z",
        paid_at:
          k.status === "pending" || k.status === "expired" || k.status === "failed"
            ? null
            : "2025-03-02T10:05:00.000Z",
        updated_at: now,
        dispute_status: k.disputeStatus ?? null,
        staff_flag: k.staffFlag ?? null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    contributionIds.push(row.id);
  }
  for (const h of input.history) {
    await db
      .insertInto("campaign_transitions")
      .values({
        campaign_id: id,
        from_status: null,
        to_status: h.to,
        event: h.event,
        actor_user_id: null,
        actor_role: h.event === "cancel" ? "staff" : "system",
        reason: h.reason ?? null,
        at: h.at,
      })
      .execute();
  }
  made.push(id);
  return { id, slug, contributionIds };
}

const made: number[] = [];

async function removeMade(): Promise<void> {
  const { db } = database();
  for (const id of made.splice(0)) {
    await db.deleteFrom("payouts").where("campaign_id", "=", id).execute();
    await db.deleteFrom("contributions").where("campaign_id", "=", id).execute();
    await db.deleteFrom("campaign_transitions").where("campaign_id", "=", id).execute();
    await db.deleteFrom("campaigns").where("id", "=", id).execute();
  }
}

/** The campaign page as citizens read it: the loader's data rendered, tags stripped, spaces plain. */
async function pageText(slug: string): Promise<string> {
  const data = await campaignLoader(args(`/campagnes/${slug}`, { slug }));
  const html = renderToStaticMarkup(
    React.createElement(
      StaticRouter,
      { location: `/campagnes/${slug}` },
      React.createElement(CampaignView, { ...data, formState: undefined }),
    ),
  );
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/[\u00a0\u202f]/g, " ")
    .replace(/\s+/g, " ");
}

const FAILED_HISTORY = [
  { event: "start" as const, to: "live" as const, at: "2025-03-01T00:00:00.000Z" },
  { event: "settle_failed" as const, to: "failed" as const, at: "2025-04-01T01:00:00.000Z" },
];

describe("« collectés » means paid and not refunded; refunds are shown apart and said truly", () => {
  afterEach(removeMade);

  it("a failed campaign with 2 refunded and 1 refund_failed contributions: 0 € collected, « 2 contributions remboursées sur 3 », the failed one never said refunded", async () => {
    const f = await makeCampaign({
      status: "failed",
      goalCents: 500_000,
      contributions: [
        { status: "refunded", amountCents: 2_000 },
        { status: "refunded", amountCents: 3_000 },
        { status: "refund_failed", amountCents: 5_000 },
      ],
      history: FAILED_HISTORY,
    });
    const data = await campaignLoader(args(`/campagnes/${f.slug}`, { slug: f.slug }));
    expect(data.campaign.collectedCents).toBe(0);
    expect(data.campaign.percent).toBe(0);
    expect(data.campaign.contributorsCount).toBe(0);
    expect(data.campaign.refunds).toMatchObject({
      receivedCount: 3,
      refundedCount: 2,
      refundedCents: 5_000,
      failedCount: 1,
      underWayCount: 0,
    });
    // who supported it is still listed
    expect(data.campaign.contributions).toHaveLength(3);
    expect(data.campaign.supportersCount).toBe(3);

    const text = await pageText(f.slug);
    expect(text).toContain("0 € collectés");
    expect(text).toContain("Remboursés 50 €");
    expect(text).toContain(
      "Remboursements : 2 contributions remboursées sur 3 ; 1 remboursement en échec : l’équipe contacte la personne concernée.",
    );
    expect(text).not.toMatch(/sont remboursés|ont été remboursés|a été intégralement remboursée/);
    expect(text).not.toContain("Tout ou rien : si l’objectif n’est pas atteint");
    expect(text).toContain("3 contributeurs");
  });

  it("a failed campaign whose refunds are all done says so; one still paid reads « remboursement en cours »", async () => {
    const done = await makeCampaign({
      status: "failed",
      goalCents: 500_000,
      contributions: [{ status: "refunded", amountCents: 2_500 }],
      history: FAILED_HISTORY,
    });
    const doneText = await pageText(done.slug);
    expect(doneText).toContain("Campagne non financée — tous les contributeurs sont remboursés");
    expect(doneText).toContain("Remboursements : 1 contribution remboursée sur 1.");

    const waiting = await makeCampaign({
      status: "failed",
      goalCents: 500_000,
      contributions: [
        { status: "paid", amountCents: 1_000 },
        { status: "refunding", amountCents: 1_000 },
        { status: "refunded", amountCents: 1_000 },
      ],
      history: FAILED_HISTORY,
    });
    const data = await campaignLoader(args(`/campagnes/${waiting.slug}`, { slug: waiting.slug }));
    // the paid one still counts as collected until its refund starts (the settlement's own figure)
    expect(data.campaign.collectedCents).toBe(1_000);
    const text = await pageText(waiting.slug);
    expect(text).toContain("Remboursements : 1 contribution remboursée sur 3 ; 2 remboursements en cours.");
    expect(text).not.toMatch(/sont remboursés|ont été remboursés|a été intégralement remboursée/);
  });

  it("a running campaign's bar and card leave out refunded and disputed money", async () => {
    const { db } = database();
    const c = await db
      .selectFrom("campaigns")
      .select(["id", "slug"])
      .where("status", "=", "live")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    const before = await campaignLoader(args(`/campagnes/${c.slug}`, { slug: c.slug }));
    const now = new Date().toISOString();
    const base = {
      campaign_id: c.id,
      user_id: null,
      public_name: "Essai",
      reward_id: null,
      anonymous: 0 as const,
      hide_amount: 0 as const,
      message: null,
      stripe_checkout_session_id: null,
      stripe_payment_intent_id: null,
      stripe_refund_id: null,
      created_at: now,
      paid_at: now,
      updated_at: now,
    };
    const ids = await db
      .insertInto("contributions")
      .values([
        {
          ...base,
          email: "essai.rembourse@example.org",
          amount_cents: 4_000,
          status: "refunded",
          dispute_status: null,
          dispute_withdrawn_cents: 0,
        },
        {
          ...base,
          email: "essai.litige@example.org",
          amount_cents: 3_000,
          status: "paid",
          dispute_status: "lost",
          dispute_withdrawn_cents: 3_000,
        },
      ])
      .returning("id")
      .execute();
    try {
      const after = await campaignLoader(args(`/campagnes/${c.slug}`, { slug: c.slug }));
      expect(after.campaign.collectedCents).toBe(before.campaign.collectedCents);
      const card = (await list("?statut=en-cours")).list.items.find((k) => k.id === c.id);
      if (card) expect(card.collectedCents).toBe(before.campaign.collectedCents);
    } finally {
      await db
        .deleteFrom("contributions")
        .where(
          "id",
          "in",
          ids.map((r) => r.id),
        )
        .execute();
    }
  });
});

describe("a cancelled campaign's page stays public", () => {
  afterEach(removeMade);

  it("answers 200 with a banner, the date, the reason and where the refunds stand; its contributor list too", async () => {
    const f = await makeCampaign({
      status: "cancelled",
      goalCents: 500_000,
      contributions: [
        ...Array.from({ length: 12 }, () => ({ status: "refunded" as const, amountCents: 1_000 })),
        { status: "refunding", amountCents: 1_000 },
        { status: "paid", amountCents: 1_000 },
      ],
      history: [
        { event: "start", to: "live", at: "2025-03-01T00:00:00.000Z" },
        {
          event: "cancel",
          to: "cancelled",
          reason: "Le lieu du projet a été vendu.\nLe porteur renonce.",
          at: "2025-03-20T09:30:00.000Z",
        },
      ],
    });
    const data = await campaignLoader(args(`/campagnes/${f.slug}`, { slug: f.slug }));
    expect(data.campaign.status).toBe("cancelled");
    expect(data.campaign.cancellation).toEqual({
      at: "2025-03-20T09:30:00.000Z",
      reason: "Le lieu du projet a été vendu.\nLe porteur renonce.",
    });
    const text = await pageText(f.slug);
    expect(text).toContain("Campagne annulée");
    expect(text).toContain("L’équipe du Département a annulé cette campagne le 20 mars 2025.");
    expect(text).toContain("Motif : Le lieu du projet a été vendu. Le porteur renonce.");
    expect(text).toContain(
      "Remboursements : 12 contributions remboursées sur 14 ; 2 remboursements en cours.",
    );
    expect(text).toContain("Aucune commission n’est prélevée : la campagne a été annulée.");
    expect(text).toContain("Annulée le 20 mars 2025");

    const { loader } = await import("~/routes/campagnes.$slug_.contributeurs");
    expect((await loader(args(`/campagnes/${f.slug}/contributeurs`, { slug: f.slug }))).total).toBe(14);
    // still out of the public list
    expect((await list("")).list.total).toBe(19);
  });

  it("a campaign cancelled before it went live was never public: 404", async () => {
    const f = await makeCampaign({
      status: "cancelled",
      goalCents: 500_000,
      contributions: [],
      history: [
        { event: "cancel", to: "cancelled", reason: "Projet abandonné.", at: "2025-02-20T09:30:00.000Z" },
      ],
    });
    expect(
      (await thrownResponse(campaignLoader(args(`/campagnes/${f.slug}`, { slug: f.slug })))).status,
    ).toBe(404);
  });
});

describe("the commission of a settled campaign is read from its payouts", () => {
  afterEach(removeMade);

  it("a payout recorded at 2,5 % (today's rule says 3 %) shows 2,5 % and the recorded amounts on the page and in open data", async () => {
    const f = await makeCampaign({
      status: "funded",
      goalCents: 100_000,
      contributions: [
        { status: "paid", amountCents: 100_000 },
        { status: "paid", amountCents: 2_000 },
      ],
      history: [
        { event: "start", to: "live", at: "2025-03-01T00:00:00.000Z" },
        { event: "settle_funded", to: "funded", at: "2025-04-01T01:00:00.000Z" },
      ],
    });
    const { db } = database();
    const now = new Date().toISOString();
    const payout = (
      kind: "main" | "supplementary",
      gross: number,
      commission: number,
      status: "paid" | "pending",
    ) => ({
      campaign_id: f.id,
      kind,
      gross_cents: gross,
      commission_bps: 250,
      commission_cents: commission,
      amount_cents: gross - commission,
      status,
      idempotency_key: `payout:${f.id}${kind === "main" ? "" : ":supplementary:1"}`,
      created_at: now,
      updated_at: now,
      paid_at: status === "paid" ? now : null,
    });
    await db
      .insertInto("payouts")
      .values([payout("main", 100_000, 2_500, "paid"), payout("supplementary", 2_000, 50, "paid")])
      .execute();

    const data = await campaignLoader(args(`/campagnes/${f.slug}`, { slug: f.slug }));
    expect(data.campaign.commissionBps).toBe(250);
    expect(data.campaign.commission).toEqual({
      bps: 250,
      recorded: true,
      cents: 2_550,
      paidOutCents: 99_450,
      toPayCents: 0,
    });
    const text = await pageText(f.slug);
    expect(text).toContain(
      "Commission de la plateforme : 2,5 % , soit 25,50 € ; versés au porteur de projet : 994,50 €.",
    );

    const row = (await publishedCampaigns(db)).find((r) => r.identifiant === f.id)!;
    expect(row.commission_pourcentage).toBe(2.5);

    // a payout not transferred yet is « à verser », never « versés »
    await db
      .updateTable("payouts")
      .set({ status: "pending", paid_at: null })
      .where("campaign_id", "=", f.id)
      .where("kind", "=", "supplementary")
      .execute();
    expect(await pageText(f.slug)).toContain("; versés au porteur de projet : 975 €, et 19,50 € à verser.");
  });

  it("a campaign not settled yet shows the rate that will apply", async () => {
    const { db } = database();
    const c = await db
      .selectFrom("campaigns")
      .select("slug")
      .where("status", "=", "live")
      .where("budget_citoyen_year", "is", null)
      .executeTakeFirstOrThrow();
    const data = await campaignLoader(args(`/campagnes/${c.slug}`, { slug: c.slug }));
    expect(data.campaign.commission).toMatchObject({ bps: 300, recorded: false, cents: null });
  });
});

describe("« Mes contributions » in true French", () => {
  it("labels each state by what happened", () => {
    const label = (
      status: ContributionStatus,
      campaignStatus: CampaignState,
      disputeStatus: "open" | "won" | "lost" | null = null,
    ) => myContributionState({ status, campaignStatus, disputeStatus }).replace(/\u00a0/g, " ");
    expect(label("paid", "live")).toBe("Payée");
    expect(label("paid", "funded", "won")).toBe("Payée");
    expect(label("paid", "failed")).toBe("Payée — remboursement à venir");
    expect(label("paid", "cancelled")).toBe("Payée — remboursement à venir");
    expect(label("refunding", "failed")).toBe("Remboursement en cours");
    expect(label("refund_failed", "cancelled")).toBe("Remboursement en échec : l’équipe vous contacte");
    expect(label("refunded", "failed")).toBe("Remboursée");
    expect(label("paid", "live", "open")).toBe("Paiement contesté par votre banque");
    for (const s of ["paid", "refunding", "refund_failed"] as const)
      expect(label(s, "failed")).not.toMatch(/^Rembours(é|ée)$/);
  });

  it("lists a cancelled campaign's contributions with their refund state", async () => {
    const email = "essai.mes-contributions@example.org";
    const f = await makeCampaign({
      status: "cancelled",
      goalCents: 500_000,
      contributions: [
        { status: "refunded", amountCents: 1_000, email },
        { status: "refund_failed", amountCents: 2_000, email },
      ],
      history: [
        { event: "start", to: "live", at: "2025-03-01T00:00:00.000Z" },
        { event: "cancel", to: "cancelled", reason: "Annulé.", at: "2025-03-20T09:30:00.000Z" },
      ],
    });
    try {
      const rows = await myContributions(database().db, email);
      expect(
        rows.map((k) => [
          k.id,
          myContributionState({
            status: k.status,
            campaignStatus: k.campaign_status,
            disputeStatus: k.dispute_status,
          }).replace(/\u00a0/g, " "),
        ]),
      ).toEqual(
        [...f.contributionIds]
          .reverse()
          .map((id, i) => [id, i === 0 ? "Remboursement en échec : l’équipe vous contacte" : "Remboursée"]),
      );
    } finally {
      await removeMade();
    }
  });
});

describe("holders and staff read the same sets", () => {
  afterEach(removeMade);

  it("the holder's list and its filter keep every contribution whose money arrived, refunded since or not, with its state", async () => {
    const f = await makeCampaign({
      status: "failed",
      goalCents: 500_000,
      contributions: [
        { status: "refunded", amountCents: 1_000 },
        { status: "refund_failed", amountCents: 2_000 },
        { status: "expired", amountCents: 3_000 },
      ],
      history: FAILED_HISTORY,
    });
    const items = await holderContributions(database().db, f.id);
    expect(items.map((k) => k.statusLabel).sort()).toEqual(["Remboursement en échec", "Remboursée"]);
    expect(
      (await holderContributions(database().db, f.id, { status: "refunded" })).map((k) => k.amountCents),
    ).toEqual([1_000]);
  });

  it("« Paiements à traiter »: a label for every flag, a won dispute with no other flag no longer listed, nor counted", async () => {
    const f = await makeCampaign({
      status: "funded",
      goalCents: 1_000,
      contributions: [
        { status: "paid", amountCents: 1_000, disputeStatus: "won" },
        { status: "paid", amountCents: 1_000, disputeStatus: "won", staffFlag: "disputed" },
        { status: "paid", amountCents: 1_000, disputeStatus: "lost", staffFlag: "dispute_lost" },
        {
          status: "paid",
          amountCents: 1_000,
          disputeStatus: "open",
          staffFlag: "disputed,reward_unavailable",
        },
        { status: "paid", amountCents: 1_000, staffFlag: "amount_mismatch,partial_refund" },
      ],
      history: [],
    });
    const { db } = database();
    const before = await attentionCounts(db);
    const items = (await attentionItems(db)).contributions.filter((k) => k.campaignId === f.id);
    const byId = new Map(items.map((k) => [k.id, k.problems.map((p) => p.label)]));
    const [wonClean, wonStale, lost, open, other] = f.contributionIds;
    expect(byId.has(wonClean!)).toBe(false);
    expect(byId.has(wonStale!)).toBe(false);
    expect(byId.get(lost!)).toEqual([FLAG_LABELS.dispute_lost.label]);
    expect(byId.get(open!)).toEqual([FLAG_LABELS.disputed.label, FLAG_LABELS.reward_unavailable.label]);
    expect(byId.get(other!)).toEqual([FLAG_LABELS.amount_mismatch.label, FLAG_LABELS.partial_refund.label]);
    for (const flag of STAFF_FLAGS) expect(FLAG_LABELS[flag].label.length, flag).toBeGreaterThan(0);
    // the count follows the same rule: the three listed ones
    await removeMade();
    expect(before.contributions - (await attentionCounts(db)).contributions).toBe(3);
  });
});
