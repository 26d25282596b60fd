/**
 * Open-data exports (CSV and JSON) of the published campaigns and of the key figures.
 * Conventions of Etalab's open-data guide: UTF-8, comma-separated, a header row of
 * snake_case names, dot decimals, ISO dates. No personal data. Money comes from the
 * figures module's aggregates, so the exports agree with the annual report to the cent:
 * a campaign's « collecte » is what it received (ADR 010), and « rembourse » the part
 * given back since (a failed or cancelled campaign). The commission of a settled
 * campaign is the one recorded at its payout, never recomputed from today's rule.
 */
import { sql, type Kysely } from "kysely";
import type { DB } from "#db/schema";
import { PUBLIC_STATES, STATE_LABELS } from "~/domain/campaign-machine";
import { toCsv } from "~/csv.server";
import { formatOpenDataEuros } from "~/domain/format";
import { commissionBpsFor } from "~/domain/money";
import { parisCalendarDate } from "~/domain/time";
import { recordedCommissionRates } from "~/models/campaigns.server";
import { annualReport, type Figures } from "~/models/figures.server";
import { matchedFigures, type MatchedFigures } from "~/matching/figures.server";

export const OPEN_DATA_LICENCE = "Licence Ouverte / Open Licence version 2.0 (Etalab)";

export async function publishedCampaigns(db: Kysely<DB>) {
  const recorded = await recordedCommissionRates(db);
  const rows = await db
    .selectFrom("campaigns as c")
    .innerJoin("organizations as o", "o.id", "c.organization_id")
    .innerJoin("territories as t", "t.id", "c.territory_id")
    .innerJoin("themes as h", "h.id", "c.theme_id")
    .select([
      "c.id",
      "c.slug",
      "c.title",
      "c.status",
      "c.goal_cents",
      "c.starts_at",
      "c.ends_at",
      "c.budget_citoyen_year",
      "o.name as organization",
      "o.legal_form",
      "o.registration_number",
      "o.town",
      "t.name as territory",
      "h.name as theme",
      (eb) =>
        eb
          .selectFrom("figure_campaign_years as f")
          .select(sql<number>`coalesce(sum(f.collected_cents), 0)`.as("v"))
          .whereRef("f.campaign_id", "=", "c.id")
          .as("collected_cents"),
      (eb) =>
        eb
          .selectFrom("figure_campaign_years as f")
          .select(sql<number>`coalesce(sum(f.contributions), 0)`.as("v"))
          .whereRef("f.campaign_id", "=", "c.id")
          .as("contributions"),
      (eb) =>
        eb
          .selectFrom("figure_campaign_years as f")
          .select(sql<number>`coalesce(sum(f.refunded_cents), 0)`.as("v"))
          .whereRef("f.campaign_id", "=", "c.id")
          .as("refunded_cents"),
    ])
    // Published campaigns, and those cancelled after going live: their money counts in the key
    // figures (ADR 010), so the export must list them for its totals to agree.
    .where((eb) =>
      eb.or([
        eb("c.status", "in", PUBLIC_STATES),
        eb.and([
          eb("c.status", "=", "cancelled"),
          eb.exists(
            eb
              .selectFrom("campaign_transitions as x")
              .select("x.id")
              .whereRef("x.campaign_id", "=", "c.id")
              .where("x.event", "=", "start"),
          ),
        ]),
      ]),
    )
    .orderBy("c.starts_at")
    .orderBy("c.id")
    .execute();
  return rows.map((r) => ({
    identifiant: r.id,
    slug: r.slug,
    titre: r.title,
    etat: r.status,
    etat_libelle: STATE_LABELS[r.status],
    structure: r.organization,
    forme_juridique: r.legal_form,
    numero_immatriculation: r.registration_number,
    commune: r.town,
    territoire: r.territory,
    theme: r.theme,
    date_debut: parisCalendarDate(new Date(r.starts_at)),
    date_fin: parisCalendarDate(new Date(r.ends_at)),
    objectif_centimes: r.goal_cents,
    collecte_centimes: Number(r.collected_cents ?? 0),
    contributions: Number(r.contributions ?? 0),
    budget_citoyen: r.budget_citoyen_year,
    // Funded: the rate recorded at its payout. Otherwise the rate that applies (or would have).
    commission_pourcentage:
      ((r.status === "funded" ? recorded.get(r.id) : undefined) ??
        commissionBpsFor({ budgetCitoyenYear: r.budget_citoyen_year })) / 100,
    rembourse_centimes: Number(r.refunded_cents ?? 0),
  }));
}

export function campaignsCsv(rows: Awaited<ReturnType<typeof publishedCampaigns>>): string {
  const header = [
    "identifiant",
    "slug",
    "titre",
    "etat",
    "structure",
    "forme_juridique",
    "numero_immatriculation",
    "commune",
    "territoire",
    "theme",
    "date_debut",
    "date_fin",
    "objectif_euros",
    "collecte_euros",
    "contributions",
    "budget_citoyen",
    "commission_pourcentage",
    "rembourse_euros",
  ];
  return toCsv(
    header,
    rows.map((r) => [
      r.identifiant,
      r.slug,
      r.titre,
      r.etat,
      r.structure,
      r.forme_juridique,
      r.numero_immatriculation ?? "",
      r.commune,
      r.territoire,
      r.theme,
      r.date_debut,
      r.date_fin,
      r.objectif_centimes,
      r.collecte_centimes,
      r.contributions,
      r.budget_citoyen ?? "",
      r.commission_pourcentage,
      r.rembourse_centimes,
    ]),
    {
      money: {
        columns: ["objectif_euros", "collecte_euros", "rembourse_euros"],
        format: formatOpenDataEuros,
      },
    },
  );
}

function figureRecord(f: Figures, matched: MatchedFigures) {
  return {
    periode: f.period.kind === "all" ? "depuis_lancement" : String(f.period.year),
    campagnes_lancees: f.launched,
    campagnes_reussies: f.funded,
    campagnes_non_financees: f.failed,
    campagnes_annulees: f.cancelled,
    campagnes_en_cours: f.inProgress,
    taux_reussite_pourcentage: f.successRatePercent,
    collecte_centimes: f.collectedCents,
    rembourse_centimes: f.refundedCents,
    contributions: f.contributions,
    contribution_moyenne_centimes: f.averageContributionCents,
    citoyens: f.citizens,
    commission_centimes: f.commissionCents,
    verse_porteurs_centimes: f.paidToHoldersCents,
    // What an IFP publishes each year, as the annual report's table shows it (same Figures).
    projets_recus: f.submitted,
    projets_acceptes: f.approved,
    projets_finances: f.funded,
    montant_projets_finances_centimes: f.fundedCampaignsCents,
    moyenne_par_projet_finance_centimes: f.averagePerFundedProjectCents,
    moyenne_par_contributeur_centimes: f.averagePerCitizenCents,
    // The Département's abondement, confirmed at funding: its own figure, never in collecte_centimes.
    abondement_confirme_centimes: matchedOf(matched, f),
  };
}

/** Matched money confirmed in the period (the year of its confirmation, Paris), or since launch. */
function matchedOf(matched: MatchedFigures, f: Figures): number {
  const period = f.period;
  if (period.kind === "all") return matched.totalCents;
  return matched.perYear.find((y) => y.year === period.year)?.matchedCents ?? 0;
}

export async function figuresOpenData(db: Kysely<DB>) {
  const report = await annualReport(db);
  const matched = await matchedFigures(db);
  return {
    licence: OPEN_DATA_LICENCE,
    note: "Une contribution compte pour l’année de son paiement (heure de Paris). Montants en centimes d’euro. Définition de chaque champ\u00a0: docs/open-data.md.",
    annees: report.years.map((f) => ({
      ...figureRecord(f, matched),
      par_territoire: f.byTerritory.map((t) => ({
        territoire: t.name,
        lancees: t.launched,
        reussies: t.funded,
        collecte_centimes: t.collectedCents,
      })),
      par_theme: f.byTheme.map((t) => ({
        theme: t.name,
        lancees: t.launched,
        reussies: t.funded,
        collecte_centimes: t.collectedCents,
      })),
    })),
    depuis_lancement: figureRecord(report.sinceLaunch, matched),
  };
}

export function figuresCsv(data: Awaited<ReturnType<typeof figuresOpenData>>): string {
  const records = [
    ...data.annees.map(({ par_territoire: _t, par_theme: _h, ...rest }) => rest),
    data.depuis_lancement,
  ];
  const header = [
    "periode",
    "campagnes_lancees",
    "campagnes_reussies",
    "campagnes_non_financees",
    "campagnes_annulees",
    "campagnes_en_cours",
    "taux_reussite_pourcentage",
    "collecte_euros",
    "rembourse_euros",
    "contributions",
    "contribution_moyenne_euros",
    "citoyens",
    "commission_euros",
    "verse_porteurs_euros",
    "projets_recus",
    "projets_acceptes",
    "projets_finances",
    "montant_projets_finances_euros",
    "moyenne_par_projet_finance_euros",
    "moyenne_par_contributeur_euros",
    "abondement_confirme_euros",
  ];
  return toCsv(
    header,
    records.map((r) => [
      r.periode,
      r.campagnes_lancees,
      r.campagnes_reussies,
      r.campagnes_non_financees,
      r.campagnes_annulees,
      r.campagnes_en_cours,
      r.taux_reussite_pourcentage,
      r.collecte_centimes,
      r.rembourse_centimes,
      r.contributions,
      r.contribution_moyenne_centimes,
      r.citoyens,
      r.commission_centimes,
      r.verse_porteurs_centimes,
      r.projets_recus,
      r.projets_acceptes,
      r.projets_finances,
      r.montant_projets_finances_centimes,
      r.moyenne_par_projet_finance_centimes,
      r.moyenne_par_contributeur_centimes,
      r.abondement_confirme_centimes,
    ]),
    {
      money: {
        columns: [
          "collecte_euros",
          "rembourse_euros",
          "contribution_moyenne_euros",
          "commission_euros",
          "verse_porteurs_euros",
          "montant_projets_finances_euros",
          "moyenne_par_projet_finance_euros",
          "moyenne_par_contributeur_euros",
          "abondement_confirme_euros",
        ],
        format: formatOpenDataEuros,
      },
    },
  );
}
