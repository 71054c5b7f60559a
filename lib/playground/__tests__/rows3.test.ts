import { describe, expect, it } from "vitest";
import { mergeRows } from "@/lib/playground/rows3";
import { singleSideRows, type TimelineRow } from "@/lib/playground/rows";

const m = (a: number, p: number): TimelineRow => ({ kind: "match", a, p });
const gapP = (a: number): TimelineRow => ({ kind: "actual-only", a, p: null });
const extra = (p: number): TimelineRow => ({ kind: "predicted-only", a: null, p });

describe("mergeRows: reality and two predictions in one timeline", () => {
  it("puts two perfect predictions on reality's rows", () => {
    const rows = mergeRows([m(0, 0), m(1, 1)], [m(0, 0), m(1, 1)]);
    expect(rows).toEqual([
      { a: 0, first: { p: 0, matched: true }, second: { p: 0, matched: true } },
      { a: 1, first: { p: 1, matched: true }, second: { p: 1, matched: true } },
    ]);
  });

  it("keeps every real frame once, in order, whatever each prediction did", () => {
    const rows = mergeRows([m(0, 0), gapP(1), m(2, 1)], [m(0, 0), m(1, 1), extra(2), m(2, 3)]);
    expect(rows.filter((r) => r.a !== null).map((r) => r.a)).toEqual([0, 1, 2]);
  });

  it("places a prediction's extra frames just before the next real frame, side by side with the other's", () => {
    const rows = mergeRows([m(0, 0), extra(1), m(1, 2)], [m(0, 0), extra(1), extra(2), m(1, 3)]);
    expect(rows.map((r) => [r.a, r.first?.p ?? null, r.second?.p ?? null])).toEqual([
      [0, 0, 0],
      [null, 1, 1],
      [null, null, 2],
      [1, 2, 3],
    ]);
    expect(rows[1].first?.matched).toBe(false);
  });

  it("shows a gap where one prediction skipped a real frame", () => {
    const rows = mergeRows([m(0, 0), gapP(1)], [m(0, 0), m(1, 1)]);
    expect(rows[1]).toEqual({ a: 1, first: null, second: { p: 1, matched: true } });
  });

  it("keeps every frame of both predictions exactly once", () => {
    const first = [extra(0), m(0, 1), gapP(1), extra(2), m(2, 3), extra(4)];
    const second = [m(0, 0), m(1, 1), m(2, 2), extra(3), extra(4)];
    const rows = mergeRows(first, second);
    expect(rows.map((r) => r.first?.p).filter((p) => p !== undefined)).toEqual([0, 1, 2, 3, 4]);
    expect(rows.map((r) => r.second?.p).filter((p) => p !== undefined)).toEqual([0, 1, 2, 3, 4]);
  });

  it("works while one prediction is still arriving (its alignment is shorter)", () => {
    const rows = mergeRows(singleSideRows("a", 3), [m(0, 0)]);
    expect(rows.map((r) => r.a)).toEqual([0, 1, 2]);
    expect(rows.map((r) => r.second?.p ?? null)).toEqual([0, null, null]);
  });

  it("carries a matched row's differences to its cell", () => {
    const rows = mergeRows([{ kind: "match", a: 0, p: 0, diffs: [{ name: "x", kind: "value" } as never], valueDiffers: true }], [m(0, 0)]);
    expect(rows[0].first).toMatchObject({ diffs: [{ name: "x" }], valueDiffers: true });
  });
});
