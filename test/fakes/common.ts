/**
 * What the fake CWM servers share: finding a scripted generation for any prompt (by the code in
 * its context), cutting text into token-like pieces, and the failure modes they can play.
 */
import fs from "node:fs";
import { normaliseCode, START_MARKER, MAIN_DEF } from "@/lib/cwm/program";
import { TOK } from "@/lib/cwm/tokens";
import { parseReplay, type ReplayLookup } from "@/lib/predictors/replay";

export type FailureMode =
  | "none"
  /** Accept the connection and drop it at once. */
  | "down"
  | "401"
  | "429"
  | "500"
  /** Headers at once, then nothing for firstTokenDelayMs. */
  | "slow-first-token"
  /** Stream part of the generation, stop in the middle of a frame and close the connection. */
  | "cut"
  /** Stream text that is not a trace, then finish normally. */
  | "garbage";

export const FAILURE_MODES: FailureMode[] = ["none", "down", "401", "429", "500", "slow-first-token", "cut", "garbage"];

/** The generation a fake answers with when the prompt's code is not in its script. */
export const FALLBACK_GENERATION = `${TOK.RETURN}${TOK.ACTION}${MAIN_DEF}\n${TOK.ARG}"None"${TOK.FRAME}${TOK.EOS}`;

export const GARBAGE = `Sure! Here is the trace you asked for:\n{"x": 1}${TOK.ACTION}??${TOK.FRAME}${TOK.LINE}{not json${TOK.ACTION}    x = 1\n${TOK.FRAME}lorem ipsum`;

export interface Script {
  lookup: ReplayLookup | null;
  /** Used when nothing matches (default FALLBACK_GENERATION). */
  fallback: string;
}

/** `replayFiles`: one JSONL file, or several separated by commas (the first that knows a program answers). */
export function loadScript(replayFiles?: string, fallback = FALLBACK_GENERATION): Script {
  const lookups = (replayFiles ?? "")
    .split(",")
    .filter((f) => f !== "")
    .map((f) => parseReplay(fs.readFileSync(f, "utf8"), f));
  if (lookups.length <= 1) return { lookup: lookups[0] ?? null, fallback };
  const lookup: ReplayLookup = {
    size: lookups.reduce((n, l) => n + l.size, 0),
    get: (id) => lookups.map((l) => l.get(id)).find(Boolean),
    find: (code, call) => lookups.map((l) => l.find(code, call)).find(Boolean),
    ids: () => lookups.flatMap((l) => l.ids()),
  };
  return { lookup, fallback };
}

/** The user's code and call inside a CWM prompt (call mode), or null for another prompt. */
export function contextOf(prompt: string): { code: string; call: string | null } | null {
  const start = prompt.indexOf(TOK.CONTEXT);
  if (start < 0) return null;
  const ctxEnd = prompt.indexOf(TOK.FRAME, start);
  const ctx = prompt.slice(start + TOK.CONTEXT.length, ctxEnd < 0 ? undefined : ctxEnd);
  const marker = `\n${MAIN_DEF}${START_MARKER}\n`;
  const at = ctx.indexOf(marker);
  if (at < 0) return null;
  const code = ctx.slice(ctx.startsWith("\n") ? 1 : 0, at);
  const m = /^ {4}return ([\s\S]*)\n$/.exec(ctx.slice(at + marker.length));
  if (code === "" && !m) return null;
  return { code: normaliseCode(code), call: m ? m[1] : null };
}

export function generationFor(script: Script, prompt: string): string {
  const ctx = contextOf(prompt);
  const line = ctx && script.lookup ? (script.lookup.find(ctx.code, ctx.call) ?? script.lookup.find(ctx.code)) : undefined;
  return line?.generation ?? script.fallback;
}

const SPECIAL = /<\|[a-z_]+\|>/g;

/** Token-like pieces: each special token alone, other text in runs of 1-4 characters. */
export function pieces(text: string, rand: () => number = Math.random): string[] {
  const out: string[] = [];
  let at = 0;
  const plain = (s: string) => {
    for (let i = 0; i < s.length; ) {
      const n = 1 + Math.floor(rand() * 4);
      out.push(s.slice(i, i + n));
      i += n;
    }
  };
  for (const m of text.matchAll(SPECIAL)) {
    plain(text.slice(at, m.index));
    out.push(m[0]);
    at = m.index + m[0].length;
  }
  plain(text.slice(at));
  return out;
}

/** A small deterministic PRNG so a failing test replays the same chunking. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** The generation cut in the middle of a frame (after at least one whole frame when possible). */
export function cutMidFrame(generation: string): string {
  const first = generation.indexOf(TOK.FRAME);
  const second = first >= 0 ? generation.indexOf(TOK.FRAME, first + TOK.FRAME.length) : -1;
  if (second > 0) return generation.slice(0, first + TOK.FRAME.length + Math.floor((second - first - TOK.FRAME.length) / 2));
  return generation.slice(0, Math.floor(generation.length / 2));
}

export function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

const FRAME_KINDS = [TOK.CALL, TOK.LINE, TOK.RETURN, TOK.EXCEPTION] as const;

function kindOf(frame: string): string | undefined {
  return FRAME_KINDS.find((k) => frame.startsWith(k));
}

/** A generation's frames, each with its `<|frame_sep|>`; EOS (and anything after) as the last piece. */
function splitFrames(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const eos = text.indexOf(TOK.EOS, at);
    const sep = text.indexOf(TOK.FRAME, at);
    if (sep < 0 || (eos >= 0 && eos < sep)) {
      if (at < text.length) out.push(text.slice(at));
      return out;
    }
    out.push(text.slice(at, sep + TOK.FRAME.length));
    at = sep + TOK.FRAME.length;
  }
}

/** Index of the return frame matching the call frame just before `from` (depth counted), or -1. */
function matchingReturn(frames: string[], from: number): number {
  let depth = 0;
  for (let i = from; i < frames.length; i++) {
    const k = kindOf(frames[i]);
    if (k === TOK.CALL) depth++;
    else if (k === TOK.RETURN) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/**
 * What a model that had generated `generation` would write after a debugger's prompt: the one-shot
 * prompt plus the frames so far (possibly edited, possibly with callees stepped over) plus an
 * optional forced event token. Like a real model, it continues the recorded text where the prompt
 * follows it, and otherwise lines the prompt's frames up with the recording frame by frame.
 */
export function continueGeneration(generation: string, prompt: string): string {
  const start = prompt.indexOf(TOK.CONTEXT);
  const ctxEnd = prompt.indexOf(TOK.FRAME, start);
  if (start < 0 || ctxEnd < 0) return generation;
  const rest = prompt.slice(ctxEnd + TOK.FRAME.length);
  // The seeded entry frame is part of every prompt; the recording starts after it.
  const seeded = rest.indexOf(TOK.FRAME);
  if (seeded < 0) return generation;
  const done = rest.slice(seeded + TOK.FRAME.length);
  if (done === "") return generation;
  if (generation.startsWith(done)) return generation.slice(done.length);
  const promptFrames = splitFrames(done);
  const forced = promptFrames.length && !promptFrames[promptFrames.length - 1].endsWith(TOK.FRAME) ? promptFrames.pop()! : "";
  const gen = splitFrames(generation);
  let g = 0;
  for (let i = 0; i < promptFrames.length && g < gen.length; i++) {
    const k = kindOf(promptFrames[i]);
    if (k === TOK.RETURN && kindOf(gen[g]) !== TOK.RETURN && i > 0 && kindOf(promptFrames[i - 1]) === TOK.CALL) {
      // The callee was stepped over: the recording's body of it is skipped.
      const r = matchingReturn(gen, g);
      g = r < 0 ? gen.length : r + 1;
    } else g++;
  }
  const tail = gen.slice(g);
  if (!forced) return tail.join("");
  if (tail.length && tail[0].startsWith(forced)) return tail.join("").slice(forced.length);
  if (forced === TOK.RETURN) {
    const r = matchingReturn(tail, 0);
    if (r >= 0) return tail.slice(r).join("").slice(TOK.RETURN.length);
  }
  // Forced into a kind the recording has not here: write the next recorded frame's body under it.
  const next = tail[0] ?? "";
  const k = kindOf(next);
  return k ? next.slice(k.length) + tail.slice(1).join("") : `${TOK.ACTION}\n${TOK.FRAME}`;
}

/** The text up to the first of the stop tokens, and which one it was (null: none met). */
export function cutAtStop(text: string, stopTexts: readonly string[]): { text: string; stop: string | null } {
  let at = -1;
  let stop: string | null = null;
  for (const t of stopTexts) {
    const i = text.indexOf(t);
    if (i >= 0 && (at < 0 || i < at)) {
      at = i;
      stop = t;
    }
  }
  return at < 0 ? { text, stop: null } : { text: text.slice(0, at), stop };
}
