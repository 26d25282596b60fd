/**
 * `npm run backup -- <fichier> [--force]`: a consistent copy of the SQLite database, taken while
 * the platform runs (SQLite's online backup API through better-sqlite3's `db.backup()`: the copy is
 * one snapshot, including the payments still in the WAL file, which a plain file copy loses).
 * The copy is written beside the target, checked (quick_check), made self-contained (no WAL), and
 * only then put in place; an existing file is kept unless `--force`. On PostgreSQL it prints the
 * pg_dump command to use instead. Restoring: see the README, « Exploitation ».
 */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { config } from "../app/config.server";
import { countOf } from "../app/domain/format";
import { isPostgresUrl } from "../db/connection";
import { fail, parseCli, usage } from "./cli";

const nf = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

const spec = {
  command: "npm run backup",
  synopsis: "<fichier de sauvegarde> [--force]",
  description:
    "Copie cohérente de la base SQLite pendant que la plateforme tourne (API de sauvegarde en\n" +
    "ligne de SQLite). Sur PostgreSQL, affiche la commande pg_dump à utiliser.",
  options: { force: { type: "boolean", help: "remplacer le fichier s'il existe déjà" } },
  positionals: ["fichier de sauvegarde"],
  optionalFrom: 0,
} as const;
const { values, positionals } = parseCli(spec);
const target = positionals[0];
const force = values.force === true;
const cfg = config();
const source = cfg.databasePath;

if (isPostgresUrl(source)) {
  const url = new URL(source);
  url.password = "";
  const where = url.toString();
  const file = target ?? `propulsons-${new Date().toISOString().slice(0, 10).replace(/-/g, "")}.dump`;
  console.log(
    [
      "La base est PostgreSQL (DATABASE_URL) : cette commande ne copie que SQLite. Sauvegardez avec pg_dump,",
      "sans arrêter la plateforme (la copie est cohérente) :",
      "",
      `  pg_dump --format=custom --no-owner --file=${quote(file)} ${quote(where)}`,
      "",
      "Le mot de passe n'est pas affiché : donnez-le par la variable PGPASSWORD ou le fichier ~/.pgpass.",
      "Restaurer (plateforme arrêtée), puis `npm run reconcile` :",
      "",
      `  pg_restore --clean --if-exists --no-owner --dbname=${quote(where)} ${quote(file)}`,
    ].join("\n"),
  );
  process.exit(2);
}

if (!target) fail(`${usage(spec)}\n\nExemple : npm run backup -- /sauvegardes/propulsons-$(date +%F).sqlite`);
if (source === ":memory:")
  fail("La base est en mémoire (DATABASE_PATH=:memory:) : il n'y a rien à sauvegarder.");
const from = path.resolve(source);
const to = path.resolve(target);
if (!fs.existsSync(from)) fail(`Aucune base à sauvegarder : ${from} n'existe pas (DATABASE_PATH).`);
if (to === from || to.startsWith(`${from}-`))
  fail("La sauvegarde ne peut pas remplacer la base elle-même : choisissez un autre fichier.");
if (!fs.existsSync(path.dirname(to))) fail(`Le dossier ${path.dirname(to)} n'existe pas : créez-le d'abord.`);
if (fs.existsSync(to) && !force)
  fail(`${to} existe déjà : rien n'a été écrit. Ajoutez --force pour le remplacer.`);

const partial = `${to}.partiel-${process.pid}`;
const started = performance.now();
let pages: number;
try {
  const db = new SQLite(from, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    // All the pages in one step: one read snapshot, so writers (in WAL mode) never restart it.
    const result = await db.backup(partial, { progress: () => 0x7fffffff });
    pages = result.totalPages;
  } finally {
    db.close();
  }
  const copy = new SQLite(partial, { fileMustExist: true });
  let summary: { campaigns: number; contributions: number; paid: number; emails: number };
  try {
    copy.pragma("journal_mode = DELETE"); // one self-contained file, no -wal beside it
    const check = copy.pragma("quick_check", { simple: true });
    if (check !== "ok")
      throw new Error(`la copie ne passe pas la vérification d'intégrité (${String(check)})`);
    const one = (q: string) => Number(copy.prepare(q).pluck().get());
    summary = {
      campaigns: one("select count(*) from campaigns"),
      contributions: one("select count(*) from contributions"),
      paid: one("select count(*) from contributions where paid_at is not null"),
      emails: one("select count(*) from email_outbox"),
    };
  } finally {
    copy.close();
  }
  if (force) fs.renameSync(partial, to);
  else {
    fs.linkSync(partial, to); // fails if the file appeared meanwhile: never overwritten without --force
    fs.unlinkSync(partial);
  }
  const seconds = (performance.now() - started) / 1000;
  const bytes = fs.statSync(to).size;
  console.log(
    [
      `Sauvegarde en ligne terminée : ${from} → ${to}`,
      `  ${countOf(pages, "page", "pages")} (${nf.format(bytes / 1_000_000)} Mo) en ${nf.format(seconds)} s ; intégrité vérifiée.`,
      `  Contenu : ${countOf(summary.campaigns, "campagne", "campagnes")}, ${countOf(summary.contributions, "contribution", "contributions")} ` +
        `(${countOf(summary.paid, "paiement reçu", "paiements reçus")}), ${countOf(summary.emails, "e-mail", "e-mails")} dans la file d'envoi.`,
      `  Les images ne sont pas dans la base : sauvegardez aussi ${cfg.s3 ? "le compartiment S3" : `le dossier ${path.resolve(cfg.uploadsDir)}`}.`,
      `Restaurer : arrêter la plateforme, remplacer ${from} par cette copie (en supprimant ${path.basename(from)}-wal et -shm s'ils existent),`,
      "redémarrer, puis `npm run reconcile` (voir le README, « Exploitation »).",
    ].join("\n"),
  );
} catch (error) {
  fs.rmSync(partial, { force: true });
  fail(
    `Sauvegarde impossible : ${error instanceof Error ? error.message : String(error)}. Rien n'a été remplacé.`,
  );
}
