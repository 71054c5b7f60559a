/** What a shared page shows, and how a link to it reads when pasted into a chat. */
import { identAt, lineShape, skipSpaces } from "@/lib/cwm/pyscan";
import type { Provenance } from "@/lib/storage/schema";
import type { CanonicalTrace, PredictedTrace } from "@/lib/trace/schema";

export interface SharedRunView {
  id: string;
  createdAt: string;
  title: string | null;
  code: string;
  call: string;
  actual: CanonicalTrace;
  prediction: PredictedTrace | null;
  /** Of the prediction; null without one (and for older rows, read as "uploaded"). */
  provenance: Provenance | null;
}

/**
 * The words every shared surface (page, embed, Open Graph text, report) puts beside a
 * prediction and the real run: a shared run is data the sharer sent, and only a prediction
 * this server made itself may be shown without a qualifier.
 */
export const UPLOADED_LABEL = "uploaded by the sharer";
export const EXECUTOR_LABEL = "ran in the sharer's browser";

/** The predictor's name as a shared page shows it: "CWM (vLLM) (facebook/cwm), uploaded by the sharer". */
export function predictorByline(p: PredictedTrace, provenance: Provenance | null): string {
  const name = `${p.predictor.label ?? p.predictor.id}${p.predictor.model ? ` (${p.predictor.model})` : ""}`;
  return provenance === "server" ? name : `${name}, ${UPLOADED_LABEL}`;
}

/** The first function defined, read line by line (a /^\s*def/m regex is quadratic on blank lines). */
function firstDef(code: string): string | null {
  for (const line of code.split("\n")) {
    const shape = lineShape(line);
    if (shape.head !== "def") continue;
    const at = skipSpaces(shape.code, shape.code.indexOf("def") + 3);
    const name = identAt(shape.code, at);
    if (name) return name;
  }
  return null;
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
    ? ` ${predictorByline(p, run.provenance)}: predicted ${p.frames.length} frames${p.result !== null ? `, result ${clip(p.result, 40)}` : ""}.`
    : "";
  return {
    title: `${subject} · CWM Playground`,
    description: `Real run (${EXECUTOR_LABEL}): ${run.actual.frames.length} frames, ${outcome}.${predicted}`,
  };
}
