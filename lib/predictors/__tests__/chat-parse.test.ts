import { describe, expect, it } from "vitest";
import { buildProgram, frameSource } from "@/lib/cwm/program";
import { ChatTraceParser, parseChatAnswer } from "@/lib/predictors/chat-parse";
import { CHAT_EXAMPLES } from "@/lib/predictors/chat-prompt";
import type { Frame, PredictedTrace } from "@/lib/trace/schema";
import { randomPieces, shapeAnswer, type ChatFakeMode } from "@/test/fakes/chat";
import { rng } from "@/test/fakes/common";

const info = { id: "chat:test", model: "m", label: "m via test" };
// The committed examples are our tracer's own traces: a perfect model's answers.
const [LOOP, HELPER, RAISE, SCRIPT] = CHAT_EXAMPLES.examples;

/** The frames a perfect answer stands for, numbered from the program text (its lines are unique). */
function expectedFrames(ex: { code: string; call: string | null; answer: string }): Frame[] {
  const p = buildProgram(ex.code, ex.call);
  const lines = p.program.split("\n").map(frameSource);
  return ex.answer.split("\n").map((l) => {
    const o = JSON.parse(l) as { event: Frame["event"]; source: string; locals?: Record<string, string>; value?: string };
    const line = lines.indexOf(o.source) + 1 - p.lineOffset;
    return o.locals ? { event: o.event, line, source: o.source, locals: o.locals } : { event: o.event, line, source: o.source, value: o.value };
  });
}

function parse(ex: { code: string; call: string | null }, pieces: string[], finish: PredictedTrace["finish"] = "eos"): PredictedTrace {
  const p = new ChatTraceParser(buildProgram(ex.code, ex.call), info);
  const streamed: Frame[] = [];
  for (const piece of pieces) for (const f of p.push(piece)) streamed[f.index] = f.frame;
  const t = p.finish({ finish });
  for (const f of p.drain()) streamed[f.index] = f.frame;
  expect(streamed).toEqual(t.frames);
  return t;
}

describe("ChatTraceParser on a perfect answer", () => {
  it("reads every line as a frame with the program's line numbers", () => {
    const t = parse(LOOP, [LOOP.answer]);
    expect(t.frames).toEqual(expectedFrames(LOOP));
    expect(t).toMatchObject({ status: "returned", result: "6", error: null, valid_format: true, valid_json: true, finish: "eos" });
  });

  it("gives the same frames however the text is chunked", () => {
    const whole = parse(HELPER, [HELPER.answer]);
    for (let seed = 1; seed <= 20; seed++) expect(parse(HELPER, randomPieces(HELPER.answer, rng(seed))).frames).toEqual(whole.frames);
    expect(parse(HELPER, [...HELPER.answer]).frames).toEqual(whole.frames);
  });

  it("reads an exception that leaves the entry function as raised, worded like the executor", () => {
    const t = parse(RAISE, [RAISE.answer]);
    expect(t.frames).toEqual(expectedFrames(RAISE));
    expect(t).toMatchObject({ status: "raised", result: null, error: "ZeroDivisionError: division by zero", valid_format: true });
  });

  it("numbers a script-mode program's main as line 0 and the user's lines from 1", () => {
    const t = parse(SCRIPT, [SCRIPT.answer]);
    expect(t.frames[0]).toMatchObject({ event: "call", line: 0, source: "def main():" });
    expect(t.frames[1]).toMatchObject({ line: 1, source: '    d = {"a": 1}' });
    expect(t.frames).toEqual(expectedFrames(SCRIPT));
  });

  it("keeps the answer text as raw", () => {
    expect(parse(LOOP, randomPieces(LOOP.answer, rng(3))).raw).toBe(LOOP.answer);
  });
});

describe("ChatTraceParser tolerance", () => {
  const shaped = (mode: ChatFakeMode, seed = 7) => shapeAnswer(LOOP.answer, mode, rng(seed));

  it.each(["fence", "fence-json"] as const)("ignores a surrounding %s and stays a valid format", (mode) => {
    const { text } = shaped(mode);
    const t = parse(LOOP, randomPieces(text, rng(11)));
    expect(t.frames).toEqual(expectedFrames(LOOP));
    expect(t.valid_format).toBe(true);
  });

  it("leaves a preamble before the fence out of the frames but not out of valid_format", () => {
    const t = parse(LOOP, randomPieces(shaped("preamble").text, rng(5)));
    expect(t.frames).toEqual(expectedFrames(LOOP));
    expect(t.valid_format).toBe(false);
    expect(t.status).toBe("returned");
  });

  it("ignores blank lines and CRLF line ends", () => {
    const text = `\n${LOOP.answer.split("\n").join("\r\n\r\n")}\r\n`;
    const t = parse(LOOP, [text]);
    expect(t.frames).toEqual(expectedFrames(LOOP));
    expect(t.valid_format).toBe(true);
  });

  it("keeps a broken line as an invalid frame with its raw text, the others in place", () => {
    const { text } = shaped("broken-line");
    const t = parse(LOOP, randomPieces(text, rng(2)));
    const want = expectedFrames(LOOP);
    const i = Math.floor(want.length / 2);
    expect(t.frames).toHaveLength(want.length);
    expect(t.frames[i]).toMatchObject({ line: null, invalid: "the line is not a JSON object", raw: text.split("\n")[i] });
    expect(t.frames.filter((_, k) => k !== i)).toEqual(want.filter((_, k) => k !== i));
    expect(t).toMatchObject({ valid_format: false, valid_json: false, status: "returned" });
  });

  it("keeps the frames before a cut by length, labels the cut line, and reads no outcome", () => {
    const { text, finish } = shaped("length");
    expect(finish).toBe("length");
    const t = parse(LOOP, randomPieces(text, rng(4)), "length");
    const whole = text.split("\n").length - 1;
    expect(t.frames.slice(0, whole)).toEqual(expectedFrames(LOOP).slice(0, whole));
    expect(t.frames[whole]).toMatchObject({ invalid: "the last line was cut off before its end", raw: text.split("\n")[whole] });
    expect(t).toMatchObject({ status: "incomplete", result: null, finish: "length", valid_format: false });
    expect(t.message).toMatch(/token budget/);
  });

  it("is not a valid format when the model stops before the entry function returns", () => {
    const text = LOOP.answer.split("\n").slice(0, 4).join("\n");
    const t = parse(LOOP, [text]);
    expect(t).toMatchObject({ status: "incomplete", valid_format: false, finish: "eos" });
  });

  it("flags text after the closing fence", () => {
    const t = parse(LOOP, ["```\n", LOOP.answer, "\n```\nThe function returns 6."]);
    expect(t.frames).toEqual(expectedFrames(LOOP));
    expect(t.valid_format).toBe(false);
  });

  it("turns unreadable lines before the first JSON line into invalid frames when no fence follows", () => {
    const t = parse(LOOP, ["Sure.\n", LOOP.answer]);
    expect(t.frames[0]).toMatchObject({ invalid: "the line is not a JSON object", raw: "Sure." });
    expect(t.frames.slice(1)).toEqual(expectedFrames(LOOP));
    expect(t.valid_json).toBe(false);
  });

  it("keeps a frame with bad locals labelled, and a non-string value as written", () => {
    const p = buildProgram("def f(x):\n    return x", "f(1)");
    const text = [
      '{"event": "call", "source": "def main():", "locals": {}}',
      '{"event": "line", "source": "    return f(1)", "locals": {}}',
      '{"event": "call", "source": "def f(x):", "locals": {"x": 1}}',
      '{"event": "line", "source": "    return x", "locals": {"x": "1"}}',
      '{"event": "return", "source": "    return x", "value": 1}',
      '{"event": "return", "source": "    return f(1)", "value": "1"}',
    ].join("\n");
    const t = parseChatAnswer(text, p, info, { finish: "eos" });
    expect(t.frames[2]).toMatchObject({ event: "call", line: 1, invalid: "the locals are not a JSON object of strings" });
    expect(t.frames[4]).toMatchObject({ event: "return", line: 2, value: "1" });
    expect(t).toMatchObject({ valid_json: false, valid_format: false, status: "returned", result: "1" });
  });

  it("labels an unknown event and a missing source", () => {
    const p = buildProgram("x = 1", null);
    const t = parseChatAnswer('{"event": "step", "source": "x = 1"}\n{"event": "line", "locals": {}}', p, info, { finish: "eos" });
    expect(t.frames.map((f) => f.invalid)).toEqual(['"event" must be one of call, line, return, exception', '"source" must be the line\'s text']);
    expect(t.valid_format).toBe(false);
  });

  it("resolves a '..' value from the scope's previous frame", () => {
    const p = buildProgram("def f(x):\n    y = 2\n    return x", "f(1)");
    const text = [
      '{"event": "call", "source": "def f(x):", "locals": {"x": "1"}}',
      '{"event": "line", "source": "    y = 2", "locals": {"x": ".."}}',
    ].join("\n");
    expect(parseChatAnswer(text, p, info).frames[1].locals).toEqual({ x: "1" });
  });

  it("keeps a local named __proto__ as an own key", () => {
    const p = buildProgram("__proto__ = 1", null);
    const text = '{"event": "call", "source": "def main():", "locals": {}}\n{"event": "line", "source": "    __proto__ = 1", "locals": {"__proto__": "1"}}';
    const f = parseChatAnswer(text, p, info).frames[1];
    expect(Object.keys(f.locals!)).toEqual(["__proto__"]);
  });
});
