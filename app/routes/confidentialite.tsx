/** « Politique de confidentialité » (RGPD): what, why, legal basis, how long (retentionPeriods()), who receives it, rights. */
import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { duration, legalPageData } from "~/legal/pages.server";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction = () => [{ title: "Politique de confidentialité — Propulsons" }];

export function loader() {
  const d = legalPageData();
  const r = d.retention;
  return {
    publisherName: d.legal.publisherName,
    publisherAddress: d.legal.publisherAddress,
    hostName: d.legal.hostName,
    paymentProvider: d.legal.paymentProvider,
    contactEmail: d.contactEmail,
    periods: {
      accounting: duration(r.accountingYears, "an"),
      receipts: duration(r.receiptYears, "an"),
      inactiveAccount: duration(r.inactiveAccountMonths, "mois"),
      contributor: duration(r.contributorMonths, "mois"),
      security: duration(r.securityDays, "jour"),
      contact: duration(r.contactMonths, "mois"),
    },
    session: d.session,
  };
}

export default function PrivacyPolicy() {
  const d = useLoaderData<typeof loader>();
  const p = d.periods;
  return (
    <div className="container page prose-page">
      <h1>Politique de confidentialité</h1>
      <p>
        Cette page explique quelles données personnelles Propulsons traite, pourquoi, combien de temps elles
        sont gardées, qui les reçoit et comment exercer vos droits (règlement général sur la protection des
        données, RGPD, et loi Informatique et libertés).
      </p>

      <h2>Responsable du traitement</h2>
      <p>
        {d.publisherName}, {d.publisherAddress}. Pour toute question sur vos données&nbsp;: le{" "}
        <Link to="/contact">formulaire de contact</Link> (objet «&nbsp;Mes données personnelles&nbsp;») ou{" "}
        <a href={`mailto:${d.contactEmail}`}>{d.contactEmail}</a>.
      </p>

      <h2>Ce qui est collecté, pourquoi, sur quelle base</h2>
      <TableScroll label="Tableau des données traitées (défilant)">
        <table className="table">
          <caption>Données traitées, finalité, base légale et durée de conservation</caption>
          <thead>
            <tr>
              <th scope="col">Données</th>
              <th scope="col">Pourquoi</th>
              <th scope="col">Base légale</th>
              <th scope="col">Combien de temps</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Adresse électronique, nom affiché (compte)</th>
              <td>vous connecter, retrouver vos contributions et vos campagnes</td>
              <td>exécution du contrat (conditions générales)</td>
              <td>tant que le compte sert&#x202f;; supprimé après {p.inactiveAccount} sans connexion</td>
            </tr>
            <tr>
              <th scope="row">
                Contribution&nbsp;: nom, adresse électronique, montant, message, choix d’anonymat
              </th>
              <td>
                enregistrer le paiement, envoyer le reçu et les nouvelles de la campagne, rembourser si elle
                échoue
              </td>
              <td>exécution du contrat</td>
              <td>{p.contributor} après la fin de la campagne, puis anonymisées</td>
            </tr>
            <tr>
              <th scope="row">
                Abonnement aux actualités d’une campagne soutenue (adresse électronique, désabonnement)
              </th>
              <td>vous envoyer les actualités du projet, et plus rien une fois désabonné</td>
              <td>intérêt légitime (informer les contributeurs du projet qu’ils ont soutenu)</td>
              <td>
                effacé avec les données de la contribution ({p.contributor} après la fin de la campagne) ou
                avec votre compte&#8239;; un désabonnement est gardé jusque-là, pour ne plus vous écrire
              </td>
            </tr>
            <tr>
              <th scope="row">
                Traces comptables des paiements, demandes de reçu fiscal (nom et adresse postale)
              </th>
              <td>tenir la comptabilité, délivrer les reçus fiscaux demandés</td>
              <td>obligation légale (code de commerce, code général des impôts)</td>
              <td>{p.accounting}, puis anonymisées</td>
            </tr>
            <tr>
              <th scope="row">Reçus fiscaux délivrés (nom et adresse du donateur, sur le reçu et son PDF)</th>
              <td>
                délivrer le reçu et en garder le double, que l’administration fiscale peut demander à la
                structure
              </td>
              <td>obligation légale (livre des procédures fiscales, article L102&nbsp;B)</td>
              <td>
                {p.receipts} après leur délivrance, puis le nom et l’adresse sont effacés du reçu et de son
                PDF&#8239;; le numéro, la date, le montant et la structure restent au registre des reçus
              </td>
            </tr>
            <tr>
              <th scope="row">Structure du porteur de projet et son représentant</th>
              <td>vérifier le projet avant publication, verser les fonds</td>
              <td>exécution du contrat, obligation légale (L548-6 du code monétaire et financier)</td>
              <td>tant que le compte du porteur existe&#x202f;; les pièces comptables {p.accounting}</td>
            </tr>
            <tr>
              <th scope="row">Codes de connexion, tentatives erronées, sessions fermées, adresse IP</th>
              <td>sécuriser les comptes, limiter les abus</td>
              <td>intérêt légitime (sécurité du service)</td>
              <td>{p.security}</td>
            </tr>
            <tr>
              <th scope="row">Messages du formulaire de contact (nom, adresse, message, adresse IP)</th>
              <td>vous répondre, limiter les envois abusifs</td>
              <td>intérêt légitime (répondre aux demandes)</td>
              <td>{p.contact}</td>
            </tr>
          </tbody>
        </table>
      </TableScroll>
      <p>
        Les numéros de carte bancaire ne passent jamais par la plateforme&nbsp;: ils sont saisis chez le
        prestataire de paiement. Aucune donnée n’est vendue ni utilisée pour de la publicité, et aucun outil
        de mesure d’audience ni traceur n’est utilisé (voir <Link to="/cookies">cookies</Link>).
      </p>

      <h2>Qui reçoit ces données</h2>
      <ul>
        <li>l’équipe du Département qui gère la plateforme&#x202f;;</li>
        <li>
          le porteur du projet que vous soutenez&nbsp;: votre nom (sauf si vous avez choisi l’anonymat), le
          montant et, si vous avez choisi une contrepartie, votre adresse électronique pour vous la
          remettre&#x202f;;
        </li>
        <li>
          {d.paymentProvider}&nbsp;: les paiements, les remboursements et les versements aux porteurs&#x202f;;
        </li>
        <li>
          Resend (Resend, Inc.), prestataire d’envoi des courriels&nbsp;: votre adresse et le contenu des
          messages&#x202f;;
        </li>
        <li>{d.hostName}&nbsp;: l’hébergement de la plateforme et de sa base de données.</li>
      </ul>
      <p>
        Stripe et Resend peuvent traiter des données hors de l’Union européenne&#x202f;; ces transferts sont
        encadrés par les clauses contractuelles types de la Commission européenne.
      </p>

      <h2>Vos droits</h2>
      <p>
        Vous pouvez accéder à vos données, les corriger, les exporter dans un format lisible par une machine,
        les faire effacer, vous opposer à un traitement ou en demander la limitation. Les données que la loi
        oblige à garder (comptabilité, reçus fiscaux) le sont pendant la durée indiquée ci-dessus, puis
        anonymisées.
      </p>
      <ul>
        <li>
          connecté, depuis <Link to="/mon-compte">Mon compte</Link>&nbsp;: consulter vos contributions,
          modifier votre nom ou votre adresse, exporter «&nbsp;mes données&nbsp;», supprimer votre compte,
          fermer vos sessions&#x202f;;
        </li>
        <li>
          sinon, via le <Link to="/contact">formulaire de contact</Link> (objet «&nbsp;Mes données
          personnelles&nbsp;»)&nbsp;: une réponse vous est faite dans un délai d’un mois.
        </li>
      </ul>
      <p>
        Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la
        Commission nationale de l’informatique et des libertés (CNIL), 3&nbsp;place de Fontenoy,
        TSA&nbsp;80715, 75334 Paris Cedex&nbsp;07, ou en ligne sur{" "}
        <a href="https://www.cnil.fr/fr/plaintes">www.cnil.fr</a>.
      </p>

      <h2>Cookie</h2>
      <p>
        Un seul cookie, strictement nécessaire, garde votre connexion ({d.session.cookie}, {d.session.days}
        &nbsp;jours au plus)&nbsp;: voir la page <Link to="/cookies">cookies</Link>.
      </p>
    </div>
  );
}
