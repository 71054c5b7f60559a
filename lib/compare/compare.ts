/**
 * One comparison of a real trace and a prediction: metrics, aligned rows and halting verdicts.
 * `createComparer` keeps normalised frames between calls so a UI can recompute on every
 * predicted frame that streams in.
 */
import type { CanonicalTrace, PredictedTrace } from "@/lib/trace/schema";
import { alignPrepared, type Alignment } from "./align";
import { halting, type Halting } from "./halting";
import { metricsOfPrepared, outputCorrect, type CompareOptions, type TraceMetrics } from "./metrics";
import { ActInterner, prepareTrace, type PreparedTrace } from "./prepare";

export interface Comparison {
  metrics: TraceMetrics;
  alignment: Alignment;
  halting: Halting;
  /** first_divergence as indexes into the original frame arrays (null when identical). */
  firstDivergence: { actual: number | null; predicted: number | null } | null;
  /** Frames left out by ignoreComprehensions. */
  ignored: { actual: number; predicted: number };
}

export interface Comparer {
  compare(actual: CanonicalTrace, predicted: PredictedTrace): Comparison;
}

function compareFrom(A: PreparedTrace, P: PreparedTrace, actual: CanonicalTrace, predicted: PredictedTrace): Comparison {
  const metrics = metricsOfPrepared(A, P, {
    valid_format: predicted.valid_format,
    valid_json: predicted.valid_json,
    output_correct: outputCorrect(actual, predicted),
  });
  const alignment = alignPrepared(A, P, {
    // A prediction without EOS ends early by construction: align it with the start of the run.
    freeEndActual: predicted.finish !== "eos",
    freeEndPredicted: actual.status === "step_limit" || actual.status === "time_limit",
  });
  const fd = metrics.first_divergence;
  return {
    metrics,
    alignment,
    halting: halting(actual, predicted),
    firstDivergence:
      fd === null
        ? null
        : { actual: fd < A.index.length ? A.index[fd] : null, predicted: fd < P.index.length ? P.index[fd] : null },
    ignored: { actual: A.frames.length - A.index.length, predicted: P.frames.length - P.index.length },
  };
}

export function createComparer(opts: CompareOptions = {}): Comparer {
  const interner = new ActInterner();
  let lastA: PreparedTrace | undefined;
  let lastP: PreparedTrace | undefined;
  return {
    compare(actual, predicted) {
      lastA = prepareTrace(actual.frames, interner, opts, lastA);
      lastP = prepareTrace(predicted.frames, interner, opts, lastP);
      return compareFrom(lastA, lastP, actual, predicted);
    },
  };
}

export function compareTraces(actual: CanonicalTrace, predicted: PredictedTrace, opts: CompareOptions = {}): Comparison {
  return createComparer(opts).compare(actual, predicted);
}

/** A canonical trace used as a prediction (e.g. two real runs compared): it reads as a clean, finished output. */
export function canonicalAsPrediction(t: CanonicalTrace): PredictedTrace {
  const status = t.status === "returned" || t.status === "raised" ? t.status : "incomplete";
  const finished = status !== "incomplete";
  return {
    status,
    frames: t.frames,
    result: t.result,
    error: t.error,
    stdout: t.stdout,
    predictor: { id: "trace", model: null, label: t.executor ?? "canonical trace" },
    finish: finished ? "eos" : "stopped",
    valid_format: true,
    valid_json: true,
    raw: "",
    ...(finished ? {} : { message: `the run ended with status ${t.status}` }),
  };
}
