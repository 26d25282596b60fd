/**
 * The text of a PDF, as a reader would copy it (pdfjs-dist's legacy build, for Node 20): each
 * page's text items joined, with runs of white space (including no-break spaces) made one space.
 */
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

export async function pdfText(bytes: Buffer | Uint8Array): Promise<{ text: string; pages: number }> {
  const data = new Uint8Array(bytes);
  const task = getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 });
  const pdf = await task.promise;
  const parts: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    for (const item of content.items) {
      if ("str" in item) parts.push(item.str, item.hasEOL ? "\n" : "");
    }
  }
  const pages = pdf.numPages;
  await pdf.destroy();
  // A word cut at its hyphen at the end of a line (« cinquante-\nsix ») is read back whole.
  const text = parts
    .join("")
    .replace(/-\n/g, "-")
    .replace(/[\s\u00a0\u202f]+/g, " ")
    .trim();
  return { text, pages };
}
