/**
 * `npm run org:link-stripe -- <campaign slug or organization id> acct_…`:
 * link a holder's Stripe Connect account (until the holder space does onboarding).
 */
import { accountCanReceiveTransfers } from "../app/payments/stripe.server";
import { fail, openConfiguredDatabase, positional } from "./cli";

const [target, account] = positional();
if (!target || !account || !/^acct_[A-Za-z0-9_]+$/.test(account))
  fail("Usage : npm run org:link-stripe -- <slug de campagne | id de structure> acct_…");

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
