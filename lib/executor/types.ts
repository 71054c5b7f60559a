import type { CanonicalTrace, Frame } from "@/lib/trace/schema";
import type { EditSpec } from "@/lib/executor/protocol";

/** Budgets of one run; every field optional, defaults in DEFAULT_BUDGETS. */
export interface Budgets {
  /** Most frames recorded before the run stops with status "step_limit". */
  maxSteps: number;
  /** Wall time in milliseconds before status "time_limit". */
  timeoutMs: number;
  /** Captured stdout in bytes before it is truncated with a marker. */
  maxStdoutBytes: number;
  /** Characters of one repr before it is truncated with a marker. */
  maxReprChars: number;
}

export const DEFAULT_BUDGETS: Budgets = {
  maxSteps: 10_000,
  timeoutMs: 5_000,
  maxStdoutBytes: 64 * 1024,
  maxReprChars: 1_000,
};

export interface RunInput {
  code: string;
  /** Call expression (call mode); empty or absent for script mode. */
  call?: string | null;
  budgets?: Partial<Budgets>;
  /** A counterfactual: set a local at one frame (lib/executor/protocol.ts EditSpec). */
  edit?: EditSpec | null;
}

export type ExecutorPhase =
  | { phase: "idle" }
  | { phase: "loading"; progress: number; message: string }
  /** A fresh interpreter for the next run is still loading (every run gets one; see browser.ts). */
  | { phase: "restarting"; progress: number; message: string }
  | { phase: "ready"; version: string }
  | { phase: "running"; runId: string }
  | { phase: "failed"; message: string };

export type ExecutorEvent =
  | { type: "phase"; state: ExecutorPhase }
  | { type: "frames"; runId: string; frames: Frame[] }
  | { type: "stdout"; runId: string; text: string }
  | { type: "done"; runId: string; trace: CanonicalTrace };

/** The one interface the UI uses to run code; it never sees Pyodide. */
export interface Executor {
  /** Starts loading the interpreter (idempotent). */
  load(): void;
  subscribe(listener: (event: ExecutorEvent) => void): () => void;
  /** Queues the run if the interpreter is still loading. */
  run(input: RunInput): { runId: string; done: Promise<CanonicalTrace> };
  /** Stops the current run; its frames so far are kept in the final trace. */
  stop(): void;
  dispose(): void;
}
