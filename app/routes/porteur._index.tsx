import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { STATE_LABELS } from "~/domain/campaign-machine";
import { formatDate } from "~/domain/format";
import { campaignsOf, structuresOf } from "~/holder/structures.server";
import { canBePaid } from "~/domain/settlement";
import { legalFormName } from "~/domain/legal-forms";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction = () => [{ title: "Espace porteur de projet — Propulsons" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = database().db;
  const [structures, campaigns] = await Promise.all([structuresOf(db, user.id), campaignsOf(db, user.id)]);
  return {
    structures: structures.map((structure) => ({
      id: structure.id,
      name: structure.name,
      legalForm: legalFormName(structure.legal_form),
      registrationNumber: structure.registration_number,
      town: structure.town,
      territory: structure.territory_name,
      paymentsReady: canBePaid(structure),
    })),
    campaigns: campaigns.map((c) => ({
      id: c.id,
      slug: c.slug,
      title: c.title,
      status: STATE_LABELS[c.status],
      endsAt: c.ends_at,
      organization: c.organization_name,
    })),
  };
}

export default function HolderHome() {
  const { structures, campaigns } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const payments = search.get("paiements");
  return (
    <div className="container page">
      <h1>Espace porteur de projet</h1>
      {payments ? (
        <p className="outcome" role="status">
          {payments === "pret"
            ? "Votre compte de paiement est prêt\u00a0: les fonds d’une campagne réussie vous seront versés automatiquement."
            : "Votre compte de paiement n’est pas encore prêt\u00a0: Stripe attend encore des informations. Vous pouvez reprendre l’inscription."}
        </p>
      ) : null}
      <section aria-labelledby="structures-title">
        <h2 id="structures-title">Ma structure</h2>
        {structures.length === 0 ? (
          <>
            <p>
              Pour lancer une campagne, déclarez d’abord votre structure&nbsp;: association, coopérative
              (SCIC, SCOP), entreprise de l’ESS ou collectif citoyen.
            </p>
            <p>
              <Link to="/porteur/structure" className="button">
                Déclarer ma structure
              </Link>
            </p>
          </>
        ) : (
          <ul className="structure-list">
            {structures.map((s) => (
              <li key={s.id}>
                <strong>{s.name}</strong> — {s.legalForm}
                {s.registrationNumber ? `, n° ${s.registrationNumber}` : ""}, {s.town} ({s.territory}).{" "}
                {s.paymentsReady
                  ? "Compte de paiement prêt à recevoir les fonds."
                  : "Compte de paiement à connecter avant le versement des fonds."}{" "}
                <Link to="/porteur/structure">
                  Modifier<span className="visually-hidden"> la structure {s.name}</span>
                </Link>
                {!s.paymentsReady ? (
                  <Form method="post" action="/porteur/paiements" className="inline-form">
                    <input type="hidden" name="structure" value={s.id} />
                    <button type="submit" className="button button--secondary">
                      Connecter mon compte de paiement (Stripe)
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {structures.length > 0 ? (
          <p>
            <Link to="/porteur/recus">
              Reçus fiscaux&nbsp;: registre, chiffres à déclarer et fichiers de l’année
            </Link>
          </p>
        ) : null}
      </section>
      <section aria-labelledby="campaigns-title">
        <h2 id="campaigns-title">Mes campagnes</h2>
        {structures.length > 0 ? (
          <p>
            <Link to="/porteur/campagnes/nouvelle" className="button">
              Nouvelle campagne
            </Link>
          </p>
        ) : null}
        {campaigns.length === 0 ? (
          <p>Aucune campagne pour le moment.</p>
        ) : (
          <TableScroll label="Vos campagnes et leur état">
            <table className="table">
              <caption className="visually-hidden">Vos campagnes et leur état</caption>
              <thead>
                <tr>
                  <th scope="col">Campagne</th>
                  <th scope="col">Structure</th>
                  <th scope="col">État</th>
                  <th scope="col">Fin de la collecte</th>
                </tr>
              </thead>
              <tbody>
                {campaigns.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/porteur/campagnes/${c.id}`}>{c.title}</Link>
                      <div>
                        <Link to={`/porteur/campagnes/${c.id}/tableau-de-bord`}>
                          Tableau de bord<span className="visually-hidden"> de {c.title}</span>
                        </Link>
                        {" · "}
                        <Link to={`/porteur/campagnes/${c.id}/actualites`}>
                          Actualités<span className="visually-hidden"> de {c.title}</span>
                        </Link>
                      </div>
                    </td>
                    <td>{c.organization}</td>
                    <td>{c.status}</td>
                    <td>{formatDate(c.endsAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </div>
  );
}
