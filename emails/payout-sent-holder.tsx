/**
 * Sent to the holder once the transfer to their Stripe account exists (Stripe
 * accepted it): only then may a message say « le virement a été émis ». `main`:
 * the campaign's payout; `supplementary`: payments that arrived after the campaign
 * was funded, paid out together.
 */
import { Heading, Link, Text } from "@react-email/components";
import { formatBps, formatEuros, formatInteger, plural } from "../app/domain/format";
import { Detail, DetailsBox, EmailLayout, q, TextLink } from "./layout";
import * as s from "./styles";

export interface PayoutSentHolderProps {
  campaignTitle: string;
  /** absolute URL of the campaign page */
  campaignUrl: string;
  /** the campaign's payout, or one for payments received after it was funded */
  kind: "main" | "supplementary";
  /** the contributions this transfer carries, before commission */
  grossCents: number;
  commissionBps: number;
  commissionCents: number;
  /** what was transferred (gross − commission) */
  payoutCents: number;
  contributionsCount: number;
  /** Stripe's transfer id (tr_…) */
  transferId: string;
}

export function payoutSentHolderSubject(
  props: Pick<PayoutSentHolderProps, "campaignTitle" | "kind" | "payoutCents">,
): string {
  const what = props.kind === "supplementary" ? "Le virement complémentaire" : "Le virement";
  return `${what} de ${formatEuros(props.payoutCents)} pour ${q(props.campaignTitle)} a été émis`;
}

export default function PayoutSentHolder(props: PayoutSentHolderProps) {
  const {
    campaignTitle,
    campaignUrl,
    kind,
    grossCents,
    commissionBps,
    commissionCents,
    payoutCents,
    contributionsCount,
    transferId,
  } = props;
  const supplementary = kind === "supplementary";
  const gross = formatEuros(grossCents);
  const payout = formatEuros(payoutCents);
  const commission = formatEuros(commissionCents);
  const rate = formatBps(commissionBps);
  const arrived = `${formatInteger(contributionsCount)} ${plural(contributionsCount, "contribution est arrivée", "contributions sont arrivées")}`;
  const campaignLink = <TextLink href={campaignUrl}>{campaignTitle}</TextLink>;
  return (
    <EmailLayout
      title={payoutSentHolderSubject(props)}
      preview={`Le virement de ${payout} a été émis vers votre compte Stripe.`}
      heading={supplementary ? "Un virement complémentaire a été émis" : "Votre virement a été émis"}
      footer={<Text style={s.footer}>Référence du virement chez Stripe&nbsp;: {transferId}.</Text>}
    >
      <Text style={s.text}>Bonjour,</Text>
      {supplementary ? (
        <Text style={s.text}>
          Après le financement de votre campagne {campaignLink}, {arrived} en plus, pour un total de {gross}.
          Le virement complémentaire de {payout} a été émis vers votre compte Stripe.
        </Text>
      ) : (
        <Text style={s.text}>
          Le virement de {payout} pour votre campagne {campaignLink} a été émis vers votre compte Stripe.
        </Text>
      )}

      <DetailsBox title="Le détail du virement">
        <Detail label="Contributions&nbsp;:"> {formatInteger(contributionsCount)}</Detail>
        <Detail label={supplementary ? "Montant reçu\u00a0:" : "Montant collecté\u00a0:"}> {gross}</Detail>
        <Detail label={<>Commission de la plateforme ({rate})&nbsp;:</>}> {commission}</Detail>
        <Detail label="Montant viré sur votre compte Stripe&nbsp;:"> {payout}</Detail>
        <Detail label="Référence du virement&nbsp;:" last>
          {" "}
          {transferId}
        </Detail>
      </DetailsBox>

      <Text style={s.notice}>
        Le montant apparaîtra sur votre compte bancaire selon le calendrier de versement de Stripe.
      </Text>

      <Heading as="h2" style={s.subheading}>
        Et maintenant&#x202f;?
      </Heading>
      <Text style={s.text}>
        {supplementary
          ? "Pensez à remercier ces contributeurs et à leur envoyer les contreparties promises."
          : "Pensez à envoyer les contreparties promises à vos contributeurs."}{" "}
        Tenez-les informés de l’avancement de votre projet en publiant des actualités sur{" "}
        <Link href={campaignUrl} style={s.link}>
          la page de la campagne
        </Link>
        .
      </Text>
    </EmailLayout>
  );
}

PayoutSentHolder.PreviewProps = {
  campaignTitle: "Une épicerie solidaire à Lens",
  campaignUrl: "http://localhost:3000/campagnes/epicerie-solidaire-lens",
  kind: "main",
  grossCents: 527_000,
  commissionBps: 300,
  commissionCents: 15_810,
  payoutCents: 511_190,
  contributionsCount: 84,
  transferId: "tr_1Q2w3E4r5T6y7U8i",
} satisfies PayoutSentHolderProps;
