/**
 * The executor in Node, for the CLI, tests and benchmarks: the same tracer.py, run by Pyodide
 * from node_modules (default) or by a local CPython (`python`). Never used by the Next server:
 * it runs the caller's own code on the caller's machine (see spec/architecture.md).
 */
import { PYODIDE_ENV } from "./pyodide-env";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { buildProgram } from "@/lib/cwm/program";
import { CanonicalTrace, type Frame, type StopReason } from "@/lib/trace/schema";
import type { Budgets, RunInput } from "@/lib/executor/types";
import { DriverLine, WorkerMessage, type TracerResult, resolveBudgets, type HostMessage, type NodeWorkerData } from "@/lib/executor/protocol";
import { FLOOD_NOTE, MAX_RESULT_CHARS, floods, isFrame, traceFromResult, withHostIntegrity } from "@/lib/executor/frame-check";
import { createRecorder, readRecorder } from "@/lib/executor/recorder";
import { checkEdit, hostEndedEdit } from "@/lib/executor/edit";
import type { EditSpec } from "@/lib/executor/protocol";

export interface NodeTracer {
  trace(input: RunInput): Promise<CanonicalTrace>;
  /** e.g. "Pyodide 314.0.7 (Python 3.14.2)" or "CPython 3.11.7". */
  version: string;
  close(): Promise<void>;
}

export interface NodeTracerOptions {
  /** Path of a Python interpreter: run tracer.py there instead of Pyodide. */
  python?: string;
  /** A run still going at timeoutMs + this is killed (a loop inside C code); default 2000. */
  killGraceMs?: number;
}

export const TRACER_PATH = fileURLToPath(new URL("./tracer.py", import.meta.url));

export async function createNodeTracer(opts: NodeTracerOptions = {}): Promise<NodeTracer> {
  const grace = opts.killGraceMs ?? 2000;
  return opts.python ? createPythonTracer(opts.python, grace) : createPyodideTracer(grace);
}

/** The program the tracer runs, from the user's code and call (lib/cwm/program.ts decides). */
export function runRequest(input: RunInput): { program: string; lineOffset: 0 | 1; budgets: Budgets; edit?: EditSpec } {
  const p = buildProgram(input.code, input.call);
  const req: ReturnType<typeof runRequest> = { program: p.program, lineOffset: p.lineOffset, budgets: budgetsOf(input.budgets) };
  const edit = checkEdit(input.edit);
  if (edit) req.edit = edit;
  return req;
}

let lastBudgets: { key: string; value: Readonly<Budgets> } | null = null;

/** resolveBudgets, remembered for the last input: a batch passes the same budgets every run. */
function budgetsOf(partial: RunInput["budgets"]): Budgets {
  const key = JSON.stringify(partial ?? {});
  if (lastBudgets?.key !== key) lastBudgets = { key, value: Object.freeze(resolveBudgets(partial)) };
  return lastBudgets.value;
}

/** `result` is already validated (TracerResult) and `frames` came validated in batches. */
function finish(result: TracerResult, frames: Frame[] | null, executor: string): CanonicalTrace {
  const { frameCount: _count, ...rest } = result;
  return { ...rest, frames: frames ?? rest.frames, executor };
}

const NODE_WORKER_PATH = fileURLToPath(new URL("./node-worker.ts", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

let workerScript: Promise<string> | null = null;

/**
 * node-worker.ts bundled to plain JavaScript (a thread started from tsx or vitest gets no
 * TypeScript loader), cached in the temp dir by content hash.
 */
function workerScriptPath(): Promise<string> {
  workerScript ??= (async () => {
    const { build } = await import("esbuild");
    const r = await build({
      entryPoints: [NODE_WORKER_PATH],
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      write: false,
      alias: { "@": REPO_ROOT },
      logLevel: "warning",
    });
    const code = r.outputFiles[0].text;
    const file = path.join(os.tmpdir(), `cwm-node-worker-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`);
    if (!fs.existsSync(file)) {
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, code);
      fs.renameSync(tmp, file);
    }
    return file;
  })();
  workerScript.catch(() => (workerScript = null));
  return workerScript;
}

interface Thread {
  worker: Worker;
  ready: boolean;
}

interface PyodideRun {
  runId: string;
  req: ReturnType<typeof runRequest>;
  /** Sent to the current thread. */
  posted: boolean;
  resolve: (t: CanonicalTrace) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout | null;
  /** Notes of the tracer's alarms for this run, as they came (see tracer.py). */
  alarms: string[];
}

/**
 * Pyodide in a worker thread, reused for a batch. Runs queue up on the thread (trace() may be
 * called again before the last one resolved): the thread goes from one program to the next
 * without waiting for the host, and the host parses one result while the next program runs.
 * The oldest unfinished run is the one the thread is executing; when it is still going at
 * timeoutMs + killGraceMs (tracer.py's own budget did not end it: a loop inside C code), the
 * thread is terminated, that run's trace is the frames and stdout the recorder holds (status
 * time_limit), and the runs behind it go to a fresh thread. A thread that dies the same way
 * gives status error.
 */
async function createPyodideTracer(killGraceMs: number): Promise<NodeTracer> {
  const script = await workerScriptPath();
  const pyodideUrl = pathToFileURL(createRequire(import.meta.url).resolve("pyodide/pyodide.mjs")).href;
  const recorder = createRecorder();
  let thread: Thread | null = null;
  let version = "";
  const queue: PyodideRun[] = [];
  let seq = 0;
  let closed = false;
  let firstReady!: () => void;
  let firstFailed!: (e: Error) => void;
  const started = new Promise<void>((res, rej) => ((firstReady = res), (firstFailed = rej)));
  let drained: (() => void) | null = null;

  function spawn(): Thread {
    const worker = new Worker(script, { workerData: { pyodideUrl, tracerPath: TRACER_PATH, recorder } satisfies NodeWorkerData });
    const t: Thread = { worker, ready: false };
    worker.on("message", (raw: unknown) => {
      if (thread !== t) return;
      const parsed = WorkerMessage.safeParse(raw);
      if (parsed.success) onMessage(t, parsed.data);
    });
    const died = (why: string) => {
      if (thread !== t) return;
      if (!t.ready) fail(new Error(`the Python worker thread ${why} while starting`));
      else end(t, "error", `The Python worker thread ${why} during the run (out of memory?)`, "crash");
    };
    worker.on("error", (err) => died(`failed (${err.message})`));
    worker.on("exit", (code) => died(`exited with code ${code}`));
    return t;
  }

  function onMessage(t: Thread, msg: WorkerMessage): void {
    if (msg.type === "ready") {
      // The interpreter's label is learnt once, before any program ran in this thread.
      if (t.ready) return;
      t.ready = true;
      version = msg.version;
      firstReady();
      pump();
    } else if (msg.type === "failed") {
      fail(new Error(msg.message));
    } else if (msg.type === "alarm") {
      const run = queue.find((r) => r.runId === msg.runId);
      if (run && !run.alarms.includes(msg.note)) run.alarms.push(msg.note);
    } else if (msg.type === "done") {
      const run = queue[0];
      if (!run || run.runId !== msg.runId) return;
      let trace: CanonicalTrace;
      try {
        if (msg.result.length > MAX_RESULT_CHARS) throw new FloodError();
        trace = traceFromResult(msg.result, version);
        if (floods(trace.frames.length, 0, run.req.budgets)) throw new FloodError();
      } catch (err) {
        trace =
          err instanceof FloodError
            ? withHostIntegrity(fromRecorder("error", "The Python worker flooded the host", "crash"), [FLOOD_NOTE])
            : fromRecorder("error", `The Python worker sent an unreadable result: ${String(err).slice(0, 300)}`, "crash");
      }
      settle(trace);
    } else if (msg.type === "fatal") {
      end(t, "error", `The Python interpreter failed and was restarted: ${msg.message}`, "crash");
    }
  }

  /** Resolves the oldest run and starts the watchdog of the next one, which the thread now runs. */
  function settle(trace: CanonicalTrace): void {
    const run = queue.shift()!;
    if (run.timer) clearTimeout(run.timer);
    run.resolve(withHostIntegrity(trace, run.alarms));
    watch();
    if (queue.length === 0) drained?.();
  }

  function watch(): void {
    const run = queue[0];
    const t = thread;
    if (!run || !run.posted || run.timer || !t) return;
    const budget = run.req.budgets.timeoutMs;
    run.timer = setTimeout(
      () => end(t, "time_limit", `the run passed its ${budget} ms budget and did not stop within ${killGraceMs} ms more (a loop or allocation inside C code?); its thread was terminated`, "watchdog"),
      budget + killGraceMs,
    );
  }

  /** Python cannot be started: every queued run fails. */
  function fail(err: Error): void {
    const t = thread;
    thread = null;
    if (t) void t.worker.terminate();
    firstFailed(err);
    for (const run of queue.splice(0)) {
      if (run.timer) clearTimeout(run.timer);
      run.reject(err);
    }
    drained?.();
  }

  /** Ends thread `t`: the run it was executing gets the recorder's frames; the others go to a fresh thread. */
  function end(t: Thread, status: "error" | "time_limit", message: string, reason: StopReason): void {
    if (thread !== t) return;
    thread = null;
    void t.worker.terminate();
    for (const run of queue) run.posted = false;
    if (queue.length) settle(fromRecorder(status, message, reason));
    pump();
  }

  /** The run the thread was executing, from the recorder, when the host had to end it. */
  function fromRecorder(status: "error" | "time_limit", message: string, reason: StopReason): CanonicalTrace {
    const rec = readRecorder(recorder);
    const budgets = queue[0]?.req.budgets;
    const edit = queue[0]?.req.edit;
    let frames = rec.frames.filter(isFrame);
    const notes = [message];
    if (rec.overflow || frames.length < rec.frames.length) notes.push("some frames could not be kept");
    if (budgets && floods(frames.length, 0, budgets)) frames = frames.slice(0, budgets.maxSteps);
    return {
      status, frames, result: null, error: status === "error" ? message : null, stdout: rec.stdout, notes, executor: version,
      // No integrity verdict: the tracer's end-of-run checks never ran.
      stop_reason: reason,
      ...(edit ? { edit: hostEndedEdit(edit, frames.length) } : {}),
    };
  }

  function pump(): void {
    if (queue.length === 0) return;
    thread ??= spawn();
    const t = thread;
    if (!t.ready) return;
    for (const run of queue) {
      if (run.posted) continue;
      run.posted = true;
      t.worker.postMessage({ type: "run", runId: run.runId, ...run.req } satisfies HostMessage);
    }
    watch();
  }

  thread = spawn();
  await started;

  return {
    get version() {
      return version;
    },
    trace(input) {
      if (closed) return Promise.reject(new Error("tracer closed"));
      let req: ReturnType<typeof runRequest>;
      try {
        req = runRequest(input);
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      return new Promise<CanonicalTrace>((resolve, reject) => {
        queue.push({ runId: `r${++seq}`, req, posted: false, resolve, reject, timer: null, alarms: [] });
        pump();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      if (queue.length) await new Promise<void>((r) => (drained = r));
      const t = thread;
      thread = null;
      if (t) await t.worker.terminate();
    },
  };
}

interface Pending {
  id: string;
  budgets: Budgets;
  edit?: EditSpec;
  alarms: string[];
  frames: Frame[];
  stdout: string;
  resolve: (t: CanonicalTrace) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  child: ChildProcessWithoutNullStreams;
}

/** One CPython process reused for a batch; replaced after it is killed or dies. */
async function createPythonTracer(python: string, killGraceMs: number): Promise<NodeTracer> {
  let proc: ChildProcessWithoutNullStreams | null = null;
  let version = "";
  let pending: Pending | null = null;
  let stderrTail = "";
  let seq = 0;
  let chain: Promise<unknown> = Promise.resolve();

  function start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(python, ["-u", TRACER_PATH, "--serve"], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...PYODIDE_ENV } });
      proc = child;
      let hello = false;
      child.stderr.on("data", (d: Buffer) => {
        stderrTail = (stderrTail + d.toString("utf8")).slice(-2000);
      });
      child.on("error", (err) => {
        if (!hello) reject(new Error(`cannot start ${python}: ${err.message}`));
      });
      child.on("exit", (code, signal) => {
        if (proc === child) proc = null;
        if (!hello) reject(new Error(`${python} exited (${code ?? signal}) before starting the tracer: ${stderrTail.trim()}`));
        const p = pending;
        if (p && p.child === child) {
          pending = null;
          clearTimeout(p.timer);
          p.resolve(synthesise(p, "error", `The Python process exited (${code ?? signal}) during the run: ${stderrTail.trim().slice(-500)}`, "crash"));
        }
      });
      const rl = readline.createInterface({ input: child.stdout });
      rl.on("line", (line) => {
        let msg: DriverLine;
        try {
          msg = DriverLine.parse(JSON.parse(line));
        } catch (err) {
          stderrTail += `\nbad driver line: ${line.slice(0, 200)}`;
          return;
        }
        if (msg.type === "hello") {
          hello = true;
          version = msg.version;
          resolve();
          return;
        }
        const p = pending;
        if (!p || p.id !== msg.id) return;
        if (msg.type === "alarm") {
          if (!p.alarms.includes(msg.note)) p.alarms.push(msg.note);
        } else if (msg.type === "frames") {
          for (const f of msg.frames) p.frames.push(f);
          p.stdout += msg.stdout;
          if (floods(p.frames.length, p.stdout.length, p.budgets)) {
            pending = null;
            clearTimeout(p.timer);
            if (proc === child) proc = null;
            child.kill("SIGKILL");
            p.frames.length = Math.min(p.frames.length, p.budgets.maxSteps);
            p.resolve(withHostIntegrity(synthesise(p, "error", "The Python process flooded the host", "crash"), [FLOOD_NOTE]));
          }
        } else {
          pending = null;
          clearTimeout(p.timer);
          try {
            const trace = finish(msg.trace, p.frames, version);
            const sent = msg.trace.frameCount;
            const host = sent !== undefined && sent !== p.frames.length ? [`the tracer sent ${sent} frames but ${p.frames.length} arrived (frames out of sequence)`] : [];
            p.resolve(withHostIntegrity(trace, [...p.alarms, ...host]));
          } catch (err) {
            p.reject(err instanceof Error ? err : new Error(String(err)));
          }
        }
      });
    });
  }

  function synthesise(p: Pending, status: "error" | "time_limit", message: string, reason: StopReason): CanonicalTrace {
    return withHostIntegrity(
      CanonicalTrace.parse({
        status,
        frames: p.frames,
        result: null,
        error: status === "error" ? message : null,
        stdout: p.stdout,
        notes: [message, "frames after the last batch received may be missing"],
        executor: version,
        stop_reason: reason,
        ...(p.edit ? { edit: hostEndedEdit(p.edit, p.frames.length) } : {}),
      }),
      p.alarms,
    );
  }

  await start();

  async function traceOne(input: RunInput): Promise<CanonicalTrace> {
    if (!proc) await start();
    const child = proc!;
    const req = runRequest(input);
    const id = `r${++seq}`;
    return new Promise<CanonicalTrace>((resolve, reject) => {
      const timer = setTimeout(() => {
        const p = pending;
        if (!p || p.id !== id) return;
        pending = null;
        if (proc === child) proc = null;
        child.kill("SIGKILL");
        resolve(synthesise(p, "time_limit", `killed after ${req.budgets.timeoutMs + killGraceMs} ms without an answer (a loop inside C code?)`, "watchdog"));
      }, req.budgets.timeoutMs + killGraceMs);
      pending = { id, budgets: req.budgets, edit: req.edit, alarms: [], frames: [], stdout: "", resolve, reject, timer, child };
      child.stdin.write(`${JSON.stringify({ id, ...req })}\n`);
    });
  }

  return {
    get version() {
      return version;
    },
    trace(input) {
      const next = chain.then(() => traceOne(input));
      chain = next.catch(() => undefined);
      return next;
    },
    async close() {
      await chain;
      const child = proc;
      proc = null;
      if (!child) return;
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin.end();
        setTimeout(() => child.kill("SIGKILL"), 2000).unref();
      });
    },
  };
}

class FloodError extends Error {}
