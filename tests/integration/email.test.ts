/**
 * The email outbox and sender against the msw stand-in for Resend: content,
 * idempotency, retries with backoff, giving up, concurrent senders.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "#db/connection";
import { tempDatabasePath } from "../support/db";
import { clearOutbox, readOutbox, resendFailures, resendHandlers } from "~/demo/resend-api.server";
import type * as EmailModule from "~/email.server";

// Before any app module reads the configuration (config() caches on first call).
const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-outbox-"));
const outboxFile = path.join(outboxDir, "outbox.jsonl");
process.env.DEMO_OUTBOX_PATH = outboxFile;
delete process.env.RESEND_API_KEY;
delete process.env.EMAIL_FROM;

const NBSP = "\u00a0";
const T0 = new Date("2026-11-10T10:00:00.000Z");
const seconds = (s: number) => new Date(T0.getTime() + s * 1000);

const server = setupServer(...resendHandlers);
let requests = 0;
let email: typeof EmailModule;
let database: Database;
let cleanup: () => void;

const receipt = {
  publicName: "Camille Martin",
  campaignTitle: "Une épicerie solidaire à Lens",
  campaignUrl: "http://localhost:3000/campagnes/epicerie-solidaire-lens",
  amountCents: 2500,
  rewardTitle: "Un panier de légumes",
  paidAt: "2026-11-10T09:58:00.000Z",
  reference: "PRP-000042",
  anonymous: false,
  hideAmount: true,
};

async function enqueueReceipt(key: string, to = "camille@example.org", now = T0) {
  await email.enqueueEmail(database.db, {
    kind: "contribution_receipt",
    data: receipt,
    to,
    idempotencyKey: key,
    now,
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 5000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function outboxRows() {
  return database.db.selectFrom("email_outbox").selectAll().orderBy("id").execute();
}

beforeAll(async () => {
  server.listen({ onUnhandledRequest: "error" });
  server.events.on("request:start", ({ request }) => {
    if (new URL(request.url).hostname === "api.resend.com") requests += 1;
  });
  email = await import("~/email.server");
});

afterAll(() => {
  server.close();
  fs.rmSync(outboxDir, { recursive: true, force: true });
});

beforeEach(async () => {
  const tmp = tempDatabasePath("email");
  cleanup = tmp.cleanup;
  database = openDatabase(tmp.file);
  await migrateToLatest(database.db);
  clearOutbox(outboxFile);
  resendFailures.reset();
  requests = 0;
});

afterEach(async () => {
  await database.close();
  cleanup();
});

describe("email outbox", () => {
  it("delivers the receipt, in French, through the Resend API", async () => {
    await enqueueReceipt("receipt:42");
    const [row] = await outboxRows();
    expect(row).toMatchObject({ status: "pending", attempts: 0, next_attempt_at: T0.toISOString() });

    expect(await email.deliverDueEmails(database.db, { now: T0 })).toEqual({
      sent: 1,
      retried: 0,
      failed: 0,
    });

    const messages = readOutbox(outboxFile);
    expect(messages).toHaveLength(1);
    const message = messages[0]!;
    expect(message.to).toEqual(["camille@example.org"]);
    expect(message.from).toBe("Propulsons <ne-pas-repondre@propulsons.example>");
    expect(message.idempotencyKey).toBe("receipt:42");
    expect(message.subject).toBe(
      `Merci\u202f! Votre contribution à «${NBSP}Une épicerie solidaire à Lens${NBSP}» est confirmée`,
    );
    expect(message.html).toContain('lang="fr"');
    const text = message.text!;
    expect(text).toContain(`Montant\u00a0: 25${NBSP}€`);
    expect(message.html).toContain(`25${NBSP}€`);
    expect(text).toContain("Contrepartie\u00a0: Un panier de légumes");
    expect(text).toContain("Référence\u00a0: PRP-000042");
    expect(text).toContain("10 novembre 2026 à 10\u00a0h\u00a058 (heure de Paris)");
    expect(text).toContain(
      "Si la campagne n’atteint pas son objectif à sa date de fin, vous serez intégralement remboursé, automatiquement, sur le moyen de paiement utilisé.",
    );
    expect(text).toContain(`sous le nom «${NBSP}Camille Martin${NBSP}», sans son montant`);
    expect(text).toContain("Ce message n’est pas un reçu fiscal");

    const [sent] = await outboxRows();
    expect(sent).toMatchObject({ status: "sent", attempts: 0, provider_id: message.id, last_error: null });
    expect(sent!.sent_at).toBe(T0.toISOString());

    // Nothing left to send.
    expect(await email.deliverDueEmails(database.db, { now: seconds(3600) })).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
    });
    expect(requests).toBe(1);
  });

  it("says « sans contrepartie » and « anonyme » when it applies", async () => {
    const { text } = await email.renderEmail({
      kind: "contribution_receipt",
      data: { ...receipt, rewardTitle: null, anonymous: true, hideAmount: false },
    });
    expect(text).toContain("Contrepartie\u00a0: sans contrepartie");
    expect(text).toContain(`de façon anonyme (sous le nom «${NBSP}Anonyme${NBSP}»), avec son montant`);
  });

  it("enqueues once per idempotency key and sends one message", async () => {
    await enqueueReceipt("receipt:7");
    await enqueueReceipt("receipt:7", "someone-else@example.org");
    await database.db.transaction().execute(async (trx) => {
      await email.enqueueEmail(trx, {
        kind: "contribution_receipt",
        data: receipt,
        to: "camille@example.org",
        idempotencyKey: "receipt:7",
        now: T0,
      });
    });
    const rows = await outboxRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.to_email).toBe("camille@example.org");

    await email.deliverDueEmails(database.db, { now: T0 });
    await email.deliverDueEmails(database.db, { now: seconds(60) });
    expect(readOutbox(outboxFile)).toHaveLength(1);
    expect(requests).toBe(1);
  });

  it("retries a failing API with backoff, then sends once", async () => {
    await enqueueReceipt("receipt:1");
    resendFailures.next(2);

    expect(await email.deliverDueEmails(database.db, { now: T0 })).toEqual({
      sent: 0,
      retried: 1,
      failed: 0,
    });
    let [row] = await outboxRows();
    expect(row).toMatchObject({ status: "pending", attempts: 1, next_attempt_at: seconds(30).toISOString() });
    expect(row!.last_error).toMatch(/500/);
    expect(row!.last_error).not.toContain("re_demo");

    // Not due yet: nothing is sent.
    expect(await email.deliverDueEmails(database.db, { now: seconds(29) })).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
    });
    expect(requests).toBe(1);

    expect(await email.deliverDueEmails(database.db, { now: seconds(30) })).toEqual({
      sent: 0,
      retried: 1,
      failed: 0,
    });
    [row] = await outboxRows();
    expect(row).toMatchObject({ status: "pending", attempts: 2, next_attempt_at: seconds(90).toISOString() });

    expect(await email.deliverDueEmails(database.db, { now: seconds(90) })).toEqual({
      sent: 1,
      retried: 0,
      failed: 0,
    });
    [row] = await outboxRows();
    expect(row).toMatchObject({ status: "sent", attempts: 2, last_error: null });
    expect(readOutbox(outboxFile)).toHaveLength(1);
    expect(requests).toBe(3);

    expect(await email.deliverDueEmails(database.db, { now: seconds(7200) })).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
    });
    expect(readOutbox(outboxFile)).toHaveLength(1);
  });

  it("backs off exponentially, capped at one hour", () => {
    expect([1, 2, 3, 4, 7, 8, 50].map((n) => email.backoffMs(n) / 1000)).toEqual([
      30, 60, 120, 240, 1920, 3600, 3600,
    ]);
  });

  it("gives up after maxAttempts failures and keeps the error for staff", async () => {
    await enqueueReceipt("receipt:2");
    resendFailures.next(10, 503);
    let now = T0;
    const totals = { sent: 0, retried: 0, failed: 0 };
    for (let i = 0; i < 3; i += 1) {
      const r = await email.deliverDueEmails(database.db, { now, maxAttempts: 3 });
      totals.sent += r.sent;
      totals.retried += r.retried;
      totals.failed += r.failed;
      now = new Date(now.getTime() + 3_600_000);
    }
    expect(totals).toEqual({ sent: 0, retried: 2, failed: 1 });
    const [row] = await outboxRows();
    expect(row).toMatchObject({ status: "failed", attempts: 3, sent_at: null, provider_id: null });
    expect(row!.last_error).toMatch(/503/);

    // A failed row is never sent again.
    resendFailures.reset();
    expect(await email.deliverDueEmails(database.db, { now: seconds(86_400) })).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
    });
    expect(readOutbox(outboxFile)).toHaveLength(0);
    expect(requests).toBe(3);
  });

  it("never sends a message twice when two senders run at once", async () => {
    for (let i = 0; i < 6; i += 1) await enqueueReceipt(`receipt:c${i}`, `c${i}@example.org`);
    const [a, b] = await Promise.all([
      email.deliverDueEmails(database.db, { now: T0 }),
      email.deliverDueEmails(database.db, { now: T0 }),
    ]);
    expect(a.sent + b.sent).toBe(6);
    expect(a.retried + b.retried + a.failed + b.failed).toBe(0);
    expect(requests).toBe(6);
    const messages = readOutbox(outboxFile);
    expect(messages).toHaveLength(6);
    expect(new Set(messages.map((m) => m.to[0])).size).toBe(6);
    expect((await outboxRows()).every((r) => r.status === "sent")).toBe(true);
  });

  it("never sends a message twice when two senders run at once at a simulated instant", async () => {
    // `npm run settle -- --now <later>`: a claim must hold against senders on that clock too.
    const later = new Date(Date.now() + 30 * 86_400_000);
    for (let i = 0; i < 6; i += 1) await enqueueReceipt(`receipt:s${i}`, `s${i}@example.org`, new Date());
    const [a, b] = await Promise.all([
      email.deliverDueEmails(database.db, { now: later }),
      email.deliverDueEmails(database.db, { now: later }),
    ]);
    expect(a.sent + b.sent).toBe(6);
    expect(requests).toBe(6);
    expect((await outboxRows()).every((r) => r.status === "sent" && r.claimed_until === null)).toBe(true);
  });

  describe("a sender killed after claiming, at a simulated instant", () => {
    const NOTHING = { sent: 0, retried: 0, failed: 0 };
    /** the real clock once the claim's lease (5 minutes) is over */
    const afterLease = () => Date.now() + 5 * 60_000 + 1000;

    /** `npm run settle -- --now <30 days later>` claims the message, then dies before sending it. */
    async function killedSettler(): Promise<Date> {
      const later = new Date(Date.now() + 30 * 86_400_000);
      await enqueueReceipt("receipt:killed", "camille@example.org", new Date());
      const killed = new Error("killed");
      await expect(
        email.deliverDueEmails(database.db, {
          now: later,
          onClaimed: () => {
            throw killed;
          },
        }),
      ).rejects.toBe(killed);
      expect(requests).toBe(0);
      const [row] = await outboxRows();
      expect(row).toMatchObject({ status: "pending", attempts: 0 });
      // The claim is on the real clock, whatever the settler's simulated one.
      const claimedUntil = Date.parse(row!.claimed_until!);
      expect(claimedUntil).toBeGreaterThan(Date.now());
      expect(claimedUntil).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
      return later;
    }

    it("leaves it to no one while the claim lasts", async () => {
      const later = await killedSettler();
      expect(await email.deliverDueEmails(database.db)).toEqual(NOTHING);
      expect(await email.deliverDueEmails(database.db, { now: later })).toEqual(NOTHING);
      expect(
        await email.deliverDueEmails(database.db, { now: new Date(later.getTime() + 86_400_000) }),
      ).toEqual(NOTHING);
      expect(requests).toBe(0);
    });

    it("is sent once by the server's worker (real clock) when the claim is over", async () => {
      await killedSettler();
      expect(await email.deliverDueEmails(database.db, { clock: afterLease })).toEqual({
        sent: 1,
        retried: 0,
        failed: 0,
      });
      expect(await email.deliverDueEmails(database.db, { clock: afterLease })).toEqual(NOTHING);
      expect(requests).toBe(1);
      expect(readOutbox(outboxFile).map((m) => m.idempotencyKey)).toEqual(["receipt:killed"]);
      const [row] = await outboxRows();
      expect(row).toMatchObject({ status: "sent", claimed_until: null });
    });

    it("is sent once by the next settler, simulated clock or not, when the claim is over", async () => {
      const later = await killedSettler();
      expect(await email.deliverDueEmails(database.db, { now: later, clock: afterLease })).toEqual({
        sent: 1,
        retried: 0,
        failed: 0,
      });
      expect(await email.deliverDueEmails(database.db, { clock: afterLease })).toEqual(NOTHING);
      expect(await email.deliverDueEmails(database.db, { now: later, clock: afterLease })).toEqual(NOTHING);
      expect(requests).toBe(1);
    });
  });

  it("sends due messages oldest first, up to the limit", async () => {
    await enqueueReceipt("receipt:old", "old@example.org", seconds(-60));
    await enqueueReceipt("receipt:new", "new@example.org", seconds(0));
    await enqueueReceipt("receipt:later", "later@example.org", seconds(600));
    expect(await email.deliverDueEmails(database.db, { now: T0, limit: 1 })).toEqual({
      sent: 1,
      retried: 0,
      failed: 0,
    });
    expect(readOutbox(outboxFile).map((m) => m.to[0])).toEqual(["old@example.org"]);
    expect(await email.deliverDueEmails(database.db, { now: T0 })).toEqual({
      sent: 1,
      retried: 0,
      failed: 0,
    });
    expect(readOutbox(outboxFile).map((m) => m.to[0])).toEqual(["old@example.org", "new@example.org"]);
  });

  it("renders the holder notification with the collected amount and the percentage", async () => {
    await email.enqueueEmail(database.db, {
      kind: "holder_new_contribution",
      to: "porteur@example.org",
      idempotencyKey: "holder-new:42",
      now: T0,
      data: {
        campaignTitle: "Une épicerie solidaire à Lens",
        campaignUrl: "http://localhost:3000/campagnes/epicerie-solidaire-lens",
        contributorName: "Anonyme",
        amountCents: 5000,
        rewardTitle: null,
        collectedCents: 313_500,
        goalCents: 500_000,
        percent: 62,
        message: "Bravo pour ce beau projet\u202f!",
      },
    });
    expect(await email.deliverDueEmails(database.db, { now: T0 })).toEqual({
      sent: 1,
      retried: 0,
      failed: 0,
    });
    const [message] = readOutbox(outboxFile);
    expect(message!.to).toEqual(["porteur@example.org"]);
    expect(message!.subject).toBe(`Nouvelle contribution pour «${NBSP}Une épicerie solidaire à Lens${NBSP}»`);
    const text = message!.text!;
    expect(text).toContain("Contributeur\u00a0: Anonyme");
    expect(text).toContain(`Montant\u00a0: 50${NBSP}€`);
    expect(text).toContain(
      `3\u202f135${NBSP}€ collectés sur un objectif de 5\u202f000${NBSP}€, soit 62${NBSP}% de l’objectif.`,
    );
    expect(text).toContain("Bravo pour ce beau projet\u202f!");
    expect(message!.html).toContain(`62${NBSP}%`);
  });
});

describe("settlement emails through the outbox", () => {
  it("stores and delivers a settlement kind like the others", async () => {
    await email.enqueueEmail(database.db, {
      kind: "campaign_refund_contributor",
      to: "camille@example.org",
      idempotencyKey: "refund-email:42",
      now: T0,
      data: {
        campaignTitle: "Une épicerie solidaire à Lens",
        campaignUrl: "http://localhost:3000/campagnes/epicerie-solidaire-lens",
        amountCents: 2500,
        cancelled: true,
        reason: "Projet abandonné par son porteur.",
        collectedCents: 313_500,
        goalCents: 500_000,
      },
    });
    const [row] = await outboxRows();
    expect(row).toMatchObject({ kind: "campaign_refund_contributor", status: "pending" });
    expect(await email.deliverDueEmails(database.db, { now: T0 })).toEqual({
      sent: 1,
      retried: 0,
      failed: 0,
    });
    const [message] = readOutbox(outboxFile);
    expect(message!.subject).toBe(
      `Campagne «${NBSP}Une épicerie solidaire à Lens${NBSP}» annulée${NBSP}: vous allez être remboursé`,
    );
    expect(message!.text).toContain("Projet abandonné par son porteur.");
    expect(message!.text).toContain(`Montant à rembourser${NBSP}: 25${NBSP}€`);
  });
});

describe("email worker", () => {
  it("sends what is pending at start, then on kickEmailDelivery()", async () => {
    await email.enqueueEmail(database.db, {
      kind: "contribution_receipt",
      data: receipt,
      to: "a@example.org",
      idempotencyKey: "w:1",
    });
    const stop = email.startEmailWorker(database.db, { intervalMs: 60_000 });
    try {
      await waitFor(() => readOutbox(outboxFile).length === 1);
      await email.enqueueEmail(database.db, {
        kind: "contribution_receipt",
        data: receipt,
        to: "b@example.org",
        idempotencyKey: "w:2",
      });
      email.kickEmailDelivery();
      email.kickEmailDelivery();
      await waitFor(() => readOutbox(outboxFile).length === 2);
    } finally {
      stop();
    }
    expect(readOutbox(outboxFile).map((m) => m.to[0])).toEqual(["a@example.org", "b@example.org"]);
    expect(requests).toBe(2);
  });
});

describe("demo outbox pages", () => {
  it("lists messages newest first and shows one as HTML", async () => {
    await enqueueReceipt("receipt:p1", "first@example.org");
    await email.deliverDueEmails(database.db, { now: T0 });
    await enqueueReceipt("receipt:p2", "second@example.org");
    await email.deliverDueEmails(database.db, { now: T0 });
    const list = await import("~/routes/dev.outbox");
    const one = await import("~/routes/dev.outbox.$id");
    const args = (url: string, params: Record<string, string> = {}) =>
      ({ request: new Request(url), params, context: {} }) as Parameters<typeof list.loader>[0];

    const { messages } = await list.loader(args("http://localhost/dev/outbox"));
    expect(messages.map((m) => m.to)).toEqual(["second@example.org", "first@example.org"]);
    expect(messages[0]!.subject).toContain("Une épicerie solidaire à Lens");

    const response = await one.loader(
      args(`http://localhost/dev/outbox/${messages[1]!.id}`, { id: messages[1]!.id }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.text()).toContain("PRP-000042");

    const missing = await one
      .loader(args("http://localhost/dev/outbox/nope", { id: "nope" }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Response);
    expect((missing as Response).status).toBe(404);
  });
});

describe("mocked Resend API", () => {
  it("refuses a message without a subject, like Resend (422)", async () => {
    const response = await fetch("https://api.resend.com/emails", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ from: "a@example.org", to: "b@example.org", html: "<p>x</p>" }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ statusCode: 422, name: "missing_required_field" });
    expect(readOutbox(outboxFile)).toHaveLength(0);
  });

  it("accepts a batch and replays it for the same Idempotency-Key", async () => {
    const send = () =>
      fetch("https://api.resend.com/emails/batch", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": "batch-1" },
        body: JSON.stringify([
          { from: "a@example.org", to: "b@example.org", subject: "Un", text: "1" },
          { from: "a@example.org", to: ["c@example.org"], subject: "Deux", html: "<p>2</p>" },
        ]),
      }).then((r) => r.json() as Promise<{ data: Array<{ id: string }> }>);
    const first = await send();
    const second = await send();
    expect(first.data).toHaveLength(2);
    expect(second).toEqual(first);
    expect(readOutbox(outboxFile).map((m) => m.subject)).toEqual(["Un", "Deux"]);
  });
});
