/**
 * `npm run reconcile`: checks, for every campaign, that
 * paid − refunded = held + paid out + commission, to the cent, and that the
 * ledger agrees with contributions and payouts; then that the key figures'
 * maintained aggregates equal a plain recomputation from the contributions.
 * Exit 1 on any difference. `-- --rebuild-figures` rebuilds the aggregates
 * (after a bulk import, for instance) and checks again.
 */
import { countOf, formatEuros } from "../app/domain/format";
import { checkFigureAggregates, rebuildFigureAggregates } from "../app/models/figures.server";
import { reconcile } from "../app/settlement/reconcile.server";
import { openConfiguredDatabase, parseCli } from "./cli";

const { values } = parseCli({
  command: "npm run reconcile",
  synopsis: "[--rebuild-figures]",
  description:
    "Vérifie, pour chaque campagne, que payé − remboursé = détenu + versé + commission, au\n" +
    "centime, puis que les agrégats des chiffres clés égalent un recalcul. Code de sortie 1\n" +
    "au moindre écart.",
  options: {
    "rebuild-figures": {
      type: "boolean",
      help: "reconstruire d'abord les agrégats des chiffres clés (après un import en masse)",
    },
  },
});

const database = await openConfiguredDatabase();
try {
  const balances = await reconcile(database.db);
  const bad = balances.filter((b) => b.problems.length > 0);
  for (const b of balances) {
    const line = `${b.slug} [${b.status}] payé ${formatEuros(b.paidCents)} − remboursé ${formatEuros(b.refundedCents)} = détenu ${formatEuros(b.heldCents)} + versé ${formatEuros(b.paidOutCents)} + commission ${formatEuros(b.commissionCents)}`;
    console.log(
      b.problems.length === 0 ? `OK   ${line}` : `ÉCART ${line}\n     ${b.problems.join("\n     ")}`,
    );
  }
  console.log(
    bad.length === 0
      ? `Rapprochement : ${balances.length} campagnes, aucun écart.`
      : `Rapprochement : ${countOf(bad.length, "campagne", "campagnes")} en écart sur ${balances.length}.`,
  );
  if (values["rebuild-figures"]) {
    await rebuildFigureAggregates(database.db);
    console.log("Agrégats des chiffres clés reconstruits à partir des contributions.");
  }
  const figureProblems = await checkFigureAggregates(database.db);
  for (const p of figureProblems) console.log(`ÉCART chiffres clés : ${p}`);
  console.log(
    figureProblems.length === 0
      ? "Chiffres clés : les agrégats sont égaux au recalcul."
      : `Chiffres clés : ${countOf(figureProblems.length, "écart", "écarts")} ; \`npm run reconcile -- --rebuild-figures\` les reconstruit.`,
  );
  process.exitCode = bad.length === 0 && figureProblems.length === 0 ? 0 : 1;
} finally {
  await database.close();
}
