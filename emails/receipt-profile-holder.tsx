/**
 * Sent to the holder when staff verify or withdraw their structure's tax-receipt declaration
 * (app/receipts-forms/profiles.server.ts).
 */
import { NBSP } from "~/domain/typography";
import { Link, Text } from "@react-email/components";
import { EmailLayout, q } from "./layout";
import * as s from "./styles";

export interface ReceiptProfileHolderProps {
  structureName: string;
  decision: "verify" | "withdraw";
  /** the staff's reason for a withdrawal */
  reason: string | null;
  /** absolute URL of the declaration page */
  pageUrl: string;
}

export function receiptProfileHolderSubject(
  props: Pick<ReceiptProfileHolderProps, "structureName" | "decision">,
): string {
  return props.decision === "verify"
    ? `Reçus fiscaux de ${q(props.structureName)}${NBSP}: déclaration vérifiée`
    : `Reçus fiscaux de ${q(props.structureName)}${NBSP}: déclaration retirée`;
}

export default function ReceiptProfileHolder(props: ReceiptProfileHolderProps) {
  const sentence =
    props.decision === "verify"
      ? "L’équipe du Département a vérifié la déclaration de votre structure. Les donateurs qui le demandent recevront un reçu fiscal émis en son nom quand une campagne aura réussi."
      : "L’équipe du Département a retiré la déclaration de votre structure\u00a0: plus aucun reçu fiscal ne sera émis en son nom à partir de maintenant. Les reçus déjà émis restent valables.";
  return (
    <EmailLayout title={receiptProfileHolderSubject(props)} preview={sentence} heading="Reçus fiscaux">
      <Text style={s.text}>Bonjour,</Text>
      <Text style={s.text}>{sentence}</Text>
      {props.reason ? <Text style={s.notice}>Le motif&nbsp;: {props.reason}</Text> : null}
      <Text style={s.text}>
        <Link href={props.pageUrl} style={s.link}>
          Voir la déclaration dans l’espace porteur
        </Link>
      </Text>
    </EmailLayout>
  );
}

ReceiptProfileHolder.PreviewProps = {
  structureName: "Épicerie solidaire de Liévin",
  decision: "withdraw",
  reason: "Le numéro RNA ne correspond pas à la structure.",
  pageUrl: "http://localhost:3000/porteur/structure/recus-fiscaux",
} satisfies ReceiptProfileHolderProps;
