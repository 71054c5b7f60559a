/**
 * The NDJSON stream of POST /api/predict, shared by the route and the browser client. Every
 * event carries the client's run id so a late event of an older run can be dropped.
 */
import { z } from "zod";
import { formatBytes, LIMITS, utf8Bytes } from "@/lib/http/limits";
import { Frame, PredictedTrace, SamplingSettings } from "@/lib/trace/schema";

/** The embedded baseline's id and label, shared by the server and the UI (never called CWM). */
export const BASELINE_ID = "baseline-syntax";
export const BASELINE_LABEL = "Syntax-only baseline (not a model)";


export const PredictRequest = z
  .object({
    runId: z.string().min(1).max(100),
    predictor: z.string().min(1).max(64),
    code: z.string().refine((s) => utf8Bytes(s) <= LIMITS.code, `code is larger than ${formatBytes(LIMITS.code)}`),
    call: z
      .string()
      .refine((s) => utf8Bytes(s) <= LIMITS.call, `call is larger than ${formatBytes(LIMITS.call)}`)
      .nullable()
      .optional(),
    /** Leave max_tokens out to get the server's default (GET /api/predictors says which). */
    settings: SamplingSettings.partial().optional(),
  })
  .strict();
export type PredictRequest = z.infer<typeof PredictRequest>;

export const PredictorKindSchema = z.enum(["cwm", "baseline", "replay", "chat"]);

/** Who answers a request, as every stream and answer names it. */
export const AnsweringPredictor = z.object({ id: z.string(), label: z.string(), kind: PredictorKindSchema, model: z.string().nullable() }).strict();
export type AnsweringPredictor = z.infer<typeof AnsweringPredictor>;

export const StartEvent = z
  .object({
    type: z.literal("start"),
    runId: z.string(),
    predictor: AnsweringPredictor,
    settings: SamplingSettings,
    /** The whole prompt the model reads, BOS included. */
    prompt: z.string(),
  })
  .strict();
export type StartEvent = z.infer<typeof StartEvent>;

export const FrameEventMsg = z.object({ type: z.literal("frame"), runId: z.string(), index: z.number().int().nonnegative(), frame: Frame }).strict();
export type FrameEventMsg = z.infer<typeof FrameEventMsg>;

export const RawEvent = z.object({ type: z.literal("raw"), runId: z.string(), text: z.string() }).strict();
export type RawEvent = z.infer<typeof RawEvent>;

/** The prediction without its frames and raw text, which the stream already carried. */
export const PredictionSummary = PredictedTrace.omit({ frames: true, raw: true, prompt: true });
export type PredictionSummary = z.infer<typeof PredictionSummary>;

export const EndEvent = z.object({ type: z.literal("end"), runId: z.string(), summary: PredictionSummary }).strict();
export type EndEvent = z.infer<typeof EndEvent>;

export const PredictEvent = z.discriminatedUnion("type", [StartEvent, FrameEventMsg, RawEvent, EndEvent]);
export type PredictEvent = z.infer<typeof PredictEvent>;

export const PredictorListing = z
  .object({
    id: z.string(),
    label: z.string(),
    kind: PredictorKindSchema,
    available: z.boolean(),
    model: z.string().nullable(),
    message: z.string().optional(),
    env: z.array(z.string()).optional(),
  })
  .strict();
export type PredictorListing = z.infer<typeof PredictorListing>;

export const PredictorList = z
  .object({
    predictors: z.array(PredictorListing),
    /** What the server uses for a setting the request leaves out (max_tokens: CWM_MAX_TOKENS). */
    defaults: z.object({ max_tokens: z.number().int().positive() }).strict(),
  })
  .strict();
export type PredictorList = z.infer<typeof PredictorList>;

export function summarize(p: PredictedTrace): PredictionSummary {
  const { frames: _f, raw: _r, prompt: _p, ...rest } = p;
  return rest;
}
