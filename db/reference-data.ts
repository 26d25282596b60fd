/**
 * Reference data stored in the database (territories and themes are data, not
 * code): inserted by migration 0002, read by the pages from their tables.
 */
export const TERRITORIES: ReadonlyArray<{ slug: string; name: string }> = [
  { slug: "arrageois", name: "Arrageois" },
  { slug: "artois", name: "Artois" },
  { slug: "audomarois", name: "Audomarois" },
  { slug: "boulonnais", name: "Boulonnais" },
  { slug: "calaisis", name: "Calaisis" },
  { slug: "henin-carvin", name: "Hénin-Carvin" },
  { slug: "lens-lievin", name: "Lens-Liévin" },
  { slug: "montreuillois-ternois", name: "Montreuillois-Ternois" },
];

export const THEMES: ReadonlyArray<{ slug: string; name: string }> = [
  { slug: "alimentation-circuits-courts", name: "Alimentation et circuits courts" },
  { slug: "culture", name: "Culture" },
  { slug: "environnement-transition", name: "Environnement et transition" },
  { slug: "insertion-emploi", name: "Insertion et emploi" },
  { slug: "solidarite-lien-social", name: "Solidarité et lien social" },
  { slug: "sante-handicap", name: "Santé et handicap" },
  { slug: "education-jeunesse", name: "Éducation et jeunesse" },
  { slug: "mobilite", name: "Mobilité" },
  { slug: "habitat", name: "Habitat" },
  { slug: "economie-circulaire", name: "Économie circulaire" },
];
