/** The page-tag helpers and the share links: absolute URLs, encoding, short descriptions. */
import { describe, expect, it } from "vitest";
import { absoluteUrl, canonicalLink, seoMeta, shortDescription } from "~/seo/meta";
import { shareLinks } from "~/seo/share";
import { robotsTxt, sitemapXml } from "~/seo/sitemap.server";

describe("absoluteUrl", () => {
  it("joins with one slash and keeps absolute addresses", () => {
    expect(absoluteUrl("https://a.example/", "/campagnes")).toBe("https://a.example/campagnes");
    expect(absoluteUrl("https://a.example", "campagnes")).toBe("https://a.example/campagnes");
    expect(absoluteUrl("https://a.example", "/")).toBe("https://a.example/");
    expect(absoluteUrl("https://a.example", "https://cdn.example/x.webp")).toBe("https://cdn.example/x.webp");
  });
});

describe("seoMeta", () => {
  it("gives the title, description, canonical and sharing tags, the picture made absolute", () => {
    const tags = seoMeta({
      title: "Un projet",
      description: "Un résumé.",
      base: "https://a.example",
      path: "/campagnes/un-projet",
      image: { src: "/images/campagnes/c1-0123456789abcdef.webp", alt: "Une image" },
      type: "article",
    });
    expect(tags).toContainEqual({ title: "Un projet — Propulsons" });
    expect(tags).toContainEqual(canonicalLink("https://a.example/campagnes/un-projet"));
    expect(tags).toContainEqual({
      property: "og:image",
      content: "https://a.example/images/campagnes/c1-0123456789abcdef.webp",
    });
    expect(tags).toContainEqual({ name: "twitter:card", content: "summary_large_image" });
    expect(tags.filter((t) => "name" in t && t.name === "description")).toEqual([
      { name: "description", content: "Un résumé." },
    ]);
  });

  it("without a picture, shares the platform's mark as a small card", () => {
    const tags = seoMeta({ title: "T", description: "D", base: "https://a.example", path: "/" });
    expect(tags).toContainEqual({ property: "og:image", content: "https://a.example/apple-touch-icon.png" });
    expect(tags).toContainEqual({ name: "twitter:card", content: "summary" });
  });
});

describe("shortDescription", () => {
  it("keeps a short text, cuts a long one at a word", () => {
    expect(shortDescription("  Un   texte\ncourt. ")).toBe("Un texte court.");
    const long = "mot ".repeat(100);
    const cut = shortDescription(long, 50);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut.endsWith("mot…")).toBe(true);
  });
});

describe("shareLinks", () => {
  it("encodes the address and the text in every link", () => {
    const url = "https://a.example/campagnes/l-été?x=1&y=2";
    const links = shareLinks(url, "L’été « solidaire » & co");
    const encoded = encodeURIComponent(url);
    expect(links.map((l) => l.service)).toEqual(["email", "facebook", "linkedin", "whatsapp", "x"]);
    for (const l of links) {
      expect(l.href).not.toContain(url);
      expect(l.href).not.toContain(" ");
    }
    expect(links[1]!.href).toBe(`https://www.facebook.com/sharer/sharer.php?u=${encoded}`);
    expect(new URL(links[4]!.href).searchParams.get("url")).toBe(url);
    expect(new URL(links[4]!.href).searchParams.get("text")).toBe(
      "L’été « solidaire » & co — un projet à soutenir sur Propulsons",
    );
    expect(links.filter((l) => l.newWindow).map((l) => l.service)).toEqual([
      "facebook",
      "linkedin",
      "whatsapp",
      "x",
    ]);
  });
});

describe("robots.txt and sitemap.xml", () => {
  it("escape what they print", () => {
    expect(robotsTxt("https://a.example/")).toContain("Sitemap: https://a.example/sitemap.xml");
    expect(sitemapXml([{ loc: "https://a.example/?a=1&b=2" }])).toContain(
      "<loc>https://a.example/?a=1&#38;b=2</loc>",
    );
  });
});
