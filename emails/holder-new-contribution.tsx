/**
 * Sent to the campaign holder when a contribution is paid.
 * The holder sees the amount even when it is hidden from the public; the
 * contributor's name is already « Anonyme » when they chose to be anonymous.
 */
import { NBSP } from "~/domain/typography";
import { Heading, Link, Text } from "@react-email/components";
import { formatEuros, formatPercent } from "../app/domain/format";
import { Detail, DetailsBox, EmailLayout, q } from "./layout";
import * as s from "./styles";

export interface HolderNewContributionProps {
  campaignTitle: string;
  /** absolute URL of the campaign page */
  campaignUrl: string;
  /** « Anonyme » when the contributor chose to be anonymous */
  contributorName: string;
  /** null only when the amount must not be shown */
  amountCents: number | null;
  rewardTitle: string | null;
  /** citizens' money */
  collectedCents: number;
  /** abondement reserved or confirmed (absent in messages queued before it existed) */
  matchedCents?: number;
  goalCents: number;
  /** whole percentage of the goal reached by citizens' money and the abondement together (may exceed 100) */
  percent: number;
  message: string | null;
}

export function holderNewContributionSubject(
  props: Pick<HolderNewContributionProps, "campaignTitle">,
): string {
  return `Nouvelle contribution pour ${q(props.campaignTitle)}`;
}

export default function HolderNewContribution(props: HolderNewContributionProps) {
  const {
    campaignTitle,
    campaignUrl,
    contributorName,
    amountCents,
    rewardTitle,
    collectedCents,
    goalCents,
    percent,
    message,
  } = props;
  const amount = amountCents === null ? "montant non communiqué" : formatEuros(amountCents);
  const collected = formatEuros(collectedCents);
  const goal = formatEuros(goalCents);
  const percentText = formatPercent(percent);
  const matched = props.matchedCents ?? 0;
  return (
    <EmailLayout
      title={holderNewContributionSubject(props)}
      preview={`${contributorName} soutient votre campagne${NBSP}: ${collected} collectés, ${percentText} de l’objectif.`}
      heading="Une nouvelle contribution pour votre campagne"
    >
      <Text style={s.text}>Bonjour,</Text>
      <Text style={s.text}>
        Bonne nouvelle&nbsp;: la campagne{" "}
        <Link href={campaignUrl} style={s.link}>
          {campaignTitle}
        </Link>{" "}
        vient de recevoir une contribution.
      </Text>

      <DetailsBox title="La contribution">
        <Detail label="Contributeur&nbsp;:"> {contributorName}</Detail>
        <Detail label="Montant&nbsp;:"> {amount}</Detail>
        <Detail label="Contrepartie&nbsp;:" last>
          {" "}
          {rewardTitle ?? "sans contrepartie"}
        </Detail>
      </DetailsBox>

      {message ? (
        <>
          <Heading as="h2" style={s.subheading}>
            Son message de soutien
          </Heading>
          <Text style={s.quote}>{message}</Text>
        </>
      ) : null}

      <Heading as="h2" style={s.subheading}>
        Où en est la campagne
      </Heading>
      {matched > 0 ? (
        <Text style={s.text}>
          {collected} collectés auprès des contributeurs et {formatEuros(matched)} d’abondement du
          Département, soit {percentText} d’un objectif de {goal}. L’abondement est versé par le Département
          si la campagne réussit.
        </Text>
      ) : (
        <Text style={s.text}>
          {collected} collectés sur un objectif de {goal}, soit {percentText} de l’objectif.
        </Text>
      )}
      <Text style={s.text}>
        Rappel&nbsp;: la campagne fonctionne en {q("tout ou rien")}. Si l’objectif n’est pas atteint à la date
        de fin, chaque contributeur est remboursé.
      </Text>
    </EmailLayout>
  );
}

HolderNewContribution.PreviewProps = {
  campaignTitle: "Une épicerie solidaire à Lens",
  campaignUrl: "http://localhost:3000/campagnes/epicerie-solidaire-lens",
  contributorName: "Anonyme",
  amountCents: 5000,
  rewardTitle: null,
  collectedCents: 313500,
  goalCents: 500000,
  percent: 62,
  message: "Bravo pour ce beau projet\u202f!",
} satisfies HolderNewContributionProps;
