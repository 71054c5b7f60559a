/**
 * The "Will it halt?" panel's state as a pure reducer: one question at a time, events of an
 * older question dropped by run id, partial reasoning kept when the answer never comes.
 */
import type { HaltVerdict } from "@/lib/cwm/chat";
import { executorVerdict, modelVerdict } from "@/lib/compare/halting";
import type { PredictionRun, RealRun } from "@/lib/playground/session";
import type { HaltEvent, HaltFinish, HaltStartEvent } from "@/lib/predictors/halt-protocol";

export interface HaltInput {
  code: string;
  call: string;
}

export type HaltCheck =
  | { phase: "idle" }
  | {
      phase: "asking" | "done";
      runId: string;
      input: HaltInput;
      predictor: HaltStartEvent["predictor"] | null;
      reasoning: string;
      answer: string;
      /** Null until the end event. */
      verdict: HaltVerdict | null;
      finish: HaltFinish | null;
      message: string | null;
      /** Stop was pressed; the server has not answered yet. */
      stopping: boolean;
    }
  /** The server refused the question (not CWM, busy, bad input): nothing was asked. */
  | { phase: "refused"; runId: string; input: HaltInput; code: string; message: string };

export type HaltAction =
  | { type: "ask"; runId: string; input: HaltInput }
  | { type: "event"; event: HaltEvent }
  | { type: "finished"; runId: string; verdict: HaltVerdict; finish: HaltFinish; message?: string }
  | { type: "refused"; runId: string; code: string; message: string }
  | { type: "stop" };

export const HALT_IDLE: HaltCheck = { phase: "idle" };

export function haltReducer(s: HaltCheck, a: HaltAction): HaltCheck {
  switch (a.type) {
    case "ask":
      return { phase: "asking", runId: a.runId, input: a.input, predictor: null, reasoning: "", answer: "", verdict: null, finish: null, message: null, stopping: false };
    case "stop":
      return s.phase === "asking" ? { ...s, stopping: true } : s;
    case "refused":
      return s.phase !== "idle" && s.runId === a.runId ? { phase: "refused", runId: a.runId, input: s.input, code: a.code, message: a.message } : s;
    case "finished":
      if (s.phase !== "asking" || s.runId !== a.runId) return s;
      return { ...s, phase: "done", verdict: a.verdict, finish: a.finish, message: a.message ?? s.message, stopping: false };
    case "event": {
      const e = a.event;
      if (s.phase !== "asking" || s.runId !== e.runId) return s;
      switch (e.type) {
        case "start":
          return { ...s, predictor: e.predictor };
        case "reasoning":
          return { ...s, reasoning: s.reasoning + e.text };
        case "answer":
          return { ...s, answer: s.answer + e.text };
        case "end":
          return { ...s, phase: "done", verdict: e.verdict, finish: e.finish, message: e.message ?? null, stopping: false };
      }
    }
  }
}

/** The same program: results made for one belong to the other. */
export function sameInput(a: HaltInput, b: HaltInput): boolean {
  return a.code === b.code && a.call.trim() === b.call.trim();
}

/** Whether an answer was given for other code than the editor's. */
export function haltStale(s: HaltCheck, current: HaltInput): boolean {
  return s.phase !== "idle" && !sameInput(s.input, current);
}

/** The model's verdict in words, for the panel and its live region. */
export function haltVerdictText(v: HaltVerdict | null, finish: HaltFinish | null): string {
  if (v === "halts") return "yes — it halts";
  if (v === "does_not_halt") return "no — it does not halt";
  if (finish === "length") return "unclear — the reasoning ran out of tokens before an answer";
  if (finish === "stopped") return "unclear — stopped before an answer";
  if (finish === "error") return "unclear — the question failed before an answer";
  return "unclear — the answer says neither yes nor no";
}

// ---------------------------------------------------------------------------------------------
// The two other verdicts, in the panel's words

/** "yes" and "no" are answers; "unknown" is an honest "cannot tell"; "pending" is still coming. */
export type VerdictMark = "yes" | "no" | "unknown" | "pending" | "none";

export interface VerdictLine {
  mark: VerdictMark;
  text: string;
}

/**
 * What the executor's run says about halting. A run can show that a program halts, never that
 * it does not: a spent budget is "unknown", however long the run.
 */
export function executorHaltLine(real: RealRun | null): VerdictLine {
  if (real === null) return { mark: "none", text: "not run yet (press Run)" };
  if (real.phase === "running") return { mark: "pending", text: "running…" };
  const v = executorVerdict(real.trace);
  switch (v.kind) {
    case "returned":
    case "raised":
      return { mark: "yes", text: `yes — it ${v.text}` };
    case "step_limit":
    case "time_limit":
      return { mark: "unknown", text: `unknown — budget spent: ${v.text}` };
    case "error":
      return { mark: "unknown", text: `unknown — ${v.text}` };
  }
}

/** What the predicted trace says: it ended (EOS), or it used its whole token budget without ending. */
export function traceHaltLine(p: PredictionRun | null): VerdictLine {
  if (p === null) return { mark: "none", text: "no trace predicted yet (press Predict)" };
  if (p.phase === "streaming") return { mark: "pending", text: "predicting…" };
  if (p.phase === "failed") return { mark: "unknown", text: `unknown — ${p.error}` };
  const v = modelVerdict(p.final);
  switch (v.kind) {
    case "terminates":
      return { mark: "yes", text: "yes — the trace ends (end of trace before the token budget)" };
    case "runs_long":
      return { mark: "no", text: `no, or very long — the trace used its whole token budget${p.final.settings ? ` (${p.final.settings.max_tokens} tokens)` : ""} without ending` };
    case "unknown":
      return { mark: "unknown", text: `unknown — ${v.text}` };
  }
}

/** Who made a verdict: the predictor's own label (the baseline's says it is not a model) and its model. */
export function madeBy(p: { id: string; label?: string; model: string | null } | null): string {
  if (p === null) return "";
  return `${p.label ?? p.id}${p.model ? ` · ${p.model}` : ""}`;
}
