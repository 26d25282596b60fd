/**
 * Amounts in French words, as printed on a tax receipt (Cerfa 11580*05: « somme en toutes
 * lettres »). The cardinal numbers come from n2words (fr-FR), which follows the 1990 spelling
 * rules we need (« vingt et un », « quatre-vingts » but « quatre-vingt-un », « deux cents » but
 * « deux cent un », « mille » invariable); the currency words are ours, because n2words writes
 * « un million euros » where French says « un million d’euros ». Pure; tested from 0 to
 * 1 000 000 € with cents (tests/unit/receipt-words.test.ts).
 */
import { toCardinal } from "n2words/fr-FR";

/** Words of a whole number of euros or centimes (0 … 10^15). */
export function numberInWords(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a whole amount: ${value}`);
  return toCardinal(value);
}

function euros(value: number): string {
  const words = numberInWords(value);
  // « un million d’euros », « deux milliards d’euros », but « un million deux cents euros ».
  if (/(?:million|milliard|billion)s?$/.test(words)) return `${words} d’euros`;
  return `${words} ${value >= 2 ? "euros" : "euro"}`;
}

function centimes(value: number): string {
  return `${numberInWords(value)} ${value >= 2 ? "centimes" : "centime"}`;
}

/**
 * « cent euros », « mille deux cent trente-quatre euros et cinquante-six centimes »,
 * « un euro », « cinquante centimes », « zéro euro ».
 */
export function amountInWords(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`not an amount in cents: ${cents}`);
  const whole = Math.floor(cents / 100);
  const rest = cents % 100;
  if (rest === 0) return euros(whole);
  if (whole === 0) return centimes(rest);
  return `${euros(whole)} et ${centimes(rest)}`;
}
