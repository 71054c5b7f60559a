import { describe, expect, it } from "vitest";
import { actual, call, line, predicted, ret } from "@/lib/compare/__tests__/build";
import { createComparisonSelector } from "@/lib/playground/comparison";
import { createDualComparisonSelector } from "@/lib/playground/dual";
import { stepView } from "@/lib/playground/step";
import { comparable, initialSession, isPredicting, isStale, sessionReducer, type SessionAction, type SessionState } from "@/lib/playground/session";

const CODE = { code: "def f(n):\n    return n", call: "f(1)" };
const OTHER = { code: "def f(n):\n    return n + 1", call: "f(1)" };
const F1 = call("def f(n):", { n: "1" });
const F2 = line("    return n", { n: "1" });
const F3 = ret("    return n", "1");
const WRONG = line("    return n", { n: "2" });
const EXTRA = line("    pass", { n: "1" });

const run = (...actions: SessionAction[]): SessionState => actions.reduce(sessionReducer, initialSession(CODE));
const realRun = (runId = "r1", input = CODE): SessionAction[] => [
  { type: "real/start", runId, input },
  { type: "real/done", runId, trace: actual([F1, F2, F3]) },
];
const first = (frames = [F1, F2, F3], runId = "p1", input = CODE): SessionAction[] => [
  { type: "prediction/start", runId, input },
  { type: "prediction/done", runId, final: predicted(frames, { predictor: { id: "cwm-vllm", model: "facebook/cwm", label: "CWM (vLLM)" } }) },
];
const second = (frames = [F1, F2, F3], runId = "q1", input = CODE): SessionAction[] => [
  { type: "prediction/start", runId, input, slot: "second" },
  {
    type: "prediction/done",
    runId,
    final: predicted(frames, { predictor: { id: "chat:qwen", model: "qwen2.5-coder:7b", label: "qwen2.5-coder:7b via Ollama" } }),
    slot: "second",
  },
];

describe("session reducer: a second prediction (Compare with)", () => {
  it("a new session has no second prediction", () => {
    expect(initialSession(CODE).second).toBeNull();
  });

  it("actions without a slot fill the first prediction only", () => {
    const s = run(...first());
    expect(s.prediction?.phase).toBe("done");
    expect(s.second).toBeNull();
  });

  it("actions with the second slot fill the second prediction only", () => {
    const s = run(...first(), ...second([F1, F3]));
    expect(s.second).toMatchObject({ phase: "done", frames: [F1, F3] });
    expect(s.prediction?.frames).toEqual([F1, F2, F3]);
  });

  it("frames of the second slot with the first slot's run id are dropped", () => {
    const s = run(
      { type: "prediction/start", runId: "p1", input: CODE },
      { type: "prediction/start", runId: "q1", input: CODE, slot: "second" },
      { type: "prediction/frames", runId: "p1", frames: [F1], slot: "second" },
    );
    expect(s.second?.frames).toEqual([]);
  });

  it("late events of an older second prediction are dropped", () => {
    const s = run(
      { type: "prediction/start", runId: "q1", input: CODE, slot: "second" },
      { type: "prediction/start", runId: "q2", input: CODE, slot: "second" },
      { type: "prediction/frames", runId: "q1", frames: [F1], slot: "second" },
      { type: "prediction/failed", runId: "q1", error: "late", slot: "second" },
    );
    expect(s.second).toMatchObject({ phase: "streaming", runId: "q2", frames: [] });
  });

  it("a new first prediction clears the second", () => {
    const s = run(...first(), ...second(), { type: "prediction/start", runId: "p2", input: CODE });
    expect(s.second).toBeNull();
  });

  it("a second prediction's failure keeps its frames and leaves the first alone", () => {
    const s = run(
      ...first(),
      { type: "prediction/start", runId: "q1", input: CODE, slot: "second" },
      { type: "prediction/frames", runId: "q1", frames: [F1], slot: "second" },
      { type: "prediction/failed", runId: "q1", error: "server unreachable", slot: "second" },
    );
    expect(s.second).toMatchObject({ phase: "failed", error: "server unreachable", frames: [F1] });
    expect(s.prediction?.phase).toBe("done");
  });

  it("Stop marks both streaming predictions as stopping", () => {
    const s = run(
      { type: "prediction/start", runId: "p1", input: CODE },
      { type: "prediction/start", runId: "q1", input: CODE, slot: "second" },
      { type: "stop" },
    );
    expect(s.prediction).toMatchObject({ stopping: true });
    expect(s.second).toMatchObject({ stopping: true });
  });

  it("a second prediction still streaming counts as predicting", () => {
    const s = run(...first(), { type: "prediction/start", runId: "q1", input: CODE, slot: "second" });
    expect(isPredicting(s)).toBe(true);
  });

  it("a Run of other code clears both finished predictions", () => {
    const s = run(...first(), ...second(), { type: "real/start", runId: "r1", input: OTHER });
    expect(s.prediction).toBeNull();
    expect(s.second).toBeNull();
  });

  it("a Run of the same code keeps both predictions, each comparable", () => {
    const s = run(...first(), ...second(), ...realRun());
    expect(comparable(s)).toBe(true);
    expect(comparable(s, "second")).toBe(true);
  });

  it("a code edit marks the second prediction stale", () => {
    const s = run(...first(), ...second(), { type: "draft/edit", code: OTHER.code });
    expect(isStale(s, "second")).toBe(true);
  });

  it("loading a stored run clears the second prediction", () => {
    const s = run(...first(), ...second(), { type: "loadStored", input: CODE, actual: actual([F1, F2, F3]), prediction: null });
    expect(s.second).toBeNull();
  });

  it("starting Debug clears the second prediction (the debugger steps the first predictor only)", () => {
    const s = run(...first(), ...second(), { type: "debug/start", input: CODE, predictorId: "cwm-vllm", predictorLabel: "CWM (vLLM)" });
    expect(s.second).toBeNull();
    expect(s.debug).not.toBeNull();
  });
});

describe("comparison selectors with a second prediction", () => {
  it("the second selector scores reality against the second slot", () => {
    const s = run(...realRun(), ...first(), ...second([F1, WRONG, F3]));
    const v = createComparisonSelector("second")(s);
    expect(v.metrics?.state_exact).toBeLessThan(1);
    expect(createComparisonSelector()(s).metrics?.state_exact).toBe(1);
  });

  it("without a second prediction the combined view is exactly the first comparison", () => {
    const s = run(...realRun(), ...first());
    const v = createDualComparisonSelector()(s);
    expect(v).toEqual(createComparisonSelector()(s));
    expect(v.second).toBeUndefined();
  });

  it("with a second prediction, each row carries the second's cell and the first's frame", () => {
    const s = run(...realRun(), ...first(), ...second());
    const v = createDualComparisonSelector()(s);
    expect(v.rows.map((r) => [r.a, r.p])).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    expect(v.second?.cells.map((c) => c?.p)).toEqual([0, 1, 2]);
  });

  it("a frame only the second prediction has gets its own row, a gap in the first", () => {
    const s = run(...realRun(), ...first(), ...second([F1, EXTRA, F2, F3]));
    const v = createDualComparisonSelector()(s);
    expect(v.rows.length).toBe(v.second!.cells.length);
    const extra = v.rows.findIndex((r) => r.a === null);
    expect(extra).toBeGreaterThan(-1);
    expect(v.rows[extra].p).toBeNull();
    expect(v.second!.cells[extra]).toMatchObject({ matched: false });
  });

  it("each prediction is scored on its own", () => {
    const s = run(...realRun(), ...first(), ...second([F1, WRONG, F3]));
    const v = createDualComparisonSelector()(s);
    expect(v.metrics?.state_exact).toBe(1);
    expect(v.second?.metrics?.state_exact).toBeLessThan(1);
  });

  it("the second prediction's first divergence is a row of the merged rows", () => {
    const s = run(...realRun(), ...first(), ...second([F1, WRONG, F3]));
    const v = createDualComparisonSelector()(s);
    expect(v.firstDivergenceRow).toBeNull();
    expect(v.second?.firstDivergenceRow).toBe(1);
  });

  it("the same state gives the same combined view object", () => {
    const select = createDualComparisonSelector();
    const s = run(...realRun(), ...first(), ...second());
    expect(select(s)).toBe(select({ ...s, cursor: 2 }));
  });

  it("predictions without a run pair up frame by frame", () => {
    const s = run(...first([F1, F2, F3]), ...second([F1, F3]));
    const v = createDualComparisonSelector()(s);
    expect(v.rows.map((r) => r.p)).toEqual([0, 1, 2]);
    expect(v.second?.cells.map((c) => c?.p ?? null)).toEqual([0, 1, null]);
  });

  it("the cursor's row gives the second prediction's frame and says it to screen readers", () => {
    const s = run(...realRun(), ...first(), ...second([F1, WRONG, F3]), { type: "cursor/move", to: 1 });
    const step = stepView(s, createDualComparisonSelector()(s));
    expect(step.secondFrame).toEqual(WRONG);
    expect(step.announcement).toContain("second prediction: ");
  });

  it("with one prediction the step has no second frame", () => {
    const s = run(...realRun(), ...first());
    expect(stepView(s, createDualComparisonSelector()(s)).secondFrame).toBeNull();
  });
});
