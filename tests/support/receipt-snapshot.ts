import type { ReceiptSnapshot } from "~/receipts/snapshot";

/** A complete snapshot for PDF tests. */
export function sampleSnapshot(overrides: Partial<ReceiptSnapshot> = {}): ReceiptSnapshot {
  return {
    version: 1,
    orderNumber: "2026-0007",
    issuedAt: "2026-12-02T09:30:00.000Z",
    beneficiary: {
      name: "Les Jardins d’Arras",
      street: "12 rue des Œillets",
      postalCode: "62000",
      town: "Arras",
      object: "Créer et animer des jardins partagés ouverts à tous les habitants",
      taxStatus: "interet_general",
      statusLabel: "Œuvre ou organisme d'intérêt général",
      cgiArticle: "200-1-b",
      siren: "123456789",
      rna: null,
    },
    donor: {
      firstName: "Hélène",
      lastName: "Dupré",
      street: "3 place de l’Église",
      postalCode: "62300",
      town: "Lens",
      country: "France",
    },
    amountCents: 123_456,
    deductibleCents: 121_456,
    reward: { title: "Un panier de légumes", valueCents: 2_000 },
    paidAt: "2026-11-10T10:00:00.000Z",
    paymentMethod: "Carte bancaire",
    signer: { name: "Camille Martin", role: "Présidente", image: null },
    mandateAt: "2026-10-01T08:00:00.000Z",
    platformName: "Propulsons",
    campaignTitle: "Un jardin pour tous",
    contributionReference: "PRP-000042",
    ...overrides,
  };
}

const FR_MONTHS = [
  "janvier",
  "février",
  "mars",
  "avril",
  "mai",
  "juin",
  "juillet",
  "août",
  "septembre",
  "octobre",
  "novembre",
  "décembre",
];

/** « 10 novembre 2026 » in Europe/Paris, written independently of the app's formatter. */
function parisDate(iso: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Paris",
    year: "numeric",
    month: "numeric",
    day: "numeric",
  }).formatToParts(new Date(iso));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const day = get("day") === 1 ? "1er" : String(get("day"));
  return `${day} ${FR_MONTHS[get("month") - 1]} ${get("year")}`;
}

function euros(cents: number): string {
  const whole = Math.floor(cents / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  return `${whole},${String(cents % 100).padStart(2, "0")}`;
}

/**
 * Every mention of Cerfa 11580*05 that the receipt of `s` must carry, as read back from the
 * PDF's text (white space made single spaces). `words` are the amounts in words, given by the
 * caller (tests/unit/receipt-words.test.ts checks those separately).
 */
export function receiptMentions(
  s: ReceiptSnapshot,
  words: { amount: string; deductible?: string },
): string[] {
  const b = s.beneficiary;
  const list = [
    "Cerfa n° 11580*05",
    "Reçu au titre des dons à certains organismes d’intérêt général",
    "(articles 200, 238 bis et 978 du code général des impôts)",
    `Numéro d’ordre du reçu : ${s.orderNumber}`,
    "Bénéficiaire des versements",
    `Nom ou dénomination : ${b.name}`,
    `Adresse : ${b.street}, ${b.postalCode} ${b.town}`,
    `Objet : ${b.object}`,
    b.siren ? `SIREN : ${b.siren}` : `RNA : ${b.rna}`,
    `[X] ${b.statusLabel}`,
    "Donateur",
    `Nom et prénom : ${s.donor.lastName.toUpperCase()} ${s.donor.firstName}`,
    `Adresse : ${s.donor.street}, ${s.donor.postalCode} ${s.donor.town}`,
    `***${euros(s.amountCents)}*** euros`,
    `Somme en toutes lettres : ${words.amount}`,
    `Date du versement ou du don : ${parisDate(s.paidAt)}`,
    "Le bénéficiaire certifie sur l’honneur que les dons et versements qu’il reçoit ouvrent droit à la réduction d’impôt prévue à l’article 200 du CGI.",
    `Article du CGI : article 200 du CGI (${b.cgiArticle})`,
    "Forme du don : Don manuel",
    "Nature du don : Numéraire",
    "Mode de versement : Carte bancaire",
    `Date : ${parisDate(s.issuedAt)}`,
    `Signataire : ${s.signer.name}, ${s.signer.role}`,
    `Reçu établi par Propulsons au nom et pour le compte de ${b.name}, en vertu du mandat du `,
  ];
  if (s.reward) {
    list.push(
      `dont montant ouvrant droit à réduction : ***${euros(s.deductibleCents)}*** euros (${words.deductible})`,
      `« ${s.reward.title} », d’une valeur de ${euros(s.reward.valueCents)} euros`,
    );
  }
  return list;
}
