import { describe, expect, it } from "vitest";
import { actual, call, inlined, line, predicted, ret, withListcomp } from "@/lib/compare/__tests__/build";
import { createComparisonSelector } from "@/lib/playground/comparison";
import { comparable, initialSession, isStale, sessionReducer, shareable, type SessionAction, type SessionState } from "@/lib/playground/session";

const CODE = { code: "def f(n):\n    return n", call: "f(1)" };
const OTHER = { code: "def f(n):\n    return n + 1", call: "f(1)" };
const F1 = call("def f(n):", { n: "1" });
const F2 = line("    return n", { n: "1" });
const F3 = ret("    return n", "1");

const run = (...actions: SessionAction[]): SessionState => actions.reduce(sessionReducer, initialSession(CODE));
const realRun = (runId = "r1"): SessionAction[] => [
  { type: "real/start", runId, input: CODE },
  { type: "real/frames", runId, frames: [F1, F2] },
  { type: "real/frames", runId, frames: [F3] },
  { type: "real/done", runId, trace: actual([F1, F2, F3]) },
];
const prediction = (runId = "p1", input = CODE): SessionAction[] => [
  { type: "prediction/start", runId, input },
  { type: "prediction/frames", runId, frames: [F1] },
  { type: "prediction/done", runId, final: predicted([F1, F2, F3]) },
];

describe("session reducer: the real run", () => {
  it("a started run is running, live, with no frames", () => {
    const s = run({ type: "real/start", runId: "r1", input: CODE });
    expect(s.real).toMatchObject({ phase: "running", source: "live", runId: "r1", frames: [] });
  });

  it("frames of the current run are appended in order", () => {
    const s = run(...realRun().slice(0, 3));
    expect(s.real?.frames).toEqual([F1, F2, F3]);
  });

  it("frames of an older run are ignored", () => {
    const s = run({ type: "real/start", runId: "r1", input: CODE }, { type: "real/start", runId: "r2", input: CODE }, { type: "real/frames", runId: "r1", frames: [F1] });
    expect(s.real?.frames).toEqual([]);
  });

  it("a late done of an older run does not finish the current one", () => {
    const s = run({ type: "real/start", runId: "r1", input: CODE }, { type: "real/start", runId: "r2", input: CODE }, { type: "real/done", runId: "r1", trace: actual([F1]) });
    expect(s.real?.phase).toBe("running");
  });

  it("events after done are ignored", () => {
    const s = run(...realRun(), { type: "real/frames", runId: "r1", frames: [F1] });
    expect(s.real?.frames).toHaveLength(3);
  });

  it("stdout of the current run accumulates", () => {
    const s = run({ type: "real/start", runId: "r1", input: CODE }, { type: "real/stdout", runId: "r1", text: "a" }, { type: "real/stdout", runId: "r1", text: "b" });
    expect(s.real?.phase === "running" && s.real.stdout).toBe("ab");
  });

  it("done replaces the streamed frames with the final trace's", () => {
    const s = run({ type: "real/start", runId: "r1", input: CODE }, { type: "real/frames", runId: "r1", frames: [F1] }, { type: "real/done", runId: "r1", trace: actual([F1, F2, F3]) });
    expect(s.real).toMatchObject({ phase: "done", frames: [F1, F2, F3], stopReason: null });
  });

  it("a typed stop reason in the trace becomes the run's stop reason", () => {
    const s = run({ type: "real/start", runId: "r1", input: CODE }, { type: "real/done", runId: "r1", trace: actual([F1], { status: "step_limit", stop_reason: "steps" }) });
    expect(s.real?.phase === "done" && s.real.stopReason).toBe("steps");
  });

  it("Stop marks the run as stopping and keeps its frames", () => {
    const s = run({ type: "real/start", runId: "r1", input: CODE }, { type: "real/frames", runId: "r1", frames: [F1, F2] }, { type: "stop" });
    expect(s.real).toMatchObject({ phase: "running", stopping: true, frames: [F1, F2] });
  });

  it("Stop then a budget-status trace without a reason is read as stopped by the user", () => {
    const s = run({ type: "real/start", runId: "r1", input: CODE }, { type: "stop" }, { type: "real/done", runId: "r1", trace: actual([F1], { status: "time_limit" }) });
    expect(s.real?.phase === "done" && s.real.stopReason).toBe("user");
  });

  it("Stop with nothing running changes nothing", () => {
    const s0 = run(...realRun());
    expect(sessionReducer(s0, { type: "stop" })).toBe(s0);
  });

  it("a new run resets the cursor", () => {
    const s = run(...realRun(), { type: "cursor/move", to: 2 }, { type: "real/start", runId: "r2", input: CODE });
    expect(s.cursor).toBe(0);
  });
});

describe("session reducer: the prediction", () => {
  it("meta of the current prediction sets predictor, settings and prompt", () => {
    const s = run(
      { type: "prediction/start", runId: "p1", input: CODE },
      { type: "prediction/meta", runId: "p1", predictor: { id: "cwm-vllm", model: "facebook/cwm" }, settings: { temperature: 0, max_tokens: 100 }, prompt: "<|trace_context_start|>" },
    );
    expect(s.prediction).toMatchObject({ phase: "streaming", predictor: { id: "cwm-vllm" }, prompt: "<|trace_context_start|>" });
  });

  it("raw text accumulates while streaming", () => {
    const s = run({ type: "prediction/start", runId: "p1", input: CODE }, { type: "prediction/raw", runId: "p1", text: "<|frame" }, { type: "prediction/raw", runId: "p1", text: "_sep|>" });
    expect(s.prediction?.raw).toBe("<|frame_sep|>");
  });

  it("frames of an older prediction are ignored", () => {
    const s = run({ type: "prediction/start", runId: "p1", input: CODE }, { type: "prediction/start", runId: "p2", input: CODE }, { type: "prediction/frames", runId: "p1", frames: [F1] });
    expect(s.prediction?.frames).toEqual([]);
  });

  it("done keeps the final prediction and has no stop reason after EOS", () => {
    const s = run(...prediction());
    expect(s.prediction).toMatchObject({ phase: "done", stopReason: null, error: null, frames: [F1, F2, F3] });
  });

  it("a prediction cut at the token budget says so", () => {
    const s = run({ type: "prediction/start", runId: "p1", input: CODE }, { type: "prediction/done", runId: "p1", final: predicted([F1], { finish: "length", status: "incomplete" }) });
    expect(s.prediction?.phase === "done" && s.prediction.stopReason).toBe("token_budget");
  });

  it("a stream that ended in an error keeps its frames and the message", () => {
    const s = run({ type: "prediction/start", runId: "p1", input: CODE }, { type: "prediction/done", runId: "p1", final: predicted([F1], { finish: "error", status: "incomplete", message: "server closed the stream" }) });
    expect(s.prediction).toMatchObject({ phase: "done", stopReason: "error", error: "server closed the stream", frames: [F1] });
  });

  it("a refused request fails with its message and keeps the frames so far", () => {
    const s = run({ type: "prediction/start", runId: "p1", input: CODE }, { type: "prediction/frames", runId: "p1", frames: [F1] }, { type: "prediction/failed", runId: "p1", error: "HTTP 429" });
    expect(s.prediction).toMatchObject({ phase: "failed", error: "HTTP 429", stopReason: "error", frames: [F1] });
  });

  it("Stop then an aborted request is stopped by the user, not an error", () => {
    const s = run({ type: "prediction/start", runId: "p1", input: CODE }, { type: "stop" }, { type: "prediction/failed", runId: "p1", error: "AbortError" });
    expect(s.prediction).toMatchObject({ phase: "failed", stopReason: "user", error: "stopped by you" });
  });

  it("Stop then a final prediction without EOS is stopped by the user", () => {
    const s = run({ type: "prediction/start", runId: "p1", input: CODE }, { type: "stop" }, { type: "prediction/done", runId: "p1", final: predicted([F1], { finish: "error", status: "incomplete" }) });
    expect(s.prediction?.phase === "done" && s.prediction.stopReason).toBe("user");
  });
});

describe("session reducer: stale results", () => {
  it("a code edit marks both results stale", () => {
    const s = run(...realRun(), ...prediction(), { type: "draft/edit", code: OTHER.code });
    expect(isStale(s, "real")).toBe(true);
    expect(isStale(s, "prediction")).toBe(true);
  });

  it("a call edit marks results stale", () => {
    const s = run(...realRun(), { type: "draft/edit", call: "f(2)" });
    expect(isStale(s, "real")).toBe(true);
  });

  it("editing back to the same code makes results current again", () => {
    const s = run(...realRun(), { type: "draft/edit", code: OTHER.code }, { type: "draft/edit", code: CODE.code });
    expect(isStale(s, "real")).toBe(false);
  });

  it("a Run of new code drops a prediction made for the old code and says so", () => {
    const s = run(...realRun(), ...prediction(), { type: "draft/edit", code: OTHER.code }, { type: "real/start", runId: "r2", input: OTHER });
    expect(s.prediction).toBeNull();
    expect(s.notice).toMatch(/different code/);
  });

  it("a Run of the same code keeps the prediction and the two stay comparable", () => {
    const s = run(...prediction(), { type: "real/start", runId: "r1", input: CODE });
    expect(s.prediction).not.toBeNull();
    expect(comparable(s)).toBe(true);
  });

  it("a Predict of new code drops a run made for the old code", () => {
    const s = run(...realRun(), { type: "prediction/start", runId: "p9", input: OTHER });
    expect(s.real).toBeNull();
  });

  it("results for different code are never comparable", () => {
    const s = run(...prediction("p1", OTHER), { type: "real/start", runId: "r1", input: CODE });
    expect(comparable(s)).toBe(false);
  });

  it("a code edit forgets which example is loaded", () => {
    let s = sessionReducer(initialSession(CODE), { type: "draft/replace", draft: CODE, exampleId: "sum" });
    expect(s.exampleId).toBe("sum");
    s = sessionReducer(s, { type: "draft/edit", code: "x = 1" });
    expect(s.exampleId).toBeNull();
  });

  it("an edit that changes nothing keeps the same state object", () => {
    const s0 = initialSession(CODE);
    expect(sessionReducer(s0, { type: "draft/edit", code: CODE.code })).toBe(s0);
  });
});

describe("session reducer: stored runs and sharing", () => {
  it("loadStored shows both sides as stored, done, with ids no live event can match", () => {
    const s = sessionReducer(initialSession(OTHER), { type: "loadStored", input: CODE, actual: actual([F1, F2, F3]), prediction: predicted([F1, F2, F3]) });
    expect(s.real).toMatchObject({ phase: "done", source: "stored" });
    expect(s.prediction).toMatchObject({ phase: "done", source: "stored" });
    expect(s.draft).toEqual(CODE);
    const late = sessionReducer(s, { type: "real/frames", runId: s.real!.runId, frames: [F1] });
    expect(late).toBe(s);
  });

  it("a stored run is never stale", () => {
    const s = sessionReducer(initialSession(OTHER), { type: "loadStored", input: CODE, actual: actual([F1]), prediction: null });
    expect(isStale(sessionReducer(s, { type: "draft/edit", code: "x" }), "real")).toBe(false);
  });

  it("nothing is shareable before a run", () => {
    expect(shareable(run(...prediction()))).toBe(false);
  });

  it("a finished run of the code in the editor is shareable", () => {
    expect(shareable(run(...realRun()))).toBe(true);
  });

  it("a run of code edited since is not shareable", () => {
    expect(shareable(run(...realRun(), { type: "draft/edit", code: "x = 1" }))).toBe(false);
  });

  it("a batch applies its actions in order", () => {
    const s = run({ type: "batch", actions: realRun() });
    expect(s.real?.phase).toBe("done");
  });
});

describe("comparison selector", () => {
  const withComp = (): SessionState => {
    // A 3.12+ run (inlined comprehension) against a 3.11-style prediction (a <listcomp> scope).
    return run(
      { type: "real/start", runId: "r1", input: CODE },
      { type: "real/done", runId: "r1", trace: actual(inlined()) },
      { type: "prediction/start", runId: "p1", input: CODE },
      { type: "prediction/done", runId: "p1", final: predicted(withListcomp()) },
    );
  };

  it("returns the same view for the same state", () => {
    const select = createComparisonSelector();
    const s = run(...realRun(), ...prediction());
    expect(select(s)).toBe(select({ ...s, cursor: 2 }));
  });

  it("ticking ignore comprehensions changes the metrics", () => {
    const select = createComparisonSelector();
    const s = withComp();
    const before = select(s).metrics;
    const after = select(sessionReducer(s, { type: "options/ignoreComprehensions", value: true })).metrics;
    expect(before).not.toBeNull();
    expect(after).not.toEqual(before);
  });

  it("no metrics when the sides are for different code", () => {
    const select = createComparisonSelector();
    const s = run(...prediction("p1", OTHER), ...realRun());
    expect(select(s).metrics).toBeNull();
  });

  it("a prediction alone says the reality column was not run, with no gap rows", () => {
    const select = createComparisonSelector();
    const v = select(run(...prediction()));
    expect(v.realNote).toBe("not_run");
    expect(v.rows.every((r) => r.kind === "predicted-only")).toBe(true);
  });

  it("a run that could not start says so once", () => {
    const select = createComparisonSelector();
    const s = run({ type: "real/start", runId: "r1", input: CODE }, { type: "real/done", runId: "r1", trace: actual([], { status: "error", error: "SyntaxError: invalid syntax (line 1)" }) }, ...prediction());
    expect(select(s).realNote).toBe("could_not_run");
  });
});
