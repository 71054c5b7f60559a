/**
 * Two predictions beside reality ("Compare with"): each is compared with reality by its own
 * memoised selector (lib/playground/comparison.ts), and their alignments are merged into one
 * timeline (rows3.ts). The first prediction keeps the `rows` every pane reads (a, p); the second
 * rides along as one cell per row, so the cursor, the scrubber and the editor marks work unchanged.
 */
import type { Halting } from "@/lib/compare/halting";
import type { TraceMetrics } from "@/lib/compare/metrics";
import { createComparisonSelector, type ComparisonView } from "./comparison";
import type { TimelineRow } from "./rows";
import { mergeRows, type MergedRow, type PredictionCell } from "./rows3";
import type { SessionState } from "./session";

export interface SecondComparison {
  /** The second prediction's frame on each row of the merged rows (null: a gap). */
  cells: readonly (PredictionCell | null)[];
  metrics: TraceMetrics | null;
  /** Its first divergence from reality, as a row of the merged rows. */
  firstDivergenceRow: number | null;
  halting: Halting | null;
}

function firstRowOf(m: MergedRow): TimelineRow {
  const c = m.first;
  if (!c) return m.a !== null ? { kind: "actual-only", a: m.a, p: null } : { kind: "predicted-only", a: null, p: null };
  if (m.a !== null && c.matched)
    return { kind: "match", a: m.a, p: c.p, ...(c.diffs ? { diffs: c.diffs } : {}), ...(c.valueDiffers !== undefined ? { valueDiffers: c.valueDiffers } : {}) };
  return { kind: "predicted-only", a: null, p: c.p };
}

/** Where a row of one prediction's own alignment landed in the merged rows. */
function mergedRowOf(merged: readonly MergedRow[], own: readonly TimelineRow[], row: number | null, side: "first" | "second"): number | null {
  if (row === null) return null;
  const r = own[row];
  if (!r) return null;
  const at = merged.findIndex((m) => (r.a !== null ? m.a === r.a : m.a === null && m[side]?.p === r.p));
  return at < 0 ? null : at;
}

/** Both comparisons on one set of rows; without a second prediction, the first view as it is. */
export function combineComparisons(first: ComparisonView, second: ComparisonView | null): ComparisonView {
  if (!second || !second.twoSided || !first.twoSided) return first;
  const merged = mergeRows(first.rows, second.rows);
  return {
    ...first,
    rows: merged.map(firstRowOf),
    firstDivergenceRow: mergedRowOf(merged, first.rows, first.firstDivergenceRow, "first"),
    second: {
      cells: merged.map((m) => m.second),
      metrics: second.metrics,
      firstDivergenceRow: mergedRowOf(merged, second.rows, second.firstDivergenceRow, "second"),
      halting: second.halting,
    },
  };
}

/** Reads both slots; the same two views give the same combined object. */
export function createDualComparisonSelector(): (s: SessionState) => ComparisonView {
  const selectFirst = createComparisonSelector("first");
  const selectSecond = createComparisonSelector("second");
  let last: { first: ComparisonView; second: ComparisonView | null; view: ComparisonView } | null = null;
  return (s) => {
    const first = selectFirst(s);
    // No second prediction: nothing is read or computed for it.
    const second = s.second ? selectSecond(s) : null;
    if (last && last.first === first && last.second === second) return last.view;
    const view = combineComparisons(first, second);
    last = { first, second, view };
    return view;
  };
}
