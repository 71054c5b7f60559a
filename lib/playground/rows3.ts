/**
 * Reality and two predictions in one timeline. Each prediction is aligned with reality on its
 * own (its own scores, its own gaps); the two alignments are merged on reality's frames, which
 * both contain once each and in order. Frames a prediction has and reality lacks go just
 * before the next real frame, the two predictions' extras side by side.
 */
import type { VarDiff } from "@/lib/compare/diff";
import type { TimelineRow } from "./rows";

/** One prediction's frame in a merged row. */
export interface PredictionCell {
  p: number;
  /** Matched with the real frame of the row (else an extra frame reality lacks). */
  matched: boolean;
  diffs?: readonly VarDiff[];
  valueDiffers?: boolean;
}

export interface MergedRow {
  a: number | null;
  first: PredictionCell | null;
  second: PredictionCell | null;
}

function cell(r: TimelineRow): PredictionCell | null {
  if (r.p === null) return null;
  return { p: r.p, matched: r.kind === "match", ...(r.diffs ? { diffs: r.diffs } : {}), ...(r.valueDiffers !== undefined ? { valueDiffers: r.valueDiffers } : {}) };
}

export function mergeRows(first: readonly TimelineRow[], second: readonly TimelineRow[]): MergedRow[] {
  const out: MergedRow[] = [];
  let i = 0;
  let j = 0;
  for (;;) {
    const extra1: PredictionCell[] = [];
    const extra2: PredictionCell[] = [];
    while (i < first.length && first[i].a === null) extra1.push(cell(first[i++])!);
    while (j < second.length && second[j].a === null) extra2.push(cell(second[j++])!);
    for (let k = 0; k < Math.max(extra1.length, extra2.length); k++) out.push({ a: null, first: extra1[k] ?? null, second: extra2[k] ?? null });
    const r1 = first[i];
    const r2 = second[j];
    if (!r1 && !r2) return out;
    // Both alignments hold every real frame once, in order: their next real frames agree. A side
    // that has run out (its prediction is still arriving) has nothing at this real frame.
    const a = r1?.a ?? r2!.a;
    const take1 = r1 && r1.a === a;
    const take2 = r2 && r2.a === a;
    out.push({ a, first: take1 ? cell(r1) : null, second: take2 ? cell(r2) : null });
    if (take1) i++;
    if (take2) j++;
  }
}
