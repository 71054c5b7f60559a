import { describe, expect, it } from "vitest";
import { actual, line, predicted } from "@/lib/compare/__tests__/build";
import { previewOf } from "@/lib/share/preview";
import type { SharedRunView } from "@/lib/share/summary";

const frames = (n: number) => Array.from({ length: n }, (_, i) => line("    x += 1", { x: String(i) }));
const view = (a: number, p: number | null): SharedRunView => ({
  id: "AAAAAAAAAAAAAAAA",
  createdAt: "2026-12-05T00:00:00.000Z",
  title: null,
  code: "x = 0",
  call: "",
  actual: actual(frames(a)),
  prediction: p === null ? null : predicted(frames(p), { raw: "x".repeat(1000) }),
  provenance: p === null ? null : "uploaded",
});

describe("shared page preview", () => {
  it("a short run is rendered whole", () => {
    const p = previewOf(view(10, 10), 50);
    expect(p.complete).toBe(true);
    expect(p.view.actual.frames).toHaveLength(10);
  });

  it("a long run is cut to the preview size on both sides and marked incomplete", () => {
    const p = previewOf(view(500, 800), 50);
    expect(p.complete).toBe(false);
    expect(p.view.actual.frames).toHaveLength(50);
    expect(p.view.prediction?.frames).toHaveLength(50);
    expect(p.totals).toEqual({ actual: 500, predicted: 800 });
  });

  it("the preview leaves the raw model text out of the page", () => {
    expect(previewOf(view(500, 10), 50).view.prediction?.raw).toBe("");
  });

  it("a run without a prediction counts only its real frames", () => {
    expect(previewOf(view(20, null), 50).complete).toBe(true);
  });
});
