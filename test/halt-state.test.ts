/** The "Will it halt?" panel's reducer and wording: late events dropped, partial reasoning kept, honest verdicts. */
import { describe, expect, it } from "vitest";
import { executorHaltLine, HALT_IDLE, haltReducer, haltStale, haltVerdictText, madeBy, traceHaltLine, type HaltAction, type HaltCheck } from "@/lib/predictors/halt-state";
import type { PredictionRun, RealRun } from "@/lib/playground/session";
import type { CanonicalTrace, PredictedTrace } from "@/lib/trace/schema";

const input = { code: "x = 1\n", call: "" };
const run = (...actions: HaltAction[]): HaltCheck => actions.reduce(haltReducer, HALT_IDLE);
const predictor = { id: "cwm-vllm", label: "CWM (vLLM)", kind: "cwm" as const, model: "facebook/cwm" };
const settings = { temperature: 0, max_tokens: 4096 };

describe("the question's state", () => {
  it("collects reasoning and answer of the current question and ends with its verdict", () => {
    const s = run(
      { type: "ask", runId: "a", input },
      { type: "event", event: { type: "start", runId: "a", predictor, settings, prompt: "p" } },
      { type: "event", event: { type: "reasoning", runId: "a", text: "It " } },
      { type: "event", event: { type: "reasoning", runId: "a", text: "ends." } },
      { type: "event", event: { type: "answer", runId: "a", text: "Answer: yes" } },
      { type: "event", event: { type: "end", runId: "a", verdict: "halts", finish: "stop" } },
    );
    expect(s).toMatchObject({ phase: "done", reasoning: "It ends.", answer: "Answer: yes", verdict: "halts", finish: "stop", predictor });
  });

  it("drops late events of an earlier question", () => {
    const s = run(
      { type: "ask", runId: "a", input },
      { type: "ask", runId: "b", input },
      { type: "event", event: { type: "reasoning", runId: "a", text: "old" } },
      { type: "event", event: { type: "end", runId: "a", verdict: "halts", finish: "stop" } },
      { type: "finished", runId: "a", verdict: "halts", finish: "stop" },
    );
    expect(s).toMatchObject({ phase: "asking", runId: "b", reasoning: "", verdict: null });
  });

  it("keeps the reasoning so far when the stream ends without an answer", () => {
    const s = run(
      { type: "ask", runId: "a", input },
      { type: "event", event: { type: "reasoning", runId: "a", text: "The loop" } },
      { type: "finished", runId: "a", verdict: "unclear", finish: "error", message: "the connection was lost" },
    );
    expect(s).toMatchObject({ phase: "done", reasoning: "The loop", verdict: "unclear", finish: "error", message: "the connection was lost" });
  });

  it("marks Stop as pending until the server's end arrives", () => {
    const s = run({ type: "ask", runId: "a", input }, { type: "stop" });
    expect(s).toMatchObject({ phase: "asking", stopping: true });
    expect(haltReducer(s, { type: "event", event: { type: "end", runId: "a", verdict: "unclear", finish: "stopped" } })).toMatchObject({ phase: "done", stopping: false });
  });

  it("keeps a refusal's message (the baseline is not CWM)", () => {
    const s = run({ type: "ask", runId: "a", input }, { type: "refused", runId: "a", code: "validation", message: "Will it halt? needs CWM" });
    expect(s).toEqual({ phase: "refused", runId: "a", input, code: "validation", message: "Will it halt? needs CWM" });
  });

  it("says an answer is for earlier code once the code or the call changes", () => {
    const s = run({ type: "ask", runId: "a", input });
    expect(haltStale(s, input)).toBe(false);
    expect(haltStale(s, { ...input, code: "x = 2\n" })).toBe(true);
    expect(haltStale(s, { ...input, call: "f()" })).toBe(true);
    expect(haltStale(HALT_IDLE, input)).toBe(false);
  });
});

describe("the verdicts in words", () => {
  const trace = (over: Partial<CanonicalTrace>): CanonicalTrace => ({ status: "returned", frames: [], result: "1", error: null, stdout: "", ...over });
  const real = (t: CanonicalTrace): RealRun => ({ phase: "done", source: "live", runId: "r", input, frames: t.frames, trace: t, stopReason: null });
  const final = (over: Partial<PredictedTrace>): PredictedTrace => ({
    status: "returned",
    frames: [],
    result: "1",
    error: null,
    stdout: "",
    predictor: { id: "cwm-vllm", model: "facebook/cwm", label: "CWM (vLLM)" },
    finish: "eos",
    valid_format: true,
    valid_json: true,
    raw: "",
    settings,
    ...over,
  });
  const predicted = (f: PredictedTrace): PredictionRun => ({ phase: "done", source: "live", runId: "p", input, frames: [], final: f, stopReason: null, error: null, predictor: f.predictor, settings: f.settings ?? null, prompt: null, raw: "" });

  it("the executor says yes when the program returned or raised", () => {
    expect(executorHaltLine(real(trace({})))).toEqual({ mark: "yes", text: "yes — it returned 1" });
    expect(executorHaltLine(real(trace({ status: "raised", result: null, error: "ZeroDivisionError: division by zero" })))).toMatchObject({ mark: "yes", text: "yes — it raised ZeroDivisionError" });
  });

  it("the executor never says no: a spent budget is unknown", () => {
    const line = executorHaltLine(real(trace({ status: "step_limit", result: null, frames: [] })));
    expect(line.mark).toBe("unknown");
    expect(line.text).toMatch(/^unknown — budget spent: stopped after/);
  });

  it("the executor has not run yet, or is running", () => {
    expect(executorHaltLine(null).mark).toBe("none");
    expect(executorHaltLine({ phase: "running", source: "live", runId: "r", input, frames: [], stdout: "", stopping: false }).mark).toBe("pending");
  });

  it("the trace says yes when it ended with EOS, no-or-long when it used its token budget", () => {
    expect(traceHaltLine(predicted(final({}))).mark).toBe("yes");
    const long = traceHaltLine(predicted(final({ finish: "length", status: "incomplete", result: null })));
    expect(long).toMatchObject({ mark: "no" });
    expect(long.text).toContain("4096 tokens");
  });

  it("a cut trace is unknown", () => {
    expect(traceHaltLine(predicted(final({ finish: "error", status: "incomplete", message: "server down" })))).toMatchObject({ mark: "unknown", text: "unknown — prediction incomplete: server down" });
  });

  it("names who made a verdict by its own label: the baseline is never called CWM", () => {
    expect(madeBy({ id: "cwm-vllm", label: "CWM (vLLM)", model: "facebook/cwm" })).toBe("CWM (vLLM) · facebook/cwm");
    const baseline = madeBy({ id: "baseline-syntax", label: "Syntax-only baseline (not a model)", model: null });
    expect(baseline).toBe("Syntax-only baseline (not a model)");
    expect(baseline).not.toMatch(/CWM/);
  });

  it("words the model's answer, and why it is unclear", () => {
    expect(haltVerdictText("halts", "stop")).toBe("yes — it halts");
    expect(haltVerdictText("does_not_halt", "stop")).toBe("no — it does not halt");
    expect(haltVerdictText("unclear", "length")).toMatch(/ran out of tokens/);
    expect(haltVerdictText("unclear", "stop")).toMatch(/neither yes nor no/);
  });
});
