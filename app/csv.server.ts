/**
 * The one place that writes CSV (the holder's export, the open data). Every text cell that a
 * spreadsheet would run as a formula — starting with =, +, -, @, a tab or a carriage return,
 * or their full-width forms — is written with a leading apostrophe (csv-stringify's
 * `escape_formulas`, OWASP's « CSV injection » advice): French Excel then shows the text as
 * typed instead of running `=HYPERLINK(…)`. Numbers the platform itself writes are passed as
 * JavaScript numbers and are never prefixed, so a negative amount stays a number; money
 * columns hold integer cents and are formatted by `money.format` (« 12,50 » or « 12.50 »).
 */
import { stringify } from "csv-stringify/sync";

export type CsvCell = string | number | null | undefined;

export interface CsvOptions {
  /** "," (open data, Etalab) or ";" (French Excel) */
  delimiter?: "," | ";";
  /** a UTF-8 byte order mark first, so that French Excel reads UTF-8 */
  bom?: boolean;
  /** columns (by header name) whose numbers are cents, and how to write them */
  money?: { columns: readonly string[]; format: (cents: number) => string };
}

export function toCsv(
  header: readonly string[],
  rows: readonly CsvCell[][],
  options: CsvOptions = {},
): string {
  const moneyColumns = new Set(
    (options.money?.columns ?? []).map((name) => {
      const index = header.indexOf(name);
      if (index < 0) throw new Error(`CSV: no column named ${name}`);
      return index;
    }),
  );
  const body = stringify([[...header], ...rows.map((r) => [...r])], {
    delimiter: options.delimiter ?? ",",
    record_delimiter: "\r\n",
    escape_formulas: true,
    cast: {
      number: (value, context) => {
        if (!Number.isFinite(value)) throw new Error(`CSV: ${value} is not a number to write`);
        return moneyColumns.has(context.index) ? options.money!.format(value) : String(value);
      },
    },
  });
  return (options.bom ? "\ufeff" : "") + body;
}
