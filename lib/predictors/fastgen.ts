/**
 * CWM served by Meta's Fastgen (serve/fgserve.py): a token-id prompt, one non-streamed reply.
 * Fastgen reads a string prompt without special tokens, so the prompt is tokenised here with the
 * checkpoint's tokenizer.model.
 *
 * Greedy decoding: Fastgen samples by default (temperature 0.6) and divides the logits by the
 * temperature, so 0 is never sent: temperature 0 is sent as GREEDY_TEMPERATURE (1e-5), which
 * picks the most likely token in practice.
 */
import { z } from "zod";
import { loadTokenizer, type Tokenizer } from "@/lib/cwm/tokenizer";
import { EOS_ID, TOK, type PromptSegment } from "@/lib/cwm/tokens";
import { completionResult, specialTextOf } from "@/lib/predictors/complete";
import { drive, feedInSlices, PredictorError, type GenerateArgs, type GenerateResult } from "@/lib/predictors/drive";
import { httpError, joinUrl, Watchdog } from "@/lib/predictors/http";
import type { CompleteArgs, CompleteResult, Predictor, PredictorStatus } from "@/lib/predictors/types";
import type { SamplingSettings } from "@/lib/trace/schema";

export const GREEDY_TEMPERATURE = 1e-5;

export interface FastgenOptions {
  id?: string;
  url: string;
  tokenizerPath: string;
  model?: string;
  /** The whole generation: the reply is not streamed, so there is no first-token signal. */
  timeouts: { requestMs: number };
}

const FastgenReply = z.object({
  choices: z.array(z.object({ text: z.string().optional(), tokens: z.array(z.number().int()).optional() }).passthrough()).min(1),
  usage: z.object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int() }).passthrough().optional(),
});

export function createFastgenPredictor(opts: FastgenOptions): Predictor {
  const id = opts.id ?? "cwm-fastgen";
  const label = "CWM (Fastgen)";
  const model = opts.model ?? null;

  interface Reply {
    text: string;
    /** The generated token ids, when the server sent them (it does; older builds sent text only). */
    ids: number[] | null;
    tokens: { prompt: number | null; completion: number | null };
  }

  /** One POST /completions. `stop` is sent as cwmdbg sends it: one id, or a list of them. */
  async function request(segments: PromptSegment[], settings: SamplingSettings, stop: number[], signal: AbortSignal): Promise<Reply & { tok: Tokenizer }> {
    let tok: Tokenizer;
    try {
      tok = await loadTokenizer(opts.tokenizerPath);
    } catch (err) {
      throw new PredictorError(`cannot read the tokenizer at ${opts.tokenizerPath}: ${err instanceof Error ? err.message : String(err)}`);
    }
    // Special tokens only where the prompt puts them: the user's code is encoded as plain text.
    const ids = tok.encodeSegments(segments);
    const dog = new Watchdog(signal);
    try {
      dog.arm(opts.timeouts.requestMs, `the Fastgen server did not answer within ${opts.timeouts.requestMs} ms`);
      const res = await fetch(joinUrl(opts.url, "/completions"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        signal: dog.signal,
        body: JSON.stringify({
          prompt: ids,
          max_tokens: settings.max_tokens,
          temperature: settings.temperature > 0 ? settings.temperature : GREEDY_TEMPERATURE,
          ...(settings.top_p !== undefined ? { top_p: settings.top_p } : {}),
          ...(stop.length === 1 ? { stop: stop[0] } : stop.length > 1 ? { stop } : {}),
        }),
      });
      if (!res.ok) throw await httpError(res, opts.url, "the Fastgen server's access settings");
      let json: unknown;
      try {
        json = await res.json();
      } catch (err) {
        if (dog.signal.aborted) throw err;
        throw new PredictorError("the Fastgen server sent a reply that is not JSON (or closed the connection mid-reply)");
      }
      const reply = FastgenReply.safeParse(json);
      if (!reply.success) throw new PredictorError("the Fastgen server sent an unexpected reply (no choices)");
      const choice = reply.data.choices[0];
      let text: string;
      if (choice.tokens) {
        try {
          text = tok.decode(choice.tokens);
        } catch (err) {
          throw new PredictorError(`cannot decode the Fastgen tokens with this tokenizer: ${err instanceof Error ? err.message : String(err)}`);
        }
      } else text = choice.text ?? "";
      return {
        tok,
        text,
        ids: choice.tokens ?? null,
        tokens: { prompt: reply.data.usage?.prompt_tokens ?? ids.length, completion: reply.data.usage?.completion_tokens ?? choice.tokens?.length ?? null },
      };
    } catch (err) {
      throw dog.explain(err, opts.url);
    } finally {
      dog.dispose();
    }
  }

  async function generate({ prompt, settings, signal, onText }: GenerateArgs): Promise<GenerateResult> {
    const r = await request(prompt.segments, settings, [], signal);
    const eos = r.tok.specialIds.get(TOK.EOS)!;
    await feedInSlices(r.text, onText, signal);
    // Fastgen always says "length"; only the tokens tell whether the model wrote EOS.
    return { finish: r.ids?.includes(eos) ? "eos" : "length", tokens: r.tokens };
  }

  async function complete(args: CompleteArgs): Promise<CompleteResult> {
    // Stop ids are CWM's (128000 + offset); the checkpoint's tokenizer says what they are here.
    const tok = await loadTokenizer(opts.tokenizerPath).catch(() => null);
    const local = (id: number): number => {
      const text = specialTextOf(id);
      return (text !== undefined ? tok?.specialIds.get(text) : undefined) ?? id;
    };
    const eos = local(EOS_ID);
    // EOS always stops Fastgen; the other stop ids are asked for.
    const r = await request(args.segments, args.settings, args.stop.map(local).filter((id) => id !== eos), args.signal);
    const last = r.ids && r.ids.length ? r.ids[r.ids.length - 1] : null;
    const stopped = last === null ? null : last === eos ? EOS_ID : (args.stop.find((id) => local(id) === last) ?? null);
    args.onText?.(r.text);
    return completionResult(r.text, stopped !== null ? "stop" : "length", [...args.stop, EOS_ID], stopped, r.tokens);
  }

  return {
    id,
    label,
    kind: "cwm",
    status(): PredictorStatus {
      return { available: true, model };
    },
    async resolveModel() {
      return model;
    },
    predict(input, sink) {
      return drive({ id, model, label }, input, sink, generate);
    },
    complete,
  };
}
