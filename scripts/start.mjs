#!/usr/bin/env node
// `npm start`: build the app when the build is missing or older than the sources,
// then run the server (which creates, migrates and seeds the database on first start).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const serverBuild = path.join(root, "build", "index.js");

function newestMtime(entry) {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of fs.readdirSync(full)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

const sources = ["app", "db", "emails", "remix.config.js", "package-lock.json", "tsconfig.json"];
const builtAt = fs.existsSync(serverBuild) ? fs.statSync(serverBuild).mtimeMs : 0;
const changedAt = Math.max(...sources.map(newestMtime));
if (builtAt === 0 || changedAt > builtAt) {
  console.log(
    builtAt === 0
      ? "Première exécution : construction de l'application…"
      : "Sources modifiées : reconstruction de l'application…",
  );
  const remix = path.join(root, "node_modules", ".bin", "remix");
  const result = spawnSync(remix, ["build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error("La construction de l'application a échoué.");
    process.exit(result.status ?? 1);
  }
}
process.chdir(root);
process.env.NODE_ENV ??= "production";
await import(pathToFileURL(serverBuild).href);
