/**
 * Sent to the holder at each change of their campaign's status made by the
 * review or the calendar (submitted, changes requested, approved, rejected,
 * live, cancelled). Funded and failed have their own messages.
 */
import { NBSP } from "~/domain/typography";
import { Link, Text } from "@react-email/components";
import { EmailLayout, q } from "./layout";
import * as s from "./styles";

export interface CampaignStatusHolderProps {
  campaignTitle: string;
  /** absolute URL of the holder's editor for this campaign */
  editorUrl: string;
  /** French label of the new status, e.g. « En attente de validation » */
  statusLabel: string;
  event: "submit" | "resubmit" | "request_changes" | "approve" | "reject" | "start" | "cancel";
  /** the staff's comment or reason, when there is one */
  reason: string | null;
}

const SENTENCES: Record<CampaignStatusHolderProps["event"], string> = {
  submit:
    "Votre campagne est transmise à l’équipe du Département, qui va la relire. Vous recevrez sa réponse par courriel.",
  resubmit: "Votre campagne modifiée est transmise à nouveau à l’équipe du Département pour relecture.",
  request_changes:
    "L’équipe du Département vous demande quelques modifications avant de valider votre campagne.",
  approve:
    "Bonne nouvelle\u00a0: votre campagne est validée. Elle sera mise en ligne automatiquement à sa date de publication.",
  reject: "L’équipe du Département n’a pas retenu votre campagne.",
  start:
    "Votre campagne est en ligne\u00a0: les contributions sont ouvertes. Partagez-la autour de vous\u202f!",
  cancel:
    "Votre campagne a été annulée par l’équipe du Département\u202f; chaque contributeur est intégralement remboursé.",
};

export function campaignStatusHolderSubject(
  props: Pick<CampaignStatusHolderProps, "campaignTitle" | "statusLabel">,
): string {
  return `Votre campagne ${q(props.campaignTitle)}${NBSP}: ${props.statusLabel.toLowerCase()}`;
}

export default function CampaignStatusHolder(props: CampaignStatusHolderProps) {
  return (
    <EmailLayout
      title={campaignStatusHolderSubject(props)}
      preview={SENTENCES[props.event]}
      heading={`État de votre campagne${NBSP}: ${props.statusLabel}`}
    >
      <Text style={s.text}>Bonjour,</Text>
      <Text style={s.text}>{SENTENCES[props.event]}</Text>
      {props.reason ? (
        <Text style={s.notice}>
          {props.event === "request_changes" ? "Le commentaire de l’équipe" : "Le motif"}&nbsp;:{" "}
          {props.reason}
        </Text>
      ) : null}
      <Text style={s.text}>
        <Link href={props.editorUrl} style={s.link}>
          Ouvrir ma campagne dans l’espace porteur
        </Link>
      </Text>
    </EmailLayout>
  );
}

CampaignStatusHolder.PreviewProps = {
  campaignTitle: "Une épicerie solidaire à Liévin",
  editorUrl: "http://localhost:3000/porteur/campagnes/1",
  statusLabel: "Modifications demandées",
  event: "request_changes",
  reason: "Précisez le calendrier des travaux.",
} satisfies CampaignStatusHolderProps;
