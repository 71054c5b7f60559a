"use client";
import { useCallback, useEffect, useState } from "react";
import { draftFromHash, loadDraft, saveDraft, type Draft } from "@/lib/playground/draft";
import { EXAMPLES, exampleById } from "@/lib/playground/examples";
import { ConnectHelp } from "./ConnectHelp";
import { EditorPane } from "./EditorPane";
import { LocalsPanel } from "./LocalsPanel";
import { MetricsPanel } from "./MetricsPanel";
import { RawView } from "./RawView";
import { DEFAULT_SAMPLING, type Sampling } from "./SamplingControls";
import { Scrubber } from "./Scrubber";
import { StatusPanel } from "./StatusPanel";
import { TimelinePane } from "./TimelinePane";
import { Toolbar } from "./Toolbar";
import { useComparison } from "./useComparison";
import { useExecutor } from "./useExecutor";
import { useCursor } from "./useCursor";
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
  const share = useShare();
  const [ignoreComprehensions, setIgnoreComprehensions] = useState(false);
  const [sampling, setSampling] = useState<Sampling>(DEFAULT_SAMPLING);

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
  const cur = useCursor(rows, executor.frames, prediction.frames, cmp.firstDivergenceRow);

  const run = useCallback(() => {
    cur.reset();
    share.reset();
    executor.start({ code: draft.code, call: draft.call });
  }, [draft, executor.start, share.reset, cur.reset]);
  const predict = useCallback(() => {
    cur.reset();
    share.reset();
    prediction.start({ predictor: predictors.selected, code: draft.code, call: draft.call, settings: sampling });
  }, [draft, prediction.start, predictors.selected, share.reset, sampling, cur.reset]);
  const runAndPredict = useCallback(() => {
    run();
    predict();
  }, [run, predict]);
  const stop = useCallback(() => {
    executor.stop();
    prediction.stop();
  }, [executor, prediction]);

  const running = executor.run !== null && executor.run.trace === null && executor.run.runId !== "stored";
  const predicting = prediction.run?.streaming ?? false;
  const chosen = predictors.list.find((p) => p.id === predictors.selected);

  return (
    <div className="flex min-h-screen flex-col lg:h-screen">
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
        sampling={sampling}
        onSampling={setSampling}
      />
      {chosen && !chosen.available && <div className="px-3 pt-2"><ConnectHelp label={chosen.label} envLines={chosen.env ?? []} /></div>}
      <main className="grid flex-1 grid-cols-1 gap-3 p-3 lg:min-h-0 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)] lg:grid-rows-[minmax(0,1fr)]">
        <EditorPane
          code={draft.code}
          call={draft.call}
          onCodeChange={(code) => setDraft((d) => ({ ...d, code }))}
          onCallChange={(call) => setDraft((d) => ({ ...d, call }))}
          onRunShortcut={run}
          marks={cur.marks}
        />
        <div className="flex h-[70vh] min-h-0 flex-col gap-2 lg:h-auto">
          <TimelinePane
            rows={rows}
            actual={executor.frames}
            predicted={showPrediction ? prediction.frames : null}
            predictedLabel={prediction.run?.predictor ? (prediction.run.predictor.label ?? prediction.run.predictor.id) : null}
            cursor={cur.cursor}
            onSelect={cur.move}
            firstDivergenceRow={cmp.firstDivergenceRow}
          />
        </div>
      </main>
      <footer className="flex flex-col gap-3 border-t border-slate-300 p-3 lg:max-h-[42vh] lg:overflow-auto dark:border-slate-700">
        <Scrubber cursor={cur.cursor} count={rows.length} onMove={cur.move} firstDivergenceRow={cmp.firstDivergenceRow} caption={cur.caption} />
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
          <LocalsPanel actual={cur.actualFrame} predicted={cur.predictedFrame} showPredicted={showPrediction} />
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
