import { parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "~/markdown.server";

interface Node {
  name?: string;
  attribs?: Record<string, string>;
  children?: Node[];
}

/** Every element of the rendered HTML, as an HTML parser sees it. */
function elements(html: string): Array<{ name: string; attribs: Record<string, string> }> {
  const out: Array<{ name: string; attribs: Record<string, string> }> = [];
  const walk = (nodes: Node[]) => {
    for (const node of nodes) {
      if (node.name) out.push({ name: node.name, attribs: node.attribs ?? {} });
      if (node.children) walk(node.children);
    }
  };
  walk(parseDocument(html).children as unknown as Node[]);
  return out;
}

const ALLOWED_TAGS = new Set([
  "p",
  "br",
  "strong",
  "em",
  "ul",
  "ol",
  "li",
  "a",
  "h2",
  "h3",
  "h4",
  "blockquote",
  "code",
  "pre",
  "hr",
]);

const PAYLOADS = [
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  "[clic](javascript:alert(1))",
  "[clic](JaVaScRiPt:alert(1))",
  "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  '<a href="javascript:alert(1)">x</a>',
  "<iframe src=//evil.example></iframe>",
  '<svg onload="alert(1)"></svg>',
  '![x](x" onerror="alert(1))',
  "![x](javascript:alert(1))",
  '<div style="background:url(javascript:alert(1))">x</div>',
  "<<script>script>alert(1)<</script>/script>",
  "[a](vbscript:msgbox(1))",
  "[a](&#106;avascript:alert(1))",
  "<details open ontoggle=alert(1)>",
];

describe("Markdown from holders", () => {
  it("renders an empty text (a draft's empty section) as nothing, again and again", () => {
    expect(renderMarkdown("")).toBe("");
    expect(renderMarkdown("")).toBe("");
    expect(renderMarkdown("   ")).toBe("");
  });

  it("renders the same text the same way the second time (from its cache)", () => {
    const source = "Un **atelier** partagé.";
    expect(renderMarkdown(source)).toBe("<p>Un <strong>atelier</strong> partagé.</p>\n");
    expect(renderMarkdown(source)).toBe("<p>Un <strong>atelier</strong> partagé.</p>\n");
  });

  it("renders the usual formatting", () => {
    const html = renderMarkdown(
      "## Notre projet\n\nUn **four** et une *presse*.\n\n- un\n- deux\n\n[Site](https://exemple.fr)",
    );
    expect(html).toContain("<h3>Notre projet</h3>");
    expect(html).toContain("<strong>four</strong>");
    expect(html).toContain("<em>presse</em>");
    expect(html).toContain("<li>un</li>");
    expect(html).toContain('<a href="https://exemple.fr" rel="noopener noreferrer nofollow">Site</a>');
  });

  it("the checker itself sees dangerous elements (the test below is not vacuous)", () => {
    const found = elements('<p><img src=x onerror="alert(1)"><a href="javascript:x">a</a></p>');
    expect(found.map((e) => e.name)).toEqual(["p", "img", "a"]);
    expect(found[1]!.attribs.onerror).toBe("alert(1)");
  });

  it.each(PAYLOADS)("neutralises %s", (payload) => {
    const html = renderMarkdown(payload);
    for (const el of elements(html)) {
      expect(ALLOWED_TAGS.has(el.name), `unexpected <${el.name}> in ${html}`).toBe(true);
      for (const [attr, value] of Object.entries(el.attribs)) {
        expect(["href", "title", "rel", "target"], `unexpected attribute ${attr}`).toContain(attr);
        if (attr === "href") expect(value).toMatch(/^(https?:|mailto:)/i);
      }
    }
  });
});
