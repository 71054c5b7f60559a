/**
 * One run of tracer.py driven from JavaScript: begin, then each entry the tracer hands back
 * (the program's top-level code, then its entry function), then finish. Python calls made from
 * here start with no Python frame below them, so the program's frames have no tracer frame
 * above them but the tracer's clean entry (see tracer.py, "The program runs in the tracer's
 * interpreter"). Shared by the browser worker (worker.ts) and the Node thread (node-worker.ts).
 */

interface PyEntry {
  (): unknown;
  destroy(): void;
}

/** The part of the cwm_tracer module (a Pyodide PyProxy) a run uses. */
export interface TracerModule {
  begin: { callKwargs(...args: unknown[]): unknown };
  advance(): unknown;
  finish(): unknown;
}

export interface DriveOptions {
  /** Frame batches (JSON text) and stdout while the run goes; the result then has no frames. */
  emit?: (frames: string, stdout: string) => void;
  /** 0: go on; 1: the user pressed Stop; 2: a newer run replaces this one. */
  stopRequested?: () => number;
  /** File descriptor of the flight recorder (lib/executor/recorder.ts). */
  record?: number;
  /** The tracer caught the program tampering with it (said at once, before the run ends). */
  alarm?: (note: string) => void;
  /** The run's edit (protocol.ts EditSpec) as JSON text: one string crosses into Python. */
  edit?: string;
}

function isEntry(v: unknown): v is PyEntry {
  return typeof v === "function" && typeof (v as { destroy?: unknown }).destroy === "function";
}

/** Runs `program` and returns tracer.finish()'s JSON text (lib/executor/protocol.ts TracerResult). */
export function driveRun(tracer: TracerModule, program: string, lineOffset: 0 | 1, budgetsJson: string, opts: DriveOptions): string {
  const kwargs: Record<string, unknown> = {};
  if (opts.emit) kwargs.emit = opts.emit;
  if (opts.stopRequested) kwargs.stop_requested = opts.stopRequested;
  if (opts.record !== undefined) kwargs.record = opts.record;
  if (opts.alarm) kwargs.alarm = opts.alarm;
  if (opts.edit !== undefined) kwargs.edit = opts.edit;
  let step = tracer.begin.callKwargs(program, lineOffset, budgetsJson, kwargs);
  while (isEntry(step)) {
    const entry = step;
    try {
      entry();
    } finally {
      entry.destroy();
    }
    step = tracer.advance();
  }
  return String(tracer.finish());
}
