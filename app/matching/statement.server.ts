/**
 * The statement of a funded campaign's abondement, for the Département (docs/decisions/029-matching.md):
 * what it owes the structure under its agreement — each confirmed match, with the contribution
 * it follows — as a PDF (pdfkit, the standard fonts and helpers of the tax receipts) and a CSV
 * for French Excel (app/csv.server.ts). Matched money is not on the platform's balance, is not
 * in the payout and carries no commission and no tax receipt; the statement says so.
 */
import PDFDocument from "pdfkit";
import type { Kysely, Transaction } from "kysely";
import type { DB } from "#db/schema";
import { toCsv } from "~/csv.server";
import { contributionReference } from "~/domain/contribution-status";
import { formatDateTime, formatDecimalEuros, formatEuros } from "~/domain/format";
import { legalFormLabel } from "~/domain/legal-forms";
import { ratioLabel } from "~/domain/matching";
import { countOf, frenchText } from "~/domain/typography";
import { winAnsi } from "~/receipts/pdf.server";

type Db = Kysely<DB> | Transaction<DB>;

export interface StatementLine {
  reference: string;
  paidAt: string;
  contributionCents: number;
  matchedCents: number;
}

/** A match confirmed at funding, released since: its contribution was refunded or lost on a dispute. */
export interface StatementWithdrawal extends StatementLine {
  releasedAt: string;
  reason: "refund" | "dispute_lost";
}

const WITHDRAWAL_REASON: Record<StatementWithdrawal["reason"], string> = {
  refund: "contribution remboursée",
  dispute_lost: "contestation bancaire perdue",
};

export interface MatchStatement {
  fund: { id: number; name: string; ratioBps: number };
  campaign: { id: number; title: string; slug: string; goalCents: number; fundedAt: string | null };
  structure: { name: string; legalForm: string; registrationNumber: string | null; town: string };
  /** the matches due: confirmed at funding and still confirmed */
  lines: StatementLine[];
  totalContributionCents: number;
  totalMatchedCents: number;
  /** confirmed at funding, released since (not due; the Département may have paid them already) */
  withdrawn: StatementWithdrawal[];
  totalWithdrawnCents: number;
}

export type StatementResult =
  { ok: true; statement: MatchStatement } | { ok: false; status: 404 | 409; message: string };

/** The statement of one fund on one campaign; only a funded campaign has one. */
export async function readStatement(db: Db, fundId: number, campaignId: number): Promise<StatementResult> {
  const head = await db
    .selectFrom("matching_fund_campaigns as fc")
    .innerJoin("matching_funds as f", "f.id", "fc.fund_id")
    .innerJoin("campaigns as c", "c.id", "fc.campaign_id")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .select([
      "f.id as fund_id",
      "f.name as fund_name",
      "f.ratio_bps",
      "c.id as campaign_id",
      "c.title",
      "c.slug",
      "c.goal_cents",
      "c.status",
      "o.name as structure_name",
      "o.legal_form",
      "o.registration_number",
      "o.town",
    ])
    .where("fc.fund_id", "=", fundId)
    .where("fc.campaign_id", "=", campaignId)
    .executeTakeFirst();
  if (!head)
    return { ok: false, status: 404, message: "Ce fonds d’abondement ne concerne pas cette campagne." };
  if (head.status !== "funded")
    return {
      ok: false,
      status: 409,
      message: "Le relevé n’existe que pour une campagne réussie : l’abondement n’est dû qu’à ce moment-là.",
    };
  const funded = await db
    .selectFrom("campaign_transitions")
    .select("at")
    .where("campaign_id", "=", campaignId)
    .where("to_status", "=", "funded")
    .orderBy("id", "desc")
    .executeTakeFirst();
  const rows = await db
    .selectFrom("matches as m")
    .innerJoin("contributions as k", "k.id", "m.contribution_id")
    .select([
      "k.id",
      "k.paid_at",
      "k.amount_cents",
      "m.amount_cents as matched_cents",
      "m.status",
      "m.released_at",
      "m.release_reason",
    ])
    .where("m.fund_id", "=", fundId)
    .where("m.campaign_id", "=", campaignId)
    // Confirmed at funding: still confirmed, or released since (confirmed_at stays).
    .where("m.confirmed_at", "is not", null)
    .orderBy("k.paid_at")
    .orderBy("k.id")
    .execute();
  const line = (r: (typeof rows)[number]): StatementLine => ({
    reference: contributionReference(r.id),
    paidAt: r.paid_at ?? "",
    contributionCents: r.amount_cents,
    matchedCents: r.matched_cents,
  });
  const lines = rows.filter((r) => r.status === "confirmed").map(line);
  const withdrawn = rows
    .filter((r) => r.status === "released")
    .map((r) => ({
      ...line(r),
      releasedAt: r.released_at ?? "",
      reason: r.release_reason === "dispute_lost" ? ("dispute_lost" as const) : ("refund" as const),
    }));
  return {
    ok: true,
    statement: {
      fund: { id: head.fund_id, name: head.fund_name, ratioBps: head.ratio_bps },
      campaign: {
        id: head.campaign_id,
        title: head.title,
        slug: head.slug,
        goalCents: head.goal_cents,
        fundedAt: funded?.at ?? null,
      },
      structure: {
        name: head.structure_name,
        legalForm: legalFormLabel(head.legal_form),
        registrationNumber: head.registration_number,
        town: head.town,
      },
      lines,
      totalContributionCents: lines.reduce((s, l) => s + l.contributionCents, 0),
      totalMatchedCents: lines.reduce((s, l) => s + l.matchedCents, 0),
      withdrawn,
      totalWithdrawnCents: withdrawn.reduce((s, l) => s + l.matchedCents, 0),
    },
  };
}

/** « releve-abondement-3-campagne-x » (no extension). */
export function statementFileName(s: MatchStatement): string {
  return `releve-abondement-${s.fund.id}-${s.campaign.slug}`;
}

export const STATEMENT_CSV_HEADER = [
  "Fonds d’abondement",
  "Campagne",
  "Structure",
  "Référence de la contribution",
  "Date du paiement (heure de Paris)",
  "Contribution (€)",
  "Abondement (€)",
  "Situation",
] as const;

/** « Retiré le 16 janvier 2027 à 10:30 (contestation bancaire perdue) ». */
function withdrawalText(w: StatementWithdrawal): string {
  return `Retiré le ${w.releasedAt ? formatDateTime(w.releasedAt) : "?"} (${WITHDRAWAL_REASON[w.reason]})`;
}

/** CSV for French Excel: one line per match due, the total due, then the matches withdrawn since. */
export function statementCsv(s: MatchStatement): string {
  const cells = (l: StatementLine, situation: string) => [
    s.fund.name,
    s.campaign.title,
    s.structure.name,
    l.reference,
    l.paidAt ? formatDateTime(l.paidAt) : "",
    l.contributionCents,
    l.matchedCents,
    situation,
  ];
  const rows = s.lines.map((l) => cells(l, "Dû"));
  rows.push([
    s.fund.name,
    s.campaign.title,
    s.structure.name,
    `Total dû (${countOf(s.lines.length, "contribution", "contributions")})`,
    "",
    s.totalContributionCents,
    s.totalMatchedCents,
    "",
  ]);
  for (const w of s.withdrawn) rows.push(cells(w, `${withdrawalText(w)}, hors total`));
  return toCsv(STATEMENT_CSV_HEADER, rows, {
    delimiter: ";",
    bom: true,
    money: { columns: ["Contribution (€)", "Abondement (€)"], format: formatDecimalEuros },
  });
}

const MARGIN = 50;
const INK = "#1a1a1a";
const MUTED = "#555555";

/** The statement as a PDF; `at` is the instant it is drawn up (stated on it, and its CreationDate). */
export async function statementPdf(s: MatchStatement, at: Date): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    compress: true,
    info: {
      Title: winAnsi(`Relevé d’abondement — ${s.fund.name} — ${s.campaign.title}`),
      Author: "Propulsons",
      Subject: "Relevé d’abondement",
      Producer: "PDFKit",
      CreationDate: at,
      ModDate: at,
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
    doc.text(winAnsi(frenchText(value)), { width, ...options });
  const field = (label: string, value: string) => {
    doc.font("Helvetica-Bold").fontSize(10).fillColor(INK);
    doc.text(winAnsi(`${label}\u00a0: `), MARGIN, doc.y, { width, continued: true });
    doc.font("Helvetica").text(winAnsi(frenchText(value)));
  };

  doc.fillColor(INK).font("Helvetica-Bold").fontSize(15);
  text("Relevé d’abondement du Département", { align: "center" });
  doc.font("Helvetica").fontSize(10).fillColor(MUTED);
  text(`Établi le ${formatDateTime(at.toISOString())} (heure de Paris)`, { align: "center" });
  doc.moveDown(1).fillColor(INK);
  field("Fonds", `${s.fund.name} (${ratioLabel(s.fund.ratioBps)})`);
  field("Campagne", `${s.campaign.title} — objectif ${formatEuros(s.campaign.goalCents)}`);
  if (s.campaign.fundedAt) field("Réussie le", formatDateTime(s.campaign.fundedAt));
  field(
    "Structure",
    `${s.structure.name} (${s.structure.legalForm}${s.structure.registrationNumber ? `, ${s.structure.registrationNumber}` : ""}), ${s.structure.town}`,
  );
  doc.moveDown(0.8);

  const cols = [
    { label: "Référence", x: MARGIN, w: 110, align: "left" as const },
    { label: "Date du paiement", x: MARGIN + 110, w: 160, align: "left" as const },
    { label: "Contribution", x: MARGIN + 270, w: 110, align: "right" as const },
    { label: "Abondement", x: MARGIN + 380, w: width - 380, align: "right" as const },
  ];
  const row = (cells: string[], bold = false) => {
    if (doc.y > doc.page.height - MARGIN - 40) doc.addPage();
    const y = doc.y;
    doc
      .font(bold ? "Helvetica-Bold" : "Helvetica")
      .fontSize(10)
      .fillColor(INK);
    cells.forEach((cell, i) => {
      const c = cols[i]!;
      // A total's label spans the date column it leaves empty.
      const w = i === 0 && cells[1] === "" ? c.w + cols[1]!.w : c.w;
      doc.text(winAnsi(cell), c.x, y, { width: w, align: c.align, lineBreak: false });
    });
    doc.x = MARGIN;
    doc.y = y + 16;
  };
  row(
    cols.map((c) => c.label),
    true,
  );
  doc
    .moveTo(MARGIN, doc.y - 3)
    .lineTo(MARGIN + width, doc.y - 3)
    .strokeColor(MUTED)
    .stroke();
  for (const l of s.lines)
    row([
      l.reference,
      formatDateTime(l.paidAt),
      formatEuros(l.contributionCents),
      formatEuros(l.matchedCents),
    ]);
  doc
    .moveTo(MARGIN, doc.y - 3)
    .lineTo(MARGIN + width, doc.y - 3)
    .strokeColor(MUTED)
    .stroke();
  row(
    [
      `Total dû (${countOf(s.lines.length, "contribution", "contributions")})`,
      "",
      formatEuros(s.totalContributionCents),
      formatEuros(s.totalMatchedCents),
    ],
    true,
  );
  if (s.withdrawn.length > 0) {
    doc.moveDown(1);
    doc.font("Helvetica-Bold").fontSize(11).fillColor(INK);
    text("Abondements retirés après la réussite");
    doc.font("Helvetica").fontSize(9).fillColor(MUTED);
    text(
      "Confirmés à la réussite de la campagne, ils ne sont plus dus : leur contribution a été remboursée " +
        "ou perdue sur contestation bancaire depuis. Ils ne comptent pas dans le total dû ci-dessus.",
    );
    doc.moveDown(0.5);
    for (const w of s.withdrawn) {
      row([
        w.reference,
        formatDateTime(w.paidAt),
        formatEuros(w.contributionCents),
        formatEuros(w.matchedCents),
      ]);
      doc.font("Helvetica").fontSize(9).fillColor(MUTED);
      text(frenchText(withdrawalText(w)), { indent: 10 });
      doc.moveDown(0.3);
    }
    row(
      [
        `Total retiré (${countOf(s.withdrawn.length, "contribution", "contributions")})`,
        "",
        formatEuros(s.withdrawn.reduce((t, w) => t + w.contributionCents, 0)),
        formatEuros(s.totalWithdrawnCents),
      ],
      true,
    );
  }
  doc.moveDown(1);
  doc.font("Helvetica").fontSize(9).fillColor(MUTED);
  text(
    `Montant dû par le Département à la structure au titre de son abondement : ${formatEuros(s.totalMatchedCents)}. ` +
      "Cet abondement n’est pas passé par la plateforme : il n’est pas compris dans le virement des contributions, " +
      "ne supporte aucune commission et n’ouvre droit à aucun reçu fiscal. Seuls les abondements confirmés à la réussite " +
      "de la campagne et toujours dus comptent dans ce montant ; une contribution remboursée ou perdue sur " +
      "contestation bancaire en sort, et figure à part si elle l’a été après la réussite.",
  );
  doc.end();
  return done;
}
