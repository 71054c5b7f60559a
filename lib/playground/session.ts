/**
 * The client session of one screen (the playground, a shared run): one reducer, one state.
 * Each side (the real run, the prediction) is a discriminated union on `phase` and carries its
 * source ("live" in this tab, "stored" from a shared link), its run id, the input (code and
 * call) it is for, and a typed stop reason. Events of an older run are dropped here, by run id.
 */
import type { ExecutorPhase } from "@/lib/executor/types";
import type { CanonicalTrace, Frame, PredictedTrace, PredictorInfo, SamplingSettings, StopReason } from "@/lib/trace/schema";
import { debugAfterRealDone, debugReducer, isDebugAction, type DebugAction, type DebugSession } from "./debug";

/** The code and call a result was made for. */
export interface RunInput {
  code: string;
  call: string;
}

export type Source = "live" | "stored";

export type RealRun =
  | {
      phase: "running";
      source: "live";
      runId: string;
      input: RunInput;
      frames: Frame[];
      stdout: string;
      /** Stop was pressed; the executor has not answered yet. */
      stopping: boolean;
    }
  | {
      phase: "done";
      source: Source;
      runId: string;
      input: RunInput;
      frames: Frame[];
      trace: CanonicalTrace;
      stopReason: StopReason | null;
    };

/** Why a prediction ended before the model's end of trace. */
export type PredictionStop = "user" | "token_budget" | "error";

export interface PredictionMeta {
  predictor: PredictorInfo | null;
  settings: SamplingSettings | null;
  prompt: string | null;
  raw: string;
}

export type PredictionRun =
  | ({ phase: "streaming"; source: "live"; runId: string; input: RunInput; frames: Frame[]; stopping: boolean } & PredictionMeta)
  | ({
      phase: "done";
      source: Source;
      runId: string;
      input: RunInput;
      frames: Frame[];
      final: PredictedTrace;
      stopReason: PredictionStop | null;
      /** The failure in words when the stream ended in an error (frames so far are kept). */
      error: string | null;
    } & PredictionMeta)
  | ({
      /** The request itself failed (refused, unreachable): no final prediction, frames so far kept. */
      phase: "failed";
      source: "live";
      runId: string;
      input: RunInput;
      frames: Frame[];
      error: string;
      stopReason: PredictionStop;
    } & PredictionMeta);

export interface SessionState {
  /** The code and call in the editor. */
  draft: RunInput;
  /** The example the draft was loaded from, while it is unchanged. */
  exampleId: string | null;
  interpreter: ExecutorPhase;
  real: RealRun | null;
  prediction: PredictionRun | null;
  /** A second predictor's prediction of the same code, shown beside the first ("Compare with"). */
  second: PredictionRun | null;
  /** The current row of the aligned timeline (clamped by the selectors). */
  cursor: number;
  ignoreComprehensions: boolean;
  /** Said once when a Run dropped a prediction made for other code. */
  notice: string | null;
  /** The neural debugger's session (lib/playground/debug.ts); null outside Debug. */
  debug: DebugSession | null;
}

/** Which prediction an action is for; actions without one are for the first (the only one before "Compare with"). */
export type PredictionSlot = "first" | "second";

export type SessionAction =
  | { type: "draft/edit"; code?: string; call?: string }
  | { type: "draft/replace"; draft: RunInput; exampleId: string | null }
  | { type: "interpreter"; phase: ExecutorPhase }
  | { type: "real/start"; runId: string; input: RunInput }
  | { type: "real/frames"; runId: string; frames: Frame[] }
  | { type: "real/stdout"; runId: string; text: string }
  | { type: "real/done"; runId: string; trace: CanonicalTrace }
  | { type: "prediction/start"; runId: string; input: RunInput; slot?: PredictionSlot }
  | { type: "prediction/meta"; runId: string; predictor: PredictorInfo; settings: SamplingSettings | null; prompt: string | null; slot?: PredictionSlot }
  | { type: "prediction/frames"; runId: string; frames: Frame[]; slot?: PredictionSlot }
  | { type: "prediction/raw"; runId: string; text: string; slot?: PredictionSlot }
  | { type: "prediction/done"; runId: string; final: PredictedTrace; slot?: PredictionSlot }
  | { type: "prediction/failed"; runId: string; error: string; slot?: PredictionSlot }
  | { type: "stop" }
  | { type: "loadStored"; input: RunInput; actual: CanonicalTrace | null; prediction: PredictedTrace | null }
  | { type: "cursor/move"; to: number }
  | { type: "options/ignoreComprehensions"; value: boolean }
  | { type: "notice/dismiss" }
  | { type: "batch"; actions: SessionAction[] }
  | DebugAction;

export function initialSession(draft: RunInput, exampleId: string | null = null): SessionState {
  return {
    draft,
    exampleId,
    interpreter: { phase: "idle" },
    real: null,
    prediction: null,
    second: null,
    cursor: 0,
    ignoreComprehensions: false,
    notice: null,
    debug: null,
  };
}

export function sameInput(a: RunInput, b: RunInput): boolean {
  return a.code === b.code && a.call.trim() === b.call.trim();
}

/** Stored ids are not run ids of this tab: a late event can never match one. */
const STORED_RUN_ID = "stored:";

export function predictionStopOf(final: PredictedTrace): PredictionStop | null {
  switch (final.finish) {
    case "eos":
      return null;
    case "length":
      return "token_budget";
    case "stopped":
      return "user";
    case "error":
      return "error";
  }
}

function realStopOf(trace: CanonicalTrace, stopping: boolean): StopReason | null {
  if (trace.stop_reason) return trace.stop_reason;
  // An executor that predates typed stop reasons: a Stop this tab asked for is still the user's.
  if (stopping && trace.status !== "returned" && trace.status !== "raised") return "user";
  return null;
}

function liveReal(s: SessionState, runId: string): Extract<RealRun, { phase: "running" }> | null {
  return s.real && s.real.phase === "running" && s.real.runId === runId ? s.real : null;
}

function slotOf(s: SessionState, slot: PredictionSlot | undefined): PredictionRun | null {
  return slot === "second" ? s.second : s.prediction;
}

function withSlot(s: SessionState, slot: PredictionSlot | undefined, run: PredictionRun | null): SessionState {
  return slot === "second" ? { ...s, second: run } : { ...s, prediction: run };
}

function livePrediction(s: SessionState, runId: string, slot?: PredictionSlot): Extract<PredictionRun, { phase: "streaming" }> | null {
  const p = slotOf(s, slot);
  return p && p.phase === "streaming" && p.runId === runId ? p : null;
}

/** A finished prediction made for other code than `input` (a streaming one is left to finish). */
function madeForOther(p: PredictionRun | null, input: RunInput): boolean {
  return p !== null && p.phase !== "streaming" && !sameInput(p.input, input);
}

export function sessionReducer(s: SessionState, a: SessionAction): SessionState {
  // The debugger steps the first predictor only: a second prediction is not kept beside it.
  if (isDebugAction(a)) return debugReducer(a.type === "debug/start" && s.second ? { ...s, second: null } : s, a);
  const next = coreReducer(s, a);
  return a.type === "real/done" && next.debug ? debugAfterRealDone(next, a.runId) : next;
}

function coreReducer(s: SessionState, a: Exclude<SessionAction, DebugAction>): SessionState {
  switch (a.type) {
    case "batch":
      return a.actions.reduce(sessionReducer, s);
    case "draft/edit": {
      const draft = { code: a.code ?? s.draft.code, call: a.call ?? s.draft.call };
      if (draft.code === s.draft.code && draft.call === s.draft.call) return s;
      return { ...s, draft, exampleId: null };
    }
    case "draft/replace":
      return { ...s, draft: a.draft, exampleId: a.exampleId };
    case "interpreter":
      return { ...s, interpreter: a.phase };
    case "real/start": {
      // A prediction made for other code is never scored against this run.
      const dropPrediction = madeForOther(s.prediction, a.input);
      const dropSecond = madeForOther(s.second, a.input);
      return {
        ...s,
        real: { phase: "running", source: "live", runId: a.runId, input: a.input, frames: [], stdout: "", stopping: false },
        prediction: dropPrediction ? null : s.prediction,
        second: dropSecond ? null : s.second,
        notice: dropPrediction ? "The earlier prediction was for different code and was cleared: press Predict for this code." : null,
        cursor: 0,
      };
    }
    case "real/frames": {
      const r = liveReal(s, a.runId);
      if (!r || a.frames.length === 0) return s;
      return { ...s, real: { ...r, frames: r.frames.concat(a.frames) } };
    }
    case "real/stdout": {
      const r = liveReal(s, a.runId);
      if (!r) return s;
      return { ...s, real: { ...r, stdout: r.stdout + a.text } };
    }
    case "real/done": {
      const r = liveReal(s, a.runId);
      if (!r) return s;
      return {
        ...s,
        real: {
          phase: "done",
          source: "live",
          runId: r.runId,
          input: r.input,
          frames: a.trace.frames,
          trace: a.trace,
          stopReason: realStopOf(a.trace, r.stopping),
        },
      };
    }
    case "prediction/start": {
      const dropReal = s.real !== null && s.real.phase === "done" && !sameInput(s.real.input, a.input);
      const started: PredictionRun = {
        phase: "streaming",
        source: "live",
        runId: a.runId,
        input: a.input,
        frames: [],
        stopping: false,
        predictor: null,
        settings: null,
        prompt: null,
        raw: "",
      };
      return {
        ...s,
        // A new first prediction replaces both: a second one, if chosen, starts right after it.
        ...(a.slot === "second" ? { second: started } : { prediction: started, second: null }),
        real: dropReal ? null : s.real,
        notice: dropReal ? "The earlier run was for different code and was cleared: press Run for this code." : s.notice,
        cursor: 0,
      };
    }
    case "prediction/meta": {
      const p = livePrediction(s, a.runId, a.slot);
      if (!p) return s;
      return withSlot(s, a.slot, { ...p, predictor: a.predictor, settings: a.settings, prompt: a.prompt });
    }
    case "prediction/frames": {
      const p = livePrediction(s, a.runId, a.slot);
      if (!p || a.frames.length === 0) return s;
      return withSlot(s, a.slot, { ...p, frames: p.frames.concat(a.frames) });
    }
    case "prediction/raw": {
      const p = livePrediction(s, a.runId, a.slot);
      if (!p) return s;
      return withSlot(s, a.slot, { ...p, raw: p.raw + a.text });
    }
    case "prediction/done": {
      const p = livePrediction(s, a.runId, a.slot);
      if (!p) return s;
      const stopReason = p.stopping && a.final.finish !== "eos" ? "user" : predictionStopOf(a.final);
      const error = a.final.finish === "error" ? (a.final.message ?? "the prediction failed") : null;
      return withSlot(s, a.slot, {
        phase: "done",
        source: "live",
        runId: p.runId,
        input: p.input,
        frames: a.final.frames,
        final: a.final,
        stopReason,
        error,
        predictor: a.final.predictor,
        settings: a.final.settings ?? p.settings,
        prompt: a.final.prompt ?? p.prompt,
        raw: a.final.raw,
      });
    }
    case "prediction/failed": {
      const p = livePrediction(s, a.runId, a.slot);
      if (!p) return s;
      const { stopping, ...rest } = p;
      return withSlot(s, a.slot, { ...rest, phase: "failed", error: stopping ? "stopped by you" : a.error, stopReason: stopping ? "user" : "error" });
    }
    case "stop": {
      const real = s.real?.phase === "running" ? { ...s.real, stopping: true } : s.real;
      const prediction = s.prediction?.phase === "streaming" ? { ...s.prediction, stopping: true } : s.prediction;
      const second = s.second?.phase === "streaming" ? { ...s.second, stopping: true } : s.second;
      return real === s.real && prediction === s.prediction && second === s.second ? s : { ...s, real, prediction, second };
    }
    case "loadStored":
      return {
        ...s,
        draft: a.input,
        exampleId: null,
        real: a.actual
          ? {
              phase: "done",
              source: "stored",
              runId: `${STORED_RUN_ID}real`,
              input: a.input,
              frames: a.actual.frames,
              trace: a.actual,
              stopReason: a.actual.stop_reason ?? null,
            }
          : null,
        prediction: a.prediction
          ? {
              phase: "done",
              source: "stored",
              runId: `${STORED_RUN_ID}prediction`,
              input: a.input,
              frames: a.prediction.frames,
              final: a.prediction,
              stopReason: predictionStopOf(a.prediction),
              error: a.prediction.finish === "error" ? (a.prediction.message ?? "the prediction failed") : null,
              predictor: a.prediction.predictor,
              settings: a.prediction.settings ?? null,
              prompt: a.prediction.prompt ?? null,
              raw: a.prediction.raw,
            }
          : null,
        // A stored run holds one prediction.
        second: null,
        cursor: 0,
        notice: null,
      };
    case "cursor/move":
      return a.to === s.cursor ? s : { ...s, cursor: Math.max(0, Math.floor(a.to)) };
    case "options/ignoreComprehensions":
      return a.value === s.ignoreComprehensions ? s : { ...s, ignoreComprehensions: a.value };
    case "notice/dismiss":
      return s.notice === null ? s : { ...s, notice: null };
  }
}

// ---- selectors (pure) ----

export function isRunning(s: SessionState): boolean {
  return s.real?.phase === "running";
}

export function isPredicting(s: SessionState): boolean {
  return s.prediction?.phase === "streaming" || s.second?.phase === "streaming";
}

/** A result is stale when the editor no longer holds the code and call it was made for. */
export function isStale(s: SessionState, side: "real" | "prediction" | "second"): boolean {
  const r = side === "real" ? s.real : side === "second" ? s.second : s.prediction;
  return r !== null && r.source === "live" && !sameInput(r.input, s.draft);
}

/** The two sides are scored against each other only when both were made for the same code. */
export function comparable(s: SessionState, slot: PredictionSlot = "first"): boolean {
  const p = slotOf(s, slot);
  return s.real !== null && p !== null && sameInput(s.real.input, p.input);
}

/** Something a Share would store: a finished real run of the code in the editor. */
export function shareable(s: SessionState): boolean {
  return s.real?.phase === "done" && s.real.source === "live" && !isStale(s, "real") && !isPredicting(s);
}
