/**
 * The abondement a contribution made now would get (DESIGN §11): on the campaign page's panel,
 * and the figure for the amount typed in the contribution form. Server-rendered text first, so
 * it is there without JavaScript; the figure for the amount follows the field when JavaScript runs,
 * and the payment step says it for the exact amount and person.
 */
import { formatEuros } from "~/domain/format";
import { NBSP } from "~/domain/typography";
import {
  ALL_OR_NOTHING_MATCH,
  availabilitySentence,
  offerHeadline,
  offerLimits,
  quoteFromOffer,
  quoteSentence,
  type MatchingOffer,
} from "~/domain/matching-text";

export function MatchingOfferPanel({ offer }: { offer: MatchingOffer }) {
  const limits = offerLimits(offer);
  return (
    <div className="matching-offer" id="abondement">
      <p>
        <strong>
          {offer.availableCents > 0 ? `${offerHeadline(offer.ratioBps)}.` : "Abondement du Département"}
        </strong>{" "}
        {availabilitySentence(offer)}
      </p>
      {limits && offer.availableCents > 0 ? <p>{limits}</p> : null}
      <p className="hint">{ALL_OR_NOTHING_MATCH}</p>
    </div>
  );
}

/** The example said before an amount is typed (and without JavaScript). */
const EXAMPLE_CENTS = 50_00;

/** Under the amount field: what the Département adds for the amount typed (live, polite). */
export function MatchingQuote({ offer, amountCents }: { offer: MatchingOffer; amountCents: number | null }) {
  const sentence =
    amountCents !== null && amountCents > 0 ? quoteSentence(quoteFromOffer(amountCents, offer), offer) : null;
  const example = quoteFromOffer(EXAMPLE_CENTS, offer);
  return (
    <p className="matching-offer matching-quote" id="c-abondement" aria-live="polite">
      {sentence ??
        (example.amountCents > 0
          ? `${offerHeadline(offer.ratioBps)}. Par exemple${NBSP}: pour ${formatEuros(EXAMPLE_CENTS)} donnés, ${formatEuros(example.amountCents)} de plus pour ce projet.`
          : availabilitySentence(offer))}
    </p>
  );
}
