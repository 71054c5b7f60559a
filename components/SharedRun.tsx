"use client";
import { useMemo, useState } from "react";
import { draftToHash } from "@/lib/playground/draft";
import type { SharedRunView } from "@/lib/share/summary";
import type { CanonicalTrace } from "@/lib/trace/schema";
import { EditorPane } from "./EditorPane";
import { LocalsPanel } from "./LocalsPanel";
import { MetricsPanel } from "./MetricsPanel";
import { RawView } from "./RawView";
import { Scrubber } from "./Scrubber";
import { StatusPanel } from "./StatusPanel";
import { TimelinePane } from "./TimelinePane";
import { useComparison } from "./useComparison";
import { useCursor } from "./useCursor";
import { useExecutor, type ActualRun } from "./useExecutor";
import type { PredictionRun } from "./usePrediction";


/** Same frames, same result, same output: what "the fresh run matches" means. */
function sameTrace(a: CanonicalTrace, b: CanonicalTrace): boolean {
  const strip = (t: CanonicalTrace) => JSON.stringify([t.status, t.result, t.error, t.stdout, t.frames]);
  return strip(a) === strip(b);
}

/**
 * A stored run, read-only. Nothing executes on open; Run re-executes the code in the visitor's
 * browser and says whether the fresh result matches the stored one.
 */
export function SharedRun({ run, compact = false }: { run: SharedRunView; compact?: boolean }) {
  const executor = useExecutor(false);
  const [ignoreComprehensions, setIgnoreComprehensions] = useState(false);
  const stored: ActualRun = useMemo(() => ({ runId: "stored", stdout: run.actual.stdout, trace: run.actual }), [run.actual]);
  const predictionRun: PredictionRun | null = useMemo(
    () =>
      run.prediction
        ? { runId: "stored", predictor: run.prediction.predictor, settings: run.prediction.settings ?? null, prompt: run.prediction.prompt ?? null, raw: run.prediction.raw, final: run.prediction, error: null, streaming: false }
        : null,
    [run.prediction],
  );
  const cmp = useComparison(run.actual.frames, run.actual, run.prediction?.frames ?? null, run.prediction, predictionRun, ignoreComprehensions);
  const cur = useCursor(cmp.rows, run.actual.frames, run.prediction?.frames ?? [], cmp.firstDivergenceRow);
  const fresh = executor.run?.trace ?? null;
  const rerunning = executor.run !== null && fresh === null;
  const forkHref = `/${draftToHash({ code: run.code, call: run.call })}`;
  const date = new Date(run.createdAt);

  return (
    <div className={`flex min-h-screen flex-col ${compact ? "" : "lg:h-screen"}`}>
      <header className="flex flex-wrap items-center gap-3 border-b border-slate-300 px-3 py-2 dark:border-slate-700">
        <a href="/" className="text-lg font-bold">
          CWM Playground
        </a>
        <span className="text-sm text-slate-600 dark:text-slate-400">
          Shared run <code className="font-code">{run.id}</code>
          {run.title ? ` · ${run.title}` : ""} · <time dateTime={run.createdAt}>{date.toISOString().slice(0, 16).replace("T", " ")} UTC</time>
          {run.actual.executor ? ` · ran on ${run.actual.executor}` : ""}
        </span>
        <div className="ml-auto flex items-center gap-2">
          <button
            type="button"
            className="rounded bg-slate-900 px-3 py-1.5 font-semibold text-white disabled:opacity-40 dark:bg-slate-100 dark:text-slate-900"
            onClick={() => executor.start({ code: run.code, call: run.call })}
            disabled={rerunning}
          >
            Run
          </button>
          {compact ? (
            <a className="rounded border border-slate-400 px-3 py-1.5 font-semibold" href={`/r/${run.id}`} target="_blank" rel="noopener">
              Open in playground ↗
            </a>
          ) : (
            <a className="rounded border border-slate-400 px-3 py-1.5 font-semibold" href={forkHref}>
              Fork
            </a>
          )}
        </div>
      </header>
      {executor.run && (
        <div role="status" data-testid="rerun-status" className="border-b border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700">
          {executor.phase.phase === "loading"
            ? `Loading Python… ${executor.phase.message}`
            : fresh === null
              ? "Re-running in your browser…"
              : sameTrace(fresh, run.actual)
                ? `✓ Fresh run in your browser matches the stored trace (${fresh.frames.length} frames${fresh.executor ? `, ${fresh.executor}` : ""}).`
                : `≠ Fresh run differs from the stored trace: now ${fresh.status}${fresh.result !== null ? ` ${fresh.result}` : ""}, ${fresh.frames.length} frames (stored: ${run.actual.status}${run.actual.result !== null ? ` ${run.actual.result}` : ""}, ${run.actual.frames.length} frames${run.actual.executor ? `, ${run.actual.executor}` : ""}).`}
        </div>
      )}
      <main className={`grid flex-1 grid-cols-1 gap-3 p-3 ${compact ? "h-[60vh] grid-rows-[auto_minmax(0,1fr)]" : "lg:min-h-0 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)] lg:grid-rows-[minmax(0,1fr)]"}`}>
        {compact ? (
          <pre className="font-code max-h-64 overflow-auto rounded border border-slate-300 p-2 text-sm dark:border-slate-700">{run.code}{run.call ? `\n\n# call: ${run.call}` : ""}</pre>
        ) : (
          <EditorPane code={run.code} call={run.call} onCodeChange={() => {}} onCallChange={() => {}} onRunShortcut={() => {}} marks={cur.marks} readOnly />
        )}
        <TimelinePane
          rows={cmp.rows}
          actual={run.actual.frames}
          predicted={run.prediction?.frames ?? null}
          predictedLabel={run.prediction ? `${run.prediction.predictor.label ?? run.prediction.predictor.id}${run.prediction.predictor.model ? ` · ${run.prediction.predictor.model}` : ""}` : null}
          cursor={cur.cursor}
          onSelect={cur.move}
          firstDivergenceRow={cmp.firstDivergenceRow}
        />
      </main>
      <footer className={`flex flex-col gap-3 border-t border-slate-300 p-3 dark:border-slate-700 ${compact ? "" : "lg:max-h-[42vh] lg:overflow-auto"}`}>
        <Scrubber cursor={cur.cursor} count={cmp.rows.length} onMove={cur.move} firstDivergenceRow={cmp.firstDivergenceRow} caption={cur.caption} />
        <div className={`grid grid-cols-1 gap-4 ${compact ? "" : "lg:grid-cols-3"}`}>
          {!compact && <LocalsPanel actual={cur.actualFrame} predicted={cur.predictedFrame} showPredicted={run.prediction !== null} />}
          <StatusPanel
            actual={stored}
            actualFrames={run.actual.frames.length}
            actualVerdict={cmp.actualVerdict}
            prediction={predictionRun}
            predictedFrames={run.prediction?.frames.length ?? 0}
            predictedVerdict={cmp.predictedVerdict}
            halting={cmp.halting}
          />
          {run.prediction && (
            <div className="flex flex-col gap-3">
              <MetricsPanel metrics={cmp.metrics} partial={false} ignoreComprehensions={ignoreComprehensions} onIgnoreComprehensions={setIgnoreComprehensions} />
              {!compact && <RawView prompt={run.prediction.prompt ?? null} raw={run.prediction.raw} />}
            </div>
          )}
        </div>
      </footer>
    </div>
  );
}
