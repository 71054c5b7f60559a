"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { createBrowserExecutor } from "@/lib/executor/browser";
import type { Executor, ExecutorPhase, RunInput } from "@/lib/executor/types";
import type { CanonicalTrace } from "@/lib/trace/schema";
import { useBatchedFrames } from "./useBatchedFrames";

export interface ActualRun {
  runId: string;
  stdout: string;
  /** The final trace; null while the program runs. */
  trace: CanonicalTrace | null;
}

/**
 * The real execution: owns the worker-backed executor and the frames of the current run.
 * With `autoLoad` the interpreter starts loading on mount; otherwise (a shared run) no worker
 * exists until the visitor presses Run.
 */
export function useExecutor(autoLoad: boolean) {
  const executor = useRef<Executor | null>(null);
  const unsubscribe = useRef<(() => void) | null>(null);
  const current = useRef<string | null>(null);
  const [phase, setPhase] = useState<ExecutorPhase>({ phase: "idle" });
  const [run, setRun] = useState<ActualRun | null>(null);
  const batched = useBatchedFrames();
  const { push, flush, reset } = batched;

  const ensure = useCallback((): Executor => {
    if (executor.current) return executor.current;
    const ex = createBrowserExecutor();
    executor.current = ex;
    unsubscribe.current = ex.subscribe((e) => {
      if (e.type === "phase") return setPhase(e.state);
      // Events of an older run (a late batch after Stop or a new Run) are dropped here.
      if (e.runId !== current.current) return;
      if (e.type === "frames") push(e.frames);
      else if (e.type === "stdout") setRun((r) => (r && r.runId === e.runId ? { ...r, stdout: r.stdout + e.text } : r));
      else if (e.type === "done") {
        flush();
        reset(e.trace.frames);
        setRun((r) => (r && r.runId === e.runId ? { ...r, stdout: e.trace.stdout, trace: e.trace } : r));
      }
    });
    ex.load();
    return ex;
  }, [push, flush, reset]);

  useEffect(() => {
    if (autoLoad) ensure();
    return () => {
      unsubscribe.current?.();
      executor.current?.dispose();
      executor.current = null;
    };
  }, [autoLoad, ensure]);

  const start = useCallback(
    (input: RunInput): string => {
      const ex = ensure();
      reset();
      const handle = ex.run(input);
      current.current = handle.runId;
      setRun({ runId: handle.runId, stdout: "", trace: null });
      return handle.runId;
    },
    [ensure, reset],
  );

  const stop = useCallback(() => executor.current?.stop(), []);

  /** Show a stored trace (a shared run) without executing anything. */
  const show = useCallback(
    (trace: CanonicalTrace) => {
      current.current = null;
      reset(trace.frames);
      setRun({ runId: "stored", stdout: trace.stdout, trace });
    },
    [reset],
  );

  return { phase, run, frames: batched.frames, start, stop, show };
}
