/**
 * Abondement (matchfunding) rules, DESIGN §11 and docs/decisions/029-matching.md.
 * Pure: no I/O, no floats. Every amount is integer cents.
 *
 * A match follows its contribution: reserved when it is paid, released when it is
 * refunded (or disputed) or the campaign fails or is cancelled, confirmed when the
 * campaign is funded. What a contribution gets is the ratio applied to its amount,
 * rounded down to the cent (an envelope is never overspent by rounding), then limited
 * by the cap per contribution, what the campaign's cap leaves, what the envelope
 * leaves, and the per-citizen rule. When only part remains, the match is partial.
 */

export interface FundRules {
  /** 10 000 = 1 € for 1 € */
  ratioBps: number;
  capPerCampaignCents: number | null;
  capPerContributionCents: number | null;
  /** contributions of one citizen matched on one campaign; null = all */
  matchesPerCitizen: number | null;
}

export interface FundState {
  envelopeCents: number;
  /** reserved + confirmed over the whole fund */
  committedCents: number;
  /** reserved + confirmed on this campaign */
  campaignCommittedCents: number;
  /** this citizen's live (reserved or confirmed) matches on this campaign */
  citizenMatches: number;
}

export type MatchLimit = "envelope" | "campaign_cap" | "contribution_cap" | "citizen" | null;

export interface MatchQuote {
  /** what the Département adds; 0 when nothing is left or the citizen's quota is used */
  amountCents: number;
  /** what the full ratio would give */
  fullCents: number;
  /** why amountCents < fullCents (null when it is not) */
  limitedBy: MatchLimit;
}

function assertCents(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${what} must be a non-negative integer number of cents, got ${value}`);
}

/** The ratio applied to an amount, rounded down to the cent. */
export function ratioOf(amountCents: number, ratioBps: number): number {
  assertCents(amountCents, "amount");
  assertCents(ratioBps, "ratio");
  return Number((BigInt(amountCents) * BigInt(ratioBps)) / 10000n);
}

/** What is left in the envelope. */
export function envelopeAvailable(state: Pick<FundState, "envelopeCents" | "committedCents">): number {
  return Math.max(0, state.envelopeCents - state.committedCents);
}

/** What is left for one campaign: its cap's remainder, bounded by the envelope's. */
export function campaignAvailable(rules: FundRules, state: FundState): number {
  const envelope = envelopeAvailable(state);
  if (rules.capPerCampaignCents === null) return envelope;
  return Math.min(envelope, Math.max(0, rules.capPerCampaignCents - state.campaignCommittedCents));
}

/** What a contribution of amountCents gets, given the fund's rules and live state. */
export function quoteMatch(amountCents: number, rules: FundRules, state: FundState): MatchQuote {
  const fullCents = ratioOf(amountCents, rules.ratioBps);
  if (fullCents === 0) return { amountCents: 0, fullCents, limitedBy: null };
  if (rules.matchesPerCitizen !== null && state.citizenMatches >= rules.matchesPerCitizen)
    return { amountCents: 0, fullCents, limitedBy: "citizen" };
  let amount = fullCents;
  let limitedBy: MatchLimit = null;
  const limits: Array<[number | null, Exclude<MatchLimit, null | "citizen">]> = [
    [rules.capPerContributionCents, "contribution_cap"],
    [
      rules.capPerCampaignCents === null
        ? null
        : Math.max(0, rules.capPerCampaignCents - state.campaignCommittedCents),
      "campaign_cap",
    ],
    [envelopeAvailable(state), "envelope"],
  ];
  for (const [limit, name] of limits) {
    if (limit !== null && limit < amount) {
      amount = limit;
      limitedBy = name;
    }
  }
  return { amountCents: amount, fullCents, limitedBy };
}

/** Whether a fund takes new matches at an instant (open, not closed early). */
export function fundOpen(
  fund: { startsAt: string; endsAt: string; closedAt: string | null },
  at: Date,
): boolean {
  const t = at.toISOString();
  return fund.closedAt === null && fund.startsAt <= t && t < fund.endsAt;
}

/** « user:<id> » for a signed-in citizen, else « email:<lower-case address> ». */
export function citizenKey(c: { userId: number | null; email: string }): string {
  return c.userId !== null ? `user:${c.userId}` : `email:${c.email.trim().toLowerCase()}`;
}

/** The ratio as French text: « 1 € pour 1 € », « 0,50 € pour 1 € ». */
export function ratioLabel(ratioBps: number): string {
  const cents = ratioOf(100, ratioBps);
  const euros = Math.floor(cents / 100);
  const rest = cents % 100;
  const amount = rest === 0 ? `${euros}` : `${euros},${String(rest).padStart(2, "0")}`;
  return `${amount}\u00a0€ pour 1\u00a0€`;
}

/**
 * Which rules may still change. Once a fund has matches (reserved or confirmed), only
 * closing it early and adding money to its envelope are allowed.
 */
export function rulesFrozen(s: {
  reservedCents: number;
  confirmedCents: number;
  hasMatches: boolean;
}): boolean {
  return s.hasMatches || s.reservedCents > 0 || s.confirmedCents > 0;
}
