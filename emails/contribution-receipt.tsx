/**
 * Sent to the contributor once the payment is confirmed (Stripe webhook).
 * Not a tax receipt.
 */
import { NNBSP } from "~/domain/typography";
import { Heading, Link, Text } from "@react-email/components";
import { formatDateTime, formatEuros } from "../app/domain/format";
import { Detail, DetailsBox, EmailLayout, q } from "./layout";
import * as s from "./styles";

export interface ReceiptProps {
  /** the contributor's name as given at checkout (even when shown as anonymous) */
  publicName: string;
  campaignTitle: string;
  /** absolute URL of the campaign page */
  campaignUrl: string;
  amountCents: number;
  rewardTitle: string | null;
  /** ISO-8601 instant of the payment */
  paidAt: string;
  /** reference to quote when writing to the team */
  reference: string;
  anonymous: boolean;
  hideAmount: boolean;
  /** the donor asked for a tax receipt (issued only once the campaign has succeeded) */
  taxReceiptRequested?: boolean;
  /**
   * abondement reserved for this contribution (0 or absent: none — the fund ran out, the
   * citizen's quota was used, or the campaign has no fund); added only if the campaign succeeds
   */
  matchedCents?: number;
}

/** What the Département adds, said as what it is: reserved, paid to the project only if it succeeds. */
export function matchSentence(amountCents: number, matchedCents: number): string {
  const added = formatEuros(matchedCents);
  const head =
    matchedCents === amountCents
      ? `Le Département double votre contribution : ${added} de plus pour ce projet`
      : `Le Département ajoute ${added} à votre contribution pour ce projet`;
  return `${head}, réservés dès maintenant et versés au porteur si la campagne atteint son objectif (tout ou rien). Ces ${added} ne donnent pas droit à un reçu fiscal.`;
}

export function receiptSubject(props: Pick<ReceiptProps, "campaignTitle">): string {
  return `Merci${NNBSP}! Votre contribution à ${q(props.campaignTitle)} est confirmée`;
}

function publicAppearance({ publicName, anonymous, hideAmount }: ReceiptProps): string {
  const who = anonymous ? `de façon anonyme (sous le nom ${q("Anonyme")})` : `sous le nom ${q(publicName)}`;
  const amount = hideAmount ? "sans son montant" : "avec son montant";
  return `Sur la page de la campagne, votre contribution apparaît ${who}, ${amount}. Votre adresse électronique n’est jamais affichée.`;
}

export default function ContributionReceipt(props: ReceiptProps) {
  const { publicName, campaignTitle, campaignUrl, amountCents, rewardTitle, paidAt, reference } = props;
  const amount = formatEuros(amountCents);
  return (
    <EmailLayout
      title={receiptSubject(props)}
      preview={`Votre contribution de ${amount} à ${q(campaignTitle)} est bien enregistrée.`}
      heading="Merci pour votre contribution"
      footer={
        <Text style={s.footer}>
          Ce message n’est pas un reçu fiscal. Pour toute question, indiquez la référence {reference}.
        </Text>
      }
    >
      <Text style={s.text}>Bonjour {publicName},</Text>
      <Text style={s.text}>
        Votre paiement est confirmé&nbsp;: vous soutenez la campagne{" "}
        <Link href={campaignUrl} style={s.link}>
          {campaignTitle}
        </Link>
        .
      </Text>

      <DetailsBox title="Récapitulatif">
        <Detail label="Campagne&nbsp;:"> {campaignTitle}</Detail>
        <Detail label="Montant&nbsp;:"> {amount}</Detail>
        <Detail label="Contrepartie&nbsp;:"> {rewardTitle ?? "sans contrepartie"}</Detail>
        <Detail label="Date&nbsp;:"> {formatDateTime(paidAt)} (heure de Paris)</Detail>
        <Detail label="Référence&nbsp;:" last>
          {" "}
          {reference}
        </Detail>
      </DetailsBox>

      {props.matchedCents ? (
        <Text style={s.text}>{matchSentence(amountCents, props.matchedCents)}</Text>
      ) : null}

      {props.taxReceiptRequested ? (
        <Text style={s.text}>
          Vous avez demandé un reçu fiscal&nbsp;: il vous sera envoyé quand la campagne aura réussi.
        </Text>
      ) : null}

      <Heading as="h2" style={s.subheading}>
        Tout ou rien
      </Heading>
      <Text style={s.notice}>
        Si la campagne n’atteint pas son objectif à sa date de fin, vous serez intégralement remboursé,
        automatiquement, sur le moyen de paiement utilisé.
      </Text>

      <Heading as="h2" style={s.subheading}>
        Ce qui est affiché publiquement
      </Heading>
      <Text style={s.text}>{publicAppearance(props)}</Text>

      <Text style={s.text}>
        Suivez l’avancement du projet sur{" "}
        <Link href={campaignUrl} style={s.link}>
          la page de la campagne
        </Link>
        .
      </Text>
    </EmailLayout>
  );
}

ContributionReceipt.PreviewProps = {
  publicName: "Camille Martin",
  campaignTitle: "Une épicerie solidaire à Lens",
  campaignUrl: "http://localhost:3000/campagnes/epicerie-solidaire-lens",
  amountCents: 2500,
  rewardTitle: "Un panier de légumes",
  paidAt: "2026-11-10T10:00:00.000Z",
  reference: "PRP-000042",
  anonymous: false,
  hideAmount: false,
} satisfies ReceiptProps;
