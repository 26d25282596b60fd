/**
 * `npm run reconcile`: checks, for every campaign, that
 * paid − refunded = held + paid out + commission, to the cent, and that the
 * ledger agrees with contributions and payouts; then that the key figures'
 * maintained aggregates equal a plain recomputation from the contributions.
 * Exit 1 on any difference. `-- --reconstruire-chiffres` rebuilds the aggregates
 * (after a bulk import, for instance) and checks again.
 */
import { countOf, formatEuros } from "../app/domain/format";
import { checkFigureAggregates, rebuildFigureAggregates } from "../app/models/figures.server";
import { reconcile } from "../app/settlement/reconcile.server";
import { openConfiguredDatabase } from "./cli";

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
  if (process.argv.includes("--reconstruire-chiffres")) {
    await rebuildFigureAggregates(database.db);
    console.log("Agrégats des chiffres clés reconstruits à partir des contributions.");
  }
  const figureProblems = await checkFigureAggregates(database.db);
  for (const p of figureProblems) console.log(`ÉCART chiffres clés : ${p}`);
  console.log(
    figureProblems.length === 0
      ? "Chiffres clés : les agrégats sont égaux au recalcul."
      : `Chiffres clés : ${countOf(figureProblems.length, "écart", "écarts")} ; \`npm run reconcile -- --reconstruire-chiffres\` les reconstruit.`,
  );
  process.exitCode = bad.length === 0 && figureProblems.length === 0 ? 0 : 1;
} finally {
  await database.close();
}
