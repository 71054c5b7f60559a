/**
 * The NDJSON stream of POST /api/predict, shared by the route and the browser client. Every
 * event carries the client's run id so a late event of an older run can be dropped.
 */
import { z } from "zod";
import { Frame, PredictedTrace, SamplingSettings } from "@/lib/trace/schema";

/** The embedded baseline's id and label, shared by the server and the UI (never called CWM). */
export const BASELINE_ID = "baseline-syntax";
export const BASELINE_LABEL = "Syntax-only baseline (not a model)";

export const MAX_CODE_BYTES = 64 * 1024;
export const MAX_CALL_BYTES = 1024;

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

export const PredictRequest = z
  .object({
    runId: z.string().min(1).max(100),
    predictor: z.string().min(1).max(64),
    code: z.string().refine((s) => utf8Bytes(s) <= MAX_CODE_BYTES, `code is larger than ${MAX_CODE_BYTES / 1024} KiB`),
    call: z
      .string()
      .refine((s) => utf8Bytes(s) <= MAX_CALL_BYTES, `call is larger than ${MAX_CALL_BYTES} bytes`)
      .nullable()
      .optional(),
    settings: SamplingSettings.partial().optional(),
  })
  .strict();
export type PredictRequest = z.infer<typeof PredictRequest>;

export const PredictorKindSchema = z.enum(["cwm", "baseline", "replay"]);

export const StartEvent = z
  .object({
    type: z.literal("start"),
    runId: z.string(),
    predictor: z.object({ id: z.string(), label: z.string(), kind: PredictorKindSchema, model: z.string().nullable() }).strict(),
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

export const PredictorList = z.object({ predictors: z.array(PredictorListing) }).strict();
export type PredictorList = z.infer<typeof PredictorList>;

export function summarize(p: PredictedTrace): PredictionSummary {
  const { frames: _f, raw: _r, prompt: _p, ...rest } = p;
  return rest;
}
