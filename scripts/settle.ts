/**
 * `npm run settle`: one settlement pass, for cron or by hand.
 * `npm run settle -- --now 2026-03-31T22:00:00Z` acts as if it were that instant.
 * `--no-emails` leaves the e-mails it queued to the server's worker.
 */
import { runSettlementPass } from "../app/settlement/settle.server";
import { deliverDueEmails } from "../app/email.server";
import { fail, openConfiguredDatabase, option } from "./cli";

const nowArg = option("now");
const now = nowArg ? new Date(nowArg) : new Date();
if (Number.isNaN(now.getTime())) fail(`--now : date invalide « ${nowArg} » (attendu : 2026-03-31T22:00:00Z)`);

if (!process.env.STRIPE_SECRET_KEY || !process.env.RESEND_API_KEY) {
  const { startMockServer } = await import("~/demo/index.server");
  startMockServer({ stripe: !process.env.STRIPE_SECRET_KEY, resend: !process.env.RESEND_API_KEY });
}

const database = await openConfiguredDatabase();
try {
  console.log(`Règlement au ${now.toISOString()}${nowArg ? " (instant simulé)" : ""}.`);
  const started = performance.now();
  const report = await runSettlementPass(database.db, { now, log: (line) => console.log(`- ${line}`) });
  console.log(`Passe de règlement terminée en ${((performance.now() - started) / 1000).toFixed(1)} s ; envoi des courriels en file…`);
  // The server's e-mail worker would send them too; sending here serves cron-only setups.
  const emails = process.argv.includes("--no-emails")
    ? { sent: 0 }
    : await deliverDueEmails(database.db, { now: new Date(Math.max(now.getTime(), Date.now())), limit: 10_000 });
  console.log(
    `Bilan : ${report.started} mise(s) en ligne, ${report.closed} collecte(s) close(s), ${report.funded} réussie(s), ${report.failed} non financée(s), ` +
      `${report.waiting} en attente de paiements, ${report.payoutsPaid} virement(s) émis, ${report.payoutsWaiting} virement(s) en attente, ` +
      `${report.refunded} remboursement(s), ${report.refundsPending} remboursement(s) en cours, ${report.refundFailed} remboursement(s) en échec, ` +
      `${emails.sent} courriel(s) envoyé(s), ${report.skipped} campagne(s) laissée(s) à un autre processus, ${report.errors} erreur(s).`,
  );
  process.exitCode = report.errors > 0 ? 1 : 0;
} finally {
  await database.close();
}
