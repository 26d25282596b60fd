/**
 * `npm run campaign:cancel -- <slug> --reason "…"`: staff cancel an approved or
 * live campaign; contributors are told why and refunded at once.
 */
import { cancelCampaign } from "../app/settlement/cancel.server";
import { runSettlementPass } from "../app/settlement/settle.server";
import { deliverDueEmails } from "../app/email.server";
import { TransitionError } from "../app/domain/campaign-machine";
import { countOf } from "../app/domain/format";
import { fail, openConfiguredDatabase, parseCli } from "./cli";

const spec = {
  command: "npm run campaign:cancel",
  synopsis: '<slug> --reason "motif de l\'annulation"',
  description:
    "Annule une campagne validée ou en cours (décision du Département) : les paiements ouverts\n" +
    "sont clos chez Stripe, les contributeurs sont prévenus du motif et remboursés.",
  options: {
    reason: { type: "string", value: "motif", help: "le motif, écrit aux contributeurs (obligatoire)" },
  },
  positionals: ["<slug>"],
} as const;
const { values, positionals } = parseCli(spec);
const [slug] = positionals as [string];
const reason = values.reason?.trim();
if (!reason) fail('Le motif de l\'annulation est obligatoire : --reason "…".');

if (!process.env.STRIPE_SECRET_KEY || !process.env.RESEND_API_KEY) {
  const { startMockServer } = await import("~/demo/index.server");
  startMockServer({ stripe: !process.env.STRIPE_SECRET_KEY, resend: !process.env.RESEND_API_KEY });
}

const database = await openConfiguredDatabase();
try {
  const campaign = await database.db
    .selectFrom("campaigns")
    .select(["id", "title"])
    .where("slug", "=", slug)
    .executeTakeFirst();
  if (!campaign) fail(`Aucune campagne « ${slug} ».`);
  let expired = 0;
  try {
    expired = (await cancelCampaign(database.db, campaign.id, { reason })).checkoutsExpired;
  } catch (error) {
    if (error instanceof TransitionError) fail(error.message);
    throw error;
  }
  console.log(`Campagne « ${campaign.title} » annulée : ${reason}`);
  if (expired > 0)
    console.log(
      `- ${countOf(expired, "paiement ouvert clos", "paiements ouverts clos")} chez Stripe : plus personne ne peut payer.`,
    );
  const report = await runSettlementPass(database.db, {
    campaignId: campaign.id,
    log: (line) => console.log(`- ${line}`),
  });
  await deliverDueEmails(database.db, { limit: 10_000 });
  process.exitCode = report.errors > 0 ? 1 : 0;
} finally {
  await database.close();
}
