/**
 * `npm run reconcile`: checks, for every campaign, that
 * paid − refunded = held + paid out + commission, to the cent, and that the
 * ledger agrees with contributions and payouts. Exit 1 on any difference.
 */
import { formatEuros } from "../app/domain/format";
import { reconcile } from "../app/settlement/reconcile.server";
import { openConfiguredDatabase } from "./cli";

const database = await openConfiguredDatabase();
try {
  const balances = await reconcile(database.db);
  const bad = balances.filter((b) => b.problems.length > 0);
  for (const b of balances) {
    const line = `${b.slug} [${b.status}] payé ${formatEuros(b.paidCents)} − remboursé ${formatEuros(b.refundedCents)} = détenu ${formatEuros(b.heldCents)} + versé ${formatEuros(b.paidOutCents)} + commission ${formatEuros(b.commissionCents)}`;
    console.log(b.problems.length === 0 ? `OK   ${line}` : `ÉCART ${line}\n     ${b.problems.join("\n     ")}`);
  }
  console.log(bad.length === 0 ? `Rapprochement : ${balances.length} campagnes, aucun écart.` : `Rapprochement : ${bad.length} campagne(s) en écart sur ${balances.length}.`);
  process.exitCode = bad.length === 0 ? 0 : 1;
} finally {
  await database.close();
}
