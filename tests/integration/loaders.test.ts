import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, database, initDatabase } from "~/db.server";
import { loader as homeLoader } from "~/routes/_index";
import { loader as campaignLoader } from "~/routes/campagnes.$slug";
import { loader as listLoader } from "~/routes/campagnes._index";
import { PAGE_SIZE } from "~/models/campaigns.server";
import { seedCampaigns } from "#db/seed/campaigns";
import { SEED_NOW, tempDatabasePath } from "../support/db";

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
    // every euro received since launch: the 2024 campaigns, the running ones and the failed one (refunded since)
    const received = seedCampaigns.reduce((sum, c) => sum + c.collectedEuros * 100, 0);
    expect(received).toBeGreaterThan(5_693_800);
    expect(data.figures.collectedCents).toBe(received);
    expect(data.figures.citizens).toBeGreaterThan(686);
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
    expect(boulonnais.list.items.map((c) => c.territoryName)).toEqual(["Boulonnais", "Boulonnais", "Boulonnais"]);
    const culture = await list("?theme=culture");
    expect(culture.list.items.length).toBeGreaterThan(0);
    expect(culture.list.items.every((c) => c.themeName === "Culture")).toBe(true);
    expect((await list("?statut=en-cours")).list.total).toBe(8);
    expect((await list("?statut=reussies")).list.total).toBe(10);
    expect((await list("?statut=non-financees")).list.total).toBe(1);
    const labelled = await list("?label=budget-citoyen");
    expect(labelled.list.total).toBe(2);
    expect(labelled.list.items.every((c) => c.budgetCitoyenYear !== null)).toBe(true);
    const combined = await list("?territoire=boulonnais&statut=reussies&theme=culture");
    expect(combined.list.items.every((c) => c.territoryName === "Boulonnais" && c.themeName === "Culture")).toBe(true);
    expect(combined.query).toEqual({ territoire: "boulonnais", theme: "culture", statut: "reussies", label: undefined });
  });

  it("treats empty filter values (an untouched select) as no filter", async () => {
    expect((await list("?territoire=&theme=&statut=&page=")).list.total).toBe(19);
  });

  it("answers 400 with a French message for unknown filters, 404 past the last page", async () => {
    for (const q of ["?statut=ouvertes", "?territoire=picardie", "?theme=sport", "?page=0", "?page=abc", "?label=oui", "?territoire=%3Cscript%3E"]) {
      const res = await thrownResponse(list(q));
      expect(res.status, q).toBe(400);
      expect(await res.text(), q).toMatch(/^Filtre « [a-zéè]+ » : .+\.$/);
    }
    const res = await thrownResponse(list("?page=4"));
    expect(res.status).toBe(404);
  });
});

describe("campaign page loader", () => {
  it("returns the campaign with totals derived from paid contributions", async () => {
    const { db } = database();
    const row = await db.selectFrom("campaigns").select(["id", "slug"]).where("title", "like", "%Salamandre%").executeTakeFirstOrThrow();
    const data = await campaignLoader(args(`/campagnes/${row.slug}`, { slug: row.slug }));
    expect(data.campaign.collectedCents).toBe(1_073_000);
    expect(data.campaign.status).toBe("funded");
    expect(data.campaign.commissionBps).toBe(300);
    expect(data.campaign.fundLines.reduce((s, l) => s + l.amountCents, 0)).toBe(data.campaign.goalCents);
    expect(data.html.story).toContain("<p>");
  });

  it("applies 0 % to Budget Citoyen campaigns", async () => {
    const { db } = database();
    const row = await db.selectFrom("campaigns").select("slug").where("budget_citoyen_year", "is not", null).executeTakeFirstOrThrow();
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
      (await db.selectFrom("contributions").select("id").where("hide_amount", "=", 1).execute()).map((r) => r.id),
    );
    expect(hidden.every((k) => hiddenIds.has(k.id))).toBe(true);
    expect(data.campaign.contributions.filter((k) => hiddenIds.has(k.id)).every((k) => k.amountCents === null)).toBe(true);
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
    expect((await thrownResponse(campaignLoader(args("/campagnes/inconnue", { slug: "inconnue" })))).status).toBe(404);
    expect((await thrownResponse(campaignLoader(args("/campagnes/..%2F", { slug: "../" })))).status).toBe(404);
    const { db } = database();
    await db.updateTable("campaigns").set({ status: "submitted" }).where("title", "like", "%Archiverre%").execute();
    const row = await db.selectFrom("campaigns").select("slug").where("title", "like", "%Archiverre%").executeTakeFirstOrThrow();
    expect((await thrownResponse(campaignLoader(args(`/campagnes/${row.slug}`, { slug: row.slug })))).status).toBe(404);
    await db.updateTable("campaigns").set({ status: "funded" }).where("title", "like", "%Archiverre%").execute();
  });

  it("counts a newly paid contribution at once (no counter that can drift)", async () => {
    const { db } = database();
    const c = await db.selectFrom("campaigns").select(["id", "slug"]).where("status", "=", "live").executeTakeFirstOrThrow();
    const before = await campaignLoader(args(`/campagnes/${c.slug}`, { slug: c.slug }));
    const now = new Date().toISOString();
    await db
      .insertInto("contributions")
      .values({
        campaign_id: c.id, user_id: null, email: "nouvelle@example.org", public_name: "Nouvelle N.", amount_cents: 1234,
        reward_id: null, anonymous: 0, hide_amount: 0, message: null, status: "pending", stripe_checkout_session_id: null,
        stripe_payment_intent_id: null, stripe_refund_id: null, created_at: now, paid_at: null, updated_at: now,
      })
      .execute();
    const pending = await campaignLoader(args(`/campagnes/${c.slug}`, { slug: c.slug }));
    expect(pending.campaign.collectedCents).toBe(before.campaign.collectedCents);
    await db.updateTable("contributions").set({ status: "paid", paid_at: now }).where("email", "=", "nouvelle@example.org").execute();
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
    const row = await db.selectFrom("campaigns").select(["id", "slug"]).where("title", "like", "%Salamandre%").executeTakeFirstOrThrow();
    const page1 = await loader(args(`/campagnes/${row.slug}/contributeurs`, { slug: row.slug }));
    expect(page1.total).toBe(123);
    expect(page1.pageCount).toBe(3);
    expect(page1.items).toHaveLength(50);
    const page3 = await loader(args(`/campagnes/${row.slug}/contributeurs?page=3`, { slug: row.slug }));
    expect(page3.items).toHaveLength(23);
    const dates = [...page1.items, ...page3.items].map((k) => k.paidAt);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(JSON.stringify(page1)).not.toContain("@");
    expect((await thrownResponse(loader(args(`/campagnes/${row.slug}/contributeurs?page=4`, { slug: row.slug })))).status).toBe(404);
    expect((await thrownResponse(loader(args(`/campagnes/${row.slug}/contributeurs?page=-1`, { slug: row.slug })))).status).toBe(400);
    expect((await thrownResponse(loader(args(`/campagnes/inconnue/contributeurs`, { slug: "inconnue" })))).status).toBe(404);
  });
});
