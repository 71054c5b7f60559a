import { describe, expect, it } from "vitest";
import { buildProgram } from "@/lib/cwm/program";
import { exceptionMessage, parseTrace, TraceParser } from "@/lib/cwm/parse";
import { TOK } from "@/lib/cwm/tokens";

const predictor = { id: "t", model: null };
const { CALL, LINE, RETURN, EXCEPTION, ACTION, ARG, FRAME, EOS } = TOK;
const line = (locals: string, src: string) => `${LINE}${locals}${ACTION}${src}\n${FRAME}`;
const call = (locals: string, src: string) => `${CALL}${locals}${ACTION}${src}\n${FRAME}`;
const ret = (src: string, v: string) => `${RETURN}${ACTION}${src}\n${ARG}${v}${FRAME}`;
const exc = (src: string, v: string) => `${EXCEPTION}${ACTION}${src}\n${ARG}${v}${FRAME}`;

const DIV = "def f(a, b):\n    return a / b";
const divProgram = buildProgram(DIV, "f(1, 0)");
const raising =
  line("{}", "    return f(1, 0)") +
  call('{"a": "1", "b": "0"}', "def f(a, b):") +
  line('{"a": "..", "b": ".."}', "    return a / b") +
  exc("    return a / b", '"ZeroDivisionError(\'division by zero\')"') +
  ret("    return a / b", '"None"') +
  exc("    return f(1, 0)", '"ZeroDivisionError(\'division by zero\')"') +
  ret("    return f(1, 0)", '"None"') +
  EOS;

describe("TraceParser", () => {
  it("reports raised with the exception when main is left by an exception", () => {
    const t = parseTrace(raising, { program: divProgram, predictor });
    expect(t).toMatchObject({ status: "raised", result: null, error: "ZeroDivisionError: division by zero", valid_format: true });
    expect(t.frames.map((f) => f.event)).toEqual(["call", "line", "call", "line", "exception", "return", "exception", "return"]);
  });

  it("emits each frame as its separator arrives, even when a chunk splits a special token", () => {
    const p = new TraceParser({ program: divProgram, predictor });
    expect(p.push("").map((f) => f.index)).toEqual([0]);
    const first = line("{}", "    return f(1, 0)");
    const cutAt = first.length - 5; // inside "<|frame_sep|>"
    expect(p.push(first.slice(0, cutAt))).toEqual([]);
    expect(p.push(first.slice(cutAt))).toEqual([{ index: 1, frame: { event: "line", line: 4, source: "    return f(1, 0)", locals: {} } }]);
  });

  it("resolves '..' against the previous frame of the same scope, and reads repeated values too", () => {
    const code = "def f(x):\n    y = x\n    return y";
    const t = parseTrace(
      line("{}", "    return f(2)") +
        call('{"x": "2"}', "def f(x):") +
        line('{"x": ".."}', "    y = x") +
        line('{"x": "2", "y": "2"}', "    return y") +
        ret("    return y", '"2"') +
        ret("    return f(2)", '"2"') +
        EOS,
      { program: buildProgram(code, "f(2)"), predictor },
    );
    expect(t.frames[3].locals).toEqual({ x: "2" });
    expect(t.frames[4].locals).toEqual({ x: "2", y: "2" });
    expect(t).toMatchObject({ status: "returned", result: "2" });
  });

  it("tells identical lines apart by the scope and its position", () => {
    const code = "def g(n):\n    n += 1\n    return n\n\ndef f(n):\n    n += 1\n    n += 1\n    return g(n)";
    const t = parseTrace(
      line("{}", "    return f(0)") +
        call('{"n": "0"}', "def f(n):") +
        line('{"n": ".."}', "    n += 1") +
        line('{"n": "1"}', "    n += 1") +
        line('{"n": "2"}', "    return g(n)") +
        call('{"n": "2"}', "def g(n):") +
        line('{"n": ".."}', "    n += 1") +
        line('{"n": "3"}', "    return n") +
        ret("    return n", '"3"') +
        ret("    return g(n)", '"3"') +
        ret("    return f(0)", '"3"') +
        EOS,
      { program: buildProgram(code, "f(0)"), predictor },
    );
    expect(t.frames.map((f) => f.line)).toEqual([9, 10, 5, 6, 7, 8, 1, 2, 3, 3, 8, 10]);
  });

  it("numbers script-mode lines as the user's lines with def main() as 0", () => {
    const t = parseTrace(line("{}", "    x = 1") + line('{"x": "1"}', "    print(x)") + ret("    print(x)", '"None"') + EOS, {
      program: buildProgram("x = 1\nprint(x)", null),
      predictor,
    });
    expect(t.frames.map((f) => [f.line, f.source])).toEqual([
      [0, "def main():"],
      [1, "    x = 1"],
      [2, "    print(x)"],
      [2, "    print(x)"],
    ]);
    expect(t).toMatchObject({ status: "returned", result: "None" });
  });

  it("keeps an unreadable frame with its raw text and goes on", () => {
    const garbage = "Sure, here is the trace";
    const t = parseTrace(`${garbage}${FRAME}` + line('{"a": 1}', "    return a / b") + line("{}", "    return f(1, 0)") + EOS, {
      program: divProgram,
      predictor,
    });
    expect(t.frames[1]).toMatchObject({ invalid: expect.any(String), raw: garbage, line: null });
    expect(t.frames[2]).toMatchObject({ event: "line", line: 2, invalid: expect.stringContaining("JSON") });
    expect(t.frames[3]).toMatchObject({ event: "line", line: 4, locals: {} });
    expect(t).toMatchObject({ valid_format: false, valid_json: false, status: "incomplete" });
  });

  it("marks a prediction without EOS incomplete and keeps the partial last frame only in raw", () => {
    const text = line("{}", "    return f(1, 0)") + `${CALL}{"a": "1", "b`;
    const t = parseTrace(text, { program: divProgram, predictor }, { finish: "length" });
    expect(t).toMatchObject({ status: "incomplete", finish: "length", valid_format: false, raw: text });
    expect(t.frames).toHaveLength(2);
  });

  it("takes the server's EOS finish reason when the text has no EOS token", () => {
    const t = parseTrace(raising.slice(0, -EOS.length), { program: divProgram, predictor }, { finish: "eos" });
    expect(t).toMatchObject({ status: "raised", finish: "eos", valid_format: true });
    expect(t.raw).not.toContain(EOS);
  });

  it("flags text after EOS as a format error", () => {
    const t = parseTrace(`${raising}more`, { program: divProgram, predictor });
    expect(t).toMatchObject({ status: "raised", valid_format: false });
  });

  it("keeps an error finish and message for a cut stream", () => {
    const t = parseTrace(line("{}", "    return f(1, 0)"), { program: divProgram, predictor }, { finish: "error", message: "server closed" });
    expect(t).toMatchObject({ status: "incomplete", finish: "error", message: "server closed" });
  });
});

describe("exceptionMessage", () => {
  it("words an exception repr as the executor does", () => {
    expect(exceptionMessage("ZeroDivisionError('division by zero')")).toBe("ZeroDivisionError: division by zero");
    expect(exceptionMessage("StopIteration()")).toBe("StopIteration");
    expect(exceptionMessage("weird")).toBe("weird");
  });
});
