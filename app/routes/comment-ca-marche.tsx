/** « Comment ça marche ? »: the FAQ for citizens and for project holders. */
import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatEuros } from "~/domain/format";
import { legalPageData } from "~/legal/pages.server";

export const meta: MetaFunction = () => [
  { title: "Comment ça marche\u202f? — Propulsons" },
  {
    name: "description",
    content:
      "Le financement participatif «\u00a0tout ou rien\u00a0» de Propulsons expliqué aux citoyens et aux porteurs de projet\u00a0: commission, remboursements, contreparties.",
  },
];

export function loader() {
  const d = legalPageData();
  return { commission: d.commission, contribution: d.contribution, campaignDays: d.campaignDays };
}

export default function HowItWorks() {
  const { commission, contribution, campaignDays } = useLoaderData<typeof loader>();
  const example = 100_000; // 1 000 € collected
  const kept = (example * commission.standardPercent) / 100;
  return (
    <div className="container page prose-page">
      <h1>Comment ça marche&#x202f;?</h1>
      <p>
        Propulsons permet aux habitants du Pas-de-Calais de financer, par des dons, les projets de l’économie
        sociale et solidaire de leur territoire. Chaque campagne a un objectif et une date de fin&nbsp;: c’est
        le principe du «&nbsp;tout ou rien&nbsp;».
      </p>

      <section aria-labelledby="h-citizens">
        <h2 id="h-citizens">Pour les citoyens</h2>

        <h3>Que veut dire «&nbsp;tout ou rien&nbsp;»&#x202f;?</h3>
        <p>
          Si la campagne atteint son objectif à sa date de fin, le porteur de projet reçoit l’argent collecté.
          Sinon, vous êtes remboursé intégralement, automatiquement, sur la carte utilisée. Le projet ne
          reçoit donc de l’argent que s’il en a assez pour se réaliser.
        </p>

        <h3>Comment contribuer&#x202f;?</h3>
        <p>
          Choisissez un projet dans <Link to="/campagnes">la liste des projets</Link>, un montant (de{" "}
          {formatEuros(contribution.minCents)} à {formatEuros(contribution.maxCents)}) ou une contrepartie, et
          payez par carte bancaire. Vous recevez un reçu par courriel. Un compte n’est pas nécessaire&#x202f;;
          il vous permet de retrouver vos contributions dans <Link to="/mon-compte">Mon compte</Link>.
        </p>

        <h3>Qu’est-ce qu’une contrepartie&#x202f;?</h3>
        <p>
          Un remerciement que le porteur propose à partir d’un certain montant&nbsp;: un produit, une
          invitation, votre nom sur une liste… Il vous la remet si la campagne réussit. Une contrepartie n’est
          pas un achat&nbsp;: votre contribution reste un don, et sa valeur reste modeste par rapport au
          montant donné.
        </p>

        <h3>Quand suis-je remboursé&#x202f;?</h3>
        <p>
          Si la campagne n’atteint pas son objectif, ou si elle est annulée par l’équipe de la
          plateforme&nbsp;: tous les contributeurs sont remboursés, sans démarche, et reçoivent un courriel
          quand leur remboursement a été effectué. Si un remboursement échoue (carte expirée par exemple),
          vous êtes prévenu par courriel et l’équipe vous contacte pour vous rembourser autrement.
        </p>

        <h3>Est-ce que je paie des frais&#x202f;?</h3>
        <p>Non. Vous payez le montant choisi, rien de plus.</p>

        <h3>Qui voit ma contribution&#x202f;?</h3>
        <p>
          La liste publique des contributeurs montre votre nom, sauf si vous choisissez d’apparaître comme
          anonyme, et le montant, sauf si vous choisissez de le masquer. Votre adresse électronique n’est
          jamais publiée.
        </p>
      </section>

      <section aria-labelledby="h-holders">
        <h2 id="h-holders">Pour les porteurs de projet</h2>

        <h3>Qui peut déposer un projet&#x202f;?</h3>
        <p>
          Une structure de l’économie sociale et solidaire (association, coopérative, entreprise à finalité
          sociale, collectif de citoyens) dont le projet se réalise dans le Pas-de-Calais. Voir les{" "}
          <Link to="/criteres-de-selection">critères de sélection</Link>.
        </p>

        <h3>Comment se passe une campagne&#x202f;?</h3>
        <p>
          Vous rédigez votre campagne (présentation, objectif, date de fin, utilisation des fonds,
          contreparties) et la soumettez. L’équipe du Département la vérifie, peut vous demander des
          modifications, puis l’accepte ou la refuse en expliquant pourquoi. Acceptée, elle est publiée à sa
          date de début et dure de {campaignDays.min} à {campaignDays.max}&nbsp;jours.
        </p>

        <h3>Combien coûte une campagne&#x202f;? (les 3&nbsp;% et le 0&nbsp;% Budget Citoyen)</h3>
        <p>
          Rien si elle n’atteint pas son objectif. Si elle réussit, la plateforme conserve une commission de{" "}
          {commission.standardPercent}&nbsp;% du montant collecté&nbsp;: pour {formatEuros(example)}{" "}
          collectés, vous recevez {formatEuros(example - kept)} et la commission est de {formatEuros(kept)}.
          Pour un projet labellisé «&nbsp;Budget Citoyen&nbsp;» par le Département, la commission est de{" "}
          {commission.budgetCitoyenPercent}&nbsp;%&nbsp;: vous recevez la totalité.
        </p>

        <h3>Quand reçois-je l’argent&#x202f;?</h3>
        <p>
          Après la date de fin d’une campagne réussie, par virement sur le compte de paiement que vous avez
          ouvert depuis votre espace porteur. Vous êtes prévenu par courriel quand le virement a été émis.
        </p>

        <h3>Qu’est-ce que je m’engage à faire&#x202f;?</h3>
        <p>
          Utiliser les fonds pour le projet présenté, remettre les contreparties promises et donner des
          nouvelles à vos contributeurs. Le détail est dans les{" "}
          <Link to="/conditions-generales">conditions générales d’utilisation</Link>.
        </p>
      </section>

      <p>
        Une autre question&#x202f;? <Link to="/contact">Écrivez-nous</Link>.
      </p>
    </div>
  );
}
