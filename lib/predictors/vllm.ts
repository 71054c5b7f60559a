/**
 * CWM served by vLLM: streamed raw completions with the special tokens kept in the text.
 *
 * vLLM reads the text of any special token inside a string prompt as that token, so the user's
 * code must never be sent as prompt text where it could hold one (`'<|frame_sep|>'` in a string
 * literal would forge a frame boundary). With the checkpoint's tokenizer the prompt is sent as
 * token ids, the code encoded as plain text; without it, code holding such text is refused.
 */
import { z } from "zod";
import { loadTokenizer } from "@/lib/cwm/tokenizer";
import { EOS_ID, findSpecialTokenText, TOK, type PromptSegment } from "@/lib/cwm/tokens";
import { specialTokenInFrames, type StepFrame } from "@/lib/debugger/frames";
import { completionResult } from "@/lib/predictors/complete";
import { drive, PredictorError, type GenerateArgs, type GenerateResult } from "@/lib/predictors/drive";
import { httpError, joinUrl, readSse, Watchdog, type Timeouts } from "@/lib/predictors/http";
import type { CompleteArgs, CompleteResult, Predictor, PredictorStatus } from "@/lib/predictors/types";
import type { SamplingSettings } from "@/lib/trace/schema";

export interface VllmOptions {
  id?: string;
  url: string;
  apiKey?: string;
  model?: string;
  /** The checkpoint's tokenizer.model: prompts go as token ids (see the file's comment). */
  tokenizerPath?: string;
  timeouts: Timeouts;
}

/** Why this code and call cannot be sent as a string prompt, or null. */
export function controlTokenRefusal(code: string, call?: string | null): string | null {
  const found = findSpecialTokenText(code) ?? findSpecialTokenText(call ?? "");
  return found ? refusalText(found) : null;
}

/** Why a debugger step's frames cannot be sent as a string prompt, or null. */
function framesRefusal(frames: readonly StepFrame[]): string | null {
  const found = specialTokenInFrames(frames);
  return found
    ? `a frame sent back to the model holds ${JSON.stringify(found)}, which CWM's server would read as a control token, not as text; it can be sent only when the server has the checkpoint's tokenizer (CWM_TOKENIZER_PATH)`
    : null;
}

function refusalText(found: string): string {
  return `the code contains ${JSON.stringify(found)}, which CWM's server would read as a control token, not as text; such code can be sent only when the server has the checkpoint's tokenizer (CWM_TOKENIZER_PATH)`;
}

const VllmChunk = z.object({
  choices: z
    .array(
      z
        .object({ text: z.string().optional(), finish_reason: z.string().nullable().optional(), stop_reason: z.union([z.number(), z.string()]).nullable().optional() })
        .passthrough(),
    )
    .optional(),
  usage: z.object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int() }).passthrough().nullable().optional(),
  error: z.unknown().optional(),
  message: z.string().optional(),
  object: z.string().optional(),
});

const VllmModels = z.object({ data: z.array(z.object({ id: z.string() }).passthrough()) });

export function createVllmPredictor(opts: VllmOptions): Predictor {
  const id = opts.id ?? "cwm-vllm";
  const label = "CWM (vLLM)";
  let modelPromise: Promise<string> | null = opts.model ? Promise.resolve(opts.model) : null;
  const headers = (): Record<string, string> => ({
    "content-type": "application/json",
    ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}),
  });

  async function fetchModel(signal?: AbortSignal): Promise<string> {
    const url = joinUrl(opts.url, "/v1/models");
    const dog = new Watchdog(signal ?? new AbortController().signal);
    dog.arm(opts.timeouts.connectMs, `the CWM server at ${opts.url} did not answer within ${opts.timeouts.connectMs} ms`);
    try {
      const res = await fetch(url, { headers: headers(), signal: dog.signal });
      if (!res.ok) throw await httpError(res, opts.url, "CWM_VLLM_API_KEY");
      const body = VllmModels.safeParse(await res.json());
      if (!body.success || body.data.data.length === 0) throw new PredictorError(`the CWM server at ${opts.url} lists no model`);
      return body.data.data[0].id;
    } catch (err) {
      throw dog.explain(err, opts.url);
    } finally {
      dog.dispose();
    }
  }

  const resolveModel = (signal?: AbortSignal): Promise<string> => {
    if (!modelPromise) {
      modelPromise = fetchModel(signal);
      modelPromise.catch(() => (modelPromise = null));
    }
    return modelPromise;
  };

  /** The prompt as vLLM must receive it: token ids when a tokenizer is configured. */
  async function wireSegments(segments: PromptSegment[]): Promise<string | number[]> {
    if (opts.tokenizerPath) {
      let tok;
      try {
        tok = await loadTokenizer(opts.tokenizerPath);
      } catch (err) {
        throw new PredictorError(`cannot read the tokenizer at ${opts.tokenizerPath}: ${err instanceof Error ? err.message : String(err)}`);
      }
      // BOS included: vLLM adds nothing to a token-id prompt.
      return tok.encodeSegments(segments);
    }
    let text = "";
    for (const [i, seg] of segments.entries()) {
      if ("special" in seg) {
        // vLLM adds BOS itself to a string prompt.
        if (!(i === 0 && seg.special === TOK.BOS)) text += seg.special;
        continue;
      }
      const found = findSpecialTokenText(seg.text);
      if (found) throw new PredictorError(refusalText(found));
      text += seg.text;
    }
    return text;
  }

  interface Streamed {
    finish: string | null;
    /** vLLM's stop_reason: the stop token id (or string) that ended the generation, null for EOS. */
    stopReason: unknown;
    tokens?: GenerateResult["tokens"];
  }

  async function stream(wire: string | number[], settings: SamplingSettings, stopIds: number[], signal: AbortSignal, onText: (text: string) => void): Promise<Streamed> {
    const model = await resolveModel(signal);
    const url = joinUrl(opts.url, "/v1/completions");
    const t = opts.timeouts;
    const dog = new Watchdog(signal);
    try {
      dog.arm(t.connectMs, `the CWM server at ${opts.url} did not answer within ${t.connectMs} ms`);
      const res = await fetch(url, {
        method: "POST",
        headers: headers(),
        signal: dog.signal,
        body: JSON.stringify({
          model,
          prompt: wire,
          max_tokens: settings.max_tokens,
          temperature: settings.temperature,
          ...(settings.top_p !== undefined ? { top_p: settings.top_p } : {}),
          stream: true,
          stream_options: { include_usage: true },
          skip_special_tokens: false,
          spaces_between_special_tokens: false,
          stop_token_ids: stopIds,
        }),
      });
      if (!res.ok) throw await httpError(res, opts.url, "CWM_VLLM_API_KEY");
      if (!res.body) throw new PredictorError("the CWM server sent no body");
      dog.arm(t.firstTokenMs, `the CWM server sent no token within ${t.firstTokenMs} ms`);
      const end: { finish: string | null; stopReason: unknown; usage?: GenerateResult["tokens"] } = { finish: null, stopReason: null };
      const done = await readSse(
        res.body,
        dog,
        { idleMs: t.idleMs, idleMessage: `the CWM server stopped sending tokens for ${t.idleMs} ms`, lostMessage: "the CWM server closed the connection in the middle of the prediction" },
        (data) => {
          let json: unknown;
          try {
            json = JSON.parse(data);
          } catch {
            throw new PredictorError(`the CWM server sent an unreadable event: ${data.slice(0, 120)}`);
          }
          const chunk = VllmChunk.safeParse(json);
          if (!chunk.success) throw new PredictorError(`the CWM server sent an unexpected event: ${data.slice(0, 120)}`);
          if (chunk.data.error !== undefined || chunk.data.object === "error") throw new PredictorError(`the CWM server reported an error: ${data.slice(0, 300)}`);
          if (chunk.data.usage) end.usage = { prompt: chunk.data.usage.prompt_tokens, completion: chunk.data.usage.completion_tokens };
          const choice = chunk.data.choices?.[0];
          if (!choice) return false;
          if (choice.finish_reason) {
            end.finish = choice.finish_reason;
            end.stopReason = choice.stop_reason ?? null;
          }
          if (!choice.text) return false;
          onText(choice.text);
          return true;
        },
      );
      if (!done && end.finish === null) throw new PredictorError("the CWM server closed the stream before the end of the prediction");
      return { finish: end.finish, stopReason: end.stopReason, tokens: end.usage };
    } catch (err) {
      throw dog.explain(err, opts.url);
    } finally {
      dog.dispose();
    }
  }

  async function generate({ prompt, settings, signal, onText }: GenerateArgs): Promise<GenerateResult> {
    // wireSegments refuses special-token text too, not only the route: the CLI and benchmarks call predictors directly.
    const wire = await wireSegments(prompt.segments);
    const r = await stream(wire, settings, [EOS_ID], signal, onText);
    return { finish: r.finish === "stop" ? "eos" : r.finish === "length" ? "length" : "stopped", tokens: r.tokens };
  }

  async function complete(args: CompleteArgs): Promise<CompleteResult> {
    const wire = await wireSegments(args.segments);
    let text = "";
    const r = await stream(wire, args.settings, args.stop, args.signal, (piece) => {
      text += piece;
      args.onText?.(piece);
    });
    return completionResult(text, r.finish === "length" ? "length" : "stop", args.stop, typeof r.stopReason === "number" ? r.stopReason : null, r.tokens);
  }

  const info = () => ({ id, model: opts.model ?? null, label });
  return {
    id,
    label,
    kind: "cwm",
    status(): PredictorStatus {
      return { available: true, model: opts.model ?? null };
    },
    refuse: (input) => (opts.tokenizerPath ? null : (controlTokenRefusal(input.code, input.call) ?? framesRefusal(input.frames ?? []))),
    async resolveModel(signal) {
      try {
        return await resolveModel(signal);
      } catch {
        return null;
      }
    },
    async predict(input, sink) {
      let model: string | null = opts.model ?? null;
      if (!model) model = await resolveModel(input.signal).catch(() => null);
      return drive({ ...info(), model }, input, sink, generate);
    },
    complete,
  };
}

