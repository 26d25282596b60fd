/**
 * The « Contact » form (issue 13): validated with zod, limited per client and per address,
 * stored in contact_messages and sent to the team (CONTACT_EMAIL) through the e-mail outbox, in
 * one transaction — the person is told it was received only once both are written.
 * A hidden field (« honeypot ») that people never see catches form-filling robots.
 * The retention purge deletes the messages after RETENTION_CONTACT_MONTHS (purgeContactMessages).
 */
import { NBSP } from "~/domain/typography";
import type { Kysely } from "kysely";
import { z } from "zod";
import { serializeOn } from "#db/connection";
import type { DB } from "#db/schema";
import { emailSchema } from "~/auth-forms.server";
import { clientKey, normalizeEmail, waitInFrench } from "~/auth.server";
import { config } from "~/config.server";
import { formatInteger } from "~/domain/format";
import { enqueueEmail } from "~/email.server";
import { field } from "~/forms.server";
import {
  CONTACT_SUBJECTS,
  HONEYPOT_FIELD,
  MESSAGE_MAX,
  type ContactField,
  type ContactSubject,
} from "./contact";

export { CONTACT_SUBJECTS, HONEYPOT_FIELD, MESSAGE_MAX };

export const CONTACT_WINDOW_MS = 60 * 60_000;
/** messages accepted per client address (an IPv6 client is its /64) within CONTACT_WINDOW_MS */
export const MAX_CONTACT_PER_IP = 5;
/** messages accepted per sender address within CONTACT_WINDOW_MS */
export const MAX_CONTACT_PER_EMAIL = 3;

export const contactSchema = z.object({
  name: z.string().trim().min(1, "Indiquez votre nom.").max(100, "Nom trop long (100 caractères au plus)."),
  email: emailSchema,
  subject: z.enum(Object.keys(CONTACT_SUBJECTS) as [ContactSubject, ...ContactSubject[]], {
    error: "Choisissez l’objet de votre message.",
  }),
  message: z
    .string()
    .trim()
    .min(10, "Écrivez votre message (10 caractères au moins).")
    .max(MESSAGE_MAX, `Message trop long (${formatInteger(MESSAGE_MAX)}\u00a0caractères au plus).`),
});

export interface ContactValues {
  name: string;
  email: string;
  subject: string;
  message: string;
}

export type ContactResult =
  | { ok: true; reference: number; email: string }
  | {
      ok: false;
      status: 400 | 429;
      values: ContactValues;
      /** per field, the first problem */
      errors: Partial<Record<ContactField, string>>;
      /** a refusal that concerns no one field */
      message?: string;
    };

/** Check, limit, store and queue the e-mail to the team. Nothing is written when it is refused. */
export async function submitContact(
  db: Kysely<DB>,
  form: FormData,
  input: { ip: string; now?: Date },
): Promise<ContactResult> {
  const now = input.now ?? new Date();
  const values: ContactValues = {
    name: field(form, "name"),
    email: field(form, "email"),
    subject: field(form, "subject"),
    message: field(form, "message"),
  };
  if (field(form, HONEYPOT_FIELD) !== "") {
    return {
      ok: false,
      status: 400,
      values,
      errors: {},
      message:
        "Le message n’a pas été envoyé\u00a0: le champ «\u00a0Ne pas remplir\u00a0», réservé à la détection des robots, contient du texte. Videz-le puis envoyez à nouveau le formulaire.",
    };
  }
  const parsed = contactSchema.safeParse(values);
  if (!parsed.success) {
    const errors: Partial<Record<ContactField, string>> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as ContactField;
      errors[key] ??= issue.message;
    }
    return { ok: false, status: 400, values, errors };
  }
  const { name, subject, message } = parsed.data;
  const email = normalizeEmail(parsed.data.email);
  const ip = clientKey(input.ip);
  const since = new Date(now.getTime() - CONTACT_WINDOW_MS).toISOString();
  const outcome = await db.transaction().execute(async (trx) => {
    // Count and insert one at a time: simultaneous messages cannot all slip under the limit.
    await serializeOn(trx, "contact-messages");
    const [byIp, byEmail] = await Promise.all(
      (["ip", "email"] as const).map((by) =>
        trx
          .selectFrom("contact_messages")
          .select("created_at")
          .where(by, "=", by === "ip" ? ip : email)
          .where("created_at", ">", since)
          .orderBy("created_at")
          .execute(),
      ),
    );
    const waitFor = (rows: Array<{ created_at: string }>, limit: number) =>
      rows.length < limit
        ? 0
        : new Date(rows[rows.length - limit]!.created_at).getTime() + CONTACT_WINDOW_MS - now.getTime();
    const waitMs = Math.max(waitFor(byIp!, MAX_CONTACT_PER_IP), waitFor(byEmail!, MAX_CONTACT_PER_EMAIL));
    if (waitMs > 0) return { waitMs, reference: null };
    const row = await trx
      .insertInto("contact_messages")
      .values({ name, email, subject, message, ip, created_at: now.toISOString() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await enqueueEmail(trx, {
      kind: "contact_message",
      to: config().contactEmail,
      idempotencyKey: `contact:${row.id}`,
      now,
      data: { name, email, subject: CONTACT_SUBJECTS[subject], message, reference: row.id },
    });
    return { waitMs: 0, reference: row.id };
  });
  if (outcome.reference === null) {
    return {
      ok: false,
      status: 429,
      values,
      errors: {},
      message: `Le message n’a pas été envoyé${NBSP}: trop de messages en peu de temps. Réessayez dans ${waitInFrench(outcome.waitMs)}.`,
    };
  }
  return { ok: true, reference: outcome.reference, email };
}

/** Delete the contact messages sent before `before` (the retention purge calls it); how many went. */
export async function purgeContactMessages(db: Kysely<DB>, before: Date): Promise<number> {
  const result = await db
    .deleteFrom("contact_messages")
    .where("created_at", "<", before.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
