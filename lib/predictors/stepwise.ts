/**
 * A whole prediction made one frame at a time (one request per frame), as the debugger makes it.
 * With greedy decoding it must equal the one-shot prediction: the prompt of each step is the
 * one-shot prompt plus the model's own frames, so this is how that claim is checked.
 */
import { parseTrace } from "@/lib/cwm/parse";
import { buildPrompt } from "@/lib/cwm/prompt";
import { errorText } from "@/lib/predictors/drive";
import { stepOnce } from "@/lib/predictors/step";
import type { PredictInput, Predictor, PredictSink } from "@/lib/predictors/types";
import { LIMITS } from "@/lib/http/limits";
import type { FinishReason, PredictedTrace } from "@/lib/trace/schema";

export interface StepwiseTrace extends PredictedTrace {
  /** Requests made: one per frame, plus the one that read EOS. */
  requests: number;
}

export async function predictStepwise(predictor: Predictor, input: PredictInput, sink: PredictSink = () => {}): Promise<StepwiseTrace> {
  const started = performance.now();
  const prompt = input.prompt ?? buildPrompt(input.code, input.call);
  const model = await predictor.resolveModel(input.signal);
  const info = { id: predictor.id, model, label: predictor.label };
  // The model's own texts, not re-written frames: an unreadable frame is kept as the one-shot path keeps it.
  const texts: string[] = [];
  const signal = input.signal ?? new AbortController().signal;
  let requests = 0;
  let finish: FinishReason = "length";
  let message: string | undefined;
  let tokenTotal = 0;
  try {
    for (;;) {
      if (texts.length >= LIMITS.frames) {
        message = `stopped after ${LIMITS.frames} frames`;
        break;
      }
      // The whole prediction's token budget, spent across steps: the last step is cut where the one-shot text would be.
      const remaining = input.settings.max_tokens - tokenTotal;
      if (remaining <= 0) break;
      const r = await stepOnce(predictor, { prompt, frames: texts, force: null, settings: { ...input.settings, max_tokens: remaining }, signal });
      requests++;
      tokenTotal += r.tokens?.completion ?? 0;
      if (r.end === "eos") {
        // Like vLLM's one-shot text, which does not hold the EOS it stopped on.
        finish = "eos";
        break;
      }
      texts.push(r.text);
      sink({ type: "raw", text: r.text });
      if (r.end === "length") break;
    }
  } catch (err) {
    finish = signal.aborted ? "stopped" : "error";
    message = signal.aborted ? "prediction stopped before the model finished" : errorText(err);
  }
  const raw = texts.join("");
  const trace = parseTrace(raw, { program: prompt.program, predictor: info }, { finish, ...(message ? { message } : {}) });
  trace.frames.forEach((frame, index) => sink({ type: "frame", index, frame }));
  return { ...trace, prompt: prompt.withBos, settings: input.settings, elapsed_ms: Math.round(performance.now() - started), requests };
}
