/**
 * SQLite's WAL checkpoints, on a thread of their own (docs/decisions/035-background-checkpoints.md).
 *
 * By default SQLite copies the WAL back into the database file inside the commit that makes the WAL
 * pass 1 000 pages: that commit, and every request queued behind the process's one connection,
 * waits for the copy and its two fsyncs. The server's connection turns that off, and a worker
 * thread with its own connection runs a PASSIVE checkpoint a few times a second: it never blocks a
 * reader or a writer, and the next write restarts the WAL from its beginning once every frame is
 * copied. A checkpoint moves nothing a connection's `PRAGMA data_version` sees (it is not a
 * commit), so the page cache is not invalidated by it. If the thread stops for any reason, the
 * connection takes its automatic checkpoints back.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type SQLite from "better-sqlite3";

/** SQLite's default `wal_autocheckpoint` (pages), given back when the thread stops */
const AUTOCHECKPOINT_PAGES = 1000;

export interface CheckpointOptions {
  /** between two checkpoints (250 ms) */
  intervalMs?: number;
  /** told once if the thread fails (the connection then checkpoints by itself) */
  onFailure?: (message: string) => void;
}

export interface BackgroundCheckpoints {
  /** checkpoints run so far */
  stats(): { runs: number };
  /** the thread's checkpoint, now; resolves with the frames still in the WAL (0: all copied) */
  now(): Promise<number>;
  /** stop the thread and give the connection its automatic checkpoints back */
  stop(): Promise<void>;
}

// Plain CommonJS, evaluated in the worker: nothing of the app's bundle is loaded there.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file, { fileMustExist: true });
db.pragma("synchronous = NORMAL");
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
let timer = null;
let stopped = false;
function run(ask) {
  let result;
  try {
    const row = checkpoint.get();
    result = { kind: "done", ask, log: row.log, copied: row.checkpointed };
  } catch (error) {
    result = { kind: "error", ask, message: String(error && error.message ? error.message : error) };
  }
  parentPort.postMessage(result);
}
function tick() {
  run(null);
  if (!stopped) timer = setTimeout(tick, workerData.intervalMs);
}
parentPort.on("message", (message) => {
  if (message.kind === "now") return run(message.ask);
  if (message.kind === "stop") {
    stopped = true;
    if (timer) clearTimeout(timer);
    db.close();
    parentPort.close();
  }
});
timer = setTimeout(tick, workerData.intervalMs);
`;

/**
 * Start checkpointing `filePath` (a WAL database that `sqlite` has open) on a worker thread, and
 * turn off `sqlite`'s own automatic checkpoints.
 */
export function startBackgroundCheckpoints(
  sqlite: SQLite.Database,
  filePath: string,
  options: CheckpointOptions = {},
): BackgroundCheckpoints {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve("better-sqlite3"),
      file: filePath,
      intervalMs: options.intervalMs ?? 250,
    },
    // Its own small heap: it holds one connection and one statement.
    resourceLimits: { maxOldGenerationSizeMb: 32 },
  });
  // The server may exit while the thread sleeps: it never keeps the process alive.
  worker.unref();
  sqlite.pragma("wal_autocheckpoint = 0");

  let runs = 0;
  let failed = false;
  let asks = 0;
  const waiting = new Map<number, { resolve: (log: number) => void; reject: (e: Error) => void }>();
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));

  const fail = (message: string) => {
    if (failed) return;
    failed = true;
    // Automatic checkpoints again, so the WAL never grows without end.
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    for (const w of waiting.values()) w.reject(new Error(message));
    waiting.clear();
    options.onFailure?.(message);
  };

  worker.on(
    "message",
    (
      m:
        | { kind: "done"; ask: number | null; log: number; copied: number }
        | { kind: "error"; ask: number | null; message: string },
    ) => {
      const asked = m.ask === null ? undefined : waiting.get(m.ask);
      if (m.ask !== null) waiting.delete(m.ask);
      if (m.kind === "error") {
        // SQLITE_BUSY: another connection checkpoints (a PASSIVE one never waits); try next time.
        if (/busy|locked/i.test(m.message)) asked?.resolve(-1);
        else {
          asked?.reject(new Error(m.message));
          void worker.terminate();
          fail(`checkpoint SQLite en arrière-plan arrêté : ${m.message}`);
        }
        return;
      }
      runs++;
      asked?.resolve(Math.max(0, m.log - m.copied));
    },
  );
  worker.on("error", (error) => fail(`checkpoint SQLite en arrière-plan arrêté : ${error.message}`));
  let stopping = false;
  worker.on("exit", (code) => {
    if (!stopping) fail(`checkpoint SQLite en arrière-plan arrêté (code ${code})`);
    // A checkpoint asked for and never run is answered too.
    for (const w of waiting.values()) w.reject(new Error("background checkpoints stopped"));
    waiting.clear();
  });

  return {
    stats: () => ({ runs }),
    now() {
      if (failed || stopping) return Promise.reject(new Error("background checkpoints stopped"));
      const ask = ++asks;
      return new Promise<number>((resolve, reject) => {
        waiting.set(ask, { resolve, reject });
        worker.postMessage({ kind: "now", ask });
      });
    },
    async stop() {
      if (stopping) return exited;
      stopping = true;
      if (!failed) worker.postMessage({ kind: "stop" });
      const slow = setTimeout(() => void worker.terminate(), 2_000);
      await exited;
      clearTimeout(slow);
      if (!failed && sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    },
  };
}
