/**
 * The neural debugger on the playground screen: a sub-state of the session (`session.debug`),
 * its actions and reducer, and the derived session the comparison and the timelines read, so
 * rows, metrics and the cursor work as they do for a one-shot prediction.
 *
 * Lockstep (lib/debugger/engine.ts): canonical model frame i is paired with real frame
 * `paired[i]`, so the real column is the real trace at those indices.
 */
import { TraceParser } from "@/lib/cwm/parse";
import { buildProgram } from "@/lib/cwm/program";
import { applyEdit, INITIAL_DEBUG_STATE, type DebugState, type Verb } from "@/lib/debugger/engine";
import { frameText } from "@/lib/debugger/frames";
import type { AnsweringPredictor } from "@/lib/predictors/protocol";
import { literalRepr } from "@/lib/predictors/pyliteral";
import type { Frame, PredictedTrace, PredictorInfo } from "@/lib/trace/schema";
import type { PredictionRun, RealRun, RunInput, SessionState } from "./session";

export type VerbName = Verb["verb"];

export type DebugPhase =
  | { phase: "idle" }
  | { phase: "stepping"; verb: VerbName }
  /** Reality re-runs with the edit; the model side waits for the repr the sandbox makes. */
  | { phase: "editing"; realRunId: string; index: number; at: number; name: string; value: string }
  | { phase: "failed"; message: string };

/** The counterfactual on screen: where it is on each side and what it set. */
export interface DebugEditMark {
  /** Index into the model's frames (DebugState.frames); its canonical index is one more. */
  index: number;
  /** The real frame index the edit was asked at (K). */
  at: number;
  name: string;
  /** The value as the model side got it. */
  repr: string;
  /** Reality applied it; when not, `realError` says why. */
  applied: boolean;
  realError: string | null;
}

export interface DebugSession {
  input: RunInput;
  predictorId: string;
  predictorLabel: string | null;
  /** The verb in flight: answers of an older verb are dropped by it. */
  runId: string | null;
  state: DebugState;
  phase: DebugPhase;
  /** Who answered the last step (label and model), from StepResponse.predictor. */
  provenance: AnsweringPredictor | null;
  /** A line of the user's code that "Continue to line" runs to. */
  breakpoint: number | null;
  edit: DebugEditMark | null;
  /** The session before the edit, restored by "Back to the unedited run". */
  unedited: { state: DebugState; real: RealRun | null } | null;
  /** Said once (an edit reality could not apply, a stopped verb). */
  message: string | null;
}

export type DebugAction =
  | { type: "debug/start"; input: RunInput; predictorId: string; predictorLabel: string | null }
  | { type: "debug/verb"; runId: string; verb: VerbName }
  | { type: "debug/progress"; runId: string; state: DebugState }
  | { type: "debug/result"; runId: string; state: DebugState }
  | { type: "debug/failed"; runId: string; message: string }
  | { type: "debug/stopped"; runId: string }
  | { type: "debug/provenance"; runId: string; predictor: AnsweringPredictor }
  /** `before`: the real run the edit's re-run replaces (the bridge has already started that re-run). */
  | { type: "debug/edit"; realRunId: string; index: number; at: number; name: string; value: string; before: RealRun | null }
  | { type: "debug/refuse"; message: string }
  | { type: "debug/restore" }
  | { type: "debug/breakpoint"; line: number | null }
  | { type: "debug/dismiss" }
  | { type: "debug/end" };

/** The selectors clamp the cursor to the last row: the cursor follows the newest frame. */
const LAST_ROW = Number.MAX_SAFE_INTEGER;

export function isDebugAction(a: { type: string }): a is DebugAction {
  return a.type.startsWith("debug/");
}

export function newDebugSession(input: RunInput, predictorId: string, predictorLabel: string | null): DebugSession {
  return {
    input,
    predictorId,
    predictorLabel,
    runId: null,
    state: INITIAL_DEBUG_STATE,
    phase: { phase: "idle" },
    provenance: null,
    breakpoint: null,
    edit: null,
    unedited: null,
    message: null,
  };
}

/** Where an edit goes now: the current model frame and its paired real frame, or why not. */
export function editTarget(d: DebugSession): { index: number; at: number } | { error: string } {
  const index = d.state.frames.length - 1;
  if (index < 0) return { error: "Step into the program first: the entry frame has no locals to edit." };
  const event = d.state.frames[index].event;
  if (event !== "call" && event !== "line") return { error: `The current frame is a ${event} frame: it has no locals to edit. Step to a line first.` };
  if (d.edit) return { error: "Reality takes one edit per run: go back to the unedited run first." };
  return { index, at: d.state.paired[index + 1] ?? d.state.paired[d.state.paired.length - 1] };
}

function withDebug(s: SessionState, d: DebugSession, cursorToLast = false): SessionState {
  return { ...s, debug: d, ...(cursorToLast ? { cursor: LAST_ROW } : {}) };
}

export function debugReducer(s: SessionState, a: DebugAction): SessionState {
  if (a.type === "debug/start") return { ...s, debug: newDebugSession(a.input, a.predictorId, a.predictorLabel), cursor: 0 };
  const d = s.debug;
  if (!d) return s;
  const current = "runId" in a && a.runId === d.runId;
  switch (a.type) {
    case "debug/verb":
      return withDebug(s, { ...d, runId: a.runId, phase: { phase: "stepping", verb: a.verb }, message: null });
    case "debug/progress":
      return current && d.phase.phase === "stepping" ? withDebug(s, { ...d, state: a.state }, true) : s;
    case "debug/result":
      return current ? withDebug(s, { ...d, state: a.state, runId: null, phase: { phase: "idle" } }, true) : s;
    case "debug/failed":
      // The frames the verb added before it failed stay (progress already holds them).
      return current ? withDebug(s, { ...d, runId: null, phase: { phase: "failed", message: a.message } }) : s;
    case "debug/stopped":
      return current ? withDebug(s, { ...d, runId: null, phase: { phase: "idle" }, message: "Stopped: the frames so far are kept." }) : s;
    case "debug/provenance":
      return current ? withDebug(s, { ...d, provenance: a.predictor }) : s;
    case "debug/edit":
      return withDebug(s, {
        ...d,
        runId: null,
        phase: { phase: "editing", realRunId: a.realRunId, index: a.index, at: a.at, name: a.name, value: a.value },
        unedited: d.unedited ?? { state: d.state, real: a.before },
        message: null,
      });
    case "debug/refuse":
      return withDebug(s, { ...d, phase: { phase: "failed", message: a.message } });
    case "debug/restore":
      if (!d.unedited) return s;
      return {
        ...s,
        real: d.unedited.real,
        debug: { ...d, state: d.unedited.state, edit: null, unedited: null, runId: null, phase: { phase: "idle" }, message: null },
        cursor: LAST_ROW,
      };
    case "debug/breakpoint":
      return withDebug(s, { ...d, breakpoint: a.line });
    case "debug/dismiss":
      return withDebug(s, { ...d, message: null, phase: d.phase.phase === "failed" ? { phase: "idle" } : d.phase });
    case "debug/end":
      return { ...s, debug: null };
  }
}

/**
 * After a real run ends: when it is the edit's re-run, the model side gets the repr the sandbox
 * made; when reality could not apply the edit, the literal's repr read without running anything,
 * or, if it is not such a literal, the edit is refused and the session restored.
 */
export function debugAfterRealDone(s: SessionState, runId: string): SessionState {
  const d = s.debug;
  if (!d || d.phase.phase !== "editing" || d.phase.realRunId !== runId || s.real?.phase !== "done") return s;
  const { index, at, name, value } = d.phase;
  const trace = s.real.trace;
  const e = trace.edit;
  let repr: string;
  let realError: string | null = null;
  if (e?.applied && e.repr !== undefined) repr = e.repr;
  else {
    realError = e?.error ?? trace.error ?? "the run did not say whether it applied the edit";
    const lit = literalRepr(value);
    if (lit === null) {
      const restored = d.unedited;
      return {
        ...s,
        real: restored ? restored.real : s.real,
        debug: {
          ...d,
          state: restored ? restored.state : d.state,
          unedited: null,
          phase: {
            phase: "failed",
            message: `Reality could not set ${name} = ${value} (${realError}), and it is not a plain literal the model side can take without running it: nothing was changed.`,
          },
        },
        cursor: LAST_ROW,
      };
    }
    repr = lit;
  }
  let state: DebugState;
  try {
    state = applyEdit({ ...d.state, frames: d.state.frames.slice(0, index + 1), paired: d.state.paired.slice(0, index + 2) }, name, repr);
  } catch (err) {
    return withDebug(s, { ...d, phase: { phase: "failed", message: err instanceof Error ? err.message : String(err) } });
  }
  return withDebug(
    s,
    {
      ...d,
      state,
      phase: { phase: "idle" },
      edit: { index, at, name, repr, applied: realError === null, realError },
      message: realError ? `Reality could not apply it (${realError}); the model side continues from ${name} = ${repr}.` : null,
    },
    true,
  );
}

// ---- the derived session the screen reads ----

export interface DebugView {
  /** The session with the real and predicted sides replaced by the debug session's. */
  state: SessionState;
  /** Frame index → badge text ("edited: x = 7"), per side, for the timelines. */
  badges: { actual: ReadonlyMap<number, string>; predicted: ReadonlyMap<number, string> };
  predictor: PredictorInfo | null;
}

const NO_BADGES = { actual: new Map<number, string>(), predicted: new Map<number, string>() };

function predictorOf(d: DebugSession): PredictorInfo {
  const p = d.provenance;
  return p ? { id: p.id, model: p.model, label: p.label } : { id: d.predictorId, model: null, ...(d.predictorLabel ? { label: d.predictorLabel } : {}) };
}

/**
 * The model's side as a prediction: the canonical frames (the same as `canonicalFrames`, seeded
 * entry frame first) and, once EOS was written, the trace's outcome.
 */
export function debugPrediction(d: DebugSession): PredictedTrace {
  const parser = new TraceParser({ program: buildProgram(d.input.code, d.input.call.trim() === "" ? null : d.input.call), predictor: predictorOf(d) });
  for (const f of d.state.frames) parser.push(frameText(f));
  const n = d.state.frames.length;
  return parser.finish(d.state.done ? { finish: "eos" } : { finish: "stopped", message: `stepped ${n} frame${n === 1 ? "" : "s"} so far` });
}

/** The real frames paired with the model's, each real frame once (reality may end first). */
export function pairedReal(real: readonly Frame[], paired: readonly number[]): { frames: Frame[]; index: Map<number, number> } {
  const frames: Frame[] = [];
  const index = new Map<number, number>();
  for (const k of paired) {
    if (k >= real.length || index.has(k)) continue;
    index.set(k, frames.length);
    frames.push(real[k]);
  }
  return { frames, index };
}

export function editBadge(e: DebugEditMark): { actual: string; predicted: string } {
  return { actual: e.applied ? `edited: ${e.name} = ${e.repr}` : `edit not applied: ${e.realError ?? ""}`.trim(), predicted: `edited: ${e.name} = ${e.repr}` };
}

/** A memoised selector: frames are rebuilt only when the debug state or the real run changes. */
export function createDebugViewSelector(): (s: SessionState) => DebugView {
  let last: { debug: DebugSession; real: RealRun | null; real2: RealRun | null; prediction: PredictionRun; badges: DebugView["badges"] } | null = null;
  return (s) => {
    const d = s.debug;
    if (!d) return { state: s, badges: NO_BADGES, predictor: null };
    if (
      !last ||
      last.real !== s.real ||
      last.debug.state !== d.state ||
      last.debug.provenance !== d.provenance ||
      last.debug.edit !== d.edit ||
      last.debug.input !== d.input
    ) {
      const final = debugPrediction(d);
      const prediction: PredictionRun = {
        phase: "done",
        source: "live",
        runId: `debug:${d.predictorId}`,
        input: d.input,
        frames: final.frames,
        final,
        stopReason: null,
        error: null,
        predictor: final.predictor,
        settings: null,
        prompt: null,
        raw: "",
      };
      let real2: RealRun | null = null;
      const badges = { actual: new Map<number, string>(), predicted: new Map<number, string>() };
      if (s.real) {
        const { frames, index } = pairedReal(s.real.frames, d.state.paired);
        real2 = s.real.phase === "done" ? { ...s.real, frames, trace: { ...s.real.trace, frames } } : { ...s.real, frames };
        if (d.edit) {
          const at = index.get(d.edit.at);
          if (at !== undefined) badges.actual.set(at, editBadge(d.edit).actual);
        }
      }
      if (d.edit && d.edit.index < d.state.frames.length) badges.predicted.set(d.edit.index + 1, editBadge(d.edit).predicted);
      last = { debug: d, real: s.real, real2, prediction, badges };
    } else last = { ...last, debug: d };
    return { state: { ...s, real: last.real2, prediction: last.prediction }, badges: last.badges, predictor: last.prediction.predictor };
  };
}
