/** « Mentions légales » (LCEN art. 6, IFP L548-1 ff.): publisher, publication director, host, ORIAS. */
import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { legalPageData } from "~/legal/pages.server";

export const meta: MetaFunction = () => [{ title: "Mentions légales — Propulsons" }];

export function loader() {
  const { legal, contactEmail } = legalPageData();
  return { legal, contactEmail };
}

export default function LegalNotice() {
  const { legal, contactEmail } = useLoaderData<typeof loader>();
  return (
    <div className="container page prose-page">
      <h1>Mentions légales</h1>
      {legal.examples ? (
        <p className="outcome" role="note">
          Plateforme de démonstration&nbsp;: les valeurs suivies de «&nbsp;(exemple)&nbsp;» ne sont pas
          réelles. Une installation en production doit les renseigner (voir la configuration de la
          plateforme).
        </p>
      ) : null}

      <h2>Éditeur de la plateforme</h2>
      <ul>
        <li>
          <strong>Éditeur&nbsp;:</strong> {legal.publisherName}
        </li>
        <li>
          <strong>Adresse&nbsp;:</strong> {legal.publisherAddress}
        </li>
        <li>
          <strong>Directeur ou directrice de la publication&nbsp;:</strong> {legal.publicationDirector}
        </li>
        <li>
          <strong>Contact&nbsp;:</strong> <Link to="/contact">formulaire de contact</Link> ou{" "}
          <a href={`mailto:${contactEmail}`}>{contactEmail}</a>
        </li>
      </ul>

      <h2>Intermédiaire en financement participatif</h2>
      <p>
        Propulsons est une plateforme de financement participatif par dons, avec ou sans contrepartie. Son
        éditeur est immatriculé comme intermédiaire en financement participatif (IFP, articles L548-1 et
        suivants du code monétaire et financier) au registre unique des intermédiaires en assurance, banque et
        finance tenu par l’ORIAS sous le numéro&nbsp;<strong>{legal.oriasNumber}</strong>. Ce numéro peut être
        vérifié sur le site <a href="https://www.orias.fr">www.orias.fr</a>.
      </p>

      <h2>Paiements</h2>
      <p>
        Les paiements par carte sont traités par {legal.paymentProvider}. La plateforme ne voit ni ne conserve
        jamais les numéros de carte. L’argent des contributions reste chez ce prestataire jusqu’à la fin de la
        campagne&nbsp;: il est alors versé au porteur de projet si l’objectif est atteint, ou remboursé à
        chaque contributeur sinon (voir les{" "}
        <Link to="/conditions-generales">conditions générales d’utilisation</Link>).
      </p>

      <h2>Hébergement</h2>
      <ul>
        <li>
          <strong>Hébergeur&nbsp;:</strong> {legal.hostName}
        </li>
        <li>
          <strong>Adresse&nbsp;:</strong> {legal.hostAddress}
        </li>
      </ul>

      <h2>Contenus des campagnes</h2>
      <p>
        Les textes, images et actualités des campagnes sont rédigés par les porteurs de projet, qui en sont
        responsables. L’équipe de la plateforme les vérifie avant publication selon les{" "}
        <Link to="/criteres-de-selection">critères de sélection</Link> publiés. Pour signaler un contenu
        illicite, écrivez-nous via le <Link to="/contact">formulaire de contact</Link>.
      </p>

      <h2>Logiciel libre et données ouvertes</h2>
      <p>
        Le logiciel de la plateforme est libre. Les chiffres clés et la liste des campagnes publiées sont des
        données ouvertes (Licence Ouverte Etalab 2.0), téléchargeables depuis le{" "}
        <Link to="/rapport-annuel">rapport annuel</Link>.
      </p>

      <h2>Données personnelles et cookies</h2>
      <p>
        Voir la <Link to="/confidentialite">politique de confidentialité</Link> et la page{" "}
        <Link to="/cookies">cookies</Link>.
      </p>
    </div>
  );
}
