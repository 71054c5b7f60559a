/**
 * The executor's module web worker: loads Pyodide from our own origin, runs tracer.py on each
 * request and posts frame batches, stdout and the final trace (as JSON text) back. Served by
 * app/executor/[file]/route.ts with its own CSP; bundled by scripts/prepare-assets.mjs.
 * The program is untrusted: everything it can reach here is this worker and its origin's storage.
 */
import { PYODIDE_ENV } from "./pyodide-env";
import tracerSource from "./tracer.py";
import { HostMessage, type WorkerMessage } from "./protocol";

interface PyProxyFn {
  (...args: unknown[]): unknown;
  destroy(): void;
}
interface PyodideLike {
  version: string;
  FS: { writeFile(path: string, data: string): void };
  pyimport(name: string): { run: PyProxyFn; version: PyProxyFn };
}
interface PyodideModule {
  loadPyodide(opts: { indexURL: string; stdout?: (s: string) => void; stderr?: (s: string) => void; env?: Record<string, string> }): Promise<PyodideLike>;
}

const scope = self as unknown as {
  postMessage(msg: WorkerMessage): void;
  onmessage: ((ev: MessageEvent) => void) | null;
};

function post(msg: WorkerMessage): void {
  scope.postMessage(msg);
}

let loading: Promise<{ run: PyProxyFn; version: string }> | null = null;
let stopView: Int32Array | null = null;
const queue: Extract<HostMessage, { type: "run" }>[] = [];
let busy = false;

async function load(indexURL: string): Promise<{ run: PyProxyFn; version: string }> {
  post({ type: "progress", progress: 0.05, message: "Loading the Python interpreter" });
  // A variable keeps bundlers from resolving it: the file is served from /pyodide/ at run time.
  const url = `${indexURL}pyodide.mjs`;
  const mod = (await import(/* webpackIgnore: true */ url)) as PyodideModule;
  post({ type: "progress", progress: 0.3, message: "Starting Python" });
  const py = await mod.loadPyodide({ indexURL, stdout: () => {}, stderr: () => {}, env: PYODIDE_ENV });
  post({ type: "progress", progress: 0.9, message: "Loading the tracer" });
  py.FS.writeFile("/home/pyodide/cwm_tracer.py", tracerSource);
  const tracer = py.pyimport("cwm_tracer");
  const pyVersion = String(tracer.version()).replace(/^CPython/, "Python");
  return { run: tracer.run, version: `Pyodide ${py.version} (${pyVersion})` };
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
        const result = run(req.program, req.lineOffset, JSON.stringify(req.budgets), emit, stopRequested) as string;
        post({ type: "done", runId, result });
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
      loading = load(msg.indexURL);
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
