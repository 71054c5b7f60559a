/**
 * Incremental parser of CWM trace text. Chunks may split anywhere (even inside a special
 * token's text); each frame is emitted as soon as its `<|frame_sep|>` arrives. It never throws
 * on model output: an unreadable frame is kept with its raw text and flagged `invalid`.
 */
import { LineMapper } from "@/lib/cwm/linemap";
import { MAIN_DEF, frameSource, type Program } from "@/lib/cwm/program";
import { parseJsonLocals, parseJsonString } from "@/lib/cwm/pyjson";
import { TOK } from "@/lib/cwm/tokens";
import type { FinishReason, Frame, Locals, PredictedTrace, PredictorInfo } from "@/lib/trace/schema";

export const UNCHANGED = "..";
const SCAN_BACK = Math.max(TOK.FRAME.length, TOK.EOS.length) - 1;

export interface ParserOptions {
  program: Program;
  predictor: PredictorInfo;
  /** The prompt ended with main's call frame, so the generation starts after it (default true). */
  seeded?: boolean;
}

export interface FinishInfo {
  /** Why the text ended when no EOS was read: "length", "stopped" or "error". */
  finish?: FinishReason;
  message?: string;
}

interface Scope {
  locals: Locals;
  range: readonly [number, number] | null;
  last: number | null;
  entry: boolean;
  /** The scope's latest exception frame value, cleared by any later line frame. */
  raising: string | null;
}

const KINDS: ReadonlyArray<readonly [string, Frame["event"]]> = [
  [TOK.CALL, "call"],
  [TOK.LINE, "line"],
  [TOK.RETURN, "return"],
  [TOK.EXCEPTION, "exception"],
];

export class TraceParser {
  readonly frames: Frame[] = [];
  private readonly mapper: LineMapper;
  private readonly program: Program;
  private readonly predictor: PredictorInfo;
  private readonly chunks: string[] = [];
  private pending = "";
  private scanFrom = 0;
  private emitted = 0;
  private stack: Scope[] = [];
  private eos = false;
  private afterEos = "";
  private structuralErrors: string[] = [];
  private jsonOk = true;
  private entryDone: { event: "return" | "exception"; value: string } | null = null;

  constructor(opts: ParserOptions) {
    this.program = opts.program;
    this.predictor = opts.predictor;
    this.mapper = new LineMapper(opts.program);
    if (opts.seeded !== false) {
      const entryDef = opts.program.entryDef ?? MAIN_DEF;
      const line = this.mapper.map(entryDef);
      this.frames.push({ event: "call", line, source: entryDef, locals: {} });
      this.stack.push({ locals: {}, range: line === null ? null : this.mapper.blockRange(line), last: line, entry: true, raising: null });
    }
  }

  get ended(): boolean {
    return this.eos;
  }

  /** Feeds model text; returns the frames completed since the last call (with their indexes). */
  push(chunk: string): Array<{ index: number; frame: Frame }> {
    this.chunks.push(chunk);
    if (this.eos) {
      this.afterEos += chunk;
      return this.drain();
    }
    this.pending += chunk;
    for (;;) {
      const at = this.pending.indexOf(TOK.FRAME, this.scanFrom);
      // EOS only matters before the next separator: searching the whole rest for every frame
      // would make a chunk of n frames cost n × its length.
      const end = at < 0 ? this.pending.length : at + TOK.EOS.length - 1;
      const inFrame = this.pending.slice(this.scanFrom, end).indexOf(TOK.EOS);
      const eosAt = inFrame < 0 ? -1 : this.scanFrom + inFrame;
      if (eosAt >= 0 && (at < 0 || eosAt < at)) {
        const before = this.pending.slice(0, eosAt);
        if (before.trim() !== "") this.structuralErrors.push("text without a frame separator before the end of text");
        this.afterEos = this.pending.slice(eosAt + TOK.EOS.length);
        this.pending = before;
        this.eos = true;
        break;
      }
      if (at < 0) {
        // A separator may be split across chunks: rescan only the tail that could hold its start.
        this.scanFrom = Math.max(0, this.pending.length - SCAN_BACK);
        break;
      }
      const text = this.pending.slice(0, at);
      this.pending = this.pending.slice(at + TOK.FRAME.length);
      this.scanFrom = 0;
      this.frames.push(this.readFrame(text));
    }
    return this.drain();
  }

  /** Frames not yet handed out by push() (the seeded frame before any text). */
  drain(): Array<{ index: number; frame: Frame }> {
    const out: Array<{ index: number; frame: Frame }> = [];
    for (; this.emitted < this.frames.length; this.emitted++) out.push({ index: this.emitted, frame: this.frames[this.emitted] });
    return out;
  }

  /** Ends the text and builds the predicted trace. */
  finish(info: FinishInfo = {}): PredictedTrace {
    if (info.finish === "eos" && !this.eos) {
      // The server stopped on EOS without writing its text (vLLM drops special stop tokens).
      this.push(TOK.EOS);
      this.chunks.pop();
    }
    const errors = [...this.structuralErrors];
    if (this.afterEos.trim() !== "") errors.push("text after the end of text");
    if (!this.eos && this.pending.trim() !== "") errors.push("the last frame is incomplete");
    let status: PredictedTrace["status"] = "incomplete";
    let result: string | null = null;
    let error: string | null = null;
    if (this.entryDone?.event === "return") result = this.entryDone.value;
    if (this.eos && this.entryDone) {
      if (this.entryDone.event === "exception") {
        status = "raised";
        error = exceptionMessage(this.entryDone.value);
        result = null;
      } else status = "returned";
    } else if (this.eos) errors.push("the entry function never returned");
    const finish: FinishReason = this.eos ? "eos" : (info.finish ?? "stopped");
    const message = info.message ?? (this.eos ? undefined : finish === "length" ? "stopped at its token budget without EOS" : undefined);
    const out: PredictedTrace = {
      status,
      frames: this.frames,
      result,
      error,
      stdout: "",
      predictor: this.predictor,
      finish,
      valid_format: this.eos && errors.length === 0,
      valid_json: this.jsonOk,
      raw: this.chunks.join(""),
    };
    if (message) out.message = message;
    return out;
  }

  private readFrame(text: string): Frame {
    const kind = KINDS.find(([tok]) => text.startsWith(tok));
    if (!kind) return this.invalid(text, "the frame does not start with a frame kind");
    const [tok, event] = kind;
    const body = text.slice(tok.length);
    if (event === "call" || event === "line") {
      const parts = body.split(TOK.ACTION);
      if (parts.length !== 2) return this.invalid(text, `expected one ${TOK.ACTION}`, event);
      return this.stateFrame(event, parts[0], stripNewline(parts[1]), text);
    }
    if (!body.startsWith(TOK.ACTION)) return this.invalid(text, `expected ${TOK.ACTION} after the frame kind`, event);
    const parts = body.slice(TOK.ACTION.length).split(TOK.ARG);
    if (parts.length !== 2) return this.invalid(text, `expected one ${TOK.ARG}`, event);
    return this.valueFrame(event, stripNewline(parts[0]), parts[1]);
  }

  private stateFrame(event: "call" | "line", localsText: string, sourceText: string, raw: string): Frame {
    const source = frameSource(sourceText);
    const parsed = parseJsonLocals(localsText);
    if (event === "call") {
      const caller = this.top();
      const line = this.mapper.map(sourceText, caller ? { range: caller.range, last: caller.last, stay: true } : {});
      const range = line === null ? null : (this.mapper.blockRange(line) ?? [line, line]);
      const locals = parsed ?? {};
      // Without the seeded main frame, the first call is the entry function.
      const entry = this.stack.length === 0 && this.frames.length === 0;
      this.stack.push({ locals, range, last: line, entry, raising: null });
      if (!parsed) return this.badJson(event, line, source, raw);
      return { event, line, source, locals };
    }
    let scope = this.top();
    if (!scope) {
      this.structuralErrors.push("a line frame after the entry function returned");
      scope = { locals: {}, range: null, last: null, entry: false, raising: null };
      this.stack.push(scope);
    }
    const line = this.mapper.map(sourceText, scope);
    scope.last = line ?? scope.last;
    scope.raising = null;
    if (!parsed) return this.badJson(event, line, source, raw);
    const locals = resolve(parsed, scope.locals);
    scope.locals = locals;
    return { event, line, source, locals };
  }

  private valueFrame(event: "return" | "exception", sourceText: string, valueText: string): Frame {
    const source = frameSource(sourceText);
    const scope = this.top();
    const line = this.mapper.map(sourceText, scope ? { range: scope.range, last: scope.last, stay: true } : {});
    let value = parseJsonString(valueText);
    if (value === null) {
      // Keep what the model wrote (the recorded study reads an undecodable value the same way).
      this.jsonOk = false;
      value = valueText;
    }
    if (!scope) this.structuralErrors.push(`a ${event} frame after the entry function returned`);
    else if (event === "exception") {
      scope.raising = value;
      scope.last = line ?? scope.last;
    } else {
      this.stack.pop();
      if (scope.entry) {
        // settrace reports a function left by an exception as `exception` then `return None`.
        this.entryDone = scope.raising !== null ? { event: "exception", value: scope.raising } : { event: "return", value };
      }
    }
    return { event, line, source, value };
  }

  private badJson(event: Frame["event"], line: number | null, source: string, raw: string): Frame {
    this.jsonOk = false;
    return { event, line, source, invalid: "the locals are not a JSON object of strings", raw };
  }

  private invalid(raw: string, why: string, event: Frame["event"] = "line"): Frame {
    this.structuralErrors.push(why);
    return { event, line: null, source: "", invalid: why, raw };
  }

  private top(): Scope | undefined {
    return this.stack[this.stack.length - 1];
  }
}

/**
 * Full locals from a frame that may write ".." for a value unchanged since the scope's last
 * frame. `locals` is the parser's own fresh object (from JSON.parse), completed in place: a
 * copy per frame of a thousand locals is what made long traces slow. An own key is updated by
 * plain assignment even when it is named `__proto__`.
 */
export function resolve(locals: Locals, previous: Locals): Locals {
  for (const k of Object.keys(locals)) if (locals[k] === UNCHANGED && Object.hasOwn(previous, k)) locals[k] = previous[k];
  return locals;
}

function stripNewline(s: string): string {
  return s.endsWith("\n") ? s.slice(0, -1) : s;
}

/** `ZeroDivisionError('division by zero')` → `ZeroDivisionError: division by zero`, as the executor words it. */
export function exceptionMessage(repr: string): string {
  const m = /^([A-Za-z_][\w.]*)\(([\s\S]*)\)$/.exec(repr);
  if (!m) return repr;
  const [, type, args] = m;
  const str = /^(['"])([\s\S]*)\1$/.exec(args);
  const text = str ? str[2] : args;
  return text === "" ? type : `${type}: ${text}`;
}

/** Parses a whole generation at once. */
export function parseTrace(text: string, opts: ParserOptions, info: FinishInfo = {}): PredictedTrace {
  const p = new TraceParser(opts);
  p.push(text);
  return p.finish(info);
}
