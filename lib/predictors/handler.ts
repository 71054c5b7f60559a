/**
 * POST /api/predict and GET /api/predictors as plain Web handlers, built from a registry so
 * tests can point them at fake servers. The route files only wire the server's instance.
 */
import { AppError, errorResponse } from "@/lib/http/errors";
import { readJsonBody } from "@/lib/http/body";
import { NDJSON_HEADERS, ndjsonResponse } from "@/lib/http/ndjson";
import { LIMITS } from "@/lib/http/limits";
import { buildPrompt } from "@/lib/cwm/prompt";
import type { PredictionLedger } from "@/lib/predictors/provenance";
import { PredictorList, PredictRequest, summarize, type PredictEvent } from "@/lib/predictors/protocol";
import type { Registry } from "@/lib/predictors/registry";
import type { Predictor, PredictSinkEvent } from "@/lib/predictors/types";
import { type PredictedTrace, SamplingSettings } from "@/lib/trace/schema";

export interface PredictionCacheLike {
  get(key: string): Promise<PredictedTrace | null>;
  put(key: string, p: PredictedTrace): Promise<void>;
}

export interface HandlerDeps {
  registry: Registry;
  /** max_tokens when the request does not set it (CWM_MAX_TOKENS). */
  defaultMaxTokens: number;
  /** Where finished predictions are recorded, so a shared one can be told apart from a forged one. */
  ledger?: PredictionLedger;
  cache?: {
    store: PredictionCacheLike;
    key(parts: { predictorId: string; model: string | null; prompt: string; settings: SamplingSettings }): string;
  };
}

async function readRequest(req: Request): Promise<PredictRequest> {
  return PredictRequest.parse(await readJsonBody(req, LIMITS.body.predict));
}

/** The predictor a request names: 422 when there is none of that id, 503 (saying how to connect it) when it is not available. */
export function availablePredictor(registry: Registry, id: string): Predictor {
  const predictor = registry.get(id);
  if (!predictor) throw new AppError("validation", `unknown predictor "${id}" (known: ${registry.ids().join(", ")})`);
  const status = predictor.status();
  if (!status.available) {
    const how = status.env?.length ? `; set ${status.env.filter((l) => !l.startsWith("#")).join(" ")}` : "";
    throw new AppError("unavailable", `${status.message ?? `${predictor.label} is not available`}${how}`);
  }
  return predictor;
}

/** A request's sampling with the server's defaults: greedy, and `defaultMaxTokens` when it leaves max_tokens out. */
export function samplingOf(partial: Partial<SamplingSettings> | undefined, defaultMaxTokens: number): SamplingSettings {
  return SamplingSettings.parse({
    temperature: partial?.temperature ?? 0,
    max_tokens: partial?.max_tokens ?? defaultMaxTokens,
    ...(partial?.top_p !== undefined ? { top_p: partial.top_p } : {}),
  });
}

export function createPredictHandler(deps: HandlerDeps): (req: Request) => Promise<Response> {
  return async (req) => {
    let release: (() => void) | null = null;
    try {
      const body = await readRequest(req);
      const predictor = availablePredictor(deps.registry, body.predictor);
      const refusal = predictor.refuse?.({ code: body.code, call: body.call });
      if (refusal) throw new AppError("validation", refusal);
      const settings = samplingOf(body.settings, deps.defaultMaxTokens);
      const prompt = buildPrompt(body.code, body.call);
      const model = await predictor.resolveModel(req.signal);
      const info = { id: predictor.id, label: predictor.label, kind: predictor.kind, model };
      const start: PredictEvent = { type: "start", runId: body.runId, predictor: info, settings, prompt: predictor.promptText?.(body) ?? prompt.withBos };

      // Greedy output of the same prompt by the same model is deterministic: a classroom opening
      // one example costs the GPU one request.
      const cacheKey =
        deps.cache && predictor.kind === "cwm" && settings.temperature === 0 && model !== null
          ? deps.cache.key({ predictorId: predictor.id, model, prompt: prompt.withBos, settings })
          : null;
      if (cacheKey && deps.cache) {
        const hit = await deps.cache.store.get(cacheKey).catch((err: unknown) => {
          console.warn("prediction cache read failed:", err);
          return null;
        });
        if (hit) {
          await deps.ledger?.record(prompt.withBos, hit);
          return new Response(cachedStream(body.runId, start, hit), { headers: NDJSON_HEADERS });
        }
      }

      release = await deps.registry.limiter(predictor.id).acquire(req.signal);
      const held = release;
      release = null;
      return ndjsonResponse<PredictEvent>(
        req,
        (send, signal) => {
          send(start);
          const sink = (e: PredictSinkEvent) => send(e.type === "raw" ? { type: "raw", runId: body.runId, text: e.text } : { type: "frame", runId: body.runId, index: e.index, frame: e.frame });
          return predictor
            .predict({ code: body.code, call: body.call, prompt, settings, signal }, sink)
            .then(async (trace) => {
              // Recorded before "end", so a Share right after it finds the prediction.
              await deps.ledger?.record(prompt.withBos, trace);
              send({ type: "end", runId: body.runId, summary: { ...summarize(trace), cached: false } });
              if (cacheKey && deps.cache && (trace.finish === "eos" || trace.finish === "length")) {
                await deps.cache.store.put(cacheKey, trace).catch((err: unknown) => console.warn("prediction cache write failed:", err));
              }
            })
            .catch((err: unknown) => {
              console.error("predict failed:", err);
              send({ type: "end", runId: body.runId, summary: failedSummary(info, settings, "the prediction failed on the server") });
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

function cachedStream(runId: string, start: PredictEvent, hit: PredictedTrace): ReadableStream<Uint8Array> {
  const lines: string[] = [JSON.stringify(start)];
  hit.frames.forEach((frame, index) => lines.push(JSON.stringify({ type: "frame", runId, index, frame } satisfies PredictEvent)));
  if (hit.raw) lines.push(JSON.stringify({ type: "raw", runId, text: hit.raw } satisfies PredictEvent));
  lines.push(JSON.stringify({ type: "end", runId, summary: { ...summarize(hit), cached: true } } satisfies PredictEvent));
  const bytes = new TextEncoder().encode(`${lines.join("\n")}\n`);
  return new ReadableStream({
    start(c) {
      c.enqueue(bytes);
      c.close();
    },
  });
}

function failedSummary(predictor: { id: string; label: string; model: string | null }, settings: SamplingSettings, message: string) {
  return {
    status: "incomplete" as const,
    result: null,
    error: null,
    stdout: "",
    predictor: { id: predictor.id, model: predictor.model, label: predictor.label },
    finish: "error" as const,
    valid_format: false,
    valid_json: true,
    settings,
    message,
    cached: false,
  };
}

export function createListHandler(registry: Registry, defaults: { maxTokens: number }): (req: Request) => Promise<Response> {
  return async () => {
    try {
      const predictors = await Promise.all(
        registry.list().map(async (p) => {
          const s = p.status();
          return {
            id: p.id,
            label: p.label,
            kind: p.kind,
            available: s.available,
            model: s.model,
            ...(s.message ? { message: s.message } : {}),
            ...(s.env ? { env: s.env } : {}),
          };
        }),
      );
      return Response.json(PredictorList.parse({ predictors, defaults: { max_tokens: defaults.maxTokens } }), { headers: { "cache-control": "no-store" } });
    } catch (err) {
      return errorResponse(err);
    }
  };
}
