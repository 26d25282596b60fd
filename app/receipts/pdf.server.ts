/**
 * The tax receipt as a PDF (Cerfa 11580*05 « Reçu au titre des dons à certains organismes
 * d'intérêt général »), built with pdfkit from a receipt's snapshot alone, so the same snapshot
 * always gives the same bytes: fixed CreationDate (the issue instant), a file ID derived from
 * the document info (pdfkit hashes it), the standard Helvetica fonts (not embedded, no subset
 * tags), no clock, no randomness. A cancelled receipt is the same document with an « ANNULÉ »
 * stamp (docs/decisions/028-tax-receipts.md).
 *
 * The standard fonts write WinAnsi: « € », « Œ », « ’ », « « » » and French accents are in it, the
 * narrow no-break space (U+202F) is not and becomes a no-break space (U+00A0).
 */
import crypto from "node:crypto";
import PDFDocument from "pdfkit";
import { formatDate } from "~/domain/format";
import { amountInWords } from "./amount-words";
import type { CancellationStamp, ReceiptSnapshot } from "./snapshot";

/** « 1 234,56 » (no-break space between thousands), as framed by asterisks on the receipt. */
export function figures(cents: number): string {
  const whole = Math.floor(cents / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  return `${whole},${String(cents % 100).padStart(2, "0")}`;
}

/** « ***100,00*** euros » */
export function framedAmount(cents: number): string {
  return `***${figures(cents)}*** euros`;
}

/** Text the WinAnsi fonts can draw. */
export function winAnsi(text: string): string {
  return text.replace(/[\u202f\u2009\u2007]/g, "\u00a0").replace(/[\u2010\u2011]/g, "-");
}

export const LEGAL_TITLE = "Reçu au titre des dons à certains organismes d’intérêt général";
export const LEGAL_ARTICLES = "(articles 200, 238 bis et 978 du code général des impôts)";
export const CERTIFICATION =
  "Le bénéficiaire certifie sur l’honneur que les dons et versements qu’il reçoit ouvrent droit à la réduction d’impôt prévue à l’article 200 du CGI.";

export function mandateSentence(snapshot: ReceiptSnapshot): string {
  return `Reçu établi par ${snapshot.platformName} au nom et pour le compte de ${snapshot.beneficiary.name}, en vertu du mandat du ${formatDate(snapshot.mandateAt)}.`;
}

function address(lines: { street: string; postalCode: string; town: string; country?: string }): string {
  const country = lines.country && lines.country.toUpperCase() !== "FRANCE" ? `, ${lines.country}` : "";
  return `${lines.street}, ${lines.postalCode} ${lines.town}${country}`;
}

const MARGIN = 50;
const INK = "#1a1a1a";
const MUTED = "#555555";

/** The receipt's bytes. Deterministic: the same arguments give the same bytes. */
export async function renderReceiptPdf(
  snapshot: ReceiptSnapshot,
  cancellation: CancellationStamp | null = null,
): Promise<Buffer> {
  const issuedAt = new Date(snapshot.issuedAt);
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    compress: true,
    info: {
      Title: winAnsi(`Reçu fiscal n° ${snapshot.orderNumber} — ${snapshot.beneficiary.name}`),
      Author: winAnsi(snapshot.beneficiary.name),
      Subject: "Cerfa 11580*05",
      Creator: winAnsi(snapshot.platformName),
      Producer: "PDFKit",
      CreationDate: issuedAt,
      ModDate: issuedAt,
    },
    lang: "fr-FR",
    pdfVersion: "1.7",
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  const width = doc.page.width - 2 * MARGIN;
  const text = (value: string, options: PDFKit.Mixins.TextOptions = {}) =>
    doc.text(winAnsi(value), { width, ...options });
  const heading = (value: string) => {
    doc.moveDown(0.6);
    const y = doc.y;
    doc.rect(MARGIN, y - 2, width, 18).fill("#e8eef6");
    doc.fillColor(INK).font("Helvetica-Bold").fontSize(11);
    doc.text(winAnsi(value), MARGIN + 6, y + 2, { width: width - 12 });
    doc.moveDown(0.4);
    doc.x = MARGIN;
    doc.font("Helvetica").fontSize(10);
  };
  const field = (label: string, value: string) => {
    doc.font("Helvetica-Bold").fontSize(10).fillColor(INK);
    doc.text(winAnsi(`${label}\u00a0: `), MARGIN, doc.y, { width, continued: true });
    doc.font("Helvetica").text(winAnsi(value));
  };
  const b = snapshot.beneficiary;

  // Title block.
  doc.fillColor(MUTED).font("Helvetica").fontSize(9);
  text("Cerfa n° 11580*05", { align: "right" });
  doc.fillColor(INK).font("Helvetica-Bold").fontSize(15);
  text(LEGAL_TITLE, { align: "center" });
  doc.font("Helvetica").fontSize(10);
  text(LEGAL_ARTICLES, { align: "center" });
  doc.moveDown(0.5);
  doc.font("Helvetica-Bold").fontSize(12);
  text(`Numéro d’ordre du reçu\u00a0: ${snapshot.orderNumber}`, { align: "center" });

  heading("Bénéficiaire des versements");
  field("Nom ou dénomination", b.name);
  field("Adresse", address(b));
  field("Objet", b.object);
  if (b.siren) field("SIREN", b.siren);
  if (b.rna) field("RNA", b.rna);
  field("Qualité de l’organisme", `[X] ${b.statusLabel}`);

  heading("Donateur");
  if (snapshot.donorErasedAt) {
    // After the retention period of receipts (ADR 031): the duplicate no longer names the donor.
    text(
      `Nom et adresse du donateur effacés le ${formatDate(snapshot.donorErasedAt)}, à la fin de la durée de conservation des reçus fiscaux.`,
    );
  } else {
    field("Nom et prénom", `${snapshot.donor.lastName.toUpperCase()} ${snapshot.donor.firstName}`);
    field("Adresse", address(snapshot.donor));
  }

  heading("Dons");
  doc.font("Helvetica").fontSize(10);
  text(
    "Le bénéficiaire reconnaît avoir reçu au titre des dons et versements ouvrant droit à réduction d’impôt la somme de\u00a0:",
  );
  doc.moveDown(0.3);
  doc.font("Helvetica-Bold").fontSize(13);
  text(framedAmount(snapshot.amountCents), { align: "center" });
  doc.font("Helvetica").fontSize(10);
  field("Somme en toutes lettres", amountInWords(snapshot.amountCents));
  if (snapshot.reward) {
    field(
      "dont montant ouvrant droit à réduction",
      `${framedAmount(snapshot.deductibleCents)} (${amountInWords(snapshot.deductibleCents)})`,
    );
    field(
      "Contrepartie reçue par le donateur",
      `«\u00a0${snapshot.reward.title}\u00a0», d’une valeur de ${figures(snapshot.reward.valueCents)} euros, déduite du montant ouvrant droit à réduction`,
    );
  }
  field("Date du versement ou du don", formatDate(snapshot.paidAt));
  doc.moveDown(0.3);
  text(CERTIFICATION);
  doc.moveDown(0.3);
  field("Article du CGI", `article 200 du CGI (${b.cgiArticle})`);
  field("Forme du don", "Don manuel");
  field("Nature du don", "Numéraire");
  field("Mode de versement", snapshot.paymentMethod);

  heading("Date et signature");
  field("Date", formatDate(snapshot.issuedAt));
  field("Signataire", `${snapshot.signer.name}, ${snapshot.signer.role}`);
  if (snapshot.signer.image) {
    const image = Buffer.from(snapshot.signer.image.base64, "base64");
    doc.moveDown(0.3);
    doc.image(image, MARGIN, doc.y, { fit: [160, 60] });
    doc.y += 64;
  }

  doc.moveDown(1);
  doc.fillColor(MUTED).fontSize(9);
  text(mandateSentence(snapshot));
  text(
    `Campagne\u00a0: «\u00a0${snapshot.campaignTitle}\u00a0» — référence de la contribution\u00a0: ${snapshot.contributionReference}.`,
  );

  if (cancellation) {
    doc.save();
    doc.rotate(-30, { origin: [doc.page.width / 2, doc.page.height / 2] });
    doc.fillColor("#c0392b").opacity(0.55).font("Helvetica-Bold").fontSize(96);
    doc.text("ANNULÉ", 0, doc.page.height / 2 - 50, { width: doc.page.width, align: "center" });
    doc.restore();
    doc.fillColor("#c0392b").font("Helvetica-Bold").fontSize(11);
    doc.text(
      winAnsi(`ANNULÉ le ${formatDate(cancellation.cancelledAt)}\u00a0: ${cancellation.reason}`),
      MARGIN,
      MARGIN - 30,
      { width, align: "left" },
    );
  }
  doc.end();
  return done;
}

export function sha256(bytes: Buffer): string {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}
