/**
 * Markdown written by project holders, rendered to safe HTML: markdown-it with
 * raw HTML disabled, then an allow-list sanitiser (sanitize-html) as a second
 * barrier. No script, no event handler, no javascript: URL survives.
 */
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

export function renderMarkdown(source: string): string {
  return sanitizeHtml(md.render(source), ALLOWED);
}
