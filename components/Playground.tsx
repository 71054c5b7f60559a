"use client";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { draftFromHash, loadDraft, saveDraft } from "@/lib/playground/draft";
import { loadSavedDrafts, storeSavedDrafts, withSavedDraft, worthSaving, type SavedDraft } from "@/lib/playground/drafts";
import { EXAMPLES, exampleById } from "@/lib/playground/examples";
import { initialSession, isPredicting, isRunning, isStale, shareable, type RunInput } from "@/lib/playground/session";
import { stepView } from "@/lib/playground/step";
import { editorError, predictionTitle, wrapperLines } from "@/lib/playground/view";
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
import { useExecutorBridge } from "./useExecutorBridge";
import { useStepKeys } from "./useKeyboardNavigation";
import { usePredictionStream } from "./usePredictionStream";
import { usePredictors } from "./usePredictors";
import { useSession } from "./useSession";

const DEFAULT = EXAMPLES[0];
/** Shown until the server's listing says otherwise; a field the user leaves alone is not sent. */
const SAMPLING_FALLBACK: Sampling = { temperature: 0, max_tokens: 4096 };

function exampleMatching(d: RunInput): string | null {
  return EXAMPLES.find((e) => e.code === d.code && e.call === d.call)?.id ?? null;
}

/** The playground screen: editor, Reality | Prediction timelines, one cursor driving every pane. */
export function Playground() {
  const { state, dispatch, comparison: cmp } = useSession(() => initialSession({ code: DEFAULT.code, call: DEFAULT.call }, DEFAULT.id));
  const executor = useExecutorBridge(dispatch, true);
  const prediction = usePredictionStream(dispatch);
  const predictors = usePredictors();
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
  const run = useCallback(() => executor.run(state.draft), [executor, state.draft]);
  const predict = useCallback(
    () => prediction.start(state.draft, predictors.selected, chosen?.kind === "baseline" || Object.keys(sampling).length === 0 ? undefined : sampling),
    [prediction, state.draft, predictors.selected, chosen?.kind, sampling],
  );
  // The Run button is disabled while the program runs: focus moves to the timeline it fills.
  const runFromButton = () => {
    run();
    timelineRef.current?.focus();
  };
  const stop = () => {
    dispatch({ type: "stop" });
    executor.stop();
    prediction.stop();
  };

  const realStale = isStale(state, "real");
  const predictionStale = isStale(state, "prediction");
  const real = state.real;
  const realTrace = real?.phase === "done" ? real.trace : null;
  const wrappers = useMemo(() => wrapperLines(real?.input ?? state.draft), [real?.input, state.draft]);
  const error = real && !realStale ? editorError(realTrace, real.input) : null;
  const p = state.prediction;
  const shareInput =
    shareable(state) && realTrace ? { code: state.draft.code, call: state.draft.call, actual: realTrace, prediction: p?.phase === "done" && !predictionStale ? p.final : null } : null;

  return (
    <div className="flex min-h-dvh flex-col md:h-dvh">
      <Toolbar
        running={running}
        predicting={predicting}
        predictors={predictors.list}
        predictorsLoading={predictors.loading}
        predictorsError={predictors.error}
        predictorId={predictors.selected}
        onPredictor={predictors.select}
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
      >
        <ShareControl input={shareInput} resultKey={real ? real.runId : null} />
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
            marks={realStale && predictionStale ? { actual: null, predicted: null } : step.marks}
            error={error}
          />
        </div>
        <div className="flex min-h-0 flex-col gap-2 md:col-start-2 md:row-span-2 md:row-start-1">
          <TimelinePane
            scrollRef={timelineRef}
            rows={cmp.rows}
            actual={real?.frames ?? []}
            predicted={cmp.twoSided ? (p?.frames ?? []) : null}
            realLabel={{ title: "Reality (executed)", badges: realStale ? ["for earlier code"] : [] }}
            predictedLabel={cmp.twoSided ? { title: predictionTitle(p?.predictor ?? null), badges: predictionStale ? ["for earlier code"] : [] } : null}
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
          partial={predicting || running}
        />
      </main>
    </div>
  );
}
