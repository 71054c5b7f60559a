/**
 * The rows of the side-by-side timeline. A row shows the real frame, the predicted frame, or
 * both when the alignment matched them; one cursor (a row index) drives every pane.
 */
import type { VarDiff } from "@/lib/compare/diff";

export type RowKind = "match" | "actual-only" | "predicted-only";

export interface TimelineRow {
  kind: RowKind;
  /** Index into the actual frames, or null for a gap. */
  a: number | null;
  /** Index into the predicted frames, or null for a gap. */
  p: number | null;
  /** Matched rows: the variables that differ (missing, extra, different value). */
  diffs?: readonly VarDiff[];
  /** Matched return/exception rows whose values differ. */
  valueDiffers?: boolean;
}

/** Rows when only one side exists (no prediction yet, or a prediction without a run). */
export function singleSideRows(side: "a" | "p", count: number): TimelineRow[] {
  const rows: TimelineRow[] = new Array(count);
  for (let i = 0; i < count; i++) rows[i] = side === "a" ? { kind: "actual-only", a: i, p: null } : { kind: "predicted-only", a: null, p: i };
  return rows;
}

/** The last row at or before `row` that has a frame on the given side (for editor marks). */
export function frameAtOrBefore(rows: readonly TimelineRow[], row: number, side: "a" | "p"): number | null {
  for (let r = Math.min(row, rows.length - 1); r >= 0; r--) {
    const v = rows[r][side];
    if (v !== null) return v;
  }
  return null;
}
