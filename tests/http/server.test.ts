/**
 * HTTP-level tests against the built server (build/index.js), as a browser
 * without JavaScript sees it. `npm test` builds first.
 */
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCampaigns } from "#db/seed/campaigns";
import { formatEuros } from "~/domain/format";
import { tempDatabasePath } from "../support/db";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let tmp: ReturnType<typeof tempDatabasePath>;
let liveSlug: string;
let liveId: number;

beforeAll(async () => {
  tmp = tempDatabasePath("http");
  server = await startServer({ DATABASE_PATH: tmp.file });
  const db = new SQLite(tmp.file, { readonly: true });
  const row = db
    .prepare("select id, slug from campaigns where status = 'live' order by ends_at desc limit 1")
    .get() as { id: number; slug: string };
  db.close();
  liveSlug = row.slug;
  liveId = row.id;
});

afterAll(async () => {
  await server?.stop();
  tmp?.cleanup();
});

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, { headers, redirect: "manual" });
  return { res, body: await res.text() };
}

/** The collected total shown in the campaign page's panel, in cents. */
function collectedOnPage(html: string): number {
  const m = html.match(/class="panel__big">([^<]+)</);
  if (!m) throw new Error("no collected amount on the page");
  const text = m[1]!.replace(/[\s\u202f\u00a0€]/g, "");
  const [euros, cents = "0"] = text.split(",");
  return Number(euros) * 100 + Number(cents.padEnd(2, "0"));
}

describe("the built server", () => {
  it("serves the home page in French with the seeded figures", async () => {
    const { res, body } = await get("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(body).toMatch(/^<!DOCTYPE html><html lang="fr">/);
    expect(body).toContain("Propulsez les projets solidaires du Pas-de-Calais");
    // « collectés par les projets propulsés »: the funded campaigns' money net of refunds (ADR 026),
    // not everything the seed's campaigns received (89 683 €, failed and running ones included)
    expect(body).toContain("56\u202f938\u00a0€");
    expect(body).not.toContain(
      formatEuros(seedCampaigns.reduce((sum, c) => sum + c.collectedEuros * 100, 0)),
    );
    expect(body).toContain("projets propulsés");
    expect(body).toContain("Mode démonstration — aucun paiement réel.");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("serves the list with filters from the URL, without JavaScript", async () => {
    const { res, body } = await get("/campagnes?territoire=boulonnais");
    expect(res.status).toBe(200);
    expect(body).toContain("3 projets trouvés");
    expect(body).toContain('<option value="boulonnais" selected="">Boulonnais</option>');
  });

  it("serves a campaign page server-rendered, never with an email address", async () => {
    const { res, body } = await get(`/campagnes/${liveSlug}`);
    expect(res.status).toBe(200);
    expect(body).toContain("À quoi servira l’argent");
    expect(body).toMatch(/Commission de la plateforme\u00a0: <strong>(3|0)\u00a0%<\/strong>/);
    expect(body).not.toMatch(/@example\.org/);
  });

  it("answers French 404 and 400 pages with the right status", async () => {
    const missing = await get("/campagnes/nexiste-pas");
    expect(missing.res.status).toBe(404);
    expect(missing.body).toContain("Page introuvable");
    const nowhere = await get("/une/page/inconnue");
    expect(nowhere.res.status).toBe(404);
    expect(nowhere.body).toContain('<html lang="fr">');
    const bad = await get("/campagnes?statut=ouvertes");
    expect(bad.res.status).toBe(400);
    expect(bad.body).toContain("Filtre «\u00a0statut\u00a0»\u00a0: statut inconnu");
  });

  it("serves static assets with long-lived caching", async () => {
    const { body } = await get("/");
    const css = body.match(/href="(\/build\/_assets\/app-[^"]+\.css)"/);
    expect(css).not.toBeNull();
    const res = await fetch(server.url + css![1]);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("immutable");
  });

  it("caches pages but shows a newly paid contribution from the next request on", async () => {
    const path = `/campagnes/${liveSlug}`;
    await get(path);
    const cached = await get(path);
    expect(cached.res.headers.get("x-page-cache")).toBe("hit");
    const before = collectedOnPage(cached.body);

    // Another connection (as the webhook handler or the settle command would) records a payment.
    const db = new SQLite(tmp.file);
    const now = new Date().toISOString();
    db.prepare(
      `insert into contributions (campaign_id, email, public_name, amount_cents, reward_id, anonymous, hide_amount, message, status, created_at, paid_at, updated_at)
       values (?, 'fraicheur@example.org', 'Fraîcheur F.', 4242, null, 0, 0, null, 'paid', ?, ?, ?)`,
    ).run(liveId, now, now, now);
    db.close();

    const after = await get(path);
    expect(after.res.headers.get("x-page-cache")).toBe("miss");
    expect(collectedOnPage(after.body)).toBe(before + 4242);
    expect(after.body).toContain("Fraîcheur F.");
  });

  it("opening a checkout on a campaign leaves the other campaigns' pages cached", async () => {
    // During a launch hundreds of citizens open a checkout: each says which page it changes
    // (its campaign's: a reward unit held), instead of invalidating every page.
    const db = new SQLite(tmp.file, { readonly: true });
    const other = db
      .prepare("select slug from campaigns where status = 'live' and id <> ? order by id limit 1")
      .get(liveId) as { slug: string };
    db.close();
    await get(`/campagnes/${other.slug}`);
    expect((await get(`/campagnes/${other.slug}`)).res.headers.get("x-page-cache")).toBe("hit");
    const res = await fetch(`${server.url}/campagnes/${liveSlug}`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({
        montant: "12,00",
        contrepartie: "",
        email: "ouvre@example.org",
        nom: "Ouvre O.",
      }),
    });
    await res.arrayBuffer();
    expect(res.status).toBe(303);
    expect((await get(`/campagnes/${other.slug}`)).res.headers.get("x-page-cache")).toBe("hit");
  });

  it("keeps its data across restarts and seeds only once", async () => {
    await server.stop();
    server = await startServer({ DATABASE_PATH: tmp.file });
    const db = new SQLite(tmp.file, { readonly: true });
    const counts = db
      .prepare(
        "select (select count(*) from campaigns) c, (select count(*) from contributions where email = 'fraicheur@example.org') f",
      )
      .get() as { c: number; f: number };
    db.close();
    expect(counts).toEqual({ c: seedCampaigns.length, f: 1 });
    const { res } = await get("/");
    expect(res.status).toBe(200);
  });

  it("refuses to start in production without real keys", async () => {
    const other = tempDatabasePath("prod");
    try {
      await expect(startServer({ DATABASE_PATH: other.file, PROPULSONS_ENV: "production" })).rejects.toThrow(
        /PROPULSONS_ENV=production needs real keys; missing: STRIPE_SECRET_KEY/,
      );
    } finally {
      other.cleanup();
    }
  });

  it("refuses to start with a retention period or a tax-receipt setting it cannot read", async () => {
    for (const [name, value] of [
      ["RETENTION_ACCOUNTING_YEARS", "six"],
      ["RECEIPT_REWARD_CAP_EUROS", "-5"],
    ] as const) {
      const other = tempDatabasePath("bad-setting");
      try {
        await expect(startServer({ DATABASE_PATH: other.file, [name]: value }), name).rejects.toThrow(name);
      } finally {
        other.cleanup();
      }
    }
  });
});
