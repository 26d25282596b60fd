/**
 * A holder's campaigns: create a draft, read it, save it, submit it. Ownership
 * is checked in every function (another holder's campaign is « not found »).
 */
import type { Kysely, Transaction } from "kysely";
import type { DB } from "#db/schema";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { EDITABLE_STATES, STORY_ONLY_STATES, type CampaignState } from "~/domain/campaign-machine";
import { addDays, endOfDayInParis, parisCalendarDate } from "~/domain/time";
import { applyCampaignEvent } from "~/models/campaign-transitions.server";
import { missingContent, type CampaignData } from "./campaign-form.server";
import { storeCampaignImage } from "./images.server";
import { NBSP } from "~/domain/typography";

export function slugify(title: string): string {
  return (
    title
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/g, "") || "projet"
  );
}

/**
 * The public address a campaign titled `title` gets: slugify(title), or with « -2 », « -3 »… when
 * another campaign has it. The campaign `ownId` keeps the address it already has if it fits the title.
 */
export async function freeSlug(db: Kysely<DB>, title: string, ownId: number | null): Promise<string> {
  const base = slugify(title);
  const taken = await db
    .selectFrom("campaigns")
    .select(["id", "slug"])
    .where((eb) => eb.or([eb("slug", "=", base), eb("slug", "like", `${base}-%`)]))
    .execute();
  const own = taken.find((t) => t.id === ownId)?.slug;
  if (own !== undefined && (own === base || new RegExp(`^${base}-\\d+$`).test(own))) return own;
  const others = new Set(taken.filter((t) => t.id !== ownId).map((t) => t.slug));
  if (!others.has(base)) return base;
  for (let n = 2; ; n++) if (!others.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * A new draft of `title` for the holder's structure, in the territory and theme the holder chose
 * (the platform never picks them for the holder). Null when the structure is not theirs or a slug
 * is unknown: nothing is written then.
 */
export async function createDraft(
  db: Kysely<DB>,
  userId: number,
  organizationId: number,
  title: string,
  choice: { territory: string; theme: string },
  now = new Date(),
): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const org = await trx
      .selectFrom("organizations")
      .select(["id"])
      .where("id", "=", organizationId)
      .where("owner_user_id", "=", userId)
      .executeTakeFirst();
    if (!org) return null;
    const territory = await trx
      .selectFrom("territories")
      .select("id")
      .where("slug", "=", choice.territory)
      .executeTakeFirst();
    const theme = await trx
      .selectFrom("themes")
      .select("id")
      .where("slug", "=", choice.theme)
      .executeTakeFirst();
    if (!territory || !theme) return null;
    const slug = await freeSlug(trx, title, null);
    const at = now.toISOString();
    const campaign = await trx
      .insertInto("campaigns")
      .values({
        organization_id: org.id,
        slug,
        title,
        summary: "",
        story_md: "",
        goal_cents: 100_000,
        starts_at: at,
        ends_at: endOfDayInParis(addDays(parisCalendarDate(now), 30)).toISOString(),
        territory_id: territory.id,
        theme_id: theme.id,
        budget_citoyen_year: null,
        expected_results_md: "",
        timetable_md: "",
        image_path: null,
        status: "draft",
        created_at: at,
        updated_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("campaign_transitions")
      .values({
        campaign_id: campaign.id,
        from_status: null,
        to_status: "draft",
        event: "create",
        actor_user_id: userId,
        actor_role: "holder",
        reason: null,
        at,
      })
      .execute();
    return campaign.id;
  });
}

export async function ownCampaign(db: Kysely<DB>, userId: number, id: number) {
  const c = await db
    .selectFrom("campaigns as c")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .innerJoin("territories as t", "t.id", "c.territory_id")
    .innerJoin("themes as th", "th.id", "c.theme_id")
    .select([
      "c.id",
      "c.slug",
      "c.title",
      "c.summary",
      "c.story_md",
      "c.goal_cents",
      "c.starts_at",
      "c.ends_at",
      "c.status",
      "c.expected_results_md",
      "c.timetable_md",
      "c.image_path",
      "c.image_alt",
      "t.slug as territory",
      "th.slug as theme",
      "o.name as organization_name",
    ])
    .where("c.id", "=", id)
    .where("o.owner_user_id", "=", userId)
    .executeTakeFirst();
  if (!c) return undefined;
  const [fundLines, rewards, lastComment] = await Promise.all([
    db
      .selectFrom("campaign_fund_lines")
      .select(["label", "amount_cents"])
      .where("campaign_id", "=", id)
      .orderBy("position")
      .execute(),
    db
      .selectFrom("rewards")
      .select(["title", "description", "minimum_cents", "stock", "sold", "held", "value_cents"])
      .where("campaign_id", "=", id)
      .orderBy("position")
      .execute(),
    db
      .selectFrom("campaign_transitions")
      .select(["reason", "at"])
      .where("campaign_id", "=", id)
      .where("event", "=", "request_changes")
      .orderBy("at", "desc")
      .executeTakeFirst(),
  ]);
  const missing = missingContent({
    summary: c.summary,
    storyMd: c.story_md,
    expectedResultsMd: c.expected_results_md,
    timetableMd: c.timetable_md,
    fundLinesCount: fundLines.length,
    fundLinesTotalCents: fundLines.reduce((s, l) => s + l.amount_cents, 0),
    goalCents: c.goal_cents,
    imagePath: c.image_path,
    imageAlt: c.image_alt,
  });
  return {
    ...c,
    fundLines,
    rewards,
    missing,
    staffComment: c.status === "changes_requested" ? (lastComment?.reason ?? null) : null,
  };
}

export type SaveResult = { ok: true } | { ok: false; message: string };

export async function saveCampaign(
  db: Kysely<DB>,
  userId: number,
  id: number,
  data: CampaignData,
  now = new Date(),
): Promise<SaveResult> {
  return db.transaction().execute((trx) => saveInTransaction(trx, userId, id, data, now));
}

/** Thrown inside a transaction to roll it back and answer `result`. */
class Refused extends Error {
  constructor(readonly result: { ok: false; message: string }) {
    super(result.message);
  }
}

/**
 * « Soumettre »: save what is on screen, then submit it, in one transaction. If the saved version
 * cannot be submitted (content missing, wrong state), nothing is written.
 */
export async function saveAndSubmitCampaign(
  db: Kysely<DB>,
  userId: number,
  id: number,
  data: CampaignData,
  now = new Date(),
): Promise<SaveResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      const saved = await saveInTransaction(trx, userId, id, data, now);
      if (!saved.ok) throw new Refused(saved);
      const submitted = await submitInTransaction(trx, userId, id, now);
      if (!submitted.ok) throw new Refused(submitted);
      return submitted;
    });
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
}

async function saveInTransaction(
  trx: Transaction<DB>,
  userId: number,
  id: number,
  data: CampaignData,
  now: Date,
): Promise<SaveResult> {
  {
    const c = await trx
      .selectFrom("campaigns as c")
      .innerJoin("organizations as o", "o.id", "c.organization_id")
      .select(["c.id", "c.status"])
      .where("c.id", "=", id)
      .where("o.owner_user_id", "=", userId)
      .executeTakeFirst();
    if (!c) return { ok: false as const, message: "Campagne introuvable." };
    const at = now.toISOString();
    if (STORY_ONLY_STATES.includes(c.status)) {
      await trx
        .updateTable("campaigns")
        .set({ story_md: data.storyMd, updated_at: at })
        .where("id", "=", id)
        .execute();
      return { ok: true as const };
    }
    if (!EDITABLE_STATES.includes(c.status)) {
      return {
        ok: false as const,
        message:
          "La campagne est en cours de validation\u00a0: elle ne peut pas être modifiée pour le moment.",
      };
    }
    const territory = data.territory
      ? await trx.selectFrom("territories").select("id").where("slug", "=", data.territory).executeTakeFirst()
      : undefined;
    const theme = data.theme
      ? await trx.selectFrom("themes").select("id").where("slug", "=", data.theme).executeTakeFirst()
      : undefined;
    // The public address follows the title until approval (then shared links must keep working).
    const slug = await freeSlug(trx, data.title, id);
    await trx
      .updateTable("campaigns")
      .set({
        title: data.title,
        slug,
        summary: data.summary,
        story_md: data.storyMd,
        goal_cents: data.goalCents,
        ends_at: endOfDayInParis(data.endDate).toISOString(),
        expected_results_md: data.expectedResultsMd,
        timetable_md: data.timetableMd,
        updated_at: at,
        ...(territory ? { territory_id: territory.id } : {}),
        ...(theme ? { theme_id: theme.id } : {}),
      })
      .where("id", "=", id)
      .execute();
    await trx.deleteFrom("campaign_fund_lines").where("campaign_id", "=", id).execute();
    if (data.fundLines.length > 0) {
      await trx
        .insertInto("campaign_fund_lines")
        .values(
          data.fundLines.map((l, i) => ({
            campaign_id: id,
            position: i + 1,
            label: l.label,
            amount_cents: l.amountCents,
          })),
        )
        .execute();
    }
    await trx.deleteFrom("rewards").where("campaign_id", "=", id).execute();
    if (data.rewards.length > 0) {
      await trx
        .insertInto("rewards")
        .values(
          data.rewards.map((r, i) => ({
            campaign_id: id,
            position: i + 1,
            title: r.title,
            description: r.description,
            minimum_cents: r.minimumCents,
            stock: r.stock,
            value_cents: r.valueCents ?? 0,
          })),
        )
        .execute();
    }
    return { ok: true as const };
  }
}

export type ImageUpdate =
  { ok: true } | { ok: false; status: 400 | 409; message: string | null; errors: Record<string, string> };

/** Replace the image of an editable campaign (the caller has checked ownership). */
export async function setCampaignImage(
  db: Kysely<DB>,
  id: number,
  status: CampaignState,
  bytes: Buffer,
  altInput: string,
): Promise<ImageUpdate> {
  if (!EDITABLE_STATES.includes(status)) {
    return {
      ok: false,
      status: 409,
      message: "L’image ne change plus une fois la campagne soumise.",
      errors: {},
    };
  }
  const alt = altInput.trim();
  if (alt.length < 5 || alt.length > 200) {
    return {
      ok: false,
      status: 400,
      message: null,
      errors: { image_alt: "Décrivez l’image en 5 à 200 caractères (lu par les lecteurs d’écran)." },
    };
  }
  const stored = await storeCampaignImage(id, bytes);
  if (!stored.ok) return { ok: false, status: 400, message: null, errors: { image: stored.message } };
  await db
    .updateTable("campaigns")
    .set({ image_path: stored.file, image_alt: alt })
    .where("id", "=", id)
    .execute();
  return { ok: true };
}

export async function submitCampaign(
  db: Kysely<DB>,
  userId: number,
  id: number,
  now = new Date(),
): Promise<SaveResult> {
  return db.transaction().execute((trx) => submitInTransaction(trx, userId, id, now));
}

async function submitInTransaction(
  trx: Transaction<DB>,
  userId: number,
  id: number,
  now: Date,
): Promise<SaveResult> {
  const c = await ownCampaign(trx, userId, id);
  if (!c) return { ok: false, message: "Campagne introuvable." };
  if (c.missing.length > 0)
    return { ok: false, message: `Avant de soumettre, complétez${NBSP}: ${c.missing.join(", ")}.` };
  const event = c.status === "changes_requested" ? "resubmit" : "submit";
  if (c.status !== "draft" && c.status !== "changes_requested")
    return { ok: false, message: "Cette campagne a déjà été soumise." };
  await applyCampaignEvent(trx, {
    campaignId: id,
    event,
    actor: "holder",
    actorUserId: userId,
    now,
    context: { hasRequiredContent: true },
  });
  return { ok: true };
}

/**
 * For every holder route about one campaign: the signed-in owner and their campaign,
 * or a redirect to sign in, or a 404 (someone else's campaign looks like a missing one).
 */
export async function requireOwnCampaign(request: Request, idParam: string | undefined) {
  const user = await requireUser(request);
  const id = Number(idParam);
  const c = Number.isSafeInteger(id) && id > 0 ? await ownCampaign(database().db, user.id, id) : undefined;
  if (!c) throw new Response("Campagne introuvable.", { status: 404 });
  return { user, id, c };
}
