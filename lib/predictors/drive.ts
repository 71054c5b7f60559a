/**
 * The path every text-producing predictor shares: prompt → backend text → incremental parser →
 * sink. A backend only turns a prompt into text; failures become a message on a partial trace.
 */
import { TraceParser } from "@/lib/cwm/parse";
import { buildPrompt, type Prompt } from "@/lib/cwm/prompt";
import { OutputMeter, OUTPUT_BUDGETS, type OutputBudgets } from "@/lib/predictors/budget";
import type { FinishReason, Frame, PredictedTrace, PredictorInfo, SamplingSettings } from "@/lib/trace/schema";
import type { PredictInput, PredictSink } from "@/lib/predictors/types";

/** A failure a person can act on; the message is shown as is. */
export class PredictorError extends Error {}

/** The parser is fed in slices so a huge reply stops being read at the budget, not after it. */
const FEED_CHARS = 4 * 1024;

export interface GenerateResult {
  /** "eos" when the server reported stopping on EOS (its text may omit the token). */
  finish: Exclude<FinishReason, "error">;
  tokens?: { prompt: number | null; completion: number | null };
}

export interface GenerateArgs {
  prompt: Prompt;
  settings: SamplingSettings;
  signal: AbortSignal;
  onText: (text: string) => void;
}

export type Generate = (args: GenerateArgs) => Promise<GenerateResult>;

/** What drive needs of a parser: CWM's TraceParser, or the chat models' JSON-lines parser. */
export interface TextTraceParser {
  push(chunk: string): Array<{ index: number; frame: Frame }>;
  drain(): Array<{ index: number; frame: Frame }>;
  finish(info: { finish?: FinishReason; message?: string }): PredictedTrace;
}
export type ParserFactory = (prompt: Prompt, predictor: PredictorInfo) => TextTraceParser;

export async function drive(
  predictor: PredictorInfo,
  input: PredictInput,
  sink: PredictSink,
  generate: Generate,
  budgets: OutputBudgets = OUTPUT_BUDGETS,
  parserFor: ParserFactory = (p, info) => new TraceParser({ program: p.program, predictor: info }),
): Promise<PredictedTrace> {
  const started = performance.now();
  const prompt = input.prompt ?? buildPrompt(input.code, input.call);
  // Building the prompt, indexing the program's lines and the backend's first work are
  // separate tasks: for a 64 KiB program each takes a while, and other requests run between.
  await nextTask();
  const parser = parserFor(prompt, predictor);
  const meter = new OutputMeter(budgets);
  // Frames as kept (reprs bounded), by index; the parser's own list may run past the budget.
  const kept: Frame[] = [];
  let raw = "";
  // Over budget, the backend is told to stop like a user's Stop, and the partial trace is kept.
  const cut = new AbortController();
  const signal = input.signal ? AbortSignal.any([input.signal, cut.signal]) : cut.signal;
  const take = (frames: Array<{ index: number; frame: Frame }>) => {
    for (const f of frames) {
      const frame = meter.admitFrame(f.frame);
      if (!frame) {
        cut.abort(new PredictorError(meter.message));
        return;
      }
      kept[f.index] = frame;
      sink({ type: "frame", index: f.index, frame });
    }
  };
  take(parser.drain());
  let trace: PredictedTrace;
  let tokens: GenerateResult["tokens"];
  try {
    await nextTask();
    if (signal.aborted) throw signal.reason;
    const r = await generate({
      prompt,
      settings: input.settings,
      signal,
      onText: (text) => {
        for (let at = 0; at < text.length && !meter.full; at += FEED_CHARS) {
          const piece = meter.admitRaw(text.slice(at, at + FEED_CHARS));
          if (!piece) break;
          raw += piece;
          sink({ type: "raw", text: piece });
          take(parser.push(piece));
        }
        if (meter.full && !cut.signal.aborted) cut.abort(new PredictorError(meter.message));
      },
    });
    tokens = r.tokens;
    trace = parser.finish({ finish: meter.full ? "length" : r.finish });
  } catch (err) {
    if (meter.full) trace = parser.finish({ finish: "length" });
    else if (signal.aborted) trace = parser.finish({ finish: "stopped", message: "prediction stopped before the model finished" });
    else trace = parser.finish({ finish: "error", message: errorText(err) });
  }
  if (!meter.full) take(parser.drain());
  if (meter.full) {
    trace = { ...trace, status: "incomplete", result: null, error: null, valid_format: false, finish: "length", message: meter.message };
  }
  trace.frames = kept.filter(Boolean);
  trace.raw = raw;
  trace.prompt = prompt.withBos;
  trace.settings = input.settings;
  if (tokens) trace.tokens = tokens;
  trace.elapsed_ms = Math.round(performance.now() - started);
  return trace;
}

/**
 * Hands a whole text (the baseline's, a recording's, Fastgen's reply) to onText in slices,
 * letting the event loop run between them: parsing 4 MiB in one go would stall every other
 * request the server is answering.
 */
export async function feedInSlices(text: string, onText: (text: string) => void, signal: AbortSignal): Promise<void> {
  for (let at = 0; at < text.length && !signal.aborted; at += FEED_CHARS) {
    onText(text.slice(at, at + FEED_CHARS));
    await nextTask();
  }
}

/** Lets the event loop serve other requests before going on. */
export function nextTask(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

export function errorText(err: unknown): string {
  if (err instanceof PredictorError) return err.message;
  if (err instanceof Error) return `prediction failed: ${err.message}`;
  return `prediction failed: ${String(err)}`;
}
