"use client";
import { useMutation } from "@tanstack/react-query";
import { useCallback, useMemo, useRef } from "react";
import { streamPrediction } from "@/lib/predictors/client";
import type { PredictRequest } from "@/lib/predictors/protocol";
import type { PredictionSlot, RunInput } from "@/lib/playground/session";
import type { PredictedTrace, SamplingSettings } from "@/lib/trace/schema";
import type { Dispatch } from "./useSession";
import { newClientId } from "@/lib/playground/ids";

/** A predictor that lives in the browser (recorded generations loaded from a file): it answers at once, nothing is sent. */
export interface LocalPredictor {
  id: string;
  predict(input: RunInput): PredictedTrace | Error;
}

interface Variables {
  request: PredictRequest;
  signal: AbortSignal;
}

/**
 * A prediction is a mutation (POST /api/predict) whose streamed events feed the session reducer
 * as they arrive; the reducer drops events of an older prediction by run id. Each slot (the first
 * prediction, the one compared with it) has its own stream and its own cancel handle.
 */
export function usePredictionStream(dispatch: Dispatch, slot: PredictionSlot = "first", local: LocalPredictor | null = null) {
  // The first slot's actions carry no slot field, exactly as before "Compare with" existed.
  const tag = useMemo(() => (slot === "second" ? { slot } : {}), [slot]);
  // The in-flight request's cancel handle: a resource, not screen state.
  const abort = useRef<AbortController | null>(null);
  const mutation = useMutation({
    mutationFn: ({ request, signal }: Variables) =>
      streamPrediction(
        request,
        (e) => {
          if (e.type === "start") dispatch({ type: "prediction/meta", runId: e.runId, predictor: e.predictor, settings: e.settings, prompt: e.prompt, ...tag });
          else if (e.type === "frame") dispatch({ type: "prediction/frames", runId: e.runId, frames: [e.frame], ...tag });
          else if (e.type === "raw") dispatch({ type: "prediction/raw", runId: e.runId, text: e.text, ...tag });
        },
        signal,
      ),
    onSuccess: (final, { request }) => dispatch({ type: "prediction/done", runId: request.runId, final, ...tag }),
    onError: (err, { request }) =>
      dispatch({ type: "prediction/failed", runId: request.runId, error: err instanceof Error ? err.message : String(err), ...tag }),
  });
  const { mutate } = mutation;

  const start = useCallback(
    (input: RunInput, predictor: string, settings: Partial<SamplingSettings> | undefined): string => {
      abort.current?.abort();
      const runId = newClientId();
      dispatch({ type: "prediction/start", runId, input, ...tag });
      if (local && predictor === local.id) {
        abort.current = null;
        const trace = local.predict(input);
        if (trace instanceof Error) dispatch({ type: "prediction/failed", runId, error: trace.message, ...tag });
        else {
          dispatch({ type: "prediction/meta", runId, predictor: trace.predictor, settings: null, prompt: trace.prompt ?? null, ...tag });
          dispatch({ type: "prediction/frames", runId, frames: trace.frames, ...tag });
          dispatch({ type: "prediction/done", runId, final: trace, ...tag });
        }
        return runId;
      }
      const controller = new AbortController();
      abort.current = controller;
      mutate({
        request: { runId, predictor, code: input.code, call: input.call.trim() === "" ? null : input.call, ...(settings ? { settings } : {}) },
        signal: controller.signal,
      });
      return runId;
    },
    [dispatch, mutate, tag, local],
  );

  const stop = useCallback(() => abort.current?.abort(), []);
  return { start, stop };
}
