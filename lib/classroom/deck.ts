/**
 * Presentation mode's state (docs: issue 11 "Presentation mode"): a deck of beats walked by a
 * clicker. A beat is one step of the reveal: the title slide, a slide's code, and for each
 * question the line about to run → the question → the model's answer → reality. A slide with no
 * questions has its code and then its result. The projector and the presenter view each run this
 * reducer and keep each other in step over a BroadcastChannel with PresentMessage.
 */
import { z } from "zod";
import { MAX_RECORDED_BYTES } from "./recorded";

export const Stage = z.enum(["line", "question", "model", "reality"]);
export type Stage = z.infer<typeof Stage>;
const STAGES = Stage.options;

const Index = z.number().int().min(0).max(10_000);

export const Beat = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("title") }).strict(),
  z.object({ kind: z.literal("code"), slide: Index }).strict(),
  z.object({ kind: z.literal("question"), slide: Index, question: Index, stage: Stage }).strict(),
  z.object({ kind: z.literal("result"), slide: Index }).strict(),
]);
export type Beat = z.infer<typeof Beat>;

/** How many questions each slide has: all the reducer needs to know of a lesson. */
export type DeckShape = readonly number[];

export function beatsOf(shape: DeckShape): Beat[] {
  const beats: Beat[] = [{ kind: "title" }];
  shape.forEach((questions, slide) => {
    beats.push({ kind: "code", slide });
    if (questions === 0) beats.push({ kind: "result", slide });
    for (let question = 0; question < questions; question++) for (const stage of STAGES) beats.push({ kind: "question", slide, question, stage });
  });
  return beats;
}

function sameBeat(a: Beat, b: Beat): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "title" || b.kind === "title") return true;
  if (a.slide !== b.slide) return false;
  if (a.kind === "question" && b.kind === "question") return a.question === b.question && a.stage === b.stage;
  return true;
}

export function beatIndex(shape: DeckShape, beat: Beat): number {
  return beatsOf(shape).findIndex((b) => sameBeat(b, beat));
}

/** Whether `stage` of a question has been reached at `beat` (the answer may be in the DOM). */
export function reached(beat: Beat, stage: Stage): boolean {
  return beat.kind === "question" && STAGES.indexOf(beat.stage) >= STAGES.indexOf(stage);
}

/**
 * `rev` and `by` order changes made in two windows: the higher (rev, by) wins, so a late or
 * replayed message never moves a window back and two windows that changed at once agree.
 */
export interface DeckState {
  beat: Beat;
  blank: boolean;
  /** Digits typed for "go to slide N" (then Enter). */
  typed: string;
  rev: number;
  by: string;
  /** This window's id, for `by`. */
  self: string;
}

export type DeckAction =
  | { type: "next" }
  | { type: "back" }
  | { type: "first" }
  | { type: "last" }
  | { type: "toggleBlank" }
  | { type: "goto"; beat: Beat }
  | { type: "digit"; digit: string }
  | { type: "enter" }
  | { type: "sync"; beat: Beat; blank: boolean; rev: number; by: string };

export function initialDeck(self: string, beat: Beat = { kind: "title" }): DeckState {
  return { beat, blank: false, typed: "", rev: 0, by: self, self };
}

/** Most digits "go to slide" takes: slides are at most 50, so more are a slip of the finger. */
const MAX_TYPED = 3;

export function deckReducer(shape: DeckShape, state: DeckState, action: DeckAction): DeckState {
  if (action.type === "sync") {
    const newer = action.rev > state.rev || (action.rev === state.rev && action.by > state.by);
    if (!newer || beatIndex(shape, action.beat) < 0) return state;
    return { ...state, beat: action.beat, blank: action.blank, rev: action.rev, by: action.by };
  }
  const next = local(shape, state, action);
  if (sameBeat(next.beat, state.beat) && next.blank === state.blank) return next;
  return { ...next, rev: state.rev + 1, by: state.self };
}

function local(shape: DeckShape, state: DeckState, action: Exclude<DeckAction, { type: "sync" }>): DeckState {
  const beats = beatsOf(shape);
  const at = Math.max(
    0,
    beats.findIndex((b) => sameBeat(b, state.beat)),
  );
  const go = (i: number): DeckState => ({ ...state, beat: beats[Math.min(beats.length - 1, Math.max(0, i))], blank: false, typed: "" });
  switch (action.type) {
    case "next":
    case "back":
      // A blank screen comes back where it was: the first press only lifts the blank.
      if (state.blank) return { ...state, blank: false, typed: "" };
      return go(at + (action.type === "next" ? 1 : -1));
    case "first":
      return go(0);
    case "last":
      return go(beats.length - 1);
    case "toggleBlank":
      return { ...state, blank: !state.blank, typed: "" };
    case "goto": {
      const i = beats.findIndex((b) => sameBeat(b, action.beat));
      return i < 0 ? state : go(i);
    }
    case "digit":
      if (!/^[0-9]$/.test(action.digit)) return state;
      return { ...state, typed: (state.typed + action.digit).slice(-MAX_TYPED) };
    case "enter": {
      if (state.typed === "") return state;
      const n = Number(state.typed);
      if (n === 0) return go(0);
      if (n > shape.length) return { ...state, typed: "" };
      return go(beats.findIndex((b) => b.kind === "code" && b.slide === n - 1));
    }
  }
}

/** What a key does in presentation mode; null for keys it leaves alone. */
export type KeyCommand = { type: "deck"; action: DeckAction } | { type: "fullscreen" } | { type: "font"; delta: 1 | -1 };

export function keyCommand(key: string): KeyCommand | null {
  const deck = (action: DeckAction): KeyCommand => ({ type: "deck", action });
  switch (key) {
    case "PageDown":
    case " ":
    case "ArrowRight":
    case "ArrowDown":
      return deck({ type: "next" });
    case "PageUp":
    case "ArrowLeft":
    case "ArrowUp":
      return deck({ type: "back" });
    case "Home":
      return deck({ type: "first" });
    case "End":
      return deck({ type: "last" });
    case "b":
    case "B":
    case ".": // what most clickers send for their "blank" button
      return deck({ type: "toggleBlank" });
    case "f":
    case "F":
      return { type: "fullscreen" };
    case "+":
    case "=":
      return { type: "font", delta: 1 };
    case "-":
    case "_":
      return { type: "font", delta: -1 };
    case "Enter":
      return deck({ type: "enter" });
    default:
      return /^[0-9]$/.test(key) ? deck({ type: "digit", digit: key }) : null;
  }
}

/** Code sizes in px: 24 by default (readable from the back of a room), adjustable with + / −. */
export const FONT = { min: 16, max: 48, step: 2, default: 24 } as const;

export function nextFont(px: number, delta: 1 | -1): number {
  return clampFont(px + delta * FONT.step);
}

export function clampFont(px: unknown): number {
  if (typeof px !== "number" || !Number.isFinite(px)) return FONT.default;
  return Math.min(FONT.max, Math.max(FONT.min, Math.round(px)));
}

const STAGE_WORDS: Record<Stage, string> = { line: "the line about to run", question: "the question", model: "the model's answer", reality: "reality" };

/** A beat in words, for the presenter view ("Slide 2 · question 1 of 3 · the model's answer"). */
export function describeBeat(shape: DeckShape, beat: Beat): string {
  switch (beat.kind) {
    case "title":
      return "Title slide";
    case "code":
      return `Slide ${beat.slide + 1} of ${shape.length} · the code`;
    case "result":
      return `Slide ${beat.slide + 1} of ${shape.length} · the result`;
    case "question":
      return `Slide ${beat.slide + 1} of ${shape.length} · question ${beat.question + 1} of ${shape[beat.slide] ?? 0} · ${STAGE_WORDS[beat.stage]}`;
  }
}

/** The beat after `beat`, or null at the end. */
export function beatAfter(shape: DeckShape, beat: Beat): Beat | null {
  const beats = beatsOf(shape);
  const i = beats.findIndex((b) => sameBeat(b, beat));
  return i >= 0 && i + 1 < beats.length ? beats[i + 1] : null;
}

/** Between the projector and presenter windows of one lesson (channel `cwm-present-<id>`). */
export const PresentMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("state"), beat: Beat, blank: z.boolean(), rev: z.number().int().min(0), by: z.string().max(64) }).strict(),
  /** A window that just opened asks the others for the current state. */
  z.object({ type: z.literal("hello"), by: z.string().max(64) }).strict(),
  /** Recorded predictions loaded in one window, for the others: the teacher loads the file once. */
  z.object({ type: z.literal("recorded"), fileName: z.string().min(1).max(255), text: z.string().max(MAX_RECORDED_BYTES) }).strict(),
]);
export type PresentMessage = z.infer<typeof PresentMessage>;

export function presentChannelName(lessonId: string): string {
  return `cwm-present-${lessonId}`;
}
