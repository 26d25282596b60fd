/**
 * What needs a person: contributions whose refund failed, disputed or flagged
 * payments, payouts that failed or wait for the holder's payment account, e-mails
 * that could not be delivered. Read-only: each item says what to do, and the
 * platform picks the outcome up from Stripe's webhooks (a refund made from the
 * Stripe dashboard marks the contribution refunded, for instance).
 */
import { sql, type Kysely } from "kysely";
import type { DB } from "#db/schema";
import { emailStaffLabel } from "../../emails/registry";
import {
  contributionReference,
  parseFlags,
  type ContributionStatus,
  type StaffFlag,
} from "~/domain/contribution-status";
import { canBePaid } from "~/domain/settlement";

/** What each staff flag means, and what to do about it: one entry per flag (the type requires it). */
export const FLAG_LABELS: Record<StaffFlag, { label: string; nextStep: string }> = {
  disputed: {
    label: "Paiement contesté (litige en cours)",
    nextStep:
      "Répondre au litige dans le tableau de bord Stripe avant l’échéance indiquée, avec le reçu et la page de la campagne comme preuves. Si la banque donne raison au contributeur, l’argent est repris par Stripe\u00a0: vérifiez ensuite le rapprochement.",
  },
  reward_unavailable: {
    label: "Contrepartie épuisée au moment du paiement",
    nextStep:
      "Le paiement est arrivé après la libération de l’unité réservée et la contrepartie est épuisée. Contactez le contributeur pour lui proposer une autre contrepartie ou le remboursement (à faire depuis le tableau de bord Stripe).",
  },
  amount_mismatch: {
    label: "Montant payé différent du montant demandé",
    nextStep:
      "Comparer le paiement dans Stripe et la contribution\u202f; en cas d’erreur, rembourser depuis le tableau de bord Stripe et prévenir le contributeur.",
  },
  partial_refund: {
    label: "Remboursement partiel fait hors plateforme",
    nextStep:
      "Quelqu’un a remboursé une partie du paiement depuis Stripe. La plateforme ne gère que les remboursements complets\u00a0: terminez le remboursement dans Stripe ou annulez l’opération, puis vérifiez le rapprochement.",
  },
  dispute_lost: {
    label: "Litige perdu\u00a0: la banque du contributeur a repris le paiement",
    nextStep:
      "Stripe a rendu l’argent au contributeur et prélevé les frais de litige\u00a0: cette contribution n’est ni remboursée ni versée par la plateforme. Si la campagne avait déjà été versée au porteur, la somme manque au solde (perte visible au rapprochement)\u00a0: voyez avec le porteur s’il faut la lui redemander.",
  },
};

interface FlaggedRow {
  status: ContributionStatus;
  staff_flag: string | null;
  dispute_status: "open" | "won" | "lost" | null;
  refund_last_error: string | null;
}

/**
 * What a person must look at on one contribution: a failed refund, and each staff flag.
 * « disputed » is only a problem while the dispute is open: one that ended (won, or lost
 * and flagged as such) needs nothing more for it.
 */
export function contributionProblems(
  k: FlaggedRow,
): Array<{ label: string; detail: string | null; nextStep: string }> {
  const flags = parseFlags(k.staff_flag).filter(
    (f) => !(f === "disputed" && (k.dispute_status === "won" || k.dispute_status === "lost")),
  );
  return [
    ...(k.status === "refund_failed"
      ? [{ label: "Remboursement en échec", detail: k.refund_last_error, nextStep: REFUND_FAILED_NEXT_STEP }]
      : []),
    ...flags.map((f) => ({ label: FLAG_LABELS[f].label, detail: null, nextStep: FLAG_LABELS[f].nextStep })),
  ];
}

/** Contributions that may need a person (refund failed, or some flag), before contributionProblems decides. */
function candidates(db: Kysely<DB>) {
  return db
    .selectFrom("contributions as k")
    .where((eb) =>
      eb.or([
        eb("k.status", "=", "refund_failed"),
        eb.and([eb("k.staff_flag", "is not", null), eb("k.staff_flag", "<>", "")]),
      ]),
    );
}

export const REFUND_FAILED_NEXT_STEP =
  "Stripe a refusé ou n’a pas pu faire le remboursement (carte expirée, compte clos…). Contactez le contributeur pour obtenir un autre moyen de remboursement (virement), puis remboursez depuis le tableau de bord Stripe\u00a0: le webhook marquera la contribution remboursée.";

export async function attentionItems(db: Kysely<DB>) {
  const [contributions, payouts, emails] = await Promise.all([
    candidates(db)
      .innerJoin("campaigns as c", "c.id", "k.campaign_id")
      .select([
        "k.id",
        "k.email",
        "k.amount_cents",
        "k.status",
        "k.staff_flag",
        "k.dispute_status",
        "k.refund_last_error",
        "k.refund_attempts",
        "k.stripe_payment_intent_id",
        "k.paid_at",
        "k.updated_at",
        "c.id as campaign_id",
        "c.title as campaign_title",
        "c.status as campaign_status",
      ])
      .orderBy("k.updated_at", "desc")
      .limit(500)
      .execute(),
    db
      .selectFrom("payouts as p")
      .innerJoin("campaigns as c", "c.id", "p.campaign_id")
      .innerJoin("organizations as o", "o.id", "c.organization_id")
      .select([
        "p.id",
        "p.kind",
        "p.amount_cents",
        "p.status",
        "p.attempts",
        "p.last_error",
        "p.created_at",
        "c.id as campaign_id",
        "c.title as campaign_title",
        "o.name as organization",
        "o.stripe_account_id",
        "o.stripe_payouts_enabled",
      ])
      .where("p.status", "in", ["pending", "failed"])
      .orderBy("p.created_at")
      .execute(),
    db
      .selectFrom("email_outbox")
      .select(["id", "kind", "to_email", "attempts", "last_error", "created_at"])
      .where("status", "=", "failed")
      .orderBy("created_at", "desc")
      .limit(200)
      .execute(),
  ]);
  return {
    contributions: contributions.flatMap((k) => {
      const problems = contributionProblems(k);
      if (problems.length === 0) return [];
      return {
        id: k.id,
        reference: contributionReference(k.id),
        email: k.email,
        amountCents: k.amount_cents,
        status: k.status,
        campaignId: k.campaign_id,
        campaignTitle: k.campaign_title,
        paymentIntent: k.stripe_payment_intent_id,
        updatedAt: k.updated_at,
        problems,
      };
    }),
    payouts: payouts.map((p) => ({
      id: p.id,
      kind: p.kind,
      amountCents: p.amount_cents,
      status: p.status,
      attempts: p.attempts,
      lastError: p.last_error,
      createdAt: p.created_at,
      campaignId: p.campaign_id,
      campaignTitle: p.campaign_title,
      organization: p.organization,
      nextStep: !canBePaid(p)
        ? "Le porteur n’a pas terminé l’ouverture de son compte de paiement Stripe\u00a0: il a été prévenu par courriel. Relancez-le\u202f; le virement partira tout seul au passage suivant une fois le compte prêt."
        : p.status === "failed"
          ? "Le virement a été refusé par Stripe\u00a0: lisez l’erreur, corrigez dans Stripe (compte du porteur, solde de la plateforme), puis relancez `npm run settle`."
          : "Le virement est en cours de nouvelle tentative automatique.",
    })),
    emails: emails.map((e) => ({
      id: e.id,
      kind: emailStaffLabel(e.kind),
      to: e.to_email,
      attempts: e.attempts,
      lastError: e.last_error,
      createdAt: e.created_at,
    })),
  };
}

/** How many items wait, for the staff home. */
export async function attentionCounts(db: Kysely<DB>) {
  const [k, p, e] = await Promise.all([
    // The same rule as the list (contributionProblems); the candidates are few.
    candidates(db)
      .select(["k.status", "k.staff_flag", "k.dispute_status", "k.refund_last_error"])
      .execute()
      .then((rows) => ({ n: rows.filter((r) => contributionProblems(r).length > 0).length })),
    db
      .selectFrom("payouts")
      .select(sql<number>`count(*)`.as("n"))
      .where("status", "in", ["pending", "failed"])
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("email_outbox")
      .select(sql<number>`count(*)`.as("n"))
      .where("status", "=", "failed")
      .executeTakeFirstOrThrow(),
  ]);
  return { contributions: Number(k.n), payouts: Number(p.n), emails: Number(e.n) };
}
