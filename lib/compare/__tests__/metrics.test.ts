import { describe, expect, it } from "vitest";
import { computeMetrics, METRIC_KEYS, TraceMetrics } from "../metrics";
import { actual, call, exc, line, predicted, ret, sumTrace } from "./build";

// A = sumTrace(2) has 12 frames:
//  0 call main {}            4 for {n,s=0}            8 for {n,s=1,i=1}
//  1 return f(2) {}          5 s += i {n,s=0,i=0}     9 return s {n,s=1,i=1}
//  2 call f {n}              6 for {n,s=0,i=0}       10 return "1" (f)
//  3 s = 0 {n}               7 s += i {n,s=0,i=1}    11 return "1" (main)
const A = () => actual(sumTrace(2));

describe("computeMetrics on hand-built traces", () => {
  it("scores identical traces 1 everywhere with no divergence", () => {
    const m = computeMetrics(A(), predicted(sumTrace(2)));
    expect(m).toEqual({
      valid_format: true,
      valid_json: true,
      action_exact: 1,
      state_exact: 1,
      key_match: 1,
      key_value_match: 1,
      output_correct: true,
      first_divergence: null,
    });
  });

  it("returns exactly comparison.md's keys, in a shape its schema accepts", () => {
    const m = computeMetrics(A(), predicted(sumTrace(2)));
    expect(Object.keys(m).sort()).toEqual([...METRIC_KEYS].sort());
    expect(TraceMetrics.parse(m)).toEqual(m);
  });

  it("one wrong value costs one state and half a key+value score", () => {
    const p = sumTrace(2);
    p[7] = line("        s += i", { n: "2", s: "0", i: "2" });
    const m = computeMetrics(A(), predicted(p));
    // n = m = 12; actions all equal: 12/12.
    expect(m.action_exact).toBe(1);
    // states: all but frame 7: 11/12.
    expect(m.state_exact).toBeCloseTo(11 / 12, 12);
    // keys unchanged: 12/12.
    expect(m.key_match).toBe(1);
    // frame 7: {(n,2),(s,0),(i,1)} vs {(n,2),(s,0),(i,2)}: 2 shared / 4 in the union = 0.5; (11 + 0.5) / 12.
    expect(m.key_value_match).toBeCloseTo(11.5 / 12, 12);
    expect(m.first_divergence).toBe(7);
    // The last frame still returns 1: the output is right even though the state was wrong.
    expect(m.output_correct).toBe(true);
  });

  it("a wrong key costs the key and the pair it carries", () => {
    const p = sumTrace(2);
    p[5] = line("        s += i", { n: "2", s: "0", j: "0" });
    const m = computeMetrics(A(), predicted(p));
    // frame 5 keys {n,s,i} vs {n,s,j}: 2/4 = 0.5; (11 + 0.5) / 12.
    expect(m.key_match).toBeCloseTo(11.5 / 12, 12);
    // pairs {(n,2),(s,0),(i,0)} vs {(n,2),(s,0),(j,0)}: 2/4 = 0.5; (11 + 0.5) / 12.
    expect(m.key_value_match).toBeCloseTo(11.5 / 12, 12);
    expect(m.state_exact).toBeCloseTo(11 / 12, 12);
    expect(m.action_exact).toBe(1);
    expect(m.first_divergence).toBe(5);
  });

  it("an extra loop iteration shifts every later frame (positional metrics)", () => {
    // P iterates 0, 1, 2: frames 0..8 equal A's, then
    //  9 s += i {n,s=1,i=2}   10 for {n,s=3,i=2}   11 return s {n,s=3,i=2}   12 return "3"   13 return "3"
    const m = computeMetrics(A(), predicted(sumTrace(2, [0, 1, 2])));
    // n = 14, m = 12. Actions equal at 0..8 only (A9 is `return s`, P9 `s += i`; A10/A11 are
    // returns, P10/P11 lines): 9/14.
    expect(m.action_exact).toBeCloseTo(9 / 14, 12);
    // States equal at 0..8: 9/14.
    expect(m.state_exact).toBeCloseTo(9 / 14, 12);
    // Keys: 9 at 0..8, frame 9 has {n,s,i} on both sides: 1, frames 10 and 11 set a return
    // (no locals) against a line with three: 0, frames 12 and 13 are missing: 0. (9 + 1) / 14.
    expect(m.key_match).toBeCloseTo(10 / 14, 12);
    // Pairs: 9, plus frame 9: {(n,2),(s,1),(i,1)} vs {(n,2),(s,1),(i,2)} = 2/4. (9 + 0.5) / 14.
    expect(m.key_value_match).toBeCloseTo(9.5 / 14, 12);
    expect(m.first_divergence).toBe(9);
    expect(m.output_correct).toBe(false);
  });

  it("a truncated prediction scores only what it has, over the longer length", () => {
    const p = predicted(sumTrace(2).slice(0, 6), { status: "incomplete", result: null, finish: "length", valid_format: false });
    const m = computeMetrics(A(), p);
    // m = 6 frames, all equal; n = 12: 6/12 for every rate.
    expect(m.action_exact).toBe(0.5);
    expect(m.state_exact).toBe(0.5);
    expect(m.key_match).toBe(0.5);
    expect(m.key_value_match).toBe(0.5);
    // A strict prefix diverges at m.
    expect(m.first_divergence).toBe(6);
    expect(m.valid_format).toBe(false);
    expect(m.output_correct).toBe(false);
  });

  it("an empty prediction scores 0 and diverges at 0", () => {
    const p = predicted([], { status: "incomplete", result: null, finish: "error", valid_format: false });
    const m = computeMetrics(A(), p);
    // m = 0, n = 12: 0/12.
    expect([m.action_exact, m.state_exact, m.key_match, m.key_value_match]).toEqual([0, 0, 0, 0]);
    expect(m.first_divergence).toBe(0);
  });

  it("two empty traces score every rate 1 (n = 0)", () => {
    const m = computeMetrics(
      actual([], { status: "error", error: "SyntaxError: invalid syntax", result: null }),
      predicted([], { status: "incomplete", result: null, finish: "error" }),
    );
    expect([m.action_exact, m.state_exact, m.key_match, m.key_value_match]).toEqual([1, 1, 1, 1]);
    expect(m.first_divergence).toBeNull();
    expect(m.output_correct).toBe(false);
  });

  it("addresses compare equal to each other, and a repr without one equals one with it", () => {
    const a = actual([
      call("def main():", {}),
      line("    return g()", { node: "<__main__.Node object at 0x7f3a2c1e4d90>", fn: "<function g at 0x1>" }),
      ret("    return g()", "<__main__.Node object at 0x7f3a2c1e4d90>"),
    ]);
    const p = predicted([
      call("def main():", {}),
      line("    return g()", { node: "<__main__.Node object>", fn: "<function g at 0xdeadbeef>" }),
      ret("    return g()", "<__main__.Node object at 0x10>"),
    ]);
    const m = computeMetrics(a, p);
    expect(m.state_exact).toBe(1);
    expect(m.key_value_match).toBe(1);
    expect(m.output_correct).toBe(true);
  });

  it("an address does not hide a real difference in the rest of the repr", () => {
    const a = actual([call("def main():", {}), line("x", { o: "<A object at 0x1>" }), ret("x", "None")]);
    const p = predicted([call("def main():", {}), line("x", { o: "<B object at 0x1>" }), ret("x", "None")]);
    // frame 1 differs: 2/3.
    expect(computeMetrics(a, p).state_exact).toBeCloseTo(2 / 3, 12);
  });

  it("exception frames compare by type name, not by message", () => {
    const frames = (value: string) => [call("def main():", {}), line("    return 1 // 0", {}), exc("    return 1 // 0", value), ret("    return 1 // 0", "None")];
    const a = actual(frames("ZeroDivisionError('integer division or modulo by zero')"), {
      status: "raised",
      result: null,
      error: "ZeroDivisionError: integer division or modulo by zero",
    });
    const same = predicted(frames("ZeroDivisionError('division by zero')"), { status: "raised", result: null, error: "ZeroDivisionError: division by zero" });
    const other = predicted(frames("ValueError('division by zero')"), { status: "raised", result: null, error: "ValueError: division by zero" });
    const m1 = computeMetrics(a, same);
    expect(m1.state_exact).toBe(1);
    expect(m1.output_correct).toBe(true);
    const m2 = computeMetrics(a, other);
    // frame 2 differs: 3/4.
    expect(m2.state_exact).toBe(0.75);
    expect(m2.first_divergence).toBe(2);
    expect(m2.output_correct).toBe(false);
  });

  it("source compares without its trailing newline and the START_OF_TRACE marker", () => {
    const p = sumTrace(2).map((f) => ({ ...f, source: f.source === "def main():" ? "def main():  # << START_OF_TRACE\n" : `${f.source}\n` }));
    const m = computeMetrics(A(), predicted(p));
    expect(m.action_exact).toBe(1);
    expect(m.first_divergence).toBeNull();
  });

  it("a return value that differs is a state difference but not a key difference", () => {
    const p = sumTrace(2);
    p[10] = ret("    return s", "2");
    const m = computeMetrics(A(), predicted(p));
    // state: 11/12; return frames carry no locals, so J(∅, ∅) = 1 for keys and pairs.
    expect(m.state_exact).toBeCloseTo(11 / 12, 12);
    expect(m.key_match).toBe(1);
    expect(m.key_value_match).toBe(1);
  });

  it("an unreadable predicted frame never matches a state and its locals count as absent", () => {
    const p = sumTrace(2);
    p[5] = { event: "line", line: null, source: "        s += i", invalid: "the locals are not a JSON object of strings", raw: "{oops" };
    const m = computeMetrics(A(), predicted(p, { valid_json: false }));
    // action still equal: 12/12; state 11/12; keys: frame 5 has {n,s,i} against nothing: 0 → 11/12.
    expect(m.action_exact).toBe(1);
    expect(m.state_exact).toBeCloseTo(11 / 12, 12);
    expect(m.key_match).toBeCloseTo(11 / 12, 12);
    expect(m.valid_json).toBe(false);
  });
});

describe("output_correct", () => {
  it("compares the entry call's return value after normalisation", () => {
    const a = actual(sumTrace(2));
    expect(computeMetrics(a, predicted(sumTrace(2), { result: "1" })).output_correct).toBe(true);
    expect(computeMetrics(a, predicted(sumTrace(2), { result: "2" })).output_correct).toBe(false);
  });

  it("is false when one side returned and the other raised", () => {
    const a = actual(sumTrace(2));
    const p = predicted(sumTrace(2), { status: "raised", result: null, error: "ValueError: x" });
    expect(computeMetrics(a, p).output_correct).toBe(false);
  });

  it("is false for a prediction without EOS even if its last value is right", () => {
    const a = actual(sumTrace(2));
    const p = predicted(sumTrace(2), { status: "incomplete", finish: "length" });
    expect(computeMetrics(a, p).output_correct).toBe(false);
  });
});
