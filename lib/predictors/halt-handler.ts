/**
 * POST /api/halt as a plain Web handler: asks a CWM backend, in reasoning mode, whether the
 * program halts, and streams its reasoning and answer as NDJSON. Built from a registry so tests
 * point it at fake servers; the route file only wires the server's instance.
 *
 * The default budget is 4,096 tokens (HALT_DEFAULT_MAX_TOKENS), not CWM_MAX_TOKENS: a trace
 * budget is sized for the longest trace a server wants to produce, a reasoning budget for a
 * chain of thought about one small program. 4,096 leaves room for a careful argument about a
 * loop while keeping a greedy model that repeats itself from holding a GPU slot (the limiter's
 * scarce resource) for minutes. A request may set settings.max_tokens to give it more.
 */
import { buildHaltPrompt, HaltReplyReader } from "@/lib/cwm/chat";
import { EOT_ID } from "@/lib/cwm/tokens";
import { readJsonBody } from "@/lib/http/body";
import { ndjsonResponse } from "@/lib/http/ndjson";
import { AppError, errorResponse } from "@/lib/http/errors";
import { LIMITS } from "@/lib/http/limits";
import { PredictorError } from "@/lib/predictors/drive";
import { HALT_DEFAULT_MAX_TOKENS, HaltRequest, type HaltEvent, type HaltFinish } from "@/lib/predictors/halt-protocol";
import type { Registry } from "@/lib/predictors/registry";
import type { CompleteResult, Predictor } from "@/lib/predictors/types";
import { availablePredictor, samplingOf } from "@/lib/predictors/handler";

export interface HaltHandlerDeps {
  registry: Registry;
  /** max_tokens when the request does not set it. */
  defaultMaxTokens?: number;
}

/** Why this predictor cannot answer, in words a person can act on. */
export function needsCwmMessage(p: Pick<Predictor, "label" | "kind">): string {
  const what = p.kind === "baseline" ? "it reads syntax only and is not a model" : p.kind === "replay" ? "it only replays recorded traces" : p.kind === "chat" ? "the question is asked in CWM's own reasoning format" : "it cannot take a free-form prompt";
  return `Will it halt? needs CWM (a CWM server through vLLM or Fastgen): ${p.label} cannot answer questions, ${what}. Pick a CWM predictor.`;
}

async function usablePredictor(deps: HaltHandlerDeps, body: HaltRequest): Promise<Predictor & Required<Pick<Predictor, "complete">>> {
  const predictor = availablePredictor(deps.registry, body.predictor);
  if (predictor.kind !== "cwm" || !predictor.complete) throw new AppError("validation", needsCwmMessage(predictor));
  // The question holds the code as text: code that a string prompt would turn into control tokens is refused, as by /api/predict.
  const refusal = predictor.refuse?.({ code: body.code, call: body.call });
  if (refusal) throw new AppError("validation", refusal);
  return predictor as Predictor & Required<Pick<Predictor, "complete">>;
}

export function createHaltHandler(deps: HaltHandlerDeps): (req: Request) => Promise<Response> {
  return async (req) => {
    let release: (() => void) | null = null;
    try {
      const body = HaltRequest.parse(await readJsonBody(req, LIMITS.body.predict));
      const predictor = await usablePredictor(deps, body);
      const settings = samplingOf(body.settings, deps.defaultMaxTokens ?? HALT_DEFAULT_MAX_TOKENS);
      const prompt = buildHaltPrompt(body.code, body.call);
      const model = await predictor.resolveModel(req.signal);
      const start: HaltEvent = {
        type: "start",
        runId: body.runId,
        predictor: { id: predictor.id, label: predictor.label, kind: predictor.kind, model },
        settings,
        prompt: prompt.withBos,
      };

      release = await deps.registry.limiter(predictor.id).acquire(req.signal);
      const held = release;
      release = null;
      const runId = body.runId;
      return ndjsonResponse<HaltEvent>(
        req,
        (send, signal) => {
          const reader = new HaltReplyReader();
          let streamed = false;
          const forward = (d: { reasoning: string; answer: string }) => {
            if (d.reasoning) send({ type: "reasoning", runId, text: d.reasoning });
            if (d.answer) send({ type: "answer", runId, text: d.answer });
          };
          send(start);
          return predictor
            .complete({
              segments: prompt.segments,
              stop: [EOT_ID],
              settings,
              signal,
              onText: (text) => {
                streamed = true;
                forward(reader.push(text));
              },
            })
            .then((result: CompleteResult) => {
              // A backend that answers once (Fastgen) may not call onText.
              if (!streamed && result.text) forward(reader.push(result.text));
              forward(reader.finish());
              send({ type: "end", runId, verdict: reader.verdict(), finish: result.finish, ...(result.tokens ? { tokens: result.tokens } : {}) });
            })
            .catch((err: unknown) => {
              forward(reader.finish());
              const stopped = signal.aborted;
              if (!stopped && !(err instanceof PredictorError)) console.error("halt question failed:", err);
              const why = stopped ? "stopped before the answer" : err instanceof PredictorError ? err.message : "the question failed on the server";
              const kept = reader.reasoning || reader.answer ? " (the reasoning so far is kept)" : "";
              const finish: HaltFinish = stopped ? "stopped" : "error";
              // The answer may already be complete when only the end of the stream was lost.
              send({ type: "end", runId, verdict: reader.closed ? reader.verdict() : "unclear", finish, message: `${why}${kept}` });
            });
        },
        held,
      );
    } catch (err) {
      release?.();
      return errorResponse(err);
    }
  };
}
