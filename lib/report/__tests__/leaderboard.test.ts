import { describe, expect, it } from "vitest";
import type { TraceMetrics } from "@/lib/compare/metrics";
import { formatLeaderboard, summarise, type BenchResult, type LeaderboardRow } from "@/lib/compare/summary";
import { renderLeaderboard } from "../leaderboard";
import { hBarChart } from "../svg";

function metrics(score: number): TraceMetrics {
  return { valid_format: score === 1, valid_json: true, action_exact: score, state_exact: score, key_match: score, key_value_match: score, output_correct: score === 1, first_divergence: score === 1 ? null : 0 };
}

function results(predictor: string, scores: number[]): BenchResult[] {
  return scores.map((s, i) => ({
    predictor,
    id: `p${i}`,
    code: "def f(x):\n    return x",
    call: "f(1)",
    metrics: metrics(s),
    actual: { status: "returned", result: "1", error: null, frames: 4 },
    predicted: { status: "returned", result: s === 1 ? "1" : "2", error: null, finish: "eos", frames: 4 },
    halting: null,
  }));
}

const perfect = results("chat:a", [1, 1]);
const half = results("baseline-syntax", [0.5, 0.5]);
const rows: LeaderboardRow[] = [
  { id: "chat:a", label: "m <b>via</b> X", summary: summarise(perfect) },
  { id: "baseline-syntax", label: "Syntax-only baseline (not a model)", summary: summarise(half), floor: true },
];

describe("formatLeaderboard", () => {
  it("prints one row per predictor in percent, the floor marked, and Table 9's row last", () => {
    const text = formatLeaderboard(rows);
    const lines = text.trim().split("\n");
    expect(lines[0]).toMatch(/^predictor\s+output\s+format\s+state\s+action\s+JSON\s+key\s+key\+value\s+scored$/);
    expect(lines[2]).toMatch(/^m <b>via<\/b> X\s+100\.00\s+100\.00\s+100\.00\s+100\.00\s+100\.00\s+100\.00\s+100\.00\s+2$/);
    expect(lines[3]).toMatch(/^Syntax-only baseline \(not a model\) \[floor\]\s+0\.00\s+0\.00\s+50\.00\s+50\.00\s+100\.00\s+50\.00\s+50\.00\s+2$/);
    expect(lines[5]).toMatch(/^CWM report, CruxEval \(Table 9, not run here\)\s+88\.0\s+99\.6\s+96\.9\s+96\.5\s+100\.0\s+99\.1\s+98\.1\s+-$/);
  });
});

describe("renderLeaderboard", () => {
  const html = renderLeaderboard(
    [
      { ...rows[0], results: perfect },
      { ...rows[1], results: half },
    ],
    { title: "board <x>", dataset: "d.jsonl", executor: "CPython 3.11.7", options: [], playgroundUrl: "http://localhost:3000/", generatedAt: "2026-01-01T00:00:00Z" },
  );

  it("escapes every label and has no script", () => {
    expect(html).toContain("m &lt;b&gt;via&lt;/b&gt; X");
    expect(html).not.toContain("<b>via</b>");
    expect(html).toContain("board &lt;x&gt;");
    expect(html).not.toMatch(/<script/i);
  });

  it("draws one chart per metric with a bar per predictor plus the reference", () => {
    expect((html.match(/<svg/g) ?? []).length).toBe(7);
    expect((html.match(/class="bar ref"/g) ?? []).length).toBe(7);
    expect((html.match(/class="bar floor"/g) ?? []).length).toBe(7);
    expect(html).toContain("CWM report, CruxEval (Table 9), for orientation; not run here");
  });

  it("lists each predictor's worst programs", () => {
    expect(html).toContain("m &lt;b&gt;via&lt;/b&gt; X: worst 2 programs");
    expect(html).toContain("Syntax-only baseline (not a model): worst 2 programs");
  });
});

describe("hBarChart", () => {
  it("draws a bar as wide as its share of the plot and prints the percent", () => {
    const svg = hBarChart("t", [{ label: "a", value: 0.5 }, { label: "b", value: 1 }], { width: 356, labelWidth: 100 });
    expect(svg).toContain('width="100.0"');
    expect(svg).toContain('width="200.0"');
    expect(svg).toContain(">50.0%<");
  });
});
