/**
 * Sent to each contributor when the campaign they supported reaches its goal
 * (settlement engine, once the campaign is decided « funded »).
 */
import { NBSP, NNBSP } from "~/domain/typography";
import { Heading, Link, Text } from "@react-email/components";
import { percentOfGoal } from "../app/domain/money";
import { formatEuros, formatInteger, formatPercent, plural } from "../app/domain/format";
import { Detail, DetailsBox, EmailLayout, q } from "./layout";
import * as s from "./styles";

export interface CampaignFundedContributorProps {
  campaignTitle: string;
  /** absolute URL of the campaign page */
  campaignUrl: string;
  collectedCents: number;
  /** the Département's abondement confirmed at funding, shown apart (absent from older messages) */
  matchedCents?: number;
  goalCents: number;
  contributorsCount: number;
  /** this person's total for the campaign */
  amountCents: number;
}

export function campaignFundedContributorSubject(
  props: Pick<CampaignFundedContributorProps, "campaignTitle">,
): string {
  return `Objectif atteint${NNBSP}! ${q(props.campaignTitle)} est financé`;
}

export default function CampaignFundedContributor(props: CampaignFundedContributorProps) {
  const { campaignTitle, campaignUrl, collectedCents, goalCents, contributorsCount, amountCents } = props;
  const matchedCents = props.matchedCents ?? 0;
  const amount = formatEuros(amountCents);
  const collected = formatEuros(collectedCents);
  const goal = formatEuros(goalCents);
  const percentText = formatPercent(percentOfGoal(collectedCents + matchedCents, goalCents));
  const contributors = `${formatInteger(contributorsCount)} ${plural(contributorsCount, "contributeur", "contributeurs")}`;
  return (
    <EmailLayout
      title={campaignFundedContributorSubject(props)}
      preview={`${q(campaignTitle)} a atteint son objectif${NBSP}: ${collected} collectés grâce à ${contributors}. Merci${NNBSP}!`}
      heading="Objectif atteint, merci&#x202f;!"
    >
      <Text style={s.text}>Bonjour,</Text>
      <Text style={s.text}>
        Bonne nouvelle&nbsp;: la campagne{" "}
        <Link href={campaignUrl} style={s.link}>
          {campaignTitle}
        </Link>{" "}
        que vous avez soutenue a atteint son objectif. Le projet est financé, et c’est aussi grâce à vous.
      </Text>

      <DetailsBox title="Le bilan de la campagne">
        {matchedCents > 0 ? (
          <>
            <Detail label="Montant collecté&nbsp;:"> {collected}</Detail>
            <Detail label="Abondement du Département&nbsp;:"> {formatEuros(matchedCents)}</Detail>
            <Detail label="Total&nbsp;:">
              {" "}
              {formatEuros(collectedCents + matchedCents)} ({percentText} de l’objectif)
            </Detail>
          </>
        ) : (
          <Detail label="Montant collecté&nbsp;:">
            {" "}
            {collected} ({percentText} de l’objectif)
          </Detail>
        )}
        <Detail label="Objectif&nbsp;:"> {goal}</Detail>
        <Detail label="Contributeurs&nbsp;:"> {formatInteger(contributorsCount)}</Detail>
        <Detail label="Votre contribution&nbsp;:" last>
          {" "}
          {amount}
        </Detail>
      </DetailsBox>

      <Heading as="h2" style={s.subheading}>
        Et maintenant&#x202f;?
      </Heading>
      <Text style={s.notice}>
        Votre contribution de {amount} est désormais utilisée pour réaliser le projet&nbsp;: elle revient au
        porteur de projet, comme les autres contributions.
      </Text>
      <Text style={s.text}>
        Le porteur de projet vous tiendra informé de l’avancement du projet et, si vous en avez choisi une, de
        votre contrepartie. Retrouvez ses actualités sur{" "}
        <Link href={campaignUrl} style={s.link}>
          la page de la campagne
        </Link>
        .
      </Text>
      <Text style={s.text}>Merci pour votre soutien&#x202f;!</Text>
    </EmailLayout>
  );
}

CampaignFundedContributor.PreviewProps = {
  campaignTitle: "Une épicerie solidaire à Lens",
  campaignUrl: "http://localhost:3000/campagnes/epicerie-solidaire-lens",
  collectedCents: 527_000,
  goalCents: 500_000,
  contributorsCount: 84,
  amountCents: 2500,
} satisfies CampaignFundedContributorProps;
