/**
 * A full disk must show up as what it is (issue 12). When SQLite runs out of room it rolls the
 * transaction back by itself (SQLITE_FULL); rolling back again then fails with « cannot rollback
 * - no transaction is active », and that second error used to be the only one thrown and logged.
 *
 * The disk is made full for real with `PRAGMA max_page_count` (the database cannot grow by one
 * more page, which raises SQLITE_FULL exactly as a full file system does) and every free page
 * filled; then Stripe events arrive, through the module and the real webhook route, until one
 * finds no room. SQLite only: the pragma is SQLite's (PostgreSQL's disk-full code, 53100, is
 * classified the same way).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import { setupServer } from "msw/node";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseProblem } from "#db/database-errors";
import { closeDatabase, database, initDatabase } from "~/db.server";
import { createLogger, replaceLogger } from "~/logger.server";
import { handlers } from "~/demo/index.server";
import { makeEvent } from "~/demo/stripe-api.server";
import { signPayload } from "~/demo/stripe-webhooks.server";
import { DEMO_WEBHOOK_SECRET } from "~/payments/stripe.server";
import { processStripeEvent } from "~/payments/webhooks.server";
import { action as webhookAction } from "~/routes/webhooks.stripe";
import { onPostgres, tempDatabasePath } from "../support/db";

const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-disk-full-"));
process.env.DEMO_OUTBOX_PATH = path.join(outboxDir, "outbox.jsonl");
delete process.env.STRIPE_SECRET_KEY;
delete process.env.RESEND_API_KEY;

const msw = setupServer(...handlers);
let tmp: ReturnType<typeof tempDatabasePath>;

beforeAll(async () => {
  msw.listen({ onUnhandledRequest: "error" });
  tmp = tempDatabasePath("disk-full", null);
  await initDatabase({ path: tmp.file, seed: true, now: new Date() });
});

afterAll(async () => {
  msw.close();
  await closeDatabase();
  tmp?.cleanup();
  fs.rmSync(outboxDir, { recursive: true, force: true });
});

/** Fill the database: no free page left, and it may not grow. Returns the function that frees it. */
function fillTheDisk(): () => void {
  const sqlite = database().sqlite!;
  sqlite.exec("create table if not exists ballast (x blob)");
  sqlite.pragma(`max_page_count = ${sqlite.pragma("page_count", { simple: true }) as number}`);
  const insert = sqlite.prepare("insert into ballast values (zeroblob(?))");
  for (const size of [4096, 512, 64, 1]) {
    for (;;) {
      try {
        insert.run(size);
      } catch (error) {
        if ((error as { code?: string }).code !== "SQLITE_FULL") throw error;
        break;
      }
    }
  }
  return () => {
    sqlite.pragma("max_page_count = 1073741823");
    sqlite.exec("drop table ballast");
  };
}

/** A Stripe event about a checkout the platform does not know: recorded, then ignored. */
function anEvent() {
  return makeEvent("checkout.session.completed", {
    id: "cs_test_disk_full",
    object: "checkout.session",
    status: "complete",
    payment_status: "paid",
    client_reference_id: "999999",
    payment_intent: "pi_disk_full",
    metadata: { contribution_id: "999999" },
  });
}

/** Events until one fails (each one recorded takes room in the last page of stripe_events). */
async function untilFull<T>(attempt: () => Promise<T>, failed: (outcome: T) => boolean): Promise<T> {
  for (let i = 0; i < 5_000; i++) {
    const outcome = await attempt();
    if (failed(outcome)) return outcome;
  }
  throw new Error("5 000 events stored on a full disk");
}

describe.skipIf(onPostgres)("a full disk (SQLite)", () => {
  it("the error thrown is SQLITE_FULL, not the failed rollback, and nothing is written", async () => {
    const free = fillTheDisk();
    let event = anEvent();
    try {
      const error = await untilFull(
        () => {
          event = anEvent();
          return processStripeEvent(database().db, event as unknown as Stripe.Event).then(
            () => null,
            (e: unknown) => e,
          );
        },
        (e) => e !== null,
      );
      const shown = inspect(error);
      expect(shown).not.toMatch(/^\w*Error: cannot rollback/);
      expect(shown).toMatch(/SQLITE_FULL/);
      expect(shown).toMatch(/database or disk is full/);
      expect(databaseProblem(error)).toBe("full");
      const stored = await database()
        .db.selectFrom("stripe_events")
        .select("id")
        .where("id", "=", event.id)
        .execute();
      expect(stored).toEqual([]);
    } finally {
      free();
    }
    // Room again: the same event goes through.
    expect(await processStripeEvent(database().db, event as unknown as Stripe.Event)).not.toBe("duplicate");
  });

  it("the webhook route answers a 5xx (Stripe delivers it again) and logs the real cause", async () => {
    const free = fillTheDisk();
    // The route logs through the platform's logger: capture its JSON lines.
    const logged: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged.push(String(chunk));
        done();
      },
    });
    const restore = replaceLogger(createLogger({ format: "json", level: "info" }, sink));
    try {
      const response = await untilFull(
        () => {
          const payload = JSON.stringify(anEvent());
          return webhookAction({
            request: new Request("http://localhost/webhooks/stripe", {
              method: "POST",
              headers: {
                "content-type": "application/json",
                "stripe-signature": signPayload(payload, DEMO_WEBHOOK_SECRET),
              },
              body: payload,
            }),
            params: {},
            context: {},
          });
        },
        (r) => r.status !== 200,
      );
      expect(response.status).toBeGreaterThanOrEqual(500);
      const log = logged.join("\n");
      expect(log).toMatch(/SQLITE_FULL|database or disk is full/);
    } finally {
      restore();
      free();
    }
  });
});
