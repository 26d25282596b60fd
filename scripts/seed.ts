/**
 * `npm run seed`: create and migrate the database (DATABASE_PATH, default
 * data/propulsons.sqlite) and load the demo data if it is empty.
 * `npm run seed -- --reset` deletes the database file first (never in production).
 */
import fs from "node:fs";
import { migrateToLatest, openDatabase } from "../db/connection";
import { seedDemoPictures } from "../db/seed/pictures";
import { seedDatabase } from "../db/seed/seed";
import { parseCli } from "./cli";

const { values } = parseCli({
  command: "npm run seed",
  synopsis: "[--reset]",
  description:
    "Crée et migre la base SQLite (DATABASE_PATH, par défaut data/propulsons.sqlite) et y charge\n" +
    "les données de démonstration si elle ne contient aucune campagne.",
  options: {
    reset: { type: "boolean", help: "supprimer d'abord le fichier de la base (jamais en production)" },
  },
});
const reset = values.reset === true;
const file = process.env.DATABASE_PATH ?? "data/propulsons.sqlite";

if (reset) {
  if (process.env.PROPULSONS_ENV === "production") {
    console.error("Refus : --reset est interdit en production.");
    process.exit(1);
  }
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  console.log(`Base supprimée : ${file}`);
}

const database = openDatabase(file);
try {
  const applied = await migrateToLatest(database.db);
  console.log(applied.length ? `Migrations appliquées : ${applied.join(", ")}` : "Schéma déjà à jour.");
  const result = await seedDatabase(database.db);
  console.log(
    result.seeded
      ? `Données de démonstration chargées : ${result.campaigns} campagnes, ${result.contributions} contributions.`
      : "La base contient déjà des campagnes : rien n'a été ajouté.",
  );
  const pictures = await seedDemoPictures(database.db);
  if (pictures > 0) console.log(`Illustrations des campagnes de démonstration : ${pictures}.`);
} finally {
  await database.close();
}
