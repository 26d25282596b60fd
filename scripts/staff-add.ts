/**
 * `npm run staff:add -- prenom.nom@pasdecalais.fr [--name "Prénom Nom"]`: give an agent of the
 * Département access to the back office (/gestion). They then sign in with their e-mail.
 * `npm run staff:remove -- prenom.nom@pasdecalais.fr` takes the access back.
 */
import { grantStaff, revokeStaff } from "../app/auth.server";
import { openConfiguredDatabase, fail, parseCli } from "./cli";

const { values, positionals } = parseCli({
  command: "npm run staff:add",
  synopsis: 'prenom.nom@pasdecalais.fr [--name "Prénom Nom"]   (npm run staff:remove -- <adresse>)',
  description:
    "Donne à un agent du Département l'accès à l'espace Département (/gestion) ; la personne\n" +
    "se connecte ensuite avec son adresse. Avec --remove (npm run staff:remove), retire cet\n" +
    "accès et ferme ses sessions.",
  options: {
    name: { type: "string", value: "Prénom Nom", help: "le nom affiché, pour un nouveau compte" },
    remove: { type: "boolean", help: "retirer l'accès au lieu de le donner (npm run staff:remove)" },
  },
  positionals: ["<adresse électronique>"],
});
const remove = values.remove === true;
const [email] = positionals as [string];

const database = await openConfiguredDatabase();
try {
  if (remove) {
    const r = await revokeStaff(database.db, email);
    if (!r.ok) fail(r.message);
    console.log(r.message);
  } else {
    const r = await grantStaff(database.db, email, values.name?.trim() || null);
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
