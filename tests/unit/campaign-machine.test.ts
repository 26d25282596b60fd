import { describe, expect, it } from "vitest";
import {
  actorOf,
  CAMPAIGN_EVENTS,
  CAMPAIGN_STATES,
  holderEditing,
  isAllowed,
  staffActions,
  transition,
  TransitionError,
  type Actor,
  type CampaignEvent,
  type CampaignState,
  type TransitionContext,
} from "~/domain/campaign-machine";

// The lifecycle of docs/product-rules.md#campaign-lifecycle, written out independently of the module.
const EXPECTED: Array<[CampaignState, CampaignEvent, CampaignState, Actor]> = [
  ["draft", "submit", "submitted", "holder"],
  ["submitted", "request_changes", "changes_requested", "staff"],
  ["changes_requested", "resubmit", "submitted", "holder"],
  ["submitted", "approve", "approved", "staff"],
  ["submitted", "reject", "rejected", "staff"],
  ["approved", "start", "live", "system"],
  ["live", "deadline", "settling", "system"],
  ["settling", "settle_funded", "funded", "system"],
  ["settling", "settle_failed", "failed", "system"],
  ["approved", "cancel", "cancelled", "staff"],
  ["live", "cancel", "cancelled", "staff"],
];

const NOW = new Date("2026-04-01T10:00:00Z");

/** A context in which every guard of the expected rule passes. */
function passingContext(event: CampaignEvent, actor: Actor): TransitionContext {
  return {
    actor,
    now: NOW,
    reason: "Motif de test",
    hasRequiredContent: true,
    startsAt: new Date("2026-03-01T00:00:00Z"),
    endsAt: new Date("2026-03-31T21:59:59Z"),
    goalCents: 100_000,
    paidTotalCents: event === "settle_failed" ? 50_000 : 150_000,
    inFlightCount: 0,
  };
}

describe("campaign state machine: every (state, event) pair", () => {
  const pairs = CAMPAIGN_STATES.flatMap((state) => CAMPAIGN_EVENTS.map((event) => [state, event] as const));
  it("covers 10 states × 10 events", () => {
    expect(pairs).toHaveLength(100);
  });

  it.each(pairs)("%s + %s", (state, event) => {
    const rule = EXPECTED.find(([s, e]) => s === state && e === event);
    if (rule) {
      const [, , to, actor] = rule;
      expect(transition(state, event, passingContext(event, actor))).toBe(to);
    } else {
      for (const actor of ["holder", "staff", "system"] as const) {
        let caught: unknown;
        try {
          transition(state, event, passingContext(event, actor));
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(TransitionError);
        const err = caught as TransitionError;
        expect(err.refusal).toBe("not_allowed");
        expect(err.state).toBe(state);
        expect(err.event).toBe(event);
        expect(err.message).toContain(`${state} → ${event}`);
      }
    }
  });
});

describe("actors", () => {
  it.each(EXPECTED)("%s + %s is refused to any actor but the right one", (state, event, _to, actor) => {
    for (const other of (["holder", "staff", "system"] as const).filter((a) => a !== actor)) {
      expect(() => transition(state, event, passingContext(event, other))).toThrowError(
        expect.objectContaining({ refusal: "wrong_actor", state, event }),
      );
    }
  });
});

describe("guards", () => {
  const refused = (
    state: CampaignState,
    event: CampaignEvent,
    ctx: Partial<TransitionContext>,
    actor: Actor,
  ) =>
    expect(() => transition(state, event, { ...passingContext(event, actor), ...ctx })).toThrowError(
      expect.objectContaining({ refusal: "guard", state, event }),
    );

  it("submit and resubmit need the required content", () => {
    refused("draft", "submit", { hasRequiredContent: false }, "holder");
    refused("changes_requested", "resubmit", { hasRequiredContent: undefined }, "holder");
  });

  it("request_changes needs a comment, reject and cancel a reason", () => {
    refused("submitted", "request_changes", { reason: "   " }, "staff");
    refused("submitted", "reject", { reason: null }, "staff");
    refused("approved", "cancel", { reason: "" }, "staff");
    refused("live", "cancel", { reason: undefined }, "staff");
  });

  it("start needs starts_at reached (to the millisecond)", () => {
    const startsAt = new Date("2026-04-01T10:00:00.000Z");
    refused("approved", "start", { startsAt, now: new Date(startsAt.getTime() - 1) }, "system");
    expect(transition("approved", "start", { actor: "system", now: startsAt, startsAt })).toBe("live");
    refused("approved", "start", { startsAt: undefined }, "system");
  });

  it("deadline needs ends_at passed", () => {
    const endsAt = new Date("2026-03-31T21:59:59.000Z");
    refused("live", "deadline", { endsAt, now: new Date(endsAt.getTime() - 1) }, "system");
    expect(transition("live", "deadline", { actor: "system", now: endsAt, endsAt })).toBe("settling");
  });

  it("settle_funded needs paid total ≥ goal: exactly at goal is funded", () => {
    expect(
      transition("settling", "settle_funded", {
        actor: "system",
        now: NOW,
        goalCents: 1000,
        paidTotalCents: 1000,
        inFlightCount: 0,
      }),
    ).toBe("funded");
    refused("settling", "settle_funded", { goalCents: 1000, paidTotalCents: 999 }, "system");
    refused("settling", "settle_failed", { goalCents: 1000, paidTotalCents: 1000 }, "system");
    expect(
      transition("settling", "settle_failed", {
        actor: "system",
        now: NOW,
        goalCents: 1000,
        paidTotalCents: 999,
        inFlightCount: 0,
      }),
    ).toBe("failed");
  });

  it("settling waits for payments in flight until the grace period is over", () => {
    refused("settling", "settle_funded", { inFlightCount: 2, graceOver: false }, "system");
    refused("settling", "settle_failed", { inFlightCount: 1 }, "system");
    expect(
      transition("settling", "settle_failed", {
        ...passingContext("settle_failed", "system"),
        inFlightCount: 1,
        graceOver: true,
      }),
    ).toBe("failed");
  });

  it("refuses to settle when the totals are unknown", () => {
    refused("settling", "settle_funded", { paidTotalCents: undefined }, "system");
  });
});

describe("state sets the pages read", () => {
  it("the holder edits everything exactly where they (re)submit, and only the story after approval", () => {
    for (const state of CAMPAIGN_STATES) {
      const submits = actorOf(state, "submit") === "holder" || actorOf(state, "resubmit") === "holder";
      expect(holderEditing(state).editable, state).toBe(submits);
    }
    expect(CAMPAIGN_STATES.filter((s) => holderEditing(s).storyOnly)).toEqual([
      "approved",
      "live",
      "settling",
      "funded",
      "failed",
    ]);
    expect(CAMPAIGN_STATES.filter((s) => holderEditing(s).editable && holderEditing(s).storyOnly)).toEqual(
      [],
    );
  });

  it("the staff page offers the decisions the machine accepts from staff, and no other", () => {
    const offered = (featured: boolean) =>
      Object.fromEntries(CAMPAIGN_STATES.map((s) => [s, staffActions(s, featured)]));
    const plain = offered(false);
    expect(CAMPAIGN_STATES.filter((s) => plain[s]!.review)).toEqual(["submitted"]);
    expect(CAMPAIGN_STATES.filter((s) => plain[s]!.cancel)).toEqual(["approved", "live"]);
    expect(CAMPAIGN_STATES.filter((s) => plain[s]!.label)).toEqual([
      "draft",
      "submitted",
      "changes_requested",
      "approved",
      "live",
    ]);
    expect(CAMPAIGN_STATES.filter((s) => plain[s]!.feature)).toEqual(["approved", "live"]);
    expect(CAMPAIGN_STATES.filter((s) => plain[s]!.unfeature)).toEqual([]);
    for (const state of CAMPAIGN_STATES) {
      expect(plain[state]!.cancel, state).toBe(isAllowed(state, "cancel"));
      expect(plain[state]!.review, state).toBe(isAllowed(state, "approve"));
    }
    // A featured campaign can always be taken off the home page, never featured twice.
    const featured = offered(true);
    for (const state of CAMPAIGN_STATES) {
      expect(featured[state]!.unfeature, state).toBe(true);
      expect(featured[state]!.feature, state).toBe(false);
    }
    // The label is frozen once the campaign settles (it sets the commission).
    for (const state of ["settling", "funded", "failed", "cancelled", "rejected"] as const) {
      expect(plain[state]!.label, state).toBe(false);
    }
  });
});
