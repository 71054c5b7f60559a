"use client";
import type { ComparisonView } from "@/lib/playground/comparison";
import type { SessionAction, SessionState } from "@/lib/playground/session";
import type { StepView } from "@/lib/playground/step";
import { stdoutBefore } from "@/lib/playground/view";
import { BASELINE_ID } from "@/lib/predictors/protocol";
import type { PredictorInfo } from "@/lib/trace/schema";
import { HaltPanel } from "./HaltPanel";
import { LocalsPanel } from "./LocalsPanel";
import { MetricsPanel } from "./MetricsPanel";
import { RawView } from "./RawView";
import { StatusPanel } from "./StatusPanel";

/** Under the editor: locals at the current step, both outcomes, the output so far, the scores and the raw model I/O. */
export function DetailsPane(props: {
  state: SessionState;
  comparison: ComparisonView;
  step: StepView;
  dispatch: (a: SessionAction) => void;
  /** Figures still change: a side is arriving. */
  partial: boolean;
  /** The embed's compact view: no locals table, no raw I/O. */
  compact?: boolean;
  realProvenance?: string;
  predictionProvenance?: string;
  /** "Will it halt?" for the predictor chosen in the toolbar; left out, the panel is not shown. */
  halt?: { predictorId: string; predictorLabel?: string; available: boolean };
  className: string;
}) {
  const { state, comparison: cmp, step, compact = false } = props;
  const real = state.real;
  const p = state.prediction;
  const stdoutFull = real ? (real.phase === "done" ? real.trace.stdout : real.stdout) : "";
  const out = stdoutBefore(real?.frames ?? [], step.actualIndex, stdoutFull);
  // A second prediction is shown only when the comparison placed it on the rows.
  const second = cmp.second && state.second ? { run: state.second, cmp: cmp.second } : null;
  return (
    <div className={props.className}>
      {!compact && (
        <LocalsPanel
          actual={step.actualFrame}
          predicted={step.predictedFrame}
          showPredicted={cmp.twoSided}
          actualUnwinding={step.actualUnwinding}
          predictedUnwinding={step.predictedUnwinding}
          second={cmp.second ? { frame: step.secondFrame, unwinding: step.secondUnwinding } : null}
        />
      )}
      <StatusPanel
        real={real}
        realVerdict={cmp.actualVerdict}
        realProvenance={props.realProvenance}
        prediction={p}
        predictionProvenance={props.predictionProvenance}
        halting={cmp.halting}
        outputCorrect={cmp.metrics?.output_correct ?? null}
        stdout={{ ...out, full: stdoutFull }}
        second={second ? { prediction: second.run, halting: second.cmp.halting, outputCorrect: second.cmp.metrics?.output_correct ?? null } : null}
      />
      {props.halt && !compact && <HaltPanel {...props.halt} code={state.draft.code} call={state.draft.call} real={real} prediction={p} />}
      {cmp.twoSided && (
        <div className="flex flex-col gap-3 2xl:col-span-2">
          <MetricsPanel
            metrics={cmp.metrics}
            columns={
              second
                ? [
                    { label: nameOf(p?.predictor ?? null, "first prediction"), metrics: cmp.metrics },
                    { label: nameOf(second.run.predictor, "second prediction"), metrics: second.cmp.metrics },
                  ]
                : undefined
            }
            partial={props.partial}
            ignoreComprehensions={state.ignoreComprehensions}
            onIgnoreComprehensions={(value) => props.dispatch({ type: "options/ignoreComprehensions", value })}
          />
          {p && !compact && <RawView prompt={p.prompt} raw={p.raw} baseline={p.predictor?.id === BASELINE_ID} />}
        </div>
      )}
    </div>
  );
}

/** The predictor's own label ("qwen2.5-coder:7b via Ollama"), with its model when the label does not say it. */
function nameOf(p: PredictorInfo | null, fallback: string): string {
  if (!p) return fallback;
  const label = p.label ?? p.id;
  return p.model && !label.includes(p.model) ? `${label} · ${p.model}` : label;
}
