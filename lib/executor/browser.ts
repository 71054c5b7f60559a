/**
 * The executor the UI uses: runs code in the module worker served at /executor/worker.js and
 * never touches Pyodide itself. Every worker message is validated; events of any run other
 * than the current one are dropped. A worker that does not answer a Stop within stopGraceMs, a
 * run past timeoutMs + watchdogGraceMs (a loop inside C code) or a crashed worker is
 * terminated; the run ends with the frames received so far and the next run gets a fresh worker.
 */
import { buildProgram } from "@/lib/cwm/program";
import type { CanonicalTrace, ExecStatus, Frame } from "@/lib/trace/schema";
import type { Budgets, Executor, ExecutorEvent, ExecutorPhase, RunInput } from "@/lib/executor/types";
import { FrameBatch, TracerResult, WorkerMessage, resolveBudgets, type HostMessage } from "@/lib/executor/protocol";

/** What the executor needs of a Worker (a real one in browsers; tests may adapt another). */
export interface WorkerLike {
  postMessage(msg: HostMessage): void;
  terminate(): void;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: { message?: string }) => void) | null;
}

export interface BrowserExecutorOptions {
  workerUrl?: string;
  /** Where Pyodide's files are served (the worker's CSP allows connect-src there only). */
  indexURL?: string;
  /** How long Stop waits for the worker before terminating it. */
  stopGraceMs?: number;
  /** A run is terminated at timeoutMs + this if the tracer's own time budget did not end it. */
  watchdogGraceMs?: number;
  createWorker?: (url: string) => WorkerLike;
}

interface ActiveRun {
  runId: string;
  program: string;
  lineOffset: 0 | 1;
  budgets: Budgets;
  frames: Frame[];
  stdout: string;
  dispatched: boolean;
  stopRequested: boolean;
  /** Superseded by a newer run: its frames are still collected for its own trace, not announced. */
  silenced: boolean;
  resolve: (t: CanonicalTrace) => void;
  timers: ReturnType<typeof setTimeout>[];
}

function newRunId(): string {
  const c = globalThis.crypto;
  return c && typeof c.randomUUID === "function" ? c.randomUUID() : `run-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function createBrowserExecutor(opts: BrowserExecutorOptions = {}): Executor {
  const workerUrl = opts.workerUrl ?? "/executor/worker.js";
  const indexURL = opts.indexURL ?? "/pyodide/";
  const stopGraceMs = opts.stopGraceMs ?? 1000;
  const watchdogGraceMs = opts.watchdogGraceMs ?? 3000;
  const createWorker = opts.createWorker ?? ((url: string) => new Worker(url, { type: "module" }) as unknown as WorkerLike);

  const listeners = new Set<(e: ExecutorEvent) => void>();
  let worker: WorkerLike | null = null;
  let ready = false;
  let version = "";
  let phase: ExecutorPhase = { phase: "idle" };
  let current: ActiveRun | null = null;
  let queued: ActiveRun | null = null;
  let stopView: Int32Array | null = null;
  let disposed = false;

  function emit(e: ExecutorEvent): void {
    for (const l of [...listeners]) {
      try {
        l(e);
      } catch (err) {
        console.error("executor listener failed", err);
      }
    }
  }

  function setPhase(p: ExecutorPhase): void {
    phase = p;
    emit({ type: "phase", state: p });
  }

  function finish(run: ActiveRun, trace: Omit<CanonicalTrace, "executor">): void {
    run.timers.forEach(clearTimeout);
    run.timers = [];
    if (current === run) current = null;
    if (queued === run) queued = null;
    const full: CanonicalTrace = version ? { ...trace, executor: version } : trace;
    emit({ type: "done", runId: run.runId, trace: full });
    run.resolve(full);
    if (ready && !current) setPhase({ phase: "ready", version });
    pump();
  }

  function synthetic(run: ActiveRun, status: ExecStatus, error: string | null, notes: string[]): Omit<CanonicalTrace, "executor"> {
    return { status, frames: run.frames, result: null, error, stdout: run.stdout, notes };
  }

  /** Ends the worker; the current run (if any) is finished with `why`. */
  function killWorker(why?: { status: ExecStatus; error: string | null; notes: string[] }): void {
    const w = worker;
    worker = null;
    ready = false;
    stopView = null;
    if (w) {
      w.onmessage = null;
      w.onerror = null;
      w.terminate();
    }
    const run = current;
    if (run && why) finish(run, synthetic(run, why.status, why.error, [...why.notes, "frames after the last batch received are missing"]));
  }

  function startWorker(): void {
    if (worker || disposed) return;
    const w = createWorker(workerUrl);
    worker = w;
    ready = false;
    const sab = typeof SharedArrayBuffer !== "undefined" && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false
      ? new SharedArrayBuffer(4)
      : undefined;
    stopView = sab ? new Int32Array(sab) : null;
    w.onmessage = (ev) => {
      if (worker === w) onMessage(ev.data);
    };
    w.onerror = (ev) => {
      if (worker !== w) return;
      const message = ev.message || "the worker failed";
      if (!ready) {
        killWorker();
        failPending(`Python could not be started: ${message}`);
      } else {
        killWorker({ status: "error", error: `The Python worker crashed (out of memory?): ${message}`, notes: [] });
      }
    };
    setPhase({ phase: "loading", progress: 0, message: "Starting the Python worker" });
    w.postMessage(sab ? { type: "init", indexURL, stopBuffer: sab } : { type: "init", indexURL });
  }

  function failPending(message: string): void {
    setPhase({ phase: "failed", message });
    for (const run of [queued, current]) if (run) finish(run, synthetic(run, "error", message, []));
  }

  function onMessage(data: unknown): void {
    const parsed = WorkerMessage.safeParse(data);
    if (!parsed.success) return;
    const msg = parsed.data;
    switch (msg.type) {
      case "progress":
        if (!ready) setPhase({ phase: "loading", progress: msg.progress, message: msg.message });
        return;
      case "ready":
        ready = true;
        version = msg.version;
        setPhase({ phase: "ready", version });
        pump();
        return;
      case "failed":
        killWorker();
        failPending(msg.message);
        return;
      case "started":
        return;
      case "frames": {
        const run = current;
        if (!run || run.runId !== msg.runId) return;
        let frames: Frame[];
        try {
          frames = FrameBatch.parse(JSON.parse(msg.frames));
        } catch {
          return; // a forged or broken batch: the run's final frame count will show the gap
        }
        for (const f of frames) run.frames.push(f);
        run.stdout += msg.stdout;
        if (run.silenced) return;
        if (frames.length) emit({ type: "frames", runId: run.runId, frames });
        if (msg.stdout) emit({ type: "stdout", runId: run.runId, text: msg.stdout });
        return;
      }
      case "done": {
        const run = current;
        if (!run || run.runId !== msg.runId) return;
        let result: TracerResult;
        try {
          result = TracerResult.parse(JSON.parse(msg.result));
        } catch (err) {
          finish(run, synthetic(run, "error", `The worker sent an unreadable result: ${String(err).slice(0, 200)}`, []));
          return;
        }
        const { frameCount, frames: _none, ...rest } = result;
        const notes = [...(rest.notes ?? [])];
        if (frameCount !== undefined && frameCount !== run.frames.length) {
          notes.push(`${frameCount - run.frames.length} frames were lost between the worker and the page`);
        }
        finish(run, { ...rest, frames: run.frames, ...(notes.length ? { notes } : {}) });
        return;
      }
      case "fatal": {
        const message = `The Python interpreter failed and was restarted: ${msg.message}`;
        if (current && (msg.runId === null || msg.runId === current.runId)) killWorker({ status: "error", error: message, notes: [] });
        else killWorker();
        pump();
        return;
      }
    }
  }

  /** Starts the queued run when the worker is free. */
  function pump(): void {
    if (disposed || current || !queued) return;
    if (!worker) {
      startWorker();
      return;
    }
    if (!ready) return;
    const run = queued;
    queued = null;
    current = run;
    run.dispatched = true;
    if (stopView) Atomics.store(stopView, 0, 0);
    worker.postMessage({ type: "run", runId: run.runId, program: run.program, lineOffset: run.lineOffset, budgets: run.budgets });
    setPhase({ phase: "running", runId: run.runId });
    run.timers.push(
      setTimeout(() => {
        if (current !== run) return;
        killWorker({
          status: "time_limit",
          error: null,
          notes: [`the run passed its ${run.budgets.timeoutMs} ms budget and the worker did not answer for ${watchdogGraceMs} ms more (a loop or allocation inside C code?); the worker was terminated`],
        });
      }, run.budgets.timeoutMs + watchdogGraceMs),
    );
  }

  function requestStop(run: ActiveRun, note: string, code: 1 | 2): void {
    if (run.stopRequested) return;
    run.stopRequested = true;
    if (stopView) Atomics.store(stopView, 0, code);
    run.timers.push(
      setTimeout(() => {
        if (current !== run) return;
        killWorker({ status: "time_limit", error: null, notes: [`${note}; the worker did not answer within ${stopGraceMs} ms and was terminated`] });
      }, stopGraceMs),
    );
  }

  return {
    load() {
      if (disposed) return;
      startWorker();
    },
    subscribe(listener) {
      listeners.add(listener);
      listener({ type: "phase", state: phase });
      return () => listeners.delete(listener);
    },
    run(input: RunInput) {
      const runId = newRunId();
      let resolve!: (t: CanonicalTrace) => void;
      const done = new Promise<CanonicalTrace>((r) => (resolve = r));
      if (disposed) {
        resolve({ status: "error", frames: [], result: null, error: "The executor was disposed", stdout: "" });
        return { runId, done };
      }
      const p = buildProgram(input.code, input.call);
      let budgets: Budgets;
      try {
        budgets = resolveBudgets(input.budgets);
      } catch (err) {
        resolve({ status: "error", frames: [], result: null, error: `Bad budgets: ${String(err).slice(0, 300)}`, stdout: "" });
        return { runId, done };
      }
      const run: ActiveRun = {
        runId, program: p.program, lineOffset: p.lineOffset, budgets, frames: [], stdout: "",
        dispatched: false, stopRequested: false, silenced: false, resolve, timers: [],
      };
      if (queued) finish(queued, synthetic(queued, "error", "Cancelled: a newer run was started", []));
      queued = run;
      if (current) {
        current.silenced = true;
        requestStop(current, "stopped because a new run was started", 2);
      }
      pump();
      return { runId, done };
    },
    stop() {
      if (queued) finish(queued, synthetic(queued, "error", "Stopped before the run started", ["stopped by the user"]));
      if (current) requestStop(current, "stopped by the user", 1);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const run of [queued, current]) if (run) finish(run, synthetic(run, "error", "The executor was disposed", []));
      killWorker();
      listeners.clear();
    },
  };
}
