/**
 * Messages between the executor host (browser.ts, node.ts) and the Python side (worker.ts,
 * tracer.py). Every message crossing a boundary is parsed with these schemas. Frames travel as
 * JSON text made by tracer.py: one JSON.parse on the host beats structured-cloning converted
 * PyProxy objects (see bench/trace-cruxeval.ts for the measurement).
 */
import { z } from "zod";
import { CanonicalTrace, Frame } from "@/lib/trace/schema";
import { DEFAULT_BUDGETS, type Budgets } from "@/lib/executor/types";

export const BudgetsSchema = z
  .object({
    maxSteps: z.number().int().positive(),
    timeoutMs: z.number().int().positive(),
    maxStdoutBytes: z.number().int().nonnegative(),
    maxReprChars: z.number().int().positive(),
  })
  .strict();

export function resolveBudgets(partial?: Partial<Budgets>): Budgets {
  return BudgetsSchema.parse({ ...DEFAULT_BUDGETS, ...stripUndefined(partial ?? {}) });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** What tracer.run() returns: the canonical trace, without frames when they were emitted in batches. */
export const TracerResult = CanonicalTrace.omit({ executor: true }).extend({
  frameCount: z.number().int().nonnegative().optional(),
});
export type TracerResult = z.infer<typeof TracerResult>;

export const FrameBatch = z.array(Frame);
export type FrameBatch = z.infer<typeof FrameBatch>;

const RunId = z.string().min(1).max(100);

/** Longest edit value text (tracer.py EDIT_VALUE_CHARS says the same). */
export const EDIT_VALUE_CHARS = 10_000;

/**
 * A counterfactual edit of a run: at frame `at` (index into the trace's frames; 0 is the entry's
 * call frame) set local `name` to the Python literal expression `value` (e.g. "7", "[1, 2]"),
 * evaluated by the tracer inside the sandbox. Whether it applied is in the trace's `edit`.
 */
export const EditSpec = z
  .object({
    at: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    name: z.string().min(1).max(200),
    value: z.string().min(1).max(EDIT_VALUE_CHARS),
  })
  .strict();
export type EditSpec = z.infer<typeof EditSpec>;

/** Host → worker. */
export const HostMessage = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("init"),
      /** Pyodide's directory; absent: the one prepare-assets compiled into the worker. */
      indexURL: z.string().optional(),
      /** The memory snapshot to restore; null: boot Python; absent: the compiled-in one. */
      snapshotURL: z.string().nullable().optional(),
      stopBuffer: z.custom<SharedArrayBuffer>(isSab).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("run"),
      runId: RunId,
      program: z.string(),
      lineOffset: z.union([z.literal(0), z.literal(1)]),
      budgets: BudgetsSchema,
      edit: EditSpec.optional(),
    })
    .strict(),
]);
export type HostMessage = z.infer<typeof HostMessage>;

/** Worker → host. Frames and the final trace are JSON text (parsed with FrameBatch / TracerResult). */
export const WorkerMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("progress"), progress: z.number().min(0).max(1), message: z.string() }).strict(),
  z.object({ type: z.literal("ready"), version: z.string() }).strict(),
  z.object({ type: z.literal("failed"), message: z.string() }).strict(),
  z.object({ type: z.literal("started"), runId: RunId }).strict(),
  z.object({ type: z.literal("frames"), runId: RunId, frames: z.string(), stdout: z.string() }).strict(),
  z.object({ type: z.literal("done"), runId: RunId, result: z.string() }).strict(),
  /** The tracer caught the program tampering with it; sent at once, so rewriting the tracer afterwards cannot take it back. */
  z.object({ type: z.literal("alarm"), runId: RunId, note: z.string().max(500) }).strict(),
  /** The interpreter is unusable (fatal error); the host replaces the worker. */
  z.object({ type: z.literal("fatal"), runId: RunId.nullable(), message: z.string() }).strict(),
]);
export type WorkerMessage = z.infer<typeof WorkerMessage>;

function isSab(v: unknown): boolean {
  return typeof SharedArrayBuffer !== "undefined" && v instanceof SharedArrayBuffer;
}

/** Line of the CPython driver (`tracer.py --serve`). */
export const DriverLine = z.discriminatedUnion("type", [
  z.object({ type: z.literal("hello"), version: z.string() }).strict(),
  z.object({ type: z.literal("frames"), id: z.string(), frames: FrameBatch, stdout: z.string() }).strict(),
  z.object({ type: z.literal("alarm"), id: z.string(), note: z.string().max(500) }).strict(),
  z.object({ type: z.literal("done"), id: z.string(), trace: TracerResult }).strict(),
]);
export type DriverLine = z.infer<typeof DriverLine>;

/** What lib/executor/node.ts hands its worker thread (lib/executor/node-worker.ts) at start. */
export const NodeWorkerData = z
  .object({
    /** file: URL of pyodide.mjs in node_modules. */
    pyodideUrl: z.string(),
    tracerPath: z.string(),
    /** lib/executor/recorder.ts */
    recorder: z.custom<SharedArrayBuffer>(isSab),
  })
  .strict();
export type NodeWorkerData = z.infer<typeof NodeWorkerData>;
