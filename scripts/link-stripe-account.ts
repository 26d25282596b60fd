/**
 * `npm run org:link-stripe -- <campaign slug or organization id> acct_…`:
 * link a holder's Stripe Connect account (until the holder space does onboarding).
 */
import { accountCanReceiveTransfers } from "../app/payments/stripe.server";
import { fail, openConfiguredDatabase, parseCli } from "./cli";

const { positionals } = parseCli({
  command: "npm run org:link-stripe",
  synopsis: "<slug de campagne | id de structure> acct_…",
  description: "Lie le compte Stripe Connect d'un porteur à sa structure.",
  options: {},
  positionals: ["<slug de campagne | id de structure>", "<acct_…>"],
});
const [target, account] = positionals as [string, string];
if (!/^acct_[A-Za-z0-9_]+$/.test(account))
  fail(`« ${account} » n'est pas un identifiant de compte Stripe (attendu : acct_…).`);

if (!process.env.STRIPE_SECRET_KEY) {
  const { startMockServer } = await import("~/demo/index.server");
  startMockServer({ stripe: true, resend: false });
}

const database = await openConfiguredDatabase();
try {
  const org = /^\d+$/.test(target)
    ? await database.db
        .selectFrom("organizations")
        .select(["id", "name"])
        .where("id", "=", Number(target))
        .executeTakeFirst()
    : await database.db
        .selectFrom("campaigns as c")
        .innerJoin("organizations as o", "o.id", "c.organization_id")
        .select(["o.id", "o.name"])
        .where("c.slug", "=", target)
        .executeTakeFirst();
  if (!org) fail(`Aucune structure pour « ${target} ».`);
  const ready = await accountCanReceiveTransfers(account);
  await database.db
    .updateTable("organizations")
    .set({ stripe_account_id: account, stripe_payouts_enabled: ready ? 1 : 0 })
    .where("id", "=", org.id)
    .execute();
  console.log(
    `${org.name} : compte ${account} lié (${ready ? "prêt à recevoir des virements" : "pas encore prêt : le virement attendra"}).`,
  );
} finally {
  await database.close();
}
