/**
 * Every e-mail of emails/registry.ts, rendered with sample data (each template's PreviewProps, plus
 * the variants some templates have), follows French typography in its subject, its HTML text and its
 * plain text: no plain space before « : ; ! ? », no « (s) », no straight apostrophe between letters.
 * Tags and attributes (addresses, styles) are not French text and are left out of the HTML check.
 */
import { describe, expect, it } from "vitest";
import { renderEmail, type EmailMessage } from "~/email.server";
import { EMAIL_KINDS, EMAILS } from "../../emails/registry";

type Sample = { name: string; message: EmailMessage };

function samples(): Sample[] {
  const list: Sample[] = [];
  for (const kind of EMAIL_KINDS) {
    const preview = (EMAILS[kind].component as unknown as { PreviewProps?: unknown }).PreviewProps;
    expect(preview, `${kind} has PreviewProps`).toBeTruthy();
    list.push({ name: kind, message: { kind, data: preview } as EmailMessage });
  }
  const status = EMAILS.campaign_status_holder.component.PreviewProps;
  for (const event of ["submit", "resubmit", "approve", "reject", "start", "cancel"] as const)
    list.push({
      name: `campaign_status_holder/${event}`,
      message: { kind: "campaign_status_holder", data: { ...status, event, reason: null } },
    });
  const dispute = EMAILS.dispute_contributor.component.PreviewProps;
  for (const stage of ["won", "lost"] as const)
    list.push({
      name: `dispute_contributor/${stage}`,
      message: { kind: "dispute_contributor", data: { ...dispute, stage } },
    });
  // The abondement: doubled, partial, and the holder's split of the goal.
  const receipt = EMAILS.contribution_receipt.component.PreviewProps;
  for (const matchedCents of [receipt.amountCents, 1250])
    list.push({
      name: `contribution_receipt/matched-${matchedCents}`,
      message: { kind: "contribution_receipt", data: { ...receipt, matchedCents } },
    });
  const holderNew = EMAILS.holder_new_contribution.component.PreviewProps;
  list.push({
    name: "holder_new_contribution/matched",
    message: { kind: "holder_new_contribution", data: { ...holderNew, matchedCents: 100_000 } },
  });
  const refund = EMAILS.campaign_refund_contributor.component.PreviewProps;
  list.push({
    name: "campaign_refund_contributor/cancelled",
    message: {
      kind: "campaign_refund_contributor",
      data: { ...refund, cancelled: true, reason: "Le lieu prévu n’est plus disponible." },
    },
  });
  return list;
}

/** The text between the tags of the body (not the head, styles or attributes). */
function htmlTexts(html: string): string[] {
  const body = html.replace(/<head[\s\S]*?<\/head>/i, "").replace(/<style[\s\S]*?<\/style>/gi, "");
  return [...body.matchAll(/>([^<]+)</g)].map((m) => m[1]!).filter((t) => t.trim() !== "");
}

function problems(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/.{0,20} [:;!?](?=\s|$|<).{0,10}/gsu)) found.push(`plain space: ${m[0]}`);
  for (const m of text.matchAll(/.{0,20}\(s\).{0,10}/gu)) found.push(`(s): ${m[0]}`);
  for (const m of text.matchAll(/.{0,20}\p{L}('|&#x27;|&#39;)\p{L}.{0,10}/gu))
    found.push(`straight apostrophe: ${m[0]}`);
  return found;
}

describe("French typography in every e-mail", () => {
  it("covers every kind of the registry", () => {
    expect(new Set(samples().map((s) => s.message.kind))).toEqual(new Set(EMAIL_KINDS));
  });

  for (const { name, message } of samples()) {
    it(name, async () => {
      const rendered = await renderEmail(message);
      expect(problems(rendered.subject), "subject").toEqual([]);
      expect(htmlTexts(rendered.html).flatMap(problems), "HTML").toEqual([]);
      // Plain text: addresses are written out in brackets; none has a space before « : ».
      expect(problems(rendered.text), "plain text").toEqual([]);
    });
  }
});
