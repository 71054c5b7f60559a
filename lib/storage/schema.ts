/**
 * The runs API on the wire: the POST /api/runs body (strict, bounded) and the stored run as
 * GET /api/runs/<id> returns it. No server imports: the browser may validate with it too.
 */
import { z } from "zod";
import { CanonicalTrace, Frame, PredictedTrace, RunMode } from "@/lib/trace/schema";
import { TraceMetrics } from "@/lib/compare/metrics";
import { LIMITS, utf8Bytes } from "@/lib/http/limits";

export { LIMITS };

const boundedText = (maxBytes: number, what: string) =>
  z.string().refine((s) => utf8Bytes(s) <= maxBytes, `${what} is longer than ${maxBytes} bytes (UTF-8)`);

const Frames = z.array(Frame).max(LIMITS.frames, `a trace has at most ${LIMITS.frames} frames`);

export const CreateRunBody = z
  .object({
    code: boundedText(LIMITS.code, "code").refine((s) => s.trim() !== "", "code is empty"),
    call: boundedText(LIMITS.call, "call").nullable().optional(),
    title: z.string().trim().max(LIMITS.titleChars, `title is longer than ${LIMITS.titleChars} characters`).nullable().optional(),
    actual: CanonicalTrace.extend({ frames: Frames }).strict(),
    prediction: PredictedTrace.extend({ frames: Frames }).strict().nullable().optional(),
    /** Accepted for the client's convenience; the server recomputes them from the traces. */
    metrics: TraceMetrics.nullable().optional(),
  })
  .strict();
export type CreateRunBody = z.infer<typeof CreateRunBody>;

/**
 * Who made a shared prediction: "server" when this server made exactly that output for that
 * code, call, predictor and settings (lib/predictors/provenance.ts), else "uploaded" by the
 * person who shared it. The real trace always ran in the sharer's browser.
 */
export const Provenance = z.enum(["server", "uploaded"]);
export type Provenance = z.infer<typeof Provenance>;

export const CreateRunResponse = z
  .object({
    id: z.string(),
    url: z.string(),
    /** Of the posted prediction: "uploaded" unless this server made it; null without one. */
    provenance: Provenance.nullable().optional(),
  })
  .strict();
export type CreateRunResponse = z.infer<typeof CreateRunResponse>;

/** A run id: 16 characters of base64url (96 random bits); longer ids are allowed for later. */
export const RunId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "not a run id");
export type RunId = z.infer<typeof RunId>;

export const StoredRun = z
  .object({
    id: RunId,
    url: z.string(),
    createdAt: z.string(),
    title: z.string().nullable(),
    code: z.string(),
    call: z.string().nullable(),
    mode: RunMode,
    executor: z.string().nullable(),
    actual: CanonicalTrace,
    predictions: z.array(PredictedTrace),
    /** Of predictions[0]; null when the run has no prediction. */
    provenance: Provenance.nullable(),
    metrics: TraceMetrics.nullable(),
  })
  .strict();
export type StoredRun = z.infer<typeof StoredRun>;
