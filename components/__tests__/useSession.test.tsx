// @vitest-environment happy-dom
import { act, renderHook } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { actual, inlined, predicted, withListcomp } from "@/lib/compare/__tests__/build";
import { initialSession } from "@/lib/playground/session";
import { useSession } from "../useSession";

const INPUT = { code: "def f(s):\n    return [c.upper() for c in s]", call: "f('ab')" };

function loaded() {
  const hook = renderHook(() => useSession(() => initialSession(INPUT)));
  act(() => hook.result.current.dispatch({ type: "loadStored", input: INPUT, actual: actual(inlined()), prediction: predicted(withListcomp()) }));
  return hook;
}

describe("useSession: the comparison follows its options", () => {
  it("ticking ignore comprehensions recomputes the metrics", () => {
    const { result } = loaded();
    const before = result.current.comparison.metrics;
    expect(before?.action_exact).toBeLessThan(1);
    act(() => result.current.dispatch({ type: "options/ignoreComprehensions", value: true }));
    expect(result.current.comparison.metrics?.action_exact).toBe(1);
    act(() => result.current.dispatch({ type: "options/ignoreComprehensions", value: false }));
    expect(result.current.comparison.metrics).toEqual(before);
  });

  it("moving the cursor does not recompute the comparison", () => {
    const { result } = loaded();
    const view = result.current.comparison;
    act(() => result.current.dispatch({ type: "cursor/move", to: 3 }));
    expect(result.current.comparison).toBe(view);
  });

  it("streamed frames are applied on the next animation frame, in order, before any other action", async () => {
    const { result } = renderHook(() => useSession(() => initialSession(INPUT)));
    const frames = actual(inlined()).frames;
    act(() => {
      result.current.dispatch({ type: "real/start", runId: "r1", input: INPUT });
      result.current.dispatch({ type: "real/frames", runId: "r1", frames: frames.slice(0, 2) });
    });
    expect(result.current.state.real?.frames).toHaveLength(0);
    act(() => {
      result.current.dispatch({ type: "real/frames", runId: "r1", frames: frames.slice(2) });
      // A non-streamed action flushes the queued frames first.
      result.current.dispatch({ type: "real/done", runId: "r1", trace: actual(frames) });
    });
    expect(result.current.state.real).toMatchObject({ phase: "done", frames });
  });
});
