/**
 * The aligned view: a global alignment of the two frame sequences on act(F), so a skipped or
 * added loop iteration shows as one block of gaps instead of shifting every later frame.
 * Rows index the ORIGINAL frame arrays (frames dropped by ignoreComprehensions have no row).
 */
import { z } from "zod";
import { localsDiff, valueDiff, ValueDiff, VarDiff } from "./diff";
import { DEFAULT_MAX_EDITS, myersDiff, OP_DELETE, OP_INSERT, OP_MATCH } from "./myers";
import type { PreparedTrace } from "./prepare";
import { jaccard, sameState } from "./similarity";

// Scores are sums of fractions: ties within rounding count as ties.
const EPS = 1e-9;
// Bounds the work per gap block inside a long run of identical actions (a tight loop).
const MAX_SLIDE = 1000;

export const AlignRow = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("match"),
      a: z.number().int(),
      p: z.number().int(),
      /** Same state (locals, or value by the normalisation rules). */
      same: z.boolean(),
      diffs: z.array(VarDiff),
      value: ValueDiff.nullable(),
    })
    .strict(),
  /** Only in the prediction. */
  z.object({ kind: z.literal("insert"), p: z.number().int() }).strict(),
  /** Only in the real trace. */
  z.object({ kind: z.literal("delete"), a: z.number().int() }).strict(),
]);
export type AlignRow = z.infer<typeof AlignRow>;

export interface Alignment {
  rows: AlignRow[];
  /** True when the traces differ in more places than the exact search allows; rows are then a best effort. */
  approximate: boolean;
}

export interface AlignOptions {
  /** Trailing real frames cost nothing: the prediction ended early (no EOS) or is still streaming. */
  freeEndActual?: boolean;
  /** Trailing predicted frames cost nothing: the real run was stopped by a budget. */
  freeEndPredicted?: boolean;
  maxEdits?: number;
}

function actsOf(t: PreparedTrace): Int32Array {
  const out = new Int32Array(t.index.length);
  for (let i = 0; i < out.length; i++) out[i] = t.prepared[t.index[i]].act;
  return out;
}

/** The ops of the alignment over the compared sequences (positions into the index arrays). */
export function alignOps(A: PreparedTrace, P: PreparedTrace, opts: AlignOptions = {}): { ops: Uint8Array; approximate: boolean } {
  const a = actsOf(A);
  const b = actsOf(P);
  // A long common prefix (the usual case, and every recompute of a streaming prediction) never
  // enters the O(ND) search. The suffix is trimmed only without free ends: a prediction that
  // stopped early must align with the start of the real trace, not with its end.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  if (!opts.freeEndActual && !opts.freeEndPredicted) {
    while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  }
  const am = a.subarray(pre, a.length - suf);
  const bm = b.subarray(pre, b.length - suf);
  let mid = myersDiff(am, bm, {
    freeEndA: opts.freeEndActual,
    freeEndB: opts.freeEndPredicted,
    maxEdits: opts.maxEdits ?? DEFAULT_MAX_EDITS,
  });
  const approximate = mid === null;
  if (mid === null) {
    // Too different for the exact search: everything in between is a gap on both sides.
    mid = new Uint8Array(am.length + bm.length);
    mid.fill(OP_DELETE, 0, am.length);
    mid.fill(OP_INSERT, am.length);
  }
  const ops = new Uint8Array(pre + mid.length + suf);
  ops.fill(OP_MATCH, 0, pre);
  ops.set(mid, pre);
  ops.fill(OP_MATCH, pre + mid.length);
  slideGaps(ops, A, P);
  groupMixedBlocks(ops);
  return { ops, approximate };
}

/**
 * Between two matched frames where both sides differ (a wrong branch), Myers may interleave
 * real-only and predicted-only rows; show the real block first, then the predicted block.
 */
function groupMixedBlocks(ops: Uint8Array): void {
  let s = 0;
  while (s < ops.length) {
    if (ops[s] === OP_MATCH) {
      s++;
      continue;
    }
    let e = s;
    let dels = 0;
    while (e < ops.length && ops[e] !== OP_MATCH) {
      if (ops[e] === OP_DELETE) dels++;
      e++;
    }
    ops.fill(OP_DELETE, s, s + dels);
    ops.fill(OP_INSERT, s + dels, e);
    s = e;
  }
}

/**
 * How well two frames matched on act agree: an exact state beats any partial one, then the
 * share of equal (name, value) pairs tells which loop iteration a gap most likely stands for.
 */
function pairScore(A: PreparedTrace, P: PreparedTrace, i: number, j: number): number {
  const a = A.prepared[A.index[i]];
  const p = P.prepared[P.index[j]];
  return sameState(a, p) ? 2 : jaccard(a, p, true);
}

/**
 * A block of gaps on one side can often sit at several places with the same cost (which loop
 * iteration did the model skip?). Slide each one-sided block to where the matched frames
 * agree best (exact states first, then shared name/value pairs); on a tie keep it as late as
 * possible, so the matched prefix is longest.
 */
function slideGaps(ops: Uint8Array, A: PreparedTrace, P: PreparedTrace): void {
  const actA = (i: number) => A.prepared[A.index[i]].act;
  const actP = (j: number) => P.prepared[P.index[j]].act;
  let i = 0;
  let j = 0;
  let s = 0;
  while (s < ops.length) {
    if (ops[s] === OP_MATCH) {
      i++;
      j++;
      s++;
      continue;
    }
    let e = s;
    while (e < ops.length && ops[e] !== OP_MATCH) e++;
    const len = e - s;
    let dels = 0;
    for (let t = s; t < e; t++) if (ops[t] === OP_DELETE) dels++;
    const kind = dels === len ? OP_DELETE : dels === 0 ? OP_INSERT : -1;
    if (kind === -1) {
      i += dels;
      j += len - dels;
      s = e;
      continue;
    }
    // The block covers gap[g0..g0+len) on the gapped side, facing position `o` on the other side.
    const gapAct = kind === OP_DELETE ? actA : actP;
    const g0 = kind === OP_DELETE ? i : j;
    const o = kind === OP_DELETE ? j : i;
    const score = (gapIndex: number, otherIndex: number) =>
      kind === OP_DELETE ? pairScore(A, P, gapIndex, otherIndex) : pairScore(A, P, otherIndex, gapIndex);
    // Sliding left by one: the match just before the block (gap side g0-1 ↔ other o-1) becomes
    // (g0+len-1 ↔ o-1); possible while those two have the same act and the op before is a match.
    let bestShift = 0;
    let gain = 0;
    let bestGain = 0;
    for (let sh = 1; sh <= MAX_SLIDE && s - sh >= 0 && ops[s - sh] === OP_MATCH && g0 - sh >= 0 && o - sh >= 0; sh++) {
      const left = g0 - sh;
      const right = g0 + len - sh;
      if (gapAct(left) !== gapAct(right)) break;
      gain += score(right, o - sh) - score(left, o - sh);
      if (gain > bestGain + EPS) {
        bestGain = gain;
        bestShift = -sh;
      }
    }
    gain = 0;
    const gapLen = kind === OP_DELETE ? A.index.length : P.index.length;
    const otherLen = kind === OP_DELETE ? P.index.length : A.index.length;
    for (let sh = 1; sh <= MAX_SLIDE && e + sh - 1 < ops.length && ops[e + sh - 1] === OP_MATCH && g0 + len + sh - 1 < gapLen && o + sh - 1 < otherLen; sh++) {
      // Sliding right: the match just after (g0+len+sh-1 ↔ o+sh-1) becomes (g0+sh-1 ↔ o+sh-1).
      const right = g0 + len + sh - 1;
      const left = g0 + sh - 1;
      if (gapAct(left) !== gapAct(right)) break;
      gain += score(left, o + sh - 1) - score(right, o + sh - 1);
      if (gain >= bestGain - EPS) {
        bestGain = gain;
        bestShift = sh;
      }
    }
    if (bestShift !== 0) {
      const from = Math.min(s, s + bestShift);
      const to = Math.max(e, e + bestShift);
      ops.fill(OP_MATCH, from, to);
      ops.fill(kind, s + bestShift, e + bestShift);
    }
    // Continue after the block's new end; the gapped side has consumed the whole block there.
    const newEnd = e + bestShift;
    const gapDone = g0 + bestShift + len;
    const otherDone = o + bestShift;
    if (kind === OP_DELETE) {
      i = gapDone;
      j = otherDone;
    } else {
      j = gapDone;
      i = otherDone;
    }
    s = newEnd;
  }
}

export function rowsOfOps(ops: Uint8Array, A: PreparedTrace, P: PreparedTrace): AlignRow[] {
  const rows: AlignRow[] = new Array(ops.length);
  let i = 0;
  let j = 0;
  for (let s = 0; s < ops.length; s++) {
    const op = ops[s];
    if (op === OP_DELETE) rows[s] = { kind: "delete", a: A.index[i++] };
    else if (op === OP_INSERT) rows[s] = { kind: "insert", p: P.index[j++] };
    else {
      const ai = A.index[i++];
      const pj = P.index[j++];
      const a = A.prepared[ai];
      const p = P.prepared[pj];
      const same = sameState(a, p);
      rows[s] = same
        ? { kind: "match", a: ai, p: pj, same, diffs: [], value: null }
        : {
            kind: "match",
            a: ai,
            p: pj,
            same,
            diffs: localsDiff(A.frames[ai], P.frames[pj], a, p),
            value: valueDiff(A.frames[ai], P.frames[pj], a, p),
          };
    }
  }
  return rows;
}

export function alignPrepared(A: PreparedTrace, P: PreparedTrace, opts: AlignOptions = {}): Alignment {
  const { ops, approximate } = alignOps(A, P, opts);
  return { rows: rowsOfOps(ops, A, P), approximate };
}
