/**
 * The /api/runs handlers (Web Request → Response), kept out of app/ so tests can serve them
 * over real HTTP with their own rate limit. Runs are immutable: no PUT, PATCH or DELETE.
 */
import "server-only";
import { computeMetrics, type TraceMetrics } from "@/lib/compare/metrics";
import type { CanonicalTrace, PredictedTrace } from "@/lib/trace/schema";
import { errorResponse } from "@/lib/http/errors";
import { storageEnv } from "@/lib/config/storage";
import { readJsonBody } from "@/lib/http/body";
import { getImmutable, refuseChange, type RouteContext } from "./immutable";
import { RateLimiter } from "./rate-limit";
import { serverLedger, verifyProvenance, type ProvenanceSources } from "@/lib/predictors/provenance";
import { cacheKey, predictionCache } from "./prediction-cache";
import { createRun, getRun } from "./runs";
import { CreateRunBody, LIMITS, type CreateRunResponse } from "./schema";

/**
 * The server's own figures: a shared link must not show metrics its traces do not support.
 * A failure here must not lose the run: it is saved without metrics (the page recomputes).
 */
function serverMetrics(actual: CanonicalTrace, prediction: PredictedTrace): TraceMetrics | null {
  try {
    return computeMetrics(actual, prediction);
  } catch (err) {
    console.error("runs: computeMetrics failed; saving the run without metrics", err);
    return null;
  }
}


export interface RunsApi {
  post(req: Request): Promise<Response>;
  get(req: Request, ctx: RouteContext): Promise<Response>;
  /** PUT, PATCH and DELETE on /api/runs and /api/runs/<id>. */
  immutable(req: Request): Response;
}

export function createRunsApi(opts: { ratePerMinute?: number; provenance?: ProvenanceSources } = {}): RunsApi {
  const sources: ProvenanceSources = opts.provenance ?? { ledger: serverLedger(), cache: { key: cacheKey, peek: predictionCache.peek } };
  const limiter = new RateLimiter(opts.ratePerMinute ?? storageEnv().RUNS_RATE_LIMIT);

  return {
    async post(req) {
      try {
        limiter.admit(req, "runs");
        const body = CreateRunBody.parse(await readJsonBody(req, LIMITS.body.runs));
        const prediction = body.prediction ?? null;
        const metrics = prediction ? serverMetrics(body.actual, prediction) : null;
        // A prediction's claim to come from a predictor is believed only when this server made it.
        const provenance = prediction ? await verifyProvenance(body.code, body.call, prediction, sources) : null;
        const stored = await createRun({
          code: body.code,
          call: body.call,
          title: body.title,
          actual: body.actual,
          predictions: prediction ? [prediction] : [],
          provenance: provenance ? [provenance] : [],
          metrics,
        });
        const created: CreateRunResponse = { ...stored, provenance };
        return Response.json(created, { status: 201, headers: { Location: created.url } });
      } catch (err) {
        return errorResponse(err);
      }
    },

    get: (_req, ctx) => getImmutable(ctx, "run", getRun),

    immutable: (req) => refuseChange(req, "/api/runs", "saved runs are immutable (save a new run instead)"),
  };
}

let shared: RunsApi | null = null;

/** The process-wide handlers used by app/api/runs (one rate limiter per server). */
export function runsApi(): RunsApi {
  shared ??= createRunsApi();
  return shared;
}
