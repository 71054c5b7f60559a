"use client";
import { useCallback, useMemo, useState } from "react";
import { parseRecorded, recordedPrediction, RECORDED_ID, RECORDED_LABEL, type RecordedSet } from "@/lib/classroom/recorded";
import type { PredictorListing } from "@/lib/predictors/protocol";
import type { PredictionSlot, RunInput } from "@/lib/playground/session";
import type { Dispatch } from "./useSession";

function newRunId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/**
 * Recorded CWM generations loaded from a file in the browser: offered as one more predictor
 * ("CWM (recorded)" with the file's name) whose predictions are read locally, never sent to the
 * server. They enter the session through the same actions as a streamed prediction.
 */
export function useRecordedPredictions(dispatch: Dispatch) {
  const [set, setSet] = useState<RecordedSet | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (file: File) => {
    try {
      const next = parseRecorded(await file.text(), file.name);
      setSet(next);
      setError(null);
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return false;
    }
  }, []);

  const unload = useCallback(() => {
    setSet(null);
    setError(null);
  }, []);

  const listing: PredictorListing | null = useMemo(
    () => (set ? { id: RECORDED_ID, label: `${RECORDED_LABEL} · ${set.fileName}`, kind: "replay", available: true, model: set.fileName } : null),
    [set],
  );

  /** A prediction from the file: every frame at once, or a failure naming the file. */
  const start = useCallback(
    (input: RunInput, slot: PredictionSlot = "first") => {
      if (!set) return;
      const tag = slot === "second" ? { slot } : {};
      const runId = newRunId();
      dispatch({ type: "prediction/start", runId, input, ...tag });
      const trace = recordedPrediction(set, input.code, input.call.trim() === "" ? null : input.call);
      if (!trace) {
        dispatch({ type: "prediction/failed", runId, error: `${set.fileName} has no recorded generation for this code and call`, ...tag });
        return;
      }
      dispatch({ type: "prediction/meta", runId, predictor: trace.predictor, settings: null, prompt: trace.prompt ?? null, ...tag });
      dispatch({ type: "prediction/frames", runId, frames: trace.frames, ...tag });
      dispatch({ type: "prediction/done", runId, final: trace, ...tag });
    },
    [dispatch, set],
  );

  return { set, error, load, unload, listing, start };
}
