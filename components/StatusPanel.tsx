"use client";
import type { Halting } from "@/lib/compare/halting";
import { BASELINE_ID } from "@/lib/predictors/protocol";
import type { ActualRun } from "./useExecutor";
import type { PredictionRun } from "./usePrediction";

/** Both outcomes in words ("returned 6", "stopped after 10,000 steps", …) and the program's stdout. */
export function StatusPanel(props: {
  actual: ActualRun | null;
  actualFrames: number;
  actualVerdict: string | null;
  prediction: PredictionRun | null;
  predictedFrames: number;
  predictedVerdict: string | null;
  halting: Halting | null;
}) {
  const { actual, prediction } = props;
  return (
    <section aria-label="Outcome" className="flex flex-col gap-2 text-sm">
      <div>
        <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Reality</h2>
        <p data-testid="actual-status" className="font-code whitespace-pre-wrap break-all text-base" aria-live="polite">
          {!actual
            ? "not run yet"
            : actual.trace === null
              ? `running… ${props.actualFrames.toLocaleString("en-US")} frames so far`
              : (props.actualVerdict ?? actual.trace.status)}
        </p>
        {actual?.trace?.notes?.map((n) => (
          <p key={n} className="text-xs text-slate-600 dark:text-slate-400">
            ℹ {n}
          </p>
        ))}
      </div>
      {prediction && (
        <div>
          <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Prediction</h2>
          <p data-testid="predicted-status" className="font-code whitespace-pre-wrap break-all text-base" aria-live="polite">
            {prediction.streaming
              ? prediction.final === null && props.predictedFrames === 0
                ? "waiting for the model…"
                : `streaming… ${props.predictedFrames.toLocaleString("en-US")} frames so far`
              : (props.predictedVerdict ?? prediction.final?.status ?? "ended")}
          </p>
          {prediction.error && (
            <p role="alert" className="font-semibold text-rose-700 dark:text-rose-300" data-testid="predicted-error">
              ⚠ {prediction.error}
              {props.predictedFrames > 0 ? ` — the ${props.predictedFrames} frames predicted before it are kept (incomplete).` : ""}
            </p>
          )}
          {prediction.predictor && (
            <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="predictor-info">
              {prediction.predictor.label ?? prediction.predictor.id}
              {prediction.predictor.model ? ` · model ${prediction.predictor.model}` : ""}
              {prediction.settings && prediction.predictor.id !== BASELINE_ID ? ` · T=${prediction.settings.temperature}${prediction.settings.top_p !== undefined ? ` top_p=${prediction.settings.top_p}` : ""} · max ${prediction.settings.max_tokens} tokens` : ""}
              {prediction.final?.cached ? " · cached" : ""}
            </p>
          )}
        </div>
      )}
      {props.halting && (
        <div data-testid="halting" className="whitespace-pre-wrap">
          <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Halting</h2>
          <p>
            Run: <strong>{props.halting.executor.text}</strong> · Model: <strong>{props.halting.model.text}</strong> ·{" "}
            {props.halting.agreement === "agree" ? "✓ verdicts agree" : props.halting.agreement === "disagree" ? "✗ verdicts disagree" : "? cannot tell"}
          </p>
        </div>
      )}
      <div>
        <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Output (stdout)</h2>
        <pre data-testid="stdout" className="font-code max-h-40 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-sm dark:bg-slate-900">
          {actual?.stdout ? actual.stdout : <span className="text-slate-400">(nothing printed)</span>}
        </pre>
      </div>
    </section>
  );
}

