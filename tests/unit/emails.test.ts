/**
 * The settlement emails rendered through renderEmail (the path the outbox
 * sender takes): subject, French content in HTML and plain text.
 */
import { describe, expect, it } from "vitest";
import { renderEmail, type EmailMessage } from "~/email.server";

const NBSP = "\u00a0";
/** formatInteger groups thousands with a narrow no-break space */
const NNBSP = "\u202f";
const euros = (text: string) => `${text}${NBSP}€`;
const TITLE = "Une épicerie solidaire à Lens";
const QUOTED = `«${NBSP}${TITLE}${NBSP}»`;
const URL = "http://localhost:3000/campagnes/epicerie-solidaire-lens";

const WAITING = `Votre virement est en attente${NBSP}: votre compte de paiement Stripe n’est pas encore prêt à recevoir des fonds. Finalisez-le depuis votre espace porteur${NNBSP}; le virement partira automatiquement dès qu’il sera prêt.`;
/** the funded message is sent before any transfer exists: what will be transferred */
const TO_BE_SENT = `Le virement de ${euros(`5${NNBSP}111,90`)} sera émis automatiquement vers votre compte Stripe. Un second message vous le confirmera dès qu’il aura été émis${NNBSP}; le montant apparaîtra ensuite sur votre compte bancaire selon le calendrier de versement de Stripe.`;
/** what only a message sent once a transfer or a refund exists may say */
const SAYS_TRANSFER_MADE = /\ba été émis|Montant viré|virement est émis/;
const SAYS_REFUNDED =
  /vous (êtes|avez été) (intégralement )?rembours|\ba été remboursée?|\b(vous|est|sont) remboursée?s?\b/i;

/** HTML escapes the apostrophe; compare against the escaped form. */
const htmlText = (text: string) => text.replace(/'/g, "&#x27;");
/** React separates adjacent text nodes with empty comments; drop them to match a sentence. */
const flat = (html: string) => html.replace(/<!-- -->/g, "");

async function render(message: EmailMessage) {
  const rendered = await renderEmail(message);
  expect(rendered.html).toContain('lang="fr"');
  expect(rendered.html).toContain(URL);
  expect(rendered.text).toContain("Propulsons, la plateforme de financement participatif");
  return rendered;
}

describe("campaign_funded_contributor", () => {
  it("thanks the contributor with the final figures and their amount", async () => {
    const { subject, html, text } = await render({
      kind: "campaign_funded_contributor",
      data: {
        campaignTitle: TITLE,
        campaignUrl: URL,
        collectedCents: 527_000,
        goalCents: 500_000,
        contributorsCount: 84,
        amountCents: 2550,
      },
    });
    expect(subject).toBe(`Objectif atteint\u202f! ${QUOTED} est financé`);
    expect(text).toContain(`Montant collecté\u00a0: ${euros(`5${NNBSP}270`)} (105${NBSP}% de l’objectif)`);
    expect(text).toContain(`Objectif\u00a0: ${euros(`5${NNBSP}000`)}`);
    expect(text).toContain("Contributeurs\u00a0: 84");
    expect(text).toContain(`Votre contribution\u00a0: ${euros("25,50")}`);
    expect(text).toContain(
      `Votre contribution de ${euros("25,50")} est désormais utilisée pour réaliser le projet`,
    );
    expect(text).toContain("Le porteur de projet vous tiendra informé");
    expect(text).toContain("Merci pour votre soutien\u202f!");
    expect(html).toContain(euros("25,50"));
    expect(html).toContain(euros(`5${NNBSP}270`));
  });

  it("shows the Département's abondement apart, and the goal reached with it", async () => {
    const { text } = await render({
      kind: "campaign_funded_contributor",
      data: {
        campaignTitle: TITLE,
        campaignUrl: URL,
        collectedCents: 300_000,
        matchedCents: 200_000,
        goalCents: 500_000,
        contributorsCount: 40,
        amountCents: 2550,
      },
    });
    expect(text).toContain(`Montant collecté\u00a0: ${euros(`3${NNBSP}000`)}\n`);
    expect(text).toContain(`Abondement du Département\u00a0: ${euros(`2${NNBSP}000`)}`);
    expect(text).toContain(`Total\u00a0: ${euros(`5${NNBSP}000`)} (100${NBSP}% de l’objectif)`);
    expect(text).not.toContain(`(60${NBSP}% de l’objectif)`);
  });
});

describe("campaign_funded_holder", () => {
  const funded = {
    campaignTitle: TITLE,
    campaignUrl: URL,
    collectedCents: 527_000,
    goalCents: 500_000,
    contributorsCount: 84,
    commissionBps: 300,
    commissionCents: 15_810,
    payoutCents: 511_190,
    budgetCitoyenYear: null,
    payoutWaiting: false,
  };

  it("gives the figures, the 3 % commission and says the transfer will be issued — never that it was", async () => {
    const { subject, html, text } = await render({ kind: "campaign_funded_holder", data: funded });
    expect(subject).toBe(`Objectif atteint${NNBSP}! Votre campagne ${QUOTED} est financée`);
    expect(text).toContain(
      `a atteint son objectif${NBSP}: ${euros(`5${NNBSP}270`)} collectés sur un objectif de ${euros(`5${NNBSP}000`)}, soit 105${NBSP}% de l’objectif, grâce à 84 contributeurs.`,
    );
    expect(text).toContain(`Commission de la plateforme (3${NBSP}%)${NBSP}: ${euros("158,10")}`);
    expect(text).toContain(`Montant à virer sur votre compte Stripe${NBSP}: ${euros(`5${NNBSP}111,90`)}`);
    expect(text).toContain(
      `La commission de la plateforme est de 3${NBSP}% du montant collecté, soit ${euros("158,10")}. Vous recevrez ${euros(`5${NNBSP}111,90`)}.`,
    );
    expect(text).toContain(TO_BE_SENT);
    expect(`${subject}\n${text}`).not.toMatch(SAYS_TRANSFER_MADE);
    expect(text).not.toContain("Votre virement est en attente");
    expect(text).not.toContain("Budget Citoyen");
    expect(text).toContain("Pensez à envoyer les contreparties promises à vos contributeurs");
    expect(text).toContain("en publiant des actualités");
    expect(html).toContain(euros(`5${NNBSP}111,90`));
    expect(flat(html)).toContain(htmlText(TO_BE_SENT));
  });

  it("states the abondement apart: in the goal, not in the transfer, no commission on it", async () => {
    const { html, text } = await render({
      kind: "campaign_funded_holder",
      data: {
        ...funded,
        collectedCents: 300_000,
        matchedCents: 200_000,
        commissionCents: 9000,
        payoutCents: 291_000,
      },
    });
    expect(text).toContain(
      `a atteint son objectif${NBSP}: ${euros(`3${NNBSP}000`)} collectés grâce à 84 contributeurs et ${euros(`2${NNBSP}000`)} d’abondement du Département, soit 100${NBSP}% de l’objectif de ${euros(`5${NNBSP}000`)}.`,
    );
    expect(text).toContain(`Abondement du Département${NBSP}: ${euros(`2${NNBSP}000`)}`);
    expect(text).toContain(`Montant à virer sur votre compte Stripe${NBSP}: ${euros(`2${NNBSP}910`)}`);
    expect(text).toContain(
      `L’abondement de ${euros(`2${NNBSP}000`)} n’est pas dans ce virement et ne supporte aucune commission${NBSP}: le Département vous le verse lui-même, selon la convention d’abondement de votre campagne.`,
    );
    expect(text).not.toContain(`soit 60${NBSP}%`);
    expect(text).not.toMatch(SAYS_TRANSFER_MADE);
    expect(flat(html)).toContain(htmlText(`${euros(`2${NNBSP}000`)} d’abondement du Département`));
  });

  it("says 0 % for a « Budget Citoyen » project and that the transfer waits", async () => {
    const { html, text } = await render({
      kind: "campaign_funded_holder",
      data: {
        ...funded,
        contributorsCount: 1,
        commissionBps: 0,
        commissionCents: 0,
        payoutCents: 527_000,
        budgetCitoyenYear: 2026,
        payoutWaiting: true,
      },
    });
    expect(text).toContain("grâce à 1 contributeur.");
    expect(text).toContain(
      `Commission de la plateforme${NBSP}: 0${NBSP}%, car votre projet est labellisé «${NBSP}Budget Citoyen 2026${NBSP}»${NBSP}: aucune commission n’est prélevée. Vous recevrez ${euros(`5${NNBSP}270`)}.`,
    );
    expect(text).toContain(`Commission de la plateforme (0${NBSP}%)${NBSP}: ${euros("0")}`);
    expect(text).toContain(`Montant à virer sur votre compte Stripe${NBSP}: ${euros(`5${NNBSP}270`)}`);
    expect(text).toContain(WAITING);
    expect(text).not.toContain("sera émis automatiquement");
    expect(text).not.toMatch(SAYS_TRANSFER_MADE);
    expect(html).toContain(htmlText(WAITING));
    expect(html).toContain(`Budget Citoyen 2026`);
  });
});

describe("campaign_refund_contributor", () => {
  const failed = {
    campaignTitle: TITLE,
    campaignUrl: URL,
    amountCents: 2550,
    cancelled: false,
    reason: null,
    collectedCents: 313_500,
    goalCents: 500_000,
  };
  const refundLine = `Vous allez être intégralement remboursé de ${euros("25,50")}, automatiquement, sur le moyen de paiement utilisé. Vous n’avez rien à faire. Un second message vous confirmera le remboursement dès qu’il aura été effectué${NNBSP}; il apparaîtra ensuite sur votre relevé sous 5 à 10 jours ouvrés, selon votre banque.`;

  it("explains the goal was not reached and that a full refund is coming — not that it was made", async () => {
    const { subject, html, text } = await render({ kind: "campaign_refund_contributor", data: failed });
    expect(subject).toBe(`${QUOTED} n’a pas atteint son objectif${NBSP}: vous allez être remboursé`);
    expect(text).toContain(
      `n’a pas atteint son objectif à sa date de fin${NBSP}: ${euros(`3${NNBSP}135`)} collectés sur un objectif de ${euros(`5${NNBSP}000`)}, soit 62${NBSP}% de l’objectif.`,
    );
    expect(text).toContain("chaque contributeur va être remboursé.");
    expect(text).toContain(`Montant à rembourser${NBSP}: ${euros("25,50")}`);
    expect(text).toContain(`Confirmation${NBSP}: par un second message, une fois le remboursement effectué`);
    expect(text).toContain(refundLine);
    expect(text).toContain("Merci pour votre soutien");
    expect(text).not.toContain("annulé");
    expect(`${subject}\n${text}`).not.toMatch(SAYS_REFUNDED);
    expect(text).not.toContain("Montant remboursé");
    expect(flat(html)).toContain(htmlText(refundLine));
  });

  it("says the Département cancelled the campaign and quotes the reason", async () => {
    const reason = "Le porteur a renoncé au projet, faute de local disponible.";
    const { subject, html, text } = await render({
      kind: "campaign_refund_contributor",
      data: { ...failed, cancelled: true, reason, collectedCents: 600_000 },
    });
    expect(subject).toBe(`Campagne ${QUOTED} annulée${NBSP}: vous allez être remboursé`);
    expect(text).toContain(`Le Département du Pas-de-Calais a annulé la campagne ${TITLE}`);
    expect(text).toContain(`Motif de l’annulation${NBSP}:`);
    expect(text).toContain(reason);
    expect(html).toContain(reason);
    expect(text).not.toContain("n’a pas atteint son objectif");
    expect(text).toContain(refundLine);
    expect(`${subject}\n${text}`).not.toMatch(SAYS_REFUNDED);
  });

  it("leaves the reason out when there is none", async () => {
    const { text } = await render({
      kind: "campaign_refund_contributor",
      data: { ...failed, cancelled: true },
    });
    expect(text).toContain("Le Département du Pas-de-Calais a annulé la campagne");
    expect(text).not.toContain("Motif");
  });
});

const REF = "PRP-000042";
const CONTACT = "contact@propulsons.example";

describe("refund_sent_contributor", () => {
  const sent = {
    campaignTitle: TITLE,
    campaignUrl: URL,
    amountCents: 2500,
    reference: REF,
    cause: "failed" as const,
  };

  it("says the refund was made, accepted by the payment provider, with its delay", async () => {
    const { subject, html, text } = await render({ kind: "refund_sent_contributor", data: sent });
    expect(subject).toBe(`Vous avez été remboursé de ${euros("25")} pour votre contribution à ${QUOTED}`);
    expect(text).toContain(
      `n’a pas atteint son objectif à sa date de fin${NBSP}: vous avez été remboursé de ${euros("25")}.`,
    );
    expect(text).toContain(`Montant remboursé${NBSP}: ${euros("25")}`);
    expect(text).toContain(`Référence${NBSP}: ${REF}`);
    const accepted = `Notre prestataire de paiement, Stripe, a accepté le remboursement de ${euros("25")} sur le moyen de paiement utilisé pour votre contribution. Il apparaîtra sur votre relevé sous 5 à 10 jours ouvrés, selon votre banque. Vous n’avez rien à faire.`;
    expect(text).toContain(accepted);
    expect(flat(html)).toContain(htmlText(accepted));
  });

  it("gives the cause: cancelled, late payment, other", async () => {
    const cancelled = await render({
      kind: "refund_sent_contributor",
      data: { ...sent, cause: "cancelled" },
    });
    expect(cancelled.text).toContain(`a été annulée${NBSP}: vous avez été remboursé de ${euros("25")}.`);
    const late = await render({ kind: "refund_sent_contributor", data: { ...sent, cause: "late_payment" } });
    expect(late.text).toContain(
      `est arrivé après la fin de la campagne${NBSP}: vous avez été remboursé de ${euros("25")}.`,
    );
    const other = await render({ kind: "refund_sent_contributor", data: { ...sent, cause: "other" } });
    expect(other.text).toContain(
      `Vous avez été remboursé de ${euros("25")} pour votre contribution à la campagne ${TITLE}`,
    );
    expect(other.text).not.toMatch(/annulée|objectif|après la fin/);
  });
});

describe("refund_failed_contributor", () => {
  it("says plainly the refund could not be made, what happens next and whom to write to — never « remboursé »", async () => {
    const { subject, html, text } = await render({
      kind: "refund_failed_contributor",
      data: {
        campaignTitle: TITLE,
        campaignUrl: URL,
        amountCents: 4000,
        reference: REF,
        contactEmail: CONTACT,
      },
    });
    expect(subject).toBe(`Le remboursement de votre contribution à ${QUOTED} n’a pas pu être effectué`);
    expect(text).toContain(
      `Le remboursement de ${euros("40")} de votre contribution à la campagne ${TITLE} ${URL} n’a pas pu être effectué sur le moyen de paiement que vous aviez utilisé.`,
    );
    expect(text).toContain(
      "L’équipe de Propulsons a été alertée. Elle vous contactera sous 5 jours ouvrés pour vous rembourser par un autre moyen, par exemple par virement.",
    );
    expect(text).toContain(
      `Vous pouvez aussi nous écrire dès maintenant à ${CONTACT}, en indiquant la référence ${REF}.`,
    );
    expect(html).toContain(`href="mailto:${CONTACT}"`);
    expect(`${subject}\n${text}`).not.toContain("remboursé");
  });
});

describe("late_payment_contributor", () => {
  const late = {
    campaignTitle: TITLE,
    campaignUrl: URL,
    amountCents: 2500,
    reference: REF,
    outcome: "failed" as const,
  };

  it("says the payment came after the end and is going to be refunded — never thanked, never « remboursé » as done", async () => {
    const { subject, html, text } = await render({ kind: "late_payment_contributor", data: late });
    expect(subject).toBe(
      `Votre paiement pour ${QUOTED} est arrivé après la fin de la campagne${NBSP}: il va vous être remboursé`,
    );
    expect(text).toContain(
      `Votre paiement de ${euros("25")} pour la campagne ${TITLE} ${URL} nous est parvenu après la fin de celle-ci.`,
    );
    expect(text).toContain(
      `La campagne n’a pas atteint son objectif${NBSP}: elle ne peut plus recevoir de contribution.`,
    );
    const refund = `Votre paiement de ${euros("25")} va vous être remboursé en totalité, automatiquement, sur le moyen de paiement utilisé. Vous n’avez rien à faire. Un second message vous confirmera le remboursement dès qu’il aura été effectué.`;
    expect(text).toContain(refund);
    expect(flat(html)).toContain(htmlText(refund));
    expect(`${subject}\n${text}`).not.toMatch(/Merci\s?! Votre contribution|est confirmée/);
    expect(`${subject}\n${text}`).not.toMatch(SAYS_REFUNDED);
  });

  it("says when the campaign was cancelled", async () => {
    const { text } = await render({
      kind: "late_payment_contributor",
      data: { ...late, outcome: "cancelled" },
    });
    expect(text).toContain(
      `La campagne a été annulée par le Département du Pas-de-Calais${NBSP}: elle ne peut plus recevoir de contribution.`,
    );
    expect(text).not.toContain("objectif");
  });
});

describe("payout_sent_holder", () => {
  const main = {
    campaignTitle: TITLE,
    campaignUrl: URL,
    kind: "main" as const,
    grossCents: 527_000,
    commissionBps: 300,
    commissionCents: 15_810,
    payoutCents: 511_190,
    contributionsCount: 84,
    transferId: "tr_1Q2w3E4r5T6y7U8i",
  };

  it("says the transfer was issued, with the breakdown and Stripe's reference", async () => {
    const { subject, html, text } = await render({ kind: "payout_sent_holder", data: main });
    expect(subject).toBe(`Le virement de ${euros(`5${NNBSP}111,90`)} pour ${QUOTED} a été émis`);
    expect(text).toContain(
      `Le virement de ${euros(`5${NNBSP}111,90`)} pour votre campagne ${TITLE} ${URL} a été émis vers votre compte Stripe.`,
    );
    expect(text).toContain(`Contributions${NBSP}: 84`);
    expect(text).toContain(`Montant collecté${NBSP}: ${euros(`5${NNBSP}270`)}`);
    expect(text).toContain(`Commission de la plateforme (3${NBSP}%)${NBSP}: ${euros("158,10")}`);
    expect(text).toContain(`Montant viré sur votre compte Stripe${NBSP}: ${euros(`5${NNBSP}111,90`)}`);
    expect(text).toContain(`Référence du virement${NBSP}: tr_1Q2w3E4r5T6y7U8i`);
    expect(text).toContain(
      "Le montant apparaîtra sur votre compte bancaire selon le calendrier de versement de Stripe.",
    );
    expect(text).not.toContain("complémentaire");
    expect(html).toContain(euros(`5${NNBSP}111,90`));
  });

  it("explains a supplementary transfer: payments received after the campaign was funded", async () => {
    const { subject, text } = await render({
      kind: "payout_sent_holder",
      data: {
        ...main,
        kind: "supplementary",
        grossCents: 6000,
        commissionCents: 180,
        payoutCents: 5820,
        contributionsCount: 3,
        transferId: "tr_2",
      },
    });
    expect(subject).toBe(`Le virement complémentaire de ${euros("58,20")} pour ${QUOTED} a été émis`);
    expect(text).toContain(
      `Après le financement de votre campagne ${TITLE} ${URL}, 3 contributions sont arrivées en plus, pour un total de ${euros("60")}. Le virement complémentaire de ${euros("58,20")} a été émis vers votre compte Stripe.`,
    );
    expect(text).toContain(`Montant reçu${NBSP}: ${euros("60")}`);
    const one = await render({
      kind: "payout_sent_holder",
      data: { ...main, kind: "supplementary", contributionsCount: 1 },
    });
    expect(one.text).toContain("1 contribution est arrivée en plus");
  });
});

describe("dispute_contributor", () => {
  const dispute = {
    campaignTitle: TITLE,
    campaignUrl: URL,
    amountCents: 2500,
    reference: REF,
    stage: "opened" as const,
    contactEmail: CONTACT,
  };

  it("opened: the bank says the contributor contests the payment; whom to write to if it is a mistake", async () => {
    const { subject, html, text } = await render({ kind: "dispute_contributor", data: dispute });
    expect(subject).toBe(`Contestation de votre paiement de ${euros("25")} pour ${QUOTED}`);
    expect(text).toContain(
      `Votre banque nous a informés que vous contestez le paiement de ${euros("25")} fait pour la campagne ${TITLE}`,
    );
    expect(text).toContain(
      `S’il s’agit d’une erreur, ou si vous avez une question, écrivez-nous à ${CONTACT} en indiquant la référence ${REF}.`,
    );
    expect(html).toContain(`href="mailto:${CONTACT}"`);
    expect(`${subject}\n${text}`).not.toMatch(/rembours|restitué|maintenu/);
  });

  it("won: the payment stands and still supports the project", async () => {
    const { subject, text } = await render({
      kind: "dispute_contributor",
      data: { ...dispute, stage: "won" },
    });
    expect(subject).toBe(
      `Contestation close${NBSP}: votre paiement de ${euros("25")} pour ${QUOTED} est maintenu`,
    );
    expect(text).toContain(
      `Votre banque a clos la contestation de votre paiement de ${euros("25")} pour la campagne ${TITLE} ${URL}${NBSP}: le paiement est maintenu.`,
    );
    expect(text).toContain("Votre contribution soutient toujours le projet.");
    expect(text).not.toMatch(/rembours|restitué/);
  });

  it("lost: the bank gave the money back; the contribution no longer counts", async () => {
    const { subject, text } = await render({
      kind: "dispute_contributor",
      data: { ...dispute, stage: "lost" },
    });
    expect(subject).toBe(
      `Contestation close${NBSP}: votre paiement de ${euros("25")} pour ${QUOTED} vous a été restitué par votre banque`,
    );
    expect(text).toContain(`et vous a restitué ${euros("25")}.`);
    expect(text).toContain("Votre contribution ne compte donc plus pour le projet.");
    expect(text).toContain(
      `Pour toute question, écrivez-nous à ${CONTACT} en indiquant la référence ${REF}.`,
    );
    expect(text).not.toContain("soutient toujours");
  });
});

describe("payout_waiting_holder", () => {
  it("asks the holder to finish their Stripe account", async () => {
    const { subject, html, text } = await render({
      kind: "payout_waiting_holder",
      data: { campaignTitle: TITLE, campaignUrl: URL, payoutCents: 511_190 },
    });
    expect(subject).toBe(`Virement en attente pour ${QUOTED}\u00a0: finalisez votre compte de paiement`);
    expect(text).toContain(
      `a réussi. Le virement de ${euros(`5${NNBSP}111,90`)} qui vous revient attend que votre compte de paiement Stripe Connect soit prêt à recevoir des fonds.`,
    );
    expect(text).toContain("vérification de votre identité et coordonnées bancaires");
    expect(text).toContain("le virement partira automatiquement, lors du prochain traitement des versements");
    expect(html).toContain(euros(`5${NNBSP}111,90`));
  });
});

describe("campaign status e-mail to the holder", () => {
  it("says what changed and quotes the staff's comment", async () => {
    const { renderEmail } = await import("~/email.server");
    const mail = await renderEmail({
      kind: "campaign_status_holder",
      data: {
        campaignTitle: "Une épicerie solidaire",
        editorUrl: "http://localhost:3000/porteur/campagnes/7",
        statusLabel: "Modifications demandées",
        event: "request_changes",
        reason: "Précisez le calendrier des travaux.",
      },
    });
    expect(mail.subject).toBe(
      "Votre campagne «\u00a0Une épicerie solidaire\u00a0»\u00a0: modifications demandées",
    );
    expect(mail.text).toContain("L’équipe du Département vous demande quelques modifications");
    expect(mail.text).toContain("Le commentaire de l’équipe\u00a0: Précisez le calendrier des travaux.");
    expect(mail.html).toContain('href="http://localhost:3000/porteur/campagnes/7"');
  });
});

describe("the receipt's abondement sentence", () => {
  it("says what the Département adds, as reserved and paid only if the campaign succeeds", async () => {
    const { matchSentence } = await import("../../emails/contribution-receipt");
    expect(matchSentence(2500, 2500)).toBe(
      "Le Département double votre contribution : 25\u00a0€ de plus pour ce projet, réservés dès maintenant et versés au porteur si la campagne atteint son objectif (tout ou rien). Ces 25\u00a0€ ne donnent pas droit à un reçu fiscal.",
    );
    expect(matchSentence(2500, 1250)).toMatch(/^Le Département ajoute 12,50\u00a0€ à votre contribution/);
  });
});
