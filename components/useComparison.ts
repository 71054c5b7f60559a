"use client";
import { useMemo, useRef } from "react";
import { createComparer, type Comparison } from "@/lib/compare/compare";
import { executorVerdict, modelVerdict } from "@/lib/compare/halting";
import type { TraceMetrics } from "@/lib/compare/metrics";
import { singleSideRows, type TimelineRow } from "@/lib/playground/rows";
import type { CanonicalTrace, Frame, PredictedTrace } from "@/lib/trace/schema";
import type { PredictionRun } from "./usePrediction";

export interface ComparisonView {
  rows: TimelineRow[];
  metrics: TraceMetrics | null;
  firstDivergenceRow: number | null;
  actualVerdict: string | null;
  predictedVerdict: string | null;
  halting: Comparison["halting"] | null;
  approximate: boolean;
}

/**
 * Aligns and scores the two traces, again on every batch of frames (the comparer keeps the
 * normalised frames, so a growing prediction costs only its new frames plus the alignment).
 * While either side is still arriving it is compared as it stands, marked partial by the caller.
 */
export function useComparison(
  actualFrames: readonly Frame[],
  actualTrace: CanonicalTrace | null,
  predictedFrames: readonly Frame[] | null,
  predictedFinal: PredictedTrace | null,
  prediction: PredictionRun | null,
  ignoreComprehensions = false,
): ComparisonView {
  const comparer = useRef<{ key: boolean; c: ReturnType<typeof createComparer> } | null>(null);
  if (!comparer.current || comparer.current.key !== ignoreComprehensions) {
    comparer.current = { key: ignoreComprehensions, c: createComparer({ ignoreComprehensions }) };
  }

  return useMemo((): ComparisonView => {
    const actualVerdict = actualTrace ? executorVerdict(actualTrace).text : null;
    const predictedVerdict = predictedFinal ? modelVerdict(predictedFinal).text : null;
    const hasActual = actualFrames.length > 0 || actualTrace !== null;
    if (predictedFrames === null || !hasActual) {
      const rows = predictedFrames === null ? singleSideRows("a", actualFrames.length) : singleSideRows("p", predictedFrames.length);
      return { rows, metrics: null, firstDivergenceRow: null, actualVerdict, predictedVerdict, halting: null, approximate: false };
    }
    const actual: CanonicalTrace = actualTrace ?? {
      // Still running: compared as if stopped by a budget, so frames it has not produced yet cost nothing.
      status: "step_limit",
      frames: actualFrames as Frame[],
      result: null,
      error: null,
      stdout: "",
    };
    const predicted: PredictedTrace = predictedFinal ?? {
      status: "incomplete",
      frames: predictedFrames as Frame[],
      result: null,
      error: null,
      stdout: "",
      predictor: prediction?.predictor ?? { id: "pending", model: null },
      finish: "stopped",
      valid_format: false,
      valid_json: true,
      // Scoring never reads the raw text; depending on it would recompute on every token.
      raw: "",
    };
    const c = comparer.current!.c.compare({ ...actual, frames: actualFrames as Frame[] }, { ...predicted, frames: predictedFrames as Frame[] });
    const rows: TimelineRow[] = c.alignment.rows.map((r) =>
      r.kind === "match"
        ? { kind: "match", a: r.a, p: r.p, diffs: r.diffs, valueDiffers: r.value !== null }
        : r.kind === "insert"
          ? { kind: "predicted-only", a: null, p: r.p }
          : { kind: "actual-only", a: r.a, p: null },
    );
    let firstDivergenceRow: number | null = null;
    const fd = c.firstDivergence;
    if (fd) {
      firstDivergenceRow = rows.findIndex((r) => (fd.actual !== null && r.a === fd.actual) || (fd.predicted !== null && r.p === fd.predicted));
      if (firstDivergenceRow < 0) firstDivergenceRow = null;
    }
    return {
      rows,
      metrics: c.metrics,
      firstDivergenceRow,
      actualVerdict,
      predictedVerdict: predictedFinal ? c.halting.model.text : predictedVerdict,
      halting: actualTrace && predictedFinal ? c.halting : null,
      approximate: c.alignment.approximate,
    };
  }, [actualFrames, actualTrace, predictedFrames, predictedFinal, prediction?.predictor]);
}
