/**
 * What the holder's preview says about the public page, true for each state: a live (or ended)
 * campaign's page is public — with a link to it —, the others say when it will be, or that it won't.
 * Pure (used by app/routes/porteur.campagnes.$id_.apercu.tsx).
 */
import type { CampaignState } from "~/domain/campaign-machine";

export type PreviewNotice = { isPublic: true } | { isPublic: false; text: string };

export function previewNotice(status: CampaignState, isPublic: boolean): PreviewNotice {
  if (isPublic) return { isPublic: true };
  switch (status) {
    case "draft":
    case "changes_requested":
      return {
        isPublic: false,
        text: "cette page n’est pas encore publique\u00a0: elle le sera une fois la campagne validée par l’équipe du Département et mise en ligne",
      };
    case "submitted":
      return {
        isPublic: false,
        text: "cette page n’est pas encore publique\u00a0: la campagne attend la validation de l’équipe du Département",
      };
    case "approved":
      return {
        isPublic: false,
        text: "cette page n’est pas encore publique\u00a0: la campagne est validée et sera mise en ligne à sa date de publication",
      };
    case "rejected":
      return { isPublic: false, text: "cette page ne sera pas publique\u00a0: la campagne a été refusée" };
    case "cancelled":
      return {
        isPublic: false,
        text: "cette page n’est pas publique\u00a0: la campagne a été annulée avant sa mise en ligne",
      };
    default:
      return { isPublic: false, text: "cette page n’est pas publique" };
  }
}
