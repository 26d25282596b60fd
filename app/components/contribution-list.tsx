import { formatDate, formatEuros } from "~/domain/format";
import type { PublicContribution } from "~/models/campaigns.server";

export function ContributionList({ items }: { items: PublicContribution[] }) {
  return (
    <ul className="contributors">
      {items.map((k) => (
        <li key={k.id}>
          <span className="contributors__name">{k.name}</span>
          <span className="contributors__amount">
            {k.amountCents === null ? "Montant masqué" : formatEuros(k.amountCents)}
          </span>
          <span className="contributors__date">le {formatDate(k.paidAt)}</span>
          {k.message ? <blockquote className="contributors__message">{k.message}</blockquote> : null}
        </li>
      ))}
    </ul>
  );
}
