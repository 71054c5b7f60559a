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

export function loadScript(replayFile?: string, fallback = FALLBACK_GENERATION): Script {
  return { lookup: replayFile ? parseReplay(fs.readFileSync(replayFile, "utf8"), replayFile) : null, fallback };
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
