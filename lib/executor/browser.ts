/**
 * The executor the UI uses: runs code in the module worker served at /executor/worker.js and
 * never touches Pyodide itself. Every worker message is validated; events of any run other
 * than the current one are dropped. A worker that does not answer a Stop within stopGraceMs, a
 * run past timeoutMs + watchdogGraceMs (a loop inside C code) or a crashed worker is
 * terminated; the run ends with the frames received so far.
 *
 * Every run gets a fresh interpreter: the program can patch builtins, sys hooks, sys.modules or
 * leave js.setInterval callbacks behind, so the worker that ran it is terminated when the run
 * ends and never runs anything again. A spare worker is loaded in the background while a run
 * executes, so the next Run starts at once; while no spare is ready after a first one was, the
 * phase is "restarting".
 */
import { buildProgram } from "@/lib/cwm/program";
import type { CanonicalTrace, ExecStatus, Frame, StopReason } from "@/lib/trace/schema";
import { FLOOD_NOTE, floods, withHostIntegrity } from "@/lib/executor/frame-check";
import type { Budgets, Executor, ExecutorEvent, ExecutorPhase, RunInput } from "@/lib/executor/types";
import { FrameBatch, TracerResult, WorkerMessage, resolveBudgets, type EditSpec, type HostMessage } from "@/lib/executor/protocol";
import { checkEdit, hostEndedEdit } from "@/lib/executor/edit";

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
  /** The next run's interpreter starts loading this long after a run starts, at the latest. */
  spareDelayMs?: number;
  /** The interpreter snapshot to restore (null: boot Python); default: the worker's own. */
  snapshotURL?: string | null;
  createWorker?: (url: string) => WorkerLike;
}

interface ActiveRun {
  runId: string;
  program: string;
  lineOffset: 0 | 1;
  budgets: Budgets;
  /** The counterfactual edit asked for, if any (RunInput.edit). */
  edit: EditSpec | null;
  frames: Frame[];
  stdout: string;
  dispatched: boolean;
  stopRequested: boolean;
  /** Superseded by a newer run: its frames are still collected for its own trace, not announced. */
  silenced: boolean;
  resolve: (t: CanonicalTrace) => void;
  timers: ReturnType<typeof setTimeout>[];
  /** Why the host distrusts this run's trace: the tracer's alarms as they came, and the host's own checks. */
  alarms: string[];
  /** Characters of frames and stdout received, against the flood bound. */
  chars: number;
}

/** One worker: loading, ready (the spare), or running one run (then it is thrown away). */
interface Slot {
  w: WorkerLike;
  ready: boolean;
  version: string;
  stopView: Int32Array | null;
  progress: number;
  message: string;
}

function newRunId(): string {
  const c = globalThis.crypto;
  return c && typeof c.randomUUID === "function" ? c.randomUUID() : `run-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function createBrowserExecutor(opts: BrowserExecutorOptions = {}): Executor {
  const workerUrl = opts.workerUrl ?? "/executor/worker.js";
  const indexURL = opts.indexURL;
  const snapshotURL = opts.snapshotURL;
  const stopGraceMs = opts.stopGraceMs ?? 1000;
  const watchdogGraceMs = opts.watchdogGraceMs ?? 3000;
  const spareDelayMs = opts.spareDelayMs ?? 250;
  const createWorker = opts.createWorker ?? ((url: string) => new Worker(url, { type: "module" }) as unknown as WorkerLike);

  const listeners = new Set<(e: ExecutorEvent) => void>();
  /** The worker of the current run, if any. */
  let active: Slot | null = null;
  /** The next run's worker, loading or ready. */
  let spare: Slot | null = null;
  /** Some worker was ready once: a later wait is a restart, not the first load. */
  let everReady = false;
  /** Why the last worker failed to load; the next run() tries again. */
  let loadFailure: string | null = null;
  let phase: ExecutorPhase = { phase: "idle" };
  let current: ActiveRun | null = null;
  let queued: ActiveRun | null = null;
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
    const version = current === run && active ? active.version : "";
    if (current === run) {
      current = null;
      retireActive();
    }
    if (queued === run) queued = null;
    const checked = withHostIntegrity(trace, run.alarms);
    const full: CanonicalTrace = version ? { ...checked, executor: version } : checked;
    emit({ type: "done", runId: run.runId, trace: full });
    run.resolve(full);
    // The next interpreter, unless loading one just failed (the next run() tries again).
    if (loadFailure === null) startWorker();
    if (!current) idlePhase();
    pump();
  }

  /** The phase between runs: ready when the spare is, else how far its loading got. */
  function idlePhase(): void {
    if (disposed) return;
    if (spare?.ready) setPhase({ phase: "ready", version: spare.version });
    else if (spare) setPhase({ phase: everReady ? "restarting" : "loading", progress: spare.progress, message: spare.message });
    else if (loadFailure !== null) setPhase({ phase: "failed", message: loadFailure });
  }

  /** The worker that ran a program is never reused: whatever the program left in it dies with it. */
  function retireActive(): void {
    const slot = active;
    active = null;
    if (slot) dropSlot(slot);
  }

  function dropSlot(slot: Slot): void {
    slot.w.onmessage = null;
    slot.w.onerror = null;
    slot.w.terminate();
  }

  /** A trace the host ends itself; `reason` says who ended the run (the tracer could not). */
  function synthetic(run: ActiveRun, status: ExecStatus, error: string | null, notes: string[], reason?: StopReason): Omit<CanonicalTrace, "executor"> {
    const t: Omit<CanonicalTrace, "executor"> = { status, frames: run.frames, result: null, error, stdout: run.stdout, notes };
    if (reason) t.stop_reason = reason;
    if (run.edit) t.edit = hostEndedEdit(run.edit, run.frames.length);
    // No integrity verdict: the tracer's end-of-run checks never ran. Alarms that did arrive
    // still mark it tampered (withHostIntegrity in finish).
    return t;
  }

  /** Ends the current run's worker; the current run (if any) is finished with `why`. */
  function killWorker(why?: { status: ExecStatus; error: string | null; notes: string[]; reason: StopReason }): void {
    const run = current;
    if (run && why) finish(run, synthetic(run, why.status, why.error, [...why.notes, "frames after the last batch received are missing"], why.reason));
    else retireActive();
  }

  /** Starts loading the next run's worker unless one is loading or ready. */
  function startWorker(): void {
    if (spare || disposed) return;
    loadFailure = null;
    const w = createWorker(workerUrl);
    const sab = typeof SharedArrayBuffer !== "undefined" && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false
      ? new SharedArrayBuffer(4)
      : undefined;
    const slot: Slot = { w, ready: false, version: "", stopView: sab ? new Int32Array(sab) : null, progress: 0, message: "Starting the Python worker" };
    spare = slot;
    w.onmessage = (ev) => onMessage(slot, ev.data);
    w.onerror = (ev) => {
      const message = ev.message || "the worker failed";
      if (slot === spare) {
        spare = null;
        dropSlot(slot);
        failPending(`Python could not be started: ${message}`);
      } else if (slot === active) {
        killWorker({ status: "error", error: `The Python worker crashed (out of memory?): ${message}`, notes: [], reason: "crash" });
      }
    };
    const init: HostMessage = { type: "init" };
    if (indexURL !== undefined) init.indexURL = indexURL;
    if (snapshotURL !== undefined) init.snapshotURL = snapshotURL;
    if (sab) init.stopBuffer = sab;
    w.postMessage(init);
  }

  function failPending(message: string): void {
    loadFailure = message;
    if (!current) setPhase({ phase: "failed", message });
    // A run in progress has its own worker; only a run waiting for this one fails.
    if (queued) finish(queued, synthetic(queued, "error", message, []));
  }

  function onMessage(slot: Slot, data: unknown): void {
    if (slot !== spare && slot !== active) return;
    const parsed = WorkerMessage.safeParse(data);
    if (!parsed.success) return;
    const msg = parsed.data;
    if (slot === spare) {
      // A loading worker only reports its progress; anything else from it is ignored.
      switch (msg.type) {
        case "progress":
          if (slot.ready) return;
          slot.progress = msg.progress;
          slot.message = msg.message;
          if (!current) idlePhase();
          return;
        case "ready":
          slot.ready = true;
          slot.version = msg.version;
          everReady = true;
          if (!current) idlePhase();
          pump();
          return;
        case "failed":
          spare = null;
          dropSlot(slot);
          failPending(msg.message);
          return;
        default:
          return;
      }
    }
    switch (msg.type) {
      case "progress":
      case "ready":
      case "failed":
        return;
      case "started":
        return;
      case "frames": {
        const run = current;
        if (!run || run.runId !== msg.runId) return;
        run.chars += msg.frames.length + msg.stdout.length;
        let frames: Frame[];
        try {
          frames = FrameBatch.parse(JSON.parse(msg.frames));
        } catch {
          noteAlarm(run, "the worker sent a batch of frames the page could not read");
          return;
        }
        if (floods(run.frames.length + frames.length, run.chars, run.budgets)) {
          noteAlarm(run, FLOOD_NOTE);
          killWorker({ status: "error", error: "The Python worker flooded the page and was stopped", notes: [], reason: "crash" });
          return;
        }
        for (const f of frames) run.frames.push(f);
        run.stdout += msg.stdout;
        startWorker();
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
          finish(run, synthetic(run, "error", `The worker sent an unreadable result: ${String(err).slice(0, 200)}`, [], "crash"));
          return;
        }
        const { frameCount, frames: _none, ...rest } = result;
        const notes = [...(rest.notes ?? [])];
        if (frameCount !== undefined && frameCount !== run.frames.length) {
          notes.push(`${frameCount - run.frames.length} frames were lost between the worker and the page`);
          noteAlarm(run, `the tracer sent ${frameCount} frames but ${run.frames.length} arrived (frames out of sequence)`);
        }
        finish(run, { ...rest, frames: run.frames, ...(notes.length ? { notes } : {}) });
        return;
      }
      case "alarm": {
        const run = current;
        if (run && run.runId === msg.runId) noteAlarm(run, msg.note);
        return;
      }
      case "fatal": {
        const message = `The Python interpreter failed and was restarted: ${msg.message}`;
        if (current && (msg.runId === null || msg.runId === current.runId)) killWorker({ status: "error", error: message, notes: [], reason: "crash" });
        else killWorker();
        idlePhase();
        pump();
        return;
      }
    }
  }

  function noteAlarm(run: ActiveRun, note: string): void {
    if (!run.alarms.includes(note) && run.alarms.length < 20) run.alarms.push(note);
  }

  /** Starts the queued run on the spare worker when it is ready, and loads the next spare. */
  function pump(): void {
    if (disposed || current || !queued) return;
    if (!spare) {
      startWorker();
      idlePhase();
    }
    if (!spare?.ready) return;
    const slot = spare;
    spare = null;
    active = slot;
    const run = queued;
    queued = null;
    current = run;
    run.dispatched = true;
    if (slot.stopView) Atomics.store(slot.stopView, 0, 0);
    const msg: HostMessage = { type: "run", runId: run.runId, program: run.program, lineOffset: run.lineOffset, budgets: run.budgets };
    if (run.edit) msg.edit = run.edit;
    slot.w.postMessage(msg);
    setPhase({ phase: "running", runId: run.runId });
    // The next interpreter loads once this run's first frames are out (or after spareDelayMs,
    // or when the run ends): loading it at once would compete with the run's start for the CPU.
    run.timers.push(setTimeout(startWorker, spareDelayMs));
    run.timers.push(
      setTimeout(() => {
        if (current !== run) return;
        killWorker({
          status: "time_limit",
          error: null,
          notes: [`the run passed its ${run.budgets.timeoutMs} ms budget and the worker did not answer for ${watchdogGraceMs} ms more (a loop or allocation inside C code?); the worker was terminated`],
          reason: "watchdog",
        });
      }, run.budgets.timeoutMs + watchdogGraceMs),
    );
  }

  function requestStop(run: ActiveRun, note: string, code: 1 | 2): void {
    if (run.stopRequested) return;
    run.stopRequested = true;
    const stopView = current === run ? active?.stopView : null;
    if (stopView) Atomics.store(stopView, 0, code);
    run.timers.push(
      setTimeout(() => {
        if (current !== run) return;
        killWorker({ status: "time_limit", error: null, notes: [`${note}; the worker did not answer within ${stopGraceMs} ms and was terminated`], reason: "user" });
      }, stopGraceMs),
    );
  }

  return {
    load() {
      if (disposed) return;
      if (!spare && !current) {
        startWorker();
        idlePhase();
      }
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
      let edit: EditSpec | null;
      try {
        edit = checkEdit(input.edit);
      } catch (err) {
        resolve({ status: "error", frames: [], result: null, error: (err as Error).message.slice(0, 500), stdout: "" });
        return { runId, done };
      }
      const run: ActiveRun = {
        runId, program: p.program, lineOffset: p.lineOffset, budgets, edit, frames: [], stdout: "",
        dispatched: false, stopRequested: false, silenced: false, resolve, timers: [], alarms: [], chars: 0,
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
      if (queued) finish(queued, synthetic(queued, "error", "Stopped before the run started", ["stopped by the user"], "user"));
      if (current) requestStop(current, "stopped by the user", 1);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const run of [queued, current]) if (run) finish(run, synthetic(run, "error", "The executor was disposed", []));
      retireActive();
      if (spare) dropSlot(spare);
      spare = null;
      listeners.clear();
    },
  };
}
