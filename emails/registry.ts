/**
 * Every e-mail the platform sends, declared once: its kind (stored in email_outbox.kind), its
 * template, its subject and what the staff call it (« Paiements à traiter », the outbox).
 * app/email.server.ts renders and sends them; db/schema.ts reads the kinds from here.
 */
import type { ReactElement } from "react";
import ContributionReceipt, { receiptSubject, type ReceiptProps } from "./contribution-receipt";
import HolderNewContribution, {
  holderNewContributionSubject,
  type HolderNewContributionProps,
} from "./holder-new-contribution";
import CampaignFundedContributor, {
  campaignFundedContributorSubject,
  type CampaignFundedContributorProps,
} from "./campaign-funded-contributor";
import CampaignFundedHolder, {
  campaignFundedHolderSubject,
  type CampaignFundedHolderProps,
} from "./campaign-funded-holder";
import CampaignRefundContributor, {
  campaignRefundContributorSubject,
  type CampaignRefundContributorProps,
} from "./campaign-refund-contributor";
import PayoutWaitingHolder, {
  payoutWaitingHolderSubject,
  type PayoutWaitingHolderProps,
} from "./payout-waiting-holder";
import RefundSentContributor, {
  refundSentContributorSubject,
  type RefundSentContributorProps,
} from "./refund-sent-contributor";
import RefundFailedContributor, {
  refundFailedContributorSubject,
  type RefundFailedContributorProps,
} from "./refund-failed-contributor";
import LatePaymentContributor, {
  latePaymentContributorSubject,
  type LatePaymentContributorProps,
} from "./late-payment-contributor";
import PayoutSentHolder, { payoutSentHolderSubject, type PayoutSentHolderProps } from "./payout-sent-holder";
import DisputeContributor, {
  disputeContributorSubject,
  type DisputeContributorProps,
} from "./dispute-contributor";
import TaxReceiptIssued, { taxReceiptIssuedSubject, type TaxReceiptIssuedProps } from "./tax-receipt-issued";
import TaxReceiptCancelled, {
  taxReceiptCancelledSubject,
  type TaxReceiptCancelledProps,
} from "./tax-receipt-cancelled";

import ReceiptProfileHolder, {
  receiptProfileHolderSubject,
  type ReceiptProfileHolderProps,
} from "./receipt-profile-holder";
import ContactMessage, { contactMessageSubject, type ContactMessageProps } from "./contact-message";
import SignIn, { signInSubject, type SignInProps } from "./sign-in";
import EmailChangeCode, { emailChangeCodeSubject, type EmailChangeCodeProps } from "./email-change-code";
import EmailChangedNotice, {
  emailChangedNoticeSubject,
  type EmailChangedNoticeProps,
} from "./email-changed-notice";
import CampaignNews, { campaignNewsSubject, type CampaignNewsProps } from "./campaign-news";
import CampaignStatusHolder, {
  campaignStatusHolderSubject,
  type CampaignStatusHolderProps,
} from "./campaign-status-holder";

interface Entry<P> {
  component: (props: P) => ReactElement;
  subject: (props: P) => string;
  /** what the staff read in the back office */
  staffLabel: string;
}

/** One entry per kind; `satisfies` checks each template against its subject's props. */
export const EMAILS = {
  sign_in: {
    component: SignIn,
    subject: signInSubject,
    staffLabel: "Connexion (lien et code)",
  } satisfies Entry<SignInProps>,
  email_change_code: {
    component: EmailChangeCode,
    subject: emailChangeCodeSubject,
    staffLabel: "Changement d’adresse (code à la nouvelle adresse)",
  } satisfies Entry<EmailChangeCodeProps>,
  email_changed_notice: {
    component: EmailChangedNotice,
    subject: emailChangedNoticeSubject,
    staffLabel: "Adresse changée (à l’ancienne adresse)",
  } satisfies Entry<EmailChangedNoticeProps>,
  campaign_news: {
    component: CampaignNews,
    subject: campaignNewsSubject,
    staffLabel: "Actualité d’une campagne",
  } satisfies Entry<CampaignNewsProps>,
  campaign_status_holder: {
    component: CampaignStatusHolder,
    subject: campaignStatusHolderSubject,
    staffLabel: "Changement d’état (au porteur)",
  } satisfies Entry<CampaignStatusHolderProps>,
  contribution_receipt: {
    component: ContributionReceipt,
    subject: receiptSubject,
    staffLabel: "Reçu de contribution",
  } satisfies Entry<ReceiptProps>,
  holder_new_contribution: {
    component: HolderNewContribution,
    subject: holderNewContributionSubject,
    staffLabel: "Nouvelle contribution (au porteur)",
  } satisfies Entry<HolderNewContributionProps>,
  campaign_funded_contributor: {
    component: CampaignFundedContributor,
    subject: campaignFundedContributorSubject,
    staffLabel: "Campagne réussie (au contributeur)",
  } satisfies Entry<CampaignFundedContributorProps>,
  campaign_funded_holder: {
    component: CampaignFundedHolder,
    subject: campaignFundedHolderSubject,
    staffLabel: "Campagne réussie (au porteur)",
  } satisfies Entry<CampaignFundedHolderProps>,
  campaign_refund_contributor: {
    component: CampaignRefundContributor,
    subject: campaignRefundContributorSubject,
    staffLabel: "Remboursement annoncé (au contributeur)",
  } satisfies Entry<CampaignRefundContributorProps>,
  payout_waiting_holder: {
    component: PayoutWaitingHolder,
    subject: payoutWaitingHolderSubject,
    staffLabel: "Virement en attente (au porteur)",
  } satisfies Entry<PayoutWaitingHolderProps>,
  refund_sent_contributor: {
    component: RefundSentContributor,
    subject: refundSentContributorSubject,
    staffLabel: "Remboursement effectué (au contributeur)",
  } satisfies Entry<RefundSentContributorProps>,
  refund_failed_contributor: {
    component: RefundFailedContributor,
    subject: refundFailedContributorSubject,
    staffLabel: "Remboursement en échec (au contributeur)",
  } satisfies Entry<RefundFailedContributorProps>,
  late_payment_contributor: {
    component: LatePaymentContributor,
    subject: latePaymentContributorSubject,
    staffLabel: "Paiement arrivé après la fin (au contributeur)",
  } satisfies Entry<LatePaymentContributorProps>,
  payout_sent_holder: {
    component: PayoutSentHolder,
    subject: payoutSentHolderSubject,
    staffLabel: "Virement émis (au porteur)",
  } satisfies Entry<PayoutSentHolderProps>,
  dispute_contributor: {
    component: DisputeContributor,
    subject: disputeContributorSubject,
    staffLabel: "Contestation bancaire (au contributeur)",
  } satisfies Entry<DisputeContributorProps>,
  tax_receipt_issued: {
    component: TaxReceiptIssued,
    subject: taxReceiptIssuedSubject,
    staffLabel: "Reçu fiscal délivré (au donateur)",
  } satisfies Entry<TaxReceiptIssuedProps>,
  tax_receipt_cancelled: {
    component: TaxReceiptCancelled,
    subject: taxReceiptCancelledSubject,
    staffLabel: "Reçu fiscal annulé (au donateur et au porteur)",
  } satisfies Entry<TaxReceiptCancelledProps>,
  receipt_profile_holder: {
    component: ReceiptProfileHolder,
    subject: receiptProfileHolderSubject,
    staffLabel: "Reçus fiscaux\u00a0: déclaration vérifiée ou retirée (au porteur)",
  } satisfies Entry<ReceiptProfileHolderProps>,
  contact_message: {
    component: ContactMessage,
    subject: contactMessageSubject,
    staffLabel: "Message de contact (à l’équipe)",
  } satisfies Entry<ContactMessageProps>,
};

export type EmailKind = keyof typeof EMAILS;

/** The kinds, in the order of the registry. */
export const EMAIL_KINDS = Object.keys(EMAILS) as EmailKind[];

/** A message of one kind with the data its template takes. */
export type EmailMessage = {
  [K in EmailKind]: { kind: K; data: Parameters<(typeof EMAILS)[K]["component"]>[0] };
}[EmailKind];

/** What each kind of e-mail is, in the staff's words. */
export function emailStaffLabel(kind: EmailKind): string {
  return EMAILS[kind].staffLabel;
}
