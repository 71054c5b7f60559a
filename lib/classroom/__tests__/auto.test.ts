/** `--questions auto` on real traces (Pyodide in Node): small programs of ours, then CRUXEval with recorded CWM generations. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { autoQuestions } from "@/lib/classroom/auto";
import { questionProblem } from "@/lib/storage/lesson-schema";
import { canonicalAsPrediction, compareTraces } from "@/lib/compare/compare";
import { createNodeTracer, type NodeTracer } from "@/lib/executor/node";
import type { CanonicalTrace, PredictedTrace } from "@/lib/trace/schema";

const SUM = "def f(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s";

let tracer: NodeTracer;
beforeAll(async () => {
  tracer = await createNodeTracer();
}, 120_000);
afterAll(async () => {
  await tracer?.close();
});

/** A prediction that is reality with one local of frame k changed. */
function wrongAt(actual: CanonicalTrace, k: number, name: string, value: string): PredictedTrace {
  const p = canonicalAsPrediction(actual);
  return { ...p, frames: p.frames.map((f, i) => (i === k ? { ...f, locals: { ...f.locals, [name]: value } } : f)) };
}

describe("autoQuestions", () => {
  it("asks for the local the model first gets wrong, at that frame", async () => {
    const actual = await tracer.trace({ code: SUM, call: "f(4)" });
    const k = actual.frames.findIndex((f, i) => i > 6 && f.line === 4 && f.locals?.s !== "0");
    const qs = autoQuestions({ code: SUM, actual, predicted: wrongAt(actual, k, "s", "99") });
    expect(qs[0]).toEqual({ kind: "value", frame: k, name: "s" });
  });

  it("asks which line comes next where the model takes another path", async () => {
    const actual = await tracer.trace({ code: SUM, call: "f(3)" });
    // The model leaves the loop one iteration early: it skips two real frames (lines 4 and 3).
    const cut = actual.frames.findIndex((f, i) => i > 8 && f.line === 4);
    const p = canonicalAsPrediction(actual);
    const predicted = { ...p, frames: [...p.frames.slice(0, cut), ...p.frames.slice(cut + 2)] };
    const first = autoQuestions({ code: SUM, actual, predicted })[0];
    expect(first.kind).toBe("next_line");
    const rows = compareTraces(actual, predicted).alignment.rows;
    const gap = rows.findIndex((r) => r.kind !== "match");
    const before = rows[gap - 1];
    expect(before.kind === "match" && first.kind === "next_line" && first.frame === before.a).toBe(true);
  });

  it("asks no divergence question when the prediction is exact", async () => {
    const actual = await tracer.trace({ code: SUM, call: "f(3)" });
    expect(autoQuestions({ code: SUM, actual, predicted: canonicalAsPrediction(actual) })).toEqual(autoQuestions({ code: SUM, actual }));
  });

  it("asks mid-loop for the accumulator, not the loop variable, on a later visit", async () => {
    const actual = await tracer.trace({ code: SUM, call: "f(5)" });
    const q = autoQuestions({ code: SUM, actual }).find((x) => x.kind === "value");
    expect(q).toMatchObject({ kind: "value", name: "s" });
    const line4 = actual.frames.map((f, i) => (f.line === 4 ? i : -1)).filter((i) => i >= 0);
    expect(q && q.kind === "value" && line4.indexOf(q.frame)).toBeGreaterThanOrEqual(1);
  });

  it("asks for the last value computed when the code has no loop", async () => {
    const code = "def f(a):\n    b = a * 2\n    c = b + a\n    return c - 1";
    const actual = await tracer.trace({ code, call: "f(5)" });
    const last = actual.frames.findIndex((f) => f.event === "line" && f.line === 4);
    expect(autoQuestions({ code, actual })).toEqual([{ kind: "value", frame: last, name: "c" }, { kind: "return" }]);
  });

  it("ends with the return question when the call returns or raises", async () => {
    const raised = await tracer.trace({ code: "def f(x):\n    y = x + 1\n    return 1 // (y - y)", call: "f(1)" });
    expect(raised.status).toBe("raised");
    expect(autoQuestions({ code: "def f(x):\n    y = x + 1\n    return 1 // (y - y)", actual: raised }).at(-1)).toEqual({ kind: "return" });
  });

  it("asks whether it halts when a budget stopped the run", async () => {
    const code = "def f(n):\n    while n > 0:\n        n += 1\n    return n";
    const actual = await tracer.trace({ code, call: "f(1)", budgets: { maxSteps: 200 } });
    expect(actual.status).toBe("step_limit");
    const qs = autoQuestions({ code, actual });
    expect(qs.at(-1)).toEqual({ kind: "halts" });
    expect(qs.some((q) => q.kind === "return")).toBe(false);
  });

  it("never asks about the entry wrapper's frames", async () => {
    const code = "x = 1\ny = x + 1";
    const actual = await tracer.trace({ code, call: null });
    const p = canonicalAsPrediction(actual);
    // The model is wrong only on the wrapper's return value.
    const last = p.frames.length - 1;
    const predicted = { ...p, frames: p.frames.map((f, i) => (i === last ? { ...f, value: "'nope'" } : f)) };
    for (const q of autoQuestions({ code, actual, predicted })) {
      if (q.kind === "value" || q.kind === "next_line") expect(actual.frames[q.frame].line).toBeGreaterThanOrEqual(1);
    }
  });
});

describe("questionProblem (the server's rules)", () => {
  it("refuses a frame outside the trace, a next line after the last frame, a value on a return frame, an unknown local", async () => {
    const actual = await tracer.trace({ code: SUM, call: "f(2)" });
    const n = actual.frames.length;
    const ret = actual.frames.findIndex((f) => f.event === "return");
    expect(questionProblem({ kind: "value", frame: n, name: "s" }, actual.frames)?.message).toMatch(/outside/);
    expect(questionProblem({ kind: "next_line", frame: n - 1 }, actual.frames)?.message).toMatch(/last/);
    expect(questionProblem({ kind: "value", frame: ret, name: "s" }, actual.frames)?.message).toMatch(/return frame/);
    expect(questionProblem({ kind: "value", frame: 3, name: "nope" }, actual.frames)?.message).toMatch(/not a local/);
    expect(questionProblem({ kind: "return" }, actual.frames)).toBeNull();
  });
});
