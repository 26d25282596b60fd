/**
 * Demo data for Propulsons — the Pas-de-Calais crowdfunding platform for
 * social and solidarity economy (ESS) projects.
 *
 * A) The ten campaigns of the 2024 activity report (outcome "funded").
 *    Collected: 3135 + 3512 + 6120 + 7220 + 4020 + 4910 + 3060 + 10221 + 4010 + 10730 = 56 938 €
 *    Contributions: 40 + 48 + 72 + 85 + 52 + 58 + 38 + 120 + 50 + 123 = 686
 *    The organizations are real structures: descriptions stay generic and
 *    positive; holders, emails and registration numbers are fictitious.
 * B) Eight live campaigns (relative dates), invented organizations.
 * C) One failed campaign from 2025, invented organization.
 */
import type { SeedCampaign } from "./types";

export const seedCampaigns: SeedCampaign[] = [
  // ---------------------------------------------------------------------------
  // A) 2024 activity report — funded campaigns
  // ---------------------------------------------------------------------------
  {
    slug: "archiverre-atelier-bourthes",
    title: "Archiverre Atelier : donner une seconde vie au verre à Bourthes",
    summary:
      "Un atelier du Haut-Pays transforme bouteilles et bocaux en objets du quotidien. La collecte finance un nouvel équipement de découpe et de polissage.",
    story: `Au cœur du Haut-Pays, Archiverre Atelier récupère le verre qui finirait au conteneur — bouteilles, bocaux, pots — pour le transformer en verres, carafes, luminaires et petits objets de décoration.

## Pourquoi nous avons besoin de vous

Aujourd’hui, une grande partie du travail se fait à la main, avec du matériel d’appoint. Pour produire davantage et ouvrir l’atelier au public, il faut s’équiper :

- une machine de découpe du verre plus précise ;
- un poste de polissage des bords ;
- des outils et des protections pour accueillir des stagiaires.

Chaque objet vendu, c’est du verre réemployé sur place plutôt que transporté et refondu, et un savoir-faire qui se transmet près de chez vous.

Merci de faire circuler la campagne autour de vous : chaque contribution compte, même la plus petite !`,
    organization: {
      name: "Archiverre Atelier",
      legalForm: "entreprise_ess",
      registrationNumber: "84213567900018",
      town: "Bourthes",
      territory: "montreuillois-ternois",
      holder: { displayName: "Élodie Caron", email: "elodie.caron@example.org" },
    },
    territory: "montreuillois-ternois",
    theme: "economie-circulaire",
    goalEuros: 3000,
    outcome: "funded",
    collectedEuros: 3135,
    contributionsCount: 40,
    dates: { kind: "fixed", startDate: "2024-02-01", endDate: "2024-03-28" },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Machine de découpe du verre", euros: 1500 },
      { label: "Poste de polissage des bords", euros: 900 },
      { label: "Outillage et équipements de protection", euros: 600 },
    ],
    expectedResults: `- Doubler la capacité de production de l’atelier
- Proposer des ateliers découverte ouverts au public
- Réemployer localement plusieurs centaines de kilos de verre chaque année`,
    timetable: `- Avril 2024 : commande de la machine de découpe
- Mai 2024 : installation et réglage du poste de polissage
- Juin 2024 : premiers ateliers découverte
- Septembre 2024 : nouvelle gamme d’objets en vente`,
    rewards: [
      {
        title: "Un verre gravé",
        description: "Un verre taillé dans une bouteille récupérée, gravé du logo de l’atelier.",
        minimumEuros: 15,
        stock: null,
        taken: 18,
      },
      {
        title: "Une carafe upcyclée",
        description: "Une carafe unique, découpée et polie à la main à Bourthes.",
        minimumEuros: 50,
        stock: 30,
        taken: 12,
      },
      {
        title: "Atelier découverte",
        description: "Une demi-journée à l’atelier pour fabriquer votre propre objet en verre.",
        minimumEuros: 120,
        stock: 10,
        taken: 4,
      },
    ],
    supportMessages: [
      "Bravo pour cette belle initiative, le verre a de l’avenir dans le Haut-Pays !",
      "J’ai hâte de venir à un atelier découverte.",
      "Du réemploi concret et local, on adore.",
    ],
  },
  {
    slug: "les-ailes-du-tdah-arras",
    title: "Les Ailes du TDAH : un lieu d’écoute pour les familles",
    summary:
      "L’association arrageoise accompagne les enfants, les adultes et les familles concernés par le TDAH. La collecte finance des ateliers et des outils pour les groupes de parole.",
    story: `Quand un enfant ou un adulte vit avec un trouble du déficit de l’attention avec ou sans hyperactivité (TDAH), c’est souvent toute la famille qui cherche des repères. Les Ailes du TDAH propose à Arras un espace pour en parler, sans jugement.

## Ce que votre soutien permet

L’association souhaite développer ses rencontres et mieux outiller les familles :

- des groupes de parole réguliers pour les parents ;
- des ateliers ludiques pour les enfants ;
- des guides pratiques à emporter à la maison.

Les bénévoles de l’association savent combien il est précieux de se sentir compris. Avec votre aide, davantage de familles de l’Arrageois pourront trouver une oreille attentive et des conseils concrets.

Merci de déployer vos ailes avec nous !`,
    organization: {
      name: "Les Ailes du TDAH",
      legalForm: "association",
      registrationNumber: "W623012457",
      town: "Arras",
      territory: "arrageois",
      holder: { displayName: "Nathalie Deprez", email: "nathalie.deprez@example.org" },
    },
    territory: "arrageois",
    theme: "sante-handicap",
    goalEuros: 3500,
    outcome: "funded",
    collectedEuros: 3512,
    contributionsCount: 48,
    dates: { kind: "fixed", startDate: "2024-03-15", endDate: "2024-04-30" },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Animation d’ateliers et de groupes de parole", euros: 1800 },
      { label: "Outils pédagogiques et jeux sensoriels", euros: 900 },
      { label: "Impression de guides pratiques pour les familles", euros: 500 },
      { label: "Location de salle", euros: 300 },
    ],
    expectedResults: `- Un groupe de parole mensuel pour les parents
- Des ateliers ludiques pour les enfants pendant les vacances scolaires
- Un guide pratique remis à chaque famille accueillie`,
    timetable: `- Mai 2024 : achat des outils pédagogiques
- Juin 2024 : impression des guides pratiques
- Septembre 2024 : reprise des groupes de parole mensuels
- Octobre 2024 : premiers ateliers enfants des vacances`,
    rewards: [
      {
        title: "Une carte de remerciement",
        description: "Une carte illustrée par les enfants accompagnés par l’association.",
        minimumEuros: 10,
        stock: null,
        taken: 20,
      },
      {
        title: "Le guide pratique des familles",
        description: "Un exemplaire du guide pratique, avec un mot de l’équipe.",
        minimumEuros: 40,
        stock: null,
        taken: 15,
      },
    ],
    supportMessages: [
      "Merci pour tout ce que vous faites pour les familles.",
      "Maman d’un petit garçon TDAH, je sais à quel point c’est important. Courage !",
      "Belle initiative, longue vie à l’association.",
    ],
  },
  {
    slug: "librairie-cafe-a-la-ligne-boulogne",
    title: "Librairie-café « À la ligne » : un coin lecture pour toutes et tous",
    summary:
      "Une librairie-café boulonnaise où l’on vient lire, échanger et boire un café. La collecte finance l’aménagement d’un coin lecture et un fonds jeunesse.",
    story: `À Boulogne-sur-Mer, « À la ligne » réunit une librairie et un café : on y feuillette un roman, on y discute d’un album jeunesse, on y croise ses voisins autour d’une boisson chaude.

## Un coin lecture ouvert à tous

Nous voulons aménager un vrai coin lecture, confortable et accueillant, où l’on peut s’installer sans obligation d’achat. Votre contribution financera :

- des fauteuils, des étagères et un éclairage adapté ;
- un fonds de livres jeunesse et de bandes dessinées à consulter sur place ;
- des rencontres avec des auteurs et autrices de la région.

Un lieu de culture de proximité, c’est un lieu où l’on se sent chez soi. Merci de nous aider à aller à la ligne… et à écrire la suite ensemble !`,
    organization: {
      name: "Librairie-café « À la ligne »",
      legalForm: "entreprise_ess",
      registrationNumber: "89045123600027",
      town: "Boulogne-sur-Mer",
      territory: "boulonnais",
      holder: { displayName: "Julien Lemaire", email: "julien.lemaire@example.org" },
    },
    territory: "boulonnais",
    theme: "culture",
    goalEuros: 6000,
    outcome: "funded",
    collectedEuros: 6120,
    contributionsCount: 72,
    dates: { kind: "fixed", startDate: "2024-04-10", endDate: "2024-05-31" },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Mobilier et aménagement du coin lecture", euros: 2800 },
      { label: "Fonds de livres jeunesse et bandes dessinées", euros: 1800 },
      { label: "Machine à café et petit équipement", euros: 1000 },
      { label: "Programme de rencontres avec des auteurs", euros: 400 },
    ],
    expectedResults: `- Un coin lecture en accès libre, ouvert aux familles et aux scolaires
- Une rencontre d’auteur ou d’autrice chaque mois
- Un fonds jeunesse de plusieurs centaines de titres à consulter sur place`,
    timetable: `- Juin 2024 : commande du mobilier et des premiers livres
- Juillet 2024 : travaux d’aménagement
- Septembre 2024 : inauguration du coin lecture
- Octobre 2024 : première rencontre d’auteur`,
    rewards: [
      {
        title: "Marque-page et café offert",
        description: "Un marque-page illustré et un café à déguster sur place.",
        minimumEuros: 15,
        stock: null,
        taken: 25,
      },
      {
        title: "Le coup de cœur des libraires",
        description: "Un livre choisi pour vous par l’équipe, avec un petit mot.",
        minimumEuros: 40,
        stock: null,
        taken: 22,
      },
      {
        title: "Votre nom sur une étagère",
        description: "Votre nom inscrit sur une étagère du coin lecture, et une invitation à l’inauguration.",
        minimumEuros: 100,
        stock: 30,
        taken: 9,
      },
    ],
    supportMessages: [
      "Un lieu comme ça manquait à Boulogne, bravo !",
      "Hâte de venir lire dans le nouveau coin lecture avec mes enfants.",
      "Longue vie à « À la ligne » !",
      "Les librairies indépendantes, c’est essentiel.",
    ],
  },
  {
    slug: "herboristerie-notre-dame-boulogne",
    title: "Herboristerie Notre-Dame : des plantes locales au cœur de Boulogne",
    summary:
      "Une herboristerie boulonnaise qui travaille avec des cueilleurs et producteurs de plantes de la région. La collecte finance le séchage, le conditionnement et l’espace de vente.",
    story: `Dans le quartier Notre-Dame, l’Herboristerie propose des tisanes, des plantes aromatiques et des mélanges préparés sur place, en privilégiant les producteurs et cueilleurs de la région.

## Des plantes d’ici, en circuit court

Pour travailler davantage avec les producteurs locaux, l’herboristerie doit pouvoir sécher et conditionner elle-même une partie des plantes. La collecte servira à :

- acquérir un séchoir et du matériel de conditionnement ;
- réaménager l’espace de vente pour mieux présenter les plantes ;
- passer à des emballages réutilisables et consignés.

Chaque achat soutient ainsi une filière courte, de la parcelle jusqu’à votre tasse.

Merci de contribuer à faire pousser ce projet au cœur de Boulogne !`,
    organization: {
      name: "Herboristerie Notre-Dame",
      legalForm: "entreprise_ess",
      registrationNumber: "90312876500014",
      town: "Boulogne-sur-Mer",
      territory: "boulonnais",
      holder: { displayName: "Claire Dumont", email: "claire.dumont@example.org" },
    },
    territory: "boulonnais",
    theme: "alimentation-circuits-courts",
    goalEuros: 7000,
    outcome: "funded",
    collectedEuros: 7220,
    contributionsCount: 85,
    dates: { kind: "fixed", startDate: "2024-05-06", endDate: "2024-06-20" },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Séchoir et matériel de conditionnement", euros: 3200 },
      { label: "Aménagement de l’espace de vente", euros: 2300 },
      { label: "Ateliers et supports de découverte des plantes", euros: 900 },
      { label: "Emballages réutilisables", euros: 600 },
    ],
    expectedResults: `- Davantage de plantes achetées directement à des producteurs de la région
- Des ateliers de découverte des plantes aromatiques ouverts à tous
- Des emballages réutilisables pour la majorité des ventes`,
    timetable: `- Juillet 2024 : achat du séchoir et du matériel de conditionnement
- Août 2024 : premières récoltes séchées sur place
- Septembre 2024 : réaménagement de l’espace de vente
- Novembre 2024 : lancement des ateliers de découverte`,
    rewards: [
      {
        title: "Un sachet de tisane",
        description: "Un mélange de saison préparé à l’herboristerie.",
        minimumEuros: 15,
        stock: null,
        taken: 30,
      },
      {
        title: "Un coffret de tisanes",
        description: "Trois mélanges de plantes locales dans un coffret réutilisable.",
        minimumEuros: 45,
        stock: null,
        taken: 25,
      },
      {
        title: "Atelier découverte des plantes",
        description:
          "Un atelier de deux heures pour apprendre à reconnaître et préparer les plantes aromatiques.",
        minimumEuros: 90,
        stock: 24,
        taken: 10,
      },
    ],
    supportMessages: [
      "Cliente fidèle, ravie de soutenir l’herboristerie !",
      "Bravo pour le choix des producteurs locaux.",
      "Vivement l’atelier découverte.",
    ],
  },
  {
    slug: "les-semeurs-d-envies-richebourg",
    title: "Les semeurs d’envies : cultiver le lien à Richebourg",
    summary:
      "Une association de Richebourg qui rassemble les habitants autour d’activités partagées. La collecte finance des équipements et des ateliers intergénérationnels.",
    story: `À Richebourg, Les semeurs d’envies fait ce que son nom promet : semer des idées, des rencontres et des projets entre habitants de tous les âges.

## Un projet à partager

Pour accueillir davantage de monde et proposer des activités toute l’année, l’association a besoin d’équipements durables :

- un abri et des outils partagés ;
- des bacs surélevés, accessibles aux personnes âgées ou à mobilité réduite ;
- des ateliers intergénérationnels animés tout au long de l’année.

Ici, chacun apporte ce qu’il sait faire, et chacun repart avec un peu plus qu’en arrivant.

Merci de semer avec nous : votre contribution, c’est une graine de plus !`,
    organization: {
      name: "Les semeurs d’envies",
      legalForm: "association",
      registrationNumber: "W626004318",
      town: "Richebourg",
      territory: "artois",
      holder: { displayName: "Martine Leroy", email: "martine.leroy@example.org" },
    },
    territory: "artois",
    theme: "solidarite-lien-social",
    goalEuros: 4000,
    outcome: "funded",
    collectedEuros: 4020,
    contributionsCount: 52,
    dates: { kind: "fixed", startDate: "2024-06-03", endDate: "2024-07-14" },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Abri et outils partagés", euros: 1800 },
      { label: "Bacs surélevés accessibles", euros: 1200 },
      { label: "Animation d’ateliers intergénérationnels", euros: 1000 },
    ],
    expectedResults: `- Des activités partagées chaque semaine, ouvertes à tous les habitants
- Des équipements accessibles aux personnes âgées et à mobilité réduite
- Des liens renforcés entre générations dans la commune`,
    timetable: `- Août 2024 : installation de l’abri et achat des outils
- Septembre 2024 : fabrication des bacs surélevés avec les habitants
- Octobre 2024 : lancement des ateliers intergénérationnels
- Printemps 2025 : première fête des semeurs`,
    rewards: [
      {
        title: "Un sachet de graines",
        description: "Des graines récoltées et ensachées par les membres de l’association.",
        minimumEuros: 10,
        stock: null,
        taken: 22,
      },
      {
        title: "Un panier de saison",
        description: "Un panier de légumes et de petites douceurs préparé par les bénévoles.",
        minimumEuros: 30,
        stock: 40,
        taken: 14,
      },
    ],
    supportMessages: [
      "Bravo pour cette belle initiative !",
      "Fière d’habiter une commune avec des projets pareils.",
      "Je viendrai donner un coup de main aux ateliers.",
    ],
  },
  {
    slug: "ferme-de-l-epaulle-fressin",
    title: "Ferme de l’Épaulle : vendre en direct à Fressin",
    summary:
      "Une ferme du Ternois qui développe la vente directe de ses produits. La collecte finance une chambre froide et l’aménagement d’un point de vente à la ferme.",
    story: `À Fressin, la Ferme de l’Épaulle veut rapprocher encore davantage ses produits des habitants du territoire, sans intermédiaire.

## Un point de vente à la ferme

Pour bien conserver les produits et accueillir les clients dans de bonnes conditions, la ferme doit s’équiper :

- une chambre froide d’occasion ;
- un espace de vente aménagé et accueillant ;
- des caisses et un étiquetage clair pour les produits.

Acheter à la ferme, c’est connaître l’origine de ce que l’on mange, soutenir l’agriculture locale et limiter les transports.

Merci de votre soutien, et au plaisir de vous accueillir à la ferme !`,
    organization: {
      name: "Ferme de l’Épaulle",
      legalForm: "entreprise_ess",
      registrationNumber: "82567134900031",
      town: "Fressin",
      territory: "montreuillois-ternois",
      holder: { displayName: "Thomas Delattre", email: "thomas.delattre@example.org" },
    },
    territory: "montreuillois-ternois",
    theme: "alimentation-circuits-courts",
    goalEuros: 4500,
    outcome: "funded",
    collectedEuros: 4910,
    contributionsCount: 58,
    dates: { kind: "fixed", startDate: "2024-07-05", endDate: "2024-08-31" },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Chambre froide d’occasion", euros: 2500 },
      { label: "Aménagement du point de vente à la ferme", euros: 1400 },
      { label: "Caisses et étiquetage", euros: 600 },
    ],
    expectedResults: `- Un point de vente ouvert chaque semaine à la ferme
- Des produits mieux conservés et moins de pertes
- Davantage de ventes en direct auprès des habitants du Ternois`,
    timetable: `- Septembre 2024 : installation de la chambre froide
- Octobre 2024 : travaux d’aménagement du point de vente
- Novembre 2024 : ouverture du point de vente à la ferme`,
    rewards: [
      {
        title: "Panier découverte",
        description: "Un panier de produits de la ferme à retirer sur place.",
        minimumEuros: 20,
        stock: null,
        taken: 20,
      },
      {
        title: "Colis fermier",
        description: "Un colis garni de produits de saison de la ferme.",
        minimumEuros: 50,
        stock: 40,
        taken: 15,
      },
      {
        title: "Visite et repas à la ferme",
        description: "Une visite commentée de la ferme suivie d’un repas préparé avec ses produits.",
        minimumEuros: 100,
        stock: 15,
        taken: 5,
      },
    ],
    supportMessages: [
      "Vive les circuits courts !",
      "On viendra faire nos courses à la ferme, c’est promis.",
      "Bravo pour votre travail et bonne continuation.",
      "Ravi de soutenir une ferme du Ternois.",
    ],
  },
  {
    slug: "potentiel-en-mains-etaing",
    title: "Potentiel-en-mains : des ateliers pour reprendre confiance et trouver sa voie",
    summary:
      "Une association d’Étaing qui accompagne des personnes éloignées de l’emploi grâce à des ateliers manuels. La collecte finance l’outillage et l’encadrement.",
    story: `Reprendre confiance en soi passe parfois par les mains. À Étaing, Potentiel-en-mains propose des ateliers manuels à des personnes éloignées de l’emploi, pour révéler des savoir-faire et ouvrir de nouvelles pistes.

## Équiper l’atelier

Pour accueillir plus de participants et diversifier les activités, l’association a besoin :

- d’outillage pour l’atelier ;
- de former ses encadrants bénévoles ;
- de matières premières pour les réalisations ;
- d’aider aux déplacements des participants, dans un territoire rural.

Chaque objet fabriqué en atelier est une petite victoire, et parfois le premier pas vers une formation ou un emploi.

Merci de croire avec nous au potentiel de chacun !`,
    organization: {
      name: "Potentiel-en-mains",
      legalForm: "association",
      registrationNumber: "W622008735",
      town: "Étaing",
      territory: "arrageois",
      holder: { displayName: "Karim Benali", email: "karim.benali@example.org" },
    },
    territory: "arrageois",
    theme: "insertion-emploi",
    goalEuros: 3000,
    outcome: "funded",
    collectedEuros: 3060,
    contributionsCount: 38,
    dates: { kind: "fixed", startDate: "2024-08-26", endDate: "2024-09-30" },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Outillage pour l’atelier", euros: 1400 },
      { label: "Formation des encadrants bénévoles", euros: 800 },
      { label: "Matières premières", euros: 500 },
      { label: "Aide aux déplacements des participants", euros: 300 },
    ],
    expectedResults: `- Une douzaine de participants accueillis chaque trimestre
- Des parcours vers la formation ou l’emploi pour une partie d’entre eux
- Un atelier mieux équipé et plus sûr`,
    timetable: `- Octobre 2024 : achat de l’outillage
- Novembre 2024 : formation des encadrants bénévoles
- Janvier 2025 : nouvelle session d’ateliers
- Juin 2025 : bilan et exposition des réalisations`,
    rewards: [
      {
        title: "Carte de remerciement",
        description: "Une carte réalisée par les participants des ateliers.",
        minimumEuros: 10,
        stock: null,
        taken: 15,
      },
      {
        title: "Un objet fabriqué en atelier",
        description: "Une petite réalisation de l’atelier (porte-clés, dessous-de-plat…), unique.",
        minimumEuros: 50,
        stock: 25,
        taken: 10,
      },
    ],
    supportMessages: [
      "Un beau projet humain, bravo à toute l’équipe.",
      "Tout le monde a du potentiel, merci de le montrer.",
    ],
  },
  {
    slug: "le-toit-commun-lens",
    title: "Le Toit Commun : un lieu partagé pour habiter autrement à Lens",
    summary:
      "Un projet lensois qui fait de l’habitat un lieu de partage et d’entraide. La collecte finance la rénovation d’une salle commune et d’une cuisine partagée.",
    story: `À Lens, Le Toit Commun porte une idée simple : habiter, ce n’est pas seulement avoir un toit, c’est aussi partager des espaces, des repas et des coups de main avec ses voisins.

## Une salle commune pour tous

Le cœur du projet, c’est une salle commune à rénover, avec une cuisine partagée. Votre contribution financera :

- les travaux de rénovation de la salle ;
- l’équipement d’une cuisine partagée ;
- du mobilier de récupération ou de seconde main ;
- l’accessibilité aux personnes à mobilité réduite.

Cette salle accueillera des repas partagés, des réunions d’habitants, des ateliers et des moments de convivialité ouverts au quartier.

Merci de bâtir ce toit commun avec nous !`,
    organization: {
      name: "Le Toit Commun",
      legalForm: "association",
      registrationNumber: "W624011596",
      town: "Lens",
      territory: "lens-lievin",
      holder: { displayName: "Sophie Wallart", email: "sophie.wallart@example.org" },
    },
    territory: "lens-lievin",
    theme: "habitat",
    goalEuros: 10000,
    outcome: "funded",
    collectedEuros: 10221,
    contributionsCount: 120,
    dates: { kind: "fixed", startDate: "2024-09-02", endDate: "2024-10-27" },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Travaux de rénovation de la salle commune", euros: 5200 },
      { label: "Équipement de la cuisine partagée", euros: 2600 },
      { label: "Mobilier", euros: 1400 },
      { label: "Aménagements d’accessibilité", euros: 800 },
    ],
    expectedResults: `- Une salle commune rénovée et accessible
- Des repas partagés et des ateliers chaque mois
- Un lieu ouvert aux habitants du quartier`,
    timetable: `- Novembre 2024 : début des travaux de rénovation
- Janvier 2025 : installation de la cuisine partagée
- Mars 2025 : aménagement et mobilier
- Avril 2025 : inauguration de la salle commune`,
    rewards: [
      {
        title: "Invitation à l’inauguration",
        description: "Votre invitation à l’inauguration de la salle commune.",
        minimumEuros: 20,
        stock: null,
        taken: 45,
      },
      {
        title: "Un repas partagé",
        description: "Une place à l’un des premiers repas partagés dans la nouvelle cuisine.",
        minimumEuros: 60,
        stock: null,
        taken: 30,
      },
      {
        title: "Plaque des bâtisseurs",
        description: "Votre nom gravé sur la plaque des bâtisseurs, à l’entrée de la salle commune.",
        minimumEuros: 150,
        stock: 30,
        taken: 12,
      },
    ],
    supportMessages: [
      "Habiter autrement, c’est possible : bravo !",
      "Un projet qui fait du bien au quartier.",
      "Hâte de partager un repas dans la nouvelle salle.",
      "Bravo pour cette belle initiative !",
      "Fier de soutenir un projet lensois.",
    ],
  },
  {
    slug: "idees-chouettes-bethune",
    title: "Idées Chouettes : des ateliers créatifs pour les enfants de Béthune",
    summary:
      "Une association béthunoise qui éveille la curiosité des enfants par des ateliers créatifs et scientifiques. La collecte finance du matériel et des malles pédagogiques.",
    story: `Chez Idées Chouettes, on apprend en s’amusant : bricolage, petites expériences, jeux de construction… À Béthune, l’association propose aux enfants des ateliers où la curiosité est toujours la bienvenue.

## Des malles pleines d’idées

Pour aller à la rencontre des enfants là où ils sont — écoles, centres de loisirs, quartiers — l’association veut créer des malles pédagogiques itinérantes. La collecte financera :

- du matériel créatif et scientifique ;
- la fabrication de malles thématiques ;
- l’animation d’ateliers pendant les vacances scolaires.

Chaque atelier est pensé pour que tous les enfants puissent participer, quels que soient leur âge et leurs envies.

Merci de donner des ailes aux idées chouettes !`,
    organization: {
      name: "Idées Chouettes",
      legalForm: "association",
      registrationNumber: "W621009842",
      town: "Béthune",
      territory: "artois",
      holder: { displayName: "Aurélie Fontaine", email: "aurelie.fontaine@example.org" },
    },
    territory: "artois",
    theme: "education-jeunesse",
    goalEuros: 4000,
    outcome: "funded",
    collectedEuros: 4010,
    contributionsCount: 50,
    dates: { kind: "fixed", startDate: "2024-10-07", endDate: "2024-11-22" },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Matériel créatif et scientifique", euros: 1600 },
      { label: "Malles pédagogiques itinérantes", euros: 1200 },
      { label: "Animation d’ateliers pendant les vacances", euros: 1200 },
    ],
    expectedResults: `- Trois malles pédagogiques prêtes à circuler
- Des ateliers à chaque période de vacances scolaires
- Plusieurs centaines d’enfants touchés sur l’année`,
    timetable: `- Décembre 2024 : achat du matériel
- Janvier 2025 : fabrication des malles thématiques
- Février 2025 : premiers ateliers des vacances d’hiver
- Printemps 2025 : tournée des malles dans les écoles`,
    rewards: [
      {
        title: "Un dessin des enfants",
        description: "Un dessin original réalisé par les enfants pendant les ateliers.",
        minimumEuros: 10,
        stock: null,
        taken: 20,
      },
      {
        title: "Atelier parent-enfant",
        description: "Une place pour un atelier créatif à partager avec votre enfant.",
        minimumEuros: 35,
        stock: 30,
        taken: 14,
      },
    ],
    supportMessages: [
      "Mes enfants adorent vos ateliers, merci !",
      "Des idées vraiment chouettes, bravo.",
      "Bonne route aux malles pédagogiques.",
    ],
  },
  {
    slug: "la-salamandre-boulogne",
    title: "La Salamandre : faire vivre la scène culturelle boulonnaise",
    summary:
      "Un lieu culturel associatif de Boulogne-sur-Mer qui accueille concerts, spectacles et rencontres. La collecte finance du matériel son et lumière et l’aménagement de la salle.",
    story: `La Salamandre, c’est un lieu où l’on vient écouter, regarder, créer et se retrouver. À Boulogne-sur-Mer, l’association fait vivre une programmation ouverte aux artistes de la région et aux publics de tous horizons.

## Une salle mieux équipée

Pour accueillir les artistes et le public dans de bonnes conditions, la salle a besoin d’être équipée et réaménagée. La collecte financera :

- un système son et lumière adapté aux concerts et aux spectacles ;
- l’aménagement de la salle ;
- la programmation d’artistes locaux.

Un lieu culturel de proximité, c’est une scène pour les artistes qui débutent, des soirées à prix doux et des rencontres qui n’auraient pas eu lieu ailleurs.

Merci de faire vivre la culture à Boulogne avec nous !`,
    organization: {
      name: "La Salamandre",
      legalForm: "association",
      registrationNumber: "W623015274",
      town: "Boulogne-sur-Mer",
      territory: "boulonnais",
      holder: { displayName: "Maxime Duhamel", email: "maxime.duhamel@example.org" },
    },
    territory: "boulonnais",
    theme: "culture",
    goalEuros: 10000,
    outcome: "funded",
    collectedEuros: 10730,
    contributionsCount: 123,
    dates: { kind: "fixed", startDate: "2024-10-21", endDate: "2024-12-15" },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Système son et lumière", euros: 4800 },
      { label: "Aménagement de la salle", euros: 3000 },
      { label: "Programmation d’artistes locaux", euros: 2200 },
    ],
    expectedResults: `- Une salle équipée pour les concerts et les spectacles
- Une programmation régulière d’artistes de la région
- Des soirées accessibles à prix doux`,
    timetable: `- Janvier 2025 : installation du système son et lumière
- Février 2025 : travaux d’aménagement de la salle
- Mars 2025 : soirée de réouverture
- Printemps 2025 : nouvelle saison d’artistes locaux`,
    rewards: [
      {
        title: "L’affiche de la saison",
        description: "L’affiche de la saison, imprimée en série limitée.",
        minimumEuros: 15,
        stock: null,
        taken: 40,
      },
      {
        title: "Deux places de spectacle",
        description: "Deux places pour la soirée de votre choix.",
        minimumEuros: 40,
        stock: null,
        taken: 35,
      },
      {
        title: "Carte de membre bienfaiteur",
        description:
          "Une carte de membre bienfaiteur pour la saison, avec invitation à la soirée de réouverture.",
        minimumEuros: 100,
        stock: 40,
        taken: 15,
      },
    ],
    supportMessages: [
      "La Salamandre, c’est l’âme de Boulogne !",
      "Merci pour toutes ces belles soirées.",
      "Longue vie à la Salamandre.",
      "Bravo aux bénévoles qui font vivre ce lieu.",
    ],
  },

  // ---------------------------------------------------------------------------
  // B) Live campaigns (relative dates)
  // ---------------------------------------------------------------------------
  {
    slug: "atelier-velo-solidaire-calais",
    title: "Un atelier vélo solidaire au cœur de Calais",
    summary:
      "Roue Libre Calaisienne veut ouvrir un atelier où chacun apprend à réparer son vélo et où des vélos reconditionnés sont remis à des personnes qui en ont besoin.",
    story: `À Calais, beaucoup de vélos dorment dans les garages faute d’une chambre à air ou d’un réglage de freins. Pendant ce temps, des habitants renoncent à un emploi ou à une formation faute de moyen de transport.

## Réparer, apprendre, partager

Roue Libre Calaisienne veut ouvrir un atelier vélo solidaire où :

- chacun peut venir réparer son vélo, accompagné par des bénévoles ;
- des vélos donnés sont reconditionnés puis remis à des personnes en recherche d’emploi ou à des étudiants ;
- des ateliers d’apprentissage sont proposés aux jeunes du quartier.

Le local est trouvé ; il reste à l’équiper en outils et en pièces détachées.

Chaque euro nous aide à remettre un vélo sur la route. Merci de pédaler avec nous !`,
    organization: {
      name: "Roue Libre Calaisienne",
      legalForm: "association",
      registrationNumber: "W624018361",
      town: "Calais",
      territory: "calaisis",
      holder: { displayName: "Yanis Boucher", email: "yanis.boucher@example.org" },
    },
    territory: "calaisis",
    theme: "mobilite",
    goalEuros: 6000,
    outcome: "live",
    collectedEuros: 4380,
    contributionsCount: 71,
    dates: { kind: "relative", startOffsetDays: -30, endOffsetDays: 12 },
    budgetCitoyenYear: 2026,
    fundLines: [
      { label: "Outillage et établis de l’atelier", euros: 2200 },
      { label: "Pièces détachées", euros: 1500 },
      { label: "Vélos à reconditionner (rachat et collecte)", euros: 1300 },
      { label: "Animation d’ateliers d’autoréparation", euros: 1000 },
    ],
    expectedResults: `- Un atelier ouvert deux soirs par semaine et le samedi
- Une cinquantaine de vélos reconditionnés et remis la première année
- Des ateliers d’autoréparation pour les jeunes du quartier`,
    timetable: `- Fin de la collecte : commande de l’outillage et des pièces
- Le mois suivant : installation de l’atelier avec les bénévoles
- Deux mois après la collecte : ouverture au public
- Six mois après la collecte : premier bilan des vélos remis`,
    rewards: [
      {
        title: "Autocollant et merci",
        description: "Un autocollant Roue Libre pour votre cadre et nos remerciements chaleureux.",
        minimumEuros: 10,
        stock: null,
        taken: 20,
      },
      {
        title: "Révision de votre vélo",
        description: "Une révision complète de votre vélo à l’atelier (hors pièces).",
        minimumEuros: 25,
        stock: null,
        taken: 25,
      },
      {
        title: "Atelier mécanique en petit groupe",
        description: "Deux heures pour apprendre à entretenir votre vélo, en petit groupe.",
        minimumEuros: 50,
        stock: 30,
        taken: 12,
      },
      {
        title: "Un vélo offert à une famille",
        description:
          "Vous financez le reconditionnement d’un vélo remis à une famille, et vous êtes invité à la remise.",
        minimumEuros: 120,
        stock: null,
        taken: 5,
      },
    ],
    supportMessages: [
      "Bravo pour cette belle initiative !",
      "Enfin un atelier vélo à Calais, je viendrai réparer le mien.",
      "Le vélo, c’est la liberté. Merci !",
      "Très heureuse de voir ce projet labellisé Budget Citoyen.",
    ],
  },
  {
    slug: "recyclerie-bassin-avenir-henin-beaumont",
    title: "Une recyclerie coopérative pour Hénin-Beaumont",
    summary:
      "La SCIC Bassin d’Avenir collecte, répare et revend à petits prix meubles, électroménager et objets du quotidien. La collecte finance un camion et un atelier de réparation.",
    story: `Un meuble jeté, c’est souvent un meuble qui pourrait encore servir. À Hénin-Beaumont, la SCIC Bassin d’Avenir donne une seconde vie aux objets et crée des emplois locaux.

## Collecter, réparer, revendre

Nous avons besoin de nous équiper pour passer à la vitesse supérieure :

- un camion utilitaire d’occasion pour collecter chez les habitants ;
- des rayonnages pour la boutique ;
- un atelier de réparation de petit électroménager.

En tant que coopérative, Bassin d’Avenir associe salariés, bénévoles, habitants et partenaires locaux aux décisions. Vous pouvez d’ailleurs devenir sociétaire !

Merci de soutenir le réemploi dans le Bassin minier.`,
    organization: {
      name: "SCIC Bassin d’Avenir",
      legalForm: "scic",
      registrationNumber: "91876543200016",
      town: "Hénin-Beaumont",
      territory: "henin-carvin",
      holder: { displayName: "Sabrina Delcourt", email: "sabrina.delcourt@example.org" },
    },
    territory: "henin-carvin",
    theme: "economie-circulaire",
    goalEuros: 12000,
    outcome: "live",
    collectedEuros: 3150,
    contributionsCount: 50,
    dates: { kind: "relative", startOffsetDays: -10, endOffsetDays: 35 },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Camion utilitaire d’occasion", euros: 6500 },
      { label: "Rayonnages et aménagement de la boutique", euros: 2800 },
      { label: "Atelier de réparation d’électroménager", euros: 1900 },
      { label: "Signalétique et communication", euros: 800 },
    ],
    expectedResults: `- Des collectes à domicile chaque semaine dans le Bassin minier
- Plusieurs tonnes d’objets réemployés chaque année
- Deux emplois supplémentaires créés au sein de la coopérative`,
    timetable: `- Fin de la collecte : achat du camion
- Le mois suivant : installation des rayonnages
- Trois mois après la collecte : ouverture de l’atelier de réparation
- Un an après : premier bilan des tonnes réemployées`,
    rewards: [
      {
        title: "Bon d’achat à la boutique",
        description: "Un bon d’achat de 10 € à utiliser à la boutique de la recyclerie.",
        minimumEuros: 15,
        stock: null,
        taken: 18,
      },
      {
        title: "Atelier relooking de meuble",
        description: "Une séance pour apprendre à relooker un petit meuble, matériel fourni.",
        minimumEuros: 40,
        stock: 15,
        taken: 8,
      },
      {
        title: "Mur des bâtisseurs",
        description: "Votre nom sur le mur des bâtisseurs de la boutique et un bon d’achat de 30 €.",
        minimumEuros: 100,
        stock: null,
        taken: 6,
      },
    ],
    supportMessages: [
      "Le réemploi, c’est l’avenir du Bassin minier !",
      "J’ai hâte de chiner dans votre boutique.",
      "Belle coopérative, je deviens sociétaire.",
    ],
  },
  {
    slug: "jardin-partage-des-marais-saint-omer",
    title: "Un jardin partagé au bord des marais de Saint-Omer",
    summary:
      "Un collectif d’habitants aménage un jardin partagé économe en eau près du marais audomarois. La collecte finance récupérateurs d’eau, composteurs et semences.",
    story: `Tout a commencé par une discussion entre voisins : pourquoi ne pas cultiver ensemble cette parcelle en friche, à deux pas du marais ?

## Un jardin sobre et ouvert

Le collectif Les Mains dans la Terre veut créer un jardin partagé respectueux de son environnement :

- récupérer l’eau de pluie pour arroser ;
- composter les déchets verts du quartier ;
- cultiver des variétés locales et adaptées au climat.

Le jardin sera ouvert à tous, avec des ateliers pour les enfants et des temps de récolte partagés.

Grâce à vous, l’objectif est déjà atteint ! Chaque euro supplémentaire servira à installer un deuxième composteur collectif et à acheter des outils adaptés aux enfants.`,
    organization: {
      name: "Collectif Les Mains dans la Terre",
      legalForm: "collectif",
      registrationNumber: null,
      town: "Saint-Omer",
      territory: "audomarois",
      holder: { displayName: "Hugo Lefranc", email: "hugo.lefranc@example.org" },
    },
    territory: "audomarois",
    theme: "environnement-transition",
    goalEuros: 2500,
    outcome: "live",
    collectedEuros: 2890,
    contributionsCount: 48,
    dates: { kind: "relative", startOffsetDays: -38, endOffsetDays: 5 },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Récupérateurs d’eau de pluie", euros: 700 },
      { label: "Composteurs collectifs", euros: 500 },
      { label: "Plants et semences locales", euros: 600 },
      { label: "Outils de jardinage", euros: 700 },
    ],
    expectedResults: `- Un jardin partagé arrosé à l’eau de pluie
- Les déchets verts du quartier compostés sur place
- Des ateliers jardinage pour les enfants du quartier`,
    timetable: `- Fin de la collecte : achat des récupérateurs et des composteurs
- Le mois suivant : chantier participatif d’aménagement
- Deux mois après : premières plantations
- À la saison suivante : première récolte partagée`,
    rewards: [
      {
        title: "Sachet de graines du jardin",
        description: "Un sachet de graines de variétés locales.",
        minimumEuros: 10,
        stock: null,
        taken: 18,
      },
      {
        title: "Panier de légumes de saison",
        description: "Un panier issu des premières récoltes du jardin.",
        minimumEuros: 30,
        stock: 10,
        taken: 10,
      },
      {
        title: "Atelier compost et repas partagé",
        description: "Un atelier pour apprendre à composter, suivi d’un repas partagé au jardin.",
        minimumEuros: 60,
        stock: 25,
        taken: 9,
      },
    ],
    supportMessages: [
      "Objectif atteint, bravo au collectif !",
      "Un jardin près du marais, quelle belle idée.",
      "Je viendrai aider au chantier participatif.",
    ],
  },
  {
    slug: "ludotheque-itinerante-lievin",
    title: "Ludo’Mines : une ludothèque itinérante dans les quartiers de Liévin",
    summary:
      "L’association Ludo’Mines veut faire circuler une ludothèque dans les quartiers, les écoles et les centres sociaux. Il ne manque plus que quelques centaines d’euros pour atteindre l’objectif !",
    story: `Le jeu, c’est une façon d’apprendre, de se rencontrer et de grandir ensemble. À Liévin, l’association Ludo’Mines veut l’apporter au pied des immeubles et dans les écoles.

## Une ludothèque sur roues

Le projet : une remorque aménagée, remplie de jeux de société, de jeux en bois et de jeux coopératifs, qui circulera chaque semaine :

- dans les quartiers, le mercredi et le samedi ;
- dans les écoles et les centres sociaux ;
- lors des fêtes de quartier et des événements de la ville.

Les animateurs accompagnent enfants, parents et grands-parents pour découvrir de nouveaux jeux et jouer ensemble.

La collecte touche à sa fin : chaque contribution peut faire la différence !`,
    organization: {
      name: "Ludo’Mines",
      legalForm: "association",
      registrationNumber: "W625020147",
      town: "Liévin",
      territory: "lens-lievin",
      holder: { displayName: "Manon Delvaux", email: "manon.delvaux@example.org" },
    },
    territory: "lens-lievin",
    theme: "education-jeunesse",
    goalEuros: 8000,
    outcome: "live",
    collectedEuros: 7360,
    contributionsCount: 118,
    dates: { kind: "relative", startOffsetDays: -40, endOffsetDays: 0 },
    budgetCitoyenYear: 2026,
    fundLines: [
      { label: "Remorque aménagée", euros: 3500 },
      { label: "Jeux de société, jeux en bois et jeux coopératifs", euros: 2800 },
      { label: "Animation des premières tournées", euros: 1700 },
    ],
    expectedResults: `- Une tournée hebdomadaire dans les quartiers de Liévin
- Des interventions dans les écoles et les centres sociaux
- Plus de 300 jeux à découvrir et à emprunter`,
    timetable: `- Fin de la collecte : commande de la remorque
- Le mois suivant : achat et préparation des jeux
- Deux mois après : première tournée dans les quartiers
- Six mois après : bilan avec les habitants et les écoles`,
    rewards: [
      {
        title: "Badge et merci",
        description: "Un badge Ludo’Mines et nos remerciements.",
        minimumEuros: 10,
        stock: null,
        taken: 30,
      },
      {
        title: "Abonnement annuel",
        description: "Une carte d’emprunt annuelle pour toute la famille.",
        minimumEuros: 25,
        stock: null,
        taken: 40,
      },
      {
        title: "Soirée jeux privatisée",
        description: "Une soirée jeux animée pour vous et sept amis, dans le lieu de votre choix à Liévin.",
        minimumEuros: 60,
        stock: 20,
        taken: 19,
      },
      {
        title: "Un jeu à votre nom",
        description: "Le jeu de votre choix rejoint la ludothèque avec une étiquette à votre nom.",
        minimumEuros: 150,
        stock: 12,
        taken: 6,
      },
    ],
    supportMessages: [
      "Allez, plus que quelques euros, on y croit !",
      "Mes enfants vont adorer, merci Ludo’Mines.",
      "Le jeu pour tous, dans tous les quartiers : bravo.",
      "Bravo pour le label Budget Citoyen !",
      "Je partage autour de moi pour la dernière ligne droite.",
    ],
  },
  {
    slug: "conserverie-de-la-canche-montreuil",
    title: "La Conserverie de la Canche : transformer les surplus des maraîchers",
    summary:
      "Une SCOP de Montreuil-sur-Mer veut créer un atelier de conserverie pour transformer les légumes invendus des producteurs locaux en bocaux de qualité.",
    story: `Chaque saison, des maraîchers du Montreuillois voient une partie de leurs légumes perdus, faute de débouché au bon moment. La Conserverie de la Canche veut transformer ces surplus en soupes, sauces et légumes en bocaux.

## Un atelier partagé

Notre coopérative veut équiper un atelier de transformation aux normes, ouvert aussi aux producteurs qui souhaitent faire leurs propres conserves :

- un autoclave pour stériliser les bocaux ;
- des plans de travail et une laverie en inox ;
- la mise aux normes sanitaires du local.

Les bocaux seront vendus dans les épiceries et marchés du territoire, au juste prix pour les producteurs comme pour les clients.

Merci de nous aider à bien lancer ce projet !`,
    organization: {
      name: "La Conserverie de la Canche",
      legalForm: "scop",
      registrationNumber: "92345678100025",
      town: "Montreuil-sur-Mer",
      territory: "montreuillois-ternois",
      holder: { displayName: "Pauline Hennebelle", email: "pauline.hennebelle@example.org" },
    },
    territory: "montreuillois-ternois",
    theme: "alimentation-circuits-courts",
    goalEuros: 15000,
    outcome: "live",
    collectedEuros: 1650,
    contributionsCount: 27,
    dates: { kind: "relative", startOffsetDays: -3, endOffsetDays: 45 },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Autoclave de stérilisation", euros: 8000 },
      { label: "Plans de travail et laverie inox", euros: 3500 },
      { label: "Mise aux normes sanitaires du local", euros: 2500 },
      { label: "Premiers bocaux et étiquettes", euros: 1000 },
    ],
    expectedResults: `- Plusieurs tonnes de légumes sauvés chaque année
- Un atelier partagé ouvert aux producteurs du territoire
- Une gamme de bocaux locaux vendus en circuit court`,
    timetable: `- Fin de la collecte : commande de l’autoclave
- Deux mois après : travaux de mise aux normes
- Trois mois après : premières productions
- Six mois après : ouverture de l’atelier aux producteurs`,
    rewards: [
      {
        title: "Trois bocaux",
        description: "Trois bocaux de la première production (soupe, sauce, légumes).",
        minimumEuros: 20,
        stock: null,
        taken: 12,
      },
      {
        title: "Panier de huit bocaux",
        description: "Un panier garni de huit bocaux de saison.",
        minimumEuros: 50,
        stock: 40,
        taken: 6,
      },
      {
        title: "Atelier conserves et repas",
        description: "Une demi-journée pour apprendre à faire vos conserves, suivie d’un repas.",
        minimumEuros: 150,
        stock: 15,
        taken: 2,
      },
    ],
    supportMessages: [
      "Zéro gaspillage et circuit court : tout ce qu’on aime !",
      "Bonne chance pour la campagne, on partage.",
    ],
  },
  {
    slug: "minibus-cafe-des-aines-bapaume",
    title: "Un minibus pour rompre l’isolement des aînés du Sud-Artois",
    summary:
      "Les Amis du Sud-Artois veulent un minibus accessible pour conduire les personnes âgées isolées des villages au café des aînés de Bapaume.",
    story: `Dans les villages autour de Bapaume, de nombreuses personnes âgées ne conduisent plus et restent seules chez elles. Chaque semaine, notre café des aînés les attend pourtant : jeux de cartes, discussions, goûters et sorties.

## Aller chercher ceux qui ne peuvent pas venir

Avec un minibus accessible, nos bénévoles pourront :

- aller chercher les aînés à domicile dans une vingtaine de villages ;
- organiser des sorties au marché, au cinéma ou en visite ;
- accueillir des personnes en fauteuil roulant.

Nous avons trouvé un minibus d’occasion en bon état ; il reste à financer l’achat, l’aménagement et la première année d’assurance.

Merci de nous aider à remettre de la vie dans les villages !`,
    organization: {
      name: "Les Amis du Sud-Artois",
      legalForm: "association",
      registrationNumber: "W622013958",
      town: "Bapaume",
      territory: "arrageois",
      holder: { displayName: "Gérard Podevin", email: "gerard.podevin@example.org" },
    },
    territory: "arrageois",
    theme: "solidarite-lien-social",
    goalEuros: 9000,
    outcome: "live",
    collectedEuros: 5040,
    contributionsCount: 82,
    dates: { kind: "relative", startOffsetDays: -21, endOffsetDays: 18 },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Participation à l’achat du minibus d’occasion", euros: 6500 },
      { label: "Aménagement accessible (rampe, fixations)", euros: 1500 },
      { label: "Assurance de la première année", euros: 1000 },
    ],
    expectedResults: `- Une quarantaine d’aînés transportés chaque semaine
- Une sortie collective par mois
- Moins d’isolement dans les villages du Sud-Artois`,
    timetable: `- Fin de la collecte : achat du minibus
- Le mois suivant : aménagement accessible
- Six semaines après : premières tournées dans les villages
- Un an après : bilan avec les aînés et les familles`,
    rewards: [
      {
        title: "Carte postale des aînés",
        description: "Une carte postale écrite à la main par les habitués du café des aînés.",
        minimumEuros: 10,
        stock: null,
        taken: 25,
      },
      {
        title: "Un goûter au café des aînés",
        description: "Une invitation à partager un goûter avec les aînés.",
        minimumEuros: 30,
        stock: null,
        taken: 22,
      },
      {
        title: "Votre nom sur le minibus",
        description: "Votre nom inscrit sur le minibus, parmi ceux des premiers soutiens.",
        minimumEuros: 80,
        stock: 40,
        taken: 11,
      },
    ],
    supportMessages: [
      "Ma grand-mère va adorer, merci pour elle.",
      "Bravo aux bénévoles du café des aînés.",
      "Un beau projet de solidarité rurale.",
      "Personne ne devrait rester seul chez soi. Merci !",
    ],
  },
  {
    slug: "comptoir-inclusif-bruay-la-buissiere",
    title: "Le Comptoir Inclusif : une cuisine adaptée pour notre restaurant",
    summary:
      "À Bruay-la-Buissière, un restaurant qui emploie des personnes en situation de handicap veut adapter sa cuisine pour accueillir davantage de salariés.",
    story: `Au Comptoir Inclusif, l’équipe en cuisine et en salle compte des personnes en situation de handicap. Ensemble, elles préparent chaque midi des plats maison à partir de produits du territoire.

## Une cuisine pensée pour toutes et tous

Notre cuisine actuelle n’est pas adaptée à tous les profils. Pour accueillir de nouveaux salariés, nous voulons :

- installer des plans de travail à hauteur réglable ;
- remplacer certains équipements par des modèles plus sûrs et plus simples d’usage ;
- afficher des consignes illustrées et faciles à lire ;
- former l’équipe à ces nouveaux outils.

Un restaurant inclusif, c’est un lieu où chacun trouve sa place, derrière les fourneaux comme à table.

Merci de venir partager ce projet avec nous… et de passer déjeuner !`,
    organization: {
      name: "Le Comptoir Inclusif",
      legalForm: "entreprise_ess",
      registrationNumber: "88765432100043",
      town: "Bruay-la-Buissière",
      territory: "artois",
      holder: { displayName: "Inès Carpentier", email: "ines.carpentier@example.org" },
    },
    territory: "artois",
    theme: "sante-handicap",
    goalEuros: 10000,
    outcome: "live",
    collectedEuros: 3900,
    contributionsCount: 63,
    dates: { kind: "relative", startOffsetDays: -14, endOffsetDays: 28 },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Équipements de cuisine adaptés", euros: 5600 },
      { label: "Plans de travail à hauteur réglable", euros: 2400 },
      { label: "Consignes illustrées et signalétique facile à lire", euros: 700 },
      { label: "Formation de l’équipe", euros: 1300 },
    ],
    expectedResults: `- Une cuisine accessible à tous les salariés
- Trois nouveaux postes ouverts à des personnes en situation de handicap
- Une équipe formée à des méthodes de travail adaptées`,
    timetable: `- Fin de la collecte : commande des équipements
- Le mois suivant : travaux d’aménagement de la cuisine
- Deux mois après : formation de l’équipe
- Trois mois après : accueil des nouveaux salariés`,
    rewards: [
      {
        title: "Un café gourmand",
        description: "Un café gourmand offert au Comptoir.",
        minimumEuros: 15,
        stock: null,
        taken: 20,
      },
      {
        title: "Un déjeuner offert",
        description: "Un menu du jour (entrée, plat, dessert) à déguster au Comptoir.",
        minimumEuros: 35,
        stock: null,
        taken: 18,
      },
      {
        title: "Repas pour quatre avec l’équipe",
        description: "Un repas pour quatre personnes, suivi d’une visite de la cuisine avec l’équipe.",
        minimumEuros: 90,
        stock: 25,
        taken: 5,
      },
    ],
    supportMessages: [
      "On mange tellement bien chez vous, bravo à toute l’équipe !",
      "L’inclusion en actes, merci.",
      "Je reviens déjeuner très vite.",
    ],
  },
  {
    slug: "toiles-de-mer-cinema-plein-air-berck",
    title: "Toiles de mer : du cinéma en plein air sur la Côte d’Opale",
    summary:
      "L’association Toiles de mer veut organiser des projections gratuites en plein air à Berck et dans les communes voisines. La collecte finance l’écran et le matériel.",
    story: `Un transat, une couverture, le bruit des vagues et un bon film : c’est la promesse de Toiles de mer, une association de passionnés de cinéma installée à Berck.

## Le cinéma pour tous, sous les étoiles

Nous voulons proposer des projections gratuites et ouvertes à tous, en été comme aux beaux jours du printemps :

- sur la plage, dans les parcs et sur les places des villages voisins ;
- avec une programmation familiale et des courts métrages de la région ;
- en partenariat avec les associations et les écoles du territoire.

Pour cela, il nous faut un écran gonflable, un vidéoprojecteur et régler les droits de diffusion des films.

Merci de nous aider à faire briller la Côte d’Opale… sur grand écran !`,
    organization: {
      name: "Toiles de mer",
      legalForm: "association",
      registrationNumber: "W626017423",
      town: "Berck",
      territory: "montreuillois-ternois",
      holder: { displayName: "Lucas Bailleul", email: "lucas.bailleul@example.org" },
    },
    territory: "montreuillois-ternois",
    theme: "culture",
    goalEuros: 4500,
    outcome: "live",
    collectedEuros: 1980,
    contributionsCount: 33,
    dates: { kind: "relative", startOffsetDays: -7, endOffsetDays: 40 },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Écran gonflable", euros: 2200 },
      { label: "Vidéoprojecteur", euros: 1300 },
      { label: "Droits de diffusion des films", euros: 600 },
      { label: "Transats", euros: 400 },
    ],
    expectedResults: `- Une dizaine de projections gratuites par saison
- Des séances dans au moins cinq communes du territoire
- Des courts métrages de la région mis à l’honneur`,
    timetable: `- Fin de la collecte : achat de l’écran et du vidéoprojecteur
- Le mois suivant : choix de la programmation avec les partenaires
- Aux beaux jours : première projection sur la plage
- Fin de saison : bilan et vote du public pour la saison suivante`,
    rewards: [
      {
        title: "Place réservée",
        description: "Une place réservée au premier rang, avec un paquet de pop-corn.",
        minimumEuros: 10,
        stock: null,
        taken: 12,
      },
      {
        title: "Transat à votre nom",
        description: "Un transat marqué à votre nom, à votre disposition à chaque séance.",
        minimumEuros: 40,
        stock: 30,
        taken: 7,
      },
      {
        title: "Vous choisissez le film",
        description: "Vous choisissez le film d’une séance parmi une sélection de l’association.",
        minimumEuros: 100,
        stock: 5,
        taken: 1,
      },
    ],
    supportMessages: ["Du cinéma face à la mer, quelle belle idée !", "On viendra en famille, c’est sûr."],
  },

  // ---------------------------------------------------------------------------
  // C) Past failed campaign (2025)
  // ---------------------------------------------------------------------------
  {
    slug: "vrac-en-route-aire-sur-la-lys",
    title: "Vrac en Route : une épicerie vrac itinérante dans le pays d’Aire",
    summary:
      "Une épicerie en vrac installée dans un camion aménagé, pour apporter des produits locaux et sans emballage dans les villages autour d’Aire-sur-la-Lys.",
    story: `Dans les villages autour d’Aire-sur-la-Lys, les commerces de proximité se font rares. Vrac en Route veut y apporter une épicerie itinérante, avec des produits secs en vrac et des produits de producteurs locaux.

## Une épicerie qui vient à vous

Le camion passerait chaque semaine dans une quinzaine de villages :

- produits secs en vrac (pâtes, légumineuses, farines…) ;
- produits locaux : œufs, fromages, jus de pomme ;
- possibilité d’apporter ses propres contenants.

Moins d’emballages, moins de trajets en voiture et un moment de rencontre sur la place du village.

Merci de nous aider à prendre la route !`,
    organization: {
      name: "Vrac en Route",
      legalForm: "entreprise_ess",
      registrationNumber: "93456712800019",
      town: "Aire-sur-la-Lys",
      territory: "audomarois",
      holder: { displayName: "Amandine Ricouart", email: "amandine.ricouart@example.org" },
    },
    territory: "audomarois",
    theme: "alimentation-circuits-courts",
    goalEuros: 8000,
    outcome: "failed",
    collectedEuros: 2395,
    contributionsCount: 35,
    dates: { kind: "fixed", startDate: "2025-04-01", endDate: "2025-05-31" },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Participation à l’aménagement du camion", euros: 5000 },
      { label: "Balances et silos à vrac", euros: 1800 },
      { label: "Stock initial de produits", euros: 1200 },
    ],
    expectedResults: `- Une tournée hebdomadaire dans une quinzaine de villages
- Des produits locaux accessibles sans voiture
- Moins d’emballages jetables`,
    timetable: `- Juin 2025 : aménagement du camion
- Juillet 2025 : constitution du stock et partenariats avec les producteurs
- Septembre 2025 : première tournée dans les villages`,
    rewards: [
      {
        title: "Sac à vrac en tissu",
        description: "Un sac à vrac en tissu cousu localement.",
        minimumEuros: 15,
        stock: null,
        taken: 14,
      },
      {
        title: "Panier découverte",
        description: "Un panier de produits en vrac et de produits locaux.",
        minimumEuros: 40,
        stock: 50,
        taken: 9,
      },
      {
        title: "Livraison offerte pendant six mois",
        description: "La livraison à domicile offerte pendant six mois dans les villages desservis.",
        minimumEuros: 100,
        stock: 20,
        taken: 3,
      },
    ],
    supportMessages: [
      "Il manque tellement de commerces dans nos villages, bon courage !",
      "Belle idée, j’espère que le camion verra le jour.",
    ],
  },
  {
    slug: "epicerie-solidaire-mobile-ternois",
    title: "Une épicerie solidaire mobile dans le Ternois",
    summary:
      "L’association Panier Partagé veut aménager un camion en épicerie solidaire pour desservir chaque semaine douze villages du Ternois sans commerce.",
    story: `Dans le Ternois, beaucoup de villages n’ont plus de commerce. Pour les personnes âgées ou sans voiture, faire ses courses devient un casse-tête.

## Une épicerie qui vient à vous

L’association Panier Partagé aménagera un camion d’occasion en épicerie solidaire : produits de première nécessité à prix accessibles, fruits et légumes des producteurs voisins, et un moment de rencontre à chaque arrêt.

- douze villages desservis chaque semaine ;
- des prix adaptés pour les foyers orientés par les services sociaux ;
- des bénévoles formés à l’accueil et à l’écoute.

Merci de nous aider à prendre la route !`,
    organization: {
      name: "Panier Partagé",
      legalForm: "association",
      registrationNumber: "W623004517",
      town: "Saint-Pol-sur-Ternoise",
      territory: "montreuillois-ternois",
      holder: { displayName: "Léa Marchand", email: "lea.marchand@example.org" },
    },
    territory: "montreuillois-ternois",
    theme: "solidarite-lien-social",
    goalEuros: 9000,
    outcome: "submitted",
    collectedEuros: 0,
    contributionsCount: 0,
    dates: { kind: "relative", startOffsetDays: 0, endOffsetDays: 45 },
    budgetCitoyenYear: null,
    fundLines: [
      { label: "Camion d’occasion", euros: 6000 },
      { label: "Aménagement (rayonnages, vitrine réfrigérée)", euros: 2200 },
      { label: "Signalétique et première tournée", euros: 800 },
    ],
    expectedResults: `- Douze villages desservis chaque semaine
- Environ 150 foyers servis chaque mois
- Trois bénévoles formés par village`,
    timetable: `- Fin de la collecte : achat du camion
- Deux mois après : aménagement et formation des bénévoles
- Trois mois après : première tournée`,
    rewards: [
      {
        title: "Carte postale du Ternois",
        description: "Une carte postale illustrée par une artiste de Saint-Pol et nos remerciements.",
        minimumEuros: 10,
        stock: null,
        taken: 0,
      },
      {
        title: "Panier de producteurs",
        description: "Un panier de produits des producteurs partenaires, à retirer lors d’une tournée.",
        minimumEuros: 40,
        stock: 40,
        taken: 0,
      },
    ],
    supportMessages: [],
  },
];
