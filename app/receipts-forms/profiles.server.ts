/**
 * A structure's tax-receipt declaration (receipt_profiles): saved by its holder (status
 * « declared »), verified or withdrawn by staff. Ownership is checked here, in the queries.
 * Any change by the holder sends a verified or withdrawn declaration back to « declared »:
 * staff verify again before any receipt is issued on it.
 */
import type { Kysely } from "kysely";
import type { DB, ReceiptProfileStatus } from "#db/schema";
import { enqueueEmail } from "~/email.server";
import { logger } from "~/logger.server";
import { publicUrl } from "~/public-url.server";
import { mandateText } from "~/domain/receipt-forms";
import type { ValidProfile } from "./profile-form.server";

/** Only these legal forms may declare (the list has no fondation; an association may be one). */
export const RECEIPT_LEGAL_FORMS = new Set(["association"]);

export const PROFILE_STATUS_LABELS: Record<ReceiptProfileStatus, string> = {
  declared: "Déclarée, en attente de vérification",
  verified: "Vérifiée\u00a0: les reçus peuvent être émis",
  withdrawn: "Retirée\u00a0: aucun reçu n’est émis",
};

export async function profileOf(db: Kysely<DB>, organizationId: number) {
  return db
    .selectFrom("receipt_profiles")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .executeTakeFirst();
}

/**
 * Save the holder's declaration (insert or update) with the mandate they accepted now; its status
 * becomes « declared ». False when the structure is not the user's.
 */
export async function saveProfile(
  db: Kysely<DB>,
  userId: number,
  organizationId: number,
  input: ValidProfile & { signaturePath: string | null },
  now = new Date(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const org = await trx
      .selectFrom("organizations")
      .select(["id", "name", "legal_form"])
      .where("id", "=", organizationId)
      .where("owner_user_id", "=", userId)
      .executeTakeFirst();
    if (!org || !RECEIPT_LEGAL_FORMS.has(org.legal_form)) return false;
    const at = now.toISOString();
    const row = {
      status: "declared" as const,
      tax_status: input.taxStatus,
      cgi_article: input.cgiArticle,
      object: input.object,
      street: input.street,
      postal_code: input.postalCode,
      town: input.town,
      siren: input.siren,
      rna: input.rna,
      signer_name: input.signerName,
      signer_role: input.signerRole,
      signature_path: input.signaturePath,
      mandate_text: mandateText(org.name),
      mandate_user_id: userId,
      mandate_at: at,
      verified_by_user_id: null,
      verified_at: null,
      withdrawn_reason: null,
      withdrawn_at: null,
      updated_at: at,
    };
    await trx
      .insertInto("receipt_profiles")
      .values({ organization_id: org.id, ...row })
      .onConflict((oc) => oc.column("organization_id").doUpdateSet(row))
      .execute();
    logger().info(
      { event: "receipt_profile_declared", organizationId: org.id, userId },
      `Déclaration de reçus fiscaux enregistrée pour la structure ${org.id}.`,
    );
    return true;
  });
}

/** The declarations for staff: the ones to verify first, then the others. */
export async function staffProfileList(db: Kysely<DB>) {
  const rows = await db
    .selectFrom("receipt_profiles as p")
    .innerJoin("organizations as o", "o.id", "p.organization_id")
    .select(["p.organization_id", "o.name", "o.town", "p.status", "p.tax_status", "p.updated_at"])
    .orderBy("p.updated_at")
    .execute();
  const rank: Record<ReceiptProfileStatus, number> = { declared: 0, verified: 1, withdrawn: 2 };
  return rows.sort((a, b) => rank[a.status] - rank[b.status]);
}

export async function declaredCount(db: Kysely<DB>): Promise<number> {
  const r = await db
    .selectFrom("receipt_profiles")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "=", "declared")
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function staffProfile(db: Kysely<DB>, organizationId: number) {
  return db
    .selectFrom("receipt_profiles as p")
    .innerJoin("organizations as o", "o.id", "p.organization_id")
    .innerJoin("users as u", "u.id", "o.owner_user_id")
    .leftJoin("users as m", "m.id", "p.mandate_user_id")
    .leftJoin("users as v", "v.id", "p.verified_by_user_id")
    .selectAll("p")
    .select([
      "o.name",
      "o.legal_form",
      "o.registration_number",
      "o.town as organization_town",
      "u.email as owner_email",
      "m.email as mandate_email",
      "m.display_name as mandate_name",
      "v.display_name as verified_by_name",
    ])
    .where("p.organization_id", "=", organizationId)
    .executeTakeFirst();
}

export type StaffDecision = { kind: "verify" } | { kind: "withdraw"; reason: string };

/**
 * Verify (from « declared ») or withdraw (from « declared » or « verified ») a declaration, record
 * who and when, log it and tell the holder (outbox, same transaction). The update is conditional
 * on the status the staff saw (`expectedUpdatedAt`): a declaration edited meanwhile is not verified.
 */
export async function decideProfile(
  db: Kysely<DB>,
  staffUserId: number,
  organizationId: number,
  decision: StaffDecision,
  expectedUpdatedAt: string,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; message: string }> {
  return db.transaction().execute(async (trx) => {
    const p = await trx
      .selectFrom("receipt_profiles as p")
      .innerJoin("organizations as o", "o.id", "p.organization_id")
      .innerJoin("users as u", "u.id", "o.owner_user_id")
      .select(["p.status", "p.updated_at", "o.name", "u.email"])
      .where("p.organization_id", "=", organizationId)
      .executeTakeFirst();
    if (!p) return { ok: false, message: "Déclaration introuvable." };
    if (p.updated_at !== expectedUpdatedAt)
      return {
        ok: false,
        message: "La structure a modifié sa déclaration entre-temps\u00a0: relisez-la avant de décider.",
      };
    const at = now.toISOString();
    if (decision.kind === "verify") {
      if (p.status !== "declared")
        return { ok: false, message: "Seule une déclaration en attente peut être vérifiée." };
      await trx
        .updateTable("receipt_profiles")
        .set({ status: "verified", verified_by_user_id: staffUserId, verified_at: at, updated_at: at })
        .where("organization_id", "=", organizationId)
        .where("updated_at", "=", expectedUpdatedAt)
        .execute();
    } else {
      if (p.status === "withdrawn") return { ok: false, message: "Cette déclaration est déjà retirée." };
      await trx
        .updateTable("receipt_profiles")
        .set({ status: "withdrawn", withdrawn_reason: decision.reason, withdrawn_at: at, updated_at: at })
        .where("organization_id", "=", organizationId)
        .where("updated_at", "=", expectedUpdatedAt)
        .execute();
    }
    await enqueueEmail(trx, {
      kind: "receipt_profile_holder",
      to: p.email,
      idempotencyKey: `receipt-profile:${organizationId}:${decision.kind}:${at}`,
      now,
      data: {
        structureName: p.name,
        decision: decision.kind,
        reason: decision.kind === "withdraw" ? decision.reason : null,
        pageUrl: `${await publicUrl(trx)}/porteur/structure/recus-fiscaux`,
      },
    });
    logger().info(
      {
        event: decision.kind === "verify" ? "receipt_profile_verified" : "receipt_profile_withdrawn",
        organizationId,
        staffUserId,
      },
      decision.kind === "verify"
        ? `Déclaration de reçus fiscaux de la structure ${organizationId} vérifiée.`
        : `Déclaration de reçus fiscaux de la structure ${organizationId} retirée.`,
    );
    return { ok: true };
  });
}
