/**
 * One step of the neural debugger against a CWM backend: the one-shot prompt, the frames so far
 * (as the model wrote them) and an optional forced event token; the server stops after one frame
 * (`<|frame_sep|>`) or at EOS. Used by POST /api/predict/step and by the CLI (`--stepwise`, `debug`).
 */
import type { Prompt } from "@/lib/cwm/prompt";
import { EOS_ID, FRAME_SEP_ID, TOK, type PromptSegment } from "@/lib/cwm/tokens";
import { EVENT_TOKEN, frameSegments, readFrameText, type StepFrame } from "@/lib/debugger/frames";
import type { StepOutcome } from "@/lib/debugger/engine";
import { PredictorError } from "@/lib/predictors/drive";
import type { CompleteResult, Predictor } from "@/lib/predictors/types";
import type { FrameEvent, SamplingSettings } from "@/lib/trace/schema";

/** A frame longer than this many tokens is not a frame: the step stops and says so. */
export const STEP_MAX_TOKENS = 8192;

export interface StepArgs {
  prompt: Prompt;
  /** The frames so far; a string is a frame's text exactly as this model wrote it (trusted callers only). */
  frames: readonly (StepFrame | string)[];
  force: FrameEvent | null;
  settings: SamplingSettings;
  signal: AbortSignal;
}

export type StepResult = (StepOutcome | { end: "invalid"; text: string }) & {
  /** The model's text of this step, the forced token first (what a raw view shows). */
  text: string;
  tokens?: CompleteResult["tokens"];
};

export function stepSegments(prompt: Prompt, frames: readonly (StepFrame | string)[], force: FrameEvent | null): PromptSegment[] {
  const out = prompt.segments.slice();
  for (const f of frames) out.push(...(typeof f === "string" ? modelTextSegments(f) : frameSegments(f)));
  if (force) out.push({ special: EVENT_TOKEN[force] });
  return out;
}

export function canStep(p: Predictor): boolean {
  return typeof p.complete === "function";
}

export async function stepOnce(predictor: Predictor, args: StepArgs): Promise<StepResult> {
  if (!predictor.complete) throw new PredictorError(`${predictor.label} cannot be driven one frame at a time; the debugger needs CWM (vLLM or Fastgen)`);
  const settings = { ...args.settings, max_tokens: Math.min(args.settings.max_tokens, STEP_MAX_TOKENS) };
  const r = await predictor.complete({
    segments: stepSegments(args.prompt, args.frames, args.force),
    stop: [EOS_ID, FRAME_SEP_ID],
    settings,
    signal: args.signal,
  });
  return readStep(r, args.force);
}

/** The model's own text: its special token texts were tokens when it wrote them. */
export function modelTextSegments(text: string): PromptSegment[] {
  const out: PromptSegment[] = [];
  let at = 0;
  for (const m of text.matchAll(SPECIAL_RE)) {
    if (m.index > at) out.push({ text: text.slice(at, m.index) });
    out.push({ special: m[0] });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

const SPECIAL_RE = new RegExp(Object.values(TOK).map((t) => t.replace(/[|]/g, "\\|")).join("|"), "g");

/** Tells a frame stop from EOS whether or not the server wrote the stop token or said which it was. */
export function readStep(r: CompleteResult, force: FrameEvent | null): StepResult {
  const forced = force ? EVENT_TOKEN[force] : "";
  let body = r.text;
  // A server that wrote EOS without being told to stop there, or text after it: the trace ended.
  const eosAt = body.indexOf(TOK.EOS);
  if (eosAt >= 0) body = body.slice(0, eosAt);
  const text = forced + body;
  const base = r.tokens ? { tokens: r.tokens } : {};
  if (r.finish === "length" && eosAt < 0) return { end: "length", text, ...base };
  const isEos = eosAt >= 0 ? body.trim() === "" : r.stoppedBy === EOS_ID || (r.stoppedBy === null && body === "");
  if (isEos && !forced) return { end: "eos", text: `${text}${TOK.EOS}`, ...base };
  const frameText = `${text}${TOK.FRAME}`;
  const frame = readFrameText(frameText);
  if (!frame) return { end: "invalid", text: frameText, ...base };
  return { end: "frame", frame, text: frameText, ...base };
}
