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
  pyimport(name: string): { run: PyCallable; version: PyCallable };
  runPython(code: string): unknown;
}

const DEVICE = "/dev/cwm-recorder";

function post(msg: WorkerMessage): void {
  parentPort!.postMessage(msg);
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

  parentPort!.on("message", (raw: unknown) => {
    const parsed = HostMessage.safeParse(raw);
    if (!parsed.success || parsed.data.type !== "run") return; // only our host talks to this thread
    const req = parsed.data;
    recorder.reset();
    post({ type: "started", runId: req.runId });
    try {
      const result = tracer.run.callKwargs(req.program, req.lineOffset, JSON.stringify(req.budgets), { record: fd }) as string;
      post({ type: "done", runId: req.runId, result });
    } catch (err) {
      // tracer.run catches everything the program raises: this is the interpreter's own failure.
      post({ type: "fatal", runId: req.runId, message: err instanceof Error ? err.message : String(err) });
    }
  });
  post({ type: "ready", version });
}

void start();
