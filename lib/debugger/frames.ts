/**
 * The neural debugger's frames: each as the model *wrote* it (diff locals with "..", the value as
 * a JSON string), so a step's prompt is the one-shot prompt plus the model's own text and, with
 * greedy decoding, stepping to the end gives exactly the one-shot prediction. A frame whose text
 * json.dumps would not write back byte for byte keeps that text (`locals_text`, `value_text`).
 * No server imports: the browser, the server and the CLI share it.
 */
import { z } from "zod";
import { TraceParser } from "@/lib/cwm/parse";
import type { Program } from "@/lib/cwm/program";
import { parseJsonLocals, parseJsonString, pyJsonObject, pyJsonString, setOwn } from "@/lib/cwm/pyjson";
import { findSpecialTokenText, TOK, type PromptSegment } from "@/lib/cwm/tokens";
import { FrameEvent, Locals, type Frame, type PredictorInfo } from "@/lib/trace/schema";

/** One source line, one value: a frame larger than this is not a frame the model wrote. */
const MAX_FIELD_CHARS = 256 * 1024;
const Field = z.string().max(MAX_FIELD_CHARS, `a frame field is longer than ${MAX_FIELD_CHARS} characters`);

export const StepFrame = z
  .object({
    event: FrameEvent,
    /** The action: the source line as written, without its trailing newline. */
    source: Field,
    /** call and line frames: locals as written, ".." for a value unchanged in the scope. */
    locals: Locals.optional(),
    /** call and line frames whose locals text is not what json.dumps writes: that text. */
    locals_text: Field.optional(),
    /** return and exception frames: the value (the repr) the JSON string holds. */
    value: Field.optional(),
    /** return and exception frames whose value text is not one JSON string: that text. */
    value_text: Field.optional(),
  })
  .strict();
export type StepFrame = z.infer<typeof StepFrame>;

export const EVENT_TOKEN: Record<FrameEvent, string> = { call: TOK.CALL, line: TOK.LINE, return: TOK.RETURN, exception: TOK.EXCEPTION };

function hasState(e: FrameEvent): boolean {
  return e === "call" || e === "line";
}

function localsPart(f: StepFrame): string {
  return f.locals_text ?? pyJsonObject(f.locals ?? {});
}

function valuePart(f: StepFrame): string {
  return f.value_text ?? pyJsonString(f.value ?? "None");
}

/** The frame as the model reads it, `<|frame_sep|>` included. */
export function frameText(f: StepFrame): string {
  if (hasState(f.event)) return `${EVENT_TOKEN[f.event]}${localsPart(f)}${TOK.ACTION}${f.source}\n${TOK.FRAME}`;
  return `${EVENT_TOKEN[f.event]}${TOK.ACTION}${f.source}\n${TOK.ARG}${valuePart(f)}${TOK.FRAME}`;
}

/** The same as prompt segments: every field is text, so nothing in it can become a token. */
export function frameSegments(f: StepFrame): PromptSegment[] {
  if (hasState(f.event))
    return [{ special: EVENT_TOKEN[f.event] }, { text: localsPart(f) }, { special: TOK.ACTION }, { text: `${f.source}\n` }, { special: TOK.FRAME }];
  return [{ special: EVENT_TOKEN[f.event] }, { special: TOK.ACTION }, { text: `${f.source}\n` }, { special: TOK.ARG }, { text: valuePart(f) }, { special: TOK.FRAME }];
}

/** The first text shaped like a special token in any field of the frames, or null. */
export function specialTokenInFrames(frames: readonly StepFrame[]): string | null {
  for (const f of frames) {
    for (const s of [f.source, f.locals_text, f.value, f.value_text]) {
      const found = s === undefined ? null : findSpecialTokenText(s);
      if (found) return found;
    }
    for (const [k, v] of Object.entries(f.locals ?? {})) {
      const found = findSpecialTokenText(k) ?? findSpecialTokenText(v);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Reads one frame the model wrote: from its event token to its `<|frame_sep|>` (which may be
 * absent). Null when the text is not a frame of the four shapes.
 */
export function readFrameText(text: string): StepFrame | null {
  const body = text.endsWith(TOK.FRAME) ? text.slice(0, -TOK.FRAME.length) : text;
  const event = (Object.keys(EVENT_TOKEN) as FrameEvent[]).find((e) => body.startsWith(EVENT_TOKEN[e]));
  if (!event) return null;
  const rest = body.slice(EVENT_TOKEN[event].length);
  const act = rest.indexOf(TOK.ACTION);
  if (act < 0 || rest.indexOf(TOK.ACTION, act + 1) >= 0) return null;
  const head = rest.slice(0, act);
  const tail = rest.slice(act + TOK.ACTION.length);
  if (hasState(event)) {
    if (tail.includes(TOK.ARG)) return null;
    const frame: StepFrame = { event, source: stripNewline(tail) };
    const locals = parseJsonLocals(head);
    if (locals && pyJsonObject(locals) === head) frame.locals = locals;
    else frame.locals_text = head;
    return frame;
  }
  if (head !== "") return null;
  const arg = tail.indexOf(TOK.ARG);
  if (arg < 0 || tail.indexOf(TOK.ARG, arg + 1) >= 0) return null;
  const frame: StepFrame = { event, source: stripNewline(tail.slice(0, arg)) };
  const valueText = tail.slice(arg + TOK.ARG.length);
  const value = parseJsonString(valueText);
  if (value !== null && pyJsonString(value) === valueText) frame.value = value;
  else frame.value_text = valueText;
  return frame;
}

function stripNewline(s: string): string {
  return s.endsWith("\n") ? s.slice(0, -1) : s;
}

/**
 * The frames in canonical form (full locals, line numbers), the entry's seeded call frame first:
 * exactly what a one-shot prediction of the same text gives.
 */
export function canonicalFrames(program: Program, frames: readonly StepFrame[], predictor: PredictorInfo): Frame[] {
  const parser = new TraceParser({ program, predictor });
  for (const f of frames) parser.push(frameText(f));
  return parser.frames.slice();
}

/**
 * A local's value at frame `index`, resolving ".." by walking back through the same scope (the
 * rule of cwmdbg's `local_vars`): stops at a call frame or a return frame.
 */
export function fullLocals(frames: readonly StepFrame[], index: number): Record<string, string> {
  let i = index;
  while (i >= 0 && !hasState(frames[i].event)) i--;
  if (i < 0) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(frames[i].locals ?? {})) setOwn(out, k, v);
  for (const k of Object.keys(out)) {
    if (out[k] !== "..") continue;
    for (let j = i - 1; j >= 0; j--) {
      const prev = frames[j].locals;
      const v = prev && Object.hasOwn(prev, k) ? prev[k] : undefined;
      if (v !== undefined && v !== "..") {
        setOwn(out, k, v);
        break;
      }
      if (frames[j].event === "call" || frames[j].event === "return") break;
    }
  }
  return out;
}

/** The frame with one local set to a repr: the counterfactual the model continues from. */
export function withLocal(f: StepFrame, name: string, repr: string): StepFrame {
  if (!hasState(f.event)) throw new Error(`a ${f.event} frame has no locals to edit`);
  const locals: Record<string, string> = {};
  const base = f.locals ?? {};
  let seen = false;
  for (const [k, v] of Object.entries(base)) {
    if (k === name) {
      seen = true;
      setOwn(locals, k, repr);
    } else setOwn(locals, k, v);
  }
  if (!seen) setOwn(locals, name, repr);
  // A locals_text the model wrote oddly is dropped: the edited frame is written the canonical way.
  return { event: f.event, source: f.source, locals };
}
