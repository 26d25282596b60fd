/**
 * What an issued tax receipt says, frozen at issue (receipts.snapshot_json): every value the PDF
 * prints, so that the PDF can be rebuilt byte for byte from it and later edits of the
 * structure's profile, the donor's request or the campaign change nothing (ADR 028).
 */
export const SNAPSHOT_VERSION = 1;

export interface ReceiptSnapshot {
  version: typeof SNAPSHOT_VERSION;
  /** « 2027-0001 »: year of issue and number, per structure */
  orderNumber: string;
  /** ISO instant of issue; the PDF's CreationDate and the « date » next to the signature */
  issuedAt: string;
  beneficiary: {
    name: string;
    street: string;
    postalCode: string;
    town: string;
    object: string;
    /** key of TAX_STATUSES, and its label as printed (the box ticked on the Cerfa) */
    taxStatus: string;
    statusLabel: string;
    cgiArticle: string;
    siren: string | null;
    rna: string | null;
  };
  donor: {
    firstName: string;
    lastName: string;
    street: string;
    postalCode: string;
    town: string;
    country: string;
  };
  amountCents: number;
  /** the amount less the reward's value (equal to amountCents without a reward) */
  deductibleCents: number;
  reward: { title: string; valueCents: number } | null;
  /** ISO instant of the payment */
  paidAt: string;
  paymentMethod: string;
  signer: {
    name: string;
    role: string;
    /** the signature image, copied at issue (a later upload does not change this receipt) */
    image: { format: "png" | "jpeg"; base64: string } | null;
  };
  /** ISO instant the structure gave the platform its mandate */
  mandateAt: string;
  /** the platform's name, as « Reçu établi par … au nom et pour le compte de … » */
  platformName: string;
  campaignTitle: string;
  contributionReference: string;
  /**
   * set once the retention period of receipts is over (RETENTION_RECEIPT_YEARS): the donor's name
   * and address were erased at that instant; number, date, amount and structure stay as issued
   */
  donorErasedAt?: string;
}

/** The same receipt without its donor: name and address erased, the rest as issued (ADR 031). */
export function withoutDonor(snapshot: ReceiptSnapshot, at: Date): ReceiptSnapshot {
  return {
    ...snapshot,
    donor: { firstName: "", lastName: "", street: "", postalCode: "", town: "", country: "" },
    donorErasedAt: at.toISOString(),
  };
}

/** A cancelled receipt is the same document with a stamp: when and why. */
export interface CancellationStamp {
  cancelledAt: string;
  reason: string;
}

export function parseSnapshot(json: string): ReceiptSnapshot {
  const value = JSON.parse(json) as ReceiptSnapshot;
  if (value.version !== SNAPSHOT_VERSION)
    throw new Error(`unknown receipt snapshot version ${String(value.version)}`);
  return value;
}
