"use client";
import { useCallback, useEffect, useRef } from "react";
import { createBrowserExecutor } from "@/lib/executor/browser";
import type { EditSpec } from "@/lib/executor/protocol";
import type { Executor } from "@/lib/executor/types";
import type { RunInput } from "@/lib/playground/session";
import type { Dispatch } from "./useSession";

/**
 * Connects the worker-backed executor to the session reducer: its phase and every event of a
 * run become actions (the reducer drops events of older runs). With `autoLoad` the interpreter
 * starts loading on mount; otherwise (a shared run) no worker exists until Run is pressed.
 */
export function useExecutorBridge(dispatch: Dispatch, autoLoad: boolean) {
  // The executor is an external resource (workers), not screen state.
  const executor = useRef<Executor | null>(null);

  const ensure = useCallback((): Executor => {
    if (executor.current) return executor.current;
    const ex = createBrowserExecutor();
    executor.current = ex;
    ex.subscribe((e) => {
      switch (e.type) {
        case "phase":
          return dispatch({ type: "interpreter", phase: e.state });
        case "frames":
          return dispatch({ type: "real/frames", runId: e.runId, frames: e.frames });
        case "stdout":
          return dispatch({ type: "real/stdout", runId: e.runId, text: e.text });
        case "done":
          return dispatch({ type: "real/done", runId: e.runId, trace: e.trace });
      }
    });
    ex.load();
    return ex;
  }, [dispatch]);

  useEffect(() => {
    if (autoLoad) ensure();
    return () => {
      executor.current?.dispose();
      executor.current = null;
    };
  }, [autoLoad, ensure]);

  const run = useCallback(
    (input: RunInput, edit?: EditSpec): string => {
      const { runId } = ensure().run({ code: input.code, call: input.call, ...(edit ? { edit } : {}) });
      dispatch({ type: "real/start", runId, input });
      return runId;
    },
    [dispatch, ensure],
  );

  const stop = useCallback(() => executor.current?.stop(), []);
  return { run, stop };
}
