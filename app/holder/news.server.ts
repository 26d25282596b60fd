/**
 * News (« actualités »): a holder posts, the campaign page shows it, and every
 * contributor who has not unsubscribed gets it by e-mail — through Resend's batch
 * API, 100 a call, rendered once (only the unsubscribe link differs).
 */
import { NBSP } from "~/domain/typography";
import crypto from "node:crypto";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { DB } from "#db/schema";
import { config } from "~/config.server";
import { RECEIVED_STATUSES } from "~/domain/contribution-status";
import { renderEmail, sendBatch } from "~/email.server";
import { jobLogger } from "~/logger.server";
import { renderMarkdown } from "~/markdown.server";
import { campaignPath } from "~/domain/paths";

const newsSchema = z.object({
  titre: z
    .string()
    .trim()
    .min(3, "Titre\u00a0: 3 caractères au moins.")
    .max(120, "Titre\u00a0: 120 caractères au plus."),
  texte: z
    .string()
    .trim()
    .min(10, "Texte\u00a0: 10 caractères au moins.")
    .max(10_000, "Texte\u00a0: 10 000 caractères au plus."),
});

export function validateNews(values: {
  titre: string;
  texte: string;
}): { ok: true; title: string; bodyMd: string } | { ok: false; errors: Record<string, string> } {
  const parsed = newsSchema.safeParse(values);
  if (parsed.success) return { ok: true, title: parsed.data.titre, bodyMd: parsed.data.texte };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  return { ok: false, errors };
}

/** Holders may post news once their campaign has been published. */
export const NEWS_STATES = ["live", "settling", "funded", "failed"] as const;

const PLACEHOLDER = "https://desabonnement.invalid/JETON";

export async function publicNews(db: Kysely<DB>, campaignId: number) {
  return db
    .selectFrom("campaign_news")
    .select(["id", "title", "body_md", "published_at"])
    .where("campaign_id", "=", campaignId)
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .execute();
}

export type PostResult =
  { ok: true; recipients: number; failedBatches: number } | { ok: false; status: 404 | 409; message: string };

export async function postNews(
  db: Kysely<DB>,
  userId: number,
  campaignId: number,
  input: { title: string; bodyMd: string },
  now = new Date(),
): Promise<PostResult> {
  const c = await db
    .selectFrom("campaigns as c")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .select(["c.id", "c.slug", "c.title", "c.status"])
    .where("c.id", "=", campaignId)
    .where("o.owner_user_id", "=", userId)
    .executeTakeFirst();
  if (!c) return { ok: false, status: 404, message: "Campagne introuvable." };
  if (!(NEWS_STATES as readonly string[]).includes(c.status)) {
    return { ok: false, status: 409, message: "Les actualités s’ouvrent quand la campagne est en ligne." };
  }
  const news = await db
    .insertInto("campaign_news")
    .values({
      campaign_id: c.id,
      author_user_id: userId,
      title: input.title,
      body_md: input.bodyMd,
      published_at: now.toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();

  // Everyone whose money arrived, refunded since or not: they supported the project. Not the
  // contributions anonymised by the retention purge or an account's deletion: nobody to write to.
  const emails = (
    await db
      .selectFrom("contributions")
      .select("email")
      .distinct()
      .where("campaign_id", "=", c.id)
      .where("status", "in", RECEIVED_STATUSES)
      .where("anonymised_at", "is", null)
      .orderBy("email")
      .execute()
  ).map((r) => r.email);
  // A token per address and campaign, made once; unsubscribed addresses are left out.
  for (const email of emails) {
    await db
      .insertInto("news_subscriptions")
      .values({ campaign_id: c.id, email, token: crypto.randomBytes(24).toString("base64url") })
      .onConflict((oc) => oc.columns(["campaign_id", "email"]).doNothing())
      .execute();
  }
  const subscribed = await db
    .selectFrom("news_subscriptions")
    .select(["email", "token"])
    .where("campaign_id", "=", c.id)
    .where("unsubscribed_at", "is", null)
    .orderBy("email")
    .execute();

  const base = config().publicUrl;
  const rendered = await renderEmail({
    kind: "campaign_news",
    data: {
      campaignTitle: c.title,
      campaignUrl: `${base}${campaignPath(c.slug)}`,
      newsTitle: input.title,
      bodyHtml: renderMarkdown(input.bodyMd),
      unsubscribeUrl: PLACEHOLDER,
    },
  });
  let failedBatches = 0;
  for (let i = 0; i < subscribed.length; i += 100) {
    const batch = subscribed.slice(i, i + 100).map((s) => {
      const url = `${base}/desabonnement?jeton=${s.token}`;
      return {
        to: s.email,
        subject: rendered.subject,
        html: rendered.html.replaceAll(PLACEHOLDER, url),
        text: rendered.text.replaceAll(PLACEHOLDER, url),
        headers: { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      };
    });
    const sent = await sendBatch(batch, `news:${news.id}:${i / 100}`);
    if (!sent.ok) {
      failedBatches++;
      jobLogger("actualités").error(
        { newsId: news.id, batch: i / 100, error: sent.error },
        `Actualité ${news.id}${NBSP}: l’envoi du lot ${i / 100} a échoué.`,
      );
    }
  }
  return { ok: true, recipients: subscribed.length, failedBatches };
}

/** The unsubscribe link: true when the token was valid. */
export async function unsubscribe(
  db: Kysely<DB>,
  token: string,
  now = new Date(),
): Promise<{ campaignTitle: string } | null> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  const row = await db
    .selectFrom("news_subscriptions as s")
    .innerJoin("campaigns as c", "c.id", "s.campaign_id")
    .select(["s.campaign_id", "s.email", "c.title"])
    .where("s.token", "=", token)
    .executeTakeFirst();
  if (!row) return null;
  await db
    .updateTable("news_subscriptions")
    .set({ unsubscribed_at: now.toISOString() })
    .where("campaign_id", "=", row.campaign_id)
    .where("email", "=", row.email)
    .where("unsubscribed_at", "is", null)
    .execute();
  return { campaignTitle: row.title };
}
