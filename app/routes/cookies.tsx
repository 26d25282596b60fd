/** « Cookies »: only the strictly necessary session cookie, hence no consent banner. */
import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { legalPageData } from "~/legal/pages.server";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction = () => [{ title: "Cookies — Propulsons" }];

export function loader() {
  return legalPageData().session;
}

export default function Cookies() {
  const session = useLoaderData<typeof loader>();
  return (
    <div className="container page prose-page">
      <h1>Cookies</h1>
      <p>
        Propulsons n’utilise <strong>qu’un seul cookie</strong>, strictement nécessaire au service&nbsp;:
        celui qui garde votre connexion. Il n’y a ni mesure d’audience, ni publicité, ni bouton de réseau
        social, ni aucun autre traceur. C’est pourquoi aucun bandeau ne vous demande votre consentement&nbsp;:
        la loi ne l’exige pas pour un cookie strictement nécessaire.
      </p>
      <TableScroll label="Tableau du cookie (défilant)">
        <table className="table">
          <caption>Le cookie déposé par la plateforme</caption>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Rôle</th>
              <th scope="col">Durée de vie</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">
                <code>{session.cookie}</code>
              </th>
              <td>
                vous garder connecté après la saisie du code reçu par courriel&#x202f;; il contient un jeton
                aléatoire, rien d’autre. Il n’est déposé que si vous vous connectez.
              </td>
              <td>
                {session.days}&nbsp;jours après la connexion ({session.staffHours}&nbsp;heures pour l’équipe
                du Département)&#x202f;; supprimé dès que vous vous déconnectez
              </td>
            </tr>
          </tbody>
        </table>
      </TableScroll>
      <p>
        Vous pouvez effacer ce cookie à tout moment depuis votre navigateur&nbsp;: vous serez simplement
        déconnecté. Pour en savoir plus sur vos données, voir la{" "}
        <Link to="/confidentialite">politique de confidentialité</Link>.
      </p>
      <p>
        Si un jour un traceur non nécessaire était ajouté, il ne serait déposé qu’après votre accord, et cette
        page serait mise à jour.
      </p>
    </div>
  );
}
