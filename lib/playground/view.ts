/**
 * What the playground says, derived from the session: status sentences, the editor's error
 * mark, the entry wrapper's rows, output up to a step. Pure, so each wording is tested once.
 */
import type { Halting } from "@/lib/compare/halting";
import { exceptionTypeOfError } from "@/lib/compare/normalise";
import { normaliseCode } from "@/lib/cwm/program";
import { changedKeys, previousInScope } from "@/lib/trace/scopes";
import type { CanonicalTrace, Frame, PredictedTrace, PredictorInfo } from "@/lib/trace/schema";
import { BASELINE_ID } from "@/lib/predictors/protocol";
import type { RunInput } from "./session";

/** "the baseline" is not a model: every sentence about a prediction names what made it. */
export function predictorNoun(p: PredictorInfo | null): string {
  if (p === null) return "the predictor";
  return p.id === BASELINE_ID ? "the baseline" : "the model";
}

/** The prediction column's title: what made it, and which model. */
export function predictionTitle(p: PredictorInfo | null): string {
  return p ? `Prediction — ${p.label ?? p.id}${p.model ? ` · ${p.model}` : ""}` : "Prediction";
}

/** The lines of the traced program that are the entry wrapper, not the user's code. */
export function wrapperLines(input: RunInput): ReadonlySet<number> {
  if (input.call.trim() === "") return new Set([0]);
  const n = normaliseCode(input.code).split("\n").length;
  return new Set([n + 1, n + 2]);
}

export interface EditorError {
  line: number;
  message: string;
}

/** The user's line that a syntax error or an uncaught exception points at, for the editor. */
export function editorError(trace: CanonicalTrace | null, input: RunInput): EditorError | null {
  if (!trace || !trace.error) return null;
  const userLines = normaliseCode(input.code).split("\n").length;
  if (trace.status === "error") {
    const m = /\(line (\d+)\)$/.exec(trace.error);
    if (!m) return null;
    const line = Number(m[1]);
    return line >= 1 && line <= userLines ? { line, message: trace.error } : null;
  }
  if (trace.status !== "raised") return null;
  // The innermost user line the exception passed through: the first exception frame on a user line.
  const wrapper = wrapperLines(input);
  const at = trace.frames.find((f) => f.event === "exception" && f.line !== null && !wrapper.has(f.line) && f.line >= 1 && f.line <= userLines);
  return at && at.line !== null ? { line: at.line, message: `Uncaught ${trace.error}` } : null;
}

/** Output printed before the frame at `index` ran (the whole output when the tracer did not record it). */
export function stdoutBefore(frames: readonly Frame[], index: number | null, stdout: string): { text: string; partial: boolean } {
  if (index === null) return { text: stdout, partial: false };
  const at = frames[index]?.stdout_len;
  if (at === undefined) return { text: stdout, partial: false };
  return { text: stdout.slice(0, at), partial: at < stdout.length };
}

/**
 * A return frame that only unwinds an exception (Python reports `return None` while an uncaught
 * exception leaves the function): not a real return.
 */
export function isUnwinding(frames: readonly Frame[], index: number): boolean {
  const f = frames[index];
  if (f?.event !== "return" || f.value !== "None") return false;
  const prev = frames[index - 1];
  return prev?.event === "exception" && prev.line === f.line;
}

/** The real side's outcome in words. */
export function realStatus(real: { phase: "running"; frames: readonly Frame[]; stopping: boolean } | { phase: "done"; trace: CanonicalTrace } | null, verdict: string | null): string {
  if (real === null) return "not run yet";
  if (real.phase === "running") return real.stopping ? "stopping…" : `running… ${real.frames.length.toLocaleString("en-US")} frames so far`;
  return verdict ?? real.trace.status;
}

/** A model verdict in words, with the right noun for what made the prediction. */
export function predictedStatus(final: PredictedTrace): string {
  const who = predictorNoun(final.predictor);
  switch (final.finish) {
    case "eos":
      if (final.status === "returned") return `${who} predicts it returns ${final.result ?? "None"}`;
      if (final.status === "raised") return `${who} predicts it raises ${final.error ? exceptionTypeOfError(final.error) : "an exception"}`;
      return `${who} ended the trace without the entry call's outcome`;
    case "length":
      return `${who} stopped at its token budget (it predicts the program runs long)`;
    case "stopped":
      return `prediction incomplete: ${final.message ?? "stopped before the end"}`;
    case "error":
      return `prediction incomplete: ${final.message ?? "the prediction failed"}`;
  }
}

/**
 * The halting comparison in one sentence. Agreement on *whether* it halts is kept apart from
 * the result: "both end" is never shown with a ✓ when the results differ.
 */
export function haltingSentence(h: Halting, outputCorrect: boolean | null, predictor: PredictorInfo | null): { mark: "✓" | "≠" | "✗" | "?"; text: string } {
  const who = predictorNoun(predictor);
  if (h.agreement === "unknown") return { mark: "?", text: `Cannot tell whether they agree: ${h.executor.kind === "error" ? "the program could not run" : `${who}'s prediction is incomplete`}.` };
  if (h.agreement === "disagree") {
    const real = h.executor.kind === "returned" || h.executor.kind === "raised" ? "the program ends" : "the program ran until a budget stopped it";
    const pred = h.model.kind === "terminates" ? `${who} predicts it ends` : `${who} ran out of tokens before the end`;
    return { mark: "✗", text: `They disagree: ${real}, but ${pred}.` };
  }
  if (h.model.kind === "runs_long") return { mark: "✓", text: `Both run long: the program hit a budget and ${who} its token budget.` };
  if (outputCorrect === true) return { mark: "✓", text: "Both end, with the same result." };
  return { mark: "≠", text: `Both end, but with different results (real: ${h.executor.text}; ${h.model.text.replace(/^model/, who)}).` };
}

/** "Stop", "steps" budget…: the typed stop reason of the real run, in words. */
export function stopReasonText(reason: CanonicalTrace["stop_reason"]): string | null {
  switch (reason) {
    case undefined:
      return null;
    case "user":
      return "stopped by you";
    case "steps":
      return "stopped by the step budget";
    case "time":
      return "stopped by the time budget";
    case "watchdog":
      return "the interpreter stopped answering (a loop inside C code?) and was restarted";
    case "crash":
      return "the interpreter crashed or sent more than the budgets allow, and was restarted";
  }
}

// ---- inline values (the editor's end-of-line text at the current step) ----

/** Longest inline text per side; the locals table shows the rest. */
export const INLINE_MAX_CHARS = 60;

export interface InlineValue {
  line: number;
  text: string;
}

export interface InlineSide {
  frames: readonly Frame[];
  index: number | null;
}

const prevCache = new WeakMap<readonly Frame[], Int32Array>();

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** `s = 4, n = 1`: the locals the frame's line mentions and those that just changed; a return's value. */
export function inlineText(frames: readonly Frame[], index: number): string | null {
  const f = frames[index];
  if (!f) return null;
  if (f.event === "return" || f.event === "exception") {
    if (isUnwinding(frames, index)) return null;
    return truncate(`${f.event === "return" ? "returns" : "raises"} ${f.value ?? "?"}`, INLINE_MAX_CHARS);
  }
  let prev = prevCache.get(frames);
  if (!prev || prev.length !== frames.length) {
    prev = previousInScope(frames);
    prevCache.set(frames, prev);
  }
  const changed = changedKeys(frames, prev, index);
  // Words of the line, strings and comments included: a name too many costs one value shown.
  const mentioned = new Set(f.source.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
  const parts = Object.entries(f.locals ?? {})
    .filter(([k]) => changed.has(k) || mentioned.has(k))
    .map(([k, v]) => `${k} = ${v}`);
  return parts.length === 0 ? null : truncate(parts.join(", "), INLINE_MAX_CHARS);
}

/**
 * The values to show at the ends of lines: the real frame's and the predicted frame's, each
 * labelled in words (`real: s = 4 · model: s = 5`), on one line when both are on the same line.
 * Only lines of the user's code (1..userLines) get text.
 */
export function inlineValues(actual: InlineSide | null, predicted: InlineSide | null, predictor: PredictorInfo | null, userLines: number): InlineValue[] {
  const noun = predictor?.id === BASELINE_ID ? "baseline" : "model";
  const side = (s: InlineSide | null, label: string) => {
    if (!s || s.index === null) return null;
    const f = s.frames[s.index];
    const text = inlineText(s.frames, s.index);
    if (!f || f.line === null || f.line < 1 || f.line > userLines || text === null) return null;
    return { line: f.line, text, label };
  };
  const a = side(actual, "real");
  const p = side(predicted, noun);
  if (a && p && a.line === p.line) return [{ line: a.line, text: a.text === p.text ? `real and ${noun}: ${a.text}` : `real: ${a.text} · ${noun}: ${p.text}` }];
  return [a, p].filter((x): x is NonNullable<typeof x> => x !== null).map((x) => ({ line: x.line, text: `${x.label}: ${x.text}` }));
}

// ---- code with holes ----

/** Errors that mean the code has a hole (an undefined name, a missing module, an unwritten body), not a bug it runs into. */
const HOLE_ERRORS = new Set(["NameError", "UnboundLocalError", "ImportError", "ModuleNotFoundError", "NotImplementedError"]);

/**
 * "NameError: name 'transform' is not defined" when reality could not run the code because it
 * has a hole, else null. A missing module fails at the top level, before the traced call: that
 * run ends with status "error" and no frames.
 */
export function holeError(trace: CanonicalTrace | null): string | null {
  if (!trace || (trace.status !== "raised" && trace.status !== "error") || !trace.error) return null;
  return HOLE_ERRORS.has(exceptionTypeOfError(trace.error)) ? trace.error : null;
}
