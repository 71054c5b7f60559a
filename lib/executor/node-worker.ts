/**
 * Worker thread of the Node executor (lib/executor/node.ts; bundled by it with esbuild): loads
 * Pyodide from node_modules, runs tracer.py on each request and posts the final trace as JSON
 * text. While a run goes, tracer.py writes every frame and stdout chunk to a device file backed
 * by the shared recorder (lib/executor/recorder.ts): a run stuck inside C code is ended by the
 * host with terminate(), and its frames so far are read from there.
 */
import { PYODIDE_ENV } from "./pyodide-env";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parentPort, workerData } from "node:worker_threads";
import { HostMessage, NodeWorkerData, type WorkerMessage } from "./protocol";
import { recorderWriter } from "./recorder";
import { driveRun, type TracerModule } from "./drive";

interface PyCallable {
  (...args: unknown[]): unknown;
  callKwargs(...args: unknown[]): unknown;
}
interface Pyodide {
  version: string;
  FS: {
    writeFile(path: string, data: string): void;
    makedev(major: number, minor: number): number;
    registerDevice(dev: number, ops: object): void;
    mkdev(path: string, dev: number): void;
  };
  pyimport(name: string): TracerModule & { version: PyCallable };
  runPython(code: string): unknown;
}

const DEVICE = "/dev/cwm-recorder";

// Captured before any program runs: nothing a program does to globals changes how we talk to the host.
const port = parentPort!;
const portPost = port.postMessage.bind(port);
function post(msg: WorkerMessage): void {
  portPost(msg);
}

/**
 * Timers a program sets (js.setTimeout, js.setInterval with a Python callback) must not outlive
 * its run: those made while a run goes are cleared when it ends. A callback that still gets in
 * (a promise reaction) meets tracer.py's between-runs guard, which raises; that rejection is
 * not the host's business.
 */
function fenceTimers(): { open(): void; close(): void } {
  const g = globalThis as unknown as Record<string, (...a: unknown[]) => unknown>;
  const made: { clear: (h: unknown) => unknown; handle: unknown }[] = [];
  let running = false;
  for (const [set, clear] of [["setTimeout", "clearTimeout"], ["setInterval", "clearInterval"], ["setImmediate", "clearImmediate"]] as const) {
    const realSet = g[set];
    const realClear = g[clear];
    if (typeof realSet !== "function" || typeof realClear !== "function") continue;
    g[set] = (...args: unknown[]) => {
      const handle = realSet(...args);
      if (running) made.push({ clear: realClear, handle });
      return handle;
    };
  }
  process.on("unhandledRejection", () => {});
  return {
    open() {
      running = true;
    },
    close() {
      running = false;
      for (const t of made.splice(0)) t.clear(t.handle);
    },
  };
}

async function start(): Promise<void> {
  const data = NodeWorkerData.parse(workerData);
  const recorder = recorderWriter(data.recorder);
  let py: Pyodide;
  try {
    const mod = (await import(data.pyodideUrl)) as { loadPyodide(o: object): Promise<Pyodide> };
    // The tracer captures the program's output itself; nothing Pyodide prints belongs anywhere.
    // Pyodide guesses its own directory from a stack trace, which fails in a bundled thread.
    const indexURL = `${path.dirname(fileURLToPath(data.pyodideUrl))}/`;
    py = await mod.loadPyodide({ indexURL, stdout: () => {}, stderr: () => {}, env: PYODIDE_ENV });
  } catch (err) {
    post({ type: "failed", message: `Python could not be loaded: ${err instanceof Error ? err.message : String(err)}` });
    return;
  }
  // tracer.py imports its guard (tracer_guard.py) from the same directory.
  py.FS.writeFile("/home/pyodide/tracer_guard.py", fs.readFileSync(path.join(path.dirname(data.tracerPath), "tracer_guard.py"), "utf8"));
  py.FS.writeFile("/home/pyodide/cwm_tracer.py", fs.readFileSync(data.tracerPath, "utf8"));
  const dev = py.FS.makedev(64, 0);
  py.FS.registerDevice(dev, {
    open() {},
    close() {},
    write: (_stream: unknown, buffer: Uint8Array, offset: number, length: number) => recorder.write(buffer, offset, length),
  });
  py.FS.mkdev(DEVICE, dev);
  const fd = Number(py.runPython(`import os\nos.open(${JSON.stringify(DEVICE)}, os.O_WRONLY)`));
  const tracer = py.pyimport("cwm_tracer");
  const version = `Pyodide ${py.version} (${String(tracer.version()).replace(/^CPython/, "Python")})`;

  const timers = fenceTimers();
  port.on("message", (raw: unknown) => {
    const parsed = HostMessage.safeParse(raw);
    if (!parsed.success || parsed.data.type !== "run") return; // only our host talks to this thread
    const req = parsed.data;
    const runId = req.runId;
    recorder.reset();
    post({ type: "started", runId });
    timers.open();
    try {
      const alarm = (note: string) => post({ type: "alarm", runId, note: String(note).slice(0, 500) });
      const edit = req.edit ? JSON.stringify(req.edit) : undefined;
      const result = driveRun(tracer, req.program, req.lineOffset, JSON.stringify(req.budgets), { record: fd, alarm, edit });
      timers.close();
      post({ type: "done", runId, result });
    } catch (err) {
      timers.close();
      // The tracer catches everything the program raises: this is the interpreter's own failure.
      post({ type: "fatal", runId: req.runId, message: err instanceof Error ? err.message : String(err) });
    }
  });
  post({ type: "ready", version });
}

void start();
