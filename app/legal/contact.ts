/** The contact form's shared constants (the page and app/legal/contact.server.ts). */

/** The subjects a person picks from, by value. */
export const CONTACT_SUBJECTS = {
  contribution: "Une contribution",
  projet: "Un projet ou une campagne",
  proposer: "Proposer un projet",
  donnees: "Mes données personnelles",
  accessibilite: "L’accessibilité du site",
  autre: "Autre demande",
} as const;
export type ContactSubject = keyof typeof CONTACT_SUBJECTS;

/** The hidden field's name: a person leaves it empty, a robot fills it. */
export const HONEYPOT_FIELD = "site_web";
/** the longest message accepted, in characters */
export const MESSAGE_MAX = 5000;

export type ContactField = "name" | "email" | "subject" | "message";
