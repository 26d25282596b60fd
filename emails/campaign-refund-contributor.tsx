/**
 * Sent to each contributor when the campaign they supported fails (goal not
 * reached at the deadline) or is cancelled by the Département, as soon as the
 * refunds are decided (settlement engine): they are going to be refunded in full.
 * Nothing is refunded yet — « vous allez être remboursé »; `refund_sent_contributor`
 * says « vous avez été remboursé » once Stripe accepted the refund.
 */
import { NBSP } from "~/domain/typography";
import { Text } from "@react-email/components";
import { percentOfGoal } from "../app/domain/money";
import { formatEuros, formatPercent } from "../app/domain/format";
import { Detail, DetailsBox, EmailLayout, q, TextLink } from "./layout";
import * as s from "./styles";

export interface CampaignRefundContributorProps {
  campaignTitle: string;
  /** absolute URL of the campaign page */
  campaignUrl: string;
  /** total to refund to this person */
  amountCents: number;
  /** true when the Département cancelled the campaign (false: goal not reached at the deadline) */
  cancelled: boolean;
  /** staff's reason when cancelled */
  reason: string | null;
  collectedCents: number;
  goalCents: number;
}

export function campaignRefundContributorSubject(
  props: Pick<CampaignRefundContributorProps, "campaignTitle" | "cancelled">,
): string {
  return props.cancelled
    ? `Campagne ${q(props.campaignTitle)} annulée${NBSP}: vous allez être remboursé`
    : `${q(props.campaignTitle)} n’a pas atteint son objectif${NBSP}: vous allez être remboursé`;
}

export default function CampaignRefundContributor(props: CampaignRefundContributorProps) {
  const { campaignTitle, campaignUrl, amountCents, cancelled, reason, collectedCents, goalCents } = props;
  const amount = formatEuros(amountCents);
  const collected = formatEuros(collectedCents);
  const goal = formatEuros(goalCents);
  const percentText = formatPercent(percentOfGoal(collectedCents, goalCents));
  const campaignLink = <TextLink href={campaignUrl}>{campaignTitle}</TextLink>;
  return (
    <EmailLayout
      title={campaignRefundContributorSubject(props)}
      preview={`Votre contribution de ${amount} à ${q(campaignTitle)} va vous être intégralement remboursée.`}
      heading={cancelled ? "La campagne a été annulée" : "La campagne n’a pas atteint son objectif"}
    >
      <Text style={s.text}>Bonjour,</Text>
      {cancelled ? (
        <>
          <Text style={s.text}>Le Département du Pas-de-Calais a annulé la campagne {campaignLink}.</Text>
          {reason ? (
            <>
              <Text style={s.text}>Motif de l’annulation&nbsp;:</Text>
              <Text style={s.quote}>{reason}</Text>
            </>
          ) : null}
        </>
      ) : (
        <Text style={s.text}>
          La campagne {campaignLink} n’a pas atteint son objectif à sa date de fin&nbsp;: {collected}{" "}
          collectés sur un objectif de {goal}, soit {percentText} de l’objectif. Comme elle fonctionnait en{" "}
          {q("tout ou rien")}, chaque contributeur va être remboursé.
        </Text>
      )}

      <DetailsBox title="Votre remboursement">
        <Detail label="Montant à rembourser&nbsp;:"> {amount}</Detail>
        <Detail label="Moyen de paiement&nbsp;:"> celui utilisé pour votre contribution</Detail>
        <Detail label="Confirmation&nbsp;:" last>
          {" "}
          par un second message, une fois le remboursement effectué
        </Detail>
      </DetailsBox>

      <Text style={s.notice}>
        Vous allez être intégralement remboursé de {amount}, automatiquement, sur le moyen de paiement
        utilisé. Vous n’avez rien à faire. Un second message vous confirmera le remboursement dès qu’il aura
        été effectué&#x202f;; il apparaîtra ensuite sur votre relevé sous 5 à 10 jours ouvrés, selon votre
        banque.
      </Text>

      <Text style={s.text}>
        Merci pour votre soutien et pour la confiance que vous avez accordée à ce projet. D’autres projets de
        l’économie sociale et solidaire du Pas-de-Calais attendent peut-être votre coup de pouce.
      </Text>
    </EmailLayout>
  );
}

CampaignRefundContributor.PreviewProps = {
  campaignTitle: "Une épicerie solidaire à Lens",
  campaignUrl: "http://localhost:3000/campagnes/epicerie-solidaire-lens",
  amountCents: 2500,
  cancelled: false,
  reason: null,
  collectedCents: 313_500,
  goalCents: 500_000,
} satisfies CampaignRefundContributorProps;
