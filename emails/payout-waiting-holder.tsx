/**
 * Sent to the holder of a funded campaign whose Stripe Connect account cannot
 * receive the transfer yet (settlement engine). The transfer leaves on its own
 * once the account is ready.
 */
import { Body, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import { formatEuros } from "../app/domain/format";
import * as s from "./styles";

export interface PayoutWaitingHolderProps {
  campaignTitle: string;
  /** absolute URL of the campaign page */
  campaignUrl: string;
  payoutCents: number;
}

const NBSP = "\u00a0";
const q = (value: string) => `«${NBSP}${value}${NBSP}»`;

export function payoutWaitingHolderSubject(props: Pick<PayoutWaitingHolderProps, "campaignTitle">): string {
  return `Virement en attente pour ${q(props.campaignTitle)} : finalisez votre compte de paiement`;
}

export default function PayoutWaitingHolder(props: PayoutWaitingHolderProps) {
  const { campaignTitle, campaignUrl, payoutCents } = props;
  const payout = formatEuros(payoutCents);
  return (
    <Html lang="fr" dir="ltr">
      <Head>
        <title>{payoutWaitingHolderSubject(props)}</title>
      </Head>
      <Preview>{`Votre virement de ${payout} attend que votre compte de paiement Stripe soit prêt.`}</Preview>
      <Body style={s.body}>
        <Container style={s.container}>
          <Text style={s.brand}>Propulsons</Text>
          <Heading as="h1" style={s.heading}>
            Votre virement est en attente
          </Heading>
          <Text style={s.text}>Bonjour,</Text>
          <Text style={s.text}>
            Votre campagne{" "}
            <Link href={campaignUrl} style={s.link}>
              {campaignTitle}
            </Link>{" "}
            a réussi. Le virement de {payout} qui vous revient attend que votre compte de paiement Stripe Connect soit
            prêt à recevoir des fonds.
          </Text>

          <Section style={s.detailsBox}>
            <Heading as="h2" style={{ ...s.subheading, marginTop: 0 }}>
              Votre virement
            </Heading>
            <Text style={s.detail}>
              <strong>Campagne :</strong> {campaignTitle}
            </Text>
            <Text style={s.detail}>
              <strong>Montant :</strong> {payout}
            </Text>
            <Text style={{ ...s.detail, marginBottom: 0 }}>
              <strong>État :</strong> en attente de votre compte de paiement
            </Text>
          </Section>

          <Heading as="h2" style={s.subheading}>
            Ce qu'il vous reste à faire
          </Heading>
          <Text style={s.text}>
            Finalisez votre compte de paiement Stripe Connect depuis votre espace porteur : vérification de votre
            identité et coordonnées bancaires.
          </Text>
          <Text style={s.notice}>
            Dès que votre compte sera prêt, le virement partira automatiquement, lors du prochain traitement des
            versements. Vous n'aurez rien d'autre à faire.
          </Text>

          <Hr style={s.hr} />
          <Text style={s.footer}>
            Propulsons, la plateforme de financement participatif des projets de l'économie sociale et solidaire du
            Pas-de-Calais. Ce message vous est envoyé automatiquement ; merci de ne pas y répondre.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

PayoutWaitingHolder.PreviewProps = {
  campaignTitle: "Une épicerie solidaire à Lens",
  campaignUrl: "http://localhost:3000/campagnes/epicerie-solidaire-lens",
  payoutCents: 511_190,
} satisfies PayoutWaitingHolderProps;
