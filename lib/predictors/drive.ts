/**
 * The path every text-producing predictor shares: prompt → backend text → incremental parser →
 * sink. A backend only turns a prompt into text; failures become a message on a partial trace.
 */
import { TraceParser } from "@/lib/cwm/parse";
import { buildPrompt, type Prompt } from "@/lib/cwm/prompt";
import type { FinishReason, PredictedTrace, PredictorInfo, SamplingSettings } from "@/lib/trace/schema";
import type { PredictInput, PredictSink } from "@/lib/predictors/types";

/** A failure a person can act on; the message is shown as is. */
export class PredictorError extends Error {}

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

export async function drive(predictor: PredictorInfo, input: PredictInput, sink: PredictSink, generate: Generate): Promise<PredictedTrace> {
  const started = performance.now();
  const prompt = buildPrompt(input.code, input.call);
  const parser = new TraceParser({ program: prompt.program, predictor });
  const emit = () => {
    for (const f of parser.drain()) sink({ type: "frame", ...f });
  };
  emit();
  const signal = input.signal ?? new AbortController().signal;
  let trace: PredictedTrace;
  let tokens: GenerateResult["tokens"];
  try {
    if (signal.aborted) throw signal.reason;
    const r = await generate({
      prompt,
      settings: input.settings,
      signal,
      onText: (text) => {
        if (!text) return;
        sink({ type: "raw", text });
        for (const f of parser.push(text)) sink({ type: "frame", ...f });
      },
    });
    tokens = r.tokens;
    trace = parser.finish({ finish: r.finish });
  } catch (err) {
    if (signal.aborted) trace = parser.finish({ finish: "stopped", message: "prediction stopped before the model finished" });
    else trace = parser.finish({ finish: "error", message: errorText(err) });
  }
  emit();
  trace.prompt = prompt.withBos;
  trace.settings = input.settings;
  if (tokens) trace.tokens = tokens;
  trace.elapsed_ms = Math.round(performance.now() - started);
  return trace;
}

export function errorText(err: unknown): string {
  if (err instanceof PredictorError) return err.message;
  if (err instanceof Error) return `prediction failed: ${err.message}`;
  return `prediction failed: ${String(err)}`;
}
