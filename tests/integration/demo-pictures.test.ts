/**
 * The demo campaigns' pictures: drawn from the theme, one per campaign, stored in the
 * file storage, recorded with a French text alternative; a second pass changes nothing
 * and draws nothing. Runs on SQLite and (npm run test:pg) on PostgreSQL.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { seedCampaigns } from "#db/seed/campaigns";
import { demoPicture, seedDemoPictures } from "#db/seed/pictures";
import { seedDatabase } from "#db/seed/seed";
import { PUBLIC_PAGES, sitemapEntries } from "~/seo/sitemap.server";
import { SEED_NOW, tempDatabasePath } from "../support/db";

let database: Database;
let cleanup: () => void;
let uploads: string;

beforeAll(async () => {
  uploads = fs.mkdtempSync(path.join(os.tmpdir(), "demo-pictures-"));
  // read by config() on its first call (storage() below)
  process.env.UPLOADS_DIR = uploads;
  const tmp = tempDatabasePath("demo-pictures");
  cleanup = tmp.cleanup;
  database = openDatabase(tmp.file);
  await migrateToLatest(database.db);
  await seedDatabase(database.db, { now: SEED_NOW });
});

afterAll(async () => {
  await database?.close();
  cleanup?.();
  fs.rmSync(uploads, { recursive: true, force: true });
});

describe("demo pictures", () => {
  it("draws each campaign from its theme, without text, and says what is drawn", () => {
    const a = demoPicture(seedCampaigns[0]!);
    expect(demoPicture(seedCampaigns[0]!)).toEqual(a);
    expect(a.svg).not.toContain("<text");
    expect(a.alt).toBe(
      `Illustration du projet «\u00a0${seedCampaigns[0]!.title}\u00a0»\u00a0: des flèches en cercle autour d’un objet réparé, sur fond vert olive.`,
    );
    // Two campaigns of the same theme get different drawings.
    const sameTheme = seedCampaigns.filter((c) => c.theme === "culture");
    expect(sameTheme.length).toBeGreaterThan(1);
    expect(demoPicture(sameTheme[0]!).svg).not.toBe(demoPicture(sameTheme[1]!).svg);
  });

  it("gives every demo campaign its stored picture once", async () => {
    expect(await seedDemoPictures(database.db)).toBe(seedCampaigns.length);
    const rows = await database.db
      .selectFrom("campaigns")
      .select(["slug", "image_path", "image_alt"])
      .orderBy("id")
      .execute();
    expect(rows).toHaveLength(seedCampaigns.length);
    for (const r of rows) {
      expect(r.image_path, r.slug).toMatch(/^c\d+-[a-f0-9]{16}\.webp$/);
      expect(r.image_alt, r.slug).toBe(demoPicture(seedCampaigns.find((c) => c.slug === r.slug)!).alt);
      const file = path.join(uploads, "campagnes", r.image_path!);
      expect(await sharp(file).metadata(), r.slug).toMatchObject({
        format: "webp",
        width: 1200,
        height: 630,
      });
    }
    const files = fs.readdirSync(path.join(uploads, "campagnes"));
    expect(files).toHaveLength(seedCampaigns.length);

    // Again: nothing to do, nothing rewritten.
    const before = files.map((f) => fs.statSync(path.join(uploads, "campagnes", f)).mtimeMs);
    expect(await seedDemoPictures(database.db)).toBe(0);
    expect(
      fs
        .readdirSync(path.join(uploads, "campagnes"))
        .map((f) => fs.statSync(path.join(uploads, "campagnes", f)).mtimeMs),
    ).toEqual(before);
  });

  it("leaves alone a picture the holder chose, and campaigns that are not the demo's", async () => {
    const first = seedCampaigns[0]!.slug;
    await database.db
      .updateTable("campaigns")
      .set({ image_path: "c1-0123456789abcdef.webp", image_alt: "Une photo choisie" })
      .where("slug", "=", first)
      .execute();
    expect(await seedDemoPictures(database.db)).toBe(0);
    const row = await database.db
      .selectFrom("campaigns")
      .select(["image_path", "image_alt"])
      .where("slug", "=", first)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ image_path: "c1-0123456789abcdef.webp", image_alt: "Une photo choisie" });
  });

  it("the sitemap lists the public campaigns only, with their last change", async () => {
    const entries = await sitemapEntries(database.db, "https://a.example");
    const shown = seedCampaigns.filter((c) => c.outcome !== "submitted");
    expect(entries.map((e) => e.loc)).toEqual([
      ...PUBLIC_PAGES.map((p) => `https://a.example${p}`),
      ...shown.map((c) => `https://a.example/campagnes/${c.slug}`),
    ]);
    for (const e of entries.slice(PUBLIC_PAGES.length)) expect(e.lastmod).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
