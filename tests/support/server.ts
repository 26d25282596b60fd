/** Start the built server (build/index.js) as a child process on a free port. */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The platform's legal identity, which a production server refuses to start without (ADR 022). */
export const PRODUCTION_LEGAL_ENV: Record<string, string> = {
  PUBLISHER_NAME: "Département du Pas-de-Calais (essai)",
  PUBLISHER_ADDRESS: "Hôtel du Département, rue Ferdinand-Buisson, 62018 Arras Cedex 9",
  PUBLICATION_DIRECTOR: "Directrice de la publication (essai)",
  HOST_NAME: "Hébergeur (essai)",
  HOST_ADDRESS: "1 rue de l’Essai, 62000 Arras",
  ORIAS_NUMBER: "12345678",
};

export interface RunningServer {
  url: string;
  port: number;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * `options.port` fixes the port (e.g. one taken from freePort() beforehand, so that
 * PUBLIC_URL can name the server's own address); by default a free one is picked.
 */
export async function startServer(
  env: Record<string, string>,
  options: { port?: number; nodeArgs?: string[] } = {},
): Promise<RunningServer> {
  const serverBuild = path.join(ROOT, "build", "index.js");
  if (!fs.existsSync(serverBuild)) throw new Error("build/index.js is missing: run `npm run build` first");
  const port = options.port ?? (await freePort());
  let output = "";
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), serverBuild], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => (output += String(d)));
  child.stderr.on("data", (d) => (output += String(d)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not start in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}
