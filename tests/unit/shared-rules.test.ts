import { describe, expect, it } from "vitest";
import { formatEuros } from "~/domain/format";
import { LEGAL_FORM_KEYS, legalFormLabel, legalFormName } from "~/domain/legal-forms";
import { outOfBoundsMessage } from "~/domain/money";
import { campaignPath, contributorsPath } from "~/domain/paths";
import { EMAIL_KINDS, EMAILS, emailStaffLabel } from "../../emails/registry";

describe("one list of legal forms", () => {
  it("gives each form one label, and its full name where the holder chooses", () => {
    expect(LEGAL_FORM_KEYS).toEqual(["association", "scic", "scop", "entreprise_ess", "collectif"]);
    expect(legalFormLabel("scop")).toBe("SCOP");
    expect(legalFormName("scop")).toBe("SCOP (société coopérative et participative)");
    expect(legalFormName("association")).toBe("Association");
    expect(legalFormLabel("collectif")).toBe("Collectif citoyen");
    expect(legalFormName("collectif")).toBe("Collectif citoyen (sans personnalité morale)");
    for (const key of LEGAL_FORM_KEYS) expect(legalFormName(key).startsWith(legalFormLabel(key))).toBe(true);
    // Not an own key of the list: shown as stored, never « undefined ».
    expect(legalFormLabel("toString")).toBe("toString");
  });
});

describe("the bounds of a contribution", () => {
  const bounds = { minCents: 500, maxCents: 1_000_000 };
  it("accepts the bounds themselves and refuses a cent beyond, in French", () => {
    expect(outOfBoundsMessage(500, bounds)).toBeNull();
    expect(outOfBoundsMessage(1_000_000, bounds)).toBeNull();
    expect(outOfBoundsMessage(499, bounds)).toBe(
      `Le montant doit être compris entre ${formatEuros(500)} et ${formatEuros(1_000_000)}.`,
    );
    expect(outOfBoundsMessage(1_000_001, bounds)).toBe(outOfBoundsMessage(499, bounds));
  });
});

describe("campaign addresses", () => {
  it("are built in one place", () => {
    expect(campaignPath("potager-partage")).toBe("/campagnes/potager-partage");
    expect(contributorsPath("potager-partage")).toBe("/campagnes/potager-partage/contributeurs");
    expect(contributorsPath("potager-partage", 2)).toBe("/campagnes/potager-partage/contributeurs?page=2");
    expect(campaignPath("../x")).toBe("/campagnes/..%2Fx");
  });
});

describe("the e-mail registry", () => {
  it("declares each kind once, with a template, a subject and a distinct staff label", () => {
    expect(EMAIL_KINDS).toHaveLength(20);
    expect(new Set(EMAIL_KINDS.map(emailStaffLabel)).size).toBe(EMAIL_KINDS.length);
    for (const kind of EMAIL_KINDS) {
      expect(typeof EMAILS[kind].component, kind).toBe("function");
      expect(typeof EMAILS[kind].subject, kind).toBe("function");
      expect(emailStaffLabel(kind).length, kind).toBeGreaterThan(5);
    }
    expect(emailStaffLabel("sign_in")).toBe("Connexion (lien et code)");
  });
});
