import { describe, expect, it } from "vitest";
import { actual, call, exc, line, predicted, ret } from "@/lib/compare/__tests__/build";
import { halting } from "@/lib/compare/halting";
import { BASELINE_ID } from "@/lib/predictors/protocol";
import { editorError, haltingSentence, isUnwinding, predictedStatus, predictorNoun, stdoutBefore, wrapperLines } from "@/lib/playground/view";

const CWM = { id: "cwm-vllm", model: "facebook/cwm" };
const BASELINE = { id: BASELINE_ID, model: null };

describe("wording", () => {
  it("the baseline is never called a model", () => {
    expect(predictorNoun(BASELINE)).toBe("the baseline");
    const text = predictedStatus(predicted([ret("x", "1")], { predictor: BASELINE, finish: "length", status: "incomplete" }));
    expect(text).not.toMatch(/model/);
  });

  it("a CWM prediction is the model's", () => {
    expect(predictedStatus(predicted([ret("x", "6")], { predictor: CWM, result: "6" }))).toBe("the model predicts it returns 6");
  });

  it("both ending with different results is never shown with a check mark", () => {
    const h = halting(actual([ret("x", "6")], { result: "6" }), predicted([ret("x", "7")], { result: "7" }));
    const s = haltingSentence(h, false, CWM);
    expect(s.mark).not.toBe("✓");
    expect(s.text).toMatch(/different results/);
  });

  it("both ending with the same result says so", () => {
    const h = halting(actual([ret("x", "6")], { result: "6" }), predicted([ret("x", "6")], { result: "6" }));
    expect(haltingSentence(h, true, CWM)).toEqual({ mark: "✓", text: "Both end, with the same result." });
  });

  it("a disagreement names both sides", () => {
    const h = halting(actual([line("x", {})], { status: "step_limit" }), predicted([ret("x", "1")]));
    expect(haltingSentence(h, false, BASELINE).text).toMatch(/the program ran until a budget stopped it, but the baseline predicts it ends/);
  });
});

describe("the entry wrapper and the editor's error mark", () => {
  it("call mode: the wrapper follows the user's lines", () => {
    expect([...wrapperLines({ code: "def f():\n    return 1\n", call: "f()" })]).toEqual([3, 4]);
  });

  it("script mode: the wrapper is line 0", () => {
    expect([...wrapperLines({ code: "x = 1", call: "" })]).toEqual([0]);
  });

  it("a syntax error marks its line", () => {
    const t = actual([], { status: "error", error: "SyntaxError: invalid syntax (line 2)", result: null });
    expect(editorError(t, { code: "def f(:\n  x\n", call: "f()" })).toEqual({ line: 2, message: "SyntaxError: invalid syntax (line 2)" });
  });

  it("an uncaught exception marks the innermost user line it passed", () => {
    const t = actual([call("def f():", {}), line("    1/0", {}), exc("    1/0", "ZeroDivisionError('division by zero')"), { ...exc("    return f()", "ZeroDivisionError('division by zero')"), line: 3 }], {
      status: "raised",
      error: "ZeroDivisionError: division by zero",
      result: null,
    });
    t.frames[1].line = 2;
    t.frames[2].line = 2;
    expect(editorError(t, { code: "def f():\n    1/0", call: "f()" })).toEqual({ line: 2, message: "Uncaught ZeroDivisionError: division by zero" });
  });

  it("a returned run marks nothing", () => {
    expect(editorError(actual([ret("x", "1")]), { code: "x", call: "" })).toBeNull();
  });
});

describe("steps", () => {
  it("output up to a step is cut at the frame's recorded length", () => {
    const frames = [{ ...line("print(1)", {}), stdout_len: 0 }, { ...line("print(2)", {}), stdout_len: 2 }];
    expect(stdoutBefore(frames, 1, "1\n2\n")).toEqual({ text: "1\n", partial: true });
  });

  it("without recorded lengths the whole output shows", () => {
    expect(stdoutBefore([line("x", {})], 0, "out")).toEqual({ text: "out", partial: false });
  });

  it("a return None right after an exception on the same line only unwinds", () => {
    const frames = [{ ...exc("    1/0", "ZeroDivisionError()"), line: 2 }, { ...ret("    1/0", "None"), line: 2 }];
    expect(isUnwinding(frames, 1)).toBe(true);
  });

  it("a real return None is a return", () => {
    const frames = [{ ...line("    pass", {}), line: 2 }, { ...ret("    pass", "None"), line: 2 }];
    expect(isUnwinding(frames, 1)).toBe(false);
  });
});
