/**
 * The executor's module web worker: loads Pyodide from our own origin, runs tracer.py on each
 * request and posts frame batches, stdout and the final trace (as JSON text) back. Served by
 * app/executor/[file]/route.ts with its own CSP; bundled by scripts/prepare-assets.mjs.
 * The program is untrusted: everything it can reach here is this worker and its origin's storage.
 */
import { PYODIDE_ENV } from "./pyodide-env";
import tracerSource from "./tracer.py";
import guardSource from "./tracer_guard.py";
import { HostMessage, type WorkerMessage } from "./protocol";
import { driveRun, type TracerModule } from "./drive";

interface PyProxyFn {
  (...args: unknown[]): unknown;
  destroy(): void;
}
interface PyodideLike {
  version: string;
  FS: { writeFile(path: string, data: string): void };
  pyimport(name: string): TracerModule & { version: PyProxyFn };
}
interface PyodideModule {
  loadPyodide(opts: {
    indexURL: string;
    stdout?: (s: string) => void;
    stderr?: (s: string) => void;
    env?: Record<string, string>;
    _loadSnapshot?: Promise<ArrayBuffer>;
  }): Promise<PyodideLike>;
}

/** Where prepare-assets put Pyodide and its snapshot (compiled in there; absent in test bundles). */
declare const __CWM_ASSETS__: { pyodide: string; snapshot: string | null } | undefined;
const BUILT_ASSETS = typeof __CWM_ASSETS__ === "undefined" ? { pyodide: "/pyodide/", snapshot: null } : __CWM_ASSETS__;

const scope = self as unknown as {
  postMessage(msg: WorkerMessage): void;
  onmessage: ((ev: MessageEvent) => void) | null;
};

// Captured before any program runs: a program that replaces js.postMessage neither reads nor
// rewrites what this worker sends (and is reported, see drain()).
const postOriginal = scope.postMessage;
const postBound = postOriginal.bind(scope);
function post(msg: WorkerMessage): void {
  postBound(msg);
}

/** One traced run: the tracer's JSON result. */
type RunFn = (
  program: string,
  lineOffset: 0 | 1,
  budgets: string,
  emit: (frames: string, stdout: string) => void,
  alarm: (note: string) => void,
  edit: string | undefined,
) => string;

// Taken before any user code runs (the program could replace the global one).
const closeSelf: (() => void) | null = typeof (self as { close?: unknown }).close === "function" ? (self as unknown as { close(): void }).close.bind(self) : null;

let loading: Promise<{ run: RunFn; version: string }> | null = null;
let stopView: Int32Array | null = null;
const queue: Extract<HostMessage, { type: "run" }>[] = [];
let busy = false;

async function load(indexURL: string, snapshotURL: string | null): Promise<{ run: RunFn; version: string }> {
  post({ type: "progress", progress: 0.05, message: "Loading the Python interpreter" });
  // A variable keeps bundlers from resolving it: the file is served from /pyodide/ at run time.
  const url = `${indexURL}pyodide.mjs`;
  const mod = (await import(/* webpackIgnore: true */ url)) as PyodideModule;
  const opts = { indexURL, stdout: () => {}, stderr: () => {}, env: PYODIDE_ENV };
  let py: PyodideLike | null = null;
  if (snapshotURL) {
    // The snapshot holds Python already started with the tracer imported: restoring it skips
    // the interpreter's start-up. Only ever fetched from our origin (see prepare-assets.mjs).
    post({ type: "progress", progress: 0.3, message: "Restoring Python" });
    try {
      // Fetched while Pyodide loads its wasm; a failure surfaces from loadPyodide below, not
      // as an unhandled rejection before loadPyodide awaits it.
      const snapshot = fetchSnapshot(snapshotURL);
      snapshot.catch(() => {});
      py = await mod.loadPyodide({ ...opts, _loadSnapshot: snapshot });
    } catch (err) {
      // A missing or unusable snapshot costs only speed: boot Python instead, and say why.
      post({ type: "progress", progress: 0.3, message: `Starting Python (the snapshot could not be used: ${String(err).slice(0, 200)})` });
    }
  } else {
    post({ type: "progress", progress: 0.3, message: "Starting Python" });
  }
  if (!py) {
    py = await mod.loadPyodide(opts);
    post({ type: "progress", progress: 0.9, message: "Loading the tracer" });
    py.FS.writeFile("/home/pyodide/tracer_guard.py", guardSource);
    py.FS.writeFile("/home/pyodide/cwm_tracer.py", tracerSource);
  }
  const tracer = py.pyimport("cwm_tracer");
  const pyVersion = String(tracer.version()).replace(/^CPython/, "Python");
  const run: RunFn = (program, lineOffset, budgets, emit, alarm, edit) => driveRun(tracer, program, lineOffset, budgets, { emit, stopRequested, alarm, edit });
  return { run, version: `Pyodide ${py.version} (${pyVersion})` };
}

async function fetchSnapshot(url: string): Promise<ArrayBuffer> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`snapshot: HTTP ${res.status}`);
  // Stored gzipped (prepare-assets.mjs) and served as a plain file: inflated here.
  if (!url.endsWith(".gz")) return res.arrayBuffer();
  return new Response(res.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
}

/** 0: run on; 1: the user pressed Stop; 2: a newer run replaces this one (set by browser.ts). */
function stopRequested(): number {
  return stopView === null ? 0 : Atomics.load(stopView, 0);
}

async function drain(): Promise<void> {
  if (busy || !loading) return;
  busy = true;
  try {
    const { run } = await loading;
    for (let req = queue.shift(); req; req = queue.shift()) {
      const runId = req.runId;
      if (stopView) Atomics.store(stopView, 0, 0);
      post({ type: "started", runId });
      try {
        const emit = (frames: string, stdout: string) => post({ type: "frames", runId, frames, stdout });
        const alarm = (note: string) => post({ type: "alarm", runId, note: String(note).slice(0, 500) });
        const edit = req.edit ? JSON.stringify(req.edit) : undefined;
        const result = run(req.program, req.lineOffset, JSON.stringify(req.budgets), emit, alarm, edit);
        if (scope.postMessage !== postOriginal) alarm("the program replaced the worker's postMessage");
        post({ type: "done", runId, result });
        // One run per interpreter (browser.ts terminates this worker too): closing drops the
        // timers and callbacks the program registered, so none of them runs after its run.
        if (closeSelf) {
          queue.length = 0;
          closeSelf();
          return;
        }
      } catch (err) {
        // tracer.run catches everything the program raises; an error here is the interpreter's
        // own (out of memory, a fatal wasm trap): it is not usable any more.
        post({ type: "fatal", runId, message: err instanceof Error ? err.message : String(err) });
        return;
      }
    }
  } finally {
    busy = false;
  }
}

scope.onmessage = (ev: MessageEvent) => {
  const parsed = HostMessage.safeParse(ev.data);
  if (!parsed.success) return; // only our host talks to this worker; ignore anything else
  const msg = parsed.data;
  if (msg.type === "init") {
    if (msg.stopBuffer) stopView = new Int32Array(msg.stopBuffer);
    if (!loading) {
      const snapshotURL = msg.snapshotURL === undefined ? BUILT_ASSETS.snapshot : msg.snapshotURL;
      loading = load(msg.indexURL ?? BUILT_ASSETS.pyodide, snapshotURL);
      loading.then(
        (l) => {
          post({ type: "ready", version: l.version });
          void drain();
        },
        (err) => post({ type: "failed", message: `Python could not be loaded: ${err instanceof Error ? err.message : String(err)}` }),
      );
    }
    return;
  }
  queue.push(msg);
  void drain();
};
