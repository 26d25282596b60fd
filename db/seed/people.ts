/**
 * Fictitious contributors: common French first names and initials, addresses at
 * example.org (a reserved domain). No real person's contact details.
 */
import type { Random } from "./random";

const FIRST_NAMES = [
  "Marie",
  "Jean",
  "Nathalie",
  "Philippe",
  "Isabelle",
  "Michel",
  "Sylvie",
  "Alain",
  "Catherine",
  "Patrick",
  "Sandrine",
  "Christophe",
  "Valérie",
  "Stéphane",
  "Céline",
  "Olivier",
  "Sophie",
  "Laurent",
  "Aurélie",
  "David",
  "Julie",
  "Nicolas",
  "Camille",
  "Thomas",
  "Émilie",
  "Julien",
  "Laura",
  "Maxime",
  "Manon",
  "Antoine",
  "Léa",
  "Hugo",
  "Chloé",
  "Lucas",
  "Inès",
  "Louis",
  "Zoé",
  "Gabriel",
  "Jade",
  "Arthur",
  "Martine",
  "Bernard",
  "Françoise",
  "Gérard",
  "Monique",
  "Daniel",
  "Brigitte",
  "Pascal",
  "Véronique",
  "Thierry",
  "Karima",
  "Mehdi",
  "Fatima",
  "Yanis",
  "Samia",
  "Rachid",
  "Agnieszka",
  "Tomasz",
  "Giulia",
  "Marco",
];
const LAST_INITIALS = "ABCDFGHJLMNPRSTV".split("");

export interface Person {
  email: string;
  publicName: string;
}

function asciiSlug(value: string): string {
  return value
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
}

/** The n-th fictitious contributor: stable for a given index. */
export function person(index: number, random: Random): Person {
  const first = random.pick(FIRST_NAMES);
  const initial = random.pick(LAST_INITIALS);
  return {
    email: `${asciiSlug(first)}.${initial.toLowerCase()}${String(index).padStart(4, "0")}@example.org`,
    publicName: `${first} ${initial}.`,
  };
}
