/**
 * Sent to the campaign holder when their campaign reaches its goal (settlement
 * engine): final figures, commission, payout to their Stripe account.
 */
import { Heading, Link, Text } from "@react-email/components";
import { percentOfGoal } from "../app/domain/money";
import { formatBps, formatEuros, formatInteger, formatPercent, plural } from "../app/domain/format";
import { Detail, DetailsBox, EmailLayout, q } from "./layout";
import * as s from "./styles";

export interface CampaignFundedHolderProps {
  campaignTitle: string;
  /** absolute URL of the campaign page */
  campaignUrl: string;
  collectedCents: number;
  goalCents: number;
  contributorsCount: number;
  commissionBps: number;
  commissionCents: number;
  /** what is transferred to the holder's Stripe account (collected − commission) */
  payoutCents: number;
  /** year of the « Budget Citoyen » label (no commission), null when not labelled */
  budgetCitoyenYear: number | null;
  /** true when the holder's Stripe account cannot receive the transfer yet */
  payoutWaiting: boolean;
}

export function campaignFundedHolderSubject(props: Pick<CampaignFundedHolderProps, "campaignTitle">): string {
  return `Objectif atteint ! Votre campagne ${q(props.campaignTitle)} est financée`;
}

export default function CampaignFundedHolder(props: CampaignFundedHolderProps) {
  const {
    campaignTitle,
    campaignUrl,
    collectedCents,
    goalCents,
    contributorsCount,
    commissionBps,
    commissionCents,
    payoutCents,
    budgetCitoyenYear,
    payoutWaiting,
  } = props;
  const collected = formatEuros(collectedCents);
  const goal = formatEuros(goalCents);
  const payout = formatEuros(payoutCents);
  const commission = formatEuros(commissionCents);
  const rate = formatBps(commissionBps);
  const percentText = formatPercent(percentOfGoal(collectedCents, goalCents));
  const contributors = `${formatInteger(contributorsCount)} ${plural(contributorsCount, "contributeur", "contributeurs")}`;
  return (
    <EmailLayout
      title={campaignFundedHolderSubject(props)}
      preview={
        payoutWaiting
          ? `${collected} collectés grâce à ${contributors}. Votre virement de ${payout} est en attente.`
          : `${collected} collectés grâce à ${contributors}. Le virement de ${payout} a été émis.`
      }
      heading="Félicitations, votre campagne est financée !"
    >
      <Text style={s.text}>Bonjour,</Text>
      <Text style={s.text}>
        Votre campagne{" "}
        <Link href={campaignUrl} style={s.link}>
          {campaignTitle}
        </Link>{" "}
        a atteint son objectif : {collected} collectés sur un objectif de {goal}, soit {percentText} de l'objectif,
        grâce à {contributors}. Bravo !
      </Text>

      <DetailsBox title="Le bilan">
        <Detail label="Montant collecté :"> {collected}</Detail>
        <Detail label="Objectif :"> {goal}</Detail>
        <Detail label="Contributeurs :"> {formatInteger(contributorsCount)}</Detail>
        <Detail label={<>Commission de la plateforme ({rate}) :</>}> {commission}</Detail>
        <Detail label={<>{payoutWaiting ? "Montant à virer" : "Montant viré"} sur votre compte Stripe :</>} last>
          {" "}
          {payout}
        </Detail>
      </DetailsBox>

      {budgetCitoyenYear !== null ? (
        <Text style={s.text}>
          Commission de la plateforme : {rate}, car votre projet est labellisé {q(`Budget Citoyen ${budgetCitoyenYear}`)}{" "}
          : aucune commission n'est prélevée. Vous recevez {payout}.
        </Text>
      ) : (
        <Text style={s.text}>
          La commission de la plateforme est de {rate} du montant collecté, soit {commission}. Vous recevez {payout}.
        </Text>
      )}

      <Heading as="h2" style={s.subheading}>
        Votre virement
      </Heading>
      <Text style={s.notice}>
        {payoutWaiting
          ? "Votre virement est en attente : votre compte de paiement Stripe n'est pas encore prêt à recevoir des fonds. Finalisez-le depuis votre espace porteur ; le virement partira automatiquement dès qu'il sera prêt."
          : "Le virement a été émis vers votre compte Stripe ; il apparaîtra sur votre compte bancaire selon le calendrier de versement de Stripe."}
      </Text>

      <Heading as="h2" style={s.subheading}>
        Et maintenant ?
      </Heading>
      <Text style={s.text}>
        Pensez à envoyer les contreparties promises à vos contributeurs, et tenez-les informés de l'avancement de
        votre projet en publiant des actualités sur{" "}
        <Link href={campaignUrl} style={s.link}>
          la page de la campagne
        </Link>
        .
      </Text>
    </EmailLayout>
  );
}

CampaignFundedHolder.PreviewProps = {
  campaignTitle: "Une épicerie solidaire à Lens",
  campaignUrl: "http://localhost:3000/campagnes/epicerie-solidaire-lens",
  collectedCents: 527_000,
  goalCents: 500_000,
  contributorsCount: 84,
  commissionBps: 300,
  commissionCents: 15_810,
  payoutCents: 511_190,
  budgetCitoyenYear: null,
  payoutWaiting: false,
} satisfies CampaignFundedHolderProps;
