"use client";
import { useCallback, useMemo, useState } from "react";
import { readRecordedFile, recordedPrediction, RECORDED_ID, RECORDED_LABEL, type RecordedSet } from "@/lib/classroom/recorded";
import type { PredictorListing } from "@/lib/predictors/protocol";
import type { RunInput } from "@/lib/playground/session";
import type { LocalPredictor } from "./usePredictionStream";

/**
 * Recorded CWM generations loaded from a file in the browser: offered as one more predictor
 * ("CWM (recorded)" with the file's name) whose predictions are read locally, never sent to the
 * server. usePredictionStream runs it like any other predictor.
 */
export function useRecordedPredictions() {
  const [set, setSet] = useState<RecordedSet | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (file: File) => {
    try {
      setSet((await readRecordedFile(file)).set);
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

  const local: LocalPredictor | null = useMemo(
    () =>
      set && {
        id: RECORDED_ID,
        predict: (input: RunInput) =>
          recordedPrediction(set, input.code, input.call.trim() === "" ? null : input.call) ??
          new Error(`${set.fileName} has no recorded generation for this code and call`),
      },
    [set],
  );

  return { set, error, load, unload, listing, local };
}
