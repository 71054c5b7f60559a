/**
 * A shared page's first paint holds a bounded number of frames, so a 10,000-frame run is not
 * megabytes of HTML; the browser then fetches the whole run (GET /api/runs/<id>, compressed).
 * No server imports: both the page and the browser use it.
 */
import type { StoredRun } from "@/lib/storage/schema";
import type { SharedRunView } from "./summary";

/** Frames per side rendered on the server. */
export const PREVIEW_FRAMES = 200;

export interface SharedPreview {
  view: SharedRunView;
  /** False when frames were left out: the browser fetches the whole run. */
  complete: boolean;
  /** Frame counts of the whole run, shown while the rest loads. */
  totals: { actual: number; predicted: number | null };
}

export function previewOf(view: SharedRunView, maxFrames = PREVIEW_FRAMES): SharedPreview {
  const totals = { actual: view.actual.frames.length, predicted: view.prediction ? view.prediction.frames.length : null };
  const complete = totals.actual <= maxFrames && (totals.predicted ?? 0) <= maxFrames;
  if (complete) return { view, complete, totals };
  return {
    view: {
      ...view,
      actual: { ...view.actual, frames: view.actual.frames.slice(0, maxFrames) },
      prediction: view.prediction ? { ...view.prediction, frames: view.prediction.frames.slice(0, maxFrames), raw: "", prompt: undefined } : null,
    },
    complete,
    totals,
  };
}

/** The runs API's answer as a shared page shows it (its first prediction beside reality). */
export function viewOfStored(run: StoredRun): SharedRunView {
  return {
    id: run.id,
    createdAt: run.createdAt,
    title: run.title,
    code: run.code,
    call: run.call ?? "",
    actual: run.actual,
    prediction: run.predictions[0] ?? null,
    // Older rows have none: a prediction whose origin is unknown reads as uploaded.
    provenance: run.predictions.length ? (run.provenance ?? "uploaded") : null,
  };
}
