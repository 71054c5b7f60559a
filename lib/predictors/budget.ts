/**
 * The output budgets every predictor obeys, the same as the executor's (lib/executor/types.ts)
 * plus a total size: a model, a recording or the baseline can write a trace far bigger than
 * anything worth streaming, storing or sharing. What passes the budget is kept; the rest is cut
 * and the prediction says so (finish "length" and a message).
 */
import { setOwn } from "@/lib/cwm/pyjson";
import { DEFAULT_BUDGETS } from "@/lib/executor/types";
import type { Frame, Locals } from "@/lib/trace/schema";

export interface OutputBudgets {
  maxFrames: number;
  maxReprChars: number;
  /**
   * UTF-16 characters of the frames as JSON plus the raw model text: 4 MiB keeps a shared run
   * (its real trace, its prediction, the prompt) under the 8 MiB body limit of POST /api/runs.
   */
  maxOutputChars: number;
}

export const OUTPUT_BUDGETS: OutputBudgets = {
  maxFrames: DEFAULT_BUDGETS.maxSteps,
  maxReprChars: DEFAULT_BUDGETS.maxReprChars,
  maxOutputChars: 4 * 1024 * 1024,
};

/** The executor's truncation marker, so both sides show a cut value the same way. */
export function boundRepr(s: string, max: number): string {
  if (s.length <= max) return s;
  // Never split a surrogate pair: the cut text must stay valid UTF-16 for JSON and the database.
  let end = max;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${s.slice(0, end)}…[truncated ${s.length - end} chars]`;
}

function boundLocals(locals: Locals, max: number): Locals {
  let cut = false;
  for (const v of Object.values(locals)) if (v.length > max) cut = true;
  if (!cut) return locals;
  const out: Locals = {};
  for (const [k, v] of Object.entries(locals)) setOwn(out, k, boundRepr(v, max));
  return out;
}

export function boundFrame(f: Frame, max: number): Frame {
  let out = f;
  if (f.locals) {
    const locals = boundLocals(f.locals, max);
    if (locals !== f.locals) out = { ...out, locals };
  }
  if (f.value !== undefined && f.value.length > max) out = { ...out, value: boundRepr(f.value, max) };
  if (f.raw !== undefined && f.raw.length > max) out = { ...out, raw: boundRepr(f.raw, max) };
  return out;
}

/** Counts what a prediction has produced; `full` once a budget would be exceeded. */
export class OutputMeter {
  frames = 0;
  chars = 0;
  full = false;
  reason = "";

  constructor(readonly budgets: OutputBudgets = OUTPUT_BUDGETS) {}

  /** The frame as it may be kept, or null when it does not fit (the meter is then full). */
  admitFrame(f: Frame): Frame | null {
    if (this.full) return null;
    const bounded = boundFrame(f, this.budgets.maxReprChars);
    const size = JSON.stringify(bounded).length;
    if (this.frames + 1 > this.budgets.maxFrames) return this.stop(`${this.budgets.maxFrames.toLocaleString("en")} frames`);
    if (this.chars + size > this.budgets.maxOutputChars) return this.stop(`${mib(this.budgets.maxOutputChars)} of output`);
    this.frames++;
    this.chars += size;
    return bounded;
  }

  /** How much of `text` may be kept as raw model text. */
  admitRaw(text: string): string {
    if (this.full) return "";
    const room = this.budgets.maxOutputChars - this.chars;
    if (text.length <= room) {
      this.chars += text.length;
      return text;
    }
    this.stop(`${mib(this.budgets.maxOutputChars)} of output`);
    return text.slice(0, Math.max(0, room));
  }

  get message(): string {
    return `prediction cut at the output budget (${this.reason}); the frames before it are kept`;
  }

  private stop(reason: string): null {
    this.full = true;
    this.reason = reason;
    return null;
  }
}

function mib(chars: number): string {
  return `${(chars / (1024 * 1024)).toFixed(chars % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}
