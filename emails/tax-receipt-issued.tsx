/**
 * Sent to the donor when their tax receipt is issued (the campaign is funded): the receipt's
 * number, amounts and where to download it (« Mes contributions », behind sign-in). The PDF is
 * not attached: it carries the donor's postal address, and the outbox keeps messages small
 * (docs/decisions/028-tax-receipts.md).
 */
import { Text } from "@react-email/components";
import { formatEuros } from "../app/domain/format";
import { Detail, DetailsBox, EmailLayout, q, TextLink } from "./layout";
import * as s from "./styles";

export interface TaxReceiptIssuedProps {
  beneficiaryName: string;
  campaignTitle: string;
  orderNumber: string;
  amountCents: number;
  deductibleCents: number;
  /** absolute URL of the contribution in « Mes contributions » */
  contributionUrl: string;
  /** absolute URL of the PDF (sign-in required) */
  downloadUrl: string;
}

export function taxReceiptIssuedSubject(props: Pick<TaxReceiptIssuedProps, "beneficiaryName">): string {
  return `Votre reçu fiscal de ${q(props.beneficiaryName)} est disponible`;
}

export default function TaxReceiptIssued(props: TaxReceiptIssuedProps) {
  const amount = formatEuros(props.amountCents);
  const deductible = formatEuros(props.deductibleCents);
  return (
    <EmailLayout
      title={taxReceiptIssuedSubject(props)}
      preview={`Reçu fiscal n° ${props.orderNumber} pour votre don de ${amount}.`}
      heading="Votre reçu fiscal est disponible"
      footer={
        <Text style={s.footer}>
          Conservez ce reçu&nbsp;: il justifie votre réduction d’impôt en cas de contrôle. Numéro du
          reçu&nbsp;: {props.orderNumber}.
        </Text>
      }
    >
      <Text style={s.text}>Bonjour,</Text>
      <Text style={s.text}>
        La campagne {q(props.campaignTitle)} a atteint son objectif&nbsp;: {props.beneficiaryName} vous a
        délivré, par l’intermédiaire de Propulsons, un reçu fiscal pour votre don.
      </Text>
      <DetailsBox title="Votre reçu fiscal">
        <Detail label="Numéro&nbsp;:"> {props.orderNumber}</Detail>
        <Detail label="Don&nbsp;:"> {amount}</Detail>
        <Detail label="Montant ouvrant droit à réduction&nbsp;:" last>
          {" "}
          {deductible}
        </Detail>
      </DetailsBox>
      <Text style={s.text}>
        <TextLink href={props.downloadUrl}>Télécharger le reçu fiscal (PDF)</TextLink> — ou retrouvez-le à
        tout moment dans <TextLink href={props.contributionUrl}>Mes contributions</TextLink> (connexion
        nécessaire).
      </Text>
    </EmailLayout>
  );
}

TaxReceiptIssued.PreviewProps = {
  beneficiaryName: "Les Jardins d’Arras",
  campaignTitle: "Un jardin pour tous",
  orderNumber: "2026-0007",
  amountCents: 10_000,
  deductibleCents: 8_000,
  contributionUrl: "http://localhost:3000/mon-compte/contributions/42",
  downloadUrl: "http://localhost:3000/mon-compte/recus/42.pdf",
} satisfies TaxReceiptIssuedProps;
