/**
 * `npm run staff:add -- prenom.nom@pasdecalais.fr [--nom "Prénom Nom"]`: give an agent of the
 * Département access to the back office (/gestion). They then sign in with their e-mail.
 * `npm run staff:remove -- prenom.nom@pasdecalais.fr` takes the access back.
 */
import { grantStaff, revokeStaff } from "../app/auth.server";
import { fail, openConfiguredDatabase, option, positional } from "./cli";

const remove = option("retirer") === "oui";
const [email] = positional();
if (!email)
  fail(
    'Usage : npm run staff:add -- prenom.nom@pasdecalais.fr [--nom "Prénom Nom"]   ou   npm run staff:remove -- prenom.nom@pasdecalais.fr',
  );

const database = await openConfiguredDatabase();
try {
  if (remove) {
    const r = await revokeStaff(database.db, email);
    if (!r.ok) fail(r.message);
    console.log(r.message);
  } else {
    const r = await grantStaff(database.db, email, option("nom")?.trim() || null);
    if (!r.ok) fail(r.message);
    console.log(
      r.created
        ? `Compte créé pour ${email.trim().toLowerCase()} avec l'accès à l'espace Département.`
        : `${email.trim().toLowerCase()} a maintenant accès à l'espace Département (rôle précédent : ${r.previousRole}).`,
    );
    if (!/@pasdecalais\.fr$/i.test(email.trim()))
      console.log("Attention : cette adresse n'est pas une adresse @pasdecalais.fr.");
    console.log("La personne se connecte sur /connexion avec cette adresse, puis ouvre /gestion.");
  }
} finally {
  await database.close();
}
