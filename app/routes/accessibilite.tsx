import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { config } from "~/config.server";

export const meta: MetaFunction = () => [{ title: "Déclaration d’accessibilité — Propulsons" }];

export function loader() {
  return { contactEmail: config().contactEmail };
}

export default function Accessibility() {
  const { contactEmail } = useLoaderData<typeof loader>();
  return (
    <div className="container page prose-page">
      <h1>Déclaration d’accessibilité</h1>
      <p>
        Le Département du Pas-de-Calais s’engage à rendre ses services numériques accessibles, conformément à
        l’article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration d’accessibilité s’applique à
        la plateforme Propulsons.
      </p>

      <h2>État de conformité</h2>
      <p>
        Propulsons n’a pas encore fait l’objet d’un audit de conformité au référentiel général d’amélioration
        de l’accessibilité (RGAA 4.1). En l’absence d’audit, le site est déclaré <strong>non conforme</strong>{" "}
        au sens du RGAA, bien qu’il soit conçu pour respecter le niveau AA des WCAG 2.1.
      </p>

      <h2>Ce qui est fait</h2>
      <ul>
        <li>
          chaque page est testée automatiquement avec l’outil axe, dans Chromium, à chaque modification du
          code&#x202f;;
        </li>
        <li>
          toutes les pages publiques fonctionnent sans JavaScript et se parcourent entièrement au
          clavier&#x202f;;
        </li>
        <li>
          un lien d’évitement «&nbsp;Aller au contenu&nbsp;» est proposé en haut de chaque page&#x202f;;
        </li>
        <li>
          la langue des pages est déclarée (français) et la structure utilise des titres et des
          régions&#x202f;;
        </li>
        <li>
          les barres de progression sont doublées d’un texte (montant collecté, pourcentage de l’objectif).
        </li>
      </ul>

      <h2>Contenus non accessibles</h2>
      <p>
        Aucune non-conformité n’est connue à ce jour. Les textes des campagnes sont rédigés par les porteurs
        de projet&#x202f;; s’ils contiennent un contenu non accessible, signalez-le-nous.
      </p>

      <h2>Établissement de cette déclaration</h2>
      <p>Cette déclaration a été établie le 22 novembre 2026.</p>
      <ul>
        <li>Technologies utilisées&nbsp;: HTML5, CSS, JavaScript (facultatif).</li>
        <li>Environnement de test&nbsp;: Chromium, outil axe-core.</li>
      </ul>

      <h2>Retour d’information et contact</h2>
      <p>
        Si vous n’arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter l’équipe de la
        plateforme pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre
        forme&nbsp;:
      </p>
      <ul>
        <li>
          par le <Link to="/contact">formulaire de contact</Link> (objet «&nbsp;L’accessibilité du
          site&nbsp;»)&#x202f;;
        </li>
        <li>
          par courriel&nbsp;: <a href={`mailto:${contactEmail}`}>{contactEmail}</a>.
        </li>
      </ul>

      <h2>Voies de recours</h2>
      <p>
        Si vous avez signalé un défaut d’accessibilité qui vous empêche d’accéder à un contenu ou à un service
        et que vous n’avez pas obtenu de réponse satisfaisante, vous pouvez saisir le Défenseur des
        droits&nbsp;:
      </p>
      <ul>
        <li>
          en ligne, par le formulaire du Défenseur des droits&nbsp;:{" "}
          <a href="https://formulaire.defenseurdesdroits.fr">formulaire.defenseurdesdroits.fr</a>&#x202f;;
        </li>
        <li>par téléphone&nbsp;: 09&nbsp;69&nbsp;39&nbsp;00&nbsp;00&#x202f;;</li>
        <li>auprès du délégué du Défenseur des droits le plus proche de chez vous&#x202f;;</li>
        <li>
          par courrier (gratuit, ne pas mettre de timbre)&nbsp;: Défenseur des droits, Libre réponse 71120,
          75342 Paris CEDEX 07.
        </li>
      </ul>
    </div>
  );
}
