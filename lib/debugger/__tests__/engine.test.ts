/**
 * The debugger's verbs over a real CWM client (vLLM protocol) and a fake server that continues a
 * scripted generation; reality is the same program's trace, so lockstep can be checked exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTrace } from "@/lib/cwm/parse";
import { buildPrompt } from "@/lib/cwm/prompt";
import { TOK } from "@/lib/cwm/tokens";
import { canonicalFrames, fullLocals, readFrameText, frameText } from "@/lib/debugger/frames";
import { applyEdit, INITIAL_DEBUG_STATE, realMove, runVerb, type DebugState, type EngineDeps, type Verb } from "@/lib/debugger/engine";
import { stepOnce } from "@/lib/predictors/step";
import { createVllmPredictor } from "@/lib/predictors/vllm";
import type { FrameEvent } from "@/lib/trace/schema";
import { startFakeVllm, type FakeServer } from "@/test/fakes/vllm";

// A caller, a callee and a loop: enough for step, next, out and breakpoints.
const CODE = "def sq(x):\n    return x * x\n\ndef f(n):\n    t = 0\n    for i in range(n):\n        t += sq(i)\n    return t\n";
const CALL = "f(2)";
const F = (kind: string, body: string) => `${kind}${body}${TOK.FRAME}`;
const GENERATION = [
  F(TOK.LINE, `{}${TOK.ACTION}    return f(2)\n`),
  F(TOK.CALL, `{"n": "2"}${TOK.ACTION}def f(n):\n`),
  F(TOK.LINE, `{"n": ".."}${TOK.ACTION}    t = 0\n`),
  F(TOK.LINE, `{"n": "..", "t": "0"}${TOK.ACTION}    for i in range(n):\n`),
  F(TOK.LINE, `{"n": "..", "t": "..", "i": "0"}${TOK.ACTION}        t += sq(i)\n`),
  F(TOK.CALL, `{"x": "0"}${TOK.ACTION}def sq(x):\n`),
  F(TOK.LINE, `{"x": ".."}${TOK.ACTION}    return x * x\n`),
  F(TOK.RETURN, `${TOK.ACTION}    return x * x\n${TOK.ARG}"0"`),
  F(TOK.LINE, `{"n": "..", "t": "..", "i": ".."}${TOK.ACTION}    for i in range(n):\n`),
  F(TOK.LINE, `{"n": "..", "t": "..", "i": "1"}${TOK.ACTION}        t += sq(i)\n`),
  F(TOK.CALL, `{"x": "1"}${TOK.ACTION}def sq(x):\n`),
  F(TOK.LINE, `{"x": ".."}${TOK.ACTION}    return x * x\n`),
  F(TOK.RETURN, `${TOK.ACTION}    return x * x\n${TOK.ARG}"1"`),
  F(TOK.LINE, `{"n": "..", "t": "1", "i": ".."}${TOK.ACTION}    for i in range(n):\n`),
  F(TOK.LINE, `{"n": "..", "t": "..", "i": ".."}${TOK.ACTION}    return t\n`),
  F(TOK.RETURN, `${TOK.ACTION}    return t\n${TOK.ARG}"1"`),
  F(TOK.RETURN, `${TOK.ACTION}    return f(2)\n${TOK.ARG}"1"`),
  TOK.EOS,
].join("");

const program = buildPrompt(CODE, CALL).program;
const info = { id: "cwm-vllm", model: "facebook/cwm" };
const reality = parseTrace(GENERATION, { program, predictor: info }).frames;

let fake: FakeServer;
let deps: EngineDeps;
const forced: Array<FrameEvent | null> = [];

beforeAll(async () => {
  fake = await startFakeVllm({ script: { lookup: null, fallback: GENERATION } });
  const predictor = createVllmPredictor({ url: fake.url, model: "facebook/cwm", timeouts: { connectMs: 5000, firstTokenMs: 5000, idleMs: 5000 } });
  const prompt = buildPrompt(CODE, CALL);
  deps = {
    program,
    predictor: info,
    real: () => reality,
    step: async (frames, force, signal) => {
      forced.push(force);
      const r = await stepOnce(predictor, { prompt, frames, force, settings: { temperature: 0, max_tokens: 512 }, signal });
      return r.end === "frame" ? { end: "frame", frame: r.frame } : r.end === "eos" ? { end: "eos" } : { end: r.end, text: r.text };
    },
  };
});
afterAll(async () => fake?.close());

const signal = () => new AbortController().signal;
async function run(verbs: Verb[], from: DebugState = INITIAL_DEBUG_STATE): Promise<DebugState> {
  let s = from;
  for (const v of verbs) s = await runVerb(s, v, deps, signal());
  return s;
}
const last = (s: DebugState) => canonicalFrames(program, s.frames, info).at(-1)!;

describe("debugger verbs (cwmdbg semantics)", () => {
  it("step moves one frame; reality moves with it", async () => {
    const s = await run([{ verb: "step" }, { verb: "step" }]);
    expect(s.frames.map((f) => f.event)).toEqual(["line", "call"]);
    expect(s.paired).toEqual([0, 1, 2]);
    expect(last(s)).toMatchObject({ event: "call", source: "def f(n):", locals: { n: "2" } });
  });

  it("step after a call frame forces <|line_sep|> (into the function)", async () => {
    forced.length = 0;
    await run([{ verb: "step" }, { verb: "step" }, { verb: "step" }]);
    expect(forced).toEqual([null, null, "line"]);
  });

  it("next over a line that calls sq: the model predicts sq's return without its body, reality skips the body", async () => {
    const at = await run(Array.from({ length: 5 }, () => ({ verb: "step" }) as Verb)); // t += sq(i), i = 0
    forced.length = 0;
    const s = await runVerb(at, { verb: "next" }, deps, signal());
    expect(forced).toEqual([null, "return", null]);
    expect(s.frames.slice(at.frames.length).map((f) => f.event)).toEqual(["call", "return", "line"]);
    expect(s.frames[at.frames.length + 1]).toMatchObject({ event: "return", value: "0" });
    expect(last(s)).toMatchObject({ event: "line", source: "    for i in range(n):" });
    // Reality: the call frame, then sq's return (its line frame skipped), then the loop line.
    expect(s.paired.slice(-3)).toEqual([6, 8, 9]);
    expect(reality[s.paired.at(-1)!]).toMatchObject({ source: "    for i in range(n):" });
  });

  it("out runs to the return of the current function and stops on the caller's next frame", async () => {
    const inSq = await run(Array.from({ length: 7 }, () => ({ verb: "step" }) as Verb)); // sq's line frame
    expect(last(inSq)).toMatchObject({ source: "    return x * x" });
    const s = await runVerb(inSq, { verb: "out" }, deps, signal());
    expect(s.frames.at(-2)).toMatchObject({ event: "return", value: "0" });
    expect(last(s)).toMatchObject({ event: "line", source: "    for i in range(n):" });
  });

  it("out from f steps over sq's calls and stops after f returns", async () => {
    const inF = await run([{ verb: "step" }, { verb: "step" }, { verb: "step" }]);
    const s = await runVerb(inF, { verb: "out" }, deps, signal());
    const events = s.frames.slice(inF.frames.length).map((f) => f.event);
    // Both calls of sq were stepped over: no line frame of sq was asked for.
    expect(events.filter((e) => e === "call").length).toBe(2);
    expect(s.frames.filter((f) => f.source === "    return x * x" && f.event === "line").length).toBe(0);
    expect(s.frames.at(-1)).toMatchObject({ event: "return", source: "    return f(2)", value: "1" });
  });

  it("back drops the last frame without a request, on both sides", async () => {
    const s = await run([{ verb: "step" }, { verb: "step" }]);
    const before = fake.requests.length;
    const b = await runVerb(s, { verb: "back" }, deps, signal());
    expect(fake.requests.length).toBe(before);
    expect(b.frames.length).toBe(1);
    expect(b.paired).toEqual([0, 1]);
  });

  it("continue runs to EOS; stepping to the end gives exactly the one-shot frames", async () => {
    const s = await run([{ verb: "continue" }]);
    expect(s.done).toBe(true);
    expect(canonicalFrames(program, s.frames, info)).toEqual(reality);
    expect(s.frames.map(frameText).join("") + TOK.EOS).toBe(GENERATION);
  });

  it("continue to a line stops at the first line frame there (a breakpoint on the predicted side)", async () => {
    const s = await run([{ verb: "continue", line: 8 }]);
    expect(last(s)).toMatchObject({ event: "line", line: 8, source: "    return t" });
    expect(s.done).toBe(false);
  });

  it("reset returns to the entry frame", async () => {
    const s = await run([{ verb: "step" }, { verb: "reset" }]);
    expect(s).toEqual(INITIAL_DEBUG_STATE);
  });

  it("an edit rewrites the current frame's locals and the model continues from it", async () => {
    const at = await run(Array.from({ length: 3 }, () => ({ verb: "step" }) as Verb)); // t = 0 (n = 2)
    const edited = applyEdit(at, "n", "5");
    expect(edited.frames.at(-1)!.locals).toEqual({ n: "5" });
    expect(edited.edits).toEqual([{ index: 2, name: "n", repr: "5" }]);
    expect(fullLocals(edited.frames, 2)).toEqual({ n: "5" });
    const s = await runVerb(edited, { verb: "step" }, deps, signal());
    expect(fake.prompts.at(-1)).toContain(`{"n": "5"}${TOK.ACTION}    t = 0\n`);
    // The next frame's ".." now means the edited value.
    expect(last(s).locals).toMatchObject({ n: "5" });
  });

  it("an edit of the entry frame is refused with a reason", () => {
    expect(() => applyEdit(INITIAL_DEBUG_STATE, "n", "5")).toThrow(/step into the program first/);
  });

  it("a Stop aborts a long continue and keeps nothing half-done", async () => {
    const ctl = new AbortController();
    let seen = 0;
    const p = runVerb(INITIAL_DEBUG_STATE, { verb: "continue" }, { ...deps, onProgress: () => ++seen === 3 && ctl.abort(new Error("stopped")) }, ctl.signal);
    await expect(p).rejects.toThrow(/stopped/);
  });

  it("a frame budget stops continue with a note", async () => {
    const s = await runVerb(INITIAL_DEBUG_STATE, { verb: "continue" }, { ...deps, maxFrames: 4 }, signal());
    expect(s.frames.length).toBe(4);
    expect(s.note).toMatch(/4 frames/);
  });
});

describe("reality in lockstep", () => {
  it("advance moves one frame and stays on the last one at the end", () => {
    expect(realMove(reality, 3, "advance")).toBe(4);
    expect(realMove(reality, reality.length - 1, "advance")).toBe(reality.length - 1);
  });

  it("skip from a call frame lands on that callee's return, nested calls counted", () => {
    expect(realMove(reality, 6, "skip")).toBe(8);
    expect(realMove(reality, 2, "skip")).toBe(reality.length - 2);
  });

  it("skip from a frame that is not a call just advances (the model called, reality did not)", () => {
    expect(realMove(reality, 3, "skip")).toBe(4);
  });
});

describe("frames as the model wrote them", () => {
  it("reads each recorded frame and writes it back byte for byte", () => {
    const texts = GENERATION.split(TOK.FRAME).slice(0, -1).map((t) => t + TOK.FRAME);
    for (const t of texts) expect(frameText(readFrameText(t)!)).toBe(t);
  });

  it("keeps text that json.dumps would not write (a non-JSON value) as it was written", () => {
    const t = `${TOK.RETURN}${TOK.ACTION}    return x\n${TOK.ARG}'not json'${TOK.FRAME}`;
    const f = readFrameText(t)!;
    expect(f.value_text).toBe("'not json'");
    expect(frameText(f)).toBe(t);
  });

  it("refuses text that is not one of the four frame shapes", () => {
    expect(readFrameText(`hello${TOK.FRAME}`)).toBeNull();
    expect(readFrameText(`${TOK.LINE}{}${TOK.ACTION}a${TOK.ACTION}b${TOK.FRAME}`)).toBeNull();
  });
});
