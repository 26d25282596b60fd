/**
 * People's rights over their data (app/account): the export covers every table that names a person,
 * deletion keeps what the law requires and nothing else, the retention purge (fake clock) anonymises
 * and deletes what is past its period, the e-mail change is confirmed from the new address. After
 * each, the books still reconcile and the key figures' aggregates equal their recomputation. A real
 * seeded database (SQLite, or PostgreSQL under TEST_DATABASE_URL), the real Resend sender with msw.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import {
  PERSONAL_TABLES,
  confirmEmailChange,
  deleteAccount,
  deletionBlockers,
  exportPersonalData,
  isAnonymousAddress,
  personalColumns,
  requestEmailChange,
} from "~/account/rights.server";
import { runRetentionPurge } from "~/account/retention-purge.server";
import { createSession } from "~/auth.server";
import { closeDatabase, database, initDatabase } from "~/db.server";
import { readOutbox, resendHandlers } from "~/demo/resend-api.server";
import { checkFigureAggregates } from "~/models/figures.server";
import { reconcile } from "~/settlement/reconcile.server";
import { retentionPeriods } from "~/retention.server";
import { tempDatabasePath } from "../support/db";

const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), "propulsons-rights-"));
const OUTBOX = path.join(outboxDir, "outbox.jsonl");
process.env.DEMO_OUTBOX_PATH = OUTBOX;
process.env.PUBLIC_URL = "https://propulsons.example";
delete process.env.RESEND_API_KEY;
delete process.env.STRIPE_SECRET_KEY;

const mail = setupServer(...resendHandlers);
let cleanup: () => void;
let db: Kysely<DB>;
const NOW = new Date();

beforeAll(async () => {
  mail.listen({ onUnhandledRequest: "error" });
  const tmp = tempDatabasePath("rights");
  cleanup = tmp.cleanup;
  await initDatabase({ path: tmp.file, seed: true, now: NOW });
  db = database().db;
});

afterAll(async () => {
  mail.close();
  await closeDatabase();
  cleanup();
  fs.rmSync(outboxDir, { recursive: true, force: true });
});

async function booksAreClean(): Promise<void> {
  const balances = await reconcile(db);
  expect(balances.filter((b) => b.problems.length > 0).map((b) => [b.slug, b.problems])).toEqual([]);
  expect(await checkFigureAggregates(db)).toEqual([]);
}

/** A contributor of paid contributions on a finished campaign, given an account, a session and more rows. */
async function contributorWithAccount(skip: string[] = []): Promise<{ id: number; email: string }> {
  const row = await db
    .selectFrom("contributions as k")
    .innerJoin("campaigns as c", "c.id", "k.campaign_id")
    .select("k.email")
    .where("k.status", "=", "paid")
    .where("c.status", "=", "funded")
    .where("k.email", "not in", ["", ...skip])
    .where("k.email", "not in", (eb) => eb.selectFrom("users").select("email"))
    .orderBy("k.email")
    .executeTakeFirstOrThrow();
  const user = await db
    .insertInto("users")
    .values({
      email: row.email,
      display_name: "Dominique Test",
      role: "citizen",
      created_at: NOW.toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await createSession(db, user.id, "Mozilla/5.0 (Linux; Android 14) Chrome/130.0 Mobile Safari/537.36", NOW);
  const k = await db
    .selectFrom("contributions")
    .select(["id", "campaign_id"])
    .where("email", "=", row.email)
    .executeTakeFirstOrThrow();
  await db
    .insertInto("news_subscriptions")
    .values({ campaign_id: k.campaign_id, email: row.email, token: `t-${user.id}` })
    .execute();
  await db
    .insertInto("receipt_requests")
    .values({
      contribution_id: k.id,
      first_name: "Dominique",
      last_name: "Test",
      street: "1 rue de la Paix",
      postal_code: "62000",
      town: "Arras",
      country: "FR",
      created_at: NOW.toISOString(),
    })
    .execute();
  await db
    .insertInto("email_outbox")
    .values({
      kind: "contribution_receipt",
      to_email: row.email,
      payload_json: JSON.stringify({ name: "Dominique" }),
      idempotency_key: `test:${user.id}`,
      status: "sent",
      next_attempt_at: NOW.toISOString(),
      created_at: NOW.toISOString(),
    })
    .execute();
  await db
    .insertInto("sign_in_requests")
    .values({
      email: row.email,
      token_hash: `test-token-${user.id}`,
      code_hash: `test-code-${user.id}`,
      ip: "192.0.2.1",
      created_at: NOW.toISOString(),
      expires_at: NOW.toISOString(),
    })
    .execute();
  return { id: user.id, email: row.email };
}

describe("the export covers every table that names a person", () => {
  it("lists each column with an e-mail or a user id, and nothing else", async () => {
    const found = await personalColumns(db);
    const declared = Object.entries(PERSONAL_TABLES)
      .flatMap(([table, spec]) => spec.columns.map((column) => ({ table, column })))
      .sort((a, b) => a.table.localeCompare(b.table) || a.column.localeCompare(b.column));
    // A new table with a user_id or e-mail column fails here until PERSONAL_TABLES lists it
    // (with its export and its fate on deletion).
    expect(found).toEqual(declared);
  });

  it("exports the person's rows of every table, without secrets", async () => {
    const person = await contributorWithAccount();
    const exported = await exportPersonalData(db, person.id, NOW);
    const parsed = JSON.parse(JSON.stringify(exported)) as typeof exported;
    for (const table of Object.keys(PERSONAL_TABLES)) expect(parsed.tables).toHaveProperty(table);
    const count = async (
      table: "contributions" | "news_subscriptions" | "email_outbox" | "sign_in_requests",
    ) =>
      (
        await db
          .selectFrom(table)
          .select(db.fn.countAll<number>().as("n"))
          .where(table === "email_outbox" ? "to_email" : "email", "=", person.email)
          .executeTakeFirstOrThrow()
      ).n;
    expect(parsed.tables.contributions).toHaveLength(Number(await count("contributions")));
    expect(parsed.tables.news_subscriptions).toHaveLength(Number(await count("news_subscriptions")));
    expect(parsed.tables.email_outbox).toHaveLength(Number(await count("email_outbox")));
    expect(parsed.tables.sign_in_requests).toHaveLength(1);
    expect(parsed.tables.sessions).toHaveLength(1);
    expect(parsed.tables.receipt_requests).toHaveLength(1);
    expect(parsed.tables.users).toEqual([expect.objectContaining({ id: person.id, email: person.email })]);
    const text = JSON.stringify(parsed);
    for (const secret of ["id_hash", "token_hash", "code_hash", '"token"', "test-token-", "test-code-"])
      expect(text).not.toContain(secret);
  });

  it("a holder's export carries their structures and campaigns", async () => {
    const holder = await db
      .selectFrom("users as u")
      .innerJoin("organizations as o", "o.owner_user_id", "u.id")
      .select("u.id")
      .executeTakeFirstOrThrow();
    const exported = await exportPersonalData(db, holder.id, NOW);
    expect(exported.tables.organizations!.length).toBeGreaterThan(0);
    expect(exported.tables.campaigns!.length).toBeGreaterThan(0);
    expect(exported.tables.campaign_transitions).toBeDefined();
  });
});

describe("deleting an account", () => {
  it("erases or anonymises every personal column and keeps the money rows as they were", async () => {
    const person = await contributorWithAccount();
    const before = await db
      .selectFrom("contributions")
      .selectAll()
      .where("email", "=", person.email)
      .orderBy("id")
      .execute();
    const requestBefore = await db
      .selectFrom("receipt_requests")
      .selectAll()
      .where(
        "contribution_id",
        "in",
        before.map((k) => k.id),
      )
      .execute();
    expect(await deleteAccount(db, person.id, NOW)).toEqual({ ok: true });

    const after = await db
      .selectFrom("contributions")
      .selectAll()
      .where(
        "id",
        "in",
        before.map((k) => k.id),
      )
      .orderBy("id")
      .execute();
    const placeholder = after[0]!.email;
    expect(isAnonymousAddress(placeholder)).toBe(true);
    // Every column: the personal ones changed, everything else exactly as before.
    expect(after).toEqual(
      before.map((k) => ({
        ...k,
        email: placeholder,
        public_name: "Anonyme",
        anonymous: 1,
        message: null,
        anonymised_at: NOW.toISOString(),
      })),
    );
    const user = await db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", person.id)
      .executeTakeFirstOrThrow();
    expect(user).toEqual({
      id: person.id,
      email: expect.stringMatching(/^anonyme-[0-9a-f]{16}@anonyme\.invalid$/),
      display_name: "Compte supprimé",
      role: "citizen",
      created_at: NOW.toISOString(),
      deleted_at: NOW.toISOString(),
    });
    for (const [table, column] of [
      ["email_outbox", "to_email"],
      ["news_subscriptions", "email"],
      ["sign_in_requests", "email"],
      ["sign_in_failures", "email"],
      ["figure_citizens", "email"],
      ["contributions", "email"],
      ["users", "email"],
    ] as const) {
      const rows = await db.selectFrom(table).select(column).where(column, "=", person.email).execute();
      expect(rows, table).toEqual([]);
    }
    expect(
      await db.selectFrom("sessions").select("id_hash").where("user_id", "=", person.id).execute(),
    ).toEqual([]);
    expect(
      await db
        .selectFrom("matches")
        .select("id")
        .where("citizen_key", "=", `email:${person.email.toLowerCase()}`)
        .execute(),
    ).toEqual([]);
    // The law keeps tax-receipt requests for RETENTION_ACCOUNTING_YEARS.
    const requestAfter = await db
      .selectFrom("receipt_requests")
      .selectAll()
      .where(
        "contribution_id",
        "in",
        before.map((k) => k.id),
      )
      .execute();
    expect(requestAfter).toEqual(requestBefore);
    await booksAreClean();
  });

  it("a holder with a live campaign is told why, and the last staff member cannot go", async () => {
    const holder = await db
      .selectFrom("users as u")
      .innerJoin("organizations as o", "o.owner_user_id", "u.id")
      .innerJoin("campaigns as c", "c.organization_id", "o.id")
      .select(["u.id", "c.title"])
      .where("c.status", "=", "live")
      .executeTakeFirstOrThrow();
    const refused = await deleteAccount(db, holder.id, NOW);
    expect(refused.ok).toBe(false);
    expect(await deletionBlockers(db, holder.id)).toContain(
      `La campagne «\u00a0${holder.title}\u00a0» est en ligne\u00a0: attendez la fin de son règlement.`,
    );
    const staff = await db.selectFrom("users").select("id").where("role", "=", "staff").execute();
    expect(staff).toHaveLength(1);
    expect(await deleteAccount(db, staff[0]!.id, NOW)).toEqual({
      ok: false,
      reasons: [
        "Vous êtes le dernier membre de l’équipe du Département\u00a0: ajoutez d’abord un autre membre (npm run staff:add).",
      ],
    });
  });
});

describe("changing the e-mail address", () => {
  const lastCodeTo = (to: string) => {
    const m = readOutbox(OUTBOX)
      .filter((x) => x.to.includes(to))
      .at(-1);
    return { subject: m?.subject ?? "", code: /(\d{6})$/.exec(m?.subject ?? "")?.[1] };
  };

  it("changes only once the new address gives back its code, and tells the old one", async () => {
    const person = await contributorWithAccount();
    const next = `nouvelle.${person.id}@example.net`;
    expect(await requestEmailChange(db, { userId: person.id, email: next, now: NOW })).toEqual({
      ok: true,
      newEmail: next,
    });
    const unchanged = await db
      .selectFrom("users")
      .select("email")
      .where("id", "=", person.id)
      .executeTakeFirstOrThrow();
    expect(unchanged.email).toBe(person.email);
    const { code } = lastCodeTo(next);
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === "000000" ? "111111" : "000000";
    expect((await confirmEmailChange(db, { userId: person.id, code: wrong, now: NOW })).ok).toBe(false);
    expect(await confirmEmailChange(db, { userId: person.id, code: code!, now: NOW })).toEqual({
      ok: true,
      newEmail: next,
    });
    const user = await db
      .selectFrom("users")
      .select("email")
      .where("id", "=", person.id)
      .executeTakeFirstOrThrow();
    expect(user.email).toBe(next);
    // Contributions follow the account; the old address is told.
    expect(
      await db.selectFrom("contributions").select("id").where("email", "=", person.email).execute(),
    ).toEqual([]);
    const notice = await db
      .selectFrom("email_outbox")
      .select(["kind", "to_email"])
      .where("kind", "=", "email_changed_notice")
      .where("to_email", "=", person.email)
      .execute();
    expect(notice).toHaveLength(1);
    await booksAreClean();
  });

  it("an address of another account gets the same answer, and no code can confirm it", async () => {
    const a = await contributorWithAccount();
    const b = await contributorWithAccount([a.email]);
    expect(await requestEmailChange(db, { userId: a.id, email: b.email, now: NOW })).toEqual({
      ok: true,
      newEmail: b.email,
    });
    const told = lastCodeTo(b.email);
    expect(told.subject).toMatch(/^Propulsons\s:\sune demande concernant votre adresse$/u);
    expect(told.code).toBeUndefined();
    for (const guess of ["000000", "123456"])
      expect((await confirmEmailChange(db, { userId: a.id, code: guess, now: NOW })).ok).toBe(false);
    const user = await db
      .selectFrom("users")
      .select("email")
      .where("id", "=", a.id)
      .executeTakeFirstOrThrow();
    expect(user.email).toBe(a.email);
  });
});

describe("the retention purge (fake clock)", () => {
  it("erases what is past its period, keeps the books clean, and does nothing the second time", async () => {
    const p = retentionPeriods();
    const later = new Date(NOW.getTime() + (p.accountingYears * 366 + 40) * 24 * 3600_000);
    // The abondement counts matches per citizen by « email:<address> » for those without an account.
    const keyed = await db
      .selectFrom("matches")
      .select("citizen_key")
      .where("citizen_key", "like", "email:%")
      .execute();
    expect(keyed.filter((m) => !isAnonymousAddress(m.citizen_key)).length).toBeGreaterThan(0);
    const first = await runRetentionPurge(db, { now: later });
    expect(first.signInRequests).toBeGreaterThan(0);
    expect(first.sessions).toBeGreaterThan(0);
    expect(first.contributorsAnonymised).toBeGreaterThan(0);
    expect(first.inactiveAccountsDeleted).toBeGreaterThan(0);
    expect(first.receiptRequestsAnonymised).toBeGreaterThan(0);
    // Contributors without an account: no e-mail, name nor message left.
    const left = await db
      .selectFrom("contributions as k")
      .innerJoin("campaigns as c", "c.id", "k.campaign_id")
      .select(["k.email", "k.public_name", "k.message"])
      .where(
        "c.ends_at",
        "<",
        new Date(later.getTime() - p.contributorMonths * 31 * 24 * 3600_000).toISOString(),
      )
      .where("k.anonymised_at", "is", null)
      .execute();
    expect(left).toEqual([]);
    // Nor in the abondement's per-citizen keys of their contributions.
    const keysLeft = await db
      .selectFrom("matches as m")
      .innerJoin("contributions as k", "k.id", "m.contribution_id")
      .select(["m.citizen_key", "k.email"])
      .where("k.anonymised_at", "is not", null)
      .where("m.citizen_key", "like", "email:%")
      .execute();
    expect(keysLeft.length).toBeGreaterThan(0);
    expect(keysLeft.filter((m) => m.citizen_key !== `email:${m.email}`)).toEqual([]);
    expect(keysLeft.every((m) => isAnonymousAddress(m.citizen_key))).toBe(true);
    const requests = await db
      .selectFrom("receipt_requests")
      .selectAll()
      .where("anonymised_at", "is", null)
      .execute();
    expect(requests).toEqual([]);
    const second = await runRetentionPurge(db, { now: later });
    expect(
      Object.values(second).every((n, i) => n === 0 || Object.keys(second)[i] === "inactiveAccountsKept"),
    ).toBe(true);
    await booksAreClean();
  });
});
