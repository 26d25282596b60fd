/**
 * People's rights over their data (RGPD, issue 13; docs/decisions/023-account-rights-and-retention.md):
 * the display name, the e-mail address (changed only once the new address gives back its code),
 * « mes données » (every row the platform holds about the person, as JSON), the sessions, and the
 * deletion of the account — personal data erased or anonymised at once, except what the law makes
 * the platform keep (money rows, tax receipts and their requests), anonymised later by the
 * retention purge (app/account/retention-purge.server.ts).
 *
 * PERSONAL_TABLES lists every table that holds a person's e-mail address or user id, with what the
 * export shows of it and what deletion does to it. A test compares it with the database's own
 * columns: a new table with such a column fails it until it is listed here.
 */
import { NBSP } from "~/domain/typography";
import crypto from "node:crypto";
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from "kysely";
import { z } from "zod";
import { serializeOn } from "#db/connection";
import type { DB } from "#db/schema";
import { emailSchema, codeSchema } from "~/auth-forms.server";
import { normalizeEmail, RATE_WINDOW_MS, waitInFrench } from "~/auth.server";
import { config } from "~/config.server";
import { enqueueEmail, sendEmailNow } from "~/email.server";
import { citizenKey } from "~/domain/matching";
import { deviceLabel } from "./device";

type Db = Kysely<DB> | Transaction<DB>;
/* eslint-disable @typescript-eslint/no-explicit-any -- the export and the coverage check read tables by name */
type AnyDb = Kysely<any>;

/** What happens to a table's rows about a person when their account is deleted. */
export type OnDeletion = "deleted" | "anonymised" | "kept";

export interface PersonalTable {
  /** the columns that name the person: compared with the database (see personalColumns) */
  columns: string[];
  /** columns never exported (secrets: hashes of codes and tokens) */
  secret?: string[];
  onDeletion: OnDeletion;
  /** in French, for the export and the ADR: why and until when */
  note: string;
}

/**
 * Every table with an e-mail or user-id column. `users` is the account itself (matched by id).
 * Keep in step with deleteAccount and exportPersonalData below.
 */
export const PERSONAL_TABLES: Record<string, PersonalTable> = {
  users: { columns: ["email"], onDeletion: "anonymised", note: "Votre compte." },
  sessions: {
    columns: ["user_id"],
    secret: ["id_hash"],
    onDeletion: "deleted",
    note: "Vos sessions (appareil, dates).",
  },
  sign_in_requests: {
    columns: ["email"],
    secret: ["token_hash", "code_hash"],
    onDeletion: "deleted",
    note: "Vos demandes de connexion, gardées pour la sécurité puis effacées.",
  },
  sign_in_failures: {
    columns: ["email"],
    onDeletion: "deleted",
    note: "Les codes erronés saisis pour votre adresse (sécurité).",
  },
  email_change_requests: {
    columns: ["user_id", "new_email"],
    secret: ["code_hash"],
    onDeletion: "deleted",
    note: "Vos demandes de changement d’adresse.",
  },
  contributions: {
    columns: ["user_id", "email"],
    onDeletion: "anonymised",
    note: "Vos contributions. Montants, dates et identifiants de paiement sont gardés (obligations comptables), sans votre nom ni votre adresse.",
  },
  figure_citizens: {
    columns: ["email"],
    onDeletion: "anonymised",
    note: "Le décompte des contributeurs distincts des chiffres clés.",
  },
  figure_campaign_citizens: {
    columns: ["email"],
    onDeletion: "anonymised",
    note: "Le décompte, par campagne, des contributeurs dont la campagne garde l’argent (chiffres clés).",
  },
  email_outbox: {
    columns: ["to_email"],
    onDeletion: "deleted",
    note: "Les courriels que la plateforme vous a envoyés.",
  },
  news_subscriptions: {
    columns: ["email"],
    secret: ["token"],
    onDeletion: "deleted",
    note: "Vos abonnements aux actualités des campagnes.",
  },
  contact_messages: {
    columns: ["email"],
    onDeletion: "deleted",
    note: "Les messages envoyés par le formulaire de contact.",
  },
  organizations: {
    columns: ["owner_user_id"],
    onDeletion: "kept",
    note: "Les structures que vous avez déclarées (personnes morales)\u00a0: gardées avec leurs campagnes, sans lien vers vous.",
  },
  campaign_news: {
    columns: ["author_user_id"],
    onDeletion: "kept",
    note: "Les actualités publiées\u00a0: gardées, signées de la structure.",
  },
  campaign_transitions: {
    columns: ["actor_user_id"],
    onDeletion: "kept",
    note: "L’historique des campagnes (qui a agi)\u00a0: gardé, vers un compte anonymisé.",
  },
  campaign_audit: {
    columns: ["actor_user_id"],
    onDeletion: "kept",
    note: "Le journal des actions de l’équipe\u00a0: gardé, vers un compte anonymisé.",
  },
  receipt_profiles: {
    columns: ["mandate_user_id", "verified_by_user_id"],
    onDeletion: "kept",
    note: "Le mandat d’émission des reçus fiscaux d’une structure (obligation fiscale).",
  },
  matching_funds: {
    columns: ["created_by_user_id"],
    onDeletion: "kept",
    note: "Les fonds d’abondement que vous avez créés (équipe du Département) : gardés, vers un compte anonymisé.",
  },
  matching_fund_campaigns: {
    columns: ["accepted_by_user_id"],
    onDeletion: "kept",
    note: "Votre acceptation des conditions d’un abondement pour votre campagne (convention avec le Département).",
  },
  matches: {
    columns: ["citizen_key"],
    onDeletion: "anonymised",
    note: "Les abondements du Département sur vos contributions, comptés par contributeur pour les plafonds d’un fonds\u00a0: gardés avec leurs montants, sans votre adresse.",
  },
  matching_fund_audit: {
    columns: ["actor_user_id"],
    onDeletion: "kept",
    note: "Le journal des actions sur les fonds d’abondement : gardé, vers un compte anonymisé.",
  },
};

/** A column that names a person: an e-mail address or a user id. */
export function isPersonalColumn(column: string): boolean {
  return (
    column === "email" ||
    column.endsWith("_email") ||
    column === "user_id" ||
    column.endsWith("_user_id") ||
    column === "citizen_key"
  );
}

/** Every (table, column) of the database that names a person, read from the database's catalogue. */
export async function personalColumns(db: Kysely<DB>): Promise<Array<{ table: string; column: string }>> {
  const postgres = db.getExecutor().adapter.constructor.name.startsWith("Postgres");
  const rows = postgres
    ? (
        await sql<{ table: string; column: string }>`
          select table_name as "table", column_name as "column" from information_schema.columns
          where table_schema = current_schema()`.execute(db)
      ).rows
    : (
        await sql<{ table: string; column: string }>`
          select m.name as "table", p.name as "column" from sqlite_master m, pragma_table_info(m.name) p
          where m.type = 'table'`.execute(db)
      ).rows;
  return rows
    .filter(
      (r) => !r.table.startsWith("kysely_") && !r.table.startsWith("sqlite_") && isPersonalColumn(r.column),
    )
    .sort((a, b) => a.table.localeCompare(b.table) || a.column.localeCompare(b.column));
}

// ---------------------------------------------------------------------------
// Display name

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, "Indiquez le nom à afficher.")
  .max(80, "Le nom compte 80 caractères au plus.");

export async function changeDisplayName(
  db: Kysely<DB>,
  userId: number,
  input: string,
): Promise<{ ok: true; name: string } | { ok: false; message: string }> {
  const parsed = displayNameSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? "Nom invalide." };
  await db
    .updateTable("users")
    .set({ display_name: parsed.data })
    .where("id", "=", userId)
    .where("deleted_at", "is", null)
    .execute();
  return { ok: true, name: parsed.data };
}

// ---------------------------------------------------------------------------
// E-mail address

export const EMAIL_CHANGE_VALID_MS = 30 * 60_000;
export const MAX_EMAIL_CHANGE_REQUESTS = 5;
export const MAX_EMAIL_CHANGE_ATTEMPTS = 5;

const hash = (value: string) => crypto.createHash("sha256").update(value).digest("hex");

/** « c•••@exemple.fr »: enough for the owner to recognise an address, not to read it. */
export function hideEmail(email: string): string {
  const [local = "", domain = ""] = email.split("@");
  return `${local.slice(0, 1)}•••@${domain}`;
}

export type EmailChangeRequest =
  { ok: true; newEmail: string } | { ok: false; status: 400 | 429; message: string; field: "email" };

/**
 * Ask to change the account's address: a code goes to the new address. When that address belongs
 * to another account the answer is the same (nothing tells the person asking), the owner of the
 * address is told, and no code can ever confirm it.
 */
export async function requestEmailChange(
  db: Kysely<DB>,
  input: { userId: number; email: string; now?: Date },
): Promise<EmailChangeRequest> {
  const now = input.now ?? new Date();
  const parsed = emailSchema.safeParse(input.email);
  if (!parsed.success)
    return {
      ok: false,
      status: 400,
      field: "email",
      message: parsed.error.issues[0]?.message ?? "Adresse invalide.",
    };
  const newEmail = normalizeEmail(parsed.data);
  const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, "0");
  const outcome = await db.transaction().execute(async (trx) => {
    await serializeOn(trx, `email-change:${input.userId}`);
    const user = await trx
      .selectFrom("users")
      .select("email")
      .where("id", "=", input.userId)
      .where("deleted_at", "is", null)
      .executeTakeFirstOrThrow();
    if (user.email === newEmail) return { kind: "same" as const };
    const recent = await trx
      .selectFrom("email_change_requests")
      .select("created_at")
      .where("user_id", "=", input.userId)
      .where("created_at", ">", new Date(now.getTime() - RATE_WINDOW_MS).toISOString())
      .orderBy("created_at")
      .execute();
    if (recent.length >= MAX_EMAIL_CHANGE_REQUESTS) {
      const leaving = recent[recent.length - MAX_EMAIL_CHANGE_REQUESTS]!.created_at;
      return { kind: "wait" as const, waitMs: new Date(leaving).getTime() + RATE_WINDOW_MS - now.getTime() };
    }
    const taken = await trx.selectFrom("users").select("id").where("email", "=", newEmail).executeTakeFirst();
    // An earlier request waiting for its code is replaced by this one.
    await trx
      .updateTable("email_change_requests")
      .set({ used_at: now.toISOString() })
      .where("user_id", "=", input.userId)
      .where("used_at", "is", null)
      .execute();
    await trx
      .insertInto("email_change_requests")
      .values({
        user_id: input.userId,
        new_email: newEmail,
        // Taken: a hash no code gives.
        code_hash: taken ? `taken:${crypto.randomBytes(16).toString("hex")}` : hash(`${newEmail}:${code}`),
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + EMAIL_CHANGE_VALID_MS).toISOString(),
      })
      .execute();
    return { kind: "sent" as const, taken: Boolean(taken) };
  });
  if (outcome.kind === "same")
    return { ok: false, status: 400, field: "email", message: "C’est déjà l’adresse de votre compte." };
  if (outcome.kind === "wait")
    return {
      ok: false,
      status: 429,
      field: "email",
      message: `Trop de demandes de changement d’adresse en peu de temps. Réessayez dans ${waitInFrench(outcome.waitMs)}.`,
    };
  await sendEmailNow({
    kind: "email_change_code",
    to: newEmail,
    idempotencyKey: `email-change:${hash(`${input.userId}:${now.toISOString()}:${code}`).slice(0, 32)}`,
    data: outcome.taken
      ? { code: "", validMinutes: EMAIL_CHANGE_VALID_MS / 60_000, taken: true }
      : { code, validMinutes: EMAIL_CHANGE_VALID_MS / 60_000, taken: false },
  });
  return { ok: true, newEmail };
}

/** The change waiting for its code, if any (the page shows its second step). */
export async function pendingEmailChange(
  db: Kysely<DB>,
  userId: number,
  now = new Date(),
): Promise<{ newEmail: string } | null> {
  const row = await db
    .selectFrom("email_change_requests")
    .select("new_email")
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .where("expires_at", ">", now.toISOString())
    .orderBy("id", "desc")
    .executeTakeFirst();
  return row ? { newEmail: row.new_email } : null;
}

/** Move what follows an address (contributions, the key figures' citizens, news subscriptions) to another. */
async function moveAddress(trx: Transaction<DB>, from: string, to: string): Promise<void> {
  await trx.updateTable("contributions").set({ email: to }).where("email", "=", from).execute();
  // One person counted once: where both addresses were counted in a period, the old row goes.
  const both = await trx
    .selectFrom("figure_citizens as a")
    .innerJoin("figure_citizens as b", (j) => j.onRef("a.period", "=", "b.period").on("b.email", "=", to))
    .select("a.period")
    .where("a.email", "=", from)
    .execute();
  for (const { period } of both) {
    await trx.deleteFrom("figure_citizens").where("period", "=", period).where("email", "=", from).execute();
    await trx
      .updateTable("figure_periods")
      .set({ citizens: sql`citizens - 1` })
      .where("period", "=", period)
      .execute();
  }
  await trx.updateTable("figure_citizens").set({ email: to }).where("email", "=", from).execute();
  // Per campaign, the two addresses' kept contributions become one person's.
  const sameCampaign = await trx
    .selectFrom("figure_campaign_citizens as a")
    .innerJoin("figure_campaign_citizens as b", (j) =>
      j.onRef("a.campaign_id", "=", "b.campaign_id").on("b.email", "=", to),
    )
    .select(["a.campaign_id", "a.contributions"])
    .where("a.email", "=", from)
    .execute();
  for (const r of sameCampaign) {
    await trx
      .updateTable("figure_campaign_citizens")
      .set({ contributions: sql`contributions + ${r.contributions}` })
      .where("campaign_id", "=", r.campaign_id)
      .where("email", "=", to)
      .execute();
    await trx
      .deleteFrom("figure_campaign_citizens")
      .where("campaign_id", "=", r.campaign_id)
      .where("email", "=", from)
      .execute();
  }
  await trx.updateTable("figure_campaign_citizens").set({ email: to }).where("email", "=", from).execute();
  await trx
    .deleteFrom("news_subscriptions")
    .where("email", "=", from)
    .where("campaign_id", "in", (eb) =>
      eb.selectFrom("news_subscriptions").select("campaign_id").where("email", "=", to),
    )
    .execute();
  await trx.updateTable("news_subscriptions").set({ email: to }).where("email", "=", from).execute();
}

export type EmailChangeConfirmation =
  { ok: true; newEmail: string } | { ok: false; status: 400; message: string };

/** The code from the new address: the account's address changes now, and the old address is told. */
export async function confirmEmailChange(
  db: Kysely<DB>,
  input: { userId: number; code: string; now?: Date },
): Promise<EmailChangeConfirmation> {
  const now = input.now ?? new Date();
  const wrong = {
    ok: false as const,
    status: 400 as const,
    message:
      "Code incorrect ou expiré. Vérifiez le dernier courriel reçu à la nouvelle adresse, ou recommencez.",
  };
  const code = codeSchema.safeParse(input.code);
  if (!code.success)
    return { ok: false, status: 400, message: code.error.issues[0]?.message ?? wrong.message };
  return db.transaction().execute(async (trx): Promise<EmailChangeConfirmation> => {
    await serializeOn(trx, `email-change:${input.userId}`);
    const row = await trx
      .selectFrom("email_change_requests")
      .select(["id", "new_email", "code_hash", "attempts"])
      .where("user_id", "=", input.userId)
      .where("used_at", "is", null)
      .where("expires_at", ">", now.toISOString())
      .orderBy("id", "desc")
      .executeTakeFirst();
    if (!row) return wrong;
    const given = hash(`${row.new_email}:${code.data}`);
    const matches =
      row.code_hash.length === given.length &&
      crypto.timingSafeEqual(Buffer.from(row.code_hash), Buffer.from(given));
    if (!matches) {
      const attempts = row.attempts + 1;
      await trx
        .updateTable("email_change_requests")
        .set({ attempts, ...(attempts >= MAX_EMAIL_CHANGE_ATTEMPTS ? { used_at: now.toISOString() } : {}) })
        .where("id", "=", row.id)
        .execute();
      return attempts >= MAX_EMAIL_CHANGE_ATTEMPTS
        ? {
            ok: false,
            status: 400,
            message: "Trop d’essais avec ce code\u00a0: recommencez le changement d’adresse.",
          }
        : wrong;
    }
    await trx
      .updateTable("email_change_requests")
      .set({ used_at: now.toISOString() })
      .where("id", "=", row.id)
      .execute();
    const user = await trx
      .selectFrom("users")
      .select("email")
      .where("id", "=", input.userId)
      .executeTakeFirstOrThrow();
    // Taken meanwhile (the owner of the new address proved it: they may know).
    const taken = await trx
      .selectFrom("users")
      .select("id")
      .where("email", "=", row.new_email)
      .executeTakeFirst();
    if (taken)
      return {
        ok: false,
        status: 400,
        message: "Cette adresse est désormais celle d’un autre compte\u00a0: rien n’a changé.",
      };
    await trx.updateTable("users").set({ email: row.new_email }).where("id", "=", input.userId).execute();
    await moveAddress(trx, user.email, row.new_email);
    await enqueueEmail(trx, {
      kind: "email_changed_notice",
      to: user.email,
      idempotencyKey: `email-changed:${row.id}`,
      now,
      data: { newEmailHint: hideEmail(row.new_email), contactEmail: config().contactEmail },
    });
    return { ok: true, newEmail: row.new_email };
  });
}

// ---------------------------------------------------------------------------
// Sessions

export interface SessionEntry {
  idHash: string;
  device: string;
  createdAt: string;
  lastUsedAt: string;
  current: boolean;
}

/** The account's open sessions, this one first, then the most recently used. */
export async function activeSessions(
  db: Kysely<DB>,
  userId: number,
  currentHash: string | null,
  now = new Date(),
): Promise<SessionEntry[]> {
  const rows = await db
    .selectFrom("sessions")
    .select(["id_hash", "user_agent", "created_at", "last_used_at"])
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now.toISOString())
    .execute();
  return rows
    .map((r) => ({
      idHash: r.id_hash,
      device: deviceLabel(r.user_agent),
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at ?? r.created_at,
      current: r.id_hash === currentHash,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt.localeCompare(a.lastUsedAt));
}

/** Close one of the account's sessions, or all but the current one. Returns how many were closed. */
export async function closeSessions(
  db: Kysely<DB>,
  userId: number,
  which: { one: string } | { allBut: string | null },
  now = new Date(),
): Promise<number> {
  let q = db
    .updateTable("sessions")
    .set({ revoked_at: now.toISOString() })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null);
  if ("one" in which) q = q.where("id_hash", "=", which.one);
  else if (which.allBut) q = q.where("id_hash", "<>", which.allBut);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

// ---------------------------------------------------------------------------
// « Mes données »

const jsonValue = (v: unknown) => (typeof v === "bigint" ? Number(v) : v);

function withoutSecrets(table: string, rows: Array<Record<string, unknown>>) {
  const secret = new Set(PERSONAL_TABLES[table]?.secret ?? []);
  return rows.map((r) =>
    Object.fromEntries(
      Object.entries(r)
        .filter(([k]) => !secret.has(k))
        .map(([k, v]) => [k, jsonValue(v)]),
    ),
  );
}

/**
 * Everything the platform holds about a person, by table: the rows that carry their e-mail or user
 * id, and what hangs on them (tax receipts and their requests for their contributions; campaigns,
 * rewards and fund lines of their structures). Secrets (hashes of codes and tokens) are left out.
 */
export async function exportPersonalData(db: Kysely<DB>, userId: number, now = new Date()) {
  const any = db as unknown as AnyDb;
  const user = await db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirstOrThrow();
  const tables: Record<string, Array<Record<string, unknown>>> = {};
  for (const [table, spec] of Object.entries(PERSONAL_TABLES)) {
    const rows = (await any
      .selectFrom(table)
      .selectAll()
      .where((eb: ExpressionBuilder<any, any>) =>
        eb.or(
          table === "users"
            ? [eb("id", "=", userId)]
            : spec.columns.map((c) =>
                c === "citizen_key"
                  ? eb(c, "in", [
                      citizenKey({ userId, email: user.email }),
                      citizenKey({ userId: null, email: user.email }),
                    ])
                  : c.endsWith("user_id")
                    ? eb(c, "=", userId)
                    : eb(c, "=", user.email),
              ),
        ),
      )
      .execute()) as Array<Record<string, unknown>>;
    tables[table] = withoutSecrets(table, rows);
  }
  const contributionIds = (tables.contributions ?? []).map((r) => Number(r.id));
  const organizationIds = (tables.organizations ?? []).map((r) => Number(r.id));
  const byIds = async (table: keyof DB, column: string, ids: number[]) =>
    ids.length === 0
      ? []
      : withoutSecrets(table, await any.selectFrom(table).selectAll().where(column, "in", ids).execute());
  tables.receipt_requests = await byIds("receipt_requests", "contribution_id", contributionIds);
  tables.receipts = await byIds("receipts", "contribution_id", contributionIds);
  tables.campaigns = await byIds("campaigns", "organization_id", organizationIds);
  const campaignIds = tables.campaigns.map((r) => Number(r.id));
  tables.rewards = await byIds("rewards", "campaign_id", campaignIds);
  tables.campaign_fund_lines = await byIds("campaign_fund_lines", "campaign_id", campaignIds);
  tables.email_outbox = (tables.email_outbox ?? []).map((r) => ({
    ...r,
    payload_json: undefined,
    contenu: typeof r.payload_json === "string" ? (JSON.parse(r.payload_json) as unknown) : null,
  }));
  return {
    format: "propulsons-mes-donnees/1",
    exported_at: now.toISOString(),
    about:
      "Toutes les données que Propulsons détient sur vous, table par table (instants en UTC, montants en centimes).",
    notes: Object.fromEntries(Object.entries(PERSONAL_TABLES).map(([t, s]) => [t, s.note])),
    tables,
  };
}

// ---------------------------------------------------------------------------
// Deletion

/** Why this account cannot be deleted yet (nothing: it can). */
export async function deletionBlockers(db: Db, userId: number): Promise<string[]> {
  const reasons: string[] = [];
  const user = await db
    .selectFrom("users")
    .select(["role", "deleted_at"])
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!user || user.deleted_at) return ["Ce compte est déjà supprimé."];
  if (user.role === "staff") {
    const staff = await db
      .selectFrom("users")
      .select(db.fn.countAll<number>().as("n"))
      .where("role", "=", "staff")
      .where("deleted_at", "is", null)
      .executeTakeFirstOrThrow();
    if (Number(staff.n) <= 1)
      reasons.push(
        "Vous êtes le dernier membre de l’équipe du Département\u00a0: ajoutez d’abord un autre membre (npm run staff:add).",
      );
  }
  const campaigns = await db
    .selectFrom("campaigns as c")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .select(["c.id", "c.title", "c.status"])
    .where("o.owner_user_id", "=", userId)
    .orderBy("c.id")
    .execute();
  const STATES: Record<string, string> = {
    approved: "validée et va être mise en ligne",
    live: "en ligne",
    settling: "en cours de clôture",
  };
  for (const c of campaigns) {
    const state = STATES[c.status];
    if (state)
      reasons.push(
        `La campagne «${NBSP}${c.title}${NBSP}» est ${state}${NBSP}: attendez la fin de son règlement.`,
      );
  }
  const unpaid = await db
    .selectFrom("campaigns as c")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .select(["c.title"])
    .where("o.owner_user_id", "=", userId)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom("payouts as p")
            .select("p.id")
            .whereRef("p.campaign_id", "=", "c.id")
            .where("p.status", "<>", "paid"),
        ),
        eb.and([
          eb("c.status", "=", "funded"),
          eb.not(
            eb.exists(
              eb
                .selectFrom("payouts as p")
                .select("p.id")
                .whereRef("p.campaign_id", "=", "c.id")
                .where("p.status", "=", "paid"),
            ),
          ),
        ]),
      ]),
    )
    .orderBy("c.id")
    .execute();
  for (const c of unpaid)
    reasons.push(
      `Le virement de la campagne «${NBSP}${c.title}${NBSP}» n’est pas encore fait${NBSP}: attendez-le.`,
    );
  return reasons;
}

/** The placeholder that replaces an address: not an e-mail anyone reads (.invalid never resolves). */
export function anonymousAddress(): string {
  return `anonyme-${crypto.randomBytes(8).toString("hex")}@anonyme.invalid`;
}

export function isAnonymousAddress(email: string): boolean {
  return email.endsWith("@anonyme.invalid");
}

/** What anonymises a contribution: no e-mail, no name, no message; amounts, dates, statuses, Stripe ids stay. */
export function anonymisedContribution(placeholder: string, now: Date) {
  return {
    email: placeholder,
    public_name: "Anonyme",
    anonymous: 1 as const,
    message: null,
    anonymised_at: now.toISOString(),
  };
}

/**
 * Erase or anonymise, in one transaction, everything an address names (contributions, key figures'
 * citizens, the abondement's per-citizen keys, e-mails, sign-in records, subscriptions). One
 * placeholder for all of the address's rows: the key figures and the per-citizen rule still count
 * the person once.
 */
export async function anonymiseAddress(trx: Transaction<DB>, email: string, now: Date): Promise<void> {
  const placeholder = anonymousAddress();
  await trx
    .updateTable("contributions")
    .set(anonymisedContribution(placeholder, now))
    .where("email", "=", email)
    .execute();
  await trx.updateTable("figure_citizens").set({ email: placeholder }).where("email", "=", email).execute();
  // The abondement's per-citizen count (ADR 029) keeps its number of matches, under the placeholder.
  await trx
    .updateTable("matches")
    .set({ citizen_key: citizenKey({ userId: null, email: placeholder }) })
    .where("citizen_key", "=", citizenKey({ userId: null, email }))
    .execute();
  await trx
    .updateTable("figure_campaign_citizens")
    .set({ email: placeholder })
    .where("email", "=", email)
    .execute();
  await trx.deleteFrom("email_outbox").where("to_email", "=", email).execute();
  await trx.deleteFrom("sign_in_requests").where("email", "=", email).execute();
  await trx.deleteFrom("sign_in_failures").where("email", "=", email).execute();
  await trx.deleteFrom("news_subscriptions").where("email", "=", email).execute();
  await trx.deleteFrom("contact_messages").where("email", "=", email).execute();
}

export type Deletion = { ok: true } | { ok: false; reasons: string[] };

/**
 * Delete an account (the person's choice, or the inactive-account purge): the users row stays —
 * campaigns, news and history point to it — with no e-mail and no name; every other row that names
 * them is erased or anonymised (PERSONAL_TABLES). Tax-receipt requests stay until
 * RETENTION_ACCOUNTING_YEARS (the law), then the purge anonymises them.
 */
export async function deleteAccount(db: Kysely<DB>, userId: number, now = new Date()): Promise<Deletion> {
  return db.transaction().execute(async (trx): Promise<Deletion> => {
    await serializeOn(trx, "account-deletion");
    const reasons = await deletionBlockers(trx, userId);
    if (reasons.length > 0) return { ok: false, reasons };
    const user = await trx
      .selectFrom("users")
      .select("email")
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    await anonymiseAddress(trx, user.email, now);
    // Contributions recorded with the account but another address (none today: kept for safety).
    await trx
      .updateTable("contributions")
      .set(anonymisedContribution(anonymousAddress(), now))
      .where("user_id", "=", userId)
      .where("anonymised_at", "is", null)
      .execute();
    await trx.deleteFrom("email_change_requests").where("user_id", "=", userId).execute();
    await trx.deleteFrom("sessions").where("user_id", "=", userId).execute();
    await trx
      .updateTable("users")
      .set({
        email: anonymousAddress(),
        display_name: "Compte supprimé",
        role: "citizen",
        deleted_at: now.toISOString(),
      })
      .where("id", "=", userId)
      .execute();
    return { ok: true };
  });
}
