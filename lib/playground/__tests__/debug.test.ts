import { describe, expect, it } from "vitest";
import { actual, exc, sumTrace } from "@/lib/compare/__tests__/build";
import { buildProgram } from "@/lib/cwm/program";
import { runVerb, type DebugState, type StepFn } from "@/lib/debugger/engine";
import { canonicalFrames, type StepFrame } from "@/lib/debugger/frames";
import { createComparisonSelector } from "@/lib/playground/comparison";
import { createDebugViewSelector, editTarget, pairedReal, type DebugAction } from "@/lib/playground/debug";
import { initialSession, sessionReducer, type SessionAction, type SessionState } from "@/lib/playground/session";
import type { CanonicalTrace } from "@/lib/trace/schema";

const CODE = "def f(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s";
const INPUT = { code: CODE, call: "f(2)" };
const REAL = sumTrace(2);
const PREDICTOR = { id: "cwm-vllm", model: null };

// The model's frames as it writes them (".." for a value unchanged in the scope).
const M: StepFrame[] = [
  { event: "line", source: "    return f(2)", locals: {} },
  { event: "call", source: "def f(n):", locals: { n: "2" } },
  { event: "line", source: "    s = 0", locals: { n: ".." } },
  { event: "line", source: "    for i in range(n):", locals: { n: "..", s: "0" } },
];

function stateWith(n: number): DebugState {
  return { frames: M.slice(0, n), paired: Array.from({ length: n + 1 }, (_, i) => i), done: false, note: null, edits: [] };
}

const run = (...actions: SessionAction[]): SessionState => actions.reduce(sessionReducer, initialSession(INPUT));
const realRun = (runId = "r1", trace: CanonicalTrace = actual(REAL)): SessionAction[] => [
  { type: "real/start", runId, input: INPUT },
  { type: "real/frames", runId, frames: trace.frames },
  { type: "real/done", runId, trace },
];
const start: DebugAction = { type: "debug/start", input: INPUT, predictorId: "cwm-vllm", predictorLabel: "CWM (vLLM)" };
/** A debug session, reality run, the model stepped `n` frames by one verb. */
const stepped = (n: number): SessionState =>
  run(start, ...realRun(), { type: "debug/verb", runId: "v1", verb: "step" }, { type: "debug/result", runId: "v1", state: stateWith(n) });
const editedTrace = (repr: string | null, error?: string): CanonicalTrace =>
  actual(REAL, { edit: { at: 4, name: "s", value: "7", applied: repr !== null, ...(repr !== null ? { repr } : {}), ...(error ? { error } : {}) } });
/** Edits at the current frame of `from`, as the hook does: the bridge starts the re-run first. */
const edit = (from: SessionState, value: string, name: string, ...then: SessionAction[]): SessionState =>
  [
    { type: "real/start", runId: "r2", input: INPUT } as SessionAction,
    { type: "debug/edit", realRunId: "r2", index: 3, at: 4, name, value, before: from.real } as SessionAction,
    ...then,
  ].reduce(sessionReducer, from);
const realDone = (trace: CanonicalTrace, runId = "r2"): SessionAction => ({ type: "real/done", runId, trace });
const view = (s: SessionState) => createDebugViewSelector()(s);

describe("debug session: starting", () => {
  it("starts at the entry frame: the model column holds only the seeded call frame", () => {
    const v = view(run(start, ...realRun()));
    expect(v.state.prediction?.frames.map((f) => f.source)).toEqual(["def main():"]);
    expect(v.state.real?.frames).toEqual([REAL[0]]);
  });

  it("outside a debug session the view is the session itself", () => {
    const s = run(...realRun());
    expect(view(s).state).toBe(s);
  });

  it("ending the session gives the screen back to Run and Predict", () => {
    expect(run(start, { type: "debug/end" }).debug).toBeNull();
  });
});

describe("debug session: verbs and run ids", () => {
  it("a verb in flight is stepping", () => {
    const s = run(start, { type: "debug/verb", runId: "v1", verb: "next" });
    expect(s.debug?.phase).toEqual({ phase: "stepping", verb: "next" });
  });

  it("a late answer of an older verb is dropped", () => {
    const s = run(
      start,
      { type: "debug/verb", runId: "v1", verb: "continue" },
      { type: "debug/verb", runId: "v2", verb: "step" },
      { type: "debug/result", runId: "v1", state: stateWith(4) },
    );
    expect(s.debug?.state.frames).toEqual([]);
    expect(s.debug?.phase.phase).toBe("stepping");
  });

  it("late progress of an older verb is dropped", () => {
    const s = run(
      start,
      { type: "debug/verb", runId: "v1", verb: "continue" },
      { type: "debug/verb", runId: "v2", verb: "step" },
      { type: "debug/progress", runId: "v1", state: stateWith(2) },
    );
    expect(s.debug?.state.frames).toEqual([]);
  });

  it("progress of the current verb shows its frames at once", () => {
    const s = run(start, { type: "debug/verb", runId: "v1", verb: "continue" }, { type: "debug/progress", runId: "v1", state: stateWith(2) });
    expect(s.debug?.state.frames).toHaveLength(2);
  });

  it("the cursor follows the last frame", () => {
    const s = stepped(3);
    const v = view(s);
    const cmp = createComparisonSelector()(v.state);
    expect(Math.min(s.cursor, cmp.rows.length - 1)).toBe(cmp.rows.length - 1);
  });

  it("a failure keeps the frames so far and says why", () => {
    const s = run(
      start,
      { type: "debug/verb", runId: "v1", verb: "continue" },
      { type: "debug/progress", runId: "v1", state: stateWith(2) },
      { type: "debug/failed", runId: "v1", message: "the predictor cannot step" },
    );
    expect(s.debug?.state.frames).toHaveLength(2);
    expect(s.debug?.phase).toEqual({ phase: "failed", message: "the predictor cannot step" });
  });

  it("a stopped verb keeps its frames and is idle again", () => {
    const s = run(
      start,
      { type: "debug/verb", runId: "v1", verb: "continue" },
      { type: "debug/progress", runId: "v1", state: stateWith(2) },
      { type: "debug/stopped", runId: "v1" },
    );
    expect(s.debug?.phase.phase).toBe("idle");
    expect(s.debug?.state.frames).toHaveLength(2);
  });

  it("the provenance of the answer names the backend and model", () => {
    const predictor = { id: "cwm-vllm", label: "CWM (vLLM)", kind: "cwm" as const, model: "facebook/cwm" };
    const s = run(start, { type: "debug/verb", runId: "v1", verb: "step" }, { type: "debug/provenance", runId: "v1", predictor });
    expect(view(s).predictor).toEqual({ id: "cwm-vllm", label: "CWM (vLLM)", model: "facebook/cwm" });
  });

  it("a breakpoint is kept for Continue to line", () => {
    expect(run(start, { type: "debug/breakpoint", line: 4 }).debug?.breakpoint).toBe(4);
  });
});

describe("debug view: the two columns", () => {
  it("the model column is canonicalFrames of the stepped frames", () => {
    const v = view(stepped(4));
    expect(v.state.prediction?.frames).toEqual(canonicalFrames(buildProgram(CODE, "f(2)"), M, PREDICTOR));
  });

  it("the real column is the real frames at the paired indices", () => {
    const v = view(stepped(4));
    expect(v.state.real?.frames).toEqual(REAL.slice(0, 5));
  });

  it("a real frame paired twice (reality ended first) is shown once", () => {
    expect(pairedReal(REAL.slice(0, 3), [0, 1, 2, 2, 2]).frames).toEqual(REAL.slice(0, 3));
  });

  it("the rows line up frame by frame and compare as equal", () => {
    const cmp = createComparisonSelector()(view(stepped(4)).state);
    expect(cmp.rows.map((r) => r.kind)).toEqual(["match", "match", "match", "match", "match"]);
    expect(cmp.firstDivergenceRow).toBeNull();
  });

  it("the same state gives the same columns (the comparison is not recomputed)", () => {
    const select = createDebugViewSelector();
    const s = stepped(4);
    const a = select(s);
    const b = select({ ...s, cursor: 2 });
    expect(b.state.prediction).toBe(a.state.prediction);
    expect(b.state.real).toBe(a.state.real);
  });

  it("back pops both sides", async () => {
    const step: StepFn = async () => ({ end: "eos" });
    const deps = { program: buildProgram(CODE, "f(2)"), predictor: PREDICTOR, step, real: () => REAL };
    const back = await runVerb(stateWith(4), { verb: "back" }, deps, new AbortController().signal);
    const s = run(start, ...realRun(), { type: "debug/verb", runId: "v1", verb: "back" }, { type: "debug/result", runId: "v1", state: back });
    const v = view(s);
    expect(v.state.prediction?.frames).toHaveLength(4);
    expect(v.state.real?.frames).toEqual(REAL.slice(0, 4));
  });

  it("an ended model trace is a finished prediction with its outcome", () => {
    const s = run(start, { type: "debug/verb", runId: "v1", verb: "continue" }, { type: "debug/result", runId: "v1", state: { ...stateWith(0), done: true } });
    expect(view(s).state.prediction).toMatchObject({ phase: "done", final: { finish: "eos" } });
  });
});

describe("debug session: edit (the counterfactual)", () => {
  it("the edit goes at the current model frame and its paired real frame", () => {
    expect(editTarget(stepped(4).debug!)).toEqual({ index: 3, at: 4 });
  });

  it("the entry frame cannot be edited", () => {
    expect(editTarget(run(start).debug!)).toMatchObject({ error: expect.stringContaining("Step into the program first") });
  });

  it("a return frame cannot be edited", () => {
    const s = run(
      start,
      { type: "debug/verb", runId: "v1", verb: "step" },
      { type: "debug/result", runId: "v1", state: { ...stateWith(0), frames: [{ event: "return", source: "    return s", value: "1" }], paired: [0, 1] } },
    );
    expect(editTarget(s.debug!)).toMatchObject({ error: expect.stringContaining("return frame") });
  });

  it("while reality re-runs, the session is editing and remembers the unedited run", () => {
    const before = stepped(4);
    const s = edit(before, "7", "s");
    expect(s.debug?.phase.phase).toBe("editing");
    expect(s.debug?.unedited?.real).toBe(before.real);
  });

  it("the edit marks the frame on both sides with the repr the sandbox made", () => {
    const s = edit(stepped(4), "7", "s", realDone(editedTrace("7")));
    expect(s.debug?.state.frames[3].locals).toEqual({ n: "..", s: "7" });
    const v = view(s);
    expect(v.badges.predicted.get(4)).toBe("edited: s = 7");
    expect(v.badges.actual.get(4)).toBe("edited: s = 7");
  });

  it("a second edit is refused until the unedited run is back", () => {
    const s = edit(stepped(4), "7", "s", realDone(editedTrace("7")));
    expect(editTarget(s.debug!)).toMatchObject({ error: expect.stringContaining("one edit per run") });
  });

  it("when reality cannot apply it, the literal's repr goes to the model side and the reason is said", () => {
    const s = edit(stepped(4), "7", "s", realDone(editedTrace(null, "no local s")));
    expect(s.debug?.state.frames[3].locals?.s).toBe("7");
    expect(s.debug?.message).toContain("no local s");
    expect(view(s).badges.actual.get(4)).toBe("edit not applied: no local s");
  });

  it("when reality cannot apply it and it is not a plain literal, the edit is refused and nothing changes", () => {
    const before = stepped(4);
    const s = edit(before, "{1: 2}", "s", realDone(editedTrace(null, "no local s")));
    expect(s.debug?.phase).toMatchObject({ phase: "failed", message: expect.stringContaining("nothing was changed") });
    expect(s.debug?.state).toBe(before.debug?.state);
    expect(s.real).toBe(before.real);
  });

  it("back to the unedited run restores both sides", () => {
    const before = stepped(4);
    const s = edit(before, "7", "s", realDone(editedTrace("7")), { type: "debug/restore" });
    expect(s.debug?.state).toBe(before.debug?.state);
    expect(s.real).toBe(before.real);
    expect(s.debug?.edit).toBeNull();
    expect(view(s).badges.predicted.size).toBe(0);
  });

  it("an ordinary run ending during the edit does not apply it", () => {
    const s = edit(stepped(4), "7", "s", realDone(editedTrace("7"), "r1"));
    expect(s.debug?.phase.phase).toBe("editing");
  });

  it("an edit that raises on the real side still shows both continuations", () => {
    const raising = actual([...REAL.slice(0, 5), exc("    for i in range(n):", "TypeError('bad')")], {
      status: "raised",
      error: "TypeError: bad",
      edit: { at: 4, name: "n", value: "'x'", applied: true, repr: "'x'" },
    });
    const s = edit(stepped(4), "'x'", "n", realDone(raising));
    expect(s.debug?.state.frames[3].locals?.n).toBe("'x'");
    expect(view(s).badges.actual.get(4)).toBe("edited: n = 'x'");
  });
});
