/**
 * Sent to the holder of a funded campaign whose Stripe Connect account cannot
 * receive the transfer yet (settlement engine). The transfer leaves on its own
 * once the account is ready.
 */
import { NBSP } from "~/domain/typography";
import { Heading, Link, Text } from "@react-email/components";
import { formatEuros } from "../app/domain/format";
import { Detail, DetailsBox, EmailLayout, q } from "./layout";
import * as s from "./styles";

export interface PayoutWaitingHolderProps {
  campaignTitle: string;
  /** absolute URL of the campaign page */
  campaignUrl: string;
  payoutCents: number;
}

export function payoutWaitingHolderSubject(props: Pick<PayoutWaitingHolderProps, "campaignTitle">): string {
  return `Virement en attente pour ${q(props.campaignTitle)}${NBSP}: finalisez votre compte de paiement`;
}

export default function PayoutWaitingHolder(props: PayoutWaitingHolderProps) {
  const { campaignTitle, campaignUrl, payoutCents } = props;
  const payout = formatEuros(payoutCents);
  return (
    <EmailLayout
      title={payoutWaitingHolderSubject(props)}
      preview={`Votre virement de ${payout} attend que votre compte de paiement Stripe soit prêt.`}
      heading="Votre virement est en attente"
    >
      <Text style={s.text}>Bonjour,</Text>
      <Text style={s.text}>
        Votre campagne{" "}
        <Link href={campaignUrl} style={s.link}>
          {campaignTitle}
        </Link>{" "}
        a réussi. Le virement de {payout} qui vous revient attend que votre compte de paiement Stripe Connect
        soit prêt à recevoir des fonds.
      </Text>

      <DetailsBox title="Votre virement">
        <Detail label="Campagne&nbsp;:"> {campaignTitle}</Detail>
        <Detail label="Montant&nbsp;:"> {payout}</Detail>
        <Detail label="État&nbsp;:" last>
          {" "}
          en attente de votre compte de paiement
        </Detail>
      </DetailsBox>

      <Heading as="h2" style={s.subheading}>
        Ce qu’il vous reste à faire
      </Heading>
      <Text style={s.text}>
        Finalisez votre compte de paiement Stripe Connect depuis votre espace porteur&nbsp;: vérification de
        votre identité et coordonnées bancaires.
      </Text>
      <Text style={s.notice}>
        Dès que votre compte sera prêt, le virement partira automatiquement, lors du prochain traitement des
        versements. Vous n’aurez rien d’autre à faire.
      </Text>
    </EmailLayout>
  );
}

PayoutWaitingHolder.PreviewProps = {
  campaignTitle: "Une épicerie solidaire à Lens",
  campaignUrl: "http://localhost:3000/campagnes/epicerie-solidaire-lens",
  payoutCents: 511_190,
} satisfies PayoutWaitingHolderProps;
