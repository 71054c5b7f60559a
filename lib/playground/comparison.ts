/**
 * The comparison shown on a screen, derived from the session state: a pure selector,
 * memoised on exactly what it reads (both sides' frames and final traces, and the options).
 */
import { createComparer, type Comparer, type Comparison } from "@/lib/compare/compare";
import { executorVerdict } from "@/lib/compare/halting";
import type { TraceMetrics } from "@/lib/compare/metrics";
import type { CanonicalTrace, Frame, PredictedTrace, PredictorInfo } from "@/lib/trace/schema";
import { singleSideRows, type TimelineRow } from "./rows";
import { comparable, type PredictionSlot, type SessionState } from "./session";
import type { SecondComparison } from "./dual";

/** Why the reality column has no frames to show, said once instead of a column of gap rows. */
export type RealColumnNote = "not_run" | "running" | "could_not_run" | "earlier_code" | null;

export interface ComparisonView {
  rows: TimelineRow[];
  /** null when only one side exists or the two sides are for different code. */
  metrics: TraceMetrics | null;
  firstDivergenceRow: number | null;
  actualVerdict: string | null;
  halting: Comparison["halting"] | null;
  /** Whether the prediction column is shown at all. */
  twoSided: boolean;
  realNote: RealColumnNote;
  /** A second prediction beside the first ("Compare with"), on the same rows (lib/playground/dual.ts). */
  second?: SecondComparison;
}

export interface ComparisonInput {
  actualFrames: readonly Frame[] | null;
  actualTrace: CanonicalTrace | null;
  predictedFrames: readonly Frame[] | null;
  predictedFinal: PredictedTrace | null;
  predictor: PredictorInfo | null;
  /** The two sides are for the same code. */
  comparable: boolean;
  ignoreComprehensions: boolean;
}

export function comparisonInputOf(s: SessionState, slot: PredictionSlot = "first"): ComparisonInput {
  const p = slot === "second" ? s.second : s.prediction;
  return {
    actualFrames: s.real?.frames ?? null,
    actualTrace: s.real?.phase === "done" ? s.real.trace : null,
    predictedFrames: p?.frames ?? null,
    predictedFinal: p?.phase === "done" ? p.final : null,
    predictor: p?.predictor ?? null,
    comparable: comparable(s, slot),
    ignoreComprehensions: s.ignoreComprehensions,
  };
}

function sameInputs(a: ComparisonInput, b: ComparisonInput): boolean {
  return (
    a.actualFrames === b.actualFrames &&
    a.actualTrace === b.actualTrace &&
    a.predictedFrames === b.predictedFrames &&
    a.predictedFinal === b.predictedFinal &&
    a.predictor === b.predictor &&
    a.comparable === b.comparable &&
    a.ignoreComprehensions === b.ignoreComprehensions
  );
}

function realNoteOf(i: ComparisonInput): RealColumnNote {
  if (i.actualFrames === null) return "not_run";
  if (i.actualFrames.length > 0) return null;
  if (i.actualTrace === null) return "running";
  return "could_not_run";
}

function toRows(c: Comparison): TimelineRow[] {
  return c.alignment.rows.map((r) =>
    r.kind === "match"
      ? { kind: "match", a: r.a, p: r.p, diffs: r.diffs, valueDiffers: r.value !== null }
      : r.kind === "insert"
        ? { kind: "predicted-only", a: null, p: r.p }
        : { kind: "actual-only", a: r.a, p: null },
  );
}

/**
 * Compares the two sides; the comparer keeps normalised frames between calls, so a growing
 * prediction costs only its new frames plus the alignment. A side still arriving is compared as
 * it stands (the caller marks the figures partial).
 */
export function computeComparison(i: ComparisonInput, comparer: Comparer): ComparisonView {
  const actualVerdict = i.actualTrace ? executorVerdict(i.actualTrace).text : null;
  const twoSided = i.predictedFrames !== null;
  const realNote = realNoteOf(i);
  const base = { metrics: null, firstDivergenceRow: null, actualVerdict, halting: null, twoSided };
  if (!twoSided) return { ...base, rows: singleSideRows("a", i.actualFrames?.length ?? 0), realNote };
  if (!i.comparable) return { ...base, rows: singleSideRows("p", i.predictedFrames!.length), realNote: i.actualFrames === null ? "not_run" : "earlier_code" };
  if (realNote !== null) return { ...base, rows: singleSideRows("p", i.predictedFrames!.length), realNote };

  const actualFrames = i.actualFrames as Frame[];
  const predictedFrames = i.predictedFrames as Frame[];
  // Still running: compared as if stopped by a budget, so frames it has not produced yet cost nothing.
  const actual: CanonicalTrace = i.actualTrace ?? { status: "step_limit", frames: actualFrames, result: null, error: null, stdout: "" };
  const predicted: PredictedTrace = i.predictedFinal ?? {
    status: "incomplete",
    frames: predictedFrames,
    result: null,
    error: null,
    stdout: "",
    predictor: i.predictor ?? { id: "pending", model: null },
    finish: "stopped",
    valid_format: false,
    valid_json: true,
    // Scoring never reads the raw text; depending on it would recompute on every token.
    raw: "",
  };
  const c = comparer.compare({ ...actual, frames: actualFrames }, { ...predicted, frames: predictedFrames });
  const rows = toRows(c);
  let firstDivergenceRow: number | null = null;
  const fd = c.firstDivergence;
  if (fd) {
    const at = rows.findIndex((r) => (fd.actual !== null && r.a === fd.actual) || (fd.predicted !== null && r.p === fd.predicted));
    firstDivergenceRow = at < 0 ? null : at;
  }
  return {
    rows,
    metrics: c.metrics,
    firstDivergenceRow,
    actualVerdict,
    halting: i.actualTrace && i.predictedFinal ? c.halting : null,
    twoSided,
    realNote: null,
  };
}

/** A memoised selector: the same inputs give the same view object; an option change recomputes. */
export function createComparisonSelector(slot: PredictionSlot = "first"): (s: SessionState) => ComparisonView {
  let comparer: { ignoreComprehensions: boolean; c: Comparer } | null = null;
  let last: { input: ComparisonInput; view: ComparisonView } | null = null;
  return (s) => {
    const input = comparisonInputOf(s, slot);
    if (last && sameInputs(last.input, input)) return last.view;
    if (!comparer || comparer.ignoreComprehensions !== input.ignoreComprehensions) {
      comparer = { ignoreComprehensions: input.ignoreComprehensions, c: createComparer({ ignoreComprehensions: input.ignoreComprehensions }) };
    }
    const view = computeComparison(input, comparer.c);
    last = { input, view };
    return view;
  };
}
