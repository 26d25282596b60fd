/**
 * Sent to the campaign holder when their campaign reaches its goal (settlement
 * engine): final figures, commission, and the payout to come to their Stripe
 * account. Sent when the outcome is decided, before any transfer exists: it says
 * « le virement sera émis » (or that it waits for the payment account), never that
 * it was made — `payout_sent_holder` says so once the transfer exists.
 */
import { NNBSP } from "~/domain/typography";
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
  /** the Département's abondement confirmed at funding (counts towards the goal, paid by the
   * Département, not in the payout); absent from messages queued before it was stated */
  matchedCents?: number;
  goalCents: number;
  contributorsCount: number;
  commissionBps: number;
  commissionCents: number;
  /** what will be transferred to the holder's Stripe account (collected − commission) */
  payoutCents: number;
  /** year of the « Budget Citoyen » label (no commission), null when not labelled */
  budgetCitoyenYear: number | null;
  /** true when the holder's Stripe account cannot receive the transfer yet */
  payoutWaiting: boolean;
}

export function campaignFundedHolderSubject(props: Pick<CampaignFundedHolderProps, "campaignTitle">): string {
  return `Objectif atteint${NNBSP}! Votre campagne ${q(props.campaignTitle)} est financée`;
}

export default function CampaignFundedHolder(props: CampaignFundedHolderProps) {
  const {
    campaignTitle,
    campaignUrl,
    collectedCents,
    matchedCents = 0,
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
  const matched = formatEuros(matchedCents);
  const percentText = formatPercent(percentOfGoal(collectedCents + matchedCents, goalCents));
  const contributors = `${formatInteger(contributorsCount)} ${plural(contributorsCount, "contributeur", "contributeurs")}`;
  const withMatch = matchedCents > 0 ? ` et ${matched} d’abondement du Département` : "";
  return (
    <EmailLayout
      title={campaignFundedHolderSubject(props)}
      preview={
        payoutWaiting
          ? `${collected} collectés grâce à ${contributors}${withMatch}. Votre virement de ${payout} est en attente.`
          : `${collected} collectés grâce à ${contributors}${withMatch}. Le virement de ${payout} sera émis vers votre compte Stripe.`
      }
      heading="Félicitations, votre campagne est financée&#x202f;!"
    >
      <Text style={s.text}>Bonjour,</Text>
      <Text style={s.text}>
        Votre campagne{" "}
        <Link href={campaignUrl} style={s.link}>
          {campaignTitle}
        </Link>{" "}
        {matchedCents > 0 ? (
          <>
            a atteint son objectif&nbsp;: {collected} collectés grâce à {contributors}
            {withMatch}, soit {percentText} de l’objectif de {goal}. Bravo&#x202f;!
          </>
        ) : (
          <>
            a atteint son objectif&nbsp;: {collected} collectés sur un objectif de {goal}, soit {percentText}{" "}
            de l’objectif, grâce à {contributors}. Bravo&#x202f;!
          </>
        )}
      </Text>

      <DetailsBox title="Le bilan">
        <Detail label="Montant collecté&nbsp;:"> {collected}</Detail>
        {matchedCents > 0 ? <Detail label="Abondement du Département&nbsp;:"> {matched}</Detail> : null}
        <Detail label="Objectif&nbsp;:"> {goal}</Detail>
        <Detail label="Contributeurs&nbsp;:"> {formatInteger(contributorsCount)}</Detail>
        <Detail label={<>Commission de la plateforme ({rate})&nbsp;:</>}> {commission}</Detail>
        <Detail label="Montant à virer sur votre compte Stripe&nbsp;:" last>
          {" "}
          {payout}
        </Detail>
      </DetailsBox>

      {budgetCitoyenYear !== null ? (
        <Text style={s.text}>
          Commission de la plateforme&nbsp;: {rate}, car votre projet est labellisé{" "}
          {q(`Budget Citoyen ${budgetCitoyenYear}`)}&nbsp;: aucune commission n’est prélevée. Vous recevrez{" "}
          {payout}.
        </Text>
      ) : (
        <Text style={s.text}>
          La commission de la plateforme est de {rate} du montant collecté, soit {commission}. Vous recevrez{" "}
          {payout}.
        </Text>
      )}

      {matchedCents > 0 ? (
        <Text style={s.text}>
          L’abondement de {matched} n’est pas dans ce virement et ne supporte aucune commission&nbsp;: le
          Département vous le verse lui-même, selon la convention d’abondement de votre campagne.
        </Text>
      ) : null}

      <Heading as="h2" style={s.subheading}>
        Votre virement
      </Heading>
      <Text style={s.notice}>
        {payoutWaiting
          ? "Votre virement est en attente\u00a0: votre compte de paiement Stripe n’est pas encore prêt à recevoir des fonds. Finalisez-le depuis votre espace porteur\u202f; le virement partira automatiquement dès qu’il sera prêt."
          : `Le virement de ${payout} sera émis automatiquement vers votre compte Stripe. Un second message vous le confirmera dès qu’il aura été émis${NNBSP}; le montant apparaîtra ensuite sur votre compte bancaire selon le calendrier de versement de Stripe.`}
      </Text>

      <Heading as="h2" style={s.subheading}>
        Et maintenant&#x202f;?
      </Heading>
      <Text style={s.text}>
        Pensez à envoyer les contreparties promises à vos contributeurs, et tenez-les informés de l’avancement
        de votre projet en publiant des actualités sur{" "}
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
