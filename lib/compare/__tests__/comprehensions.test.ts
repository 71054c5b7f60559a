import { describe, expect, it } from "vitest";
import { compareTraces } from "../compare";
import { comprehensionMask } from "../comprehensions";
import { computeMetrics } from "../metrics";
import { actual, call, inlined, line, predicted, ret, withListcomp } from "./build";

describe("ignoreComprehensions", () => {
  it("marks a 3.11 comprehension's call, lines and return but not the functions it calls", () => {
    const keep = Array.from(comprehensionMask(withListcomp()));
    // 0-3 main/f, 4-5 listcomp, 6-8 g('a'), 9 listcomp line, 10-12 g('b'), 13-14 listcomp, 15-16 returns.
    expect(keep).toEqual([1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 1, 1]);
  });

  it("marks the repeated comprehension lines of a 3.12+ inlined comprehension", () => {
    const keep = Array.from(comprehensionMask(inlined()));
    // Frames 7 and 11 repeat f's comprehension line after each call of g.
    expect(keep).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1]);
  });

  it("keeps a repeated line that holds no comprehension (a one-line loop)", () => {
    const loop = [call("def main():", {}), line("    while n: n -= 1", { n: "2" }), line("    while n: n -= 1", { n: "1" }), ret("    while n: n -= 1", "None")];
    expect(Array.from(comprehensionMask(loop))).toEqual([1, 1, 1, 1]);
  });

  it("counts predicted comprehension frames as differences by default", () => {
    const m = computeMetrics(actual(inlined()), predicted(withListcomp()));
    expect(m.action_exact).toBeLessThan(1);
    expect(m.first_divergence).toBe(4);
  });

  it("scores a 3.11-style prediction against a 3.12-style run as exact when switched on", () => {
    const m = computeMetrics(actual(inlined()), predicted(withListcomp()), { ignoreComprehensions: true });
    expect(m.action_exact).toBe(1);
    expect(m.state_exact).toBe(1);
    expect(m.first_divergence).toBeNull();
  });

  it("drops the frames from the aligned rows too, keeping original frame indexes", () => {
    const c = compareTraces(actual(inlined()), predicted(withListcomp()), { ignoreComprehensions: true });
    expect(c.ignored).toEqual({ actual: 2, predicted: 5 });
    const pairs = c.alignment.rows.map((r) => (r.kind === "match" ? [r.a, r.p] : r.kind));
    expect(pairs).toEqual([[0, 0], [1, 1], [2, 2], [3, 3], [4, 6], [5, 7], [6, 8], [8, 10], [9, 11], [10, 12], [12, 15], [13, 16]]);
  });

  it("applies to both sides, so two 3.11-style traces still compare equal", () => {
    const m = computeMetrics(actual(withListcomp()), predicted(withListcomp()), { ignoreComprehensions: true });
    expect(m.state_exact).toBe(1);
  });

  it("maps first_divergence back to original frame indexes", () => {
    const p = withListcomp();
    p[7] = line("    return c.upper()", { c: "'z'" });
    const c = compareTraces(actual(inlined()), predicted(p), { ignoreComprehensions: true });
    // Filtered index 5 is real frame 5 and predicted frame 7.
    expect(c.metrics.first_divergence).toBe(5);
    expect(c.firstDivergence).toEqual({ actual: 5, predicted: 7 });
  });
});
