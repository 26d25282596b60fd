/**
 * Markdown written by project holders, rendered to safe HTML: markdown-it with
 * raw HTML disabled, then an allow-list sanitiser (sanitize-html) as a second
 * barrier. No script, no event handler, no javascript: URL survives.
 */
import { LRUCache } from "lru-cache";
import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [
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
  ],
  allowedAttributes: { a: ["href", "title", "rel", "target"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  transformTags: {
    // Headings in a story sit under the page's own h2 sections.
    h1: "h3",
    h2: "h3",
    a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow" }),
  },
};

/**
 * Rendered HTML by source text: the same story is rendered again on every render of its page
 * (under a stream of payments, many times a second). A pure function of its source, so a cached
 * result is never stale; bounded by total size.
 */
const rendered = new LRUCache<string, string>({
  maxSize: 8 * 1024 * 1024,
  // lru-cache wants a positive size: an empty text (a draft's empty section) counts 1.
  sizeCalculation: (html, source) => html.length + source.length + 1,
});

export function renderMarkdown(source: string): string {
  let html = rendered.get(source);
  if (html === undefined) {
    html = sanitizeHtml(md.render(source), ALLOWED);
    rendered.set(source, html);
  }
  return html;
}
