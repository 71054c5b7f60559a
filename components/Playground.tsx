"use client";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { draftFromHash, loadDraft, saveDraft } from "@/lib/playground/draft";
import { loadSavedDrafts, storeSavedDrafts, withSavedDraft, worthSaving, type SavedDraft } from "@/lib/playground/drafts";
import { EXAMPLES, exampleById } from "@/lib/playground/examples";
import { normaliseCode } from "@/lib/cwm/program";
import { createComparisonSelector } from "@/lib/playground/comparison";
import { createDebugViewSelector } from "@/lib/playground/debug";
import { initialSession, isPredicting, isRunning, isStale, shareable, type RunInput } from "@/lib/playground/session";
import { stepView } from "@/lib/playground/step";
import { editorError, holeError, inlineValues, predictionTitle, wrapperLines } from "@/lib/playground/view";
import { DebugBar } from "./DebugBar";
import { ConnectHelp } from "./ConnectHelp";
import { DetailsPane } from "./DetailsPane";
import { DraftsMenu } from "./DraftsMenu";
import { EditorPane } from "./EditorPane";
import { Notice } from "./Notice";
import { type Sampling, type SamplingChoice } from "./SamplingControls";
import { Scrubber } from "./Scrubber";
import { ShareControl } from "./ShareControl";
import { TimelinePane } from "./TimelinePane";
import { EditorBar, Toolbar } from "./Toolbar";
import { useDebugger } from "./useDebugger";
import { useExecutorBridge } from "./useExecutorBridge";
import { useStepKeys } from "./useKeyboardNavigation";
import { usePredictionStream } from "./usePredictionStream";
import { usePredictors } from "./usePredictors";
import { useSession } from "./useSession";
import { useShare } from "./useShare";
import { RecordedControl } from "./RecordedControl";
import { useRecordedPredictions } from "./useRecordedPredictions";
import { RECORDED_ID } from "@/lib/classroom/recorded";
import { AddToLesson } from "./lesson-editor/AddToLesson";

const DEFAULT = EXAMPLES[0];
/** Shown until the server's listing says otherwise; a field the user leaves alone is not sent. */
const SAMPLING_FALLBACK: Sampling = { temperature: 0, max_tokens: 4096 };

function exampleMatching(d: RunInput): string | null {
  return EXAMPLES.find((e) => e.code === d.code && e.call === d.call)?.id ?? null;
}

/** The playground screen: editor, Reality | Prediction timelines, one cursor driving every pane. */
export function Playground() {
  const { state: raw, dispatch, comparison: rawCmp } = useSession(() => initialSession({ code: DEFAULT.code, call: DEFAULT.call }, DEFAULT.id));
  // While debugging, every pane reads the debug session's two sides (lib/playground/debug.ts).
  const selectDebugView = useMemo(createDebugViewSelector, []);
  const selectDebugComparison = useMemo(createComparisonSelector, []);
  const debugView = selectDebugView(raw);
  const state = debugView.state;
  const cmp = raw.debug ? selectDebugComparison(state) : rawCmp;
  const executor = useExecutorBridge(dispatch, true);
  const recorded = useRecordedPredictions();
  const prediction = usePredictionStream(dispatch, "first", recorded.local);
  const secondPrediction = usePredictionStream(dispatch, "second", recorded.local);
  const predictors = usePredictors(recorded.listing);
  const share = useShare();
  // "Compare with": kept while it names another available predictor, else nothing.
  const [compareChoice, setCompareChoice] = useState("");
  const [sampling, setSampling] = useState<SamplingChoice>({});
  const [saved, setSaved] = useState<SavedDraft[]>([]);
  const [undo, setUndo] = useState<{ draft: RunInput; exampleId: string | null; what: string } | null>(null);
  const [loaded, setLoaded] = useState(false);
  const timelineRef = useRef<HTMLDivElement>(null);

  /** Replaces the editor's draft, keeping the user's own code in Drafts with an undo. */
  const replaceDraft = useCallback(
    (current: RunInput, currentExample: string | null, next: RunInput, exampleId: string | null, what: string) => {
      if (worthSaving(current, currentExample ? (exampleById(currentExample)?.code ?? null) : null, next)) {
        setSaved((list) => {
          const updated = withSavedDraft(list, current, new Date());
          storeSavedDrafts(window.localStorage, updated);
          return updated;
        });
        setUndo({ draft: current, exampleId: currentExample, what });
      } else {
        setUndo(null);
      }
      dispatch({ type: "draft/replace", draft: next, exampleId });
    },
    [dispatch],
  );

  // The URL hash (a fork, a link from a report) wins over the stored draft, which is kept in Drafts.
  useEffect(() => {
    setSaved(loadSavedDrafts(window.localStorage));
    const stored = loadDraft(window.localStorage);
    const fromHash = draftFromHash(window.location.hash);
    if (fromHash) {
      history.replaceState(null, "", window.location.pathname);
      const current = stored ?? { code: DEFAULT.code, call: DEFAULT.call };
      replaceDraft(current, stored ? exampleMatching(stored) : DEFAULT.id, fromHash, exampleMatching(fromHash), "the forked code");
    } else if (stored) {
      dispatch({ type: "draft/replace", draft: stored, exampleId: exampleMatching(stored) });
    }
    setLoaded(true);
  }, [dispatch, replaceDraft]);
  useEffect(() => {
    if (loaded) saveDraft(window.localStorage, state.draft);
  }, [state.draft, loaded]);

  const running = isRunning(state);
  const predicting = isPredicting(state);
  const step = stepView(state, cmp);
  const rowCount = cmp.rows.length;
  const move = useStepKeys(dispatch, step.cursor, rowCount, cmp.firstDivergenceRow);

  const chosen = predictors.list.find((p) => p.id === predictors.selected);
  const settings = chosen?.kind === "baseline" || Object.keys(sampling).length === 0 ? undefined : sampling;
  const compared = predictors.list.find((p) => p.id === compareChoice && p.available && p.id !== predictors.selected) ?? null;
  const comparedSettings = compared?.kind === "baseline" || Object.keys(sampling).length === 0 ? undefined : sampling;
  const debug = useDebugger(raw, dispatch, executor.run, settings);
  const debugging = raw.debug !== null;
  const endDebug = useCallback(() => {
    debug.stop();
    dispatch({ type: "debug/end" });
  }, [debug, dispatch]);
  const run = useCallback(() => {
    if (debugging) endDebug();
    executor.run(state.draft);
  }, [executor, state.draft, debugging, endDebug]);
  const predict = useCallback(() => {
    if (debugging) endDebug();
    // The first start clears an earlier second prediction; the compared one starts right after it.
    prediction.start(state.draft, predictors.selected, settings);
    if (compared) secondPrediction.start(state.draft, compared.id, comparedSettings);
  }, [prediction, secondPrediction, compared, comparedSettings, state.draft, predictors.selected, settings, debugging, endDebug]);
  const startDebug = () => {
    if (!chosen) return;
    prediction.stop();
    secondPrediction.stop();
    debug.start(state.draft, chosen.id, chosen.label);
    timelineRef.current?.focus();
  };
  // The Run button is disabled while the program runs: focus moves to the timeline it fills.
  const runFromButton = () => {
    run();
    timelineRef.current?.focus();
  };
  const stop = () => {
    dispatch({ type: "stop" });
    executor.stop();
    prediction.stop();
    secondPrediction.stop();
    debug.stop();
  };

  const realStale = isStale(state, "real");
  const predictionStale = isStale(state, "prediction");
  const real = state.real;
  const realTrace = real?.phase === "done" ? real.trace : null;
  const wrappers = useMemo(() => wrapperLines(real?.input ?? state.draft), [real?.input, state.draft]);
  const p = state.prediction;
  const second = cmp.second && state.second ? { run: state.second, cmp: cmp.second } : null;
  // Code with a hole says its error once, in the outcome panel, beside the imagined trace.
  const hole = p && p.frames.length > 1 ? holeError(realTrace) : null;
  const error = real && !realStale && !hole ? editorError(realTrace, real.input) : null;
  // Share stores what Run and Predict made, never the debugger's paired subset.
  const rawReal = raw.real?.phase === "done" ? raw.real.trace : null;
  const rawP = raw.prediction;
  const shareInput =
    shareable(raw) && rawReal
      ? { code: raw.draft.code, call: raw.draft.call, actual: rawReal, prediction: rawP?.phase === "done" && !isStale(raw, "prediction") ? rawP.final : null }
      : null;
  const userLines = useMemo(() => normaliseCode(state.draft.code).split("\n").length, [state.draft.code]);
  const realFrames = real?.frames;
  const predictedFrames = cmp.twoSided ? p?.frames : undefined;
  const inline = useMemo(
    () =>
      inlineValues(
        realFrames && !realStale ? { frames: realFrames, index: step.actualIndex } : null,
        predictedFrames && !predictionStale ? { frames: predictedFrames, index: step.predictedIndex } : null,
        p?.predictor ?? null,
        userLines,
      ),
    [realFrames, realStale, step.actualIndex, predictedFrames, predictionStale, step.predictedIndex, p?.predictor, userLines],
  );

  return (
    <div className="flex min-h-dvh flex-col md:h-dvh">
      <Toolbar
        ready={loaded}
        running={running}
        predicting={predicting}
        predictors={predictors.list}
        predictorsLoading={predictors.loading}
        predictorsError={predictors.error}
        predictorId={predictors.selected}
        onPredictor={predictors.select}
        compareId={compared?.id ?? ""}
        onCompare={setCompareChoice}
        sampling={sampling}
        samplingDefaults={{ ...SAMPLING_FALLBACK, ...(predictors.maxTokensDefault ? { max_tokens: predictors.maxTokensDefault } : {}) }}
        onSampling={setSampling}
        onRun={runFromButton}
        onPredict={predict}
        onRunAndPredict={() => {
          runFromButton();
          predict();
        }}
        onStop={stop}
        onDebug={startDebug}
      >
        <ShareControl input={shareInput} resultKey={real ? real.runId : null} share={share} />
        <RecordedControl
          fileName={recorded.set?.fileName ?? null}
          error={recorded.error}
          onFile={(f) => void recorded.load(f).then((ok) => ok && predictors.select(RECORDED_ID))}
          onClear={recorded.unload}
        />
        <AddToLesson input={shareInput} share={share} />
        {second && (
          <span className="max-w-48 text-xs text-slate-700 dark:text-slate-200" data-testid="share-first-only">
            Share stores the first prediction only.
          </span>
        )}
      </Toolbar>
      {chosen && !chosen.available && (
        <div className="px-3 pt-2">
          <ConnectHelp label={chosen.label} envLines={chosen.env ?? []} />
        </div>
      )}
      {undo && (
        <Notice onDismiss={() => setUndo(null)}>
          Loaded {undo.what}. Your earlier code is kept under Drafts.{" "}
          <button
            type="button"
            className="font-semibold underline"
            onClick={() => {
              dispatch({ type: "draft/replace", draft: undo.draft, exampleId: undo.exampleId });
              setUndo(null);
            }}
          >
            Undo
          </button>
        </Notice>
      )}
      {state.notice && <Notice onDismiss={() => dispatch({ type: "notice/dismiss" })}>{state.notice}</Notice>}
      {(realStale || predictionStale) && (
        <Notice testId="stale-notice">The code or the call changed since these results: they are for earlier code. Run or Predict to update them.</Notice>
      )}
      <main className="grid flex-1 grid-cols-1 gap-2 p-2 md:min-h-0 md:grid-cols-[minmax(0,2fr)_minmax(0,3fr)] md:grid-rows-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="flex min-h-[320px] flex-col gap-1 md:col-start-1 md:row-start-1 md:min-h-0">
          <EditorBar
            ready={loaded}
            exampleId={state.exampleId}
            phase={state.interpreter}
            running={running}
            onExample={(id) => {
              const ex = exampleById(id);
              if (ex) replaceDraft(state.draft, state.exampleId, { code: ex.code, call: ex.call }, ex.id, `the example “${ex.title}”`);
            }}
          >
            <DraftsMenu
              drafts={saved}
              onRestore={(d) => replaceDraft(state.draft, state.exampleId, { code: d.code, call: d.call }, exampleMatching(d), "a saved draft")}
            />
          </EditorBar>
          <EditorPane
            code={state.draft.code}
            call={state.draft.call}
            onCodeChange={(code) => dispatch({ type: "draft/edit", code })}
            onCallChange={(call) => dispatch({ type: "draft/edit", call })}
            onRunShortcut={run}
            callDisabled={!loaded}
            marks={realStale && predictionStale ? { actual: null, predicted: null } : step.marks}
            error={error}
            inline={inline}
            breakpoint={raw.debug?.breakpoint ?? null}
            onGutterClick={debugging ? (line) => dispatch({ type: "debug/breakpoint", line }) : undefined}
          />
        </div>
        <div className="flex min-h-0 flex-col gap-2 md:col-start-2 md:row-span-2 md:row-start-1">
          {raw.debug && (
            <DebugBar
              debug={raw.debug}
              realRunning={running}
              stale={isStale(state, "prediction")}
              onVerb={debug.verb}
              onStop={debug.stop}
              onEdit={debug.edit}
              onRestore={() => dispatch({ type: "debug/restore" })}
              onBreakpoint={(line) => dispatch({ type: "debug/breakpoint", line })}
              onDismiss={() => dispatch({ type: "debug/dismiss" })}
              onEnd={endDebug}
            />
          )}
          <TimelinePane
            scrollRef={timelineRef}
            rows={cmp.rows}
            actual={real?.frames ?? []}
            predicted={cmp.twoSided ? (p?.frames ?? []) : null}
            realLabel={{ title: "Reality (executed)", badges: realStale ? ["for earlier code"] : [] }}
            predictedLabel={
              cmp.twoSided
                ? {
                    title: predictionTitle(p?.predictor ?? null),
                    badges: [...(debugging ? ["step by step"] : []), ...(predictionStale ? ["for earlier code"] : [])],
                  }
                : null
            }
            badges={debugView.badges}
            second={
              second
                ? {
                    frames: second.run.frames,
                    label: { title: predictionTitle(second.run.predictor), badges: isStale(state, "second") ? ["for earlier code"] : [] },
                    name: second.run.predictor?.label ?? second.run.predictor?.id ?? "second prediction",
                    cells: second.cmp.cells,
                    firstDivergenceRow: second.cmp.firstDivergenceRow,
                  }
                : null
            }
            realNote={cmp.realNote}
            wrapperLines={wrappers}
            cursor={step.cursor}
            onSelect={move}
            firstDivergenceRow={cmp.firstDivergenceRow}
          />
          <Scrubber cursor={step.cursor} count={rowCount} onMove={move} firstDivergenceRow={cmp.firstDivergenceRow} announcement={step.announcement} />
        </div>
        <DetailsPane
          className="grid grid-cols-1 content-start gap-4 md:col-start-1 md:row-start-2 md:overflow-auto 2xl:grid-cols-2"
          state={state}
          comparison={cmp}
          step={step}
          dispatch={dispatch}
          partial={predicting || running || (raw.debug !== null && !raw.debug.state.done)}
          halt={{ predictorId: predictors.selected, predictorLabel: chosen?.label, available: (chosen?.available ?? false) && predictors.served(predictors.selected) }}
        />
      </main>
    </div>
  );
}
