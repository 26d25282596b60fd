/** « Critères de sélection »: what staff check before publishing a campaign (ESS, Pas-de-Calais, L548-6 information). */
import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Critères de sélection des projets — Propulsons" }];

export default function SelectionCriteria() {
  return (
    <div className="container page prose-page">
      <h1>Critères de sélection des projets</h1>
      <p>
        Avant d’être publiée, chaque campagne est vérifiée par l’équipe du Département. Elle est acceptée si
        elle remplit tous les critères ci-dessous&#x202f;; sinon l’équipe demande des modifications ou la
        refuse, en expliquant toujours pourquoi au porteur de projet.
      </p>

      <h2>1. Une structure de l’économie sociale et solidaire</h2>
      <p>
        Le projet est porté par une association, une coopérative (SCIC, SCOP…), une entreprise à finalité
        sociale (agrément ESUS, loi du 31&nbsp;juillet 2014 relative à l’économie sociale et solidaire) ou un
        collectif de citoyens. La structure est identifiée (numéro SIREN ou RNA) et son représentant légal est
        connu.
      </p>

      <h2>2. Un projet dans le Pas-de-Calais</h2>
      <p>
        Le projet se réalise dans le Pas-de-Calais et profite à ses habitants. La campagne indique son
        territoire.
      </p>

      <h2>3. Une information complète (article L548-6 du code monétaire et financier)</h2>
      <p>La campagne présente clairement&nbsp;:</p>
      <ul>
        <li>l’objet du projet&nbsp;: ce qui va être fait, par qui et pour qui&#x202f;;</li>
        <li>le montant visé (l’objectif de la collecte)&#x202f;;</li>
        <li>le calendrier&nbsp;: la durée de la collecte et les étapes du projet&#x202f;;</li>
        <li>l’utilisation des fonds, chiffrée poste par poste&#x202f;;</li>
        <li>le résultat attendu.</li>
      </ul>

      <h2>4. Des contreparties honnêtes</h2>
      <p>
        Les contreparties éventuelles sont décrites précisément, avec leur quantité si elle est limitée, et
        restent d’une valeur modeste par rapport au montant demandé.
      </p>

      <h2>5. Des contenus conformes</h2>
      <p>
        Les textes et les images respectent la loi et les droits d’autrui (droit d’auteur, droit à l’image),
        ne contiennent ni propos discriminatoire ni publicité sans rapport avec le projet, et les images ont
        une description pour les personnes qui ne les voient pas.
      </p>

      <h2>Le label «&nbsp;Budget Citoyen&nbsp;»</h2>
      <p>
        Certains projets sont labellisés «&nbsp;Budget Citoyen&nbsp;» par le Département&nbsp;: ils ne paient
        aucune commission (0&nbsp;%). Voir <Link to="/comment-ca-marche">comment ça marche</Link>.
      </p>
    </div>
  );
}
