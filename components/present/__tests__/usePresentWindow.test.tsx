// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { presentChannelName } from "@/lib/classroom/deck";
import { usePresentWindow } from "../usePresentWindow";

afterEach(cleanup);

const SHAPE = [1, 0];
let n = 0;
/** A fresh lesson id per test: channels of one test never reach another's. */
const lessonId = () => `lesson-${process.pid}-${++n}`;

describe("a presentation window keeps two windows in step over a BroadcastChannel", () => {
  it("a move in one window moves the other", async () => {
    const id = lessonId();
    const a = renderHook(() => usePresentWindow(id, SHAPE));
    const b = renderHook(() => usePresentWindow(id, SHAPE));
    act(() => a.result.current.dispatch({ type: "next" }));
    await waitFor(() => expect(b.result.current.state.beat).toEqual({ kind: "code", slide: 0 }));
  });

  it("a window that opens late gets the current state", async () => {
    const id = lessonId();
    const a = renderHook(() => usePresentWindow(id, SHAPE));
    act(() => a.result.current.dispatch({ type: "next" }));
    act(() => a.result.current.dispatch({ type: "next" }));
    const late = renderHook(() => usePresentWindow(id, SHAPE));
    await waitFor(() => expect(late.result.current.state.beat).toEqual({ kind: "question", slide: 0, question: 0, stage: "line" }));
  });

  it("blanking is shared", async () => {
    const id = lessonId();
    const a = renderHook(() => usePresentWindow(id, SHAPE));
    const b = renderHook(() => usePresentWindow(id, SHAPE));
    act(() => b.result.current.dispatch({ type: "toggleBlank" }));
    await waitFor(() => expect(a.result.current.state.blank).toBe(true));
  });

  it("a malformed message is dropped", async () => {
    const id = lessonId();
    const a = renderHook(() => usePresentWindow(id, SHAPE));
    const hostile = new BroadcastChannel(presentChannelName(id));
    hostile.postMessage({ type: "state", beat: { kind: "code", slide: "0; alert(1)" }, blank: false, rev: 99, by: "x" });
    hostile.postMessage("<script>");
    hostile.postMessage({ type: "state", beat: { kind: "code", slide: 1 }, blank: false, rev: 100, by: "x" });
    await waitFor(() => expect(a.result.current.state.beat).toEqual({ kind: "code", slide: 1 }));
    expect(a.result.current.state.rev).toBe(100);
    hostile.close();
  });

  it("other lessons' windows are not followed", async () => {
    const a = renderHook(() => usePresentWindow(lessonId(), SHAPE));
    const b = renderHook(() => usePresentWindow(lessonId(), SHAPE));
    act(() => a.result.current.dispatch({ type: "next" }));
    await new Promise((r) => setTimeout(r, 50));
    expect(b.result.current.state.beat).toEqual({ kind: "title" });
  });
});
