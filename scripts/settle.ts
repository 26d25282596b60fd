/**
 * `npm run settle`: one settlement pass, for cron or by hand.
 * `npm run settle -- --now 2026-03-31T22:00:00Z` acts as if it were that instant.
 * `--no-emails` leaves the e-mails it queued to the server's worker.
 */
import { runSettlementPass } from "../app/settlement/settle.server";
import { purgeSummary, runRetentionPurge } from "../app/account/retention-purge.server";
import { deliverDueEmails } from "../app/email.server";
import { countOf } from "../app/domain/format";
import { fail, openConfiguredDatabase, parseCli } from "./cli";

const { values } = parseCli({
  command: "npm run settle",
  synopsis: "[--now <instant>] [--no-emails]",
  description:
    "Une passe de règlement : met en ligne les campagnes validées dont la date est venue, clôt\n" +
    "celles dont l'échéance est passée, puis les déclare réussies (virement au porteur) ou non\n" +
    "financées (remboursements), et envoie les courriels en file.",
  options: {
    now: {
      type: "string",
      value: "instant",
      help: "agir comme à cet instant, par exemple 2026-03-31T22:00:00Z (démonstrations, tests)",
    },
    "no-emails": { type: "boolean", help: "laisser les courriels en file au serveur" },
  },
});
const nowArg = values.now;
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
  console.log(
    `Passe de règlement terminée en ${((performance.now() - started) / 1000).toFixed(1)} s ; envoi des courriels en file…`,
  );
  console.log(purgeSummary(await runRetentionPurge(database.db, { now })));
  // The server's e-mail worker would send them too; sending here serves cron-only setups.
  const emails = values["no-emails"]
    ? { sent: 0 }
    : await deliverDueEmails(database.db, {
        now: new Date(Math.max(now.getTime(), Date.now())),
        limit: 10_000,
      });
  console.log(
    `Bilan : ${countOf(report.started, "mise en ligne", "mises en ligne")}, ${countOf(report.closed, "collecte close", "collectes closes")}, ` +
      `${countOf(report.funded, "réussie", "réussies")}, ${countOf(report.failed, "non financée", "non financées")}, ` +
      `${countOf(report.waiting, "campagne en attente de paiements", "campagnes en attente de paiements")}, ${countOf(report.payoutsPaid, "virement émis", "virements émis")}, ` +
      `${countOf(report.payoutsWaiting, "virement en attente", "virements en attente")}, ${countOf(report.refunded, "remboursement", "remboursements")}, ` +
      `${countOf(report.refundsPending, "remboursement en cours", "remboursements en cours")}, ${countOf(report.refundFailed, "remboursement en échec", "remboursements en échec")}, ` +
      `${countOf(emails.sent, "courriel envoyé", "courriels envoyés")}, ${countOf(report.skipped, "campagne laissée", "campagnes laissées")} à un autre processus, ` +
      `${countOf(report.errors, "erreur", "erreurs")}.`,
  );
  process.exitCode = report.errors > 0 ? 1 : 0;
} finally {
  await database.close();
}
