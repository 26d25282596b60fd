/** A webhook signature's date is bounded both ways: Stripe's 5 minutes back, a minute of clock skew ahead. */
import { describe, expect, it } from "vitest";
import { signPayload } from "~/demo/stripe-webhooks.server";
import {
  DEMO_WEBHOOK_SECRET,
  signatureTimestamp,
  verifyWebhook,
  WebhookSignatureError,
} from "~/payments/stripe.server";

const now = 1_800_000_000;
const payload = JSON.stringify({ id: "evt_test", object: "event", type: "customer.created", data: {} });
const at = (t: number) => signPayload(payload, DEMO_WEBHOOK_SECRET, t);
const verify = (t: number, header = at(t)) => verifyWebhook(payload, header, new Date(now * 1000));

describe("webhook signature timestamps", () => {
  it("accepts now, a little skew ahead, and up to five minutes back", () => {
    for (const t of [now, now + 60, now - 300]) expect(verify(t).id).toBe("evt_test");
  });

  it("refuses an hour ahead, just past the skew, and an hour back", () => {
    expect(() => verify(now + 3600)).toThrow(/future/);
    expect(() => verify(now + 61)).toThrow(WebhookSignatureError);
    expect(() => verify(now - 3600)).toThrow(/tolerance/);
    expect(() => verify(now - 301)).toThrow(WebhookSignatureError);
  });

  it("refuses a header with two timestamps (Stripe's SDK would keep the last)", () => {
    expect(() => verify(now, `t=${now + 3600},${at(now)}`)).toThrow(/exactly one timestamp/);
    expect(() => signatureTimestamp("v1=abc", now)).toThrow(/exactly one timestamp/);
    expect(() => signatureTimestamp("t=abc,v1=abc", now)).toThrow(/not a number/);
  });
});
