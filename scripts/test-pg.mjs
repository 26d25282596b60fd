#!/usr/bin/env node
// `npm run test:pg`: the integration suite and the multi-server test against a real PostgreSQL
// server. TEST_DATABASE_URL names a database the tests' role can connect to and whose role may
// CREATE DATABASE (each test file gets its own database, dropped afterwards). `.ci/run` starts
// Debian's PostgreSQL and sets it; see the README, « Passer à PostgreSQL ».
import { execFileSync, spawnSync } from "node:child_process";

const url = process.env.TEST_DATABASE_URL;
if (!url || !/^postgres(ql)?:\/\//.test(url)) {
  console.error(
    "TEST_DATABASE_URL doit désigner une base PostgreSQL, par exemple\n" +
      "  TEST_DATABASE_URL=postgres://propulsons:propulsons@127.0.0.1:5432/postgres npm run test:pg\n" +
      "(le rôle doit avoir le droit CREATE DATABASE).",
  );
  process.exit(2);
}
try {
  execFileSync("psql", [url, "-q", "-c", "select 1"], { stdio: ["ignore", "ignore", "pipe"] });
} catch (error) {
  console.error(
    `PostgreSQL ne répond pas à ${url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@")} :\n${error.stderr ?? error.message}`,
  );
  process.exit(2);
}
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
// The multi-server test starts the built server twice.
run("npm", ["run", "build"]);
run("npx", ["vitest", "run", "--config", "tests/vitest.config.ts", "tests/integration", "tests/pg"]);
