/**
 * Where a slide's model answers come from: the prediction stored with the run, else a recorded
 * generation the teacher loaded in the browser, else nothing, with how to get one. The syntax
 * baseline is never offered here: it is not a model of execution, and a class must not be told
 * it is one.
 */
import { BASELINE_ID } from "@/lib/predictors/protocol";
import type { StoredRun } from "@/lib/storage/schema";
import type { PredictedTrace } from "@/lib/trace/schema";
import { predictionLabel, recordedPrediction, type RecordedSet } from "./recorded";

export type SlideModel =
  | { kind: "stored"; trace: PredictedTrace; label: string }
  | { kind: "recorded"; trace: PredictedTrace; label: string }
  | { kind: "none"; help: string };

export const NO_MODEL_HELP =
  "No model prediction for this slide. To get one: run the program in the playground with a CWM server configured " +
  "(CWM_VLLM_URL or CWM_FASTGEN_URL) and add it to a lesson, build the lesson with `npm run cwm -- lesson create --replay RECORDED.jsonl`, " +
  "or load recorded predictions (a JSONL file) on this page. Until then it is you against reality.";

export function slideModel(run: Pick<StoredRun, "code" | "call" | "predictions" | "provenance">, recorded: RecordedSet | null): SlideModel {
  const stored = run.predictions.find((p) => p.predictor.id !== BASELINE_ID);
  if (stored) {
    const uploaded = run.provenance === "uploaded" && stored === run.predictions[0] ? " (uploaded)" : "";
    return { kind: "stored", trace: stored, label: predictionLabel(stored) + uploaded };
  }
  const fromFile = recorded ? recordedPrediction(recorded, run.code, run.call) : null;
  if (fromFile) return { kind: "recorded", trace: fromFile, label: predictionLabel(fromFile) };
  return { kind: "none", help: NO_MODEL_HELP };
}
