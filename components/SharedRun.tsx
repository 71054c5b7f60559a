"use client";
import { useStoredRun } from "@/components/useStored";
import { useEffect, useMemo } from "react";
import { draftToHash } from "@/lib/playground/draft";
import { initialSession, sessionReducer, type SessionState } from "@/lib/playground/session";
import { stepView } from "@/lib/playground/step";
import { predictionTitle, wrapperLines } from "@/lib/playground/view";
import { viewOfStored, type SharedPreview } from "@/lib/share/preview";
import { EXECUTOR_LABEL, UPLOADED_LABEL, type SharedRunView } from "@/lib/share/summary";
import { DetailsPane } from "./DetailsPane";
import { EditorPane } from "./EditorPane";
import { RerunStatus } from "./RerunStatus";
import { Scrubber } from "./Scrubber";
import { TimelinePane } from "./TimelinePane";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "./Toolbar";
import { useExecutorBridge } from "./useExecutorBridge";
import { useStepKeys } from "./useKeyboardNavigation";
import { useSession } from "./useSession";

/** Who made what, said next to it: a shared link never claims more than the server knows. */
function provenanceOf(view: SharedRunView): { real: string; prediction: string | undefined } {
  return {
    real: `Stored trace: ${EXECUTOR_LABEL}${view.actual.executor ? ` (${view.actual.executor})` : ""}, not re-checked by the server.`,
    prediction: view.prediction ? (view.provenance === "server" ? "made by this server" : UPLOADED_LABEL) : undefined,
  };
}

function storedState(view: SharedRunView): SessionState {
  const input = { code: view.code, call: view.call };
  return sessionReducer(initialSession(input), { type: "loadStored", input, actual: view.actual, prediction: view.prediction });
}

/**
 * A stored run, read-only. Nothing executes on open; Run re-executes the code in the visitor's
 * browser and says whether the fresh result matches the stored one. A long run arrives as a
 * preview and the whole run is then fetched.
 */
export function SharedRun({ preview, compact = false, startStep = 1 }: { preview: SharedPreview; compact?: boolean; startStep?: number }) {
  const full = useStoredRun(preview.view.id, !preview.complete);
  const run = preview.complete ? preview.view : full.data ? viewOfStored(full.data) : preview.view;
  const { state, dispatch, comparison: cmp } = useSession(() => sessionReducer(storedState(preview.view), { type: "cursor/move", to: startStep - 1 }));
  useEffect(() => {
    if (!full.data) return;
    const v = viewOfStored(full.data);
    dispatch({ type: "loadStored", input: { code: v.code, call: v.call }, actual: v.actual, prediction: v.prediction });
    dispatch({ type: "cursor/move", to: startStep - 1 });
  }, [full.data, dispatch, startStep]);

  // The visitor's own re-run lives in a session of its own: it never replaces the stored trace.
  const rerun = useSession(() => initialSession({ code: run.code, call: run.call }));
  const executor = useExecutorBridge(rerun.dispatch, false);

  const step = stepView(state, cmp);
  const rowCount = cmp.rows.length;
  const move = useStepKeys(dispatch, step.cursor, rowCount, cmp.firstDivergenceRow);

  const forkHref = `/${draftToHash({ code: run.code, call: run.call })}`;
  const date = new Date(run.createdAt);
  const prov = provenanceOf(run);
  const wrappers = useMemo(() => wrapperLines({ code: run.code, call: run.call }), [run.code, run.call]);
  const p = state.prediction;
  const loadingRest = !preview.complete && !full.data;
  const rerunning = rerun.state.real?.phase === "running";

  return (
    <div className={`flex min-h-dvh flex-col ${compact ? "" : "md:h-dvh"}`}>
      <header className="flex flex-wrap items-center gap-3 border-b border-slate-300 px-3 py-1.5 dark:border-slate-700">
        <a href="/" className="text-lg font-bold">
          CWM Playground
        </a>
        <span className="text-sm text-slate-700 dark:text-slate-200">
          Shared run <code className="font-code">{run.id}</code>
          {run.title ? ` · ${run.title}` : ""} · <time dateTime={run.createdAt}>{date.toISOString().slice(0, 16).replace("T", " ")} UTC</time>
        </span>
        <div className="ml-auto flex items-center gap-2">
          <button type="button" className={PRIMARY_BUTTON} onClick={() => executor.run({ code: run.code, call: run.call })} disabled={rerunning}>
            Run
          </button>
          {compact ? (
            <a className={`${SECONDARY_BUTTON} flex items-center`} href={`/r/${run.id}`} target="_blank" rel="noopener">
              Open in playground ↗
            </a>
          ) : (
            <a className={`${SECONDARY_BUTTON} flex items-center`} href={forkHref}>
              Fork
            </a>
          )}
        </div>
      </header>
      <RerunStatus session={rerun.state} stored={run.actual} />
      {loadingRest && (
        <p role="status" className="px-3 py-1 text-sm" data-testid="loading-rest">
          Showing the first {preview.view.actual.frames.length} of {preview.totals.actual.toLocaleString("en-US")} real frames
          {preview.totals.predicted !== null ? ` and ${preview.view.prediction?.frames.length ?? 0} of ${preview.totals.predicted.toLocaleString("en-US")} predicted` : ""}; loading the rest…
          {full.error ? ` Could not load the whole run: ${full.error.message}` : ""}
        </p>
      )}
      <main
        className={`grid flex-1 grid-cols-1 gap-2 p-2 ${compact ? "grid-rows-[auto_minmax(24rem,1fr)]" : "md:min-h-0 md:grid-cols-[minmax(0,2fr)_minmax(0,3fr)] md:grid-rows-[minmax(0,3fr)_minmax(0,2fr)]"}`}
      >
        <div className={compact ? "" : "flex min-h-[240px] flex-col md:col-start-1 md:row-start-1 md:min-h-0"}>
          {compact ? (
            <pre className="font-code max-h-64 overflow-auto rounded border border-slate-300 p-2 text-sm dark:border-slate-700">
              {run.code}
              {run.call ? `\n\n# call: ${run.call}` : ""}
            </pre>
          ) : (
            <EditorPane code={run.code} call={run.call} onCodeChange={() => {}} onCallChange={() => {}} onRunShortcut={() => {}} marks={step.marks} readOnly />
          )}
        </div>
        <div className={`flex min-h-0 flex-col gap-2 ${compact ? "" : "md:col-start-2 md:row-span-2 md:row-start-1"}`}>
          <TimelinePane
            rows={cmp.rows}
            actual={state.real?.frames ?? []}
            predicted={cmp.twoSided ? (p?.frames ?? []) : null}
            realLabel={{ title: "Reality (stored)", badges: [] }}
            predictedLabel={
              cmp.twoSided && p?.predictor
                ? { title: predictionTitle(p.predictor), badges: prov.prediction === UPLOADED_LABEL ? [UPLOADED_LABEL] : [] }
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
          className={`grid grid-cols-1 content-start gap-4 ${compact ? "" : "md:col-start-1 md:row-start-2 md:overflow-auto 2xl:grid-cols-2"}`}
          state={state}
          comparison={cmp}
          step={step}
          dispatch={dispatch}
          partial={loadingRest}
          compact={compact}
          realProvenance={prov.real}
          predictionProvenance={prov.prediction}
        />
      </main>
    </div>
  );
}
