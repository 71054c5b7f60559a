/**
 * Incremental parser of CWM trace text. Chunks may split anywhere (even inside a special
 * token's text); each frame is emitted as soon as its `<|frame_sep|>` arrives. It never throws
 * on model output: an unreadable frame is kept with its raw text and flagged `invalid`.
 */
import { LineMapper } from "@/lib/cwm/linemap";
import { MAIN_DEF, frameSource, type Program } from "@/lib/cwm/program";
import { parseJsonLocals, parseJsonString } from "@/lib/cwm/pyjson";
import { ScopeTracker } from "@/lib/cwm/scopes";
import { TOK } from "@/lib/cwm/tokens";
import type { FinishReason, Frame, PredictedTrace, PredictorInfo } from "@/lib/trace/schema";

export { exceptionMessage, resolve, UNCHANGED } from "@/lib/cwm/scopes";

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

const KINDS: ReadonlyArray<readonly [string, Frame["event"]]> = [
  [TOK.CALL, "call"],
  [TOK.LINE, "line"],
  [TOK.RETURN, "return"],
  [TOK.EXCEPTION, "exception"],
];

export class TraceParser {
  readonly frames: Frame[] = [];
  private readonly program: Program;
  private readonly predictor: PredictorInfo;
  private readonly chunks: string[] = [];
  private pending = "";
  private scanFrom = 0;
  private emitted = 0;
  private eos = false;
  private afterEos = "";
  private structuralErrors: string[] = [];
  private readonly scopes: ScopeTracker;
  private jsonOk = true;

  constructor(opts: ParserOptions) {
    this.program = opts.program;
    this.predictor = opts.predictor;
    this.scopes = new ScopeTracker(new LineMapper(opts.program), this.structuralErrors);
    if (opts.seeded !== false) {
      const entryDef = opts.program.entryDef ?? MAIN_DEF;
      const line = this.scopes.call(entryDef, {}, true);
      this.frames.push({ event: "call", line, source: entryDef, locals: {} });
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
    const { status, result, error } = this.scopes.outcome(this.eos);
    const errors = [...this.structuralErrors];
    if (this.afterEos.trim() !== "") errors.push("text after the end of text");
    if (!this.eos && this.pending.trim() !== "") errors.push("the last frame is incomplete");
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
      // Without the seeded main frame, the first call is the entry function.
      const line = this.scopes.call(sourceText, parsed, this.scopes.depth === 0 && this.frames.length === 0);
      if (!parsed) return this.badJson(event, line, source, raw);
      return { event, line, source, locals: parsed };
    }
    const { line, locals } = this.scopes.line(sourceText, parsed);
    if (!locals) return this.badJson(event, line, source, raw);
    return { event, line, source, locals };
  }

  private valueFrame(event: "return" | "exception", sourceText: string, valueText: string): Frame {
    const source = frameSource(sourceText);
    let value = parseJsonString(valueText);
    if (value === null) {
      // Keep what the model wrote (the recorded study reads an undecodable value the same way).
      this.jsonOk = false;
      value = valueText;
    }
    const line = this.scopes.value(event, sourceText, value);
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

}

function stripNewline(s: string): string {
  return s.endsWith("\n") ? s.slice(0, -1) : s;
}

/** Parses a whole generation at once. */
export function parseTrace(text: string, opts: ParserOptions, info: FinishInfo = {}): PredictedTrace {
  const p = new TraceParser(opts);
  p.push(text);
  return p.finish(info);
}
