/**
 * What every process said to the Stripe stand-in: with STRIPE_MOCK_STATE_FILE, each process
 * (servers, `npm run settle`) appends every keyed request, its answer and the objects it created
 * to one JSON-lines file, and replays what the others appended before each request: the file is
 * the one place where all of them show up. A line cut short by a killed process is counted, not
 * fatal.
 */
import fs from "node:fs";
import type { RecordedRequest } from "~/demo/stripe-api.server";

export interface StripeLog {
  requests: RecordedRequest[];
  refunds: Array<{
    id: string;
    payment_intent: string;
    amount: number;
    status: string;
    metadata: Record<string, string>;
  }>;
  transfers: Array<{
    id: string;
    amount: number;
    destination: string;
    transfer_group: string | null;
    metadata: Record<string, string>;
  }>;
  /** idempotency keys answered, in order */
  idempotentKeys: string[];
  tornLines: number;
}

export function readStripeLog(file: string): StripeLog {
  const log: StripeLog = { requests: [], refunds: [], transfers: [], idempotentKeys: [], tornLines: 0 };
  if (!fs.existsSync(file)) return log;
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line) as Record<string, unknown>;
    } catch {
      log.tornLines++;
      continue;
    }
    if (r.type === "request") log.requests.push(r.request as RecordedRequest);
    if (r.type === "refund") log.refunds.push(r.refund as StripeLog["refunds"][number]);
    if (r.type === "transfer") log.transfers.push(r.transfer as StripeLog["transfers"][number]);
    if (r.type === "idempotent") {
      log.idempotentKeys.push(String(r.key));
      // Objects created by a keyed request are stored in the same line as the answer.
      const body = (r.result as { body?: { object?: string } } | undefined)?.body;
      if (body?.object === "refund") log.refunds.push(body as StripeLog["refunds"][number]);
      if (body?.object === "transfer") log.transfers.push(body as StripeLog["transfers"][number]);
    }
  }
  return log;
}
