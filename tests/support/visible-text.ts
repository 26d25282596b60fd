/**
 * The text a person reads (or hears) on a rendered HTML page: the body's text without scripts,
 * styles, code and form values, plus the title, the meta descriptions and the attributes read
 * aloud or shown (alt, title, aria-label, placeholder). Entities are decoded; block elements are
 * kept apart by U+2028 so that two blocks never read as one sentence.
 */
const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  laquo: "«",
  raquo: "»",
  rsquo: "’",
  hellip: "…",
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X"))
      return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const BLOCK =
  /^<\/?(p|div|li|ul|ol|dl|dt|dd|h[1-6]|tr|td|th|table|thead|tbody|caption|br|hr|section|header|footer|nav|main|article|aside|figure|figcaption|form|fieldset|legend|option|select|button|summary|details|blockquote|title|body)\b/i;
const SPOKEN = /\s(alt|title|aria-label|placeholder)="([^"]*)"/gi;

export function visibleText(html: string): string {
  const parts: string[] = [];
  const head = /<head\b[\s\S]*?<\/head>/i.exec(html)?.[0] ?? "";
  parts.push(/<title>([\s\S]*?)<\/title>/i.exec(head)?.[1] ?? "");
  for (const m of head.matchAll(/<meta\b[^>]*>/gi))
    if (
      /(name|property)="(description|og:title|og:description|twitter:title|twitter:description)"/i.test(m[0])
    )
      parts.push(/\scontent="([^"]*)"/i.exec(m[0])?.[1] ?? "");
  const body = html
    .replace(/<head\b[\s\S]*?<\/head>/i, "")
    .replace(/<(script|style|code|pre|textarea|template)\b[\s\S]*?<\/\1>/gi, "");
  const text = body.replace(/<[^>]*>/g, (tag) => {
    const spoken = [...tag.matchAll(SPOKEN)].map((m) => m[2]).filter((t) => t && t.trim() !== "");
    const input = /^<input\b/i.test(tag) && /\stype="(submit|button)"/i.test(tag);
    if (input) spoken.push(/\svalue="([^"]*)"/i.exec(tag)?.[1] ?? "");
    const separator = BLOCK.test(tag) ? "\u2028" : "";
    return spoken.length > 0 ? `${separator}\u2028${spoken.join("\u2028")}\u2028${separator}` : separator;
  });
  parts.push(text);
  return decodeEntities(parts.join("\u2028"));
}
