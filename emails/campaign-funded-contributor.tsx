/**
 * Sent to each contributor when the campaign they supported reaches its goal
 * (settlement engine, once the campaign is decided « funded »).
 */
import { Body, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import { percentOfGoal } from "../app/domain/money";
import { formatEuros, formatInteger, formatPercent, plural } from "../app/domain/format";
import * as s from "./styles";

export interface CampaignFundedContributorProps {
  campaignTitle: string;
  /** absolute URL of the campaign page */
  campaignUrl: string;
  collectedCents: number;
  goalCents: number;
  contributorsCount: number;
  /** this person's total for the campaign */
  amountCents: number;
}

const NBSP = "\u00a0";
const q = (value: string) => `«${NBSP}${value}${NBSP}»`;

export function campaignFundedContributorSubject(props: Pick<CampaignFundedContributorProps, "campaignTitle">): string {
  return `Objectif atteint ! ${q(props.campaignTitle)} est financé`;
}

export default function CampaignFundedContributor(props: CampaignFundedContributorProps) {
  const { campaignTitle, campaignUrl, collectedCents, goalCents, contributorsCount, amountCents } = props;
  const amount = formatEuros(amountCents);
  const collected = formatEuros(collectedCents);
  const goal = formatEuros(goalCents);
  const percentText = formatPercent(percentOfGoal(collectedCents, goalCents));
  const contributors = `${formatInteger(contributorsCount)} ${plural(contributorsCount, "contributeur", "contributeurs")}`;
  return (
    <Html lang="fr" dir="ltr">
      <Head>
        <title>{campaignFundedContributorSubject(props)}</title>
      </Head>
      <Preview>{`${q(campaignTitle)} a atteint son objectif : ${collected} collectés grâce à ${contributors}. Merci !`}</Preview>
      <Body style={s.body}>
        <Container style={s.container}>
          <Text style={s.brand}>Propulsons</Text>
          <Heading as="h1" style={s.heading}>
            Objectif atteint, merci !
          </Heading>
          <Text style={s.text}>Bonjour,</Text>
          <Text style={s.text}>
            Bonne nouvelle : la campagne{" "}
            <Link href={campaignUrl} style={s.link}>
              {campaignTitle}
            </Link>{" "}
            que vous avez soutenue a atteint son objectif. Le projet est financé, et c'est aussi grâce à vous.
          </Text>

          <Section style={s.detailsBox}>
            <Heading as="h2" style={{ ...s.subheading, marginTop: 0 }}>
              Le bilan de la campagne
            </Heading>
            <Text style={s.detail}>
              <strong>Montant collecté :</strong> {collected} ({percentText} de l'objectif)
            </Text>
            <Text style={s.detail}>
              <strong>Objectif :</strong> {goal}
            </Text>
            <Text style={s.detail}>
              <strong>Contributeurs :</strong> {formatInteger(contributorsCount)}
            </Text>
            <Text style={{ ...s.detail, marginBottom: 0 }}>
              <strong>Votre contribution :</strong> {amount}
            </Text>
          </Section>

          <Heading as="h2" style={s.subheading}>
            Et maintenant ?
          </Heading>
          <Text style={s.notice}>
            Votre contribution de {amount} est désormais utilisée pour réaliser le projet : elle revient au porteur de
            projet, comme les autres contributions.
          </Text>
          <Text style={s.text}>
            Le porteur de projet vous tiendra informé de l'avancement du projet et, si vous en avez choisi une, de votre
            contrepartie. Retrouvez ses actualités sur{" "}
            <Link href={campaignUrl} style={s.link}>
              la page de la campagne
            </Link>
            .
          </Text>
          <Text style={s.text}>Merci pour votre soutien !</Text>

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

CampaignFundedContributor.PreviewProps = {
  campaignTitle: "Une épicerie solidaire à Lens",
  campaignUrl: "http://localhost:3000/campagnes/epicerie-solidaire-lens",
  collectedCents: 527_000,
  goalCents: 500_000,
  contributorsCount: 84,
  amountCents: 2500,
} satisfies CampaignFundedContributorProps;
