/**
 * The legal and trust pages every page's footer links to (root.tsx's footer and the bare error
 * page of app/error-page.server.ts), in one list so that none is forgotten on any page.
 */
export const LEGAL_LINKS = [
  { to: "/mentions-legales", label: "Mentions légales" },
  { to: "/conditions-generales", label: "Conditions générales d’utilisation" },
  { to: "/confidentialite", label: "Politique de confidentialité" },
  { to: "/cookies", label: "Cookies" },
  { to: "/contact", label: "Contact" },
  { to: "/comment-ca-marche", label: "Comment ça marche\u202f?" },
  { to: "/criteres-de-selection", label: "Critères de sélection des projets" },
  { to: "/accessibilite", label: "Accessibilité\u00a0: non conforme" },
  { to: "/rapport-annuel", label: "Rapport annuel et données ouvertes" },
] as const;

/** The IFP mention of the footer. */
export function registrationText(oriasNumber: string): string {
  return `Intermédiaire en financement participatif immatriculé à l’ORIAS sous le n°\u00a0${oriasNumber} (www.orias.fr).`;
}

export function paymentText(paymentProvider: string): string {
  return `Paiements traités par ${paymentProvider}.`;
}
