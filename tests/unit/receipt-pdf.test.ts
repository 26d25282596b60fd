/**
 * The tax receipt's PDF (app/receipts/pdf.server.ts): every mention of Cerfa 11580*05 in the
 * text a reader extracts (pdfjs-dist), the same bytes from the same snapshot, the signature
 * image drawn, and the « ANNULÉ » stamp on a cancelled one.
 */
import { describe, expect, it } from "vitest";
import { renderReceiptPdf } from "~/receipts/pdf.server";
import { pdfText } from "../support/pdf-text";
import { receiptMentions, sampleSnapshot } from "../support/receipt-snapshot";
import { signatureImage } from "../support/receipts";

describe("receipt PDF", () => {
  it("holds every mention of Cerfa 11580*05, with a reward that reduces the deductible amount", async () => {
    const snapshot = sampleSnapshot();
    const { text, pages } = await pdfText(await renderReceiptPdf(snapshot));
    expect(pages).toBe(1);
    for (const mention of receiptMentions(snapshot, {
      amount: "mille deux cent trente-quatre euros et cinquante-six centimes",
      deductible: "mille deux cent quatorze euros et cinquante-six centimes",
    }))
      expect(text).toContain(mention);
    expect(text).toContain("en vertu du mandat du 1er octobre 2026.");
    expect(text).not.toContain("ANNULÉ");
  });

  it("without a reward, says nothing of a deductible part; an RNA stands for a missing SIREN", async () => {
    const base = sampleSnapshot();
    const snapshot = sampleSnapshot({
      amountCents: 10_000,
      deductibleCents: 10_000,
      reward: null,
      beneficiary: { ...base.beneficiary, siren: null, rna: "W623001234" },
    });
    const { text } = await pdfText(await renderReceiptPdf(snapshot));
    for (const mention of receiptMentions(snapshot, { amount: "cent euros" }))
      expect(text).toContain(mention);
    expect(text).toContain("***100,00*** euros");
    expect(text).not.toContain("dont montant ouvrant droit");
    expect(text).not.toContain("SIREN");
  });

  it("gives the same bytes for the same snapshot, other bytes for another", async () => {
    const snapshot = sampleSnapshot();
    const a = await renderReceiptPdf(snapshot);
    const b = await renderReceiptPdf(structuredClone(snapshot));
    expect(a.equals(b)).toBe(true);
    const c = await renderReceiptPdf(sampleSnapshot({ orderNumber: "2026-0008" }));
    expect(c.equals(a)).toBe(false);
    // The creation date is the issue instant, not the clock.
    expect(a.toString("latin1")).toContain("(D:20261202093000Z)");
  });

  it("draws the signature image", async () => {
    const png = await signatureImage();
    const without = await renderReceiptPdf(sampleSnapshot());
    const signed = await renderReceiptPdf(
      sampleSnapshot({
        signer: {
          name: "Camille Martin",
          role: "Présidente",
          image: { format: "png", base64: png.toString("base64") },
        },
      }),
    );
    expect(without.toString("latin1")).not.toContain("/Subtype /Image");
    expect(signed.toString("latin1")).toContain("/Subtype /Image");
  });

  it("a cancelled receipt is stamped « ANNULÉ » with when and why, and keeps every mention", async () => {
    const snapshot = sampleSnapshot();
    const bytes = await renderReceiptPdf(snapshot, {
      cancelledAt: "2027-01-05T10:00:00.000Z",
      reason: "don remboursé",
    });
    const { text } = await pdfText(bytes);
    expect(text).toContain("ANNULÉ le 5 janvier 2027 : don remboursé");
    expect(text).toContain(`Numéro d’ordre du reçu : ${snapshot.orderNumber}`);
  });
});
