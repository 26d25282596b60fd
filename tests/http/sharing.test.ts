/**
 * What search engines and sharing services read: robots.txt, sitemap.xml (public
 * campaigns only), the Open Graph / Twitter tags of a campaign page with a picture
 * that really answers, one description and one canonical URL per page, the icons;
 * and every demo campaign has its picture.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { parseDocument } from "htmlparser2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCampaigns } from "#db/seed/campaigns";
import { PUBLIC_PAGES } from "~/seo/sitemap.server";
import { tempDatabasePath } from "../support/db";
import { freePort, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let tmp: ReturnType<typeof tempDatabasePath>;
let uploads: string;
/** a public address other than the server's own, to see that links are built from PUBLIC_URL */
const PUBLIC = "https://propulsons.example.org";

const db = () => new SQLite(tmp.file);

beforeAll(async () => {
  tmp = tempDatabasePath("sharing");
  uploads = fs.mkdtempSync(path.join(os.tmpdir(), "sharing-uploads-"));
  const port = await freePort();
  server = await startServer(
    { DATABASE_PATH: tmp.file, UPLOADS_DIR: uploads, PUBLIC_URL: PUBLIC, SETTLE_INTERVAL_SECONDS: "0" },
    { port },
  );
});

afterAll(async () => {
  await server?.stop();
  tmp?.cleanup();
  if (uploads) fs.rmSync(uploads, { recursive: true, force: true });
});

type Tag = { name: string; attribs: Record<string, string> };

/** Every element of the page's <head>, in order. */
function headTags(html: string): Tag[] {
  const doc = parseDocument(html);
  const out: Tag[] = [];
  const walk = (nodes: unknown[], inHead: boolean) => {
    for (const n of nodes as Array<{
      type: string;
      name?: string;
      attribs?: Record<string, string>;
      children?: unknown[];
    }>) {
      if (n.type !== "tag" && n.type !== "script" && n.type !== "style") continue;
      const head = inHead || n.name === "head";
      if (inHead) out.push({ name: n.name ?? "", attribs: n.attribs ?? {} });
      if (n.children) walk(n.children, head);
    }
  };
  walk(doc.children, false);
  return out;
}

const metaContent = (tags: Tag[], key: string) =>
  tags
    .filter((t) => t.name === "meta" && (t.attribs.property === key || t.attribs.name === key))
    .map((t) => t.attribs.content);

async function page(pathname: string) {
  const res = await fetch(`${server.url}${pathname}`);
  expect(res.status, pathname).toBe(200);
  return headTags(await res.text());
}

describe("robots.txt", () => {
  it("keeps crawlers out of the personal and team areas and points to the sitemap", async () => {
    const res = await fetch(`${server.url}/robots.txt`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const lines = (await res.text()).split("\n");
    expect(lines[0]).toBe("User-agent: *");
    for (const p of ["/gestion", "/porteur", "/mon-compte", "/connexion", "/demo", "/dev"])
      expect(lines).toContain(`Disallow: ${p}`);
    expect(lines).not.toContain("Disallow: /");
    expect(lines).toContain(`Sitemap: ${PUBLIC}/sitemap.xml`);
  });
});

describe("sitemap.xml", () => {
  it("lists the public pages and the public campaigns only, with absolute URLs and lastmod", async () => {
    // A draft, never public: it must not be listed.
    const conn = db();
    const some = conn.prepare("select * from campaigns order by id limit 1").get() as Record<string, unknown>;
    conn
      .prepare(
        `insert into campaigns (organization_id, slug, title, summary, story_md, goal_cents, starts_at, ends_at,
           territory_id, theme_id, budget_citoyen_year, expected_results_md, timetable_md, image_path, image_alt,
           status, featured, created_at, updated_at)
         values (?, 'un-brouillon-secret', 'Un brouillon', '', '', 100000, ?, ?, ?, ?, null, '', '', null, null,
           'draft', 0, ?, ?)`,
      )
      .run(
        some.organization_id,
        some.starts_at,
        some.ends_at,
        some.territory_id,
        some.theme_id,
        some.created_at,
        some.updated_at,
      );
    conn.close();

    const res = await fetch(`${server.url}/sitemap.xml`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    const xml = await res.text();
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const urls = [...xml.matchAll(/<url><loc>([^<]+)<\/loc>(?:<lastmod>([^<]+)<\/lastmod>)?<\/url>/g)].map(
      (m) => ({ loc: m[1]!, lastmod: m[2] }),
    );
    const locs = urls.map((u) => u.loc);
    for (const p of PUBLIC_PAGES) expect(locs).toContain(`${PUBLIC}${p === "/" ? "/" : p}`);
    const shown = seedCampaigns.filter((c) => c.outcome !== "submitted");
    const waiting = seedCampaigns.filter((c) => c.outcome === "submitted");
    expect(waiting.length).toBeGreaterThan(0);
    for (const c of shown) {
      const entry = urls.find((u) => u.loc === `${PUBLIC}/campagnes/${c.slug}`);
      expect(entry, c.slug).toBeDefined();
      expect(entry!.lastmod).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    for (const c of waiting) expect(locs).not.toContain(`${PUBLIC}/campagnes/${c.slug}`);
    expect(xml).not.toContain("un-brouillon-secret");
    expect(urls).toHaveLength(PUBLIC_PAGES.length + shown.length);
    // Every listed page answers.
    for (const loc of locs) {
      const r = await fetch(loc.replace(PUBLIC, server.url));
      expect(r.status, loc).toBe(200);
      await r.arrayBuffer();
    }
  });
});

describe("sharing tags", () => {
  it("a campaign page has its Open Graph and Twitter tags, with a picture that answers", async () => {
    const c = seedCampaigns.find((x) => x.outcome === "live")!;
    const tags = await page(`/campagnes/${c.slug}`);
    const canonical = tags.filter((t) => t.name === "link" && t.attribs.rel === "canonical");
    expect(canonical.map((t) => t.attribs.href)).toEqual([`${PUBLIC}/campagnes/${c.slug}`]);
    expect(metaContent(tags, "og:url")).toEqual([`${PUBLIC}/campagnes/${c.slug}`]);
    expect(metaContent(tags, "og:title")).toEqual([c.title]);
    expect(metaContent(tags, "og:type")).toEqual(["article"]);
    expect(metaContent(tags, "og:locale")).toEqual(["fr_FR"]);
    expect(metaContent(tags, "description")).toEqual([c.summary]);
    expect(metaContent(tags, "og:description")).toEqual([c.summary]);
    expect(metaContent(tags, "twitter:card")).toEqual(["summary_large_image"]);
    expect(metaContent(tags, "twitter:title")).toEqual([c.title]);
    const [image] = metaContent(tags, "og:image");
    expect(image).toMatch(new RegExp(`^${PUBLIC}/images/campagnes/c\\d+-[a-f0-9]{16}\\.webp$`));
    expect(metaContent(tags, "twitter:image")).toEqual([image]);
    const [alt] = metaContent(tags, "og:image:alt");
    expect(alt).toContain(c.title);
    const picture = await fetch(image!.replace(PUBLIC, server.url));
    expect(picture.status).toBe(200);
    expect(picture.headers.get("content-type")).toMatch(/^image\//);
    const bytes = Buffer.from(await picture.arrayBuffer());
    const sharp = (await import("sharp")).default;
    expect(await sharp(bytes).metadata()).toMatchObject({ format: "webp", width: 1200, height: 630 });
  });

  it("every page has one title, one description and one canonical URL without its query string", async () => {
    const live = seedCampaigns.find((x) => x.outcome === "live")!;
    for (const [p, canonical] of [
      ["/", `${PUBLIC}/`],
      ["/campagnes", `${PUBLIC}/campagnes`],
      ["/accessibilite", `${PUBLIC}/accessibilite`],
      ["/rapport-annuel?annee=2024", `${PUBLIC}/rapport-annuel`],
      ["/proposer-un-projet", `${PUBLIC}/proposer-un-projet`],
      ["/connexion", `${PUBLIC}/connexion`],
      [`/campagnes/${live.slug}/contributeurs`, `${PUBLIC}/campagnes/${live.slug}/contributeurs`],
    ] as const) {
      const tags = await page(p);
      expect(
        tags.filter((t) => t.name === "title"),
        p,
      ).toHaveLength(1);
      const descriptions = metaContent(tags, "description");
      expect(descriptions, p).toHaveLength(1);
      expect(descriptions[0]!.length, p).toBeGreaterThan(40);
      if (p !== "/campagnes") {
        // the list's canonical URL (with its filters) is the search's to decide
        const links = tags.filter((t) => t.name === "link" && t.attribs.rel === "canonical");
        expect(
          links.map((t) => t.attribs.href),
          p,
        ).toEqual([canonical]);
      }
      expect(metaContent(tags, "og:site_name"), p).toEqual(["Propulsons"]);
    }
  });

  it("an error page has no canonical URL nor sharing tags, and is not indexed", async () => {
    for (const p of ["/une/page/inconnue", "/campagnes/nexiste-pas"]) {
      const res = await fetch(`${server.url}${p}`);
      expect(res.status, p).toBe(404);
      const tags = headTags(await res.text());
      expect(
        tags.filter((t) => t.name === "link" && t.attribs.rel === "canonical"),
        p,
      ).toEqual([]);
      expect(metaContent(tags, "og:url"), p).toEqual([]);
      expect(metaContent(tags, "robots"), p).toEqual(["noindex"]);
      expect(metaContent(tags, "description"), p).toHaveLength(1);
    }
  });
});

describe("icons", () => {
  it("serves favicon.ico and the Apple touch icon, and every page links them", async () => {
    const ico = await fetch(`${server.url}/favicon.ico`);
    expect(ico.status).toBe(200);
    const icoBytes = Buffer.from(await ico.arrayBuffer());
    // ICO header: reserved 0, type 1 (icon), at least one image
    expect([icoBytes.readUInt16LE(0), icoBytes.readUInt16LE(2)]).toEqual([0, 1]);
    expect(icoBytes.readUInt16LE(4)).toBeGreaterThanOrEqual(1);
    const apple = await fetch(`${server.url}/apple-touch-icon.png`);
    expect(apple.status).toBe(200);
    expect(apple.headers.get("content-type")).toBe("image/png");
    const sharp = (await import("sharp")).default;
    expect(await sharp(Buffer.from(await apple.arrayBuffer())).metadata()).toMatchObject({
      width: 180,
      height: 180,
    });
    const tags = await page("/");
    const rels = tags.filter((t) => t.name === "link").map((t) => `${t.attribs.rel} ${t.attribs.href}`);
    expect(rels).toContain("icon /favicon.ico");
    expect(rels).toContain("apple-touch-icon /apple-touch-icon.png");
  });
});

describe("demo pictures", () => {
  it("every demo campaign has a stored picture with a French text alternative, shown on the cards", async () => {
    const rows = db()
      .prepare(
        "select slug, image_path, image_alt from campaigns where slug in (" +
          seedCampaigns.map(() => "?").join(",") +
          ")",
      )
      .all(...seedCampaigns.map((c) => c.slug)) as Array<{
      slug: string;
      image_path: string | null;
      image_alt: string | null;
    }>;
    expect(rows).toHaveLength(seedCampaigns.length);
    for (const r of rows) {
      expect(r.image_path, r.slug).toMatch(/^c\d+-[a-f0-9]{16}\.webp$/);
      expect(r.image_alt, r.slug).toMatch(
        /^Illustration du projet «\u00a0.+\u00a0»\u00a0: .+, sur fond .+\.$/,
      );
      expect(fs.existsSync(path.join(uploads, "campagnes", r.image_path!)), r.slug).toBe(true);
    }
    const home = await (await fetch(`${server.url}/`)).text();
    const cards = [...home.matchAll(/<article class="card">\s*<img src="([^"]+)" alt="([^"]+)"/g)];
    expect(cards.length).toBeGreaterThan(0);
    for (const [, src] of cards) expect(rows.map((r) => `/images/campagnes/${r.image_path}`)).toContain(src);
  });
});
