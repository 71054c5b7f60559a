/** What a shared page shows, and how a link to it reads when pasted into a chat. */
import type { CanonicalTrace, PredictedTrace } from "@/lib/trace/schema";

export interface SharedRunView {
  id: string;
  createdAt: string;
  title: string | null;
  code: string;
  call: string;
  actual: CanonicalTrace;
  prediction: PredictedTrace | null;
}

function firstDef(code: string): string | null {
  const m = /^\s*def\s+([A-Za-z_]\w*)/m.exec(code);
  return m ? m[1] : null;
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length <= n ? one : `${one.slice(0, n - 1)}…`;
}

export function sharedRunSummary(run: SharedRunView): { title: string; description: string } {
  const subject = run.title ?? (run.call ? clip(run.call, 60) : (firstDef(run.code) ?? "a Python script"));
  const outcome =
    run.actual.status === "returned"
      ? `returned ${clip(run.actual.result ?? "None", 60)}`
      : run.actual.status === "raised"
        ? `raised ${clip(run.actual.error ?? "an exception", 60)}`
        : `stopped (${run.actual.status.replace("_", " ")})`;
  const p = run.prediction;
  const predicted = p
    ? ` ${p.predictor.label ?? p.predictor.id}${p.predictor.model ? ` (${p.predictor.model})` : ""} predicted ${p.frames.length} frames${p.result !== null ? `, result ${clip(p.result, 40)}` : ""}.`
    : "";
  return {
    title: `${subject} · CWM Playground`,
    description: `Real run: ${run.actual.frames.length} frames, ${outcome}.${predicted}`,
  };
}
