/** Layout of the Département staff's back office. Every child loader and action checks the role itself. */
import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { database } from "~/db.server";
import { moderationCount } from "~/staff/moderation.server";

export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ["staff"]);
  return { name: user.displayName, waiting: await moderationCount(database().db) };
}

export default function StaffLayout() {
  const d = useLoaderData<typeof loader>();
  return (
    <div className="staff">
      <nav className="container staff-nav" aria-label="Espace Département">
        <ul>
          <li>
            <NavLink to="/gestion" end>
              Tableau de bord
            </NavLink>
          </li>
          <li>
            <NavLink to="/gestion/moderation">Modération ({d.waiting})</NavLink>
          </li>
          <li>
            <NavLink to="/gestion/campagnes">Campagnes</NavLink>
          </li>
          <li>
            <NavLink to="/gestion/anomalies">Paiements à traiter</NavLink>
          </li>
          <li>
            <NavLink to="/gestion/chiffres">Chiffres clés</NavLink>
          </li>
          <li>
            <NavLink to="/gestion/recus-fiscaux">Reçus fiscaux</NavLink>
          </li>
          <li>
            <NavLink to="/gestion/abondements">Abondements</NavLink>
          </li>
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
