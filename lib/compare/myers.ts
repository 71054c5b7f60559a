/**
 * Myers' O(ND) difference algorithm on integer sequences, with optional free trailing gaps:
 * a prediction still streaming (or cut at its token budget) is aligned against a prefix of the
 * real trace, not stretched over all of it.
 */

export const OP_MATCH = 0;
/** Only in `a` (the real trace). */
export const OP_DELETE = 1;
/** Only in `b` (the prediction). */
export const OP_INSERT = 2;
export type Op = typeof OP_MATCH | typeof OP_DELETE | typeof OP_INSERT;

export interface DiffOptions {
  /** Trailing elements of `a` cost nothing (b may end early). */
  freeEndA?: boolean;
  /** Trailing elements of `b` cost nothing (a may end early). */
  freeEndB?: boolean;
  /** Give up beyond this many edits (memory grows with its square); null is returned then. */
  maxEdits?: number;
}

export const DEFAULT_MAX_EDITS = 2000;

const UNREACHED = -1;

/**
 * The shortest edit script from a[aStart..aEnd) to b[bStart..bEnd) as ops, or null when it
 * needs more than maxEdits edits.
 */
export function myersDiff(a: Int32Array, b: Int32Array, opts: DiffOptions = {}): Uint8Array | null {
  const N = a.length;
  const M = b.length;
  const maxD = Math.min(opts.maxEdits ?? DEFAULT_MAX_EDITS, N + M);
  const off = maxD + 1;
  const V = new Int32Array(2 * maxD + 3).fill(UNREACHED);
  // Snapshots of V over diagonals -d..d after each round d, for the backtrack.
  const trace: Int32Array[] = [];
  const done = (x: number, y: number) =>
    (x >= N && y >= M) || (opts.freeEndA === true && y >= M) || (opts.freeEndB === true && x >= N);

  let endD = -1;
  let endK = 0;
  outer: for (let d = 0; d <= maxD; d++) {
    for (let k = -d; k <= d; k += 2) {
      const x0 = startOf(V, off, d, k, N, M);
      if (x0 === UNREACHED) {
        V[off + k] = UNREACHED;
        continue;
      }
      let x = x0;
      let y = x - k;
      while (x < N && y < M && a[x] === b[y]) {
        x++;
        y++;
      }
      V[off + k] = x;
      if (done(x, y)) {
        endD = d;
        endK = k;
        trace.push(V.slice(off - d, off + d + 1));
        break outer;
      }
    }
    trace.push(V.slice(off - d, off + d + 1));
  }
  if (endD < 0) return null;
  return backtrack(trace, endD, endK, N, M);
}

/**
 * Where diagonal k's d-path starts (before its snake), from round d-1's values in V:
 * one step down (insert b[y]) from k+1 or right (delete a[x]) from k-1, whichever reaches further
 * and stays inside the grid; UNREACHED when neither does.
 */
function startOf(V: Int32Array, off: number, d: number, k: number, N: number, M: number): number {
  if (d === 0) return 0;
  const fromDown = k + 1 <= d - 1 ? V[off + k + 1] : UNREACHED;
  const fromRight = k - 1 >= -(d - 1) ? V[off + k - 1] : UNREACHED;
  const xd = fromDown !== UNREACHED && fromDown - k <= M ? fromDown : UNREACHED;
  const xr = fromRight !== UNREACHED && fromRight + 1 <= N ? fromRight + 1 : UNREACHED;
  return xd >= xr ? xd : xr;
}

function snapshotGet(trace: Int32Array[], d: number, k: number): number {
  if (k < -d || k > d) return UNREACHED;
  return trace[d][k + d];
}

function backtrack(trace: Int32Array[], endD: number, endK: number, N: number, M: number): Uint8Array {
  const rev: number[] = [];
  let d = endD;
  let k = endK;
  let x = snapshotGet(trace, d, k);
  const xEnd = x;
  const yEnd = x - k;
  for (let i = 0; i < M - yEnd; i++) rev.push(OP_INSERT);
  for (let i = 0; i < N - xEnd; i++) rev.push(OP_DELETE);
  while (d > 0) {
    // Recompute the choice made going forward, from round d-1's snapshot.
    const fromDown = snapshotGet(trace, d - 1, k + 1);
    const fromRight = snapshotGet(trace, d - 1, k - 1);
    const xd = fromDown !== UNREACHED && fromDown - k <= M ? fromDown : UNREACHED;
    const xr = fromRight !== UNREACHED && fromRight + 1 <= N ? fromRight + 1 : UNREACHED;
    const down = xd >= xr;
    const x0 = down ? xd : xr;
    for (let i = x0; i < x; i++) rev.push(OP_MATCH);
    if (down) {
      rev.push(OP_INSERT);
      k = k + 1;
      x = fromDown;
    } else {
      rev.push(OP_DELETE);
      k = k - 1;
      x = fromRight;
    }
    d--;
  }
  for (let i = 0; i < x; i++) rev.push(OP_MATCH);
  const ops = new Uint8Array(rev.length);
  for (let i = 0; i < rev.length; i++) ops[i] = rev[rev.length - 1 - i];
  return ops;
}
