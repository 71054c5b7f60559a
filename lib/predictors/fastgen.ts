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
import { loadTokenizer } from "@/lib/cwm/tokenizer";
import { TOK } from "@/lib/cwm/tokens";
import { drive, feedInSlices, PredictorError, type GenerateArgs, type GenerateResult } from "@/lib/predictors/drive";
import { httpError, joinUrl, Watchdog } from "@/lib/predictors/http";
import type { Predictor, PredictorStatus } from "@/lib/predictors/types";

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

  async function generate({ prompt, settings, signal, onText }: GenerateArgs): Promise<GenerateResult> {
    let tok;
    try {
      tok = await loadTokenizer(opts.tokenizerPath);
    } catch (err) {
      throw new PredictorError(`cannot read the tokenizer at ${opts.tokenizerPath}: ${err instanceof Error ? err.message : String(err)}`);
    }
    // Special tokens only where the prompt puts them: the user's code is encoded as plain text.
    const ids = tok.encodeSegments(prompt.segments);
    const eos = tok.specialIds.get(TOK.EOS)!;
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
      let hitEos = false;
      if (choice.tokens) {
        try {
          text = tok.decode(choice.tokens);
        } catch (err) {
          throw new PredictorError(`cannot decode the Fastgen tokens with this tokenizer: ${err instanceof Error ? err.message : String(err)}`);
        }
        hitEos = choice.tokens.includes(eos);
      } else text = choice.text ?? "";
      await feedInSlices(text, onText, signal);
      const completion = reply.data.usage?.completion_tokens ?? choice.tokens?.length ?? null;
      return {
        // Fastgen always says "length"; only the tokens tell whether the model wrote EOS.
        finish: hitEos ? "eos" : "length",
        tokens: { prompt: reply.data.usage?.prompt_tokens ?? ids.length, completion },
      };
    } catch (err) {
      throw dog.explain(err, opts.url);
    } finally {
      dog.dispose();
    }
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
  };
}
