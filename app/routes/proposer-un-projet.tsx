/**
 * « Proposer un projet »: for would-be holders, what it takes (who may apply, the
 * information asked, the steps, what it costs) and the way in.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getSessionUser } from "~/auth.server";
import { formatBps } from "~/domain/format";
import { BUDGET_CITOYEN_COMMISSION_BPS, STANDARD_COMMISSION_BPS } from "~/domain/money";
import { durationBounds } from "~/holder/campaign-form.server";
import { publicUrlFrom, SEO_HANDLE, seoMeta } from "~/seo/meta";

/** The selection criteria page (written by the legal pages). */
export const CRITERIA_PATH = "/criteres-de-selection";

export const meta: MetaFunction = ({ matches }) =>
  seoMeta({
    title: "Proposer un projet",
    description:
      "Votre structure de l’économie sociale et solidaire agit dans le Pas-de-Calais\u202f? Présentez votre projet sur Propulsons\u00a0: ce qu’il faut préparer, les étapes, ce que ça coûte.",
    base: publicUrlFrom(matches),
    path: "/proposer-un-projet",
  });
export const handle = SEO_HANDLE;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  return { signedIn: Boolean(user), days: durationBounds() };
}

export default function ProposeProject() {
  const { signedIn, days } = useLoaderData<typeof loader>();
  return (
    <div className="container page prose-page">
      <h1>Proposer un projet</h1>
      <p className="hero__lead">
        Vous portez un projet utile à votre territoire&#x202f;? Propulsons vous aide à le présenter aux
        habitants du Pas-de-Calais et à réunir, en financement participatif, les fonds qui le lanceront.
      </p>

      <section aria-labelledby="who-title">
        <h2 id="who-title">Qui peut proposer un projet&#x202f;?</h2>
        <ul>
          <li>
            une structure de l’économie sociale et solidaire (ESS)&nbsp;: association, coopérative (SCIC,
            SCOP), entreprise à finalité sociale, ou collectif de citoyens&#x202f;;
          </li>
          <li>installée dans le Pas-de-Calais, pour un projet réalisé dans le département&#x202f;;</li>
          <li>avec un projet précis, un budget chiffré et un calendrier.</li>
        </ul>
        <p>
          L’équipe du Département relit chaque projet selon des{" "}
          <Link to={CRITERIA_PATH}>critères de sélection publics</Link>.
        </p>
      </section>

      <section aria-labelledby="what-title">
        <h2 id="what-title">Ce qu’il faut préparer</h2>
        <ul>
          <li>
            <strong>votre structure</strong>&nbsp;: son nom, sa forme juridique, son numéro SIRET ou RNA (sauf
            pour un collectif), sa commune&#x202f;;
          </li>
          <li>
            <strong>le projet</strong>&nbsp;: un titre, un résumé de deux phrases, une présentation, les
            résultats attendus et le calendrier&#x202f;;
          </li>
          <li>
            <strong>une image</strong> du projet (JPEG, PNG ou WebP, 600&nbsp;×&nbsp;300 pixels au moins) et
            sa description pour les personnes qui ne la voient pas&#x202f;;
          </li>
          <li>
            <strong>l’objectif</strong> en euros et <strong>l’utilisation des fonds</strong>, poste par poste
            (le total des postes égale l’objectif)&#x202f;;
          </li>
          <li>
            <strong>la durée</strong> de la collecte, entre {days.min} et {days.max}
            &nbsp;jours&#x202f;;
          </li>
          <li>
            si vous le souhaitez, des <strong>contreparties</strong> pour remercier les contributeurs&#x202f;;
          </li>
          <li>
            un <strong>compte de paiement</strong> (Stripe) au nom de la structure, pour recevoir les fonds.
          </li>
        </ul>
      </section>

      <section aria-labelledby="steps-title">
        <h2 id="steps-title">Les étapes</h2>
        <ol className="steps">
          <li>
            <strong>Créer</strong>&nbsp;: dans votre espace porteur, déclarez votre structure puis écrivez la
            campagne. Vous pouvez l’enregistrer à tout moment et y revenir.
          </li>
          <li>
            <strong>Soumettre</strong>&nbsp;: quand tout est rempli, soumettez la campagne pour validation.
          </li>
          <li>
            <strong>Relecture</strong>&nbsp;: l’équipe du Département la relit. Elle la valide, vous demande
            des modifications ou la refuse en expliquant pourquoi&#x202f;; vous êtes prévenu par courriel.
          </li>
          <li>
            <strong>Publication</strong>&nbsp;: la campagne validée est en ligne à sa date de début. C’est du
            «&nbsp;tout ou rien&nbsp;»&nbsp;: si l’objectif est atteint à la date de fin, les fonds vous sont
            versés&#x202f;; sinon, chaque contributeur est remboursé.
          </li>
        </ol>
      </section>

      <section aria-labelledby="cost-title">
        <h2 id="cost-title">Ce que ça coûte</h2>
        <ul>
          <li>
            <strong>{formatBps(STANDARD_COMMISSION_BPS)}</strong> du montant collecté, retenus au versement,
            si la campagne réussit&#x202f;;
          </li>
          <li>
            <strong>{formatBps(BUDGET_CITOYEN_COMMISSION_BPS)}</strong> pour les projets labellisés Budget
            Citoyen&#x202f;;
          </li>
          <li>rien si l’objectif n’est pas atteint.</li>
        </ul>
      </section>

      <section aria-labelledby="start-title" className="propose-block">
        <h2 id="start-title">Commencer</h2>
        {signedIn ? (
          <p>
            <Link to="/porteur" className="button">
              Ouvrir mon espace porteur
            </Link>
          </p>
        ) : (
          <>
            <p>
              Connectez-vous avec votre adresse électronique&nbsp;: vous recevez par courriel un code de
              connexion, sans mot de passe. Votre espace porteur est créé à la première connexion.
            </p>
            <p>
              <Link to="/connexion?retour=%2Fporteur" className="button">
                Se connecter et créer mon espace porteur
              </Link>
            </p>
          </>
        )}
      </section>
    </div>
  );
}
