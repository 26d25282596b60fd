/**
 * Sent to the donor and to the holder when an issued tax receipt is cancelled because its
 * payment was refunded or lost in a bank dispute: the receipt keeps its number and now reads
 * « ANNULÉ »; it may no longer be used for a tax reduction.
 */
import { NBSP } from "~/domain/typography";
import { Text } from "@react-email/components";
import { formatEuros } from "../app/domain/format";
import { Detail, DetailsBox, EmailLayout, q, TextLink } from "./layout";
import * as s from "./styles";

export interface TaxReceiptCancelledProps {
  audience: "donor" | "holder";
  beneficiaryName: string;
  campaignTitle: string;
  orderNumber: string;
  amountCents: number;
  cause: "refunded" | "dispute_lost";
  /** absolute URL where the cancelled receipt can be read */
  receiptUrl: string;
}

export function taxReceiptCancelledSubject(props: Pick<TaxReceiptCancelledProps, "orderNumber">): string {
  return `Reçu fiscal n° ${props.orderNumber} annulé`;
}

export default function TaxReceiptCancelled(props: TaxReceiptCancelledProps) {
  const amount = formatEuros(props.amountCents);
  const why =
    props.cause === "refunded"
      ? `le don de ${amount} a été remboursé`
      : `le don de ${amount} a été repris par la banque du donateur à la suite d’une contestation`;
  return (
    <EmailLayout
      title={taxReceiptCancelledSubject(props)}
      preview={`Le reçu fiscal n° ${props.orderNumber} est annulé${NBSP}: ${why}.`}
      heading="Reçu fiscal annulé"
      footer={<Text style={s.footer}>Numéro du reçu&nbsp;: {props.orderNumber}.</Text>}
    >
      <Text style={s.text}>Bonjour,</Text>
      <Text style={s.text}>
        Le reçu fiscal n° {props.orderNumber} délivré au nom de {props.beneficiaryName} pour la campagne{" "}
        {q(props.campaignTitle)} est annulé&nbsp;: {why}.
      </Text>
      <DetailsBox title="Ce qui change">
        <Detail label="Reçu&nbsp;:"> n° {props.orderNumber}, désormais marqué «&nbsp;ANNULÉ&nbsp;»</Detail>
        <Detail label="Montant&nbsp;:" last>
          {" "}
          {amount}
        </Detail>
      </DetailsBox>
      <Text style={s.notice}>
        {props.audience === "donor"
          ? "Ce reçu ne peut plus servir à une réduction d’impôt. Si vous l’avez déjà déclaré, corrigez votre déclaration de revenus."
          : "Ce reçu ne compte plus dans le total des dons de l’année ni dans le nombre de reçus à déclarer (article 222 bis du CGI). Son numéro n’est pas réattribué."}
      </Text>
      <Text style={s.text}>
        <TextLink href={props.receiptUrl}>Voir le reçu annulé (PDF)</TextLink>
      </Text>
    </EmailLayout>
  );
}

TaxReceiptCancelled.PreviewProps = {
  audience: "donor",
  beneficiaryName: "Les Jardins d’Arras",
  campaignTitle: "Un jardin pour tous",
  orderNumber: "2026-0007",
  amountCents: 10_000,
  cause: "refunded",
  receiptUrl: "http://localhost:3000/mon-compte/recus/42.pdf",
} satisfies TaxReceiptCancelledProps;
