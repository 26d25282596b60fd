/**
 * Receipt numbers: 1, 2, 3… per structure and calendar year of issue (Europe/Paris), without
 * gaps (docs/decisions/028-tax-receipts.md). The number is taken in the transaction that
 * inserts the receipt: the counter row is upserted and bumped in one statement, which on
 * PostgreSQL locks that row until the transaction ends (a second issuer waits, then sees the
 * bumped value) and on SQLite runs under the write lock every transaction takes at its start
 * (begin immediate). A transaction that rolls back gives its number back.
 */
import { sql, type Transaction } from "kysely";
import type { DB } from "#db/schema";

/** « 2027-0001 »: the year of issue and the number on at least four digits. */
export function orderNumber(year: number, number: number): string {
  return `${year}-${String(number).padStart(4, "0")}`;
}

/** The next number of `organizationId` for `year`; call it inside the transaction that inserts the receipt. */
export async function allocateReceiptNumber(
  trx: Transaction<DB>,
  organizationId: number,
  year: number,
): Promise<number> {
  const row = await trx
    .insertInto("receipt_counters")
    .values({ organization_id: organizationId, year, last_number: 1 })
    .onConflict((oc) =>
      oc
        .columns(["organization_id", "year"])
        .doUpdateSet({ last_number: sql<number>`receipt_counters.last_number + 1` }),
    )
    .returning("last_number")
    .executeTakeFirstOrThrow();
  return Number(row.last_number);
}
