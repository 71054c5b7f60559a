/**
 * The neural debugger's verbs, as in CWM's demos/cwmdbg.py: the model is driven one frame at a
 * time and reality's cursor follows in lockstep. Shared by the CLI's `debug` and the browser; the
 * model is reached through a StepFn (the backend directly, or POST /api/predict/step).
 *
 * Lockstep: every model frame is paired with a frame of the real trace, moved the same way —
 * an ordinary step advances reality by one frame; a forced return after a call (stepping over a
 * callee) moves reality to that callee's return. So row i shows what each world did at step i,
 * and `back` pops both.
 */
import type { Program } from "@/lib/cwm/program";
import { TraceParser } from "@/lib/cwm/parse";
import { frameText, withLocal, type StepFrame } from "@/lib/debugger/frames";
import type { Frame, FrameEvent, PredictorInfo } from "@/lib/trace/schema";

export type StepOutcome =
  | { end: "frame"; frame: StepFrame }
  /** The model wrote EOS: its trace has ended. */
  | { end: "eos" }
  /** The step's token budget ran out inside a frame: the partial text is kept for people. */
  | { end: "length"; text: string }
  /** The model wrote something that is not one of the four frame shapes. */
  | { end: "invalid"; text: string };

/** One model step: the frames so far (after the seeded entry frame) and a forced event token. */
export type StepFn = (frames: readonly StepFrame[], force: FrameEvent | null, signal: AbortSignal) => Promise<StepOutcome>;

export type Verb =
  | { verb: "step" }
  | { verb: "next" }
  | { verb: "out" }
  | { verb: "back" }
  /** To the end, or to the first line frame at `line` (a 1-based line of the user's code). */
  | { verb: "continue"; line?: number }
  | { verb: "reset" }
  /** One frame without forcing anything: what `--stepwise` uses (greedy stepwise = one-shot). */
  | { verb: "advance" };

export interface Edit {
  /** Index into the model's frames (canonical index - 1: the seeded frame is not editable). */
  index: number;
  name: string;
  repr: string;
}

export interface DebugState {
  /** The model's frames after the seeded entry frame, as it wrote them (edits applied). */
  frames: StepFrame[];
  /** The paired real frame index for each canonical model frame: paired[0] = 0 (the entry). */
  paired: number[];
  /** The model wrote EOS. */
  done: boolean;
  /** Why the last verb stopped early, for people (budget, unreadable frame). */
  note: string | null;
  edits: Edit[];
}

export const INITIAL_DEBUG_STATE: DebugState = { frames: [], paired: [0], done: false, note: null, edits: [] };

export interface EngineDeps {
  program: Program;
  predictor: PredictorInfo;
  step: StepFn;
  /** The real trace's frames (computed once); null while reality has not run. */
  real: () => readonly Frame[] | null;
  /** Frames one verb may add before it stops (continue on a program that never halts). */
  maxFrames?: number;
  /** Called after every frame a verb adds, so a long `continue` shows progress. */
  onProgress?: (state: DebugState) => void;
}

const DEFAULT_MAX_FRAMES = 10_000;

/** Reality's frame after `prev`: the next one, or, skipping a callee, the frame of its return. */
export function realMove(real: readonly Frame[] | null, prev: number, move: "advance" | "skip"): number {
  if (!real || real.length === 0) return prev + 1;
  const last = real.length - 1;
  if (move === "skip" && real[prev]?.event === "call" && prev > 0) {
    let depth = 0;
    for (let i = prev + 1; i <= last; i++) {
      const e = real[i].event;
      if (e === "call") depth++;
      else if (e === "return") {
        if (depth === 0) return i;
        depth--;
      }
    }
    return last;
  }
  return Math.min(prev + 1, last);
}

/** Runs one verb from `state`; the state returned is new (the input is never changed). */
export async function runVerb(state: DebugState, verb: Verb, deps: EngineDeps, signal: AbortSignal): Promise<DebugState> {
  if (verb.verb === "reset") return INITIAL_DEBUG_STATE;
  if (verb.verb === "back") {
    if (state.frames.length === 0) return state;
    const frames = state.frames.slice(0, -1);
    return { frames, paired: state.paired.slice(0, -1), done: false, note: null, edits: state.edits.filter((e) => e.index < frames.length) };
  }
  const s: DebugState = { ...state, frames: state.frames.slice(), paired: state.paired.slice(), note: null };
  const max = deps.maxFrames ?? DEFAULT_MAX_FRAMES;
  let added = 0;
  const current = (): FrameEvent => (s.frames.length ? s.frames[s.frames.length - 1].event : "call");

  /** One model frame; false when the trace cannot go on (EOS, budget, limit). */
  const one = async (force: FrameEvent | null, move: "advance" | "skip"): Promise<boolean> => {
    if (s.done) return false;
    if (added >= max) {
      s.note = `stopped after ${max} frames in one go`;
      return false;
    }
    if (signal.aborted) throw signal.reason;
    const r = await deps.step(s.frames, force, signal);
    if (r.end === "eos") {
      s.done = true;
      return false;
    }
    if (r.end === "length") {
      s.note = "the step ran out of tokens inside a frame";
      return false;
    }
    if (r.end === "invalid") {
      s.note = `the model wrote text that is not a frame: ${r.text.slice(0, 200)}`;
      return false;
    }
    s.frames.push(r.frame);
    s.paired.push(realMove(deps.real(), s.paired[s.paired.length - 1], move));
    added++;
    deps.onProgress?.({ ...s, frames: s.frames.slice(), paired: s.paired.slice() });
    return true;
  };

  switch (verb.verb) {
    case "advance":
      await one(null, "advance");
      break;
    case "step":
      // After a call frame, step *into* it (the model might otherwise return at once).
      await one(current() === "call" && s.frames.length > 0 ? "line" : null, "advance");
      break;
    case "next":
      if (await one(null, "advance")) {
        if (current() === "call" && (await one("return", "skip"))) await one(null, "advance");
      }
      break;
    case "out": {
      // Callees are stepped over (forced return), so the first other return is the current function's.
      for (;;) {
        const callee = current() === "call" && s.frames.length > 0;
        if (!(await one(callee ? "return" : null, callee ? "skip" : "advance"))) break;
        if (!callee && current() === "return") {
          await one(null, "advance");
          break;
        }
      }
      break;
    }
    case "continue": {
      const target = verb.line;
      // One parser for the whole run: re-reading every frame at each step would be quadratic.
      const parser = target === undefined ? null : new TraceParser({ program: deps.program, predictor: deps.predictor });
      for (const f of s.frames) parser?.push(frameText(f));
      for (;;) {
        if (!(await one(null, "advance"))) break;
        if (parser) {
          parser.push(frameText(s.frames[s.frames.length - 1]));
          const last = parser.frames[parser.frames.length - 1];
          if (last?.event === "line" && last.line === target) break;
        }
      }
      break;
    }
  }
  return s;
}

/**
 * Sets a local at the current frame (the counterfactual). The model will continue from the
 * edited frame; earlier frames stay as they were.
 */
export function applyEdit(state: DebugState, name: string, repr: string): DebugState {
  const index = state.frames.length - 1;
  if (index < 0) throw new Error("step into the program first: the entry frame has no locals to edit");
  const frames = state.frames.slice();
  frames[index] = withLocal(frames[index], name, repr);
  return { ...state, frames, done: false, note: null, edits: [...state.edits.filter((e) => !(e.index === index && e.name === name)), { index, name, repr }] };
}
