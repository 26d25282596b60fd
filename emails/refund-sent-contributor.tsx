/**
 * Sent to a contributor once Stripe accepted the refund of their contribution
 * (refund succeeded): only then may a message say « vous avez été remboursé ».
 */
import { Text } from "@react-email/components";
import type { ReactNode } from "react";
import { formatEuros } from "../app/domain/format";
import { Detail, DetailsBox, EmailLayout, q, TextLink } from "./layout";
import * as s from "./styles";

export interface RefundSentContributorProps {
  campaignTitle: string;
  /** absolute URL of the campaign page */
  campaignUrl: string;
  /** what was refunded */
  amountCents: number;
  /** the contribution's reference (PRP-000042), to quote when writing to the team */
  reference: string;
  /** why it was refunded */
  cause: "failed" | "cancelled" | "late_payment" | "other";
}

export function refundSentContributorSubject(
  props: Pick<RefundSentContributorProps, "campaignTitle" | "amountCents">,
): string {
  return `Vous avez été remboursé de ${formatEuros(props.amountCents)} pour votre contribution à ${q(props.campaignTitle)}`;
}

/** The opening sentence: why, then what happened. */
function opening(cause: RefundSentContributorProps["cause"], campaign: ReactNode, amount: string): ReactNode {
  switch (cause) {
    case "failed":
      return (
        <>
          La campagne {campaign} n’a pas atteint son objectif à sa date de fin&nbsp;: vous avez été remboursé
          de {amount}.
        </>
      );
    case "cancelled":
      return (
        <>
          La campagne {campaign} a été annulée&nbsp;: vous avez été remboursé de {amount}.
        </>
      );
    case "late_payment":
      return (
        <>
          Votre paiement pour la campagne {campaign} est arrivé après la fin de la campagne&nbsp;: vous avez
          été remboursé de {amount}.
        </>
      );
    case "other":
      return (
        <>
          Vous avez été remboursé de {amount} pour votre contribution à la campagne {campaign}.
        </>
      );
  }
}

export default function RefundSentContributor(props: RefundSentContributorProps) {
  const { campaignTitle, campaignUrl, amountCents, reference, cause } = props;
  const amount = formatEuros(amountCents);
  const campaignLink = <TextLink href={campaignUrl}>{campaignTitle}</TextLink>;
  return (
    <EmailLayout
      title={refundSentContributorSubject(props)}
      preview={`Le remboursement de ${amount} a été accepté par notre prestataire de paiement.`}
      heading="Vous avez été remboursé"
      footer={<Text style={s.footer}>Pour toute question, indiquez la référence {reference}.</Text>}
    >
      <Text style={s.text}>Bonjour,</Text>
      <Text style={s.text}>{opening(cause, campaignLink, amount)}</Text>

      <DetailsBox title="Votre remboursement">
        <Detail label="Montant remboursé&nbsp;:"> {amount}</Detail>
        <Detail label="Moyen de paiement&nbsp;:"> celui utilisé pour votre contribution</Detail>
        <Detail label="Référence&nbsp;:" last>
          {" "}
          {reference}
        </Detail>
      </DetailsBox>

      <Text style={s.notice}>
        Notre prestataire de paiement, Stripe, a accepté le remboursement de {amount} sur le moyen de paiement
        utilisé pour votre contribution. Il apparaîtra sur votre relevé sous 5 à 10 jours ouvrés, selon votre
        banque. Vous n’avez rien à faire.
      </Text>

      <Text style={s.text}>
        Merci pour votre soutien. D’autres projets de l’économie sociale et solidaire du Pas-de-Calais
        attendent peut-être votre coup de pouce.
      </Text>
    </EmailLayout>
  );
}

RefundSentContributor.PreviewProps = {
  campaignTitle: "Une épicerie solidaire à Lens",
  campaignUrl: "http://localhost:3000/campagnes/epicerie-solidaire-lens",
  amountCents: 2500,
  reference: "PRP-000042",
  cause: "failed",
} satisfies RefundSentContributorProps;
