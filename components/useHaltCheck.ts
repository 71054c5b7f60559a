"use client";
import { useMutation } from "@tanstack/react-query";
import { useCallback, useReducer, useRef } from "react";
import { AppError } from "@/lib/http/errors";
import { streamHalt } from "@/lib/predictors/halt-client";
import { HALT_IDLE, haltReducer, type HaltInput } from "@/lib/predictors/halt-state";
import { newClientId } from "@/lib/playground/ids";

interface Variables {
  runId: string;
  input: HaltInput;
  predictor: string;
  signal: AbortSignal;
}

/**
 * "Will it halt?" as a mutation (POST /api/halt) whose streamed events feed a reducer; a new
 * question aborts the previous one and the reducer drops its late events by run id.
 */
export function useHaltCheck() {
  const [state, dispatch] = useReducer(haltReducer, HALT_IDLE);
  const abort = useRef<AbortController | null>(null);
  const { mutate } = useMutation({
    mutationFn: ({ runId, input, predictor, signal }: Variables) =>
      streamHalt({ runId, predictor, code: input.code, call: input.call.trim() === "" ? null : input.call }, (event) => dispatch({ type: "event", event }), signal),
    onSuccess: (out, { runId }) => dispatch({ type: "finished", runId, verdict: out.verdict, finish: out.finish, ...(out.message ? { message: out.message } : {}) }),
    onError: (err, { runId }) =>
      dispatch({ type: "refused", runId, code: err instanceof AppError ? err.code : "internal", message: err instanceof Error ? err.message : String(err) }),
  });

  const ask = useCallback(
    (input: HaltInput, predictor: string) => {
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      const runId = newClientId();
      dispatch({ type: "ask", runId, input });
      mutate({ runId, input, predictor, signal: controller.signal });
    },
    [mutate],
  );

  const stop = useCallback(() => {
    dispatch({ type: "stop" });
    abort.current?.abort();
  }, []);

  return { state, ask, stop };
}
