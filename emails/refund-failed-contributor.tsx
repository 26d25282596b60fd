/**
 * Sent to a contributor when Stripe could not make the refund of their
 * contribution (refund failed for good). It says plainly that the refund could
 * not be made, what happens next and whom to write to — never « remboursé ».
 */
import { Heading, Link, Text } from "@react-email/components";
import { formatEuros } from "../app/domain/format";
import { Detail, DetailsBox, EmailLayout, q, TextLink } from "./layout";
import * as s from "./styles";

export interface RefundFailedContributorProps {
  campaignTitle: string;
  /** absolute URL of the campaign page */
  campaignUrl: string;
  /** what could not be refunded */
  amountCents: number;
  /** the contribution's reference (PRP-000042), to quote when writing to the team */
  reference: string;
  /** where to write (CONTACT_EMAIL) */
  contactEmail: string;
}

export function refundFailedContributorSubject(
  props: Pick<RefundFailedContributorProps, "campaignTitle">,
): string {
  return `Le remboursement de votre contribution à ${q(props.campaignTitle)} n’a pas pu être effectué`;
}

export default function RefundFailedContributor(props: RefundFailedContributorProps) {
  const { campaignTitle, campaignUrl, amountCents, reference, contactEmail } = props;
  const amount = formatEuros(amountCents);
  const contact = <TextLink href={`mailto:${contactEmail}`}>{contactEmail}</TextLink>;
  return (
    <EmailLayout
      title={refundFailedContributorSubject(props)}
      preview={`Le remboursement de ${amount} n’a pas pu être effectué. Notre équipe vous contactera sous 5 jours ouvrés.`}
      heading="Le remboursement n’a pas pu être effectué"
    >
      <Text style={s.text}>Bonjour,</Text>
      <Text style={s.text}>
        Le remboursement de {amount} de votre contribution à la campagne{" "}
        <Link href={campaignUrl} style={s.link}>
          {campaignTitle}
        </Link>{" "}
        n’a pas pu être effectué sur le moyen de paiement que vous aviez utilisé.
      </Text>

      <DetailsBox title="Votre contribution">
        <Detail label="Montant à rembourser&nbsp;:"> {amount}</Detail>
        <Detail label="Référence&nbsp;:"> {reference}</Detail>
        <Detail label="État&nbsp;:" last>
          {" "}
          en attente d’un autre moyen de remboursement
        </Detail>
      </DetailsBox>

      <Heading as="h2" style={s.subheading}>
        Et maintenant&#x202f;?
      </Heading>
      <Text style={s.notice}>
        L’équipe de Propulsons a été alertée. Elle vous contactera sous 5 jours ouvrés pour vous rembourser
        par un autre moyen, par exemple par virement.
      </Text>
      <Text style={s.text}>
        Vous pouvez aussi nous écrire dès maintenant à {contact}, en indiquant la référence {reference}.
      </Text>
    </EmailLayout>
  );
}

RefundFailedContributor.PreviewProps = {
  campaignTitle: "Une épicerie solidaire à Lens",
  campaignUrl: "http://localhost:3000/campagnes/epicerie-solidaire-lens",
  amountCents: 2500,
  reference: "PRP-000042",
  contactEmail: "contact@propulsons.example",
} satisfies RefundFailedContributorProps;
