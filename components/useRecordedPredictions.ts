"use client";
import { useCallback, useMemo, useState } from "react";
import { recordedPrediction, RECORDED_ID, RECORDED_LABEL, type RecordedSet } from "@/lib/classroom/recorded";
import type { PredictorListing } from "@/lib/predictors/protocol";
import type { RunInput } from "@/lib/playground/session";
import type { LocalPredictor } from "./usePredictionStream";
import { useRecordedFile } from "./useRecordedFile";

/**
 * Recorded CWM generations loaded from a file in the browser: offered as one more predictor
 * ("CWM (recorded)" with the file's name) whose predictions are read locally, never sent to the
 * server. usePredictionStream runs it like any other predictor.
 */
export function useRecordedPredictions() {
  const [set, setSet] = useState<RecordedSet | null>(null);
  const file = useRecordedFile(useCallback(({ set }: { set: RecordedSet }) => setSet(set), []));

  const { setError } = file;
  const unload = useCallback(() => {
    setSet(null);
    setError(null);
  }, [setError]);

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

  return { set, error: file.error, load: file.read, unload, listing, local };
}
