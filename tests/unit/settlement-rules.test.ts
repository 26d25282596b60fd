import { describe, expect, it } from "vitest";
import { canBePaid } from "~/domain/settlement";

describe("canBePaid: the one rule for « can this structure receive its payout »", () => {
  it("needs a connected account whose payouts Stripe has enabled", () => {
    expect(canBePaid({ stripe_account_id: "acct_1", stripe_payouts_enabled: 1 })).toBe(true);
    expect(canBePaid({ stripe_account_id: "acct_1", stripe_payouts_enabled: 0 })).toBe(false);
    expect(canBePaid({ stripe_account_id: null, stripe_payouts_enabled: 0 })).toBe(false);
    // A flag left at 1 without an account (never written so, but the rule must not trust it).
    expect(canBePaid({ stripe_account_id: null, stripe_payouts_enabled: 1 })).toBe(false);
  });
});
