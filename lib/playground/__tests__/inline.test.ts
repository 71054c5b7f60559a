import { describe, expect, it } from "vitest";
import { actual, call, exc, line, ret, sumTrace } from "@/lib/compare/__tests__/build";
import { holeError, inlineText, inlineValues, INLINE_MAX_CHARS } from "@/lib/playground/view";
import type { Frame } from "@/lib/trace/schema";

// sumTrace's frames with the line numbers of its program (f on lines 1-5, main's wrapper after).
const LINES: Record<string, number> = {
  "def main():": 6,
  "    return f(2)": 7,
  "def f(n):": 1,
  "    s = 0": 2,
  "    for i in range(n):": 3,
  "        s += i": 4,
  "    return s": 5,
};
const REAL: Frame[] = sumTrace(2).map((f) => ({ ...f, line: LINES[f.source] ?? null }));
const at = (i: number) => ({ frames: REAL, index: i });
const CWM = { id: "cwm-vllm", model: null };

describe("inline values at the ends of lines", () => {
  it("shows the locals the line mentions and those that changed", () => {
    // Frame 5: the loop body `s += i` with i just bound.
    const i = REAL.findIndex((f) => f.source === "        s += i");
    expect(inlineText(REAL, i)).toBe("s = 0, i = 0");
  });

  it("leaves out a local the line does not mention that did not change", () => {
    const i = REAL.findIndex((f, k) => k > 5 && f.source === "        s += i");
    expect(inlineText(REAL, i)).not.toContain("n = ");
  });

  it("a return frame shows its value", () => {
    const i = REAL.findIndex((f) => f.event === "return");
    expect(inlineText(REAL, i)).toBe(`returns ${REAL[i].value}`);
  });

  it("is cut to about 60 characters", () => {
    const frames = [call("def f(xs):", { xs: `[${"1, ".repeat(60)}1]` })];
    expect(inlineText(frames, 0)!.length).toBe(INLINE_MAX_CHARS);
    expect(inlineText(frames, 0)!.endsWith("…")).toBe(true);
  });

  it("the same values on the same line are said once, for both sides", () => {
    const i = REAL.findIndex((f) => f.source === "    for i in range(n):");
    expect(inlineValues(at(i), at(i), CWM, 5)).toEqual([{ line: 3, text: "real and model: n = 2, s = 0" }]);
  });

  it("different values on the same line are told apart by words, not colour", () => {
    const i = REAL.findIndex((f) => f.source === "    for i in range(n):");
    const predicted = REAL.map((f, k) => (k === i ? { ...f, locals: { n: "2", s: "5" } } : f));
    expect(inlineValues(at(i), { frames: predicted, index: i }, CWM, 5)).toEqual([{ line: 3, text: "real: n = 2, s = 0 · model: n = 2, s = 5" }]);
  });

  it("sides on different lines each get their own labelled text", () => {
    const a = REAL.findIndex((f) => f.source === "    for i in range(n):");
    const p = REAL.findIndex((f) => f.source === "        s += i");
    const out = inlineValues(at(a), at(p), CWM, 5);
    expect(out.map((x) => x.line)).toEqual([3, 4]);
    expect(out[0].text.startsWith("real: ")).toBe(true);
    expect(out[1].text.startsWith("model: ")).toBe(true);
  });

  it("the baseline is called the baseline, never the model", () => {
    const i = REAL.findIndex((f) => f.source === "    for i in range(n):");
    expect(inlineValues(null, at(i), { id: "baseline-syntax", model: null }, 5)[0].text).toBe("baseline: n = 2, s = 0");
  });

  it("wrapper lines (past the user's code) get no text", () => {
    expect(inlineValues(at(1), null, null, 5)).toEqual([]);
  });

  it("a gap (no frame on a side) shows the other side only", () => {
    const i = REAL.findIndex((f) => f.source === "    for i in range(n):");
    expect(inlineValues(at(i), { frames: REAL, index: null }, CWM, 5)).toEqual([{ line: 3, text: "real: n = 2, s = 0" }]);
  });
});

describe("code with holes", () => {
  const raised = (error: string) => actual([call("def main():", {}), line("    return g(1)", {}), exc("    return g(1)", error)], { status: "raised", error });
  it("an undefined name is a hole", () => {
    expect(holeError(raised("NameError: name 'transform' is not defined"))).toBe("NameError: name 'transform' is not defined");
  });
  it("a module Pyodide lacks is a hole", () => {
    expect(holeError(raised("ModuleNotFoundError: No module named 'requests'"))).toContain("requests");
  });
  it("a module missing at the top level (no frames, status error) is a hole", () => {
    const t = actual([], { status: "error", error: "ModuleNotFoundError: No module named 'requests' (while running the program's top-level code)" });
    expect(holeError(t)).toContain("No module named 'requests'");
  });
  it("a syntax error is not a hole", () => {
    expect(holeError(actual([], { status: "error", error: "SyntaxError: invalid syntax (line 2)" }))).toBeNull();
  });
  it("an unwritten body that raises NotImplementedError is a hole", () => {
    expect(holeError(raised("NotImplementedError"))).toBe("NotImplementedError");
  });
  it("a bug the code runs into is not a hole", () => {
    expect(holeError(raised("ZeroDivisionError: division by zero"))).toBeNull();
  });
  it("a run that returned has no hole", () => {
    expect(holeError(actual([call("def main():", {}), ret("    return 1", "1")]))).toBeNull();
  });
});
