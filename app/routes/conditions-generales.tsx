/** « Conditions générales d'utilisation »: how a campaign works, commission, all-or-nothing, refunds, holders' commitments. */
import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatEuros } from "~/domain/format";
import { legalPageData } from "~/legal/pages.server";

export const meta: MetaFunction = () => [{ title: "Conditions générales d’utilisation — Propulsons" }];

export function loader() {
  const d = legalPageData();
  return {
    publisherName: d.legal.publisherName,
    paymentProvider: d.legal.paymentProvider,
    commission: d.commission,
    contribution: d.contribution,
    campaignDays: d.campaignDays,
  };
}

export default function TermsOfUse() {
  const { publisherName, paymentProvider, commission, contribution, campaignDays } =
    useLoaderData<typeof loader>();
  return (
    <div className="container page prose-page">
      <h1>Conditions générales d’utilisation</h1>
      <p>
        Ces conditions s’appliquent à toute personne qui utilise Propulsons, plateforme de financement
        participatif par dons éditée par {publisherName}, intermédiaire en financement participatif (voir les{" "}
        <Link to="/mentions-legales">mentions légales</Link>). Contribuer à une campagne ou en déposer une
        vaut acceptation de ces conditions.
      </p>

      <h2>1. Ce que fait la plateforme</h2>
      <p>
        Propulsons met en relation des citoyens et des porteurs de projets de l’économie sociale et solidaire
        du Pas-de-Calais&nbsp;: associations, coopératives (SCIC, SCOP), entreprises à finalité sociale,
        collectifs de citoyens. Les citoyens financent ces projets par des dons, avec ou sans contrepartie. Il
        ne s’agit ni de prêt ni d’investissement&nbsp;: une contribution ne donne droit à aucun remboursement
        ni à aucune part du projet, sauf dans les cas de remboursement décrits ci-dessous.
      </p>

      <h2>2. Comment se déroule une campagne</h2>
      <ol>
        <li>
          Le porteur rédige sa campagne&nbsp;: présentation, objectif en euros, date de fin, utilisation des
          fonds, contreparties éventuelles.
        </li>
        <li>
          Il la soumet à l’équipe de la plateforme, qui la vérifie selon les{" "}
          <Link to="/criteres-de-selection">critères de sélection publiés</Link>, puis l’accepte, demande des
          modifications ou la refuse en motivant sa décision.
        </li>
        <li>
          Acceptée, la campagne est publiée à sa date de début et reste ouverte aux contributions de{" "}
          {campaignDays.min} à {campaignDays.max}&nbsp;jours, jusqu’à 23&nbsp;h&nbsp;59 (heure de Paris) le
          jour de fin choisi.
        </li>
        <li>
          À la date de fin, la campagne est réussie si le montant collecté atteint l’objectif, non financée
          sinon.
        </li>
      </ol>

      <h2>3. Le «&nbsp;tout ou rien&nbsp;»</h2>
      <p>
        Si l’objectif est atteint, l’argent collecté est versé au porteur de projet, déduction faite de la
        commission. S’il n’est pas atteint, <strong>chaque contributeur est remboursé intégralement</strong>,
        sans démarche à faire, sur le moyen de paiement utilisé. Il en va de même si l’équipe de la plateforme
        annule une campagne (motif publié sur la page de la campagne).
      </p>

      <h2>4. Commission</h2>
      <p>
        La plateforme conserve une commission de <strong>{commission.standardPercent}&nbsp;%</strong> du
        montant collecté par une campagne réussie, prélevée au moment du versement au porteur. Elle est de{" "}
        <strong>{commission.budgetCitoyenPercent}&nbsp;%</strong> pour les projets labellisés «&nbsp;Budget
        Citoyen&nbsp;» par le Département. Le taux qui s’applique est affiché sur la page de la campagne. Une
        campagne non financée ne coûte rien&nbsp;: aucune commission n’est prélevée et tout est remboursé. Les
        contributeurs ne paient aucun frais.
      </p>

      <h2>5. Contribuer</h2>
      <ul>
        <li>
          Une contribution va de {formatEuros(contribution.minCents)} à {formatEuros(contribution.maxCents)}
          &#x202f;; elle est payée par carte bancaire au moment où elle est faite, via {paymentProvider}.
        </li>
        <li>
          Le contributeur peut choisir une contrepartie proposée par le porteur (dans la limite des quantités
          disponibles), apparaître comme anonyme, masquer son montant et laisser un message de soutien. Son
          adresse électronique n’est jamais publiée.
        </li>
        <li>
          Un reçu de contribution est envoyé par courriel. Une contrepartie est un remerciement remis par le
          porteur de projet, qui s’engage à la remettre si la campagne réussit&#x202f;; ce n’est pas un achat.
        </li>
      </ul>

      <h2>6. Remboursements</h2>
      <p>
        Les remboursements (campagne non financée, campagne annulée, paiement arrivé après la fin d’une
        campagne non financée) sont faits automatiquement sur la carte utilisée. Chaque contributeur reçoit un
        courriel quand son remboursement a été effectué. Si un remboursement échoue (carte expirée, compte
        fermé), le contributeur en est informé par courriel et l’équipe le contacte pour le rembourser
        autrement. Une contribution à une campagne réussie est versée au porteur de projet.
      </p>

      <h2>7. Engagements du porteur de projet</h2>
      <p>Le porteur de projet s’engage à&nbsp;:</p>
      <ul>
        <li>donner des informations exactes et complètes sur sa structure et sur son projet&#x202f;;</li>
        <li>
          présenter l’objet du projet, le montant visé, le calendrier, l’utilisation chiffrée des fonds et le
          résultat attendu (article L548-6 du code monétaire et financier)&#x202f;;
        </li>
        <li>utiliser les fonds reçus pour le projet présenté, et pour lui seulement&#x202f;;</li>
        <li>remettre les contreparties promises aux contributeurs d’une campagne réussie&#x202f;;</li>
        <li>
          informer les contributeurs de l’avancement du projet par les actualités de la campagne, et l’équipe
          de la plateforme de toute difficulté&#x202f;;
        </li>
        <li>
          n’utiliser les données des contributeurs (noms, adresses pour les contreparties) que pour la remise
          des contreparties et l’information sur le projet.
        </li>
      </ul>
      <p>
        Les fonds d’une campagne réussie sont versés sur le compte du porteur ouvert auprès de{" "}
        {paymentProvider}, après vérification de son identité par ce prestataire.
      </p>

      <h2>8. Compte et connexion</h2>
      <p>
        La connexion se fait par un lien et un code envoyés par courriel, sans mot de passe. Chacun peut
        consulter, corriger, exporter et supprimer ses données depuis <Link to="/mon-compte">Mon compte</Link>{" "}
        (voir la <Link to="/confidentialite">politique de confidentialité</Link>).
      </p>

      <h2>9. Contact et réclamations</h2>
      <p>
        Pour toute question ou réclamation, écrivez-nous via le{" "}
        <Link to="/contact">formulaire de contact</Link>. Ces conditions sont régies par le droit français.
      </p>
    </div>
  );
}
