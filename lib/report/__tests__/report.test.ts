import { describe, expect, it } from "vitest";
import type { TraceMetrics } from "@/lib/compare/metrics";
import { summarise, type BenchResult } from "@/lib/compare/summary";
import { draftFromHash } from "@/lib/playground/draft";
import { renderReport, type ReportMeta } from "../html";
import { byTraceLength, distribution, scoredOf, worst } from "../stats";

function metrics(over: Partial<TraceMetrics> = {}): TraceMetrics {
  return {
    valid_format: true,
    valid_json: true,
    action_exact: 1,
    state_exact: 1,
    key_match: 1,
    key_value_match: 1,
    output_correct: true,
    first_divergence: null,
    ...over,
  };
}

function result(id: string, frames: number, m: TraceMetrics | null, code = "def f(x):\n    return x", call = "f(1)"): BenchResult {
  return {
    id,
    code,
    call,
    metrics: m,
    actual: m ? { status: "returned", result: "1", error: null, frames } : null,
    predicted: m ? { status: "returned", result: m.output_correct ? "1" : "2", error: null, finish: "eos", frames } : null,
    halting: null,
    ...(m ? {} : { error: "no recorded generation" }),
  };
}

const META: ReportMeta = {
  title: "test report",
  dataset: "data.jsonl",
  predictor: "replay",
  executor: "CPython 3.11.7",
  options: [],
  playgroundUrl: "http://localhost:3000",
  generatedAt: "2025-01-01T00:00:00Z",
};

const RESULTS = [
  result("a", 5, metrics()),
  result("b", 12, metrics({ state_exact: 0.95, output_correct: false, first_divergence: 3 })),
  result("c", 12, metrics({ state_exact: 0.5 })),
  result("d", 100, metrics({ action_exact: 0.05, state_exact: 0.05, valid_format: false, output_correct: false })),
  result("e", 3, null),
];

describe("report statistics", () => {
  it("summarises over scored programs only, booleans counting 1 for true", () => {
    const s = summarise(RESULTS);
    expect(s.programs).toBe(4);
    expect(s.errors).toBe(1);
    // output correct: a and c of 4 → 0.5; state: (1 + 0.95 + 0.5 + 0.05) / 4 = 0.625; valid_format 3/4.
    expect(s.output_correct).toBe(0.5);
    expect(s.state_exact).toBeCloseTo(0.625, 12);
    expect(s.valid_format).toBe(0.75);
  });

  it("bins fractions by ten points with exact traces in their own bin, booleans as no/yes", () => {
    const scored = scoredOf(RESULTS);
    const state = distribution(scored, "state_exact");
    expect(state).toHaveLength(11);
    // 1 → "100", 0.95 → "90–", 0.5 → "50–", 0.05 → "0–".
    expect(state.map((b) => b.count)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1]);
    expect(distribution(scored, "output_correct")).toEqual([
      { label: "no", count: 2 },
      { label: "yes", count: 2 },
    ]);
  });

  it("groups by trace length in powers of two", () => {
    const b = byTraceLength(scoredOf(RESULTS));
    expect(b.map((x) => [x.label, x.count])).toEqual([
      ["1–8", 1],
      ["9–16", 2],
      ["65–128", 1],
    ]);
    // 9–16 holds b (wrong output) and c (right): 0.5.
    expect(b[1].output_correct).toBe(0.5);
  });

  it("orders the worst programs by wrong output first, then lowest state score", () => {
    expect(worst(scoredOf(RESULTS), 3).map((r) => r.id)).toEqual(["d", "b", "c"]);
  });
});

describe("HTML report", () => {
  const html = renderReport(RESULTS, summarise(RESULTS), META);

  it("is self-contained: no scripts, no external stylesheets, images or fonts", () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/\ssrc=/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(8);
  });

  it("links each of the worst programs into the playground with its code and call", () => {
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, "&"));
    expect(hrefs.length).toBe(4);
    for (const h of hrefs) {
      expect(h.startsWith("http://localhost:3000/#code=")).toBe(true);
      expect(draftFromHash(new URL(h).hash)).toEqual({ code: "def f(x):\n    return x", call: "f(1)" });
    }
  });

  it("escapes program ids, code and values from the dataset", () => {
    const evil = result("<script>alert(1)</script>", 4, metrics({ output_correct: false }), "x = '<b>'", "f('</td>')");
    const page = renderReport([evil], summarise([evil]), META);
    expect(page).not.toContain("<script>");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("lists the programs that could not be scored with the reason", () => {
    expect(html).toContain("Not scored");
    expect(html).toContain("no recorded generation");
  });
});
