/**
 * What the citizen reads about abondement (DESIGN §8, every message is true): the offer on the
 * campaign page, the figure for an amount before paying, and what the thank-you page may say once
 * a match is reserved. Pure (runs in the browser for the live figure); amounts in cents.
 */
import { formatEuros, formatInteger } from "./format";
import { quoteMatch, ratioLabel, type MatchQuote } from "./matching";
import { NBSP, plural } from "./typography";

/** What a campaign page knows of the fund that would match a contribution now. */
export interface MatchingOffer {
  fundName: string;
  ratioBps: number;
  capPerContributionCents: number | null;
  matchesPerCitizen: number | null;
  /** what the fund can still add on this campaign (its cap and its envelope) */
  availableCents: number;
  endsAt: string;
}

const ONE_FOR_ONE = 10_000;

/** « Le Département double votre contribution », or the ratio when it is not 1 € for 1 €. */
export function offerHeadline(ratioBps: number): string {
  return ratioBps === ONE_FOR_ONE
    ? "Le Département double votre contribution"
    : `Le Département ajoute ${ratioLabel(ratioBps)} donné`;
}

/** « doublée » or « abondée »: what the contribution would have been. */
function matchedWord(ratioBps: number): string {
  return ratioBps === ONE_FOR_ONE ? "doublée" : "abondée";
}

/** « 1 250 € d’abondement encore disponibles pour ce projet », or that it ran out. */
export function availabilitySentence(offer: Pick<MatchingOffer, "availableCents" | "ratioBps">): string {
  if (offer.availableCents <= 0)
    return `L’abondement de ce projet est épuisé${NBSP}: votre contribution ne sera pas ${matchedWord(offer.ratioBps)}.`;
  const euros = Math.floor(offer.availableCents / 100);
  return `${formatEuros(offer.availableCents)} d’abondement encore ${plural(euros, "disponible", "disponibles")} pour ce projet.`;
}

/** The limits a citizen should know before choosing an amount (null when there are none). */
export function offerLimits(
  offer: Pick<MatchingOffer, "capPerContributionCents" | "matchesPerCitizen">,
): string | null {
  const parts: string[] = [];
  if (offer.capPerContributionCents !== null)
    parts.push(`jusqu’à ${formatEuros(offer.capPerContributionCents)} d’abondement par contribution`);
  if (offer.matchesPerCitizen !== null)
    parts.push(
      offer.matchesPerCitizen === 1
        ? "une seule contribution abondée par personne"
        : `${formatInteger(offer.matchesPerCitizen)} contributions abondées par personne au plus`,
    );
  if (parts.length === 0) return null;
  const text = parts.join(", ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** The all-or-nothing rule, said of the Département's money too. */
export const ALL_OR_NOTHING_MATCH =
  "L’abondement est versé au projet si la campagne réussit, comme les contributions (tout ou rien).";

/**
 * What a contribution of this amount would get, in one sentence; null when the ratio gives
 * nothing (an amount too small to make a cent).
 */
export function quoteSentence(
  quote: MatchQuote,
  offer: Pick<MatchingOffer, "ratioBps" | "matchesPerCitizen" | "capPerContributionCents">,
): string | null {
  if (quote.fullCents === 0) return null;
  if (quote.limitedBy === "citizen")
    return `Vous avez déjà ${
      offer.matchesPerCitizen === 1
        ? "une contribution abondée"
        : `${formatInteger(offer.matchesPerCitizen ?? 0)} contributions abondées`
    } sur ce projet, le maximum par personne${NBSP}: celle-ci ne sera pas ${matchedWord(offer.ratioBps)}.`;
  if (quote.amountCents === 0)
    return `L’abondement de ce projet est épuisé${NBSP}: votre contribution ne sera pas ${matchedWord(offer.ratioBps)}.`;
  const more = `${formatEuros(quote.amountCents)} de plus`;
  switch (quote.limitedBy) {
    case null:
      return offer.ratioBps === ONE_FOR_ONE
        ? `Le Département double votre contribution${NBSP}: ${more} pour ce projet.`
        : `Le Département abonde votre contribution (${ratioLabel(offer.ratioBps)})${NBSP}: ${more} pour ce projet.`;
    case "contribution_cap":
      return `Le Département abonde votre contribution${NBSP}: ${more} pour ce projet (plafond de ${formatEuros(
        offer.capPerContributionCents ?? quote.amountCents,
      )} par contribution).`;
    case "campaign_cap":
    case "envelope":
      return `Le Département abonde votre contribution${NBSP}: ${more} (il ne reste que ${formatEuros(quote.amountCents)} d’abondement).`;
  }
}

/**
 * The figure for an amount typed on the campaign page, from the offer alone: the per-citizen rule
 * is not known there (it is said on the payment step, where the address is).
 */
export function quoteFromOffer(amountCents: number, offer: MatchingOffer): MatchQuote {
  return quoteMatch(
    amountCents,
    {
      ratioBps: offer.ratioBps,
      capPerCampaignCents: null,
      capPerContributionCents: offer.capPerContributionCents,
      matchesPerCitizen: null,
    },
    { envelopeCents: offer.availableCents, committedCents: 0, campaignCommittedCents: 0, citizenMatches: 0 },
  );
}

/** The thank-you page, once the match is recorded: reserved (all-or-nothing) or confirmed. */
export function thankYouMatchSentence(match: {
  status: "reserved" | "confirmed";
  amountCents: number;
}): string {
  return match.status === "confirmed"
    ? `Le Département a ajouté ${formatEuros(match.amountCents)} à votre contribution${NBSP}: la campagne a réussi.`
    : `Le Département ajoute ${formatEuros(match.amountCents)} à votre contribution, si la campagne réussit (tout ou rien).`;
}
