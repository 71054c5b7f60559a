"use client";
import { executorHaltLine, haltStale, haltVerdictText, madeBy, sameInput, traceHaltLine, type HaltCheck, type VerdictLine } from "@/lib/predictors/halt-state";
import type { PredictionRun, RealRun } from "@/lib/playground/session";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "./Toolbar";
import { useHaltCheck } from "./useHaltCheck";

const H2 = "text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-300";
const NOTE = "text-xs text-slate-700 dark:text-slate-200";
const MARK: Record<VerdictLine["mark"], string> = { yes: "✓", no: "✗", unknown: "?", pending: "…", none: "–" };

export interface HaltPanelProps {
  code: string;
  call: string;
  /** The predictor chosen in the toolbar; only a CWM backend can answer. */
  predictorId: string;
  /** Its label as the toolbar lists it, shown before the server answers. */
  predictorLabel?: string;
  /** The chosen predictor is connected (the server refuses the question otherwise). */
  available: boolean;
  /** The executor's run (returned / raised / budget spent). */
  real: RealRun | null;
  /** The predicted trace (EOS vs token budget). */
  prediction: PredictionRun | null;
}

/**
 * "Will it halt?": asks CWM in reasoning mode, streams its reasoning, and shows its answer beside
 * the two verdicts the playground already has (the run's and the trace's), each with who made it.
 */
export function HaltPanel(props: HaltPanelProps) {
  const { state, ask, stop } = useHaltCheck();
  const asking = state.phase === "asking";
  const current = { code: props.code, call: props.call };
  const stale = haltStale(state, current);
  return (
    <section aria-labelledby="halt-title" className="@container flex flex-col gap-2 text-sm 2xl:col-span-2" data-testid="halt-panel">
      <div className="flex flex-wrap items-center gap-2">
        <h2 id="halt-title" className={H2}>
          Halting: three verdicts
        </h2>
        <button type="button" className={PRIMARY_BUTTON} onClick={() => ask(current, props.predictorId)} disabled={asking || !props.available} data-testid="halt-ask">
          Will it halt?
        </button>
        {asking && (
          <button type="button" className={SECONDARY_BUTTON} onClick={stop} disabled={state.stopping} data-testid="halt-stop">
            {state.stopping ? "Stopping…" : "Stop asking"}
          </button>
        )}
      </div>
      {!props.available && <p className={NOTE}>Connect a CWM server to ask: {props.predictorLabel ?? props.predictorId} is not available.</p>}
      {stale && <p className={NOTE}>⚠ This answer is for earlier code: ask again to update it.</p>}
      <ul className="grid grid-cols-1 gap-2 @lg:grid-cols-3" aria-label="Halting verdicts">
        <Verdict title="Reasoning (asked)" by={modelBy(state, props)} line={modelLine(state)} stale={false} testId="halt-model-verdict" />
        <Verdict title="Executor (the real run)" by="Pyodide in your browser" line={executorHaltLine(props.real)} stale={!!props.real && !sameInput(props.real.input, current)} testId="halt-executor-verdict" />
        <Verdict
          title="Predicted trace"
          by={props.prediction?.predictor ? madeBy(props.prediction.predictor) : ""}
          line={traceHaltLine(props.prediction)}
          stale={!!props.prediction && !sameInput(props.prediction.input, current)}
          testId="halt-trace-verdict"
        />
      </ul>
      {state.phase === "refused" && (
        <p role="alert" className="font-semibold text-rose-800 dark:text-rose-200" data-testid="halt-error">
          ⚠ {state.message}
        </p>
      )}
      {(state.phase === "asking" || state.phase === "done") && state.message && (
        <p className="font-semibold text-rose-800 dark:text-rose-200" data-testid="halt-error">
          ⚠ {state.message}
        </p>
      )}
      {(state.phase === "asking" || state.phase === "done") && (
        <details open className="text-sm" data-testid="halt-reasoning">
          <summary className="flex min-h-11 cursor-pointer items-center font-semibold">
            {asking ? "Reasoning (streaming…)" : `Reasoning${state.finish === "stop" || state.finish === "length" ? "" : " (partial)"}`}
          </summary>
          <pre className="font-code max-h-60 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 text-xs dark:bg-slate-900" data-testid="halt-reasoning-text">
            {state.reasoning || (asking ? "(waiting for the model…)" : "(no reasoning)")}
          </pre>
          {state.answer.trim() && (
            <>
              <h3 className="mt-2 text-xs font-semibold uppercase text-slate-600 dark:text-slate-300">Answer</h3>
              <pre className="font-code whitespace-pre-wrap break-words rounded bg-slate-50 p-2 text-xs dark:bg-slate-900" data-testid="halt-answer-text">
                {state.answer.trim()}
              </pre>
            </>
          )}
        </details>
      )}
      {/* Only the final answer is announced: streamed reasoning would drown a screen reader. */}
      <p className="sr-only" aria-live="polite" data-testid="halt-live">
        {state.phase === "done" ? `Will it halt? ${madeBy(state.predictor)}: ${haltVerdictText(state.verdict, state.finish)}` : ""}
      </p>
    </section>
  );
}

function modelBy(s: HaltCheck, p: HaltPanelProps): string {
  if ((s.phase === "asking" || s.phase === "done") && s.predictor) return madeBy(s.predictor);
  return p.predictorLabel ?? p.predictorId;
}

function modelLine(s: HaltCheck): VerdictLine {
  switch (s.phase) {
    case "idle":
      return { mark: "none", text: "not asked yet" };
    case "refused":
      return { mark: "none", text: "not asked (see below)" };
    case "asking":
      return { mark: "pending", text: s.answer ? "answering…" : "reasoning…" };
    case "done":
      return { mark: s.verdict === "halts" ? "yes" : s.verdict === "does_not_halt" ? "no" : "unknown", text: haltVerdictText(s.verdict, s.finish) };
  }
}

function Verdict(props: { title: string; by: string; line: VerdictLine; stale: boolean; testId: string }) {
  return (
    <li className="rounded border border-slate-300 p-2 dark:border-slate-600" data-testid={props.testId} data-mark={props.line.mark}>
      <h3 className="text-xs font-semibold text-slate-700 dark:text-slate-200">{props.title}</h3>
      <p className="text-base">
        <span aria-hidden="true">{MARK[props.line.mark]} </span>
        {props.line.text}
      </p>
      {props.by && <p className={NOTE}>{props.by}</p>}
      {props.stale && <p className={NOTE}>for earlier code</p>}
    </li>
  );
}
