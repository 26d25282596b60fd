/**
 * Tax-receipt fixtures (shared with receipts-ui's tests): a structure's verified declaration
 * with a signature image in storage, and donors' requests — the rows the forms write, inserted
 * directly. Storage is the configured one (set UPLOADS_DIR to a temporary folder first).
 */
import type { Insertable, Kysely } from "kysely";
import sharp from "sharp";
import type { DB, ReceiptProfilesTable, ReceiptRequestsTable } from "#db/schema";
import { storage } from "~/storage.server";

/** A small PNG signature (a dark stroke on white), made once. */
let signaturePng: Buffer | undefined;
export async function signatureImage(): Promise<Buffer> {
  signaturePng ??= await sharp({
    create: { width: 240, height: 80, channels: 3, background: { r: 255, g: 255, b: 255 } },
  })
    .composite([
      {
        input: Buffer.from(
          '<svg width="240" height="80"><path d="M10 60 C 60 0, 90 90, 140 30 S 210 50, 230 20" stroke="#1d3557" stroke-width="4" fill="none"/></svg>',
        ),
      },
    ])
    .png()
    .toBuffer();
  return signaturePng;
}

export type ProfileOverrides = Partial<Omit<ReceiptProfilesTable, "organization_id">> & {
  /** false: no signature image (signature_path null) */
  signature?: boolean;
};

/** The structure's declaration, verified by staff, with its signature image stored. */
export async function createVerifiedReceiptProfile(
  db: Kysely<DB>,
  organizationId: number,
  overrides: ProfileOverrides = {},
): Promise<void> {
  const { signature = true, ...columns } = overrides;
  const org = await db
    .selectFrom("organizations")
    .select(["owner_user_id"])
    .where("id", "=", organizationId)
    .executeTakeFirstOrThrow();
  let signaturePath: string | null = null;
  if (signature) {
    // Named and stored as the declaration form does (app/receipts-forms/signature.server.ts).
    signaturePath = `o${organizationId}-${"0".repeat(16)}.png`;
    await storage().put(`signatures/${signaturePath}`, await signatureImage(), "image/png");
  }
  const at = "2026-10-01T08:00:00.000Z";
  await db
    .insertInto("receipt_profiles")
    .values({
      organization_id: organizationId,
      status: "verified",
      tax_status: "interet_general",
      cgi_article: "200-1-b",
      object: "Créer et animer des jardins partagés ouverts à tous les habitants",
      street: "12 rue des Œillets",
      postal_code: "62000",
      town: "Arras",
      siren: "123456789",
      rna: null,
      signer_name: "Camille Martin",
      signer_role: "Présidente",
      signature_path: signaturePath,
      mandate_text:
        "Nous donnons mandat à Propulsons d’établir et de délivrer en notre nom les reçus fiscaux.",
      mandate_user_id: org.owner_user_id,
      mandate_at: at,
      verified_by_user_id: null,
      verified_at: at,
      withdrawn_reason: null,
      withdrawn_at: null,
      updated_at: at,
      ...columns,
    })
    .execute();
}

/** A donor's request for a receipt on `contributionId` (an individual in France). */
export async function requestReceipt(
  db: Kysely<DB>,
  contributionId: number,
  overrides: Partial<Omit<Insertable<ReceiptRequestsTable>, "contribution_id">> = {},
): Promise<void> {
  await db
    .insertInto("receipt_requests")
    .values({
      contribution_id: contributionId,
      first_name: "Hélène",
      last_name: `Dupré-${contributionId}`,
      street: "3 place de l’Église",
      postal_code: "62300",
      town: "Lens",
      country: "France",
      created_at: "2026-11-10T10:00:00.000Z",
      ...overrides,
    })
    .execute();
}

/**
 * A holder, their structure and a campaign in `status`, written directly (no money moved):
 * for tests of receipts alone. Tests of the money path pay through Stripe's stand-in instead.
 */
export async function createCampaignRows(
  db: Kysely<DB>,
  options: { n: number; status?: DB["campaigns"]["status"]; goalCents?: number },
): Promise<{ userId: number; orgId: number; campaignId: number; holderEmail: string; slug: string }> {
  const created = "2026-09-01T08:00:00.000Z";
  const holderEmail = `porteur-recus-${options.n}@example.org`;
  const user = await db
    .insertInto("users")
    .values({ email: holderEmail, display_name: `Porteur ${options.n}`, role: "holder", created_at: created })
    .returning("id")
    .executeTakeFirstOrThrow();
  const org = await db
    .insertInto("organizations")
    .values({
      owner_user_id: user.id,
      name: `Les Jardins d’Arras ${options.n}`,
      legal_form: "association",
      registration_number: null,
      town: "Arras",
      territory_id: 1,
      stripe_account_id: `acct_test_recus${options.n}`,
      stripe_payouts_enabled: 1,
      created_at: created,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const slug = `jardin-recus-${options.n}`;
  const campaign = await db
    .insertInto("campaigns")
    .values({
      organization_id: org.id,
      slug,
      title: `Un jardin pour tous ${options.n}`,
      summary: "Résumé",
      story_md: "Histoire",
      goal_cents: options.goalCents ?? 10_000,
      starts_at: "2026-10-01T08:00:00.000Z",
      ends_at: "2026-11-30T22:59:59.000Z",
      territory_id: 1,
      theme_id: 1,
      budget_citoyen_year: null,
      expected_results_md: "-",
      timetable_md: "-",
      image_path: null,
      status: options.status ?? "funded",
      created_at: created,
      updated_at: created,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { userId: user.id, orgId: org.id, campaignId: campaign.id, holderEmail, slug };
}

/** A paid contribution written directly (no ledger entry: not for suites that reconcile). */
export async function insertPaidContribution(
  db: Kysely<DB>,
  campaignId: number,
  amountCents: number,
  email: string,
  extra: { rewardId?: number | null; paidAt?: string } = {},
): Promise<number> {
  const at = extra.paidAt ?? "2026-11-10T10:00:00.000Z";
  const row = await db
    .insertInto("contributions")
    .values({
      campaign_id: campaignId,
      user_id: null,
      email,
      public_name: email.split("@")[0]!,
      amount_cents: amountCents,
      reward_id: extra.rewardId ?? null,
      anonymous: 0,
      hide_amount: 0,
      message: null,
      status: "paid",
      stripe_checkout_session_id: null,
      stripe_payment_intent_id: null,
      stripe_refund_id: null,
      created_at: at,
      paid_at: at,
      updated_at: at,
      checkout_expires_at: null,
      last_payment_error: null,
      staff_flag: null,
      payout_id: null,
      refund_next_attempt_at: null,
      refund_last_error: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
