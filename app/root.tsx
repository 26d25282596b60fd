import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { SeoDefaults } from "~/seo/defaults";
import type { ReactNode } from "react";
import stylesheet from "~/styles/app.css";
import { getSessionUser } from "~/auth.server";
import { config } from "~/config.server";
import { errorTexts } from "~/error-texts";
import { legalConfig } from "~/legal/config.server";
import { LEGAL_LINKS, paymentText, registrationText } from "~/legal/links";
import { SpliceRegion } from "~/components/page-splice";
import { readSession, sessionJson } from "~/session-view";
import { useNonce } from "~/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.ico", sizes: "48x48" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "apple-touch-icon", href: "/apple-touch-icon.png" },
];

/** The title and message of the error page the ErrorBoundary shows for `error`. */
function errorPage(error: unknown): { title: string; message: string } {
  if (!isRouteErrorResponse(error)) return errorTexts(500);
  const texts = errorTexts(error.status);
  // A 4xx may say why (a filter's French message, « Accès réservé. »); a 404 keeps its own words.
  if (error.status !== 404 && error.status < 500 && typeof error.data === "string" && error.data)
    return { title: texts.title, message: error.data };
  return texts;
}

// The description, canonical URL and sharing tags: <SeoDefaults /> below, or the route's own (app/seo).
// The one <title> of the page, error pages included (the ErrorBoundary renders none of its own).
export const meta: MetaFunction = ({ error }) => [
  {
    title: error
      ? `${errorPage(error).title} — Propulsons`
      : "Propulsons — financement participatif des projets solidaires du Pas-de-Calais",
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  const legal = legalConfig();
  return {
    demoMode: config().demoMode,
    // One JSON string: a cached page can be served to a signed-in visitor with it spliced in (034).
    session: sessionJson(user),
    // absolute URLs of canonical links and sharing tags (app/seo)
    publicUrl: config().publicUrl,
    legal: { oriasNumber: legal.oriasNumber, paymentProvider: legal.paymentProvider },
  };
}

function Header({ signedIn, staff }: { signedIn: boolean; staff: boolean }) {
  return (
    <header className="site-header" role="banner">
      <div className="container site-header__inner">
        <Link to="/" className="brand">
          <span className="brand__name">Propulsons</span>
          <span className="brand__tagline">Le financement participatif solidaire du Pas-de-Calais</span>
        </Link>
        <nav aria-label="Navigation principale">
          <ul className="nav">
            <li>
              <NavLink to="/" end>
                Accueil
              </NavLink>
            </li>
            <li>
              <NavLink to="/campagnes">Les projets</NavLink>
            </li>
            <li>
              <NavLink to="/proposer-un-projet">Proposer un projet</NavLink>
            </li>
            <li>
              <NavLink to="/accessibilite">Accessibilité</NavLink>
            </li>
            {signedIn ? (
              <>
                {staff ? (
                  <li>
                    <NavLink to="/gestion">Espace Département</NavLink>
                  </li>
                ) : null}
                <li>
                  <NavLink to="/mon-compte">Mon compte</NavLink>
                </li>
                <li>
                  <Form method="post" action="/deconnexion" className="nav-form">
                    <button type="submit" className="nav-button">
                      Se déconnecter
                    </button>
                  </Form>
                </li>
              </>
            ) : (
              <li>
                <NavLink to="/connexion">Se connecter</NavLink>
              </li>
            )}
          </ul>
        </nav>
      </div>
    </header>
  );
}

function Footer({ legal }: { legal: { oriasNumber: string; paymentProvider: string } | undefined }) {
  return (
    <footer className="site-footer" role="contentinfo">
      <div className="container">
        <p>
          Propulsons est la plateforme de financement participatif du Département du Pas-de-Calais pour les
          projets de l’économie sociale et solidaire. Les campagnes fonctionnent en «&nbsp;tout ou
          rien&nbsp;»&nbsp;: si l’objectif n’est pas atteint, chaque contributeur est remboursé.
        </p>
        {legal ? (
          <p>
            {registrationText(legal.oriasNumber)} {paymentText(legal.paymentProvider)}
          </p>
        ) : null}
        <nav aria-label="Informations légales et pratiques">
          <ul className="footer-links">
            {LEGAL_LINKS.map((l) => (
              <li key={l.to}>
                <Link to={l.to}>{l.label}</Link>
              </li>
            ))}
            <li>
              <Link to="/campagnes">Tous les projets</Link>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  const error = useRouteError() != null;
  return (
    <html lang="fr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <SeoDefaults publicUrl={data?.publicUrl ?? ""} error={error} />
        <Links />
      </head>
      <body>
        <a href="#contenu" className="skip-link">
          Aller au contenu
        </a>
        {data?.demoMode ? (
          <div className="demo-banner" role="note">
            <strong>Mode démonstration — aucun paiement réel.</strong> Les données sont fictives ou issues du
            rapport d’activité 2024.
          </div>
        ) : null}
        <SpliceRegion
          name="header"
          page={data?.session ?? sessionJson(null)}
          element={(session) => {
            const user = readSession(session);
            return <Header signedIn={user !== null} staff={user?.role === "staff"} />;
          }}
        />
        <main id="contenu" tabIndex={-1}>
          {children}
        </main>
        <Footer legal={data?.legal} />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const { title, message } = errorPage(useRouteError());
  return (
    <div className="container page">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">Revenir à l’accueil</Link> ou <Link to="/campagnes">voir tous les projets</Link>.
      </p>
    </div>
  );
}
