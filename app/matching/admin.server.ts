/**
 * The Département staff's side of abondement (DESIGN §11): create a fund, change its rules while
 * nothing was matched, close it early, add money to its envelope, choose and remove campaigns,
 * and read every fund's live state. Each change writes a matching_fund_audit row in its own
 * transaction (docs/decisions/011-staff-back-office.md). Routes stay thin: they parse the form
 * with readFundForm/validateFund and call one function here.
 *
 * Matches themselves are written by app/matching/moves.server.ts only. The guards below are
 * guarded statements (« … where reserved_cents = 0 »), so that a reservation committed between
 * the check and the write cannot slip under a rule change.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import { z } from "zod";
import type { DB, MatchingFundAuditAction } from "#db/schema";
import { type CampaignState, STATE_LABELS } from "~/domain/campaign-machine";
import { formatDate, formatEuros } from "~/domain/format";
import { fundOpen, ratioLabel, rulesFrozen } from "~/domain/matching";
import { parseEurosToCents } from "~/domain/money";
import { endOfDayInParis, parisCalendarDate, startOfDayInParis } from "~/domain/time";
import { NBSP } from "~/domain/typography";
import { field } from "~/forms.server";
import type { FundRow } from "./funds.server";

type Db = Kysely<DB> | Transaction<DB>;

/** The largest envelope or cap a form accepts (10 million euros). */
const MAX_EUROS_CENTS = 10_000_000_00;
/** The ratio's bounds: 0,01 € to 10 € added for each euro (the migration allows 0 < bps ≤ 100 000). */
const MAX_RATIO_BPS = 100_000;

/** Campaigns a fund may still be given to: not settled, not refused. */
export const CHOOSABLE_STATES = [
  "draft",
  "submitted",
  "changes_requested",
  "approved",
  "live",
] as const satisfies readonly CampaignState[];

export const FUND_FIELDS = [
  "nom",
  "enveloppe",
  "ratio",
  "plafond_campagne",
  "plafond_contribution",
  "par_citoyen",
  "debut",
  "fin",
  "perimetre",
  "annee",
  "conditions",
] as const;
export type FundField = (typeof FUND_FIELDS)[number];
export type FundValues = Record<FundField, string>;
export type FundErrors = Partial<Record<FundField, string>>;

/** What the rules are once the form is valid (cents, basis points, UTC instants). */
export interface FundInput {
  name: string;
  envelopeCents: number;
  ratioBps: number;
  capPerCampaignCents: number | null;
  capPerContributionCents: number | null;
  matchesPerCitizen: number | null;
  startsAt: string;
  endsAt: string;
  scope: "budget_citoyen" | "chosen";
  budgetCitoyenYear: number | null;
  termsMd: string;
}

export function readFundForm(form: FormData): FundValues {
  return Object.fromEntries(FUND_FIELDS.map((f) => [f, field(form, f)])) as FundValues;
}

/** The form's values for an existing fund (the edit form starts from them). */
export function fundValues(f: FundRecord): FundValues {
  const euros = (cents: number | null) => (cents === null ? "" : formatPlainEuros(cents));
  return {
    nom: f.name,
    enveloppe: euros(f.envelope_cents),
    ratio: formatPlainEuros(f.ratio_bps / 100),
    plafond_campagne: euros(f.cap_per_campaign_cents),
    plafond_contribution: euros(f.cap_per_contribution_cents),
    par_citoyen: f.matches_per_citizen === null ? "" : String(f.matches_per_citizen),
    debut: parisCalendarDate(new Date(f.starts_at)),
    fin: parisCalendarDate(new Date(f.ends_at)),
    perimetre: f.scope,
    annee: f.budget_citoyen_year === null ? "" : String(f.budget_citoyen_year),
    conditions: f.terms_md,
  };
}

/** « 1250 », « 0,50 »: what a person would type (no grouping, no symbol). */
function formatPlainEuros(cents: number): string {
  const rest = cents % 100;
  return rest === 0 ? String(cents / 100) : `${Math.trunc(cents / 100)},${String(rest).padStart(2, "0")}`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
function validDate(v: string): boolean {
  if (!ISO_DATE.test(v)) return false;
  const d = new Date(`${v}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

function eurosIssue(what: string): string {
  return `${what}${NBSP}: un montant en euros entre 0,01${NBSP}€ et ${formatEuros(MAX_EUROS_CENTS)} est attendu (par exemple 25 000 ou 12,50).`;
}

/** Cents within (0, MAX_EUROS_CENTS], or null when not such an amount. */
function positiveCents(v: string): number | null {
  const cents = parseEurosToCents(v);
  return cents === null || cents <= 0 || cents > MAX_EUROS_CENTS ? null : cents;
}

const euros = (what: string) =>
  z
    .string()
    .trim()
    .transform((v, ctx): number => {
      const cents = positiveCents(v);
      if (cents === null) {
        ctx.addIssue({
          code: "custom",
          message: v === "" ? `${what}${NBSP}: indiquez un montant en euros.` : eurosIssue(what),
        });
        return z.NEVER;
      }
      return cents;
    });

const optionalEuros = (what: string) =>
  z
    .string()
    .trim()
    .transform((v, ctx): number | null => {
      if (v === "") return null;
      const cents = positiveCents(v);
      if (cents === null) {
        ctx.addIssue({ code: "custom", message: eurosIssue(what) });
        return z.NEVER;
      }
      return cents;
    });

const date = (what: string) =>
  z.string().trim().refine(validDate, `${what}${NBSP}: indiquez une date valide (jj/mm/aaaa).`);

const YEAR_MESSAGE = `Année du Budget Citoyen${NBSP}: 4 chiffres, par exemple 2027.`;

const fundSchema = z.object({
  nom: z
    .string()
    .trim()
    .min(3, `Nom du fonds${NBSP}: 3 caractères au moins.`)
    .max(120, `Nom du fonds${NBSP}: 120 caractères au plus.`),
  enveloppe: euros("Enveloppe"),
  ratio: z
    .string()
    .trim()
    .transform((v, ctx) => {
      const cents = parseEurosToCents(v === "" ? "1" : v);
      if (cents === null || cents <= 0 || cents * 100 > MAX_RATIO_BPS) {
        ctx.addIssue({
          code: "custom",
          message: `Abondement pour 1${NBSP}€ donné${NBSP}: un montant entre 0,01${NBSP}€ et 10${NBSP}€ est attendu (1 pour doubler, 0,50 pour 50${NBSP}%).`,
        });
        return z.NEVER;
      }
      return cents * 100;
    }),
  plafond_campagne: optionalEuros("Plafond par campagne"),
  plafond_contribution: optionalEuros("Plafond par contribution"),
  par_citoyen: z
    .string()
    .trim()
    .refine(
      (v) => v === "" || (/^\d{1,3}$/.test(v) && Number(v) >= 1),
      `Contributions abondées par personne${NBSP}: un nombre entier de 1 à 999, ou vide pour toutes.`,
    )
    .transform((v) => (v === "" ? null : Number(v))),
  debut: date("Date d’ouverture"),
  fin: date("Date de clôture"),
  perimetre: z.enum(["budget_citoyen", "chosen"], {
    message: `Périmètre${NBSP}: choisissez Budget Citoyen ou des campagnes choisies une à une.`,
  }),
  annee: z.string().trim(),
  conditions: z
    .string()
    .trim()
    .min(20, `Conditions pour le porteur${NBSP}: 20 caractères au moins.`)
    .max(5000, `Conditions pour le porteur${NBSP}: 5 000 caractères au plus.`),
});

/**
 * The rules between fields, read from the raw values so that they are said together with the
 * fields' own errors (a field already wrong is left to its own message).
 */
function crossFieldErrors(values: FundValues): FundErrors {
  const errors: FundErrors = {};
  const v = Object.fromEntries(Object.entries(values).map(([k, x]) => [k, x.trim()])) as FundValues;
  if (validDate(v.debut) && validDate(v.fin) && v.fin < v.debut)
    errors.fin = `Date de clôture${NBSP}: elle doit suivre la date d’ouverture (ou être le même jour).`;
  if (v.perimetre === "budget_citoyen" && !/^20\d{2}$/.test(v.annee)) errors.annee = YEAR_MESSAGE;
  const envelope = positiveCents(v.enveloppe);
  const perCampaign = positiveCents(v.plafond_campagne);
  const perContribution = positiveCents(v.plafond_contribution);
  if (perContribution !== null && perCampaign !== null && perContribution > perCampaign)
    errors.plafond_contribution = `Plafond par contribution${NBSP}: il ne peut pas dépasser le plafond par campagne.`;
  if (perCampaign !== null && envelope !== null && perCampaign > envelope)
    errors.plafond_campagne = `Plafond par campagne${NBSP}: il ne peut pas dépasser l’enveloppe.`;
  return errors;
}

export function validateFund(
  values: FundValues,
): { ok: true; data: FundInput } | { ok: false; errors: FundErrors } {
  const parsed = fundSchema.safeParse(values);
  const errors: FundErrors = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "nom") as FundField;
      errors[key] ??= issue.message;
    }
  for (const [key, message] of Object.entries(crossFieldErrors(values)) as Array<[FundField, string]>)
    errors[key] ??= message;
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  const v = parsed.data;
  return {
    ok: true,
    data: {
      name: v.nom,
      envelopeCents: v.enveloppe,
      ratioBps: v.ratio,
      capPerCampaignCents: v.plafond_campagne,
      capPerContributionCents: v.plafond_contribution,
      matchesPerCitizen: v.par_citoyen,
      startsAt: startOfDayInParis(v.debut).toISOString(),
      endsAt: endOfDayInParis(v.fin).toISOString(),
      scope: v.perimetre,
      budgetCitoyenYear: v.perimetre === "budget_citoyen" ? Number(v.annee) : null,
      termsMd: v.conditions,
    },
  };
}

/** A refusal says why in French; 400 for a wrong value, 404 for what does not exist, 409 for a state. */
export type AdminResult<T = undefined> =
  { ok: true; value: T } | { ok: false; status: 400 | 404 | 409; message: string };

const refuse = (status: 400 | 404 | 409, message: string): AdminResult<never> => ({
  ok: false,
  status,
  message,
});

async function audit(
  trx: Transaction<DB>,
  entry: {
    fundId: number;
    campaignId?: number | null;
    action: MatchingFundAuditAction;
    actorUserId: number;
    detail: string | null;
    at: string;
  },
) {
  await trx
    .insertInto("matching_fund_audit")
    .values({
      fund_id: entry.fundId,
      campaign_id: entry.campaignId ?? null,
      action: entry.action,
      actor_user_id: entry.actorUserId,
      detail: entry.detail,
      at: entry.at,
    })
    .execute();
}

function rulesDetail(d: FundInput): string {
  const parts = [
    `enveloppe ${formatEuros(d.envelopeCents)}`,
    ratioLabel(d.ratioBps),
    d.capPerCampaignCents === null
      ? "sans plafond par campagne"
      : `${formatEuros(d.capPerCampaignCents)} par campagne au plus`,
    d.capPerContributionCents === null
      ? "sans plafond par contribution"
      : `${formatEuros(d.capPerContributionCents)} par contribution au plus`,
    d.matchesPerCitizen === null
      ? "toutes les contributions d’une personne"
      : `${d.matchesPerCitizen} contribution${d.matchesPerCitizen > 1 ? "s" : ""} par personne et par campagne`,
    `du ${formatDate(d.startsAt)} au ${formatDate(d.endsAt)}`,
    d.scope === "budget_citoyen" ? `campagnes Budget Citoyen ${d.budgetCitoyenYear}` : "campagnes choisies",
  ];
  return parts.join(", ");
}

function rowOf(d: FundInput) {
  return {
    name: d.name,
    envelope_cents: d.envelopeCents,
    ratio_bps: d.ratioBps,
    cap_per_campaign_cents: d.capPerCampaignCents,
    cap_per_contribution_cents: d.capPerContributionCents,
    matches_per_citizen: d.matchesPerCitizen,
    starts_at: d.startsAt,
    ends_at: d.endsAt,
    scope: d.scope,
    budget_citoyen_year: d.budgetCitoyenYear,
    terms_md: d.termsMd,
  };
}

export async function createFund(
  db: Kysely<DB>,
  actorUserId: number,
  input: FundInput,
  now = new Date(),
): Promise<AdminResult<number>> {
  const at = now.toISOString();
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("matching_funds")
      .values({ ...rowOf(input), created_by_user_id: actorUserId, created_at: at, updated_at: at })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit(trx, { fundId: row.id, action: "created", actorUserId, detail: rulesDetail(input), at });
    return row.id;
  });
  return { ok: true, value: id };
}

export const FROZEN_MESSAGE = `Les règles de ce fonds ne peuvent plus changer${NBSP}: des contributions ont déjà été abondées. Vous pouvez seulement clôturer l’abondement ou ajouter des fonds.`;

/** Whether a fund has ever matched a contribution (its rules are then frozen). */
async function hasMatches(db: Db, fundId: number): Promise<boolean> {
  const row = await db
    .selectFrom("matches")
    .select("id")
    .where("fund_id", "=", fundId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Changes every rule of a fund, only while nothing was matched. The holders who had accepted the
 * terms accept them again when the rules or the terms changed (what they agreed to is no longer
 * what applies). `seenUpdatedAt` is the fund's updated_at when the form was shown.
 */
export async function updateFundRules(
  db: Kysely<DB>,
  actorUserId: number,
  fundId: number,
  input: FundInput,
  seenUpdatedAt: string,
  now = new Date(),
): Promise<AdminResult> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx): Promise<AdminResult> => {
    const fund = await fundRecord(trx, fundId);
    if (!fund) return refuse(404, "Fonds d’abondement introuvable.");
    if (
      rulesFrozen({
        reservedCents: fund.reserved_cents,
        confirmedCents: fund.confirmed_cents,
        hasMatches: await hasMatches(trx, fundId),
      })
    )
      return refuse(409, FROZEN_MESSAGE);
    if (fund.updated_at !== seenUpdatedAt)
      return refuse(
        409,
        `Ce fonds a été modifié entre-temps${NBSP}: rien n’a été enregistré. Relisez ses règles puis recommencez.`,
      );
    if (fund.scope === "chosen" && input.scope !== "chosen") {
      const chosen = await trx
        .selectFrom("matching_fund_campaigns")
        .select("campaign_id")
        .where("fund_id", "=", fundId)
        .limit(1)
        .executeTakeFirst();
      if (chosen)
        return refuse(
          409,
          `Retirez d’abord les campagnes choisies${NBSP}: un fonds ne peut pas passer au Budget Citoyen avec des campagnes choisies une à une.`,
        );
    }
    // Guarded: a reservation committed since the check above makes this update match no row.
    const updated = await trx
      .updateTable("matching_funds")
      .set({ ...rowOf(input), updated_at: at })
      .where("id", "=", fundId)
      .where("reserved_cents", "=", 0)
      .where("confirmed_cents", "=", 0)
      .where("updated_at", "=", seenUpdatedAt)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return refuse(409, FROZEN_MESSAGE);
    const before = fundInputOf(fund);
    const changed = JSON.stringify(before) !== JSON.stringify(input);
    if (changed)
      await trx
        .updateTable("matching_fund_campaigns")
        .set({ accepted_at: null, accepted_by_user_id: null })
        .where("fund_id", "=", fundId)
        .execute();
    await audit(trx, { fundId, action: "rules_changed", actorUserId, detail: rulesDetail(input), at });
    return { ok: true, value: undefined };
  });
}

function fundInputOf(f: FundRecord): FundInput {
  return {
    name: f.name,
    envelopeCents: f.envelope_cents,
    ratioBps: f.ratio_bps,
    capPerCampaignCents: f.cap_per_campaign_cents,
    capPerContributionCents: f.cap_per_contribution_cents,
    matchesPerCitizen: f.matches_per_citizen,
    startsAt: f.starts_at,
    endsAt: f.ends_at,
    scope: f.scope,
    budgetCitoyenYear: f.budget_citoyen_year,
    termsMd: f.terms_md,
  };
}

/** « Clôturer l’abondement »: no new match from now on; reserved matches follow their contributions. */
export async function closeFund(
  db: Kysely<DB>,
  actorUserId: number,
  fundId: number,
  now = new Date(),
): Promise<AdminResult> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx): Promise<AdminResult> => {
    const fund = await fundRecord(trx, fundId);
    if (!fund) return refuse(404, "Fonds d’abondement introuvable.");
    if (fund.closed_at !== null)
      return refuse(409, `Cet abondement est déjà clôturé depuis le ${formatDate(fund.closed_at)}.`);
    const updated = await trx
      .updateTable("matching_funds")
      .set({ closed_at: at, updated_at: at })
      .where("id", "=", fundId)
      .where("closed_at", "is", null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return refuse(409, "Cet abondement est déjà clôturé.");
    await audit(trx, { fundId, action: "closed", actorUserId, detail: null, at });
    return { ok: true, value: undefined };
  });
}

/** Reads « Ajouter des fonds »: a positive amount in euros. */
export function parseAddedAmount(raw: string): { ok: true; cents: number } | { ok: false; message: string } {
  const cents = parseEurosToCents(raw.trim());
  if (cents === null || cents <= 0 || cents > MAX_EUROS_CENTS)
    return {
      ok: false,
      message: `Montant à ajouter${NBSP}: un montant en euros entre 0,01${NBSP}€ et ${formatEuros(MAX_EUROS_CENTS)} est attendu.`,
    };
  return { ok: true, cents };
}

/** « Ajouter des fonds »: raises the envelope (allowed at any time while the fund is not closed). */
export async function addFunds(
  db: Kysely<DB>,
  actorUserId: number,
  fundId: number,
  amountCents: number,
  now = new Date(),
): Promise<AdminResult> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx): Promise<AdminResult> => {
    const fund = await fundRecord(trx, fundId);
    if (!fund) return refuse(404, "Fonds d’abondement introuvable.");
    if (fund.closed_at !== null)
      return refuse(409, `Cet abondement est clôturé${NBSP}: on ne peut plus y ajouter de fonds.`);
    if (fund.envelope_cents + amountCents > MAX_EUROS_CENTS)
      return refuse(400, `L’enveloppe ne peut pas dépasser ${formatEuros(MAX_EUROS_CENTS)}.`);
    // One statement: a reservation running at the same time keeps its own total.
    await trx
      .updateTable("matching_funds")
      .set({ envelope_cents: sql<number>`envelope_cents + ${amountCents}`, updated_at: at })
      .where("id", "=", fundId)
      .execute();
    await audit(trx, {
      fundId,
      action: "funds_added",
      actorUserId,
      detail: `${formatEuros(amountCents)} ajoutés (enveloppe portée à ${formatEuros(fund.envelope_cents + amountCents)})`,
      at,
    });
    return { ok: true, value: undefined };
  });
}

/** Chooses a campaign for a fund of scope « chosen »; its holder must then accept the terms. */
export async function addCampaign(
  db: Kysely<DB>,
  actorUserId: number,
  fundId: number,
  campaignId: number,
  now = new Date(),
): Promise<AdminResult> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx): Promise<AdminResult> => {
    const fund = await fundRecord(trx, fundId);
    if (!fund) return refuse(404, "Fonds d’abondement introuvable.");
    if (fund.scope !== "chosen")
      return refuse(
        409,
        `Ce fonds s’applique aux campagnes labellisées Budget Citoyen ${fund.budget_citoyen_year}${NBSP}: il n’y a pas de campagne à choisir.`,
      );
    if (fund.closed_at !== null)
      return refuse(409, `Cet abondement est clôturé${NBSP}: on ne peut plus y ajouter de campagne.`);
    const campaign = await trx
      .selectFrom("campaigns")
      .select(["id", "title", "status"])
      .where("id", "=", campaignId)
      .executeTakeFirst();
    if (!campaign) return refuse(400, "Choisissez une campagne de la liste.");
    if (!(CHOOSABLE_STATES as readonly string[]).includes(campaign.status))
      return refuse(
        409,
        `«${NBSP}${campaign.title}${NBSP}» est ${STATE_LABELS[campaign.status].toLowerCase()}${NBSP}: seule une campagne qui n’a pas encore fini sa collecte peut être abondée.`,
      );
    const inserted = await trx
      .insertInto("matching_fund_campaigns")
      .values({ fund_id: fundId, campaign_id: campaignId, added_at: at })
      .onConflict((oc) => oc.columns(["fund_id", "campaign_id"]).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1)
      return refuse(409, `«${NBSP}${campaign.title}${NBSP}» est déjà choisie pour ce fonds.`);
    await audit(trx, {
      fundId,
      campaignId,
      action: "campaign_added",
      actorUserId,
      detail: campaign.title,
      at,
    });
    return { ok: true, value: undefined };
  });
}

/** Removes a chosen campaign, only while none of its contributions was matched by this fund. */
export async function removeCampaign(
  db: Kysely<DB>,
  actorUserId: number,
  fundId: number,
  campaignId: number,
  now = new Date(),
): Promise<AdminResult> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx): Promise<AdminResult> => {
    const fund = await fundRecord(trx, fundId);
    if (!fund) return refuse(404, "Fonds d’abondement introuvable.");
    const row = await trx
      .selectFrom("matching_fund_campaigns as fc")
      .innerJoin("campaigns as c", "c.id", "fc.campaign_id")
      .select(["c.title"])
      .where("fc.fund_id", "=", fundId)
      .where("fc.campaign_id", "=", campaignId)
      .executeTakeFirst();
    if (!row) return refuse(404, "Cette campagne n’est pas choisie pour ce fonds.");
    const refused = refuse(
      409,
      `«${NBSP}${row.title}${NBSP}» a déjà des contributions abondées par ce fonds${NBSP}: elle ne peut plus en être retirée. Vous pouvez clôturer l’abondement.`,
    );
    const matched = await trx
      .selectFrom("matches")
      .select("id")
      .where("fund_id", "=", fundId)
      .where("campaign_id", "=", campaignId)
      .limit(1)
      .executeTakeFirst();
    if (matched) return refused;
    // Guarded like the rule change: a reservation committed meanwhile keeps the row.
    const deleted = await trx
      .deleteFrom("matching_fund_campaigns")
      .where("fund_id", "=", fundId)
      .where("campaign_id", "=", campaignId)
      .where("reserved_cents", "=", 0)
      .where("confirmed_cents", "=", 0)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) !== 1) return refused;
    await audit(trx, { fundId, campaignId, action: "campaign_removed", actorUserId, detail: row.title, at });
    return { ok: true, value: undefined };
  });
}

/** A fund as staff read it: the row every reader shares (funds.server.ts), with its dates of record. */
export interface FundRecord extends FundRow {
  created_at: string;
  updated_at: string;
}

async function fundRecord(db: Db, fundId: number): Promise<FundRecord | undefined> {
  return db
    .selectFrom("matching_funds")
    .select([
      "id",
      "name",
      "envelope_cents",
      "ratio_bps",
      "cap_per_campaign_cents",
      "cap_per_contribution_cents",
      "matches_per_citizen",
      "starts_at",
      "ends_at",
      "scope",
      "budget_citoyen_year",
      "terms_md",
      "reserved_cents",
      "confirmed_cents",
      "closed_at",
      "created_at",
      "updated_at",
    ])
    .where("id", "=", fundId)
    .executeTakeFirst();
}

export type FundPhase = "upcoming" | "open" | "ended" | "closed";

export function fundPhase(f: Pick<FundRecord, "starts_at" | "ends_at" | "closed_at">, now: Date): FundPhase {
  if (f.closed_at !== null) return "closed";
  if (fundOpen({ startsAt: f.starts_at, endsAt: f.ends_at, closedAt: null }, now)) return "open";
  return now.toISOString() < f.starts_at ? "upcoming" : "ended";
}

export function phaseLabel(f: Pick<FundRecord, "starts_at" | "ends_at" | "closed_at">, now: Date): string {
  switch (fundPhase(f, now)) {
    case "closed":
      return `Clôturé le ${formatDate(f.closed_at!)}`;
    case "open":
      return `Ouvert jusqu’au ${formatDate(f.ends_at)}`;
    case "upcoming":
      return `Ouvre le ${formatDate(f.starts_at)}`;
    case "ended":
      return `Terminé le ${formatDate(f.ends_at)}`;
  }
}

/** A fund's money: envelope = reserved + confirmed + available. */
export interface FundMoney {
  envelopeCents: number;
  reservedCents: number;
  confirmedCents: number;
  availableCents: number;
}

function moneyOf(f: Pick<FundRecord, "envelope_cents" | "reserved_cents" | "confirmed_cents">): FundMoney {
  return {
    envelopeCents: f.envelope_cents,
    reservedCents: f.reserved_cents,
    confirmedCents: f.confirmed_cents,
    availableCents: Math.max(0, f.envelope_cents - f.reserved_cents - f.confirmed_cents),
  };
}

export interface FundSummary extends FundMoney {
  id: number;
  name: string;
  ratio: string;
  scope: string;
  phase: FundPhase;
  phaseLabel: string;
  campaigns: number;
}

function scopeLabel(f: Pick<FundRecord, "scope" | "budget_citoyen_year">): string {
  return f.scope === "budget_citoyen"
    ? `Campagnes labellisées Budget Citoyen ${f.budget_citoyen_year}`
    : "Campagnes choisies une à une";
}

/** Every fund with its live state, the newest first. */
export async function fundList(db: Kysely<DB>, now = new Date()): Promise<FundSummary[]> {
  const funds = await db
    .selectFrom("matching_funds as f")
    .select([
      "f.id",
      "f.name",
      "f.envelope_cents",
      "f.ratio_bps",
      "f.reserved_cents",
      "f.confirmed_cents",
      "f.starts_at",
      "f.ends_at",
      "f.closed_at",
      "f.scope",
      "f.budget_citoyen_year",
    ])
    .select((eb) =>
      eb
        .case()
        .when("f.scope", "=", "chosen")
        .then(
          eb
            .selectFrom("matching_fund_campaigns as fc")
            .select(sql<number>`count(*)`.as("n"))
            .whereRef("fc.fund_id", "=", "f.id"),
        )
        .else(
          eb
            .selectFrom("campaigns as c")
            .select(sql<number>`count(*)`.as("n"))
            .whereRef("c.budget_citoyen_year", "=", "f.budget_citoyen_year"),
        )
        .end()
        .as("campaigns"),
    )
    .orderBy("f.id", "desc")
    .execute();
  return funds.map((f) => ({
    id: f.id,
    name: f.name,
    ratio: ratioLabel(f.ratio_bps),
    scope: scopeLabel(f),
    phase: fundPhase(f, now),
    phaseLabel: phaseLabel(f, now),
    campaigns: Number(f.campaigns ?? 0),
    ...moneyOf(f),
  }));
}

export interface FundCampaignState {
  id: number;
  title: string;
  slug: string;
  status: CampaignState;
  statusLabel: string;
  /** scope chosen: when the holder accepted the terms (null: not yet, so nothing is matched) */
  acceptedAt: string | null;
  reservedCents: number;
  confirmedCents: number;
  /** what the campaign's cap still allows (null: no cap) */
  capLeftCents: number | null;
  /** any match, live or released: the campaign can no longer be removed */
  hasMatches: boolean;
  /** funded with confirmed matches: the statement for the Département exists */
  statement: boolean;
}

export interface FundAuditEntry {
  at: string;
  action: MatchingFundAuditAction;
  actor: string | null;
  detail: string | null;
  campaignTitle: string | null;
}

export const AUDIT_LABELS: Record<MatchingFundAuditAction, string> = {
  created: "Fonds créé",
  rules_changed: "Règles modifiées",
  closed: "Abondement clôturé",
  funds_added: "Fonds ajoutés",
  campaign_added: "Campagne choisie",
  campaign_removed: "Campagne retirée",
  terms_accepted: "Conditions acceptées par le porteur",
};

export interface FundDetail {
  fund: FundRecord;
  money: FundMoney;
  ratio: string;
  scope: string;
  phase: FundPhase;
  phaseLabel: string;
  /** no rule may change any more (only closing and adding money) */
  frozen: boolean;
  campaigns: FundCampaignState[];
  history: FundAuditEntry[];
}

/** One fund for the staff page: its rules, live state, campaigns and history. */
export async function fundDetail(
  db: Kysely<DB>,
  fundId: number,
  now = new Date(),
): Promise<FundDetail | null> {
  const fund = await fundRecord(db, fundId);
  if (!fund) return null;
  const matchedCampaigns = new Set(
    (
      await db.selectFrom("matches").select("campaign_id").distinct().where("fund_id", "=", fundId).execute()
    ).map((r) => r.campaign_id),
  );
  const base = db
    .selectFrom("campaigns as c")
    .leftJoin("matching_fund_campaigns as fc", (j) =>
      j.onRef("fc.campaign_id", "=", "c.id").on("fc.fund_id", "=", fundId),
    )
    .select([
      "c.id",
      "c.title",
      "c.slug",
      "c.status",
      "fc.accepted_at",
      "fc.reserved_cents",
      "fc.confirmed_cents",
    ]);
  const rows =
    fund.scope === "chosen"
      ? await base.where("fc.fund_id", "is not", null).orderBy("c.title").execute()
      : await base.where("c.budget_citoyen_year", "=", fund.budget_citoyen_year).orderBy("c.title").execute();
  const campaigns = rows.map((r): FundCampaignState => {
    const reserved = Number(r.reserved_cents ?? 0);
    const confirmed = Number(r.confirmed_cents ?? 0);
    return {
      id: r.id,
      title: r.title,
      slug: r.slug,
      status: r.status,
      statusLabel: STATE_LABELS[r.status],
      acceptedAt: r.accepted_at,
      reservedCents: reserved,
      confirmedCents: confirmed,
      capLeftCents:
        fund.cap_per_campaign_cents === null
          ? null
          : Math.max(0, fund.cap_per_campaign_cents - reserved - confirmed),
      hasMatches: matchedCampaigns.has(r.id),
      statement: r.status === "funded" && confirmed > 0,
    };
  });
  const history = await db
    .selectFrom("matching_fund_audit as a")
    .leftJoin("users as u", "u.id", "a.actor_user_id")
    .leftJoin("campaigns as c", "c.id", "a.campaign_id")
    .select(["a.at", "a.action", "a.detail", "u.display_name as actor", "c.title as campaign_title"])
    .where("a.fund_id", "=", fundId)
    .orderBy("a.at", "desc")
    .orderBy("a.id", "desc")
    .execute();
  return {
    fund,
    money: moneyOf(fund),
    ratio: ratioLabel(fund.ratio_bps),
    scope: scopeLabel(fund),
    phase: fundPhase(fund, now),
    phaseLabel: phaseLabel(fund, now),
    frozen: rulesFrozen({
      reservedCents: fund.reserved_cents,
      confirmedCents: fund.confirmed_cents,
      hasMatches: matchedCampaigns.size > 0,
    }),
    campaigns,
    history: history.map((h) => ({
      at: h.at,
      action: h.action,
      actor: h.actor,
      detail: h.detail,
      campaignTitle: h.campaign_title,
    })),
  };
}

/** The campaigns staff may still choose for a fund of scope « chosen » (not already chosen). */
export async function choosableCampaigns(db: Kysely<DB>, fundId: number) {
  return db
    .selectFrom("campaigns as c")
    .select(["c.id", "c.title", "c.status"])
    .where("c.status", "in", CHOOSABLE_STATES)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("matching_fund_campaigns as fc")
            .select("fc.campaign_id")
            .whereRef("fc.campaign_id", "=", "c.id")
            .where("fc.fund_id", "=", fundId),
        ),
      ),
    )
    .orderBy("c.title")
    .execute();
}
