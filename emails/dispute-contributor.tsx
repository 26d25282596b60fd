/**
 * Sent to a contributor whose bank contests (disputes) their payment: when the
 * dispute opens, and when the bank closes it — won (the payment stands) or lost
 * (the bank gave the money back to them; the contribution no longer counts).
 */
import { NBSP } from "~/domain/typography";
import { Text } from "@react-email/components";
import { formatEuros } from "../app/domain/format";
import { Detail, DetailsBox, EmailLayout, q, TextLink } from "./layout";
import * as s from "./styles";

export interface DisputeContributorProps {
  campaignTitle: string;
  /** absolute URL of the campaign page */
  campaignUrl: string;
  /** the contested payment */
  amountCents: number;
  /** the contribution's reference (PRP-000042), to quote when writing to the team */
  reference: string;
  stage: "opened" | "won" | "lost";
  /** where to write (CONTACT_EMAIL) */
  contactEmail: string;
}

export function disputeContributorSubject(
  props: Pick<DisputeContributorProps, "campaignTitle" | "amountCents" | "stage">,
): string {
  const payment = `votre paiement de ${formatEuros(props.amountCents)} pour ${q(props.campaignTitle)}`;
  switch (props.stage) {
    case "opened":
      return `Contestation de ${payment}`;
    case "won":
      return `Contestation close${NBSP}: ${payment} est maintenu`;
    case "lost":
      return `Contestation close${NBSP}: ${payment} vous a été restitué par votre banque`;
  }
}

const HEADINGS: Record<DisputeContributorProps["stage"], string> = {
  opened: "Votre banque conteste votre paiement",
  won: "Votre paiement est maintenu",
  lost: "Votre banque vous a restitué votre paiement",
};

export default function DisputeContributor(props: DisputeContributorProps) {
  const { campaignTitle, campaignUrl, amountCents, reference, stage, contactEmail } = props;
  const amount = formatEuros(amountCents);
  const campaignLink = <TextLink href={campaignUrl}>{campaignTitle}</TextLink>;
  const contact = <TextLink href={`mailto:${contactEmail}`}>{contactEmail}</TextLink>;
  return (
    <EmailLayout
      title={disputeContributorSubject(props)}
      preview={
        stage === "opened"
          ? `Votre banque nous a informés que vous contestez votre paiement de ${amount}.`
          : stage === "won"
            ? `Votre paiement de ${amount} soutient toujours le projet.`
            : `Votre banque vous a restitué ${amount}.`
      }
      heading={HEADINGS[stage]}
    >
      <Text style={s.text}>Bonjour,</Text>
      {stage === "opened" ? (
        <>
          <Text style={s.text}>
            Votre banque nous a informés que vous contestez le paiement de {amount} fait pour la campagne{" "}
            {campaignLink}.
          </Text>
          <Text style={s.notice}>
            S’il s’agit d’une erreur, ou si vous avez une question, écrivez-nous à {contact} en indiquant la
            référence {reference}. Nous vous écrirons dès que votre banque aura clos la contestation.
          </Text>
        </>
      ) : stage === "won" ? (
        <>
          <Text style={s.text}>
            Votre banque a clos la contestation de votre paiement de {amount} pour la campagne {campaignLink}
            &nbsp;: le paiement est maintenu.
          </Text>
          <Text style={s.notice}>
            Votre contribution soutient toujours le projet. Vous n’avez rien à faire.
          </Text>
        </>
      ) : (
        <>
          <Text style={s.text}>
            Votre banque a clos la contestation de votre paiement pour la campagne {campaignLink} et vous a
            restitué {amount}.
          </Text>
          <Text style={s.notice}>Votre contribution ne compte donc plus pour le projet.</Text>
        </>
      )}

      <DetailsBox title="Votre paiement">
        <Detail label="Montant&nbsp;:"> {amount}</Detail>
        <Detail label="Référence&nbsp;:" last>
          {" "}
          {reference}
        </Detail>
      </DetailsBox>

      {stage === "opened" ? null : (
        <Text style={s.text}>
          Pour toute question, écrivez-nous à {contact} en indiquant la référence {reference}.
        </Text>
      )}
    </EmailLayout>
  );
}

DisputeContributor.PreviewProps = {
  campaignTitle: "Une épicerie solidaire à Lens",
  campaignUrl: "http://localhost:3000/campagnes/epicerie-solidaire-lens",
  amountCents: 2500,
  reference: "PRP-000042",
  stage: "opened",
  contactEmail: "contact@propulsons.example",
} satisfies DisputeContributorProps;
