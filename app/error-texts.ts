/**
 * The French title and message of each HTTP error status: the pages the server answers before
 * Remix (app/error-page.server.ts) and the root route's ErrorBoundary say the same thing.
 */
export const ERROR_TEXTS: Record<number, { title: string; message: string }> = {
  400: {
    title: "Demande incorrecte",
    message: "L’adresse ou la demande est mal formée\u00a0: le serveur ne peut pas la lire.",
  },
  403: { title: "Accès refusé", message: "Cette demande n’est pas autorisée." },
  404: { title: "Page introuvable", message: "La page demandée n’existe pas ou n’est plus disponible." },
  405: { title: "Méthode non autorisée", message: "Cette adresse ne reçoit pas ce type de demande." },
  408: {
    title: "Délai dépassé",
    message: "La demande est arrivée trop lentement\u202f; veuillez réessayer.",
  },
  413: {
    title: "Envoi trop volumineux",
    message: "La demande est trop volumineuse\u00a0: elle n’a pas été traitée. Allégez-la puis réessayez.",
  },
  414: { title: "Adresse trop longue", message: "L’adresse demandée est trop longue." },
  431: {
    title: "En-têtes trop volumineux",
    message:
      "La demande porte trop d’informations (adresse ou cookies trop longs)\u00a0: elle n’a pas été traitée.",
  },
  500: {
    title: "Une erreur est survenue",
    message: "Le service rencontre un problème. Veuillez réessayer dans quelques instants.",
  },
  503: {
    title: "Service momentanément indisponible",
    message:
      "Propulsons ne peut pas accéder à sa base de données pour le moment. Si vous veniez d’envoyer un formulaire, il n’a pas été enregistré\u00a0: réessayez dans une minute.",
  },
};

/** The texts for `status`: its own, else those of 500 (5xx) or 400 (any other). */
export function errorTexts(status: number): { title: string; message: string } {
  return ERROR_TEXTS[status] ?? (status >= 500 ? ERROR_TEXTS[500]! : ERROR_TEXTS[400]!);
}
