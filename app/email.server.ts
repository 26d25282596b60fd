/**
 * The one email sender (docs/product-rules.md#outside-services, #layout).
 *
 * Transactional outbox: `enqueueEmail` writes a row in `email_outbox` inside the
 * transaction that records the change the email reports, so a failing email API
 * never loses a payment and a rolled-back change never sends an email.
 * `deliverDueEmails` sends due rows through the Resend SDK (templates in emails/,
 * rendered here to HTML and plain text), retries failures with exponential
 * backoff and gives up (status "failed", for staff) after `maxAttempts`.
 *
 * Without RESEND_API_KEY (demo, tests, CI) the same code runs with a fake key and
 * msw answers api.resend.com (app/demo/resend-api.server.ts), keeping each message in a
 * local outbox file.
 */
import { frenchHtml, frenchText, NBSP } from "~/domain/typography";
import { createElement, type ReactElement } from "react";
import { render, toPlainText } from "@react-email/render";
import type { Kysely, Transaction } from "kysely";
import { Resend } from "resend";
import type { DB, EmailKind } from "#db/schema";
import { RateLimiter } from "./settlement/work-queue.server";
import { config } from "./config.server";
import type { ReceiptProps } from "../emails/contribution-receipt";
import type { HolderNewContributionProps } from "../emails/holder-new-contribution";
import type { CampaignFundedContributorProps } from "../emails/campaign-funded-contributor";
import type { CampaignFundedHolderProps } from "../emails/campaign-funded-holder";
import type { CampaignRefundContributorProps } from "../emails/campaign-refund-contributor";
import type { PayoutWaitingHolderProps } from "../emails/payout-waiting-holder";
import type { RefundSentContributorProps } from "../emails/refund-sent-contributor";
import type { RefundFailedContributorProps } from "../emails/refund-failed-contributor";
import type { LatePaymentContributorProps } from "../emails/late-payment-contributor";
import type { PayoutSentHolderProps } from "../emails/payout-sent-holder";
import type { DisputeContributorProps } from "../emails/dispute-contributor";
import type { SignInProps } from "../emails/sign-in";
import type { CampaignNewsProps } from "../emails/campaign-news";
import type { CampaignStatusHolderProps } from "../emails/campaign-status-holder";
import { jobLogger } from "./logger.server";
import { recordEmailRun } from "./metrics.server";

export type {
  CampaignNewsProps,
  CampaignStatusHolderProps,
  SignInProps,
  ReceiptProps,
  HolderNewContributionProps,
  CampaignFundedContributorProps,
  CampaignFundedHolderProps,
  CampaignRefundContributorProps,
  PayoutWaitingHolderProps,
  RefundSentContributorProps,
  RefundFailedContributorProps,
  LatePaymentContributorProps,
  PayoutSentHolderProps,
  DisputeContributorProps,
};

import { EMAILS, type EmailMessage } from "../emails/registry";

export type { EmailMessage };

/** API key used when none is configured: msw answers instead of Resend. */
export const DEMO_RESEND_API_KEY = "re_demo_not_a_real_key";

const BASE_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 60 * 60_000;
/** how long a claimed row stays invisible to other senders while it is being sent (real clock) */
const CLAIM_LEASE_MS = 5 * 60_000;
/** a request to the provider taking longer than this counts as a failure */
const SEND_TIMEOUT_MS = 30_000;
const DEFAULT_LIMIT = 50;
const DEFAULT_MAX_ATTEMPTS = 8;

export type QueuedEmail = EmailMessage & { to: string; idempotencyKey: string; now?: Date };

/**
 * Insert into email_outbox (status pending, due at once); ON CONFLICT
 * (idempotency_key) DO NOTHING. Call it inside the transaction that records the
 * change the email reports. A message queued by `npm run settle -- --now <future>`
 * is due on the real clock too, so the server's worker sends it without waiting
 * for that simulated date.
 */
export async function enqueueEmail(db: Kysely<DB> | Transaction<DB>, message: QueuedEmail): Promise<void> {
  await enqueueEmails(db, [message]);
}

/** Several messages of one movement, in one statement (on PostgreSQL, one round trip). */
export async function enqueueEmails(
  db: Kysely<DB> | Transaction<DB>,
  messages: QueuedEmail[],
): Promise<void> {
  // An anonymised address (a deleted account, app/account) is no one's: nothing to send.
  const rows = messages
    .filter((m) => !m.to.endsWith("@anonyme.invalid"))
    .map((message) => {
      const at = message.now ?? new Date();
      return {
        kind: message.kind,
        to_email: message.to,
        payload_json: JSON.stringify(message.data),
        idempotency_key: message.idempotencyKey,
        status: "pending" as const,
        attempts: 0,
        next_attempt_at: new Date(Math.min(at.getTime(), Date.now())).toISOString(),
        created_at: at.toISOString(),
      };
    });
  if (rows.length === 0) return;
  await db
    .insertInto("email_outbox")
    .values(rows)
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .execute();
}

/** Delay before the next attempt, after `attempts` failed ones: 30 s × 2^(attempts-1), at most 1 h. */
export function backoffMs(attempts: number): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.min(exponent, 20));
}

/** Plain-text version: headings keep their case (html-to-text upper-cases them by default). */
const PLAIN_TEXT_OPTIONS = {
  selectors: ["h1", "h2", "h3"].map((selector) => ({ selector, options: { uppercase: false } })),
};

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

type Template = { component: (props: never) => ReactElement; subject: (props: never) => string };

/** Subject, HTML and plain text of a message (French). */
export async function renderEmail(message: EmailMessage): Promise<RenderedEmail> {
  const template = (EMAILS as Record<string, Template | undefined>)[message.kind];
  if (!template) throw new Error(`Unknown email kind: ${String((message as { kind: unknown }).kind)}`);
  const data = message.data as never;
  // French typography (no-break spaces, ’) on every subject and text, whatever the template wrote.
  const subject = frenchText(template.subject(data));
  const element = createElement(
    template.component as unknown as (props: Record<string, unknown>) => ReactElement,
    data as Record<string, unknown>,
  );
  // Same react-dom 18 NUL-byte defect as the pages (see app/entry.server.tsx).
  const html = frenchHtml((await render(element)).replaceAll("\u0000", ""));
  return { subject, html, text: toPlainText(html, PLAIN_TEXT_OPTIONS) };
}

let client: Resend | undefined;

function resend(): Resend {
  // The key is read from the environment here only (validated by config()); never logged.
  client ??= new Resend(process.env.RESEND_API_KEY || DEMO_RESEND_API_KEY);
  return client;
}

/** An error text safe to store and show to staff: no API key, bounded length. */
function describeError(error: unknown): string {
  let text: string;
  if (error && typeof error === "object" && "message" in error) {
    const e = error as { name?: unknown; statusCode?: unknown; message?: unknown };
    const status = typeof e.statusCode === "number" ? ` ${e.statusCode}` : "";
    const name = typeof e.name === "string" ? e.name : "error";
    text = `${name}${status}: ${String(e.message)}`;
  } else {
    text = String(error);
  }
  return text
    .replace(/re_[A-Za-z0-9_]+/g, "re_***")
    .replace(/Bearer\s+\S+/gi, "Bearer ***")
    .slice(0, 500);
}

interface OutboxRow {
  id: number;
  kind: EmailKind;
  to_email: string;
  payload_json: string;
  idempotency_key: string;
  attempts: number;
}

type Outcome = { ok: true; providerId: string } | { ok: false; error: string };

/**
 * Send one message now, outside the outbox — for messages that carry a secret
 * (sign-in), which must not be stored. Returns false if the provider refused.
 */
export async function sendEmailNow(
  message: EmailMessage & { to: string; idempotencyKey: string },
): Promise<boolean> {
  const outcome = await send({
    id: 0,
    kind: message.kind,
    to_email: message.to,
    payload_json: JSON.stringify(message.data),
    idempotency_key: message.idempotencyKey,
    attempts: 0,
  });
  if (!outcome.ok)
    log().error({ kind: message.kind, error: outcome.error }, "Envoi immédiat d'un e-mail refusé.");
  return outcome.ok;
}

export interface PreparedEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

/**
 * Send up to 100 prepared messages in one call to Resend's batch API (for news
 * to many contributors), with an idempotency key so a retry sends nothing twice.
 */
export async function sendBatch(
  items: PreparedEmail[],
  idempotencyKey: string,
): Promise<{ ok: true } | { ok: false; error: string }> {
  if (items.length === 0) return { ok: true };
  if (items.length > 100) throw new Error("a batch holds at most 100 messages");
  try {
    const from = config().emailFrom;
    const { error } = await resend().batch.send(
      items.map((m) => ({
        from,
        to: m.to,
        subject: m.subject,
        html: m.html,
        text: m.text,
        headers: m.headers,
      })),
      { idempotencyKey },
    );
    return error ? { ok: false, error: describeError(error) } : { ok: true };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

async function send(row: OutboxRow): Promise<Outcome> {
  try {
    // The payload was written from a message of this kind (enqueue).
    const message = { kind: row.kind, data: JSON.parse(row.payload_json) as unknown } as EmailMessage;
    const { subject, html, text } = await renderEmail(message);
    const { data, error } = await resend().emails.send(
      { from: config().emailFrom, to: row.to_email, subject, html, text },
      { idempotencyKey: row.idempotency_key, signal: AbortSignal.timeout(SEND_TIMEOUT_MS) },
    );
    if (error) return { ok: false, error: describeError(error) };
    if (!data?.id) return { ok: false, error: "invalid_response: no email id in the provider's answer" };
    return { ok: true, providerId: data.id };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

export interface DeliveryOptions {
  /**
   * The instant messages are due at (`next_attempt_at <= now`), sent at and retried from:
   * the real clock by default, or a simulated one (`npm run settle -- --now …`).
   */
  now?: Date;
  limit?: number;
  maxAttempts?: number;
  ratePerSecond?: number;
  /**
   * The real clock (milliseconds), Date.now by default. Claims and their expiry always use
   * it, even when `now` is simulated: a claim left by a killed sender ends on time for every
   * other sender, whatever its clock. Tests move it past a lease.
   */
  clock?: () => number;
  /** Test seam: called once a row is claimed, before it is sent (a throw here is a sender killed mid-run). */
  onClaimed?: (id: number) => unknown;
}

/**
 * Send due pending emails (status pending and next_attempt_at <= now), oldest
 * first, up to `limit`. Each row is claimed before sending (claimed_until set to a
 * lease on the real clock, only if no live claim holds it and it is still due), so
 * concurrent calls never send the same row twice, and the claim of a sender that
 * died expires for everyone. Never throws for a provider error.
 */
export async function deliverDueEmails(
  db: Kysely<DB>,
  options: DeliveryOptions = {},
): Promise<{ sent: number; retried: number; failed: number }> {
  // Paced under the provider's rate limit (Resend: 2 requests/s by default); this also keeps
  // a burst of e-mails from starving the web requests served by the same process.
  const limiter = new RateLimiter(options.ratePerSecond ?? config().emailRatePerSecond);
  const clock = options.clock ?? Date.now;
  const realIso = () => new Date(clock()).toISOString();
  const now = options.now ?? new Date(clock());
  const nowIso = now.toISOString();
  const limit = options.limit ?? DEFAULT_LIMIT;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const result = { sent: 0, retried: 0, failed: 0 };
  if (limit <= 0) return result;

  const due = await db
    .selectFrom("email_outbox")
    .select(["id", "kind", "to_email", "payload_json", "idempotency_key", "attempts"])
    .where("status", "=", "pending")
    .where("next_attempt_at", "<=", nowIso)
    .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<=", realIso())]))
    .orderBy("created_at")
    .orderBy("id")
    .limit(limit)
    .execute();

  for (const row of due) {
    const claimedAt = clock();
    const claimed = await db
      .updateTable("email_outbox")
      .set({ claimed_until: new Date(claimedAt + CLAIM_LEASE_MS).toISOString() })
      .where("id", "=", row.id)
      .where("status", "=", "pending")
      .where("next_attempt_at", "<=", nowIso)
      .where((eb) =>
        eb.or([
          eb("claimed_until", "is", null),
          eb("claimed_until", "<=", new Date(claimedAt).toISOString()),
        ]),
      )
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue; // another sender has it
    await options.onClaimed?.(row.id);

    await limiter.take();
    const outcome = await send(row);
    if (outcome.ok) {
      await db
        .updateTable("email_outbox")
        .set({
          status: "sent",
          sent_at: (options.now ?? new Date(clock())).toISOString(),
          provider_id: outcome.providerId,
          last_error: null,
          claimed_until: null,
        })
        .where("id", "=", row.id)
        .execute();
      result.sent += 1;
      continue;
    }
    const attempts = row.attempts + 1;
    const giveUp = attempts >= maxAttempts;
    await db
      .updateTable("email_outbox")
      .set({
        attempts,
        last_error: outcome.error,
        status: giveUp ? "failed" : "pending",
        next_attempt_at: new Date(now.getTime() + backoffMs(attempts)).toISOString(),
        claimed_until: null,
      })
      .where("id", "=", row.id)
      .execute();
    if (giveUp) {
      result.failed += 1;
      log().error(
        { emailId: row.id, kind: row.kind, attempts, error: outcome.error },
        `E-mail ${row.id} (${row.kind}) abandonné après ${attempts} essais.`,
      );
    } else {
      result.retried += 1;
    }
  }
  recordEmailRun(result);
  return result;
}

const log = () => jobLogger("courriels");

interface Worker {
  db: Kysely<DB>;
  timer: ReturnType<typeof setInterval>;
  kickTimer: ReturnType<typeof setTimeout> | undefined;
  running: boolean;
  again: boolean;
  stopped: boolean;
  stop: () => void;
}

let worker: Worker | undefined;

function runWorker(w: Worker): void {
  if (w.stopped) return;
  if (w.running) {
    w.again = true; // one run at a time; run once more when this one ends
    return;
  }
  w.running = true;
  w.again = false;
  const started = performance.now();
  deliverDueEmails(w.db)
    .then((r) => {
      // One line per run that did something (an idle run is a debug line).
      const durationMs = Math.round(performance.now() - started);
      const level = r.failed > 0 ? "warn" : r.sent + r.retried > 0 ? "info" : "debug";
      log()[level](
        { ...r, durationMs },
        `Envoi des e-mails${NBSP}: ${r.sent} envoyé${r.sent > 1 ? "s" : ""}, ${r.retried} à réessayer, ${r.failed} abandonné${r.failed > 1 ? "s" : ""}.`,
      );
    })
    .catch((error: unknown) => {
      log().error({ error: describeError(error) }, "Envoi des e-mails interrompu.");
    })
    .finally(() => {
      w.running = false;
      if (w.again && !w.stopped) runWorker(w);
    });
}

/**
 * Start a periodic in-process delivery loop (interval from config, default 10 s);
 * returns a stop function. Starting again replaces the previous loop.
 */
export function startEmailWorker(db: Kysely<DB>, options: { intervalMs?: number } = {}): () => void {
  worker?.stop();
  const intervalMs = options.intervalMs ?? config().emailWorkerIntervalMs;
  const timer = setInterval(() => runWorker(w), intervalMs);
  timer.unref?.();
  const w: Worker = {
    db,
    timer,
    kickTimer: undefined,
    running: false,
    again: false,
    stopped: false,
    stop() {
      w.stopped = true;
      clearInterval(w.timer);
      if (w.kickTimer) clearTimeout(w.kickTimer);
      if (worker === w) worker = undefined;
    },
  };
  worker = w;
  runWorker(w); // send whatever was left pending before the start
  return w.stop;
}

/** Ask the running worker for a delivery run as soon as possible (debounced; no-op without a worker). */
export function kickEmailDelivery(): void {
  const w = worker;
  if (!w || w.stopped || w.kickTimer) return;
  w.kickTimer = setTimeout(() => {
    w.kickTimer = undefined;
    runWorker(w);
  }, 50);
  w.kickTimer.unref?.();
}
