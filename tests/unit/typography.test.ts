import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatEuros } from "~/domain/format";
import {
  countOf,
  frenchDate,
  frenchDateTime,
  frenchInteger,
  frenchText,
  frenchTime,
  NBSP,
  NNBSP,
  plural,
  quoted,
  typographyProblems,
} from "~/domain/typography";

describe("frenchText", () => {
  it("puts a no-break space before « : » and a narrow one before « ; ! ? », replacing plain ones", () => {
    expect(frenchText("État : brouillon ; vraiment ? Oui !")).toBe(
      `État${NBSP}: brouillon${NNBSP}; vraiment${NNBSP}? Oui${NNBSP}!`,
    );
    // A wrong kind of no-break space is corrected too; several spaces before the sign become one.
    expect(frenchText(`Prêt${NBSP}? Go  !`)).toBe(`Prêt${NNBSP}? Go${NNBSP}!`);
    expect(frenchText(`Total${NNBSP}: 3`)).toBe(`Total${NBSP}: 3`);
  });

  it("leaves addresses, times and query strings alone (no space, nothing added)", () => {
    const text = "Voir https://propulsons.example/campagnes?page=2 à 10:58, ou mailto:contact@example.org";
    expect(frenchText(text)).toBe(text);
  });

  it("puts no-break spaces inside guillemets", () => {
    expect(frenchText("la campagne « Un jardin »")).toBe(`la campagne «${NBSP}Un jardin${NBSP}»`);
    expect(frenchText("«Un jardin»")).toBe(`«${NBSP}Un jardin${NBSP}»`);
    expect(quoted("Un jardin")).toBe(`«${NBSP}Un jardin${NBSP}»`);
  });

  it("turns straight apostrophes between letters into ’, not quotes in code or at word ends", () => {
    expect(frenchText("l'équipe n'a pas d'image")).toBe("l’équipe n’a pas d’image");
    expect(frenchText("class='x'")).toBe("class='x'");
  });
});

describe("plurals and numbers", () => {
  it("0 and 1 are singular, 2 and more plural", () => {
    expect(plural(0, "contribution", "contributions")).toBe("contribution");
    expect(plural(1, "contribution", "contributions")).toBe("contribution");
    expect(plural(2, "contribution", "contributions")).toBe("contributions");
    expect(countOf(0, "contribution", "contributions")).toBe("0 contribution");
    expect(countOf(1, "contribution", "contributions")).toBe("1 contribution");
    expect(countOf(2, "contribution", "contributions")).toBe("2 contributions");
    expect(countOf(1250, "contribution", "contributions")).toBe(`1${NNBSP}250 contributions`);
  });

  it("groups digits with a narrow no-break space, euros with a no-break space before €", () => {
    expect(frenchInteger(1250)).toBe(`1${NNBSP}250`);
    expect(formatEuros(125_000)).toBe(`1${NNBSP}250${NBSP}€`);
    expect(formatEuros(1050)).toBe(`10,50${NBSP}€`);
  });
});

describe("dates and times in Europe/Paris", () => {
  it("writes « 1er » on the first of the month, the day number otherwise", () => {
    // 1 December 2026, 00:30 in Paris is still 30 November in UTC.
    expect(frenchDate(new Date("2026-11-30T23:30:00Z"))).toBe("1er décembre 2026");
    expect(frenchDate("2026-03-31T10:00:00Z")).toBe("31 mars 2026");
    expect(formatDate("2026-01-01T12:00:00Z")).toBe("1er janvier 2026");
  });

  it("writes times as « 9 h », « 9 h 05 », « 23 h 59 », across daylight saving time", () => {
    expect(frenchTime("2026-12-01T08:00:00Z")).toBe(`9${NBSP}h`); // UTC+1
    expect(frenchTime("2026-12-01T08:05:00Z")).toBe(`9${NBSP}h${NBSP}05`);
    expect(frenchTime("2026-06-30T21:59:59Z")).toBe(`23${NBSP}h${NBSP}59`); // UTC+2
    expect(frenchTime("2026-06-30T22:00:00Z")).toBe(`0${NBSP}h`);
    expect(frenchDateTime("2026-11-30T23:05:00Z")).toBe(`1er décembre 2026 à 0${NBSP}h${NBSP}05`);
    expect(formatDateTime("2026-03-31T21:59:00Z")).toBe(`31 mars 2026 à 23${NBSP}h${NBSP}59`);
  });
});

describe("typographyProblems", () => {
  it("finds plain, missing or wrong spaces before « : ; ! ? », inside « », and straight apostrophes", () => {
    expect(typographyProblems("Une question ? Écrivez-nous : l'équipe répond « vite »")).toHaveLength(5);
    expect(typographyProblems("Attention: rien")).toHaveLength(1);
    expect(typographyProblems("Prêt\u00a0? Total\u202f: 3")).toHaveLength(2);
  });

  it("accepts what frenchText writes, times, addresses, query strings and « Propulsons! »", () => {
    expect(
      typographyProblems(frenchText("État : brouillon ; vraiment ? Oui ! l'équipe « Un jardin »")),
    ).toEqual([]);
    expect(
      typographyProblems("À 14:30, voir https://example.org/campagnes?page=2 ou mailto:a@example.org"),
    ).toEqual([]);
    expect(typographyProblems("Le modèle : Propulsons!, depuis 2015.".replace(" :", "\u00a0:"))).toEqual([]);
  });

  it("shows the snippet with its spaces made visible", () => {
    expect(typographyProblems("Bonjour ?")).toEqual(["espace ordinaire avant « : ; ! ? » — …Bonjour⍽?…"]);
  });
});
