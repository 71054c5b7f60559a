import { z } from "zod";

/**
 * The canonical trace JSON: the contract between the executor, the predictors,
 * the comparison, storage and the CLI. See README "Canonical trace JSON".
 */

export const FrameEvent = z.enum(["call", "line", "return", "exception"]);
export type FrameEvent = z.infer<typeof FrameEvent>;

/**
 * A record whose keys are names from the traced program. z.record (like any `obj[k] = v`)
 * drops a key named `__proto__` (it sets the prototype instead), and a Python local may be
 * called that; this one keeps every key as an own property.
 */
function ownRecord<T extends z.ZodType>(value: T) {
  return z.unknown().transform((v, ctx): Record<string, z.output<T>> => {
    const out: Record<string, z.output<T>> = {};
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      ctx.addIssue({ code: "custom", message: "expected an object" });
      return z.NEVER;
    }
    for (const [k, x] of Object.entries(v)) {
      const r = value.safeParse(x);
      if (!r.success) {
        for (const issue of r.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: [k, ...issue.path] });
        continue;
      }
      if (k === "__proto__") Object.defineProperty(out, k, { value: r.data, enumerable: true, writable: true, configurable: true });
      else out[k] = r.data;
    }
    return out;
  });
}

export const Locals = ownRecord(z.string());
export type Locals = z.infer<typeof Locals>;

export const Frame = z
  .object({
    event: FrameEvent,
    /** 1-based line in the user's code; wrapper lines as numbered in the CWM context; null when a predicted source cannot be mapped. */
    line: z.number().int().nullable(),
    /** The line's text without trailing newline and without the START_OF_TRACE marker. */
    source: z.string(),
    /** call and line frames: full locals (repr strings). */
    locals: Locals.optional(),
    /** return and exception frames: repr of the value / exception. */
    value: z.string().optional(),
    /** Predicted frames only: the frame could not be read; `raw` holds the model's text for it. */
    invalid: z.string().optional(),
    raw: z.string().optional(),
    /** Real frames only: characters of stdout written before this frame's line ran (output up to this step). */
    stdout_len: z.number().int().nonnegative().optional(),
    /**
     * Real frames only: for a local whose repr is an object's default repr, its attributes
     * (name → repr), bounded in count and size by the tracer. Shown on expansion; never compared.
     */
    attrs: ownRecord(ownRecord(z.string())).optional(),
  })
  .strict();
export type Frame = z.infer<typeof Frame>;

export const ExecStatus = z.enum(["returned", "raised", "step_limit", "time_limit", "error"]);
export type ExecStatus = z.infer<typeof ExecStatus>;

/** Why a run ended before its code did; absent when it returned or raised on its own. */
export const StopReason = z.enum([
  /** The user pressed Stop. */
  "user",
  /** The step budget (frames) was reached. */
  "steps",
  /** The wall-time budget was reached inside Python code. */
  "time",
  /** The worker stopped answering (a loop inside C code) and was terminated. */
  "watchdog",
  /** The worker crashed or sent something the host refused (e.g. more frames or bytes than the budgets allow). */
  "crash",
]);
export type StopReason = z.infer<typeof StopReason>;

/** Whether the trace can be trusted as ground truth; see lib/executor (tamper detection). */
export const Integrity = z.enum(["ok", "tampered"]);
export type Integrity = z.infer<typeof Integrity>;

/**
 * A counterfactual run (the neural debugger's edit): at frame `at` (index into `frames`) local
 * `name` was set to the Python literal `value` before the frame was recorded. `repr` is the
 * value as the tracer writes it; `error` says, for people, why it was not applied.
 */
export const TraceEdit = z
  .object({
    at: z.number().int().nonnegative(),
    name: z.string(),
    value: z.string(),
    applied: z.boolean(),
    repr: z.string().optional(),
    error: z.string().optional(),
  })
  .strict();
export type TraceEdit = z.infer<typeof TraceEdit>;

export const CanonicalTrace = z
  .object({
    status: ExecStatus,
    frames: z.array(Frame),
    result: z.string().nullable(),
    error: z.string().nullable(),
    stdout: z.string(),
    /** Which budget stopped the run, when any; also output/repr truncation notes. */
    notes: z.array(z.string()).optional(),
    /** e.g. "Pyodide 314.0.7 (Python 3.14.0)" or "CPython 3.11.7". Set by the host, never by the worker. */
    executor: z.string().optional(),
    /** Set when the run was ended from outside the program (budget, Stop, watchdog, crash). */
    stop_reason: StopReason.optional(),
    /** "tampered" when the traced program interfered with the tracer; absent means not checked (older stored runs, or a run the host had to end: watchdog, crash). */
    integrity: Integrity.optional(),
    /** Why the trace is marked tampered, in words. */
    integrity_notes: z.array(z.string()).optional(),
    /** The code uses interpreter introspection (sys.settrace, sys._getframe, gc, js, pyodide, builtins assignment, sys.monitoring). */
    introspection: z.boolean().optional(),
    /** Present when the run was asked to edit a local (a counterfactual); absent in ordinary runs. */
    edit: TraceEdit.optional(),
  })
  .strict();
export type CanonicalTrace = z.infer<typeof CanonicalTrace>;

export const FinishReason = z.enum(["eos", "length", "stopped", "error"]);
export type FinishReason = z.infer<typeof FinishReason>;

export const PredictorInfo = z
  .object({
    id: z.string(),
    model: z.string().nullable(),
    /** Human label, e.g. "CWM (vLLM)" or "Syntax-only baseline (not a model)". */
    label: z.string().optional(),
  })
  .strict();
export type PredictorInfo = z.infer<typeof PredictorInfo>;

export const SamplingSettings = z
  .object({
    temperature: z.number().min(0).max(2),
    top_p: z.number().gt(0).max(1).optional(),
    max_tokens: z.number().int().positive().max(131072),
  })
  .strict();
export type SamplingSettings = z.infer<typeof SamplingSettings>;

/** A predictor's output: the predicted trace in canonical form plus how it was made. */
export const PredictedTrace = z
  .object({
    status: z.enum(["returned", "raised", "incomplete"]),
    frames: z.array(Frame),
    result: z.string().nullable(),
    error: z.string().nullable(),
    stdout: z.string(),
    predictor: PredictorInfo,
    finish: FinishReason,
    valid_format: z.boolean(),
    valid_json: z.boolean(),
    raw: z.string(),
    prompt: z.string().optional(),
    settings: SamplingSettings.optional(),
    tokens: z.object({ prompt: z.number().int().nullable(), completion: z.number().int().nullable() }).strict().optional(),
    elapsed_ms: z.number().nonnegative().optional(),
    /** Why the prediction ended early, in words, when finish is "error" or "stopped". */
    message: z.string().optional(),
    cached: z.boolean().optional(),
  })
  .strict();
export type PredictedTrace = z.infer<typeof PredictedTrace>;

/** How the user's code is turned into a traced program. */
export const RunMode = z.enum(["call", "script"]);
export type RunMode = z.infer<typeof RunMode>;

export function runModeOf(call: string | null | undefined): RunMode {
  return call && call.trim() !== "" ? "call" : "script";
}
