import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildProgram } from "@/lib/cwm/program";
import { parseTrace, TraceParser } from "@/lib/cwm/parse";
import { serializeTrace } from "@/lib/cwm/serialize";
import type { Frame } from "@/lib/trace/schema";
import { DATA_DIR, readJsonl, type RecordedLine } from "./data";

const predictor = { id: "replay", model: null };
const parse = (d: RecordedLine) => parseTrace(d.generation, { program: buildProgram(d.code, `f(${d.input})`), predictor });
const all = readJsonl<RecordedLine>("cwm-recorded/cruxeval-800.jsonl");
const sample8 = new Map(readJsonl<RecordedLine>("cwm-recorded/cruxeval-sample8.jsonl").map((d) => [d.id, d]));
const s = (id: string) => sample8.get(id)!;

describe("parser on the 800 recorded CRUXEval generations", () => {
  it("reads every generation into n_pred_frames frames plus the seeded main frame", () => {
    const wrong = all.filter((d) => parse(d).frames.length !== d.n_pred_frames + 1).map((d) => d.id);
    expect(all).toHaveLength(800);
    expect(wrong).toEqual([]);
  });

  it("reads the predicted return value the study recorded for every generation", () => {
    const wrong = all.filter((d) => parse(d).result !== d.predicted).map((d) => d.id);
    expect(wrong).toEqual([]);
  });

  it("marks exactly the generations without EOS as incomplete", () => {
    const incomplete = all.filter((d) => parse(d).status === "incomplete").map((d) => d.id);
    expect(incomplete).toEqual(all.filter((d) => !d.generation.endsWith("<|end_of_text|>")).map((d) => d.id));
    expect(incomplete.length).toBe(3);
  });

  it("maps a predicted source to a program line with that text, and to null only when no line has it", () => {
    const bad: string[] = [];
    let unmapped = 0;
    for (const d of all) {
      const program = buildProgram(d.code, `f(${d.input})`);
      const lines = program.program.split("\n").map((l) => l.replace("  # << START_OF_TRACE", ""));
      for (const f of parse(d).frames) {
        if (f.invalid) continue;
        if (f.line === null) {
          unmapped++;
          if (lines.includes(f.source)) bad.push(`${d.id}: unmapped ${f.source}`);
        } else if (lines[f.line - 1] !== f.source) bad.push(`${d.id}: line ${f.line} is not ${f.source}`);
      }
    }
    expect(bad).toEqual([]);
    // The model rewrote a line in a handful of generations (e.g. sample_588's call).
    expect(unmapped).toBeLessThan(10);
  });

  it("gives the same frames whatever the chunking of the text", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const d of all.slice(0, 120)) {
      const whole = parse(d);
      const p = new TraceParser({ program: buildProgram(d.code, `f(${d.input})`), predictor });
      const streamed: Frame[] = [];
      for (let i = 0; i < d.generation.length; ) {
        const n = 1 + Math.floor(rand() * 9);
        for (const f of p.push(d.generation.slice(i, i + n))) streamed[f.index] = f.frame;
        i += n;
      }
      const t = p.finish();
      expect(streamed).toEqual(whole.frames);
      expect(t).toEqual(whole);
    }
  });
});

describe("parser on the 8 edge cases", () => {
  it("sample_0: seeded main frame, main's line, f's call with full arguments, '..' resolved", () => {
    const t = parse(s("sample_0"));
    expect(t.frames[0]).toEqual({ event: "call", line: 7, source: "def main():", locals: {} });
    expect(t.frames[1]).toEqual({ event: "line", line: 8, source: "    return f([1, 1, 3, 1, 3, 1])", locals: {} });
    expect(t.frames[2]).toEqual({ event: "call", line: 1, source: "def f(nums):", locals: { nums: "[1, 1, 3, 1, 3, 1]" } });
    expect(t.frames[3].locals).toEqual({ nums: "[1, 1, 3, 1, 3, 1]" });
    expect(t.frames[5]).toMatchObject({ line: 4, locals: { nums: "[1, 1, 3, 1, 3, 1]", output: "[]", n: "1" } });
    expect(t.frames.at(-1)).toMatchObject({ event: "return", line: 8, value: "[(4, 1), (4, 1), (4, 1), (4, 1), (2, 3), (2, 3)]" });
    expect(t).toMatchObject({ status: "returned", finish: "eos", valid_format: true, valid_json: true });
  });

  it("sample_4 and sample_23: wrong predicted values are read as the model wrote them", () => {
    expect(parse(s("sample_4")).result).toBe("'          '");
    expect(parse(s("sample_23")).result).toBe("'new-medium-performing-application - XQuery 2.2'");
  });

  it("sample_6: lambda frames nest on one source line and pop back to the caller's scope", () => {
    const t = parse(s("sample_6"));
    const lambdaCall = t.frames[4];
    expect(lambdaCall).toMatchObject({ event: "call", line: 2, locals: { x: "('11', 52)" } });
    expect(t.frames[5]).toMatchObject({ event: "line", line: 2, locals: { x: "('11', 52)" } });
    expect(t.frames[6]).toMatchObject({ event: "return", line: 2, value: "6" });
    const firstPop = t.frames.find((f) => f.source === "        dic.pop(k)")!;
    expect(firstPop.locals).toEqual({ dic: "{'11': 52, '65': 34, 'a': 12, '4': 52, '74': 31}", k: "'a'", v: "12" });
    expect(t.result).toBe("[('74', 31)]");
  });

  it("sample_7: a loop that never runs", () => {
    const t = parse(s("sample_7"));
    expect(t.frames.map((f) => f.line)).toEqual([11, 12, 1, 2, 3, 7, 8, 10, 10, 12]);
  });

  it("sample_19: a comprehension frame with local '.0' and its own scope", () => {
    const t = parse(s("sample_19"));
    expect(t.frames[4]).toMatchObject({ event: "call", line: 2, locals: { ".0": "<str_ascii_iterator object>" } });
    const back = t.frames.find((f) => f.source.includes("if (x.isnumeric()"))!;
    expect(back.locals).toEqual({ x: "''", y: "'sdasdnakjsda80'", tmp: "'999999999999999'" });
    const elseReturn = t.frames.filter((f) => f.source === "        return x");
    expect(elseReturn.map((f) => f.line)).toEqual([6, 6]);
  });

  it("sample_377: escaped newlines in values stay escaped in the repr", () => {
    expect(parse(s("sample_377")).frames[2].locals).toEqual({ text: "'BYE\\nNO\\nWAY'" });
  });

  it("sample_382: a statement over two lines maps each physical line; a non-JSON value is kept raw", () => {
    const t = parse(s("sample_382"));
    expect(t.frames.slice(3, 6).map((f) => f.line)).toEqual([2, 3, 2]);
    expect(t.valid_json).toBe(false);
    expect(t.valid_format).toBe(true);
    const inner = t.frames.filter((f) => f.event === "return")[0];
    expect(inner.value).toBe(`"['(12, \\'Rwrepny\\')', '(15, \\'Qltuf\\')']"`);
    expect(t.result).toBe(s("sample_382").predicted);
  });
});

describe("counter_N3 (a free-running failure in parsed form)", () => {
  const data = JSON.parse(fs.readFileSync(path.join(DATA_DIR, "cwm-recorded/counter_N3.json"), "utf8")) as {
    source: string;
    pred: Array<[string, string, Record<string, string> | null, string | null]>;
  };
  const program = { mode: "call" as const, code: data.source, program: data.source, context: `\n${data.source}`, lineOffset: 0 as const };
  const frames: Frame[] = data.pred.map(([ev, src, locals, value]) => {
    const event = ev.toLowerCase() as Frame["event"];
    const source = src.replace("  # << START_OF_TRACE", "");
    const line = data.source.split("\n").findIndex((l) => l.replace("  # << START_OF_TRACE", "") === source) + 1;
    return event === "return" || event === "exception" ? { event, line, source, value: value ?? "None" } : { event, line, source, locals: locals ?? {} };
  });

  it("serialises to CWM text and parses back to the same 35 frames", () => {
    const text = serializeTrace({ frames, status: "returned" }, { seeded: false });
    expect(text).toContain('"..'); // unchanged values are diffed
    const t = parseTrace(text, { program, predictor, seeded: false });
    expect(t.frames).toHaveLength(35);
    expect(t.frames).toEqual(frames);
    expect(t.status).toBe("returned");
  });
});
