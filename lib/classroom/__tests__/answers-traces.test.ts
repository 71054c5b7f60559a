/**
 * Questions asked of real traces (the node tracer) and of real recorded CWM generations
 * (CRUXEval sample, read in place from the shared data).
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeTracer, type NodeTracer } from "@/lib/executor/node";
import type { CanonicalTrace } from "@/lib/trace/schema";
import { requireSharedData } from "@/test/shared-data";
import { expectedText, modelExpected, questionPrompt, realExpected, scoreAnswer } from "../answers";
import { slideModel, NO_MODEL_HELP } from "../model";
import { parseRecorded, recordedPrediction, RECORDED_LABEL } from "../recorded";

const SAMPLE = requireSharedData("cwm-recorded/cruxeval-sample8.jsonl");
const recorded = parseRecorded(fs.readFileSync(SAMPLE, "utf8"), "cruxeval-sample8.jsonl");
const samples = fs
  .readFileSync(SAMPLE, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { id: string; code: string; input: string; correct: boolean });
const byId = new Map(samples.map((s) => [s.id, s]));

let tracer: NodeTracer;
beforeAll(async () => {
  tracer = await createNodeTracer();
}, 120_000);
afterAll(() => tracer?.close());

const none = new Map<string, string | null>();

async function runOf(id: string): Promise<{ code: string; call: string; actual: CanonicalTrace }> {
  const s = byId.get(id)!;
  const call = `f(${s.input})`;
  return { code: s.code, call, actual: await tracer.trace({ code: s.code, call }) };
}

const LOOP = "def f(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s\n";

describe("questions asked of a real trace", () => {
  it("phrases a value question by the line about to run", async () => {
    const actual = await tracer.trace({ code: LOOP, call: "f(3)" });
    const k = actual.frames.findIndex((f) => f.line === 4 && f.locals?.i === "1");
    const p = questionPrompt({ kind: "value", frame: k, name: "s" }, { call: "f(3)", mode: "call", actual });
    expect(p).toEqual({ text: "What is `s` when line 4 is about to run (2nd time)?", line: 4, name: "s" });
    expect(realExpected({ kind: "value", frame: k, name: "s" }, actual)).toEqual({ kind: "literal", repr: "0" });
  });

  it("names no pass for a line that runs once", async () => {
    const actual = await tracer.trace({ code: LOOP, call: "f(3)" });
    const k = actual.frames.findIndex((f) => f.line === 2);
    expect(questionPrompt({ kind: "next_line", frame: k }, { call: "f(3)", mode: "call", actual }).text).toBe("Which line runs after line 2?");
  });

  it("counts passes 11th, 12th, 13th and 21st as English does", async () => {
    const actual = await tracer.trace({ code: LOOP, call: "f(25)" });
    const passes = actual.frames.flatMap((f, k) => (f.line === 4 && f.event === "line" ? [k] : []));
    const text = (n: number) => questionPrompt({ kind: "value", frame: passes[n - 1], name: "s" }, { call: "f(25)", mode: "call", actual }).text;
    expect([11, 12, 13, 21, 22].map(text)).toEqual(["11th", "12th", "13th", "21st", "22nd"].map((o) => `What is \`s\` when line 4 is about to run (${o} time)?`));
  });

  it("answers next_line with the line of the following frame", async () => {
    const actual = await tracer.trace({ code: LOOP, call: "f(3)" });
    const k = actual.frames.findIndex((f) => f.line === 3);
    expect(questionPrompt({ kind: "next_line", frame: k }, { call: "f(3)", mode: "call", actual }).text).toBe("Which line runs after line 3 (1st time)?");
    expect(realExpected({ kind: "next_line", frame: k }, actual)).toEqual({ kind: "line", line: 4 });
  });

  it("answers return with the result, and with the exception type when the call raised", async () => {
    const ok = await tracer.trace({ code: LOOP, call: "f(4)" });
    expect(realExpected({ kind: "return" }, ok)).toEqual({ kind: "literal", repr: "6" });
    const bad = await tracer.trace({ code: "def f(d):\n    return d['k']\n", call: "f({})" });
    const e = realExpected({ kind: "return" }, bad);
    expect(e).toMatchObject({ kind: "exception", type: "KeyError" });
    expect(scoreAnswer("KeyError", e, none)).toBe(true);
  });

  it("answers halts with yes for a finished run and no for a run its step budget stopped", async () => {
    const ok = await tracer.trace({ code: LOOP, call: "f(2)" });
    expect(realExpected({ kind: "halts" }, ok)).toEqual({ kind: "yesno", yes: true });
    const loop = await tracer.trace({ code: "def f():\n    while True:\n        pass\n", call: "f()", budgets: { maxSteps: 200 } });
    expect(loop.status).toBe("step_limit");
    expect(realExpected({ kind: "halts" }, loop)).toEqual({ kind: "yesno", yes: false });
    expect(realExpected({ kind: "return" }, loop).kind).toBe("none");
  });
});

describe("the model's answers, read from recorded CWM generations", () => {
  it("are labelled as recorded CWM output with the file's name", () => {
    const s = byId.get("sample_0")!;
    const p = recordedPrediction(recorded, s.code, `f(${s.input})`)!;
    expect(p.predictor).toEqual({ id: "recorded", model: "cruxeval-sample8.jsonl", label: RECORDED_LABEL });
  });

  it("match reality at every value question where the recorded prediction was exact (sample_0)", async () => {
    const { code, call, actual } = await runOf("sample_0");
    const predicted = recordedPrediction(recorded, code, call)!;
    let asked = 0;
    actual.frames.forEach((f, k) => {
      if (f.event !== "line" || !f.locals) return;
      for (const name of Object.keys(f.locals)) {
        const q = { kind: "value" as const, frame: k, name };
        expect(scoreAnswer(expectedText(modelExpected(q, actual, predicted)), realExpected(q, actual), none)).toBe(true);
        asked++;
      }
    });
    expect(asked).toBeGreaterThan(10);
    expect(scoreAnswer(expectedText(modelExpected({ kind: "return" }, actual, predicted)), realExpected({ kind: "return" }, actual), none)).toBe(true);
  });

  it("differ from reality on the return value where the model was wrong (sample_4)", async () => {
    const { code, call, actual } = await runOf("sample_4");
    const predicted = recordedPrediction(recorded, code, call)!;
    const model = modelExpected({ kind: "return" }, actual, predicted);
    expect(model.kind).toBe("literal");
    expect(scoreAnswer(expectedText(model), realExpected({ kind: "return" }, actual), none)).toBe(false);
  });

  it("say yes to halts for a recorded prediction that returned", async () => {
    const { code, call, actual } = await runOf("sample_7");
    const predicted = recordedPrediction(recorded, code, call)!;
    expect(modelExpected({ kind: "halts" }, actual, predicted)).toEqual({ kind: "yesno", yes: true });
  });

  it("say the model never reached a step its trace skipped", async () => {
    const actual = await tracer.trace({ code: LOOP, call: "f(3)" });
    const cut = { ...recordedPrediction(recorded, byId.get("sample_7")!.code, `f(${byId.get("sample_7")!.input})`)!, frames: actual.frames.slice(0, 2) };
    const last = actual.frames.length - 2;
    expect(modelExpected({ kind: "value", frame: last, name: "s" }, actual, cut)).toMatchObject({ kind: "none" });
  });
});

describe("the model column's source", () => {
  const run = { code: byId.get("sample_0")!.code, call: `f(${byId.get("sample_0")!.input})`, predictions: [], provenance: null };
  it("is the recorded file when the run has no stored prediction", () => {
    const m = slideModel(run, recorded);
    expect(m.kind).toBe("recorded");
    expect(m.kind === "recorded" && m.label).toBe("CWM (recorded) · cruxeval-sample8.jsonl");
  });
  it("says how to get a prediction when there is none", () => expect(slideModel(run, null)).toEqual({ kind: "none", help: NO_MODEL_HELP }));
  it("never offers the syntax baseline as the model", () => {
    const baseline = { ...recordedPrediction(recorded, run.code, run.call)!, predictor: { id: "baseline-syntax", model: null, label: "Syntax-only baseline (not a model)" } };
    expect(slideModel({ ...run, predictions: [baseline] }, null).kind).toBe("none");
  });
  it("marks an uploaded stored prediction as uploaded", () => {
    const p = recordedPrediction(recorded, run.code, run.call)!;
    const m = slideModel({ ...run, predictions: [p], provenance: "uploaded" }, null);
    expect(m.kind === "stored" && m.label).toBe("CWM (recorded) · cruxeval-sample8.jsonl (uploaded)");
  });
});

describe("a recorded file that is not one", () => {
  it("is refused with the file's name and line", () => expect(() => parseRecorded("{}\n", "x.jsonl")).toThrow(/x\.jsonl line 1/));
  it("is refused when empty", () => expect(() => parseRecorded("\n\n", "e.jsonl")).toThrow(/no recorded generations/));
});
