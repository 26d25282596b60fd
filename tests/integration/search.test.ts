/**
 * Keyword search, filters and sorts of the campaign list (app/search/*), through the route's
 * loader, on a real database: SQLite (FTS5) here, PostgreSQL (tsvector) under `npm run test:pg`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CampaignState } from "~/domain/campaign-machine";
import { closeDatabase, database, initDatabase } from "~/db.server";
import { loader as listLoader } from "~/routes/campagnes._index";
import { onPostgres, tempDatabasePath } from "../support/db";

let cleanup: () => void;

interface Fixture {
  slug: string;
  org: "ternois" | "velo" | "jardins";
  title: string;
  summary?: string;
  story?: string;
  status: CampaignState;
  goalEuros: number;
  collectedEuros?: number;
  starts: string;
  ends: string;
}

const FIXTURES: Fixture[] = [
  {
    slug: "c1",
    org: "ternois",
    title: "Une épicerie pour le village",
    summary: "Des produits locaux toute l’année",
    story: "Nous ouvrons un **commerce** de proximité.",
    status: "live",
    goalEuros: 10_000,
    collectedEuros: 9_000,
    starts: "2026-11-25",
    ends: "2026-12-20",
  },
  {
    slug: "c2",
    org: "velo",
    title: "Réparer les vélos",
    story: "L’atelier est installé à côté de l’épicerie du quartier.",
    status: "live",
    goalEuros: 5_000,
    collectedEuros: 5_500,
    starts: "2026-11-10",
    ends: "2026-12-10",
  },
  {
    slug: "c3",
    org: "jardins",
    title: "Un verger partagé",
    status: "funded",
    goalEuros: 2_000,
    collectedEuros: 2_400,
    starts: "2026-06-01",
    ends: "2026-08-01",
  },
  {
    slug: "c4",
    org: "jardins",
    title: "La serre collective",
    status: "failed",
    goalEuros: 8_000,
    collectedEuros: 1_000,
    starts: "2026-05-01",
    ends: "2026-07-01",
  },
  {
    slug: "c5",
    org: "ternois",
    title: "Brouillon secret épicerie",
    status: "draft",
    goalEuros: 1_000,
    starts: "2026-12-01",
    ends: "2027-01-01",
  },
  {
    slug: "c6",
    org: "ternois",
    title: "Épicerie soumise",
    status: "submitted",
    goalEuros: 1_000,
    starts: "2026-12-01",
    ends: "2027-01-01",
  },
  {
    slug: "c7",
    org: "ternois",
    title: "Épicerie refusée",
    status: "rejected",
    goalEuros: 1_000,
    starts: "2026-12-01",
    ends: "2027-01-01",
  },
  {
    slug: "c8",
    org: "ternois",
    title: "Épicerie approuvée",
    status: "approved",
    goalEuros: 1_000,
    starts: "2026-12-20",
    ends: "2027-01-20",
  },
  {
    slug: "c9",
    org: "ternois",
    title: "Épicerie annulée",
    status: "cancelled",
    goalEuros: 1_000,
    starts: "2026-12-01",
    ends: "2027-01-01",
  },
  {
    slug: "c10",
    org: "jardins",
    title: "Ateliers cuisine",
    status: "live",
    goalEuros: 4_000,
    collectedEuros: 2_400,
    starts: "2026-11-20",
    ends: "2026-12-05",
  },
];

const ORGS = {
  ternois: { name: "Épicerie Solidaire du Ternois", town: "Saint-Pol-sur-Ternoise" },
  velo: { name: "Atelier Vélo", town: "Liévin" },
  jardins: { name: "Les Jardins Partagés", town: "Arras" },
};
const orgIds: Record<string, number> = {};
const campaignIds: Record<string, number> = {};

beforeAll(async () => {
  const tmp = tempDatabasePath("search");
  cleanup = tmp.cleanup;
  await initDatabase({ path: tmp.file, seed: false });
  const { db } = database();
  const now = new Date().toISOString();
  const territory = await db.selectFrom("territories").select("id").orderBy("id").executeTakeFirstOrThrow();
  const theme = await db.selectFrom("themes").select("id").orderBy("id").executeTakeFirstOrThrow();
  const user = await db
    .insertInto("users")
    .values({ email: "porteur@example.org", display_name: "Porteur", role: "holder", created_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const [key, org] of Object.entries(ORGS)) {
    const row = await db
      .insertInto("organizations")
      .values({
        owner_user_id: user.id,
        name: org.name,
        legal_form: "association",
        registration_number: null,
        town: org.town,
        territory_id: territory.id,
        stripe_account_id: null,
        created_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    orgIds[key] = row.id;
  }
  for (const f of FIXTURES) {
    const row = await db
      .insertInto("campaigns")
      .values({
        organization_id: orgIds[f.org]!,
        slug: f.slug,
        title: f.title,
        summary: f.summary ?? "Un projet du territoire",
        story_md: f.story ?? "Une histoire.",
        goal_cents: f.goalEuros * 100,
        starts_at: `${f.starts}T09:00:00.000Z`,
        ends_at: `${f.ends}T22:59:59.000Z`,
        territory_id: territory.id,
        theme_id: theme.id,
        budget_citoyen_year: null,
        expected_results_md: "—",
        timetable_md: "—",
        image_path: null,
        status: f.status,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    campaignIds[f.slug] = row.id;
    if (f.collectedEuros) {
      await db
        .insertInto("contributions")
        .values({
          campaign_id: row.id,
          email: `don-${f.slug}@example.org`,
          public_name: "Un soutien",
          amount_cents: f.collectedEuros * 100,
          reward_id: null,
          anonymous: 0,
          hide_amount: 0,
          message: null,
          status: "paid",
          created_at: now,
          paid_at: now,
          updated_at: now,
        })
        .execute();
    }
  }
});

afterAll(async () => {
  await closeDatabase();
  cleanup();
});

function request(query: string) {
  return listLoader({ request: new Request(`http://localhost/campagnes${query}`), params: {}, context: {} });
}

async function slugs(query: string): Promise<string[]> {
  const data = await request(query);
  return data.list.items.map((c) => c.slug);
}

async function thrown(p: Promise<unknown>): Promise<Response> {
  try {
    await p;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
  throw new Error("expected the loader to throw a Response");
}

const q = (text: string, rest = "") => `?q=${encodeURIComponent(text).replace(/%20/g, "+")}${rest}`;

describe(`keyword search (${onPostgres ? "PostgreSQL" : "SQLite"})`, () => {
  it("finds a word in each field: title, summary, story, structure name, town", async () => {
    expect(await slugs(q("verger"))).toEqual(["c3"]);
    expect(await slugs(q("produits"))).toEqual(["c1"]);
    expect(await slugs(q("commerce"))).toEqual(["c1"]);
    expect(await slugs(q("ternois"))).toEqual(["c1"]);
    expect(await slugs(q("liévin"))).toEqual(["c2"]);
  });

  it("ignores accents and case, both ways", async () => {
    for (const text of ["epicerie", "ÉPICERIE", "Épicerie", "épicerie"]) {
      expect(new Set(await slugs(q(text)))).toEqual(new Set(["c1", "c2"]));
    }
    expect(await slugs(q("LIEVIN"))).toEqual(["c2"]);
    expect(new Set(await slugs(q("jardins partages")))).toEqual(new Set(["c3", "c4", "c10"]));
  });

  it("ranks the best match first (a title before a word of the story)", async () => {
    expect(await slugs(q("epicerie"))).toEqual(["c1", "c2"]);
  });

  it("treats the last word as a prefix, and only the last", async () => {
    expect(await slugs(q("epic"))).toEqual(["c1", "c2"]);
    expect(await slugs(q("village epic"))).toEqual(["c1"]);
    expect(await slugs(q("epic village"))).toEqual([]);
    expect(await slugs(q("saint-pol"))).toEqual(["c1"]);
  });

  it("never finds a campaign that is not public", async () => {
    expect(await slugs(q("secret"))).toEqual([]);
    for (const word of ["soumise", "refusee", "approuvee", "annulee"])
      expect(await slugs(q(word))).toEqual([]);
    const all = await slugs(q("epicerie"));
    for (const hidden of ["c5", "c6", "c7", "c8", "c9"]) expect(all).not.toContain(hidden);
  });

  it("combines the search with the filters", async () => {
    expect(await slugs(q("jardins", "&statut=reussies"))).toEqual(["c3"]);
    expect(new Set(await slugs(q("jardins", "&statut=en-cours")))).toEqual(new Set(["c10"]));
  });

  it("never fails on FTS syntax or odd characters, and cuts a very long query", async () => {
    for (const text of [
      '"',
      "*",
      "NEAR(epicerie",
      "title:verger",
      "a & b",
      "x | y",
      "!verger",
      "'); drop table",
      "«»",
      "\u0000",
    ]) {
      // at most one redirect to the canonical URL (« ! » or « ( » encoded, a query without words dropped), then a page
      let data;
      try {
        data = await request(q(text));
      } catch (error) {
        if (!(error instanceof Response) || error.status !== 302) throw error;
        data = await request(new URL(error.headers.get("location")!, "http://localhost").search);
      }
      expect(Array.isArray(data.list.items)).toBe(true);
    }
    expect(await slugs(q('"verger'))).toEqual(["c3"]);
    const long = await request(q(`${"verger ".repeat(40)}`.trim()));
    expect(long.cut).toBe(true);
    expect(long.list.items.map((c) => c.slug)).toEqual(["c3"]);
  });
});

describe("sorts", () => {
  it("« Se terminent bientôt »: running ones ending soonest first, then the latest ended", async () => {
    expect(await slugs("")).toEqual(["c10", "c2", "c1", "c3", "c4"]);
    expect(await slugs(q("ateliers cuisine village verger serre velos", ""))).toEqual([]);
  });

  it("« Les plus récentes »: latest start first", async () => {
    expect(await slugs("?tri=recentes")).toEqual(["c1", "c10", "c2", "c3", "c4"]);
  });

  it("« Les plus financées »: most collected first, ties by id", async () => {
    expect(await slugs("?tri=financees")).toEqual(["c1", "c2", "c3", "c10", "c4"]);
  });

  it("« Les plus proches de leur objectif »: running below goal by share, then reached, then ended", async () => {
    expect(await slugs("?tri=objectif")).toEqual(["c1", "c10", "c2", "c3", "c4"]);
  });

  it("sorts the results of a search too", async () => {
    expect(await slugs(q("epicerie", "&tri=fin"))).toEqual(["c2", "c1"]);
  });

  it("refuses an unknown sort with a French message", async () => {
    const response = await thrown(request("?tri=hasard"));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("tri inconnu");
  });
});

describe("canonical URLs", () => {
  it("redirects a form sent with empty fields or parameters out of order", async () => {
    const empty = await thrown(request("?q=&territoire=&theme=&statut=&tri="));
    expect(empty.status).toBe(302);
    expect(empty.headers.get("location")).toBe("/campagnes");
    const unordered = await thrown(request("?tri=recentes&q=++velos+&page=1"));
    expect(unordered.headers.get("location")).toBe("/campagnes?q=velos&tri=recentes");
  });

  it("gives the page the normalised URL as canonical", async () => {
    const data = await request("?q=velos&tri=recentes");
    expect(data.canonicalPath).toBe("/campagnes?q=velos&tri=recentes");
  });
});

describe("the index follows the writes", () => {
  it("finds an edited campaign by its new words, not its old ones", async () => {
    const { db } = database();
    await db
      .updateTable("campaigns")
      .set({ title: "Un potager collectif" })
      .where("id", "=", campaignIds.c3!)
      .execute();
    expect(await slugs(q("verger"))).toEqual([]);
    expect(await slugs(q("potager"))).toEqual(["c3"]);
    await db
      .updateTable("campaigns")
      .set({ story_md: "Des pommiers anciens." })
      .where("id", "=", campaignIds.c3!)
      .execute();
    expect(await slugs(q("pommiers"))).toEqual(["c3"]);
  });

  it("finds campaigns by their structure's new name and town", async () => {
    const { db } = database();
    await db
      .updateTable("organizations")
      .set({ name: "Terres Communes", town: "Bapaume" })
      .where("id", "=", orgIds.jardins!)
      .execute();
    expect(await slugs(q("jardins"))).toEqual([]);
    expect(await slugs(q("arras"))).toEqual([]);
    expect(new Set(await slugs(q("terres communes")))).toEqual(new Set(["c3", "c4", "c10"]));
    expect(new Set(await slugs(q("bapaume")))).toEqual(new Set(["c3", "c4", "c10"]));
  });

  it("finds a campaign once it goes live, and a deleted one no more", async () => {
    const { db } = database();
    expect(await slugs(q("approuvee"))).toEqual([]);
    await db.updateTable("campaigns").set({ status: "live" }).where("id", "=", campaignIds.c8!).execute();
    expect(await slugs(q("approuvee"))).toEqual(["c8"]);
    await db.updateTable("campaigns").set({ status: "approved" }).where("id", "=", campaignIds.c8!).execute();
    await db.deleteFrom("campaigns").where("id", "=", campaignIds.c5!).execute();
    await db.updateTable("campaigns").set({ status: "live" }).where("id", "in", [campaignIds.c6!]).execute();
    expect(await slugs(q("secret"))).toEqual([]);
    expect(await slugs(q("soumise"))).toEqual(["c6"]);
    await db
      .updateTable("campaigns")
      .set({ status: "submitted" })
      .where("id", "=", campaignIds.c6!)
      .execute();
  });
});
