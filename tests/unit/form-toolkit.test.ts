import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import {
  Checkbox,
  ErrorSummary,
  Field,
  fieldAria,
  FieldError,
  Select,
  summaryText,
  TextArea,
} from "~/components/form";

describe("the form toolkit's one id scheme", () => {
  it("a field points to its hint, then its error, and says it is invalid only with an error", () => {
    expect(fieldAria("s-nom", {})).toEqual({ "aria-invalid": undefined, "aria-describedby": undefined });
    expect(fieldAria("s-nom", { hint: true })).toEqual({
      "aria-invalid": undefined,
      "aria-describedby": "s-nom-hint",
    });
    expect(fieldAria("s-nom", { hint: true, error: "Trop court." })).toEqual({
      "aria-invalid": true,
      "aria-describedby": "s-nom-hint s-nom-error",
    });
    // An error on a group of fields concerns each of them.
    expect(fieldAria("e-poste_0_montant", { also: ["e-postes-error", undefined] })).toEqual({
      "aria-invalid": true,
      "aria-describedby": "e-postes-error",
    });
  });

  it("Field, TextArea and Select render the same frame: label, control, hint, error", () => {
    const field = renderToStaticMarkup(
      h(Field, { id: "c-montant", name: "montant", label: "Montant", hint: "5 € au moins.", error: "Non." }),
    );
    expect(field).toBe(
      '<div class="field"><label for="c-montant">Montant</label>' +
        '<input id="c-montant" name="montant" aria-invalid="true" aria-describedby="c-montant-hint c-montant-error"/>' +
        '<p class="hint" id="c-montant-hint">5 € au moins.</p>' +
        '<p class="field-error" id="c-montant-error">Non.</p></div>',
    );
    const area = renderToStaticMarkup(h(TextArea, { id: "a-texte", name: "texte", label: "Texte" }));
    expect(area).toBe(
      '<div class="field"><label for="a-texte">Texte</label><textarea id="a-texte" name="texte"></textarea></div>',
    );
    const select = renderToStaticMarkup(
      h(Select, {
        id: "f-etat",
        name: "etat",
        label: "État",
        error: "Choisissez.",
        children: h("option", { value: "" }, "Tous"),
      }),
    );
    expect(select).toContain(
      '<select id="f-etat" name="etat" aria-invalid="true" aria-describedby="f-etat-error">',
    );
    expect(select).toContain('<p class="field-error" id="f-etat-error">Choisissez.</p>');
    const box = renderToStaticMarkup(
      h(Checkbox, { id: "c-anonyme", name: "anonyme", label: "Anonyme", hint: "Caché." }),
    );
    expect(box).toContain(
      '<input id="c-anonyme" type="checkbox" name="anonyme" aria-describedby="c-anonyme-hint"/>',
    );
  });
});

describe("the error summary", () => {
  it("does not say a field's name twice", () => {
    expect(summaryText({ label: "Montant", message: "Montant invalide : indiquez un nombre d'euros." })).toBe(
      "Montant invalide : indiquez un nombre d'euros.",
    );
    expect(summaryText({ label: "Adresse électronique", message: "adresse electronique invalide." })).toBe(
      "adresse electronique invalide.",
    );
    expect(summaryText({ label: "Commune", message: "Indiquez la commune." })).toBe(
      "Commune\u00a0: Indiquez la commune.",
    );
    expect(summaryText({ message: "Le total des postes doit égaler l'objectif." })).toBe(
      "Le total des postes doit égaler l'objectif.",
    );
  });

  it("is announced, focusable, counts its errors in French and links each to its field", () => {
    expect(renderToStaticMarkup(h(ErrorSummary, { entries: [] }))).toBe("");
    const one = renderToStaticMarkup(
      h(ErrorSummary, { entries: [{ target: "s-nom", label: "Nom", message: "Trop court." }] }),
    );
    expect(one).toBe(
      '<div class="error-summary" role="alert" tabindex="-1"><h2>Le formulaire contient une erreur</h2>' +
        '<ul><li><a href="#s-nom">Nom\u00a0: Trop court.</a></li></ul></div>',
    );
    const two = renderToStaticMarkup(
      h(ErrorSummary, {
        heading: "h3",
        entries: [
          { target: "c-montant", message: "a" },
          { target: "c-email", message: "b" },
        ],
      }),
    );
    expect(two).toContain("<h3>Le formulaire contient 2 erreurs</h3>");
    // The server's own message stands in for the heading, with or without entries.
    expect(renderToStaticMarkup(h(ErrorSummary, { entries: [], message: "Déjà décidé." }))).toBe(
      '<div class="error-summary" role="alert" tabindex="-1"><p>Déjà décidé.</p></div>',
    );
    // A message from a module is typeset where it is shown (frenchText), whatever its source wrote.
    expect(
      renderToStaticMarkup(
        h(ErrorSummary, {
          entries: [{ target: "c-montant", message: "Montant invalide : indiquez un nombre d'euros." }],
        }),
      ),
    ).toContain('<a href="#c-montant">Montant invalide\u00a0: indiquez un nombre d’euros.</a>');
    expect(
      renderToStaticMarkup(
        h(FieldError, { id: "c-nom", message: "Indiquez un nom ; ou cochez « anonyme »." }),
      ),
    ).toBe(
      '<p class="field-error" id="c-nom-error">Indiquez un nom\u202f; ou cochez «\u00a0anonyme\u00a0».</p>',
    );
  });
});
