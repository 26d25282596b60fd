/**
 * French typography for the interface and the e-mails, in one place (docs/decisions/027-french-typography.md).
 * Pure functions.
 *
 * Spaces, after the Imprimerie nationale's Lexique:
 * - before « ; », « ! », « ? »: a narrow no-break space (U+202F, NNBSP);
 * - before « : » and inside « » (guillemets): a no-break space (U+00A0, NBSP);
 * - digit groups (1 250 €): a narrow no-break space, as Intl fr-FR writes them; NBSP before « € » and « % ».
 * Times: « 9 h », « 9 h 05 », « 23 h 59 » (NBSP on both sides of « h »). Dates: « 1er décembre 2026 »
 * (plain « 1er », which also reads well in plain-text e-mails and subjects), in Europe/Paris.
 * (Intl with the Europe/Paris zone, no library: this module also runs in the browser.)
 * Plurals: 0 and 1 are singular in French (« 0 contribution », « 1 contribution », « 2 contributions »).
 */
export const NBSP = "\u00a0";
export const NNBSP = "\u202f";
const PARIS = "Europe/Paris";

/**
 * Puts the right no-break space before « : ; ! ? » (replacing a plain or wrong space) and inside
 * « », and turns a straight apostrophe between letters into ’. Nothing is added where there was no
 * space (« https://… », « 23:59 », « ?page=2 » stay as they are).
 */
export function frenchText(text: string): string {
  return text
    .replace(/[ \u00a0\u202f]+:/g, `${NBSP}:`)
    .replace(/[ \u00a0\u202f]+([;!?])/g, `${NNBSP}$1`)
    .replace(/«[ \u00a0\u202f]*/g, `«${NBSP}`)
    .replace(/[ \u00a0\u202f]*»/g, `${NBSP}»`)
    .replace(/(\p{L})'(?=\p{L})/gu, "$1’");
}

/** « « Titre » » with no-break spaces inside the guillemets. */
export function quoted(text: string): string {
  return `«${NBSP}${text}${NBSP}»`;
}

/** The noun for `count`: plural(2, "contribution", "contributions"); 0 and 1 take the singular. */
export function plural(count: number, one: string, many: string): string {
  return Math.abs(count) < 2 ? one : many;
}

const integerFormat = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });

/** « 1 250 » with a narrow no-break space between digit groups. */
export function frenchInteger(value: number): string {
  return integerFormat.format(value);
}

/** A counted noun: countOf(0, "contribution", "contributions") → « 0 contribution », 1 250 → « 1 250 contributions ». */
export function countOf(count: number, one: string, many: string): string {
  return `${frenchInteger(count)} ${plural(count, one, many)}`;
}

const partsFormat = new Intl.DateTimeFormat("fr-FR", {
  timeZone: PARIS,
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "numeric",
  hourCycle: "h23",
});

interface ParisParts {
  day: number;
  month: string;
  year: string;
  hour: number;
  minute: number;
}

/**
 * The parts of instants already seen, by their milliseconds: a page lists the same contributions'
 * dates at each render, and `formatToParts` in a time zone is one of a render's larger costs. A
 * pure function of the instant, so a kept value is never stale; bounded by clearing.
 */
const seenParts = new Map<number, ParisParts>();

function paris(instant: Date | string): ParisParts {
  const date = typeof instant === "string" ? new Date(instant) : instant;
  const ms = date.getTime();
  const seen = seenParts.get(ms);
  if (seen) return seen;
  const parts = Object.fromEntries(partsFormat.formatToParts(date).map((p) => [p.type, p.value]));
  const out = {
    day: Number(parts.day),
    month: parts.month ?? "",
    year: parts.year ?? "",
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
  // An invalid date never gets here: formatToParts throws a RangeError for it.
  if (seenParts.size >= 5000) seenParts.clear();
  seenParts.set(ms, out);
  return out;
}

/** « 1er décembre 2026 », « 31 mars 2026 » (Europe/Paris). */
export function frenchDate(instant: Date | string): string {
  const d = paris(instant);
  return `${d.day === 1 ? "1er" : String(d.day)} ${d.month} ${d.year}`;
}

/** « 9 h », « 9 h 05 », « 23 h 59 » (Europe/Paris). */
export function frenchTime(instant: Date | string): string {
  const d = paris(instant);
  return d.minute === 0
    ? `${d.hour}${NBSP}h`
    : `${d.hour}${NBSP}h${NBSP}${String(d.minute).padStart(2, "0")}`;
}

/** « 1er décembre 2026 à 9 h 05 » (Europe/Paris). */
export function frenchDateTime(instant: Date | string): string {
  return `${frenchDate(instant)} à ${frenchTime(instant)}`;
}

const VERBATIM = /^<\/?(head|style|script|pre|code|title)\b/i;

/**
 * frenchText applied to the text between the tags of rendered HTML (an e-mail), never to tags and
 * attributes (addresses, styles) nor inside <head>, <style>, <script>, <pre> and <code>. React
 * writes the apostrophe of a text as « &#x27; »: between letters it becomes ’.
 */
export function frenchHtml(html: string): string {
  let verbatim = 0;
  return html.replace(/(<[^>]*>)|([^<]+)/g, (_m, tag: string | undefined, text: string | undefined) => {
    if (tag !== undefined) {
      if (VERBATIM.test(tag) && !tag.endsWith("/>")) verbatim += tag.startsWith("</") ? -1 : 1;
      return tag;
    }
    if (verbatim > 0 || text === undefined) return text ?? "";
    return frenchText(text.replace(/(\p{L})&#x27;(?=\p{L})/gu, "$1'"));
  });
}

/** What may follow « : ; ! ? » in French text: a space, the end, or closing punctuation. */
const AFTER_SIGN = String.raw`(?=[\s\u00a0\u202f»)\]”"'’.,…]|$)`;
/** A word (letter or digit) or a closing sign right before the spaces, then the sign. */
const BEFORE_SIGN = String.raw`[\p{L}\p{N})\]»”’%€]`;
const CHECKS: Array<{ rule: string; pattern: RegExp }> = [
  {
    rule: "espace ordinaire avant « : ; ! ? »",
    pattern: new RegExp(String.raw`${BEFORE_SIGN}[ \t\r\n]+[:;!?]${AFTER_SIGN}`, "gu"),
  },
  {
    rule: "aucune espace avant « : ; ! ? »",
    pattern: new RegExp(String.raw`\p{L}[:;!?]+${AFTER_SIGN}`, "gu"),
  },
  {
    rule: "espace insécable (U+00A0) avant « ; ! ? » au lieu de l’espace fine (U+202F)",
    pattern: new RegExp(String.raw`${BEFORE_SIGN}\u00a0[;!?]${AFTER_SIGN}`, "gu"),
  },
  {
    rule: "espace fine (U+202F) avant « : » au lieu de l’espace insécable (U+00A0)",
    pattern: new RegExp(String.raw`${BEFORE_SIGN}\u202f:${AFTER_SIGN}`, "gu"),
  },
  { rule: "« sans espace insécable après", pattern: /«(?!\u00a0)/gu },
  { rule: "» sans espace insécable avant", pattern: /(?<!\u00a0)»/gu },
  { rule: "apostrophe droite entre deux lettres", pattern: /\p{L}'\p{L}/gu },
];

/** Proper nouns spelt their own way: the name of the Département's platform is « Propulsons! ». */
const SPELT_AS_IS = /Propulsons!/gu;

/**
 * Where `text` (visible text, entities decoded) breaks the rules above, each with the snippet
 * around it (spaces shown as ⍽ ordinary, ⎵ no-break, ˽ narrow no-break; ⏎ between two blocks).
 * The check of every page (tests/http/typography.test.ts). Not flagged: times (« 14:30 »),
 * addresses (« https:// », « ?page=2 »), « Propulsons! ».
 */
export function typographyProblems(text: string): string[] {
  const checked = text.replace(SPELT_AS_IS, (name) => name.replace("!", "\u202f!"));
  const found: string[] = [];
  for (const { rule, pattern } of CHECKS)
    for (const m of checked.matchAll(pattern)) {
      const at = m.index;
      const snippet = checked
        .slice(Math.max(0, at - 30), at + m[0].length + 15)
        .replace(/\s*[\n\u2028]\s*/g, " ⏎ ")
        .replace(/ /g, "⍽")
        .replace(/\u00a0/g, "⎵")
        .replace(/\u202f/g, "˽");
      found.push(`${rule} — …${snippet}…`);
    }
  return found;
}
