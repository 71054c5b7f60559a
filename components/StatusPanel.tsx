"use client";
import { useState } from "react";
import type { Halting } from "@/lib/compare/halting";
import type { PredictionRun, RealRun } from "@/lib/playground/session";
import { haltingSentence, holeError, predictedStatus, predictorNoun, realStatus, stopReasonText } from "@/lib/playground/view";
import { BASELINE_ID } from "@/lib/predictors/protocol";

const H2 = "text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-300";

/** Both outcomes in words ("returned 6", "stopped after 10,000 steps", …), halting, and the output up to this step. */
export function StatusPanel(props: {
  real: RealRun | null;
  realVerdict: string | null;
  /** e.g. "ran in the sharer's browser" on a shared page. */
  realProvenance?: string;
  prediction: PredictionRun | null;
  predictionProvenance?: string;
  halting: Halting | null;
  outputCorrect: boolean | null;
  /** Output printed before the current step, and whether there is more after it. */
  stdout: { text: string; partial: boolean; full: string };
  /** A second prediction compared with the first ("Compare with"), said the same way under its own heading. */
  second?: { prediction: PredictionRun; halting: Halting | null; outputCorrect: boolean | null } | null;
}) {
  const { real, prediction } = props;
  const trace = real?.phase === "done" ? real.trace : null;
  const stop = real?.phase === "done" ? stopReasonText(real.stopReason ?? undefined) : null;
  // Code with a hole: said once, plainly, in place of the verdict, when there is an imagined trace to read instead.
  const hole = prediction && prediction.frames.length > 1 ? holeError(trace) : null;
  return (
    <section aria-label="Outcome" className="flex flex-col gap-2 text-sm">
      <div>
        <h2 className={H2}>Reality</h2>
        {hole ? (
          <div data-testid="hole-note" className="text-base">
            <p data-testid="actual-status" className="font-semibold">
              Reality could not run this: <span className="font-code break-all">{hole}</span>
            </p>
            <p>The right column is what {predictorNoun(prediction?.predictor ?? null)} imagines the code does.</p>
          </div>
        ) : (
          <p data-testid="actual-status" className="font-code whitespace-pre-wrap break-all text-base">
            {realStatus(real, props.realVerdict)}
          </p>
        )}
        {props.realProvenance && <p className="text-xs text-slate-700 dark:text-slate-200">{props.realProvenance}</p>}
        {stop && !props.realVerdict?.includes(stop) && <p className="text-xs text-slate-700 dark:text-slate-200">ℹ {stop}</p>}
        {trace?.integrity === "tampered" && (
          <p role="alert" data-testid="integrity" className="font-semibold text-rose-800 dark:text-rose-200">
            ⚠ Not trustworthy as ground truth: the program interfered with the tracer
            {trace.integrity_notes?.length ? ` (${trace.integrity_notes.join("; ")})` : ""}.
          </p>
        )}
        {trace?.introspection && (
          <p className="text-xs text-slate-700 dark:text-slate-200">
            ℹ This program inspects the interpreter (sys, gc, js…): its trace may not be what a plain run would show.
          </p>
        )}
        {trace?.notes?.map((n) => (
          <p key={n} className="text-xs text-slate-700 dark:text-slate-200">
            ℹ {n}
          </p>
        ))}
      </div>
      {prediction && (
        <PredictionStatus prediction={prediction} provenance={props.predictionProvenance} heading={props.second ? "First prediction" : "Prediction"} />
      )}
      {props.halting && <HaltingLine halting={props.halting} outputCorrect={props.outputCorrect} prediction={prediction} />}
      {props.second && <PredictionStatus prediction={props.second.prediction} heading="Second prediction (compared)" suffix="-second" />}
      {props.second?.halting && (
        <HaltingLine halting={props.second.halting} outputCorrect={props.second.outputCorrect} prediction={props.second.prediction} suffix="-second" />
      )}
      <Output stdout={props.stdout} />
    </section>
  );
}

/** `suffix` keeps the test ids of the second prediction apart from the first's. */
function PredictionStatus({
  prediction,
  provenance,
  heading,
  suffix = "",
}: {
  prediction: PredictionRun;
  provenance?: string;
  heading: string;
  suffix?: string;
}) {
  const who = predictorNoun(prediction.predictor);
  const text =
    prediction.phase === "streaming"
      ? prediction.stopping
        ? "stopping…"
        : prediction.frames.length === 0
          ? `waiting for ${who}…`
          : `streaming… ${prediction.frames.length.toLocaleString("en-US")} frames so far`
      : prediction.phase === "done"
        ? predictedStatus(prediction.final)
        : "no prediction";
  const error =
    prediction.phase === "failed"
      ? prediction.error
      : prediction.phase === "done" && prediction.stopReason === "user"
        ? "stopped by you"
        : prediction.phase === "done"
          ? prediction.error
          : null;
  return (
    <div>
      <h2 className={H2}>{heading}</h2>
      <p data-testid={`predicted-status${suffix}`} className="font-code whitespace-pre-wrap break-all text-base">
        {text}
      </p>
      {error && (
        <p role="alert" className="font-semibold text-rose-800 dark:text-rose-200" data-testid={`predicted-error${suffix}`}>
          ⚠ {error}
          {prediction.frames.length > 0 ? ` — the ${prediction.frames.length} frames predicted before it are kept (incomplete).` : ""}
        </p>
      )}
      {prediction.predictor && (
        <p className="text-xs text-slate-700 dark:text-slate-200" data-testid={`predictor-info${suffix}`}>
          {prediction.predictor.label ?? prediction.predictor.id}
          {prediction.predictor.model ? ` · model ${prediction.predictor.model}` : ""}
          {prediction.settings && prediction.predictor.id !== BASELINE_ID
            ? ` · T=${prediction.settings.temperature}${prediction.settings.top_p !== undefined ? ` top_p=${prediction.settings.top_p}` : ""} · max ${prediction.settings.max_tokens} tokens`
            : ""}
          {prediction.phase === "done" && prediction.final.cached ? " · cached" : ""}
          {provenance ? ` · ${provenance}` : ""}
        </p>
      )}
    </div>
  );
}

function HaltingLine({
  halting,
  outputCorrect,
  prediction,
  suffix = "",
}: {
  halting: Halting;
  outputCorrect: boolean | null;
  prediction: PredictionRun | null;
  suffix?: string;
}) {
  const s = haltingSentence(halting, outputCorrect, prediction?.predictor ?? null);
  return (
    <div data-testid={`halting${suffix}`}>
      <h2 className={H2}>Does it halt?{suffix ? " (second prediction)" : ""}</h2>
      <p>
        <span aria-hidden="true">{s.mark} </span>
        {s.text}
      </p>
    </div>
  );
}

function Output({ stdout }: { stdout: { text: string; partial: boolean; full: string } }) {
  const [full, setFull] = useState(false);
  const shown = full ? stdout.full : stdout.text;
  return (
    <div>
      <div className="flex items-baseline gap-2">
        <h2 className={H2}>Output (stdout){!full && stdout.partial ? " up to this step" : ""}</h2>
        {(stdout.partial || full) && (
          <button type="button" className="text-xs text-sky-800 underline dark:text-sky-300" onClick={() => setFull((f) => !f)}>
            {full ? "Show output up to this step" : "Show full output"}
          </button>
        )}
      </div>
      <pre data-testid="stdout" className="font-code max-h-40 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-sm dark:bg-slate-900">
        {shown ? shown : <span className="text-slate-600 dark:text-slate-300">(nothing printed{!full && stdout.partial ? " yet at this step" : ""})</span>}
      </pre>
    </div>
  );
}
