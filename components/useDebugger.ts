"use client";
import { useCallback, useEffect, useRef } from "react";
import { buildProgram } from "@/lib/cwm/program";
import { httpStepFn } from "@/lib/debugger/client";
import { runVerb, type Verb } from "@/lib/debugger/engine";
import type { EditSpec } from "@/lib/executor/protocol";
import { editTarget } from "@/lib/playground/debug";
import type { RunInput, SessionState } from "@/lib/playground/session";
import type { SamplingSettings } from "@/lib/trace/schema";
import type { Dispatch } from "./useSession";
import { newClientId } from "@/lib/playground/ids";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Drives a debug session: each verb is one engine run over POST /api/predict/step with its own
 * run id (the reducer drops answers of an older verb); an edit re-runs reality with the edit and
 * the reducer hands the sandbox's repr to the model side when that run ends.
 */
export function useDebugger(
  state: SessionState,
  dispatch: Dispatch,
  run: (input: RunInput, edit?: EditSpec) => string,
  settings: Partial<SamplingSettings> | undefined,
) {
  // The latest state for callbacks that outlive a render (the engine asks for the real frames mid-verb).
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
  });
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const start = useCallback(
    (input: RunInput, predictorId: string, predictorLabel: string | null) => {
      abort.current?.abort();
      dispatch({ type: "debug/start", input, predictorId, predictorLabel });
      run(input);
    },
    [dispatch, run],
  );

  const verb = useCallback(
    (v: Verb) => {
      const d = latest.current.debug;
      if (!d) return;
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      const runId = newClientId();
      dispatch({ type: "debug/verb", runId, verb: v.verb });
      const call = d.input.call.trim() === "" ? null : d.input.call;
      const step = httpStepFn({
        runId,
        predictor: d.predictorId,
        code: d.input.code,
        call,
        ...(settings ? { settings } : {}),
        onResponse: (r) => dispatch({ type: "debug/provenance", runId, predictor: r.predictor }),
      });
      const real = () => {
        const r = latest.current.real;
        return r && r.input.code === d.input.code ? r.frames : null;
      };
      runVerb(
        d.state,
        v,
        {
          program: buildProgram(d.input.code, call),
          predictor: { id: d.predictorId, model: null },
          step,
          real,
          onProgress: (s) => dispatch({ type: "debug/progress", runId, state: s }),
        },
        controller.signal,
      ).then(
        (s) => dispatch({ type: "debug/result", runId, state: s }),
        (err: unknown) => {
          if (controller.signal.aborted) dispatch({ type: "debug/stopped", runId });
          else dispatch({ type: "debug/failed", runId, message: err instanceof Error ? err.message : String(err) });
        },
      );
    },
    [dispatch, settings],
  );

  const stop = useCallback(() => abort.current?.abort(), []);

  /** Sets `name` to the Python literal `value` at the current frame, on both sides. */
  const edit = useCallback(
    (name: string, value: string): string | null => {
      const d = latest.current.debug;
      if (!d) return "Start a debug session first.";
      const n = name.trim();
      const v = value.trim();
      if (!IDENTIFIER.test(n)) return "The name must be a Python identifier, e.g. s or total.";
      if (v === "") return "Write a Python literal, e.g. 7, 'abc' or [1, 2].";
      const target = editTarget(d);
      if ("error" in target) return target.error;
      const before = latest.current.real;
      const realRunId = run(d.input, { at: target.at, name: n, value: v });
      dispatch({ type: "debug/edit", realRunId, index: target.index, at: target.at, name: n, value: v, before });
      return null;
    },
    [dispatch, run],
  );

  return { start, verb, stop, edit };
}
