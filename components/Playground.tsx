"use client";
import { useCallback, useEffect, useMemo, useState } from "react";
import { draftFromHash, loadDraft, saveDraft, type Draft } from "@/lib/playground/draft";
import { EXAMPLES, exampleById } from "@/lib/playground/examples";
import { frameAtOrBefore } from "@/lib/playground/rows";
import { ConnectHelp } from "./ConnectHelp";
import { EditorPane } from "./EditorPane";
import { LocalsPanel } from "./LocalsPanel";
import { MetricsPanel } from "./MetricsPanel";
import { RawView } from "./RawView";
import { Scrubber } from "./Scrubber";
import { StatusPanel } from "./StatusPanel";
import { TimelinePane } from "./TimelinePane";
import { Toolbar } from "./Toolbar";
import { useComparison } from "./useComparison";
import { useExecutor } from "./useExecutor";
import { useKeyboardNavigation } from "./useKeyboardNavigation";
import { usePrediction } from "./usePrediction";
import { usePredictors } from "./usePredictors";
import { useShare } from "./useShare";

const DEFAULT = EXAMPLES[0];

/** The playground screen: editor, Reality | Prediction timelines, one cursor driving every pane. */
export function Playground() {
  const [draft, setDraft] = useState<Draft>({ code: DEFAULT.code, call: DEFAULT.call });
  const [loaded, setLoaded] = useState(false);
  const executor = useExecutor(true);
  const prediction = usePrediction();
  const predictors = usePredictors();
  const [cursor, setCursor] = useState(0);
  const share = useShare();
  const [ignoreComprehensions, setIgnoreComprehensions] = useState(false);

  // The URL hash (a link from a report or a fork) wins over the stored draft.
  useEffect(() => {
    const fromHash = draftFromHash(window.location.hash);
    const initial = fromHash ?? loadDraft(window.localStorage);
    if (initial) setDraft(initial);
    if (fromHash) history.replaceState(null, "", window.location.pathname);
    setLoaded(true);
  }, []);
  useEffect(() => {
    if (loaded) saveDraft(window.localStorage, draft);
  }, [draft, loaded]);

  const showPrediction = prediction.run !== null;
  const cmp = useComparison(executor.frames, executor.run?.trace ?? null, showPrediction ? prediction.frames : null, prediction.run?.final ?? null, prediction.run, ignoreComprehensions);
  const rows = cmp.rows;
  const clamped = Math.min(cursor, Math.max(0, rows.length - 1));
  const move = useCallback((to: number) => setCursor(Math.max(0, Math.min(to, rows.length - 1))), [rows.length]);

  const run = useCallback(() => {
    setCursor(0);
    share.reset();
    executor.start({ code: draft.code, call: draft.call });
  }, [draft, executor, share]);
  const predict = useCallback(() => {
    setCursor(0);
    share.reset();
    prediction.start({ predictor: predictors.selected, code: draft.code, call: draft.call });
  }, [draft, prediction, predictors.selected, share]);
  const runAndPredict = useCallback(() => {
    run();
    predict();
  }, [run, predict]);
  const stop = useCallback(() => {
    executor.stop();
    prediction.stop();
  }, [executor, prediction]);

  useKeyboardNavigation({
    move: (d) => move(clamped + d),
    first: () => move(0),
    last: () => move(rows.length - 1),
    divergence: () => cmp.firstDivergenceRow !== null && move(cmp.firstDivergenceRow),
  });

  const row = rows[clamped];
  const aIdx = row ? frameAtOrBefore(rows, clamped, "a") : null;
  const pIdx = row ? frameAtOrBefore(rows, clamped, "p") : null;
  const aFrame = row && row.a !== null ? executor.frames[row.a] : null;
  const pFrame = row && row.p !== null ? prediction.frames[row.p] : null;
  const marks = useMemo(
    () => ({
      actual: aIdx !== null ? (executor.frames[aIdx]?.line ?? null) : null,
      predicted: pIdx !== null ? (prediction.frames[pIdx]?.line ?? null) : null,
    }),
    [aIdx, pIdx, executor.frames, prediction.frames],
  );
  const caption = row
    ? `row ${clamped + 1} / ${rows.length} · real frame ${row.a ?? "—"} · predicted frame ${row.p ?? "—"}`
    : "no frames";

  const running = executor.run !== null && executor.run.trace === null && executor.run.runId !== "stored";
  const predicting = prediction.run?.streaming ?? false;
  const chosen = predictors.list.find((p) => p.id === predictors.selected);

  return (
    <div className="flex min-h-screen flex-col">
      <Toolbar
        phase={executor.phase}
        running={running}
        predicting={predicting}
        predictors={predictors.list}
        predictorId={predictors.selected}
        onPredictor={predictors.select}
        onExample={(id) => {
          const ex = exampleById(id);
          if (ex) setDraft({ code: ex.code, call: ex.call });
        }}
        onRun={run}
        onPredict={predict}
        onRunAndPredict={runAndPredict}
        onStop={stop}
        onShare={() => executor.run?.trace && share.share({ code: draft.code, call: draft.call, actual: executor.run.trace, prediction: prediction.run?.final ?? undefined })}
        shareState={share.state}
      />
      {chosen && !chosen.available && <div className="px-3 pt-2"><ConnectHelp label={chosen.label} envLines={chosen.env ?? []} /></div>}
      <main className="grid min-h-0 flex-1 grid-cols-1 gap-3 p-3 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <EditorPane
          code={draft.code}
          call={draft.call}
          onCodeChange={(code) => setDraft((d) => ({ ...d, code }))}
          onCallChange={(call) => setDraft((d) => ({ ...d, call }))}
          onRunShortcut={run}
          marks={marks}
        />
        <div className="flex min-h-[420px] flex-col gap-2">
          <TimelinePane
            rows={rows}
            actual={executor.frames}
            predicted={showPrediction ? prediction.frames : null}
            predictedLabel={prediction.run?.predictor ? (prediction.run.predictor.label ?? prediction.run.predictor.id) : null}
            cursor={clamped}
            onSelect={move}
            firstDivergenceRow={cmp.firstDivergenceRow}
          />
        </div>
      </main>
      <footer className="flex flex-col gap-3 border-t border-slate-300 p-3 dark:border-slate-700">
        <Scrubber cursor={clamped} count={rows.length} onMove={move} firstDivergenceRow={cmp.firstDivergenceRow} caption={caption} />
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
          <LocalsPanel actual={aFrame} predicted={pFrame} showPredicted={showPrediction} />
          <StatusPanel
            actual={executor.run}
            actualFrames={executor.frames.length}
            actualVerdict={cmp.actualVerdict}
            prediction={prediction.run}
            predictedFrames={prediction.frames.length}
            predictedVerdict={cmp.predictedVerdict}
            halting={cmp.halting}
          />
          <div className="flex flex-col gap-3">
            {showPrediction && <MetricsPanel metrics={cmp.metrics} partial={predicting || running} ignoreComprehensions={ignoreComprehensions} onIgnoreComprehensions={setIgnoreComprehensions} />}
            {showPrediction && <RawView prompt={prediction.run?.prompt ?? null} raw={prediction.run?.raw ?? ""} />}
          </div>
        </div>
      </footer>
    </div>
  );
}
