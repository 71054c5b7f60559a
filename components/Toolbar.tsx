"use client";
import type { ExecutorPhase } from "@/lib/executor/types";
import { EXAMPLES } from "@/lib/playground/examples";
import type { PredictorListing } from "@/lib/predictors/protocol";
import { SamplingControls, type Sampling, type SamplingChoice } from "./SamplingControls";

export const PRIMARY_BUTTON = "min-h-11 rounded bg-slate-900 px-3 font-semibold text-white disabled:opacity-40 dark:bg-slate-100 dark:text-slate-900";
export const SECONDARY_BUTTON = "min-h-11 rounded border border-slate-500 px-3 font-semibold disabled:opacity-40";
const SELECT = "min-h-11 rounded border border-slate-400 bg-white px-2 dark:border-slate-500 dark:bg-slate-900";

/** The header: what this is, the predictor chooser, and the actions. Every control has an accessible name. */
export function Toolbar(props: {
  /** False until the page is hydrated and the stored draft loaded: a click before that would act on the wrong code. */
  ready: boolean;
  running: boolean;
  predicting: boolean;
  predictors: readonly PredictorListing[];
  predictorsLoading: boolean;
  predictorsError: string | null;
  predictorId: string;
  onPredictor: (id: string) => void;
  /** "Compare with": a second predictor's id, "" for nothing. */
  compareId: string;
  onCompare: (id: string) => void;
  sampling: SamplingChoice;
  samplingDefaults: Sampling;
  onSampling: (s: SamplingChoice) => void;
  onRun: () => void;
  onPredict: () => void;
  onRunAndPredict: () => void;
  onStop: () => void;
  /** The neural debugger: offered for a connected CWM predictor (the baseline cannot step). */
  onDebug?: () => void;
  /** Drafts menu, Share control. */
  children?: React.ReactNode;
}) {
  const { running, predicting, ready } = props;
  const selected = props.predictors.find((p) => p.id === props.predictorId);
  const canPredict = ready && !!selected?.available && !predicting;
  const canDebug = !!selected?.available && selected.kind === "cwm";
  const others = props.predictors.filter((p) => p.available && p.id !== props.predictorId);
  return (
    <header className="flex flex-wrap items-center gap-2 border-b border-slate-300 px-3 py-1.5 dark:border-slate-700">
      <h1 className="mr-1 text-lg font-bold">CWM Playground</h1>
      <WhatIsThis />
      <label className="flex items-center gap-1 text-sm">
        <span className="sr-only md:not-sr-only">Predictor</span>
        <select aria-label="Predictor" className={`${SELECT} max-w-56`} value={props.predictorId} onChange={(e) => props.onPredictor(e.target.value)}>
          {props.predictors.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
              {p.available ? "" : " (not connected)"}
            </option>
          ))}
        </select>
      </label>
      {others.length > 0 && (
        <label className="flex items-center gap-1 text-sm">
          {/* The word shows on wide screens only: on a projector the header must stay one line. */}
          <span className="sr-only 2xl:not-sr-only">Compare with</span>
          <select
            aria-label="Compare with"
            title="Compare with: a second predictor shown beside the first, both scored against reality"
            className={`${SELECT} max-w-44`}
            value={props.compareId}
            onChange={(e) => props.onCompare(e.target.value)}
            disabled={predicting}
          >
            <option value="">no comparison</option>
            {others.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {props.predictorsLoading && (
        <span className="text-xs text-slate-700 dark:text-slate-200" role="status">
          Loading predictors…
        </span>
      )}
      {props.predictorsError && (
        <span className="text-xs font-semibold text-rose-800 dark:text-rose-200" role="alert" data-testid="predictors-error">
          Could not list predictors ({props.predictorsError}); the baseline still works.
        </span>
      )}
      {selected && selected.kind !== "baseline" && (
        <SamplingControls choice={props.sampling} defaults={props.samplingDefaults} onChange={props.onSampling} disabled={predicting} />
      )}
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={PRIMARY_BUTTON} onClick={props.onRun} disabled={running || !ready} title="Ctrl/Cmd+Enter">
          Run
        </button>
        <button type="button" className={SECONDARY_BUTTON} onClick={props.onPredict} disabled={!canPredict}>
          Predict
        </button>
        <button type="button" className={SECONDARY_BUTTON} onClick={props.onRunAndPredict} disabled={running || !canPredict}>
          Run &amp; Predict
        </button>
        {props.onDebug && (
          <button
            type="button"
            className={SECONDARY_BUTTON}
            onClick={props.onDebug}
            disabled={running || predicting || !canDebug || !ready}
            title={
              canDebug
                ? "Debug: run the code, then step through the model's trace frame by frame beside reality"
                : "Debug needs a connected CWM predictor (the syntax baseline cannot step)"
            }
          >
            Debug
          </button>
        )}
        <button type="button" className={SECONDARY_BUTTON} onClick={props.onStop} disabled={!running && !predicting}>
          Stop
        </button>
        {props.children}
      </div>
    </header>
  );
}

function WhatIsThis() {
  return (
    <details className="relative text-sm">
      <summary className="flex min-h-11 cursor-pointer items-center rounded px-2 underline">What is this?</summary>
      {/* On a phone the panel spans the screen: anchored to its summary it would stick out sideways. */}
      <div className="fixed inset-x-2 z-30 mt-1 rounded sm:absolute sm:inset-x-auto sm:left-0 sm:w-[min(90vw,36rem)] border border-slate-300 bg-white p-3 shadow-lg dark:border-slate-600 dark:bg-slate-900">
        <p>
          Meta&apos;s <strong>Code World Model (CWM)</strong> is a 32B language model trained on execution traces: given a program, it
          <em> predicts</em> step by step which line runs next and what every local variable holds, without running anything. Here your code also{" "}
          <em>runs for real</em>, in Python inside your browser. The <strong>Reality</strong> column is what the program actually did; the{" "}
          <strong>Prediction</strong> column is what the chosen predictor imagined. Rows are aligned, and every difference is marked. The{" "}
          <em>syntax-only baseline</em> is not a model: it reads the code top to bottom, to show what prediction without execution looks like.
        </p>
      </div>
    </details>
  );
}

/** Above the editor: examples (showing which one is loaded), earlier drafts, and the interpreter's state. */
export function EditorBar(props: {
  /** As the toolbar's: a choice made before the stored draft is loaded would be lost. */
  ready: boolean;
  exampleId: string | null;
  onExample: (id: string) => void;
  phase: ExecutorPhase;
  running: boolean;
  children?: React.ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <select aria-label="Examples" className={`${SELECT} min-w-0 max-w-full`} disabled={!props.ready} value={props.exampleId ?? ""} onChange={(e) => e.target.value && props.onExample(e.target.value)}>
        <option value="">{props.exampleId === null ? "Your code — pick an example…" : "Examples…"}</option>
        {EXAMPLES.map((ex) => (
          <option key={ex.id} value={ex.id}>
            {ex.title}
          </option>
        ))}
      </select>
      {props.children}
      <div className="ml-auto text-sm" role="status" aria-live="polite" data-testid="interpreter-status">
        <PhaseText phase={props.phase} running={props.running} />
      </div>
    </div>
  );
}

function PhaseText({ phase, running }: { phase: ExecutorPhase; running: boolean }) {
  switch (phase.phase) {
    case "idle":
      return <span className="text-slate-700 dark:text-slate-200">Python: not started</span>;
    case "loading":
      return (
        <span className="flex items-center gap-2">
          <progress aria-label="Loading Python" max={1} value={phase.progress} className="h-2 w-24" />
          <span>Loading Python… {phase.message}</span>
        </span>
      );
    case "restarting":
      return (
        <span className="flex items-center gap-2">
          <progress aria-label="Restarting Python" max={1} value={phase.progress} className="h-2 w-24" />
          {/* Each run gets a fresh interpreter; between runs the next one loads in the background. */}
          <span>{running ? `Restarting Python… ${phase.message}` : "Preparing a fresh Python for the next run…"}</span>
        </span>
      );
    case "ready":
      return <span className="text-emerald-800 dark:text-emerald-300">{phase.version} ready</span>;
    case "running":
      // The executor may still say "running" for a moment after the session saw the run end.
      return <span>{running ? "Running…" : "Finishing…"}</span>;
    case "failed":
      return <span className="font-semibold text-rose-800 dark:text-rose-200">Python failed to load: {phase.message}</span>;
  }
}
