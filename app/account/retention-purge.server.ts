/**
 * The retention purge (docs/product-rules.md « Legal frame », app/retention.server.ts): run with
 * the settlement pass, at most once an hour inside the server, and by `npm run settle`. Each step
 * erases or anonymises what is past its period, in batches, and says how many rows it touched;
 * running it again touches nothing more (idempotent).
 */
import { NBSP, NNBSP } from "~/domain/typography";
import type { Kysely } from "kysely";
import type { DB } from "#db/schema";
import { countOf } from "~/domain/format";
import { purgeContactMessages } from "~/legal/contact.server";
import { anonymiseExpiredReceipts } from "~/receipts/retention.server";
import { retentionPeriods, type RetentionPeriods } from "~/retention.server";
import { anonymiseAddress, deleteAccount, isAnonymousAddress } from "./rights.server";

export interface PurgeReport {
  signInRequests: number;
  signInFailures: number;
  sessions: number;
  emailChangeRequests: number;
  contributorsAnonymised: number;
  inactiveAccountsDeleted: number;
  inactiveAccountsKept: number;
  receiptRequestsAnonymised: number;
  receiptsAnonymised: number;
  newsSubscriptions: number;
  contactMessages: number;
}

const BATCH = 200;
const DAY_MS = 24 * 3600_000;

function monthsBefore(now: Date, months: number): string {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString();
}

/** Delete up to BATCH rows at a time until none is left; the number deleted. */
async function deleteInBatches(run: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await run();
    total += n;
    if (n < BATCH) return total;
  }
}

export async function runRetentionPurge(
  db: Kysely<DB>,
  options: { now?: Date; periods?: RetentionPeriods } = {},
): Promise<PurgeReport> {
  const now = options.now ?? new Date();
  const p = options.periods ?? retentionPeriods();
  const securityCutoff = new Date(now.getTime() - p.securityDays * DAY_MS).toISOString();

  // 1. Security records: sign-in codes, wrong codes, closed or expired sessions, e-mail changes.
  const byIdBatch = (table: "sign_in_requests" | "sign_in_failures" | "email_change_requests") => () =>
    db
      .deleteFrom(table)
      .where("id", "in", (eb) =>
        eb.selectFrom(table).select("id").where("created_at", "<", securityCutoff).limit(BATCH),
      )
      .executeTakeFirst()
      .then((r) => Number(r.numDeletedRows));
  const signInRequests = await deleteInBatches(byIdBatch("sign_in_requests"));
  const signInFailures = await deleteInBatches(byIdBatch("sign_in_failures"));
  const emailChangeRequests = await deleteInBatches(byIdBatch("email_change_requests"));
  const sessions = await deleteInBatches(() =>
    db
      .deleteFrom("sessions")
      .where("id_hash", "in", (eb) =>
        eb
          .selectFrom("sessions")
          .select("id_hash")
          .where((w) =>
            w.or([
              w("expires_at", "<", securityCutoff),
              w.and([w("revoked_at", "is not", null), w("revoked_at", "<", securityCutoff)]),
            ]),
          )
          .limit(BATCH),
      )
      .executeTakeFirst()
      .then((r) => Number(r.numDeletedRows)),
  );

  // 2. Contributors without an account: RETENTION_CONTRIBUTOR_MONTHS after the end of their last
  // campaign, their name, e-mail and message go (the money rows stay, anonymised).
  const contributorCutoff = monthsBefore(now, p.contributorMonths);
  let contributorsAnonymised = 0;
  let afterEmail = "";
  for (;;) {
    const rows = await db
      .selectFrom("contributions as k")
      .innerJoin("campaigns as c", "c.id", "k.campaign_id")
      .select("k.email")
      .where("k.anonymised_at", "is", null)
      .where("k.user_id", "is", null)
      .where("c.ends_at", "<", contributorCutoff)
      .where("k.email", ">", afterEmail)
      .where("k.email", "not in", (eb) => eb.selectFrom("users").select("email"))
      .groupBy("k.email")
      .orderBy("k.email")
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    for (const { email } of rows) {
      afterEmail = email;
      if (isAnonymousAddress(email)) continue;
      // Only when every campaign they gave to ended long enough ago.
      const recent = await db
        .selectFrom("contributions as k")
        .innerJoin("campaigns as c", "c.id", "k.campaign_id")
        .select("k.id")
        .where("k.email", "=", email)
        .where("c.ends_at", ">=", contributorCutoff)
        .executeTakeFirst();
      if (recent) continue;
      await db.transaction().execute((trx) => anonymiseAddress(trx, email, now));
      contributorsAnonymised += 1;
    }
  }

  // 3. Accounts nobody used for RETENTION_INACTIVE_ACCOUNT_MONTHS: deleted like a self-deletion,
  // unless something keeps them (a live campaign, an unpaid payout, the last staff member).
  const inactiveCutoff = monthsBefore(now, p.inactiveAccountMonths);
  let inactiveAccountsDeleted = 0;
  let inactiveAccountsKept = 0;
  let afterId = 0;
  for (;;) {
    const users = await db
      .selectFrom("users as u")
      .select("u.id")
      .where("u.deleted_at", "is", null)
      .where("u.id", ">", afterId)
      .where("u.created_at", "<", inactiveCutoff)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("sessions as s")
              .select("s.id_hash")
              .whereRef("s.user_id", "=", "u.id")
              .where((w) =>
                w.or([w("s.created_at", ">=", inactiveCutoff), w("s.last_used_at", ">=", inactiveCutoff)]),
              ),
          ),
        ),
      )
      .orderBy("u.id")
      .limit(BATCH)
      .execute();
    if (users.length === 0) break;
    for (const u of users) {
      afterId = u.id;
      const done = await deleteAccount(db, u.id, now);
      if (done.ok) inactiveAccountsDeleted += 1;
      else inactiveAccountsKept += 1;
    }
  }

  // 4. Accounting records past RETENTION_ACCOUNTING_YEARS: the donor's name and address on tax
  // receipt requests go (amounts, dates and Stripe ids stay on the contribution and the ledger).
  const accountingCutoff = monthsBefore(now, p.accountingYears * 12);
  let receiptRequestsAnonymised = 0;
  for (;;) {
    const ids = await db
      .selectFrom("receipt_requests as r")
      .innerJoin("contributions as k", "k.id", "r.contribution_id")
      .select("r.contribution_id")
      .where("r.anonymised_at", "is", null)
      .where((eb) => eb.fn.coalesce("k.paid_at", "k.created_at"), "<", accountingCutoff)
      .limit(BATCH)
      .execute();
    if (ids.length === 0) break;
    const r = await db
      .updateTable("receipt_requests")
      .set({
        first_name: "",
        last_name: "",
        street: "",
        postal_code: "",
        town: "",
        anonymised_at: now.toISOString(),
      })
      .where(
        "contribution_id",
        "in",
        ids.map((i) => i.contribution_id),
      )
      .executeTakeFirst();
    receiptRequestsAnonymised += Number(r.numUpdatedRows);
  }

  // 4 bis. Issued tax receipts past RETENTION_RECEIPT_YEARS from their issue: the donor's name and
  // address leave the snapshot and the stored PDF (app/receipts/retention.server.ts); the number,
  // date, amount and structure stay in the register.
  const receiptsAnonymised = await anonymiseExpiredReceipts(
    db,
    new Date(monthsBefore(now, p.receiptYears * 12)),
    now,
  );

  // 4 ter. News subscriptions whose contributor is gone: no contribution to that campaign from that
  // address is left unanonymised (the contributor purge, a deleted account). anonymiseAddress
  // deletes an address's subscriptions; this catches every other way one could outlive its person.
  const newsSubscriptions = await deleteInBatches(async () => {
    const orphans = await db
      .selectFrom("news_subscriptions as s")
      .select(["s.campaign_id", "s.email"])
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("contributions as k")
              .select("k.id")
              .whereRef("k.campaign_id", "=", "s.campaign_id")
              .whereRef("k.email", "=", "s.email")
              .where("k.anonymised_at", "is", null),
          ),
        ),
      )
      .limit(BATCH)
      .execute();
    if (orphans.length === 0) return 0;
    return db.transaction().execute(async (trx) => {
      let n = 0;
      for (const o of orphans) {
        const r = await trx
          .deleteFrom("news_subscriptions")
          .where("campaign_id", "=", o.campaign_id)
          .where("email", "=", o.email)
          .executeTakeFirst();
        n += Number(r.numDeletedRows);
      }
      return n;
    });
  });

  // 5. Contact messages after RETENTION_CONTACT_MONTHS (app/legal).
  const contactMessages = await purgeContactMessages(db, new Date(monthsBefore(now, p.contactMonths)));

  return {
    contactMessages,
    signInRequests,
    signInFailures,
    sessions,
    emailChangeRequests,
    contributorsAnonymised,
    inactiveAccountsDeleted,
    inactiveAccountsKept,
    receiptRequestsAnonymised,
    receiptsAnonymised,
    newsSubscriptions,
  };
}

/** One French line for the logs: what the purge did. */
export function purgeSummary(r: PurgeReport): string {
  return (
    `Purge de conservation${NBSP}: ${countOf(r.signInRequests, "demande de connexion", "demandes de connexion")}, ` +
    `${countOf(r.signInFailures, "code erroné", "codes erronés")}, ${countOf(r.sessions, "session", "sessions")}, ` +
    `${countOf(r.emailChangeRequests, "changement d’adresse", "changements d’adresse")} effacés${NNBSP}; ` +
    `${countOf(r.contributorsAnonymised, "contributeur sans compte anonymisé", "contributeurs sans compte anonymisés")}${NNBSP}; ` +
    `${countOf(r.inactiveAccountsDeleted, "compte inactif supprimé", "comptes inactifs supprimés")} ` +
    `(${countOf(r.inactiveAccountsKept, "gardé", "gardés")})${NNBSP}; ` +
    `${countOf(r.receiptRequestsAnonymised, "demande de reçu fiscal anonymisée", "demandes de reçu fiscal anonymisées")}, ` +
    `${countOf(r.receiptsAnonymised, "reçu fiscal anonymisé", "reçus fiscaux anonymisés")}${NNBSP}; ` +
    `${countOf(r.newsSubscriptions, "abonnement aux actualités sans contributeur effacé", "abonnements aux actualités sans contributeur effacés")}${NNBSP}; ` +
    `${countOf(r.contactMessages, "message de contact effacé", "messages de contact effacés")}.`
  );
}

/** Whether anything was done (an idle purge is a debug line). */
export function purgeDidSomething(r: PurgeReport): boolean {
  return Object.values(r).some((n) => n > 0);
}
