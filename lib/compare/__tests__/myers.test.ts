import { describe, expect, it } from "vitest";
import { myersDiff, OP_DELETE, OP_INSERT, OP_MATCH } from "../myers";

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSeq(r: () => number, len: number, alphabet: number): Int32Array {
  return Int32Array.from({ length: len }, () => Math.floor(r() * alphabet));
}

/** Edit cost by dynamic programming: the reference the O(ND) search must equal. */
function dpCost(a: Int32Array, b: Int32Array, freeEndA: boolean, freeEndB: boolean): number {
  const N = a.length;
  const M = b.length;
  const d: number[][] = Array.from({ length: N + 1 }, () => new Array(M + 1).fill(0));
  for (let i = 0; i <= N; i++) d[i][0] = i;
  for (let j = 0; j <= M; j++) d[0][j] = j;
  for (let i = 1; i <= N; i++)
    for (let j = 1; j <= M; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, a[i - 1] === b[j - 1] ? d[i - 1][j - 1] : Infinity);
  let best = d[N][M];
  if (freeEndA) for (let i = 0; i <= N; i++) best = Math.min(best, d[i][M]);
  if (freeEndB) for (let j = 0; j <= M; j++) best = Math.min(best, d[N][j]);
  return best;
}

/** Checks the ops form an alignment and returns its cost (edits not in a free tail). */
function check(ops: Uint8Array, a: Int32Array, b: Int32Array, freeEndA: boolean, freeEndB: boolean): number {
  let i = 0;
  let j = 0;
  let cost = 0;
  for (const op of ops) {
    if (op === OP_MATCH) {
      expect(a[i]).toBe(b[j]);
      i++;
      j++;
    } else if (op === OP_DELETE) {
      if (!(freeEndA && j === b.length)) cost++;
      i++;
    } else {
      expect(op).toBe(OP_INSERT);
      if (!(freeEndB && i === a.length)) cost++;
      j++;
    }
  }
  expect([i, j]).toEqual([a.length, b.length]);
  return cost;
}

describe("myersDiff", () => {
  it("finds a shortest edit script on random sequences (checked against dynamic programming)", () => {
    const r = rng(42);
    for (let t = 0; t < 300; t++) {
      const a = randomSeq(r, Math.floor(r() * 25), 3);
      const b = randomSeq(r, Math.floor(r() * 25), 3);
      const ops = myersDiff(a, b)!;
      expect(check(ops, a, b, false, false)).toBe(dpCost(a, b, false, false));
    }
  });

  it("charges nothing for trailing gaps on a side declared free", () => {
    const r = rng(7);
    for (let t = 0; t < 300; t++) {
      const a = randomSeq(r, Math.floor(r() * 25), 3);
      const b = randomSeq(r, Math.floor(r() * 25), 3);
      const fa = r() < 0.5;
      const fb = r() < 0.5;
      const ops = myersDiff(a, b, { freeEndA: fa, freeEndB: fb })!;
      expect(check(ops, a, b, fa, fb)).toBe(dpCost(a, b, fa, fb));
    }
  });

  it("handles empty sequences", () => {
    expect(Array.from(myersDiff(new Int32Array(0), new Int32Array(0))!)).toEqual([]);
    expect(Array.from(myersDiff(Int32Array.of(1, 2), new Int32Array(0))!)).toEqual([OP_DELETE, OP_DELETE]);
    expect(Array.from(myersDiff(new Int32Array(0), Int32Array.of(1))!)).toEqual([OP_INSERT]);
  });

  it("gives up (null) beyond maxEdits", () => {
    expect(myersDiff(Int32Array.of(1, 2, 3), Int32Array.of(4, 5, 6), { maxEdits: 5 })).toBeNull();
    expect(myersDiff(Int32Array.of(1, 2, 3), Int32Array.of(4, 5, 6), { maxEdits: 6 })).not.toBeNull();
  });
});
