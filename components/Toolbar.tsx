"use client";
import type { ExecutorPhase } from "@/lib/executor/types";
import { EXAMPLES } from "@/lib/playground/examples";
import { SamplingControls, type Sampling } from "./SamplingControls";

export interface PredictorOption {
  id: string;
  label: string;
  kind: string;
  available: boolean;
}

/** The header: examples, predictor chooser, and the actions. Every control has an accessible name. */
export function Toolbar(props: {
  phase: ExecutorPhase;
  running: boolean;
  predicting: boolean;
  predictors: readonly PredictorOption[];
  predictorId: string;
  onPredictor: (id: string) => void;
  onExample: (id: string) => void;
  onRun: () => void;
  onPredict: () => void;
  onRunAndPredict: () => void;
  onStop: () => void;
  onShare?: () => void;
  shareState?: string | null;
  sampling: Sampling;
  onSampling: (s: Sampling) => void;
}) {
  const { phase, running, predicting } = props;
  const busy = running || predicting;
  const selected = props.predictors.find((p) => p.id === props.predictorId);
  const canPredict = !!selected?.available && !predicting;
  const primary = "rounded bg-slate-900 px-3 py-1.5 font-semibold text-white disabled:opacity-40 dark:bg-slate-100 dark:text-slate-900";
  const secondary = "rounded border border-slate-400 px-3 py-1.5 font-semibold disabled:opacity-40";
  return (
    <header className="flex flex-wrap items-center gap-2 border-b border-slate-300 px-3 py-2 dark:border-slate-700">
      <h1 className="mr-2 text-lg font-bold">CWM Playground</h1>
      <label className="flex items-center gap-1 text-sm">
        <span className="sr-only">Examples</span>
        <select
          aria-label="Examples"
          className="rounded border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-600 dark:bg-slate-900"
          value=""
          onChange={(e) => e.target.value && props.onExample(e.target.value)}
        >
          <option value="">Examples…</option>
          {EXAMPLES.map((ex) => (
            <option key={ex.id} value={ex.id}>
              {ex.title}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-1 text-sm">
        <span>Predictor</span>
        <select
          aria-label="Predictor"
          className="rounded border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-600 dark:bg-slate-900"
          value={props.predictorId}
          onChange={(e) => props.onPredictor(e.target.value)}
        >
          {props.predictors.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
              {p.available ? "" : " (not connected)"}
            </option>
          ))}
        </select>
      </label>
      {selected?.kind !== "baseline" && <SamplingControls value={props.sampling} onChange={props.onSampling} disabled={predicting} />}
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={primary} onClick={props.onRun} disabled={running} title="Ctrl/Cmd+Enter">
          Run
        </button>
        <button type="button" className={secondary} onClick={props.onPredict} disabled={!canPredict}>
          Predict
        </button>
        <button type="button" className={secondary} onClick={props.onRunAndPredict} disabled={running || !canPredict}>
          Run &amp; Predict
        </button>
        <button type="button" className={secondary} onClick={props.onStop} disabled={!busy}>
          Stop
        </button>
        {props.onShare && (
          <button type="button" className={secondary} onClick={props.onShare} disabled={busy}>
            Share
          </button>
        )}
        {props.shareState && (
          <span role="status" className="text-sm" data-testid="share-status">
            {props.shareState}
          </span>
        )}
      </div>
      <div className="ml-auto text-sm" role="status" aria-live="polite" data-testid="interpreter-status">
        <PhaseText phase={phase} />
      </div>
    </header>
  );
}

function PhaseText({ phase }: { phase: ExecutorPhase }) {
  switch (phase.phase) {
    case "idle":
      return <span className="text-slate-500">Python: not started</span>;
    case "loading":
      return (
        <span className="flex items-center gap-2">
          <progress aria-label="Loading Python" max={1} value={phase.progress} className="h-2 w-24" />
          <span>Loading Python… {phase.message}</span>
        </span>
      );
    case "ready":
      return <span className="text-emerald-800 dark:text-emerald-300">{phase.version} ready</span>;
    case "running":
      return <span>Running…</span>;
    case "failed":
      return <span className="font-semibold text-rose-700">Python failed to load: {phase.message}</span>;
  }
}
