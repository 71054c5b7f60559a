/**
 * Incremental, tolerant parser of a chat model's answer: one JSON object per line, one line per
 * frame (spec/llm-predictors.md). Chunks may split anywhere; a surrounding ``` fence and blank
 * lines are ignored; a line it cannot read is kept as an invalid frame with its raw text. Lines
 * are mapped to frame line numbers by source text with the CWM parser's LineMapper and the same
 * scope rules, so a chat model's frames and CWM's are numbered alike.
 */
import { LineMapper } from "@/lib/cwm/linemap";
import { ScopeTracker } from "@/lib/cwm/scopes";
import { frameSource, type Program } from "@/lib/cwm/program";
import type { FinishReason, Frame, FrameEvent, Locals, PredictedTrace, PredictorInfo } from "@/lib/trace/schema";

export interface ChatFinishInfo {
  /** "eos" when the server said finish_reason "stop": the model ended its answer. */
  finish?: FinishReason;
  message?: string;
}

const EVENTS: ReadonlySet<string> = new Set<FrameEvent>(["call", "line", "return", "exception"]);
const FENCE = /^\s*```/;

export class ChatTraceParser {
  readonly frames: Frame[] = [];
  private readonly chunks: string[] = [];
  private pending = "";
  private emitted = 0;
  /** Where the answer is relative to a ``` fence around it. */
  private fence: "none" | "open" | "closed" = "none";
  /** A line read as JSON: a fence after it closes the answer rather than opening it. */
  private sawJson = false;
  private sawCall = false;
  /**
   * Unreadable lines before anything was read ("Here is the trace:"): a ``` fence after them
   * makes them a preamble, left out of the frames so every later frame keeps its position;
   * a JSON line after them makes them invalid frames.
   */
  private preamble: string[] = [];
  private errors: string[] = [];
  private readonly scopes: ScopeTracker;
  private jsonOk = true;

  constructor(
    program: Pick<Program, "program" | "lineOffset">,
    private readonly predictor: PredictorInfo,
  ) {
    this.scopes = new ScopeTracker(new LineMapper(program), this.errors);
  }

  /** Feeds answer text; returns the frames completed since the last call (with their indexes). */
  push(chunk: string): Array<{ index: number; frame: Frame }> {
    this.chunks.push(chunk);
    this.pending += chunk;
    let nl = this.pending.indexOf("\n");
    while (nl >= 0) {
      this.readLine(this.pending.slice(0, nl));
      this.pending = this.pending.slice(nl + 1);
      nl = this.pending.indexOf("\n");
    }
    return this.drain();
  }

  drain(): Array<{ index: number; frame: Frame }> {
    const out: Array<{ index: number; frame: Frame }> = [];
    for (; this.emitted < this.frames.length; this.emitted++) out.push({ index: this.emitted, frame: this.frames[this.emitted] });
    return out;
  }

  /** Ends the answer and builds the predicted trace. */
  finish(info: ChatFinishInfo = {}): PredictedTrace {
    const ended = info.finish === "eos";
    // The answer's last line needs no newline; a cut one is kept, labelled, when unreadable.
    if (this.pending.trim() !== "") {
      const last = this.pending;
      this.pending = "";
      this.readLine(last, ended ? undefined : "the last line was cut off before its end");
    }
    this.flushPreamble();
    const { status, result, error } = this.scopes.outcome(ended);
    const errors = [...this.errors];
    if (this.fence === "open") errors.push("the ``` fence was never closed");
    const finish: FinishReason = info.finish ?? "stopped";
    const message = info.message ?? (finish === "length" ? "stopped at its token budget (finish_reason length) before the end of the trace" : undefined);
    const out: PredictedTrace = {
      status,
      frames: this.frames,
      result,
      error,
      stdout: "",
      predictor: this.predictor,
      finish,
      valid_format: ended && errors.length === 0,
      valid_json: this.jsonOk,
      raw: this.chunks.join(""),
    };
    if (message) out.message = message;
    return out;
  }

  private readLine(text: string, cutWhy?: string): void {
    const line = text.replace(/\r$/, "");
    if (line.trim() === "") return;
    if (FENCE.test(line)) {
      // ```json opens the answer, a bare ``` after frames closes it.
      if (this.fence === "none" && !this.sawJson) {
        this.fence = "open";
        if (this.preamble.length) this.errors.push("text before the ``` fence");
        this.preamble = [];
      }
      else if (this.fence === "open") this.fence = "closed";
      else this.errors.push("a stray ``` fence");
      return;
    }
    if (this.fence === "closed") {
      this.errors.push("text after the closing ``` fence");
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      if (this.fence === "none" && !this.sawJson && cutWhy === undefined) {
        this.preamble.push(line);
        return;
      }
      this.jsonOk = false;
      this.invalid(line, cutWhy ?? "the line is not a JSON object");
      return;
    }
    this.flushPreamble();
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      this.jsonOk = false;
      this.invalid(line, "the line is not a JSON object");
      return;
    }
    this.sawJson = true;
    const o = json as Record<string, unknown>;
    if (typeof o.event !== "string" || !EVENTS.has(o.event)) {
      this.invalid(line, `"event" must be one of call, line, return, exception`);
      return;
    }
    if (typeof o.source !== "string") {
      this.invalid(line, `"source" must be the line's text`, o.event as FrameEvent);
      return;
    }
    const event = o.event as FrameEvent;
    if (event === "call" || event === "line") this.stateFrame(event, o.source, o.locals, line);
    else this.valueFrame(event, o.source, o.value);
  }

  private stateFrame(event: "call" | "line", sourceText: string, rawLocals: unknown, raw: string): void {
    const source = frameSource(sourceText);
    const parsed = localsOf(rawLocals);
    if (event === "call") {
      // The model writes main's call frame itself: the first call is the entry function.
      const line = this.scopes.call(sourceText, parsed, !this.sawCall);
      this.sawCall = true;
      if (!parsed) return this.badLocals(event, line, source, raw);
      this.frames.push({ event, line, source, locals: parsed });
      return;
    }
    const { line, locals } = this.scopes.line(sourceText, parsed);
    if (!locals) return this.badLocals(event, line, source, raw);
    this.frames.push({ event, line, source, locals });
  }

  private valueFrame(event: "return" | "exception", sourceText: string, rawValue: unknown): void {
    const source = frameSource(sourceText);
    let value: string;
    if (typeof rawValue === "string") value = rawValue;
    else {
      // Keep what the model wrote, as the CWM parser keeps an undecodable value.
      this.jsonOk = false;
      value = rawValue === undefined ? "" : JSON.stringify(rawValue);
    }
    const line = this.scopes.value(event, sourceText, value);
    this.frames.push({ event, line, source, value });
  }

  /** Held-back unreadable lines turn out to be part of the answer: each is an invalid frame. */
  private flushPreamble(): void {
    if (this.preamble.length === 0) return;
    this.jsonOk = false;
    for (const line of this.preamble) this.invalid(line, "the line is not a JSON object");
    this.preamble = [];
  }

  private badLocals(event: FrameEvent, line: number | null, source: string, raw: string): void {
    this.jsonOk = false;
    this.errors.push("locals that are not a JSON object of strings");
    this.frames.push({ event, line, source, invalid: "the locals are not a JSON object of strings", raw });
  }

  private invalid(raw: string, why: string, event: FrameEvent = "line"): void {
    this.errors.push(why);
    this.frames.push({ event, line: null, source: "", invalid: why, raw });
  }

}

/** A JSON object of strings as own-keyed locals, or null. JSON.parse already made `__proto__` an own key. */
function localsOf(v: unknown): Locals | null {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (typeof o[k] !== "string") return null;
  return o as Locals;
}

/** Parses a whole answer at once. */
export function parseChatAnswer(text: string, program: Pick<Program, "program" | "lineOffset">, predictor: PredictorInfo, info: ChatFinishInfo = {}): PredictedTrace {
  const p = new ChatTraceParser(program, predictor);
  p.push(text);
  return p.finish(info);
}
