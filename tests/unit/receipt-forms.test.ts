import { describe, expect, it } from "vitest";
import {
  isFrenchPostalCode,
  isValidRna,
  isValidSiren,
  mandateText,
  reductionSentence,
} from "~/domain/receipt-forms";
import { validateProfile, type ProfileValues } from "~/receipts-forms/profile-form.server";
import { readReceiptRequest, validateReceiptRequest } from "~/receipts-forms/request-form.server";
import { rewardWarning } from "~/receipts-forms/reward-value";

describe("French checks of a receipt declaration", () => {
  it("accepts a SIREN whose Luhn checksum is valid, refuses the others", () => {
    expect(isValidSiren("732829320")).toBe(true); // a real SIREN
    expect(isValidSiren("732 829 320")).toBe(true);
    expect(isValidSiren("732829321")).toBe(false);
    expect(isValidSiren("73282932")).toBe(false);
    expect(isValidSiren("7328293200")).toBe(false);
    expect(isValidSiren("73282932A")).toBe(false);
    expect(isValidSiren("")).toBe(false);
  });

  it("accepts an RNA number: W and 9 characters", () => {
    expect(isValidRna("W623001234")).toBe(true);
    expect(isValidRna("w62 300 1234")).toBe(true);
    expect(isValidRna("W62300123")).toBe(false);
    expect(isValidRna("X623001234")).toBe(false);
  });

  it("accepts a 5-digit French postal code", () => {
    expect(isFrenchPostalCode("62300")).toBe(true);
    expect(isFrenchPostalCode("01000")).toBe(true);
    expect(isFrenchPostalCode("97400")).toBe(true);
    expect(isFrenchPostalCode("6230")).toBe(false);
    expect(isFrenchPostalCode("623000")).toBe(false);
    expect(isFrenchPostalCode("00123")).toBe(false);
    expect(isFrenchPostalCode("99123")).toBe(false);
    expect(isFrenchPostalCode("62A00")).toBe(false);
  });
});

const profile: ProfileValues = {
  statut: "interet_general",
  article: "",
  objet: "Aide alimentaire et lien social à Liévin",
  rue: "12 rue de la République",
  code_postal: "62800",
  ville: "Liévin",
  siren: "",
  rna: "W623001234",
  signataire: "Claire Dupont",
  qualite: "Présidente",
  mandat: true,
};

describe("the declaration form", () => {
  it("takes the status's article when none is typed", () => {
    const r = validateProfile(profile);
    expect(r.ok && r.data.cgiArticle).toBe("200-1-b");
    expect(r.ok && r.data.rna).toBe("W623001234");
  });

  it("requires a SIREN or an RNA number, and the mandate", () => {
    const r = validateProfile({ ...profile, rna: "", mandat: false });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.siren).toMatch(/SIREN.*RNA/);
      expect(r.errors.mandat).toMatch(/mandat/);
    }
  });

  it("refuses a SIREN that fails the check and a bad postal code", () => {
    const r = validateProfile({ ...profile, siren: "732829321", code_postal: "6280" });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.siren).toMatch(/SIREN invalide/);
      expect(r.errors.code_postal).toMatch(/5 chiffres/);
    }
  });

  it("records a mandate text that names the structure, the revocation and its responsibility", () => {
    const text = mandateText("Épicerie solidaire");
    expect(text).toContain("Je donne mandat à Propulsons d’émettre");
    expect(text).toContain("Épicerie solidaire");
    expect(text).toMatch(/révoquer/);
    expect(text).toMatch(/seule responsable de son éligibilité/);
  });
});

function receiptForm(entries: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.set(k, v);
  return f;
}

describe("the receipt request on the contribution form", () => {
  it("asks for nothing when the box is not ticked", () => {
    expect(validateReceiptRequest(readReceiptRequest(receiptForm({})))).toEqual({ ok: true, data: null });
  });

  it("requires the name and address once ticked, French postal code for France", () => {
    const r = validateReceiptRequest(
      readReceiptRequest(receiptForm({ recu: "on", recu_prenom: "Léa", recu_code_postal: "123" })),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(Object.keys(r.errors).sort()).toEqual([
        "recu_code_postal",
        "recu_nom",
        "recu_rue",
        "recu_ville",
      ]);
      expect(r.errors.recu_code_postal).toMatch(/5 chiffres/);
    }
  });

  it("accepts a foreign postal code outside France", () => {
    const r = validateReceiptRequest(
      readReceiptRequest(
        receiptForm({
          recu: "on",
          recu_prenom: "Léa",
          recu_nom: "Martin",
          recu_rue: "1 rue Neuve",
          recu_code_postal: "1000",
          recu_ville: "Bruxelles",
          recu_pays: "Belgique",
        }),
      ),
    );
    expect(r.ok && r.data).toMatchObject({ country: "Belgique", postalCode: "1000" });
  });
});

describe("what the donor and the holder read", () => {
  it("says what a gift of 100 € costs after the reduction", () => {
    expect(reductionSentence(100_00, 0, "interet_general", 1_000_00).headline).toBe(
      "Votre don de 100\u00a0€ vous coûte 34\u00a0€ après réduction d’impôt.",
    );
    const withReward = reductionSentence(100_00, 20_00, "interet_general", 1_000_00);
    expect(withReward.headline).toContain("vous coûte 47,20\u00a0€");
    expect(withReward.detail).toContain("80\u00a0€");
    expect(reductionSentence(100_00, 0, "aide_personnes", 1_000_00).headline).toContain("25\u00a0€");
  });

  it("warns the holder over 25 % of the minimum or over the yearly cap", () => {
    expect(rewardWarning("5", "20", 73_00)).toBeNull();
    expect(rewardWarning("", "20", 73_00)).toBeNull();
    expect(rewardWarning("6", "20", 73_00)).toMatch(/plus de 25\u00a0%/);
    expect(rewardWarning("80", "1000", 73_00)).toMatch(/plafond annuel de 73\u00a0€/);
    expect(rewardWarning("80", "100", 73_00)).toMatch(/25\u00a0%.*et.*plafond/);
  });
});
