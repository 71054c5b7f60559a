import { describe, expect, it } from "vitest";
import { baselineTrace, createBaselinePredictor, BASELINE_LABEL } from "@/lib/predictors/baseline";
import { literalRepr } from "@/lib/predictors/pyliteral";

describe("baseline-syntax", () => {
  it("reads each line of the entry function once, without repeating the loop", () => {
    const code = "def f(n):\n    total = 0\n    for i in range(n):\n        total += i\n    return total";
    const t = baselineTrace(code, "f(3)");
    expect(t.frames.map((f) => [f.event, f.line])).toEqual([
      ["call", 6],
      ["line", 7],
      ["call", 1],
      ["line", 2],
      ["line", 3],
      ["line", 4],
      ["line", 5],
      ["return", 5],
      ["return", 7],
    ]);
    expect(t.frames[2].locals).toEqual({ n: "3" });
    expect(t.frames[4].locals).toEqual({ n: "3", total: "0" });
  });

  it("does not descend into other calls or nested definitions", () => {
    const code = "def g(x):\n    return x * 2\n\ndef f(x):\n    def h():\n        return 1\n    y = g(x)\n    return y";
    const t = baselineTrace(code, "f(2)");
    expect(t.frames.filter((f) => f.event === "call").map((f) => f.source)).toEqual(["def main():", "def f(x):"]);
    expect(t.frames.map((f) => f.source)).not.toContain("        return 1");
  });

  it("is labelled as a baseline and produces the PredictedTrace shape", async () => {
    const p = createBaselinePredictor();
    const t = await p.predict({ code: "x = 'a'\ny = x", settings: { temperature: 0, max_tokens: 10 } }, () => {});
    expect(p.label).toBe(BASELINE_LABEL);
    expect(t).toMatchObject({ status: "returned", valid_format: true, valid_json: true, predictor: { id: "baseline-syntax", label: BASELINE_LABEL } });
    expect(t.frames[2].locals).toEqual({ x: "'a'" });
  });
});

describe("literalRepr", () => {
  it("gives Python's repr of obvious literals and null otherwise", () => {
    expect(literalRepr("1_000")).toBe("1000");
    expect(literalRepr("2.50")).toBe("2.5");
    expect(literalRepr("3.")).toBe("3.0");
    expect(literalRepr('"abc"')).toBe("'abc'");
    expect(literalRepr(`"it's"`)).toBe(`"it's"`);
    expect(literalRepr("[1, 'a', (2,)]")).toBe("[1, 'a', (2,)]");
    expect(literalRepr("(1)")).toBe("1");
    expect(literalRepr("(1,)")).toBe("(1,)");
    expect(literalRepr("x + 1")).toBeNull();
    expect(literalRepr("f(1)")).toBeNull();
  });
});
