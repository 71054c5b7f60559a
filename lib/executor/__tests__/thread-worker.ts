/**
 * Runs the real worker bundle (lib/executor/worker.ts + tracer.py + Pyodide) in a Node
 * worker thread behind the WorkerLike interface, so browser.ts is tested against the real
 * worker, real messages and a real terminate(). Only the Web Worker globals are adapted.
 */
import { build } from "esbuild";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { WorkerLike } from "@/lib/executor/browser";
import type { HostMessage } from "@/lib/executor/protocol";
import { repoRoot } from "./helpers";

/** Bundles worker.ts exactly as scripts/prepare-assets.mjs does, into a temp dir. */
export async function bundleWorker(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cwm-worker-"));
  const outfile = path.join(dir, "worker.mjs");
  await build({
    entryPoints: [path.join(repoRoot, "lib/executor/worker.ts")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    loader: { ".py": "text" },
    alias: { "@": repoRoot },
    external: ["/pyodide/*"],
    logLevel: "warning",
  });
  return outfile;
}

const BOOT = `
const { parentPort, workerData } = require("node:worker_threads");
const inbox = [];
let handler = null;
globalThis.self = globalThis;
globalThis.postMessage = (m) => parentPort.postMessage(m);
Object.defineProperty(globalThis, "onmessage", {
  get: () => handler,
  set: (h) => { handler = h; while (handler && inbox.length) handler({ data: inbox.shift() }); },
});
parentPort.on("message", (d) => (handler ? handler({ data: d }) : inbox.push(d)));
import(workerData.url);
`;

export const PYODIDE_INDEX = `${path.join(repoRoot, "node_modules/pyodide")}/`;

export type ThreadWorker = WorkerLike & {
  exited: Promise<number>;
  /** Every message the thread sent, whether or not the host still listened. */
  received: unknown[];
  /** Holds the host's messages until released (to keep a worker loading for as long as a test needs). */
  hold(): () => void;
};

export function threadWorker(bundle: string): ThreadWorker {
  const w = new Worker(BOOT, { eval: true, workerData: { url: pathToFileURL(bundle).href } });
  let held: HostMessage[] | null = null;
  const like: ThreadWorker = {
    onmessage: null,
    onerror: null,
    received: [],
    postMessage(msg: HostMessage) {
      if (held) held.push(msg);
      else w.postMessage(msg);
    },
    terminate() {
      void w.terminate();
    },
    exited: new Promise((resolve) => w.once("exit", resolve)),
    hold() {
      held = [];
      return () => {
        const pending = held ?? [];
        held = null;
        for (const m of pending) w.postMessage(m);
      };
    },
  };
  w.on("message", (data) => {
    like.received.push(data);
    like.onmessage?.({ data });
  });
  w.on("error", (err) => like.onerror?.({ message: err.message }));
  // A browser worker that dies gives an error event at best; a thread that exits is the same.
  w.on("exit", (code) => like.onerror?.({ message: `worker exited with code ${code}` }));
  return like;
}
