/**
 * `npm run reconcile`: checks, for every campaign, that
 * paid − refunded = held + paid out + commission, to the cent, and that the
 * ledger agrees with contributions and payouts; then that the key figures'
 * maintained aggregates equal a plain recomputation from the contributions.
 * Then each abondement envelope: reserved + confirmed + available = envelope, its totals equal
 * its matches and its ledger (docs/decisions/029-matching.md). Then each campaign's public tallies
 * equal a plain recomputation (docs/decisions/033-campaign-tallies.md). Exit 1 on any difference. `-- --rebuild-figures` rebuilds the aggregates
 * (after a bulk import, for instance) and checks again.
 */
import { countOf, formatEuros } from "../app/domain/format";
import { checkCampaignTallies } from "../app/models/campaign-tallies.server";
import { checkFigureAggregates, rebuildFigureAggregates } from "../app/models/figures.server";
import { reconcile, reconcileFunds } from "../app/settlement/reconcile.server";
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
  const funds = await reconcileFunds(database.db);
  for (const f of funds) {
    const line = `abondement « ${f.name} » : enveloppe ${formatEuros(f.envelopeCents)} = réservé ${formatEuros(f.reservedCents)} + confirmé ${formatEuros(f.confirmedCents)} + disponible ${formatEuros(f.availableCents)}`;
    console.log(
      f.problems.length === 0 ? `OK   ${line}` : `ÉCART ${line}\n     ${f.problems.join("\n     ")}`,
    );
  }
  const badFunds = funds.filter((f) => f.problems.length > 0);
  if (funds.length > 0)
    console.log(
      badFunds.length === 0
        ? `Abondements : ${countOf(funds.length, "enveloppe", "enveloppes")}, aucun écart.`
        : `Abondements : ${countOf(badFunds.length, "enveloppe", "enveloppes")} en écart sur ${funds.length}.`,
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
  const tallyProblems = await checkCampaignTallies(database.db);
  for (const p of tallyProblems) console.log(`ÉCART compteurs de campagne : ${p}`);
  console.log(
    tallyProblems.length === 0
      ? "Compteurs des pages de campagne : égaux au recalcul."
      : `Compteurs des pages de campagne : ${countOf(tallyProblems.length, "campagne", "campagnes")} en écart.`,
  );
  process.exitCode =
    bad.length === 0 && badFunds.length === 0 && figureProblems.length === 0 && tallyProblems.length === 0
      ? 0
      : 1;
} finally {
  await database.close();
}
