/**
 * Sent to a contributor whose payment arrived after the campaign had ended
 * without being funded (goal not reached, or cancelled): the payment cannot
 * count, it is going to be refunded in full. Never the receipt's « Merci, votre
 * contribution est confirmée »; `refund_sent_contributor` follows once the
 * refund is made.
 */
import { NBSP } from "~/domain/typography";
import { Link, Text } from "@react-email/components";
import { formatEuros } from "../app/domain/format";
import { Detail, DetailsBox, EmailLayout, q } from "./layout";
import * as s from "./styles";

export interface LatePaymentContributorProps {
  campaignTitle: string;
  /** absolute URL of the campaign page */
  campaignUrl: string;
  /** the payment that arrived late */
  amountCents: number;
  /** the contribution's reference (PRP-000042), to quote when writing to the team */
  reference: string;
  /** how the campaign ended */
  outcome: "failed" | "cancelled";
}

export function latePaymentContributorSubject(
  props: Pick<LatePaymentContributorProps, "campaignTitle">,
): string {
  return `Votre paiement pour ${q(props.campaignTitle)} est arrivé après la fin de la campagne${NBSP}: il va vous être remboursé`;
}

export default function LatePaymentContributor(props: LatePaymentContributorProps) {
  const { campaignTitle, campaignUrl, amountCents, reference, outcome } = props;
  const amount = formatEuros(amountCents);
  return (
    <EmailLayout
      title={latePaymentContributorSubject(props)}
      preview={`La campagne ${q(campaignTitle)} est terminée. Votre paiement de ${amount} va vous être remboursé en totalité.`}
      heading="Votre paiement est arrivé après la fin de la campagne"
      footer={<Text style={s.footer}>Pour toute question, indiquez la référence {reference}.</Text>}
    >
      <Text style={s.text}>Bonjour,</Text>
      <Text style={s.text}>
        Votre paiement de {amount} pour la campagne{" "}
        <Link href={campaignUrl} style={s.link}>
          {campaignTitle}
        </Link>{" "}
        nous est parvenu après la fin de celle-ci.{" "}
        {outcome === "cancelled"
          ? "La campagne a été annulée par le Département du Pas-de-Calais"
          : "La campagne n’a pas atteint son objectif"}
        &nbsp;: elle ne peut plus recevoir de contribution.
      </Text>

      <DetailsBox title="Votre paiement">
        <Detail label="Montant&nbsp;:"> {amount}</Detail>
        <Detail label="Référence&nbsp;:"> {reference}</Detail>
        <Detail label="À venir&nbsp;:" last>
          {" "}
          remboursement intégral, automatique
        </Detail>
      </DetailsBox>

      <Text style={s.notice}>
        Votre paiement de {amount} va vous être remboursé en totalité, automatiquement, sur le moyen de
        paiement utilisé. Vous n’avez rien à faire. Un second message vous confirmera le remboursement dès
        qu’il aura été effectué.
      </Text>

      <Text style={s.text}>
        Merci d’avoir voulu soutenir ce projet. D’autres projets de l’économie sociale et solidaire du
        Pas-de-Calais attendent peut-être votre coup de pouce.
      </Text>
    </EmailLayout>
  );
}

LatePaymentContributor.PreviewProps = {
  campaignTitle: "Une épicerie solidaire à Lens",
  campaignUrl: "http://localhost:3000/campagnes/epicerie-solidaire-lens",
  amountCents: 2500,
  reference: "PRP-000042",
  outcome: "failed",
} satisfies LatePaymentContributorProps;
