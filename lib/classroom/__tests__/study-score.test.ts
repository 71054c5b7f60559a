import { describe, expect, it } from "vitest";
import { scoreModel } from "../answers";
import { firstDivergence, scoreQuestion, textsForQuestion } from "../study-score";
import { NO_MODEL_HELP, type SlideModel } from "../model";
import type { CanonicalTrace, Frame, PredictedTrace } from "@/lib/trace/schema";

// def f(n):          1
//     s = 0          2
//     for i in range(n):  3
//         s += i     4
//     return s       5
const call = (locals: Record<string, string>): Frame => ({ event: "call", line: 1, source: "def f(n):", locals });
const line = (n: number, locals: Record<string, string>): Frame => ({ event: "line", line: n, source: "", locals });
const ret = (value: string): Frame => ({ event: "return", line: 5, source: "    return s", value });

const realFrames: Frame[] = [
  call({ n: "2" }),
  line(2, { n: "2" }),
  line(3, { n: "2", s: "0" }),
  line(4, { n: "2", s: "0", i: "0" }),
  line(3, { n: "2", s: "0", i: "0" }),
  line(4, { n: "2", s: "0", i: "1" }),
  line(3, { n: "2", s: "1", i: "1" }),
  line(5, { n: "2", s: "1", i: "1" }),
  ret("1"),
];
const actual: CanonicalTrace = { status: "returned", frames: realFrames, result: "1", error: null, stdout: "" };
const run = { actual };

function predicted(frames: Frame[], result: string | null, status: PredictedTrace["status"] = "returned"): PredictedTrace {
  return {
    status,
    frames,
    result,
    error: null,
    stdout: "",
    predictor: { id: "vllm", model: "facebook/cwm", label: "CWM (vLLM)" },
    finish: status === "incomplete" ? "length" : "eos",
    valid_format: true,
    valid_json: true,
    raw: "",
  };
}

// The model thinks s becomes 2 at the second iteration (s += 2) and returns 2.
const wrongFrames = [...realFrames.slice(0, 6), line(3, { n: "2", s: "2", i: "1" }), line(5, { n: "2", s: "2", i: "1" }), ret("2")];
const wrong: SlideModel = { kind: "stored", trace: predicted(wrongFrames, "2"), label: "CWM (vLLM) · facebook/cwm" };
const right: SlideModel = { kind: "stored", trace: predicted(realFrames, "1"), label: "CWM (vLLM) · facebook/cwm" };
const noModel: SlideModel = { kind: "none", help: NO_MODEL_HELP };
const norm = (pairs: [string, string | null][] = []) => new Map(pairs);

describe("scoring a self-study question", () => {
  it("scores a right value answer and a wrong model answer", () => {
    const r = scoreQuestion({ kind: "value", frame: 6, name: "s" }, run, wrong, "1", norm());
    expect([r.learnerCorrect, (r.model?.correct ?? null), r.real, r.model?.answer]).toEqual([true, false, "1", "2"]);
  });

  it("scores a wrong learner answer", () => {
    expect(scoreQuestion({ kind: "value", frame: 6, name: "s" }, run, right, "3", norm()).learnerCorrect).toBe(false);
  });

  it("uses the sandbox's reprs: '1.0' is not 1", () => {
    const r = scoreQuestion({ kind: "value", frame: 6, name: "s" }, run, right, "1.0", norm([["1.0", "1.0"], ["1", "1"]]));
    expect(r.learnerCorrect).toBe(false);
  });

  it("names the model's label with its answer", () => {
    expect(scoreQuestion({ kind: "return" }, run, wrong, "1", norm()).model).toEqual({ answer: "2", label: "CWM (vLLM) · facebook/cwm", correct: false });
  });

  it("scores a next_line answer for both", () => {
    const r = scoreQuestion({ kind: "next_line", frame: 5 }, run, right, "line 3", norm());
    expect([r.learnerCorrect, (r.model?.correct ?? null), r.real]).toEqual([true, true, "line 3"]);
  });

  it("scores halts for both", () => {
    const r = scoreQuestion({ kind: "halts" }, run, right, "no", norm());
    expect([r.learnerCorrect, (r.model?.correct ?? null), r.real]).toEqual([false, true, "yes"]);
  });

  it("without a model the help is given and nothing of the model is scored", () => {
    const r = scoreQuestion({ kind: "return" }, run, noModel, "1", norm());
    expect([r.model, (r.model?.correct ?? null), r.modelHelp]).toEqual([null, null, NO_MODEL_HELP]);
    expect(r.learnerCorrect).toBe(true);
  });

  it("a shown answer has no learner verdict", () => {
    expect(scoreQuestion({ kind: "return" }, run, right, null, norm()).learnerCorrect).toBeNull();
  });

  it("a model that never reaches the step is wrong, and says why", () => {
    const short: SlideModel = { kind: "stored", trace: predicted(realFrames.slice(0, 3), null, "incomplete"), label: "CWM" };
    const r = scoreQuestion({ kind: "value", frame: 7, name: "s" }, run, short, "1", norm());
    expect((r.model?.correct ?? null)).toBe(false);
    expect(r.model?.answer).toMatch(/never reaches|ends/);
  });

  it("a question reality cannot answer scores nobody", () => {
    const stopped: CanonicalTrace = { ...actual, status: "step_limit", result: null, frames: realFrames.slice(0, 4) };
    const r = scoreQuestion({ kind: "return" }, { actual: stopped }, right, "1", norm());
    expect([r.learnerCorrect, (r.model?.correct ?? null)]).toEqual([null, null]);
  });

  it("accepts the exception's type name when the call raised, for the learner and the model", () => {
    const raised: CanonicalTrace = { ...actual, status: "raised", result: null, error: "ZeroDivisionError: division by zero" };
    const model: SlideModel = { kind: "stored", trace: { ...predicted(realFrames, null, "raised"), error: "ZeroDivisionError: division by zero" }, label: "CWM" };
    const r = scoreQuestion({ kind: "return" }, { actual: raised }, model, "ZeroDivisionError", norm());
    expect([r.learnerCorrect, (r.model?.correct ?? null), r.real]).toEqual([true, true, "ZeroDivisionError: division by zero"]);
  });
});

describe("what the sandbox parses for a question", () => {
  it("the answer and both reprs of a value question", () => {
    expect(textsForQuestion({ kind: "value", frame: 6, name: "s" }, run, wrong, " 1 ")).toEqual(["1", "2"]);
  });

  it("nothing for a line question", () => {
    expect(textsForQuestion({ kind: "next_line", frame: 5 }, run, wrong, "3")).toEqual([]);
  });

  it("only reality's repr when the answer is shown without one", () => {
    expect(textsForQuestion({ kind: "return" }, run, noModel, null)).toEqual(["1"]);
  });
});

describe("the model's verdict", () => {
  const real = { kind: "line" as const, line: 4 };
  it("is right for the same line", () => expect(scoreModel(real, { kind: "line", line: 4 }, new Map())).toBe(true));
  it("is wrong when the model has no answer where reality has one", () => expect(scoreModel(real, { kind: "none", why: "cut" }, new Map())).toBe(false));
  it("is nothing when reality has no answer", () => expect(scoreModel({ kind: "none", why: "budget" }, real, new Map())).toBeNull());
  it("reads an exception by its type", () =>
    expect(scoreModel({ kind: "exception", type: "KeyError", message: "KeyError: 'k'" }, { kind: "exception", type: "KeyError", message: "KeyError: 'j'" }, new Map())).toBe(true));
});

describe("where the model first leaves reality", () => {
  it("is nothing when the traces agree", () => {
    expect(firstDivergence(actual, predicted(realFrames, "1"))).toBeNull();
  });

  it("is the real step and its line when a value differs", () => {
    expect(firstDivergence(actual, predicted(wrongFrames, "2"))).toEqual({ step: 6, line: 3 });
  });
});
