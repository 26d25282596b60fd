import { describe, expect, it } from "vitest";
import { isValidRna, isValidSiret, normalizeRegistration } from "~/domain/registration";
import { validateStructure } from "~/holder/structure-form.server";

describe("SIRET and RNA numbers", () => {
  it("accepts SIRETs whose Luhn checksum is valid, with spaces or not", () => {
    expect(isValidSiret("73282932000074")).toBe(true);
    expect(isValidSiret("732 829 320 00074")).toBe(true);
    expect(isValidSiret("73282932000075")).toBe(false); // last digit off
    expect(isValidSiret("7328293200007")).toBe(false); // 13 digits
    expect(isValidSiret("7328293200007A")).toBe(false);
  });

  it("uses La Poste's rule for its SIRETs (digit sum divisible by 5)", () => {
    expect(isValidSiret("35600000000001")).toBe(true); // digit sum 15
    expect(isValidSiret("35600000000048")).toBe(false); // digit sum 26
  });

  it("accepts RNA numbers: W + 9 characters", () => {
    expect(isValidRna("W623001234")).toBe(true);
    expect(isValidRna("w62 300 1234")).toBe(true);
    expect(isValidRna("W62300123")).toBe(false);
    expect(isValidRna("X623001234")).toBe(false);
    expect(normalizeRegistration(" w62.300-1234 ")).toBe("W623001234");
  });
});

describe("structure form", () => {
  const territories = new Set(["arrageois", "boulonnais"]);
  const base = {
    nom: "Les Jardins du Ternois",
    forme: "association",
    numero: "W623001234",
    commune: "Saint-Pol-sur-Ternoise",
    territoire: "arrageois",
  };

  it("accepts a complete association", () => {
    expect(validateStructure(base, territories)).toEqual({
      ok: true,
      data: {
        name: "Les Jardins du Ternois",
        legalForm: "association",
        registrationNumber: "W623001234",
        town: "Saint-Pol-sur-Ternoise",
        territory: "arrageois",
      },
    });
  });

  it("requires a valid SIRET for a cooperative or a company", () => {
    const r = validateStructure({ ...base, forme: "scic", numero: "W623001234" }, territories);
    expect(r.ok ? null : r.errors.numero).toMatch(/^Numéro SIRET invalide/);
    expect(validateStructure({ ...base, forme: "scop", numero: "73282932000074" }, territories).ok).toBe(
      true,
    );
  });

  it("lets a collectif leave the number empty", () => {
    const r = validateStructure({ ...base, forme: "collectif", numero: "" }, territories);
    expect(r.ok && r.data.registrationNumber).toBe(null);
  });

  it("says what is wrong, in French, field by field", () => {
    const r = validateStructure(
      { nom: "", forme: "sarl", numero: "", commune: "", territoire: "picardie" },
      territories,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toMatchObject({
      nom: "Indiquez le nom de la structure.",
      forme: "Choisissez la forme juridique.",
      commune: "Indiquez la commune.",
      territoire: "Territoire inconnu.",
    });
  });
});
